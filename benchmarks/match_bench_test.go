package main

import (
	"context"
	"flag"
	"os"
	"sync"
	"testing"

	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/matcher"
)

// Go benchmarks of the hot paths, for benchstat:
//
//	go test ./benchmarks -run '^$' -bench . -cpu 1 -count 10 | tee new.txt
//	benchstat old.txt new.txt
//
// The corpus size is set with -bench.profiles / -bench.vacancies.
var (
	benchProfiles  = flag.Int("bench.profiles", 100000, "profiles in the benchmark corpus")
	benchVacancies = flag.Int("bench.vacancies", 50000, "vacancies in the benchmark corpus")
)

var (
	benchOnce sync.Once
	benchSrc  *source
	benchEng  *matcher.Engine
	benchQV   []*matcher.Vacancy
	benchQP   []*matcher.Profile

	benchIxOnce sync.Once
	benchIx     *index.Index
	benchIxErr  error
	benchIxDir  string
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if benchIx != nil {
		_ = benchIx.Close()
	}
	if benchIxDir != "" {
		_ = os.RemoveAll(benchIxDir)
	}
	os.Exit(code)
}

func benchCore(b *testing.B) {
	b.Helper()
	benchOnce.Do(func() {
		loc := geo.New()
		benchSrc = newSource(1, loc)
		benchEng, _ = loadCore(benchSrc, loc, *benchProfiles, *benchVacancies)
		benchQV = queryVacancies(benchSrc, *benchVacancies, 256)
		benchQP = queryProfiles(benchSrc, *benchProfiles, 256)
	})
}

func benchQuery() matcher.Query { return matcher.Query{Limit: 20, Today: benchSrc.today} }

// BenchmarkMatchVacancy: vacancy -> top-20 profiles with the core.
func BenchmarkMatchVacancy(b *testing.B) {
	benchCore(b)
	ctx, q := context.Background(), benchQuery()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := benchEng.MatchVacancy(ctx, benchQV[i%len(benchQV)], q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatchProfile: profile -> top-20 vacancies with the core.
func BenchmarkMatchProfile(b *testing.B) {
	benchCore(b)
	ctx, q := context.Background(), benchQuery()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := benchEng.MatchProfile(ctx, benchQP[i%len(benchQP)], q); err != nil {
			b.Fatal(err)
		}
	}
}

func benchIndex(b *testing.B) *index.Index {
	b.Helper()
	benchCore(b)
	benchIxOnce.Do(func() {
		dir, err := os.MkdirTemp("", "werkmatch-gobench-")
		if err != nil {
			benchIxErr = err
			return
		}
		benchIxDir = dir
		c := config{profiles: *benchProfiles, importWriters: 2, importChunk: 2000}
		benchIx, _, benchIxErr = bulkImport(context.Background(), dir, geo.New(), benchSrc, c)
	})
	if benchIxErr != nil {
		b.Fatal(benchIxErr)
	}
	return benchIx
}

// BenchmarkBaselineHardFilter: the Bleve hard-filter query alone.
func BenchmarkBaselineHardFilter(b *testing.B) {
	ix := benchIndex(b)
	ctx := context.Background()
	maxR := float64(benchSrc.maxTravelKm) + 1
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := ix.HardFilterProfiles(ctx, benchQV[i%len(benchQV)], maxR); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaseline: the whole Bleve baseline (hard-filter query, then
// RankProfiles over the hits).
func BenchmarkBaseline(b *testing.B) {
	ix := benchIndex(b)
	ctx, q := context.Background(), benchQuery()
	maxR := float64(benchSrc.maxTravelKm) + 1
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		v := benchQV[i%len(benchQV)]
		ids, err := ix.HardFilterProfiles(ctx, v, maxR)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := benchEng.RankProfiles(ctx, v, ids, q); err != nil {
			b.Fatal(err)
		}
	}
}
