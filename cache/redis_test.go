package cache

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/internal/redistest"
)

// Generous timeouts for functional tests on a busy machine; the fault
// tests use the defaults.
var testOpts = RedisOptions{Timeout: 500 * time.Millisecond}

func TestRedisHitMiss(t *testing.T) {
	url := redistest.URL(t)
	prefix := testPrefix(t)
	a := newTestRedis(t, url, prefix, testOpts)
	b := newTestRedis(t, url, prefix, testOpts) // a second replica
	ctx := context.Background()

	gen := mustMiss(t, a, "v1")
	if gen == 0 {
		t.Fatal("a miss with Redis up must return a usable generation")
	}
	want := sampleResult(20, "hm")
	a.Put(ctx, "v1", gen, want, time.Minute)

	got, _, ok := a.Get(ctx, "v1")
	if !ok || got != want {
		t.Fatalf("replica a: want its own L1 entry, got ok=%v", ok)
	}
	got, _, ok = b.Get(ctx, "v1")
	if !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("replica b: want the result from Redis, got ok=%v", ok)
	}
	if _, _, ok := b.Get(ctx, "v1"); !ok {
		t.Fatal("replica b: second Get missed")
	}
	mustMiss(t, a, "other")

	sa, sb := a.Stats(), b.Stats()
	if sa.L1Hits != 1 || sa.Misses != 2 || sa.Puts != 1 || sa.State != StateUp {
		t.Errorf("a stats %+v", sa)
	}
	if sb.RedisHits != 1 || sb.L1Hits != 1 || sb.Errors != 0 {
		t.Errorf("b stats %+v", sb)
	}
}

func TestRedisInvalidate(t *testing.T) {
	url := redistest.URL(t)
	prefix := testPrefix(t)
	a := newTestRedis(t, url, prefix, testOpts)
	b := newTestRedis(t, url, prefix, testOpts)
	ctx := context.Background()

	g1 := mustMiss(t, a, "k")
	a.Put(ctx, "k", g1, result(1), time.Minute)
	mustHit(t, a, "k", 1)
	mustHit(t, b, "k", 1) // now in both L1s

	// Invalidate on b: neither replica serves the old entry, from L1 or Redis.
	b.Invalidate(ctx)
	g2 := mustMiss(t, a, "k")
	mustMiss(t, b, "k")
	if g2 == g1 {
		t.Fatal("generation did not change")
	}

	// A result computed before the Invalidate, Put after it, is never served.
	a.Put(ctx, "k", g1, result(1), time.Minute)
	mustMiss(t, a, "k")
	mustMiss(t, b, "k")

	a.Put(ctx, "k", g2, result(2), time.Minute)
	mustHit(t, b, "k", 2)
	mustHit(t, a, "k", 2)
}

// With GenerationMaxAge an L1 hit skips Redis: local writes are still
// seen at once, another replica's within the window.
func TestRedisGenerationMaxAge(t *testing.T) {
	url := redistest.URL(t)
	prefix := testPrefix(t)
	opts := testOpts
	opts.GenerationMaxAge = 300 * time.Millisecond
	a := newTestRedis(t, url, prefix, opts)
	b := newTestRedis(t, url, prefix, opts)
	ctx := context.Background()

	g := mustMiss(t, a, "k")
	a.Put(ctx, "k", g, result(1), time.Minute)
	mustHit(t, a, "k", 1)
	a.Invalidate(ctx)
	mustMiss(t, a, "k") // own write: at once

	g = mustMiss(t, a, "k")
	a.Put(ctx, "k", g, result(2), time.Minute)
	mustHit(t, a, "k", 2)
	b.Invalidate(ctx)
	waited := eventually(t, 2*time.Second, "other replica's Invalidate seen", func() bool {
		_, _, ok := a.Get(ctx, "k")
		return !ok
	})
	if waited > opts.GenerationMaxAge+200*time.Millisecond {
		t.Fatalf("stale for %s, window is %s", waited, opts.GenerationMaxAge)
	}
}

func TestRedisTTL(t *testing.T) {
	url := redistest.URL(t)
	prefix := testPrefix(t)
	a := newTestRedis(t, url, prefix, testOpts)
	b := newTestRedis(t, url, prefix, testOpts)
	ctx := context.Background()

	g := mustMiss(t, a, "k")
	a.Put(ctx, "k", g, result(1), 300*time.Millisecond)
	mustHit(t, b, "k", 1) // b's L1 takes the expiry from the value
	pttl := a.rdb.PTTL(ctx, prefix+"r:k").Val()
	if pttl <= 0 || pttl > 300*time.Millisecond {
		t.Fatalf("PTTL %s", pttl)
	}
	time.Sleep(350 * time.Millisecond)
	mustMiss(t, a, "k")
	mustMiss(t, b, "k")
	if n := a.rdb.Exists(ctx, prefix+"r:k").Val(); n != 0 {
		t.Fatal("expired value still in Redis")
	}

	// ttl <= 0 takes DefaultTTL.
	a.Put(ctx, "d", g, result(1), 0)
	if pttl := a.rdb.PTTL(ctx, prefix+"r:d").Val(); pttl < 9*time.Minute {
		t.Fatalf("default TTL: PTTL %s", pttl)
	}
}

// A Redis that lost its data (restart without persistence) starts a new
// generation at random, so an L1 entry from before is never served.
func TestRedisLostGeneration(t *testing.T) {
	url := redistest.URL(t)
	prefix := testPrefix(t)
	a := newTestRedis(t, url, prefix, testOpts)
	ctx := context.Background()

	g := mustMiss(t, a, "k")
	a.Put(ctx, "k", g, result(1), time.Minute)
	mustHit(t, a, "k", 1)
	a.rdb.Del(ctx, prefix+"gen", prefix+"r:k")
	g2 := mustMiss(t, a, "k")
	if g2 == g || g2 == 0 {
		t.Fatalf("generation after loss %d (before %d)", g2, g)
	}
}

// world is the "data" the concurrent tests compute results from, for two
// replicas: a write bumps version and then invalidates through one
// replica; acked[i] is the highest version whose Invalidate through
// replica i has returned. The guarantee checked always: a replica never
// serves a result older than a write acknowledged through itself. Across
// replicas, a write acknowledged while its replica cannot reach Redis
// cannot reach the other replica until that replica's bump lands (see
// Redis); an older answer on the other replica is counted as excused only
// while the writing replica is not up, and as stale otherwise. Without
// outages, a Get that starts after any acked = v never returns a result
// computed from an older version.
type world struct {
	version atomic.Int64
	acked   [2]atomic.Int64
	stale   atomic.Int64
	excused atomic.Int64
}

func raise(a *atomic.Int64, v int64) {
	for {
		c := a.Load()
		if c >= v || a.CompareAndSwap(c, v) {
			return
		}
	}
}

func (w *world) write(ctx context.Context, rs []*Redis, i int) {
	v := w.version.Add(1)
	rs[i].Invalidate(ctx)
	raise(&w.acked[i], v)
}

// read does what the engine does through replica i: Get, else compute
// from the current version and Put under the token.
func (w *world) read(ctx context.Context, rs []*Redis, i int, key string) (hit bool) {
	own, other := w.acked[i].Load(), w.acked[1-i].Load()
	otherUp := rs[1-i].State() == StateUp
	res, gen, ok := rs[i].Get(ctx, key)
	if !ok {
		rs[i].Put(ctx, key, gen, result(int(w.version.Load())), time.Minute)
		return false
	}
	got := int64(res.Considered)
	switch {
	case got < own:
		w.stale.Add(1)
	case got < other && otherUp && rs[1-i].State() == StateUp:
		w.stale.Add(1)
	case got < other:
		w.excused.Add(1)
	}
	return true
}

func TestRedisConcurrent(t *testing.T) {
	url := redistest.URL(t)
	prefix := testPrefix(t)
	replicas := []*Redis{newTestRedis(t, url, prefix, testOpts), newTestRedis(t, url, prefix, testOpts)}
	ctx := context.Background()
	var w world
	var hits atomic.Int64
	var wg sync.WaitGroup
	keys := []string{"a", "b", "c"}
	for i := range 6 {
		wg.Go(func() {
			for j := range 300 {
				if i == 0 && j%10 == 0 {
					w.write(ctx, replicas, j%2)
					continue
				}
				if w.read(ctx, replicas, i%2, keys[j%len(keys)]) {
					hits.Add(1)
				}
			}
		})
	}
	wg.Wait()
	// no outage here, so nothing older than any acknowledged write
	if n := w.stale.Load() + w.excused.Load(); n != 0 {
		t.Fatalf("%d stale results served", n)
	}
	if hits.Load() == 0 {
		t.Fatal("no hits at all")
	}
	for _, r := range replicas {
		if s := r.Stats(); s.Errors != 0 {
			t.Fatalf("errors: %+v", s)
		}
	}
	t.Logf("hits %d of %d reads", hits.Load(), 6*300-30)
}

func TestNewRedis(t *testing.T) {
	if _, err := NewRedis(context.Background(), "http://nope", RedisOptions{}); err == nil {
		t.Fatal("bad URL accepted")
	}
	// the error of a malformed url does not repeat its password
	if _, err := NewRedis(context.Background(), "redis://:supersecretpw@127.0.0.1:badport/0", RedisOptions{}); err == nil || strings.Contains(err.Error(), "supersecretpw") {
		t.Fatalf("malformed url: %v", err)
	}
	// Nothing listens on port 1: start anyway, fast, every call a miss.
	start := time.Now()
	r := newTestRedis(t, "redis://127.0.0.1:1/0", testPrefix(t), RedisOptions{})
	_, gen, ok := r.Get(context.Background(), "k")
	r.Put(context.Background(), "k", 1, result(1), time.Minute)
	r.Invalidate(context.Background())
	if ok || gen != 0 {
		t.Fatal("hit with Redis down")
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %s with Redis down", d)
	}
	if r.State() != StateDown || r.Stats().Errors == 0 {
		t.Fatalf("state %s, stats %+v", r.State(), r.Stats())
	}
}
