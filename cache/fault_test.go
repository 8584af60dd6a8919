package cache

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/werkmatch/werkmatch/internal/redistest"
	"github.com/werkmatch/werkmatch/internal/syncbuf"
)

// TestRedisFault runs readers and writers on two replicas while the
// (own, throwaway) Redis is killed and restarted, then hangs (SIGSTOP)
// and resumes: no call blocks long, no stale answer, caching resumes.
func TestRedisFault(t *testing.T) {
	srv := redistest.Start(t)
	prefix := testPrefix(t)
	var logs syncbuf.Buffer
	opts := RedisOptions{ // default 50ms timeouts
		BreakerCooldown: 300 * time.Millisecond,
		Logger:          slog.New(slog.NewTextHandler(&logs, nil)),
	}
	replicas := []*Redis{newTestRedis(t, srv.URL(), prefix, opts), newTestRedis(t, srv.URL(), prefix, opts)}
	ctx := context.Background()

	var (
		w       world
		maxCall atomic.Int64 // nanoseconds
		calls   atomic.Int64
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	timed := func(f func()) {
		start := time.Now()
		f()
		d := int64(time.Since(start))
		calls.Add(1)
		for {
			m := maxCall.Load()
			if d <= m || maxCall.CompareAndSwap(m, d) {
				return
			}
		}
	}
	for i := range 4 {
		wg.Go(func() {
			for j := 0; ; j++ {
				select {
				case <-stop:
					return
				default:
				}
				if j%8 == 7 {
					timed(func() { w.write(ctx, replicas, i%2) })
				} else {
					timed(func() { w.read(ctx, replicas, i%2, fmt.Sprint("k", j%4)) })
				}
				time.Sleep(time.Millisecond)
			}
		})
	}
	// resumed waits until both replicas cache again and returns how long.
	probe := 0
	resumed := func(what string) time.Duration {
		return eventually(t, 5*time.Second, what, func() bool {
			probe++
			key := fmt.Sprint("probe", probe)
			for _, r := range replicas {
				_, gen, _ := r.Get(ctx, key)
				r.Put(ctx, key, gen, result(int(w.version.Load())), time.Minute)
			}
			// A write may slip in between: then the next probe tries
			// again. Both replicas must be caching: their breakers
			// need not close at the same moment.
			for _, r := range replicas {
				if _, _, ok := r.Get(ctx, key); !ok {
					return false
				}
			}
			return true
		})
	}

	resumed("caching at start")
	time.Sleep(300 * time.Millisecond)
	before := [2]Stats{replicas[0].Stats(), replicas[1].Stats()}

	srv.Stop()
	time.Sleep(800 * time.Millisecond)
	if s := replicas[0].State(); s != StateDown {
		t.Errorf("state with Redis stopped: %s", s)
	}
	srv.Start() // empty: it lost every key
	t.Logf("caching back %s after restart", resumed("caching after restart"))

	srv.Pause() // hangs: connections open, no answers
	time.Sleep(800 * time.Millisecond)
	srv.Resume()
	t.Logf("caching back %s after a hang", resumed("caching after a hang"))

	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()

	if n := w.stale.Load(); n != 0 {
		t.Errorf("%d stale answers", n)
	}
	t.Logf("%d older answers served by one replica while the other could not reach Redis with its writes (documented)", w.excused.Load())
	m := time.Duration(maxCall.Load())
	t.Logf("%d calls, slowest %s", calls.Load(), m)
	if m > 500*time.Millisecond {
		t.Errorf("a call took %s", m)
	}
	for i, r := range replicas {
		s := r.Stats()
		t.Logf("replica %d: %+v", i, s)
		if s.Errors == before[i].Errors || s.BreakerOpens < 2 || s.ShortCircuited == 0 {
			t.Errorf("replica %d: stats do not show the outages: before %+v after %+v", i, before[i], s)
		}
		if s.RedisHits+s.L1Hits == before[i].RedisHits+before[i].L1Hits {
			t.Errorf("replica %d: no hits after the outages", i)
		}
		if s.State != StateUp {
			t.Errorf("replica %d: state %s at the end", i, s.State)
		}
	}
	out := logs.String()
	opened, closed := strings.Count(out, "to=open"), strings.Count(out, "to=closed")
	if opened < 2 || closed < 2 || strings.Count(out, "\n") > 8*(opened+closed) {
		t.Errorf("want a few lines per state change, got %d lines:\n%s", strings.Count(out, "\n"), out)
	}
}

// TestRedisDirtyAfterOutage: an Invalidate that cannot reach Redis must
// not let the result stored before it be served once Redis is back, even
// though Redis kept that result and its generation (it only hung).
func TestRedisDirtyAfterOutage(t *testing.T) {
	srv := redistest.Start(t)
	prefix := testPrefix(t)
	opts := RedisOptions{BreakerCooldown: 200 * time.Millisecond}
	b := newTestRedis(t, srv.URL(), prefix, opts) // sees no outage
	opts.bumpEvery = time.Hour                    // a bumps only when called
	a := newTestRedis(t, srv.URL(), prefix, opts)
	ctx := context.Background()

	g := mustMiss(t, a, "k")
	a.Put(ctx, "k", g, result(1), time.Minute)
	mustHit(t, a, "k", 1)
	mustHit(t, b, "k", 1)

	srv.Pause()
	for a.cb.State().String() != "open" { // open a's breaker: Invalidate then sends nothing
		a.Get(ctx, "x")
	}
	a.Invalidate(ctx) // the write is acknowledged; Redis never heard of it
	srv.Resume()
	time.Sleep(opts.BreakerCooldown + 50*time.Millisecond) // half-open: a's next call reaches Redis

	// Until a's bump lands, b cannot know of the write (documented).
	// a's next call bumps before it reads anything.
	mustMiss(t, a, "k")
	if s := a.State(); s != StateUp {
		t.Fatalf("a: state %s after a successful probe", s)
	}
	mustMiss(t, b, "k")
	g = mustMiss(t, a, "k")
	a.Put(ctx, "k", g, result(2), time.Minute)
	mustHit(t, b, "k", 2)
	mustHit(t, a, "k", 2)
}

// TestRedisRestartFromSnapshot: Redis restarts and loads a snapshot taken
// before the last Invalidate, so the old generation and a value stored
// under it are back (simulated: the throwaway server keeps nothing, so the
// test writes them back itself). Nothing raises an error, yet the cache
// must not serve that value: the run id changed.
func TestRedisRestartFromSnapshot(t *testing.T) {
	srv := redistest.Start(t)
	prefix := testPrefix(t)
	a := newTestRedis(t, srv.URL(), prefix, testOpts)
	ctx := context.Background()
	g := mustMiss(t, a, "k")
	a.Put(ctx, "k", g, result(1), time.Minute)
	mustHit(t, a, "k", 1)
	oldGen, err := a.rdb.Get(ctx, prefix+"gen").Result()
	if err != nil {
		t.Fatal(err)
	}
	oldVal, err := a.rdb.Get(ctx, prefix+"r:k").Result()
	if err != nil {
		t.Fatal(err)
	}
	a.Invalidate(ctx) // a write acknowledged after the snapshot
	srv.Stop()
	srv.Start()
	raw := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer raw.Close()
	if err := raw.Set(ctx, prefix+"gen", oldGen, 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := raw.Set(ctx, prefix+"r:k", oldVal, time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	// The run id is read every second; once the restart is noticed, the
	// old value is gone for good.
	waitFor(t, 10*time.Second, func() bool { return a.restarts.Load() > 0 })
	if res, _, ok := a.Get(ctx, "k"); ok {
		t.Fatalf("served the value of a generation from before the restart: %v", res.Considered)
	}
}

// TestRedisWithoutInfo: a Redis user to whom INFO is forbidden (ACL
// -@dangerous, as Redis's own example user) still gets a working cache;
// the run id is simply not watched.
func TestRedisWithoutInfo(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	admin := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer admin.Close()
	if err := admin.Do(ctx, "ACL", "SETUSER", "wm", "on", ">pw", "~*", "+@all", "-@dangerous").Err(); err != nil {
		t.Skipf("ACL SETUSER: %v", err)
	}
	a := newTestRedis(t, "redis://wm:pw@"+srv.Addr()+"/0", testPrefix(t), testOpts)
	waitFor(t, 10*time.Second, a.noRunID.Load)
	if a.State() != StateUp {
		t.Fatalf("INFO forbidden: watch off %v, state %s", a.noRunID.Load(), a.State())
	}
	g := mustMiss(t, a, "k")
	a.Put(ctx, "k", g, result(1), time.Minute)
	mustHit(t, a, "k", 1)
}

// waitFor polls cond until it holds, failing the test after d.
func waitFor(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %s", d)
		}
	}
}
