package cache

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/internal/redistest"
)

// allowN calls Allow n times and returns how many were allowed and the
// last Retry-After.
func allowN(l Limiter, key string, lim Limit, n int) (allowed int, retry time.Duration) {
	for range n {
		ok, ra := l.Allow(context.Background(), key, lim)
		if ok {
			allowed++
		} else {
			retry = ra
		}
	}
	return allowed, retry
}

func checkLimiter(t *testing.T, name string, l Limiter) {
	t.Helper()
	lim := Limit{Rate: 5, Per: time.Minute}
	if n, ra := allowN(l, "key-a", lim, 8); n != 5 || ra <= 0 || ra > 12*time.Second+time.Second {
		t.Fatalf("%s: %d of 8 allowed (want 5), retry after %s (want (0, 12s])", name, n, ra)
	}
	if n, _ := allowN(l, "key-b", lim, 3); n != 3 {
		t.Fatalf("%s: key-b got %d of 3: keys are not isolated", name, n)
	}
	burst := Limit{Rate: 1, Per: time.Minute, Burst: 3}
	if n, _ := allowN(l, "key-burst", burst, 5); n != 3 {
		t.Fatalf("%s: burst 3 allowed %d", name, n)
	}
	if n, _ := allowN(l, "key-off", Limit{}, 100); n != 100 {
		t.Fatalf("%s: a zero Limit must allow everything, allowed %d", name, n)
	}
	fast := Limit{Rate: 20, Per: time.Second, Burst: 1}
	allowN(l, "key-fast", fast, 1)
	if ok, ra := l.Allow(context.Background(), "key-fast", fast); ok || ra <= 0 || ra > 50*time.Millisecond {
		t.Fatalf("%s: fast limit: ok=%v retry %s", name, ok, ra)
	}
	time.Sleep(60 * time.Millisecond)
	if ok, _ := l.Allow(context.Background(), "key-fast", fast); !ok {
		t.Fatalf("%s: not allowed again after the retry interval", name)
	}
}

func TestLocalLimiter(t *testing.T) {
	checkLimiter(t, "local", NewLocalLimiter())

	l := newLocalLimiter(10)
	for i := range 100 {
		l.Allow(context.Background(), fmt.Sprint("k", i), Limit{Rate: 1, Per: time.Hour})
	}
	if l.Len() != 10 {
		t.Fatalf("remembers %d keys, bound is 10", l.Len())
	}
}

func TestRedisLimiter(t *testing.T) {
	url := redistest.URL(t)
	prefix := testPrefix(t)
	a := newTestRedis(t, url, prefix, testOpts)
	checkLimiter(t, "redis", a.Limiter())

	// Two replicas share one budget.
	b := newTestRedis(t, url, prefix, testOpts)
	lim := Limit{Rate: 4, Per: time.Minute}
	na, _ := allowN(a.Limiter(), "shared", lim, 2)
	nb, _ := allowN(b.Limiter(), "shared", lim, 2)
	if na+nb != 4 {
		t.Fatalf("allowed %d+%d", na, nb)
	}
	if ok, ra := b.Limiter().Allow(context.Background(), "shared", lim); ok || ra <= 0 {
		t.Fatalf("5th across replicas: ok=%v retry %s", ok, ra)
	}
	if s := a.Stats(); s.Errors != 0 {
		t.Fatalf("errors %+v", s)
	}
}

func TestRedisLimiterFallback(t *testing.T) {
	srv := redistest.Start(t)
	r := newTestRedis(t, srv.URL(), testPrefix(t), RedisOptions{BreakerCooldown: 200 * time.Millisecond})
	lim := Limit{Rate: 3, Per: time.Minute}
	if n, _ := allowN(r.Limiter(), "k", lim, 2); n != 2 {
		t.Fatal("Redis limiter broken")
	}

	srv.Stop()
	start := time.Now()
	// The local limiter knows nothing of the 2 used in Redis: it starts full.
	n, ra := allowN(r.Limiter(), "down", lim, 6)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("6 calls with Redis down took %s", d)
	}
	if n != 3 || ra <= 0 {
		t.Fatalf("with Redis down: %d of 6 allowed (want 3), retry %s", n, ra)
	}
	if r.Stats().Errors == 0 {
		t.Fatal("errors not counted")
	}

	srv.Start() // empty
	eventually(t, 3*time.Second, "Redis limiter back", func() bool { return r.State() == StateUp })
	if n, _ := allowN(r.Limiter(), "down", lim, 5); n != 3 {
		t.Fatalf("after recovery: %d of 5 allowed from the fresh Redis budget", n)
	}
}
