package cache

import (
	"context"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/werkmatch/werkmatch/matcher"
)

// DefaultEntries is the L1 and Memory size when none is given.
const DefaultEntries = 10_000

// entry is one cached result with the generation it was computed under.
type entry struct {
	gen     uint64
	res     *matcher.MatchResult
	expires int64 // unix nanoseconds; 0 means never
}

func (e entry) live(now int64) bool { return e.expires == 0 || now < e.expires }

// Memory is an in-process, size-bounded LRU ResultCache with a generation
// counter. It is safe for concurrent use.
type Memory struct {
	lru *lru.Cache[string, entry]
	gen atomic.Uint64

	hits, misses, puts, invalidations atomic.Uint64
}

var _ matcher.ResultCache = (*Memory)(nil)

// NewMemory returns a cache holding at most entries results
// (DefaultEntries when entries <= 0).
func NewMemory(entries int) *Memory {
	if entries <= 0 {
		entries = DefaultEntries
	}
	c, err := lru.New[string, entry](entries)
	if err != nil {
		panic(err) // only for size <= 0
	}
	m := &Memory{lru: c}
	m.gen.Store(1) // 0 is never a valid token
	return m
}

// Get returns the result for key if it was stored under the current
// generation and has not expired; gen is the token to Put under.
func (m *Memory) Get(_ context.Context, key string) (*matcher.MatchResult, uint64, bool) {
	gen := m.gen.Load()
	if e, ok := m.lru.Get(key); ok && e.gen == gen && e.live(time.Now().UnixNano()) {
		m.hits.Add(1)
		return e.res, gen, true
	}
	m.misses.Add(1)
	return nil, gen, false
}

// Put stores res under key if gen is still the current generation.
// ttl <= 0 means no expiry (the LRU bound still applies).
func (m *Memory) Put(_ context.Context, key string, gen uint64, res *matcher.MatchResult, ttl time.Duration) {
	if res == nil || gen == 0 || gen != m.gen.Load() {
		return
	}
	var exp int64
	if ttl > 0 {
		exp = time.Now().Add(ttl).UnixNano()
	}
	m.lru.Add(key, entry{gen: gen, res: res, expires: exp})
	// An Invalidate between the check and the Add leaves an entry under an
	// old generation: Get never serves it.
	m.puts.Add(1)
}

// Invalidate makes every stored result unreachable.
func (m *Memory) Invalidate(context.Context) {
	m.gen.Add(1)
	m.invalidations.Add(1)
}

// Stats returns the counters; the Redis fields stay zero.
func (m *Memory) Stats() Stats {
	return Stats{
		L1Hits:        m.hits.Load(),
		Misses:        m.misses.Load(),
		Puts:          m.puts.Load(),
		Invalidations: m.invalidations.Load(),
		L1Entries:     m.lru.Len(),
		State:         StateDisabled,
	}
}

// State is always StateDisabled: no Redis is configured.
func (m *Memory) State() string { return StateDisabled }
