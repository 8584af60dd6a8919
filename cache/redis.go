package cache

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/redis/go-redis/v9"
	"github.com/sony/gobreaker/v2"
	"github.com/werkmatch/werkmatch/matcher"
)

// States reported by State and Stats.State.
const (
	StateUp       = "up"       // Redis answers
	StateDown     = "down"     // Redis unreachable or failing: every call is a miss
	StateDisabled = "disabled" // no Redis configured (Memory)
)

// Stats are monotonic counters (and two gauges) for metrics.
type Stats struct {
	L1Hits         uint64 // Get answered from the in-process L1 (Memory: every hit)
	RedisHits      uint64 // Get answered from Redis
	Misses         uint64 // Get not answered (including every Get while Redis is down)
	Puts           uint64 // results stored
	Invalidations  uint64 // Invalidate calls
	Errors         uint64 // Redis calls that failed (timeout, refused, ...)
	ShortCircuited uint64 // Redis calls not made because the breaker was open
	BreakerOpens   uint64 // times the circuit breaker opened: error episodes
	L1Entries      int    // gauge: entries in the L1 (or Memory)
	State          string // gauge: StateUp, StateDown or StateDisabled
}

// RedisOptions tune NewRedis; zero values take the defaults.
type RedisOptions struct {
	// Prefix of every key this cache and its limiter write
	// (default "werkmatch:"). Replicas sharing results share the prefix.
	Prefix string
	// L1Entries bounds the in-process L1 (default DefaultEntries); a
	// negative value disables the L1.
	L1Entries int
	// DefaultTTL applies when Put is given ttl <= 0 (default 10 minutes).
	DefaultTTL time.Duration
	// Timeout bounds each dial, socket read and write and pool wait
	// (default 50ms). There are no retries.
	Timeout time.Duration
	// PoolSize is the connection pool size (default: go-redis's).
	PoolSize int
	// GenerationMaxAge, when > 0, lets an L1 hit skip the round trip to
	// Redis if this replica read the generation at most that long ago.
	// Writes through this replica are still seen at once, but a write
	// acknowledged by another replica can then be missed for up to this
	// long. 0 (the default) reads the generation on every Get: never stale.
	GenerationMaxAge time.Duration
	// BreakerFailures is the number of consecutive failures that open the
	// circuit breaker (default 5).
	BreakerFailures uint32
	// BreakerCooldown is how long the breaker stays open before it lets
	// one probe through (default 1s).
	BreakerCooldown time.Duration
	// Logger receives one line per breaker state change (default
	// slog.Default()). Keys and values are never logged.
	Logger *slog.Logger

	bumpEvery time.Duration // background bump interval; tests stretch it
}

func (o *RedisOptions) defaults() {
	if o.Prefix == "" {
		o.Prefix = "werkmatch:"
	}
	if o.L1Entries == 0 {
		o.L1Entries = DefaultEntries
	}
	if o.DefaultTTL <= 0 {
		o.DefaultTTL = 10 * time.Minute
	}
	if o.Timeout <= 0 {
		o.Timeout = 50 * time.Millisecond
	}
	if o.BreakerFailures == 0 {
		o.BreakerFailures = 5
	}
	if o.BreakerCooldown <= 0 {
		o.BreakerCooldown = time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.bumpEvery <= 0 {
		o.bumpEvery = 100 * time.Millisecond
	}
}

// Redis is a ResultCache in Redis with an in-process L1 in front. It is
// safe for concurrent use; Close it when done.
//
// Keys: <prefix>gen holds the generation (a random 62-bit start, so that
// a Redis that lost its data never reissues an old generation; a random
// step up on Invalidate); <prefix>r:<key> holds a value: generation (8 bytes),
// expiry (8 bytes, unix ms), encoded MatchResult. A value is served only
// when its generation is the current one. Get is one script call that
// returns the generation and, unless the L1 already holds the entry of
// that generation, the value. Put stores only under the current
// generation. Needs a standalone (or Sentinel) Redis, not Cluster: a
// script touches the generation and a value key.
//
// A new Redis starts dirty (its process may have loaded other data than
// the values in Redis were computed from), and the run id of the server is
// read every second: a Redis that restarted from an older snapshot, or a
// failover, makes it dirty too. After any Redis error, or an Invalidate
// that did not reach Redis, the cache is also "dirty": the L1 is cleared, every Get is a miss and Put is a
// no-op until the generation has been bumped in Redis (tried in the
// background every 100ms, the breaker permitting). So a write acknowledged
// while Redis was unreachable never lets an older result be served after
// Redis returns, on this replica or (once the bump lands) any other.
type Redis struct {
	rdb       *redis.Client
	opts      RedisOptions
	genKey    string
	valPrefix string
	l1        *lru.Cache[string, entry] // nil when disabled
	cb        *gobreaker.CircuitBreaker[struct{}]
	limiter   *RedisLimiter

	// dirty counts reasons to bump; bumped is the dirty count the last
	// successful bump covered. Clean when equal.
	dirty, bumped atomic.Uint64
	bumpMu        sync.Mutex
	seen          atomic.Pointer[genSeen] // for GenerationMaxAge

	grMu      sync.Mutex
	grPending *genRead // gathering Gets, not sent yet
	grBusy    bool     // a genRead is in flight

	l1Hits, redisHits, misses, puts, invalidations atomic.Uint64
	errors, shortCircuited, breakerOpens           atomic.Uint64

	runID    atomic.Pointer[string] // the Redis server's run id, once read
	restarts atomic.Uint64          // run id changes seen
	noRunID  atomic.Bool            // INFO is refused: no run id watch

	stop chan struct{}
	done chan struct{}
}

// genSeen is the generation this replica last read, when, and the local
// epoch (bumped by each Invalidate) it was read in.
type genSeen struct {
	gen   uint64
	at    int64
	epoch uint64
}

var _ matcher.ResultCache = (*Redis)(nil)

// NewRedis connects to the Redis at url (redis://[user:pass@]host:port/db
// or rediss://). Only a malformed url is an error: a Redis that is down at
// start is reported by State and used once it answers.
func NewRedis(ctx context.Context, url string, opts RedisOptions) (*Redis, error) {
	opts.defaults()
	ro, err := redis.ParseURL(url)
	if err != nil {
		// not %w: the parse error repeats the url, password and all
		return nil, errors.New("cache: the redis url is malformed: want redis://[user:password@]host:port/db or rediss://")
	}
	ro.DialTimeout = opts.Timeout
	ro.ReadTimeout = opts.Timeout
	ro.WriteTimeout = opts.Timeout
	ro.PoolTimeout = opts.Timeout
	ro.ContextTimeoutEnabled = true
	ro.MaxRetries = -1
	ro.DialerRetries = 1
	ro.DisableIdentity = true
	if opts.PoolSize > 0 {
		ro.PoolSize = opts.PoolSize
	}
	r := &Redis{
		rdb:       redis.NewClient(ro),
		opts:      opts,
		genKey:    opts.Prefix + "gen",
		valPrefix: opts.Prefix + "r:",
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
	}
	if opts.L1Entries > 0 {
		r.l1, _ = lru.New[string, entry](opts.L1Entries)
	}
	r.seen.Store(&genSeen{})
	log := opts.Logger
	r.cb = gobreaker.NewCircuitBreaker[struct{}](gobreaker.Settings{
		Name:        "redis",
		MaxRequests: 1,
		Timeout:     opts.BreakerCooldown,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= opts.BreakerFailures },
		IsSuccessful: func(err error) bool {
			return err == nil || errors.Is(err, redis.Nil)
		},
		// A caller that gave up says nothing about Redis.
		IsExcluded: func(err error) bool { return errors.Is(err, context.Canceled) },
		OnStateChange: func(_ string, from, to gobreaker.State) {
			if to == gobreaker.StateOpen {
				r.breakerOpens.Add(1)
				r.markDirty()
			}
			lvl := slog.LevelWarn
			if to == gobreaker.StateClosed {
				lvl = slog.LevelInfo
			}
			log.Log(context.Background(), lvl, "redis cache breaker state changed",
				"from", from.String(), "to", to.String(), "state", stateOf(to))
		},
	})
	r.limiter = newRedisLimiter(r)
	// A new process starts dirty: what it loaded (an offline import, another
	// --esco) may differ from what the values in Redis were computed from.
	r.markDirty()
	if err := r.call(func() error { return r.rdb.Ping(ctx).Err() }); err != nil {
		log.Warn("redis cache unreachable at start; running uncached until it answers", "error", err.Error())
	} else {
		r.bump(ctx)
		r.watchRunID(ctx)
	}
	go r.background()
	return r, nil
}

// Close stops the background loop and closes the connections.
func (r *Redis) Close() error {
	select {
	case <-r.stop:
	default:
		close(r.stop)
	}
	<-r.done
	return r.rdb.Close()
}

// call runs fn through the circuit breaker and counts its outcome. Any
// failure marks the cache dirty (see Redis).
func (r *Redis) call(fn func() error) error {
	_, err := r.cb.Execute(func() (struct{}, error) { return struct{}{}, fn() })
	switch {
	case err == nil, errors.Is(err, redis.Nil):
		return err
	case errors.Is(err, gobreaker.ErrOpenState), errors.Is(err, gobreaker.ErrTooManyRequests):
		r.shortCircuited.Add(1)
	case errors.Is(err, context.Canceled):
	default:
		r.errors.Add(1)
		r.markDirty()
	}
	return err
}

func (r *Redis) markDirty() {
	r.dirty.Add(1)
	if r.l1 != nil {
		r.l1.Purge()
	}
	r.advanceEpoch()
}

func (r *Redis) clean() bool { return r.dirty.Load() == r.bumped.Load() }

// bump increments the generation in Redis if the cache is dirty. Only one
// bump runs at a time; others return at once.
func (r *Redis) bump(ctx context.Context) {
	if !r.bumpMu.TryLock() {
		return
	}
	defer r.bumpMu.Unlock()
	d := r.dirty.Load()
	if d == r.bumped.Load() {
		return
	}
	if _, err := r.incr(ctx); err != nil {
		return
	}
	if r.l1 != nil {
		r.l1.Purge()
	}
	r.bumped.Store(d)
}

// background bumps a dirty generation and so also probes a Redis that is
// down, so the cache recovers without waiting for traffic; every
// runIDEvery ticks it checks that Redis is still the same server.
func (r *Redis) background() {
	defer close(r.done)
	t := time.NewTicker(r.opts.bumpEvery)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-r.stop:
			return
		case <-t.C:
			if n%runIDEvery == 0 {
				r.watchRunID(context.Background())
			}
			if !r.clean() {
				r.bump(context.Background())
			}
		}
	}
}

// runIDEvery is how many background ticks (100ms) apart the run id is read.
const runIDEvery = 10

// watchRunID reads the run id of the Redis server. A Redis that restarted
// (loading an older snapshot, with an older generation under which older
// values are valid again) or a failover to another server has another
// run id: the cache turns dirty, so the generation is bumped before
// anything is served again. go-redis replaces the dropped connections
// without an error, so this is how a restart is noticed; within about a
// second.
func (r *Redis) watchRunID(ctx context.Context) {
	if r.noRunID.Load() {
		return
	}
	// Not through the breaker: an error here says nothing the other calls
	// would not, and INFO may be forbidden to the user (ACL @dangerous),
	// which must not turn the cache off.
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	info, err := r.rdb.Info(ctx, "server").Result()
	var re redis.Error
	if errors.As(err, &re) {
		r.noRunID.Store(true)
		r.opts.Logger.Warn("redis cache: INFO is refused, so a restart of Redis is noticed only by its errors", "error", err.Error())
		return
	}
	if err != nil {
		return
	}
	var id string
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "run_id:"); ok {
			id = v
		}
	}
	if id == "" {
		return
	}
	if old := r.runID.Swap(&id); old != nil && *old != id {
		r.opts.Logger.Warn("redis cache server changed (restart or failover): results cached before are not served")
		r.restarts.Add(1)
		r.markDirty()
	}
}

// Scripts. Generations are decimal strings in Redis, as INCRBY keeps them.
var (
	// KEYS: gen, value. ARGV: generation the L1 holds ("" for none), a
	// random start for a missing generation. Returns {gen, value or ""};
	// the value is "" too when it would be the L1's.
	getScript = redis.NewScript(`
local g = redis.call('GET', KEYS[1])
if not g then g = ARGV[2]; redis.call('SET', KEYS[1], g) end
if g == ARGV[1] then return {g, ''} end
return {g, redis.call('GET', KEYS[2]) or ''}`)
	// KEYS: gen, value. ARGV: gen, value, ttl ms. Returns 1 if stored.
	putScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1`)
	// KEYS: gen. ARGV: random start, random step. Returns the new
	// generation. The step is random (not 1) so that a Redis restored from
	// an older snapshot does not hand out, again, generations under which
	// values were stored after the snapshot.
	incrScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
return redis.call('INCRBY', KEYS[1], ARGV[2])`)
)

// randomStart is where a missing generation starts: never 0, far from
// overflow.
func randomStart() string { return strconv.FormatUint(rand.Uint64()>>2|1, 10) }

func (r *Redis) incr(ctx context.Context) (uint64, error) {
	var g uint64
	err := r.call(func() error {
		v, err := incrScript.Run(ctx, r.rdb, []string{r.genKey}, randomStart(), strconv.FormatUint(rand.Uint64()>>34|1, 10)).Int64()
		g = uint64(v)
		return err
	})
	return g, err
}

// Get returns the result for key when it was stored under the current
// generation, and the generation to Put under (0 when nothing may be
// stored, e.g. while Redis is down).
func (r *Redis) Get(ctx context.Context, key string) (*matcher.MatchResult, uint64, bool) {
	if !r.clean() {
		r.bump(ctx)
		if !r.clean() {
			r.misses.Add(1)
			return nil, 0, false
		}
	}
	now := time.Now()
	var le entry
	haveL1 := false
	if r.l1 != nil {
		le, haveL1 = r.l1.Get(key)
		haveL1 = haveL1 && le.live(now.UnixNano())
	}
	seen := r.seen.Load()
	if haveL1 {
		if r.opts.GenerationMaxAge > 0 && seen.gen == le.gen &&
			now.UnixNano()-seen.at < int64(r.opts.GenerationMaxAge) {
			r.l1Hits.Add(1)
			return le.res, le.gen, true
		}
		// Only the generation is needed: join a read that many Gets share.
		gen, found, err := r.readGen(ctx)
		if err != nil {
			r.misses.Add(1)
			return nil, 0, false
		}
		if found && r.opts.GenerationMaxAge > 0 {
			r.noteGen(seen, gen, now.UnixNano())
		}
		if found && gen == le.gen {
			r.l1Hits.Add(1)
			return le.res, gen, true
		}
		haveL1 = false // stale: fetch generation and value together
	}
	l1gen := ""
	if haveL1 {
		l1gen = strconv.FormatUint(le.gen, 10)
	}
	var reply []any
	err := r.call(func() error {
		var err error
		reply, err = getScript.Run(ctx, r.rdb, []string{r.genKey, r.valPrefix + key}, l1gen, randomStart()).Slice()
		return err
	})
	if err != nil || len(reply) != 2 {
		r.misses.Add(1)
		return nil, 0, false
	}
	gs, _ := reply[0].(string)
	gen, err := strconv.ParseUint(gs, 10, 64)
	if err != nil || gen == 0 {
		r.misses.Add(1)
		return nil, 0, false
	}
	if r.opts.GenerationMaxAge > 0 {
		r.noteGen(seen, gen, now.UnixNano())
	}
	if haveL1 && gen == le.gen {
		r.l1Hits.Add(1)
		return le.res, gen, true
	}
	val, _ := reply[1].(string)
	if len(val) > 16 && binary.BigEndian.Uint64([]byte(val[:8])) == gen {
		exp := int64(binary.BigEndian.Uint64([]byte(val[8:16]))) * int64(time.Millisecond)
		if res, err := decodeResult([]byte(val[16:])); err == nil {
			if r.l1 != nil {
				r.l1.Add(key, entry{gen: gen, res: res, expires: exp})
			}
			r.redisHits.Add(1)
			return res, gen, true
		}
	}
	r.misses.Add(1)
	return nil, gen, false
}

// genRead is one GET of the generation, shared by every Get that joined
// it before it was sent: under load one round trip confirms the L1
// entries of many concurrent Gets, and each still sees a generation read
// after it started (so nothing older than an acknowledged Invalidate).
type genRead struct {
	done  chan struct{}
	gen   uint64
	found bool
	err   error
}

// readGen returns the current generation; found is false when Redis has
// none yet.
func (r *Redis) readGen(ctx context.Context) (gen uint64, found bool, err error) {
	r.grMu.Lock()
	g := r.grPending
	if g == nil {
		g = &genRead{done: make(chan struct{})}
		r.grPending = g
	}
	leader := !r.grBusy
	if leader {
		r.grBusy = true
		r.grPending = nil
	}
	r.grMu.Unlock()
	if leader {
		r.sendGenRead(g)
	} else {
		select {
		case <-g.done:
		case <-ctx.Done():
			return 0, false, ctx.Err()
		}
	}
	return g.gen, g.found, g.err
}

// sendGenRead sends g, then hands the next batch, if one gathered
// meanwhile, to a new goroutine.
func (r *Redis) sendGenRead(g *genRead) {
	g.err = r.call(func() error {
		v, err := r.rdb.Get(context.Background(), r.genKey).Uint64()
		g.gen, g.found = v, err == nil
		return err
	})
	if errors.Is(g.err, redis.Nil) {
		g.err = nil
	}
	close(g.done)
	r.grMu.Lock()
	next := r.grPending
	r.grPending = nil
	r.grBusy = next != nil
	r.grMu.Unlock()
	if next != nil {
		go r.sendGenRead(next)
	}
}

// noteGen records gen as read now, unless an Invalidate on this replica
// happened since the Get started (its generation wins).
func (r *Redis) noteGen(start *genSeen, gen uint64, now int64) {
	for {
		p := r.seen.Load()
		if p.epoch != start.epoch || r.seen.CompareAndSwap(p, &genSeen{gen: gen, at: now, epoch: p.epoch}) {
			return
		}
	}
}

// Put stores res under key if gen is still the current generation.
func (r *Redis) Put(ctx context.Context, key string, gen uint64, res *matcher.MatchResult, ttl time.Duration) {
	if res == nil || gen == 0 || !r.clean() {
		return
	}
	if ttl <= 0 {
		ttl = r.opts.DefaultTTL
	}
	exp := time.Now().Add(ttl)
	val := make([]byte, 16, 1024)
	binary.BigEndian.PutUint64(val, gen)
	binary.BigEndian.PutUint64(val[8:], uint64(exp.UnixMilli()))
	val = encodeResult(val, res)
	ms := max(ttl.Milliseconds(), 1)
	var stored int64
	err := r.call(func() error {
		var err error
		stored, err = putScript.Run(ctx, r.rdb, []string{r.genKey, r.valPrefix + key},
			strconv.FormatUint(gen, 10), val, ms).Int64()
		return err
	})
	if err != nil || stored != 1 {
		return
	}
	r.puts.Add(1)
	if r.l1 != nil {
		r.l1.Add(key, entry{gen: gen, res: res, expires: exp.UnixMilli() * int64(time.Millisecond)})
	}
}

// Invalidate bumps the generation in Redis: no result stored before is
// served afterwards, by any replica. If Redis cannot be reached the cache
// turns dirty (see Redis) instead.
func (r *Redis) Invalidate(ctx context.Context) {
	r.invalidations.Add(1)
	if _, err := r.incr(ctx); err != nil {
		r.markDirty()
		return
	}
	// The generation this replica last read is now old: the next Get reads
	// the new one (matters only with GenerationMaxAge).
	r.advanceEpoch()
}

// advanceEpoch forgets the generation last read and makes Gets that are
// under way unable to record theirs.
func (r *Redis) advanceEpoch() {
	for {
		p := r.seen.Load()
		if r.seen.CompareAndSwap(p, &genSeen{epoch: p.epoch + 1}) {
			return
		}
	}
}

// State reports StateUp, or StateDown while the breaker is not closed or
// the cache is dirty (nothing is served from it), for /readyz, which
// should not fail on it: the service works uncached.
func (r *Redis) State() string {
	if !r.clean() {
		return StateDown
	}
	return stateOf(r.cb.State())
}

func stateOf(s gobreaker.State) string {
	if s == gobreaker.StateClosed {
		return StateUp
	}
	return StateDown
}

// Stats returns the counters.
func (r *Redis) Stats() Stats {
	s := Stats{
		L1Hits:         r.l1Hits.Load(),
		RedisHits:      r.redisHits.Load(),
		Misses:         r.misses.Load(),
		Puts:           r.puts.Load(),
		Invalidations:  r.invalidations.Load(),
		Errors:         r.errors.Load(),
		ShortCircuited: r.shortCircuited.Load(),
		BreakerOpens:   r.breakerOpens.Load(),
		State:          r.State(),
	}
	if r.l1 != nil {
		s.L1Entries = r.l1.Len()
	}
	return s
}

// RouteRedisLogs sends go-redis's own log lines (one per failed dial while
// Redis is down) to l at debug level instead of stderr. go-redis has one
// process-wide logger, so call this once from main.
func RouteRedisLogs(l *slog.Logger) { redis.SetLogger(redisLogs{l}) }

type redisLogs struct{ l *slog.Logger }

func (r redisLogs) Printf(ctx context.Context, format string, v ...any) {
	r.l.Log(ctx, slog.LevelDebug, fmt.Sprintf(format, v...), "component", "go-redis")
}
