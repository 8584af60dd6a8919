package matcher

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// The cheap geographic bound must never exclude a point within range.
func TestFartherIsALowerBound(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		lat1, lon1 := float32(50.7+r.Float64()*3), float32(3.3+r.Float64()*4)
		lat2, lon2 := float32(50.7+r.Float64()*3), float32(3.3+r.Float64()*4)
		if r.IntN(4) == 0 { // close pairs too
			lat2, lon2 = lat1+float32(r.Float64()*0.2-0.1), lon1+float32(r.Float64()*0.2-0.1)
		}
		d := distKm(lat1, lon1, lat2, lon2)
		q := newGeoQ(lat1, lon1)
		g := newGeoQ(lat2, lon2)
		if q.farther(lat2, lon2, float32(g.cos), d) {
			t.Fatalf("(%v,%v)-(%v,%v) at %.4f km excluded at radius %.4f", lat1, lon1, lat2, lon2, d, d)
		}
	}
}

func TestScoreFunctions(t *testing.T) {
	var w [maxItems]float64
	// required ids 1 (idf 1) and 2 (idf 3), preferred id 3 (idf 1)
	itemWeights([]uint32{1, 2, 3}, 2, []float32{0, 1, 3, 1}, 9, &w)
	if math.Abs(w[0]-0.2) > 1e-12 || math.Abs(w[1]-0.6) > 1e-12 || w[2] != 0.2 {
		t.Fatalf("weights %v", w[:3])
	}
	exp := []uint32{1, 0, 2, 1, 7, 1 | metaPartial, 9, 2}
	full, part := matchSkills([]uint32{1, 7, 8}, exp)
	if full != 0b001 || part != 0b010 {
		t.Fatalf("masks %b %b", full, part)
	}
	if got, want := skillValue(full, part, &w, 3), 0.2+0.5*0.6; math.Abs(got-want) > 1e-12 {
		t.Fatalf("skills %v, want %v", got, want)
	}
	for _, c := range []struct {
		a, b uint16
		k    int
	}{{9321, 9321, 4}, {9321, 9329, 3}, {9321, 9311, 2}, {9321, 9121, 1}, {9321, 4321, 0}} {
		if k := iscoPrefix(c.a, c.b); k != c.k {
			t.Errorf("iscoPrefix(%d,%d) = %d, want %d", c.a, c.b, k, c.k)
		}
	}
	if v, k := occValue([]uint32{5, 9329, 6, uint32(iscoNone)}, 7, 9321); v != 0.6 || k != 3 {
		t.Errorf("occ %v %d", v, k)
	}
	if v := levelValue(1, 4, 0.25); v != 0.25 {
		t.Errorf("level %v", v)
	}
}

// A query allocates per query, never per scored candidate: the same query
// over 50 and over 5,000 eligible profiles allocates the same.
func TestNoAllocationsPerCandidate(t *testing.T) {
	allocs := func(n int) (float64, int) {
		e := newTestEngine(fakeTax{})
		var ps []*Profile
		for i := range n {
			p := baseProfile("p" + itoa(i))
			p.HoursMin = i % 20
			ps = append(ps, p)
		}
		e.UpsertProfiles(ps[:n/2])
		for _, p := range ps[n/2:] {
			e.UpsertProfile(p)
		}
		v := baseVacancy()
		q := Query{Limit: 10, Today: today}
		res, _ := e.MatchVacancy(context.Background(), v, q)
		return testing.AllocsPerRun(20, func() { _, _ = e.MatchVacancy(context.Background(), v, q) }), res.Scored
	}
	small, ns := allocs(50)
	large, nl := allocs(5000)
	if nl < 100*ns/2 || large != small {
		t.Fatalf("allocs %v for %d scored, %v for %d scored", small, ns, large, nl)
	}
}
