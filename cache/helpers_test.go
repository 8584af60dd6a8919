package cache

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/werkmatch/werkmatch/matcher"
)

func TestMain(m *testing.M) {
	RouteRedisLogs(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// testPrefix is unique per test, so tests can share a Redis server.
func testPrefix(tb testing.TB) string {
	name := strings.NewReplacer("/", "_", " ", "_").Replace(tb.Name())
	return fmt.Sprintf("wmtest:%s:%x:", name, rand.Uint32())
}

// newTestRedis opens a Redis cache closed at the end of the test; the
// keys under prefix are deleted then (never a flush: the server may be
// shared).
func newTestRedis(tb testing.TB, url, prefix string, opts RedisOptions) *Redis {
	tb.Helper()
	opts.Prefix = prefix
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r, err := NewRedis(context.Background(), url, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		_ = r.Close()
		deletePrefix(url, prefix)
	})
	return r
}

func deletePrefix(url, prefix string) {
	o, err := redis.ParseURL(url)
	if err != nil {
		return
	}
	o.DialTimeout, o.ReadTimeout, o.MaxRetries, o.DialerRetries = 200*time.Millisecond, 500*time.Millisecond, -1, 1
	c := redis.NewClient(o)
	defer c.Close()
	ctx := context.Background()
	iter := c.Scan(ctx, 0, prefix+"*", 500).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	// redis_rate keys carry its own "rate:" prefix.
	iter = c.Scan(ctx, 0, "rate:"+prefix+"*", 500).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if len(keys) > 0 {
		c.Del(ctx, keys...)
	}
}

// result builds a small answer that carries a version in Considered.
func result(version int) *matcher.MatchResult {
	r := sampleResult(3, "t")
	r.Considered = version
	return r
}

// mustHit fails unless c has key with the given version.
func mustHit(tb testing.TB, c matcher.ResultCache, key string, version int) uint64 {
	tb.Helper()
	res, gen, ok := c.Get(context.Background(), key)
	if !ok {
		tb.Fatalf("Get(%s): miss, want version %d", key, version)
	}
	if res.Considered != version {
		tb.Fatalf("Get(%s): version %d, want %d", key, res.Considered, version)
	}
	return gen
}

// mustMiss fails if c has key; it returns the generation token.
func mustMiss(tb testing.TB, c matcher.ResultCache, key string) uint64 {
	tb.Helper()
	res, gen, ok := c.Get(context.Background(), key)
	if ok {
		tb.Fatalf("Get(%s): hit (version %d), want a miss", key, res.Considered)
	}
	return gen
}

// eventually polls cond every 20ms for up to d.
func eventually(tb testing.TB, d time.Duration, what string, cond func() bool) time.Duration {
	tb.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			tb.Fatalf("%s: not within %s", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}
