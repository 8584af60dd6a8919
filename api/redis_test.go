package api_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/cache"
	"github.com/werkmatch/werkmatch/internal/redistest"
)

// redisEnv is an env whose cache and rate limiter live in the Redis at url
// under prefix (replicas share a prefix).
func redisEnv(t *testing.T, url, prefix string, mod func(*api.Config)) (*env, *cache.Redis) {
	t.Helper()
	r, err := cache.NewRedis(ctxT(t), url, cache.RedisOptions{Prefix: prefix, BreakerCooldown: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	e := newEnv(t, func(c *api.Config) {
		c.Cache, c.Limiter = r, r.Limiter()
		if mod != nil {
			mod(c)
		}
	})
	return e, r
}

func testPrefix() string { return fmt.Sprintf("werkmatch-apitest-%x:", rand.Uint64()) }

// TestRedisCacheHitMissInvalidation: two replicas share one Redis. A
// repeated match is a hit (L1 on the same replica, Redis on the other);
// a profile written that now qualifies is in the very next match.
func TestRedisCacheHitMissInvalidation(t *testing.T) {
	url := redistest.URL(t)
	prefix := testPrefix()
	a, ra := redisEnv(t, url, prefix, nil)
	b, rb := redisEnv(t, url, prefix, nil)
	for _, e := range []*env{a, b} {
		e.putVacancy(vacancy("v1", employerA, 1012))
		e.putProfile(profile("p1", amsterdam, 1011))
	}
	path := "/v1/vacancies/v1/matches?limit=10"
	m := want(t, a.do(req{method: "GET", path: path, key: kEmployerA}), 200)
	if m["cached"] != false || !slices.Equal(matchIDs(m), []string{"p1"}) {
		t.Fatalf("first: cached %v ids %v", m["cached"], matchIDs(m))
	}
	m = want(t, a.do(req{method: "GET", path: path, key: kEmployerA}), 200)
	if m["cached"] != true || ra.Stats().L1Hits == 0 {
		t.Fatalf("repeat on the same replica: cached %v stats %+v", m["cached"], ra.Stats())
	}
	m = want(t, b.do(req{method: "GET", path: path, key: kEmployerA}), 200)
	if m["cached"] != true || rb.Stats().RedisHits == 0 || !slices.Equal(matchIDs(m), []string{"p1"}) {
		t.Fatalf("other replica: cached %v stats %+v", m["cached"], rb.Stats())
	}

	// p2 now qualifies: the very next match on a has it. b's older cached
	// answer is invalidated too: b gets a's fresh answer from Redis, with
	// p2, although b's own core (a separate store here) does not hold p2.
	p2 := profile("p2", amsterdam, 1011)
	a.putProfile(p2)
	m = want(t, a.do(req{method: "GET", path: path, key: kEmployerA}), 200)
	if m["cached"] != false || !slices.Contains(matchIDs(m), "p2") {
		t.Fatalf("after the write: cached %v ids %v", m["cached"], matchIDs(m))
	}
	m = want(t, b.do(req{method: "GET", path: path, key: kEmployerA}), 200)
	if !slices.Contains(matchIDs(m), "p2") {
		t.Fatalf("the other replica served an answer older than the write: cached %v ids %v", m["cached"], matchIDs(m))
	}
	// a vacancy write invalidates as well.
	v := vacancy("v1", employerA, 1012)
	v.HoursMin, v.HoursMax = 4, 6 // nobody qualifies any more
	want(t, a.do(req{method: "GET", path: path, key: kEmployerA}), 200)
	want(t, a.do(req{method: "PUT", path: "/v1/vacancies/v1", key: kEmployerA, body: v}), 200)
	m = want(t, a.do(req{method: "GET", path: path, key: kEmployerA}), 200)
	if m["cached"] != false || len(matchIDs(m)) != 0 {
		t.Fatalf("after the vacancy write: cached %v ids %v", m["cached"], matchIDs(m))
	}
	if !strings.Contains(a.do(req{method: "GET", path: "/readyz"}).Body.String(), `"cache":"up"`) {
		t.Error("/readyz does not report Redis up")
	}
}

// TestRedisRateLimitSharedAcrossReplicas: a key's limit holds across
// replicas through Redis.
func TestRedisRateLimitSharedAcrossReplicas(t *testing.T) {
	url := redistest.URL(t)
	prefix := testPrefix()
	lim := func(c *api.Config) {
		c.RateLimits = map[string]cache.Limit{api.RoleEmployer: {Rate: 3, Per: time.Minute}}
	}
	a, _ := redisEnv(t, url, prefix, lim)
	b, _ := redisEnv(t, url, prefix, lim)
	p := "/v1/taxonomy/skills?q=kok"
	want(t, a.do(req{method: "GET", path: p, key: kEmployerA}), 200)
	want(t, b.do(req{method: "GET", path: p, key: kEmployerA}), 200)
	want(t, a.do(req{method: "GET", path: p, key: kEmployerA}), 200)
	rec := b.do(req{method: "GET", path: p, key: kEmployerA})
	want(t, rec, 429)
	if rec.Header().Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	want(t, b.do(req{method: "GET", path: p, key: kEmployerB}), 200)
}

// TestRedisOutageNoServerErrors: Redis stops in the middle of a run of
// requests and comes back: no 5xx, answers stay right, /readyz stays 200
// and reports the state, caching resumes by itself.
func TestRedisOutageNoServerErrors(t *testing.T) {
	srv := redistest.Start(t)
	e, r := redisEnv(t, srv.URL(), testPrefix(), nil)
	e.putVacancy(vacancy("v1", employerA, 1012))
	e.putProfile(profile("p1", amsterdam, 1011))
	path := "/v1/vacancies/v1/matches"
	check := func(phase string) map[string]any {
		t.Helper()
		rec := e.do(req{method: "GET", path: path, key: kEmployerA})
		if rec.Code != 200 {
			t.Fatalf("%s: status %d: %s", phase, rec.Code, rec.Body.String())
		}
		m := want(t, rec, 200)
		if !slices.Equal(matchIDs(m), []string{"p1"}) && !slices.Equal(matchIDs(m), []string{"p1", "p2"}) {
			t.Fatalf("%s: wrong answer %v", phase, matchIDs(m))
		}
		return m
	}
	check("before")
	if m := check("before, repeated"); m["cached"] != true {
		t.Fatal("no caching before the outage")
	}
	srv.Stop()
	for i := range 30 {
		check(fmt.Sprintf("outage %d", i))
		if i == 10 {
			e.putProfile(profile("p2", amsterdam, 1011)) // a write during the outage
		}
	}
	if m := check("outage, after the write"); !slices.Contains(matchIDs(m), "p2") {
		t.Fatal("write during the outage not seen")
	}
	want(t, e.do(req{method: "GET", path: "/readyz"}), 200)
	if r.Stats().Errors+r.Stats().ShortCircuited == 0 {
		t.Errorf("no errors counted during the outage: %+v", r.Stats())
	}
	srv.Start()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m := check("after")
		if m["cached"] == true {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("caching did not resume within 10s: %+v", r.Stats())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if m := check("after, final"); !slices.Contains(matchIDs(m), "p2") {
		t.Fatal("a stale answer from before the outage write was served")
	}
}
