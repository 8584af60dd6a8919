package matcher

import (
	"math"
	"slices"
)

// hit is one candidate in a top-N: its ordering key (higher is better) and
// its row ref in the snapshot being scanned.
type hit struct {
	key float64
	ref uint32
}

// topN keeps the best limit hits in a min-heap whose root is the worst
// kept hit; equal keys order by id ascending (a larger id is worse). It
// allocates once per query.
type topN struct {
	h     []hit
	limit int
	idOf  func(ref uint32) string
}

func newTopN(limit int, idOf func(uint32) string) *topN {
	return &topN{h: make([]hit, 0, limit), limit: limit, idOf: idOf}
}

// worse reports whether a ranks below b.
func (t *topN) worse(a, b hit) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	return t.idOf(a.ref) > t.idOf(b.ref)
}

// threshold is the key a new hit must reach to enter (-Inf while not full).
func (t *topN) threshold() float64 {
	if len(t.h) < t.limit || t.limit == 0 {
		return math.Inf(-1)
	}
	return t.h[0].key
}

// push offers a hit.
func (t *topN) push(key float64, ref uint32) {
	if len(t.h) < t.limit {
		t.h = append(t.h, hit{key, ref})
		t.up(len(t.h) - 1)
		return
	}
	if t.limit == 0 {
		return
	}
	root := t.h[0]
	if key < root.key {
		return
	}
	x := hit{key, ref}
	if key == root.key && !t.worse(root, x) {
		return
	}
	t.h[0] = x
	t.down(0)
}

func (t *topN) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !t.worse(t.h[i], t.h[p]) {
			return
		}
		t.h[i], t.h[p] = t.h[p], t.h[i]
		i = p
	}
}

func (t *topN) down(i int) {
	n := len(t.h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && t.worse(t.h[r], t.h[l]) {
			m = r
		}
		if !t.worse(t.h[m], t.h[i]) {
			return
		}
		t.h[i], t.h[m] = t.h[m], t.h[i]
		i = m
	}
}

// sorted returns the hits best first.
func (t *topN) sorted() []hit {
	out := slices.Clone(t.h)
	slices.SortFunc(out, func(a, b hit) int {
		switch {
		case t.worse(b, a):
			return -1
		case t.worse(a, b):
			return 1
		}
		return 0
	})
	return out
}
