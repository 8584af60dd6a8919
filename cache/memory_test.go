package cache

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestMemory(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(4)

	gen := mustMiss(t, m, "k")
	if gen == 0 {
		t.Fatal("a miss must return a usable generation")
	}
	m.Put(ctx, "k", gen, result(1), time.Minute)
	mustHit(t, m, "k", 1)

	// Invalidate: the entry and any Put under the old token are gone.
	m.Invalidate(ctx)
	gen2 := mustMiss(t, m, "k")
	m.Put(ctx, "k", gen, result(1), time.Minute)
	mustMiss(t, m, "k")
	m.Put(ctx, "k", gen2, result(2), time.Minute)
	mustHit(t, m, "k", 2)

	// TTL.
	m.Put(ctx, "short", gen2, result(3), 30*time.Millisecond)
	mustHit(t, m, "short", 3)
	time.Sleep(50 * time.Millisecond)
	mustMiss(t, m, "short")

	// Size bound.
	for i := range 10 {
		m.Put(ctx, fmt.Sprint("fill", i), gen2, result(i), time.Minute)
	}
	if s := m.Stats(); s.L1Entries != 4 || s.State != StateDisabled || s.L1Hits == 0 || s.Misses == 0 {
		t.Fatalf("stats %+v", s)
	}
	if m.State() != StateDisabled {
		t.Fatal(m.State())
	}
}
