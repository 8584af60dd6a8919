package cache

import (
	"context"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/internal/redistest"
	"github.com/werkmatch/werkmatch/matcher"
)

// BenchmarkGet measures Get of a cached top-20 answer (about 0.9 KB
// encoded) on each path, against a real Redis on loopback.
func BenchmarkGet(b *testing.B) {
	ctx := context.Background()
	res := sampleResult(20, "bench")
	run := func(b *testing.B, c matcher.ResultCache, key string, wantHit bool) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, ok := c.Get(ctx, key); ok != wantHit {
				b.Fatalf("hit=%v", ok)
			}
		}
	}
	put := func(c matcher.ResultCache, key string) {
		_, gen, _ := c.Get(ctx, key)
		c.Put(ctx, key, gen, res, time.Hour)
	}

	b.Run("memory-hit", func(b *testing.B) {
		m := NewMemory(0)
		put(m, "k")
		run(b, m, "k", true)
	})
	url := redistest.URL(b)
	prefix := testPrefix(b)
	b.Run("l1-hit", func(b *testing.B) {
		r := newTestRedis(b, url, prefix, RedisOptions{})
		put(r, "k")
		run(b, r, "k", true)
	})
	b.Run("l1-hit-genmaxage", func(b *testing.B) {
		r := newTestRedis(b, url, prefix, RedisOptions{GenerationMaxAge: time.Hour})
		put(r, "k")
		run(b, r, "k", true)
	})
	b.Run("redis-hit", func(b *testing.B) {
		r := newTestRedis(b, url, prefix, RedisOptions{L1Entries: -1})
		put(r, "k")
		run(b, r, "k", true)
	})
	b.Run("miss", func(b *testing.B) {
		r := newTestRedis(b, url, prefix, RedisOptions{})
		run(b, r, "absent", false)
	})
	b.Run("redis-down", func(b *testing.B) {
		r := newTestRedis(b, "redis://127.0.0.1:1/0", prefix, RedisOptions{})
		run(b, r, "k", false)
	})
}

func BenchmarkPut(b *testing.B) {
	ctx := context.Background()
	res := sampleResult(20, "bench")
	r := newTestRedis(b, redistest.URL(b), testPrefix(b), RedisOptions{})
	_, gen, _ := r.Get(ctx, "k")
	b.ReportAllocs()
	for b.Loop() {
		r.Put(ctx, "k", gen, res, time.Hour)
	}
}

func BenchmarkInvalidate(b *testing.B) {
	ctx := context.Background()
	r := newTestRedis(b, redistest.URL(b), testPrefix(b), RedisOptions{})
	b.ReportAllocs()
	for b.Loop() {
		r.Invalidate(ctx)
	}
}

func BenchmarkLimiter(b *testing.B) {
	ctx := context.Background()
	lim := Limit{Rate: 1 << 30, Per: time.Second}
	b.Run("local", func(b *testing.B) {
		l := NewLocalLimiter()
		b.ReportAllocs()
		for b.Loop() {
			l.Allow(ctx, "key", lim)
		}
	})
	b.Run("redis", func(b *testing.B) {
		r := newTestRedis(b, redistest.URL(b), testPrefix(b), RedisOptions{})
		l := r.Limiter()
		b.ReportAllocs()
		for b.Loop() {
			l.Allow(ctx, "key", lim)
		}
	})
}

// BenchmarkGetParallel: many concurrent requests for hot keys, as the
// HTTP server sees them.
func BenchmarkGetParallel(b *testing.B) {
	ctx := context.Background()
	res := sampleResult(20, "bench")
	url := redistest.URL(b)
	for _, tc := range []struct {
		name string
		opts RedisOptions
	}{
		{"l1-hit", RedisOptions{}},
		{"l1-hit-genmaxage", RedisOptions{GenerationMaxAge: time.Hour}},
		{"redis-hit", RedisOptions{L1Entries: -1}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			r := newTestRedis(b, url, testPrefix(b), tc.opts)
			_, gen, _ := r.Get(ctx, "k")
			r.Put(ctx, "k", gen, res, time.Hour)
			b.ReportAllocs()
			b.SetParallelism(16)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, _, ok := r.Get(ctx, "k"); !ok {
						b.Error("miss")
						return
					}
				}
			})
		})
	}
}
