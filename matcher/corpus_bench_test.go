package matcher_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/corpus"
	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/matcher"
	"github.com/werkmatch/werkmatch/taxonomy"
)

// Benchmarks on the project's synthetic corpus (package corpus, built-in
// taxonomy, PC4s and municipalities of the GeoNames file when present).
// Sizes of 1M profiles and 500k vacancies are skipped under -short.
//
//	go test ./matcher -run '^$' -bench Corpus -benchmem -cpu 1
//
// Reported: ns/op and allocs/op, p50/p99 latency in ms, candidates that
// passed the hard filters per query, and bytes held per profile (heap
// after GC before and after loading; the generated profiles are garbage
// by then).

type corpusSetup struct {
	gen    *corpus.Generator
	engine *matcher.Engine
	bytes  float64
	load   time.Duration
}

var (
	corpusMu     sync.Mutex
	corpusCached = map[string]*corpusSetup{}
	geoOnce      sync.Once
	geoTable     *geo.Table
	geoPC4       []int
)

func benchGeo() (*geo.Table, []int) {
	geoOnce.Do(func() {
		geoTable = geo.New()
		if err := geoTable.LoadGeoNamesFile("../../shared/data/pc4/NL.txt"); err == nil {
			for pc := 1000; pc <= 9999; pc++ {
				if geoTable.Municipality(pc) != "" {
					geoPC4 = append(geoPC4, pc)
				}
			}
		}
	})
	return geoTable, geoPC4
}

func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func corpusEngine(b *testing.B, profiles, vacancies int) *corpusSetup {
	b.Helper()
	key := fmt.Sprintf("%d/%d", profiles, vacancies)
	corpusMu.Lock()
	defer corpusMu.Unlock()
	if s, ok := corpusCached[key]; ok {
		return s
	}
	table, pcs := benchGeo()
	tax := taxonomy.Builtin()
	g := corpus.New(corpus.Options{Seed: 1, Taxonomy: tax, PC4: pcs, Municipality: table.Municipality})
	today := corpus.DefaultToday
	s := &corpusSetup{gen: g}
	before := heapAlloc()
	e := matcher.NewEngine(matcher.EngineOptions{Locator: table, Taxonomy: tax,
		Now: func() time.Time { return today }})
	ps := make([]*matcher.Profile, profiles)
	for i := range ps {
		ps[i] = g.Profile(i)
	}
	t0 := time.Now()
	e.UpsertProfiles(ps)
	s.load = time.Since(t0)
	ps = nil
	s.bytes = float64(heapAlloc()-before) / float64(profiles)
	vs := make([]*matcher.Vacancy, vacancies)
	for i := range vs {
		vs[i] = g.Vacancy(i)
	}
	e.UpsertVacancies(vs)
	s.engine = e
	corpusCached[key] = s
	return s
}

// latency reports wall-clock percentiles and, where measured, the same
// percentiles of the query thread's CPU time (which leave out waiting for
// a core on a shared machine).
func latency(b *testing.B, lat, cpu []time.Duration) {
	report := func(d []time.Duration, suffix string) {
		slices.Sort(d)
		if len(d) == 0 || d[len(d)-1] == 0 {
			return
		}
		at := func(q float64) float64 { return float64(d[int(q*float64(len(d)-1))]) / 1e6 }
		b.ReportMetric(at(0.5), "p50-"+suffix)
		b.ReportMetric(at(0.99), "p99-"+suffix)
	}
	report(lat, "ms")
	report(cpu, "cpu-ms")
}

// runQueries times query(i) for i = 0, 1, ... on a locked OS thread and
// reports latency percentiles and candidates scored per query.
func runQueries(b *testing.B, query func(i int) (*matcher.MatchResult, error)) {
	b.Helper()
	lat := make([]time.Duration, 0, 4096)
	cpu := make([]time.Duration, 0, 4096)
	scored := 0
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		t0, c0 := time.Now(), threadCPU()
		res, err := query(i)
		lat = append(lat, time.Since(t0))
		cpu = append(cpu, threadCPU()-c0)
		if err != nil {
			b.Fatal(err)
		}
		scored += res.Scored
	}
	latency(b, lat, cpu)
	b.ReportMetric(float64(scored)/float64(len(lat)), "scored/op")
}

func BenchmarkCorpusMatchVacancy(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			if n >= 1_000_000 && testing.Short() {
				b.Skip("1M profiles: not under -short")
			}
			s := corpusEngine(b, n, 1000)
			vs := make([]*matcher.Vacancy, 500)
			for i := range vs {
				vs[i] = s.gen.Vacancy(1_000_000 + i)
				vs[i].Status, vs[i].ClosesAt = matcher.StatusOpen, ""
			}
			ctx := context.Background()
			runQueries(b, func(i int) (*matcher.MatchResult, error) {
				return s.engine.MatchVacancy(ctx, vs[i%len(vs)], matcher.Query{Limit: 20})
			})
			b.ReportMetric(s.bytes, "B/profile")
			b.ReportMetric(s.load.Seconds(), "load-s")
		})
	}
}

func BenchmarkCorpusMatchProfile(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 500_000} {
		b.Run(fmt.Sprintf("vacancies=%d", n), func(b *testing.B) {
			if n >= 500_000 && testing.Short() {
				b.Skip("500k vacancies: not under -short")
			}
			s := corpusEngine(b, 20_000, n)
			ids := make([]string, 500)
			for i := range ids {
				ids[i] = fmt.Sprintf("p%07d", i*37)
			}
			ctx := context.Background()
			runQueries(b, func(i int) (*matcher.MatchResult, error) {
				return s.engine.MatchProfileID(ctx, ids[i%len(ids)], matcher.Query{Limit: 20})
			})
		})
	}
}
