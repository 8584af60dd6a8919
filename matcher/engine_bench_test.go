package matcher

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// Benchmarks of the core on the synthetic corpus of gen_test.go. The 1M
// profile and 500k vacancy sizes are skipped under -short. Run one core:
//
//	go test ./matcher -run '^$' -bench . -benchmem -cpu 1
//
// Each benchmark reports ns/op and allocs/op over a rotating set of
// queries, plus p50/p99 latency in ms and, for loads, bytes held per
// profile (heap after GC, before vs after loading).

var (
	benchMu      sync.Mutex
	benchEngines = map[string]*Engine{}
	benchBytes   = map[string]float64{}
)

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// profileEngine returns an engine holding n generated profiles (and 2,000
// vacancies), built once per size.
func profileEngine(b *testing.B, n int) (*Engine, *gen) {
	b.Helper()
	key := fmt.Sprintf("p%d", n)
	return cachedEngine(key, func(g *gen) *Engine { return buildProfileEngine(g, key, n) })
}

// cachedEngine returns the engine cached under key, building it once with
// build (called with benchMu held).
func cachedEngine(key string, build func(*gen) *Engine) (*Engine, *gen) {
	g := newGen(1)
	benchMu.Lock()
	defer benchMu.Unlock()
	e, ok := benchEngines[key]
	if !ok {
		e = build(g)
		benchEngines[key] = e
	}
	return e, g
}

func buildProfileEngine(g *gen, key string, n int) *Engine {
	before := heapInUse()
	e := g.engine(runtime.GOMAXPROCS(0))
	ps := make([]*Profile, n)
	for i := range ps {
		ps[i] = g.Profile(i)
	}
	e.UpsertProfiles(ps)
	ps = nil
	after := heapInUse() // the profiles are garbage now; what is left is the engine
	runtime.KeepAlive(e)
	benchBytes[key] = float64(after-before) / float64(n)
	vs := make([]*Vacancy, 2000)
	for i := range vs {
		vs[i] = g.Vacancy(i)
	}
	e.UpsertVacancies(vs)
	return e
}

func vacancyEngine(b *testing.B, n int) (*Engine, *gen) {
	b.Helper()
	return cachedEngine(fmt.Sprintf("v%d", n), func(g *gen) *Engine { return buildVacancyEngine(g, n) })
}

func buildVacancyEngine(g *gen, n int) *Engine {
	e := g.engine(runtime.GOMAXPROCS(0))
	ps := make([]*Profile, 20000)
	for i := range ps {
		ps[i] = g.Profile(i)
	}
	e.UpsertProfiles(ps)
	vs := make([]*Vacancy, n)
	for i := range vs {
		vs[i] = g.Vacancy(i)
	}
	e.UpsertVacancies(vs)
	return e
}

func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / 1e6 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}

var profileSizes = []int{10_000, 100_000, 1_000_000}

func BenchmarkMatchVacancy(b *testing.B) {
	for _, n := range profileSizes {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && testing.Short() {
				b.Skip("1M profiles: not under -short")
			}
			e, g := profileEngine(b, n)
			e.workers = runtime.GOMAXPROCS(0)
			vs := make([]*Vacancy, 256)
			for i := range vs {
				vs[i] = g.Vacancy(1_000_000 + i)
				vs[i].Status, vs[i].OpenHiring = StatusOpen, false
				vs[i].ClosesAt = ""
			}
			ctx := context.Background()
			q := Query{Limit: 20}
			lat := make([]time.Duration, 0, b.N)
			scored := 0
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				t0 := time.Now()
				res, err := e.MatchVacancy(ctx, vs[i%len(vs)], q)
				lat = append(lat, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
				scored += res.Scored
			}
			b.StopTimer()
			reportLatency(b, lat)
			b.ReportMetric(float64(scored)/float64(len(lat)), "scored/op")
			b.ReportMetric(benchBytes[fmt.Sprintf("p%d", n)], "B/profile")
		})
	}
}

func BenchmarkMatchProfile(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 500_000} {
		b.Run(fmt.Sprintf("vacancies=%d", n), func(b *testing.B) {
			if n >= 500_000 && testing.Short() {
				b.Skip("500k vacancies: not under -short")
			}
			e, _ := vacancyEngine(b, n)
			ids := make([]string, 256)
			for i := range ids {
				ids[i] = fmt.Sprintf("p%07d", i*7)
			}
			ctx := context.Background()
			q := Query{Limit: 20}
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				t0 := time.Now()
				_, err := e.MatchProfileID(ctx, ids[i%len(ids)], q)
				lat = append(lat, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			reportLatency(b, lat)
		})
	}
}

// BenchmarkUpsertProfile measures one-by-one upserts (delta appends, with
// the compactions that fall due) and reports the slowest one: writers
// wait only for a compaction's final catch-up step, never for the build.
func BenchmarkUpsertProfile(b *testing.B) {
	for _, n := range profileSizes {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && testing.Short() {
				b.Skip("1M profiles: not under -short")
			}
			e, g := profileEngine(b, n)
			ps := make([]*Profile, 4096)
			for i := range ps {
				ps[i] = g.Profile(i * 3)
			}
			lat := make([]time.Duration, 0, 1<<16)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				t0 := time.Now()
				e.UpsertProfile(ps[i%len(ps)])
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*999/1000])/1e6, "p99.9-ms")
			b.ReportMetric(float64(lat[len(lat)-1])/1e6, "max-ms")
		})
	}
}

// BenchmarkCompact measures a full rebuild of the profile base; writers
// wait only for its final catch-up step (see BenchmarkCompactWriterStall).
func BenchmarkCompact(b *testing.B) {
	for _, n := range profileSizes {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && testing.Short() {
				b.Skip("1M profiles: not under -short")
			}
			e, _ := profileEngine(b, n)
			b.ReportAllocs()
			for b.Loop() {
				e.prof.compactNow()
			}
		})
	}
}

// BenchmarkLoad loads n profiles into an empty engine in one call or in
// batches of 10,000 (as the server reads them from the store).
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		if n >= 1_000_000 && testing.Short() {
			continue
		}
		g := newGen(1)
		ps := make([]*Profile, n)
		for i := range ps {
			ps[i] = g.Profile(i)
		}
		for _, batch := range []int{n, 10_000} {
			b.Run(fmt.Sprintf("profiles=%d/batch=%d", n, batch), func(b *testing.B) {
				for b.Loop() {
					e := g.engine(runtime.GOMAXPROCS(0))
					for i := 0; i < n; i += batch {
						e.UpsertProfiles(ps[i:min(i+batch, n)])
					}
					e.prof.compactWG.Wait()
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "profiles/s")
			})
		}
	}
}

// BenchmarkMatchVacancyWithDelta queries a 1M-profile core whose delta
// holds 30,000 recent upserts (just under the point where compaction starts).
func BenchmarkMatchVacancyWithDelta(b *testing.B) {
	if testing.Short() {
		b.Skip("1M profiles: not under -short")
	}
	e, g := profileEngine(b, 1_000_000)
	benchMu.Lock()
	if s := e.prof.snap(); s.deltaN < 30000 {
		ps := make([]*Profile, 30000)
		for i := range ps {
			ps[i] = g.Profile(i * 31)
		}
		e.UpsertProfiles(ps)
	}
	benchMu.Unlock()
	if s := e.prof.snap(); s.deltaN < 30000 {
		b.Fatalf("delta holds %d rows", s.deltaN)
	}
	vs := make([]*Vacancy, 256)
	for i := range vs {
		vs[i] = g.Vacancy(1_000_000 + i)
		vs[i].Status, vs[i].OpenHiring, vs[i].ClosesAt = StatusOpen, false, ""
	}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := e.MatchVacancy(ctx, vs[i%len(vs)], Query{Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
}
