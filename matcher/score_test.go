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
		if q.farther(lat2, lon2, float32(g.cos), d) || q.fartherLat(lat2, d) {
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

// The split scan over several workers ranks exactly like one worker.
func TestParallelScanAgrees(t *testing.T) {
	old := parallelMin
	parallelMin = 64
	defer func() { parallelMin = old }()
	g := newCoarseGen(11, 8)
	one, four := g.engine(1), g.engine(4)
	var ps []*Profile
	for i := range 3000 {
		ps = append(ps, g.Profile(i))
	}
	one.UpsertProfiles(ps)
	four.UpsertProfiles(ps)
	for i := range 40 {
		v := g.Vacancy(i)
		v.Status = StatusOpen
		q := Query{Limit: 25}
		a, err1 := one.MatchVacancy(context.Background(), v, q)
		b, err2 := four.MatchVacancy(context.Background(), v, q)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if a.Scored != b.Scored || a.Considered != b.Considered || len(a.Results) != len(b.Results) {
			t.Fatalf("vacancy %d: scored %d/%d considered %d/%d results %d/%d", i, a.Scored, b.Scored, a.Considered, b.Considered, len(a.Results), len(b.Results))
		}
		for j := range a.Results {
			if a.Results[j].ProfileID != b.Results[j].ProfileID || a.Results[j].Score != b.Results[j].Score {
				t.Fatalf("vacancy %d rank %d: %s %v vs %s %v", i, j, a.Results[j].ProfileID, a.Results[j].Score, b.Results[j].ProfileID, b.Results[j].Score)
			}
		}
	}
}

func TestContextCancelled(t *testing.T) {
	e := newTestEngine(nil)
	e.UpsertProfile(baseProfile("p1"))
	e.UpsertVacancy(baseVacancy())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.MatchVacancy(ctx, baseVacancy(), Query{}); err != context.Canceled {
		t.Errorf("vacancy: %v", err)
	}
	if _, err := e.MatchProfileID(ctx, "p1", Query{}); err != context.Canceled {
		t.Errorf("profile: %v", err)
	}
	if _, err := e.RankProfiles(ctx, baseVacancy(), []string{"p1"}, Query{}); err != context.Canceled {
		t.Errorf("rank: %v", err)
	}
	res, _ := e.MatchVacancy(context.Background(), baseVacancy(), Query{Limit: MaxLimit + 50, Today: today})
	if len(res.Results) != 1 || res.Weights != mustNorm(DefaultWeights) {
		t.Errorf("limit cap / default weights: %+v", res)
	}
}

func mustNorm(w Weights) Weights {
	n, err := normWeights(&w)
	if err != nil {
		panic(err)
	}
	return n
}

// Loading in batches (as the server does from the store) ends in the same
// state as one bulk load, and re-upserting a batch changes nothing.
func TestBatchedLoadMatchesBulk(t *testing.T) {
	g := newCoarseGen(13, 6)
	var ps []*Profile
	for i := range 12000 {
		ps = append(ps, g.Profile(i))
	}
	bulk, batched := g.engine(2), g.engine(2)
	bulk.UpsertProfiles(ps)
	for i := 0; i < len(ps); i += 700 {
		batched.UpsertProfiles(ps[i:min(i+700, len(ps))])
	}
	batched.UpsertProfiles(ps[3000:4000])
	bulk.Compact()
	batched.Compact()
	if a, _ := bulk.Counts(); a != len(ps) {
		t.Fatalf("bulk holds %d", a)
	}
	if a, _ := batched.Counts(); a != len(ps) {
		t.Fatalf("batched holds %d", a)
	}
	for i := range 30 {
		v := g.Vacancy(i)
		v.Status = StatusOpen
		a, _ := bulk.MatchVacancy(context.Background(), v, Query{Limit: 30})
		b, _ := batched.MatchVacancy(context.Background(), v, Query{Limit: 30})
		if a.Scored != b.Scored || len(a.Results) != len(b.Results) {
			t.Fatalf("vacancy %d: scored %d vs %d", i, a.Scored, b.Scored)
		}
		for j := range a.Results {
			if a.Results[j].ProfileID != b.Results[j].ProfileID || a.Results[j].Score != b.Results[j].Score {
				t.Fatalf("vacancy %d rank %d differs", i, j)
			}
		}
	}
}

// RankProfiles over every id gives exactly the scan's ranking (what the
// Bleve baseline of the benchmark relies on), on a realistic corpus.
func TestRankProfilesMatchesScanOnCorpus(t *testing.T) {
	g := newCoarseGen(17, 10)
	e := g.engine(1)
	var ps []*Profile
	var all []string
	for i := range 6000 {
		p := g.Profile(i)
		ps = append(ps, p)
		all = append(all, p.ID)
	}
	e.UpsertProfiles(ps[:5000])
	for _, p := range ps[5000:] {
		e.UpsertProfile(p)
	}
	total := 0
	for i := range 25 {
		v := g.Vacancy(i)
		q := Query{Limit: 20}
		a, err1 := e.MatchVacancy(context.Background(), v, q)
		b, err2 := e.RankProfiles(context.Background(), v, all, q)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if a.Scored != b.Scored || len(a.Results) != len(b.Results) {
			t.Fatalf("vacancy %d: scored %d vs %d", i, a.Scored, b.Scored)
		}
		for j := range a.Results {
			if a.Results[j].ProfileID != b.Results[j].ProfileID || a.Results[j].Score != b.Results[j].Score {
				t.Fatalf("vacancy %d rank %d: %s vs %s", i, j, a.Results[j].ProfileID, b.Results[j].ProfileID)
			}
		}
		total += len(a.Results)
	}
	if total < 100 {
		t.Fatalf("only %d results over 25 vacancies", total)
	}
}

// The pruning bounds never drop a pair that would reach the threshold.
func TestPruningBoundsAreSafe(t *testing.T) {
	g := newCoarseGen(19, 10)
	e := g.engine(1)
	var ps []*Profile
	for i := range 3000 {
		ps = append(ps, g.Profile(i))
	}
	e.UpsertProfiles(ps)
	s := e.prof.snap()
	r := rand.New(rand.NewPCG(5, 6))
	pruned := 0
	for vi := range 30 {
		v := g.Vacancy(vi)
		v.OpenHiring = false
		o, _ := e.prepare(Query{})
		f := newFwd(e.compileQuery(v), o, s)
		b := s.base
		for i := range b.heads {
			h := &b.heads[i]
			pv := viewOf(h, &b.xs[i], b.terms)
			d := distKm(f.vq.lat, f.vq.lon, h.lat, h.lon)
			if math.IsNaN(d) {
				continue
			}
			full, part := matchSkills(pv.skills, f.vq.exp)
			score, _, _, _ := pairScore(&o.w, &pv.x, h.radius, pv.occs, &f.vq.x, full, part, &f.wItem, f.nItems, d)
			thr := r.Float64()
			if r.IntN(4) == 0 {
				thr = score // ties must survive
			}
			k, ok := f.key(h, &b.xs[i], b.terms, d, thr)
			switch {
			case !ok && score >= thr:
				t.Fatalf("vacancy %d row %d: pruned at %v with score %v", vi, i, thr, score)
			case ok && k != score:
				t.Fatalf("vacancy %d row %d: key %v, score %v", vi, i, k, score)
			case !ok:
				pruned++
			}
		}
	}
	if pruned == 0 {
		t.Fatal("nothing was pruned")
	}
}
