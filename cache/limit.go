package cache

import (
	"context"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/hashicorp/golang-lru/v2/simplelru"
	"golang.org/x/time/rate"
)

// Limit allows Rate events per Per with bursts of up to Burst (Rate when
// Burst <= 0). A Limit with Rate <= 0 or Per <= 0 allows everything.
type Limit struct {
	Rate  int
	Per   time.Duration
	Burst int
}

func (l Limit) off() bool { return l.Rate <= 0 || l.Per <= 0 }

func (l Limit) burst() int {
	if l.Burst <= 0 {
		return l.Rate
	}
	return l.Burst
}

// Limiter decides whether one more event for key fits within l. When it
// does not, retryAfter > 0 says when it will.
type Limiter interface {
	Allow(ctx context.Context, key string, l Limit) (allowed bool, retryAfter time.Duration)
}

// DefaultLimiterKeys bounds the keys a LocalLimiter remembers; the least
// recently used key is forgotten first (and starts again with a full
// burst).
const DefaultLimiterKeys = 100_000

// LocalLimiter is an in-process token-bucket Limiter per key
// (golang.org/x/time/rate), for a single replica without Redis and as the
// fallback while Redis is down. It is safe for concurrent use.
type LocalLimiter struct {
	mu   sync.Mutex
	keys *simplelru.LRU[string, *localBucket]
}

type localBucket struct {
	lim *rate.Limiter
	l   Limit
}

// NewLocalLimiter returns a LocalLimiter remembering DefaultLimiterKeys keys.
func NewLocalLimiter() *LocalLimiter { return newLocalLimiter(DefaultLimiterKeys) }

func newLocalLimiter(keys int) *LocalLimiter {
	c, _ := simplelru.NewLRU[string, *localBucket](keys, nil)
	return &LocalLimiter{keys: c}
}

// Allow implements Limiter.
func (ll *LocalLimiter) Allow(_ context.Context, key string, l Limit) (bool, time.Duration) {
	if l.off() {
		return true, 0
	}
	ll.mu.Lock()
	b, ok := ll.keys.Get(key)
	if !ok || b.l != l {
		b = &localBucket{lim: rate.NewLimiter(rate.Every(l.Per/time.Duration(l.Rate)), l.burst()), l: l}
		ll.keys.Add(key, b)
	}
	ll.mu.Unlock()
	now := time.Now()
	res := b.lim.ReserveN(now, 1)
	if !res.OK() {
		return false, l.Per
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// Len is the number of keys remembered.
func (ll *LocalLimiter) Len() int {
	ll.mu.Lock()
	defer ll.mu.Unlock()
	return ll.keys.Len()
}

// RedisLimiter is a Limiter shared by all replicas through Redis (GCRA,
// github.com/go-redis/redis_rate). While Redis is down or failing it
// falls back to a LocalLimiter per replica (fail open: with n replicas a
// key may then get up to n times its limit).
type RedisLimiter struct {
	r      *Redis
	rl     *redis_rate.Limiter
	local  *LocalLimiter
	prefix string
}

func newRedisLimiter(r *Redis) *RedisLimiter {
	return &RedisLimiter{r: r, rl: redis_rate.NewLimiter(r.rdb), local: NewLocalLimiter(), prefix: r.opts.Prefix}
}

// Limiter returns the cache's Redis-backed Limiter; it shares the
// connection pool and circuit breaker.
func (r *Redis) Limiter() *RedisLimiter { return r.limiter }

// Allow implements Limiter.
func (rl *RedisLimiter) Allow(ctx context.Context, key string, l Limit) (bool, time.Duration) {
	if l.off() {
		return true, 0
	}
	var res *redis_rate.Result
	err := rl.r.call(func() error {
		var err error
		res, err = rl.rl.Allow(ctx, rl.prefix+key, redis_rate.Limit{Rate: l.Rate, Burst: l.burst(), Period: l.Per})
		return err
	})
	if err != nil || res == nil {
		return rl.local.Allow(ctx, key, l)
	}
	if res.Allowed > 0 {
		return true, 0
	}
	return false, max(res.RetryAfter, time.Millisecond)
}
