package main

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/werkmatch/werkmatch/matcher"
)

// loadChunk is the number of documents generated, loaded and dropped at a
// time, so that the generator's output is not counted as core memory.
const loadChunk = 10000

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// loadCore builds an engine holding the corpus and measures the heap it
// holds.
func loadCore(src *source, loc matcher.Locator, np, nv int) (*matcher.Engine, Memory) {
	var mem Memory
	before := heapInUse()
	eng := matcher.NewEngine(matcher.EngineOptions{Locator: loc, Taxonomy: src.tax, Now: src.now})
	t0 := time.Now()
	for i := 0; i < np; i += loadChunk {
		ps := make([]*matcher.Profile, 0, loadChunk)
		for j := i; j < min(np, i+loadChunk); j++ {
			p := src.Profile(j)
			src.maxTravelKm = max(src.maxTravelKm, p.MaxTravelKm)
			ps = append(ps, p)
		}
		eng.UpsertProfiles(ps)
	}
	mem.ProfileLoadS = time.Since(t0).Seconds()
	// Measure the steady state, as serve holds it after its start-up load:
	// Compact waits for a background compaction, which holds the old and
	// the new base at once (about 100 MB at 1M profiles), and folds the
	// delta in. Without it the heap was sometimes read mid-compaction.
	eng.Compact()
	mid := heapInUse()
	t0 = time.Now()
	for i := 0; i < nv; i += loadChunk {
		vs := make([]*matcher.Vacancy, 0, loadChunk)
		for j := i; j < min(nv, i+loadChunk); j++ {
			vs = append(vs, src.Vacancy(j))
		}
		eng.UpsertVacancies(vs)
	}
	mem.VacancyLoadS = time.Since(t0).Seconds()
	eng.Compact()
	after := heapInUse()
	mem.BytesPerProfile = float64(int64(mid)-int64(before)) / float64(max(1, np))
	mem.ProfilesHeapMiB = float64(int64(mid)-int64(before)) / (1 << 20)
	mem.BytesPerVacancy = float64(int64(after)-int64(mid)) / float64(max(1, nv))
	runtime.KeepAlive(eng)
	return eng, mem
}

// queryVacancies picks n open vacancies spread evenly over the corpus
// (from each evenly spaced index, the first open one).
func queryVacancies(src *source, nv, n int) []*matcher.Vacancy {
	n = max(1, min(n, nv))
	out := make([]*matcher.Vacancy, 0, n)
	for i := range n {
		for j := i * (nv / n); j < nv; j++ {
			if v := src.Vacancy(j); v.Status == matcher.StatusOpen {
				out = append(out, v)
				break
			}
		}
	}
	return out
}

// queryProfiles picks n profiles spread evenly over the corpus.
func queryProfiles(src *source, np, n int) []*matcher.Profile {
	n = max(1, min(n, np))
	out := make([]*matcher.Profile, n)
	for i := range out {
		out[i] = src.Profile(i*(np/n) + 1)
	}
	return out
}

// withProcs runs f with GOMAXPROCS set to procs.
func withProcs(procs int, f func()) {
	old := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(old)
	f()
}

// parallel runs n calls of f(i) on procs goroutines under GOMAXPROCS=procs
// and returns each call's duration and the wall time. A warm-up pass of
// the first few calls runs first.
func parallel(procs, n int, f func(i int) error) ([]time.Duration, time.Duration, error) {
	ds := make([]time.Duration, n)
	var wall time.Duration
	var ferr error
	withProcs(procs, func() {
		for i := range min(n, 5) {
			if err := f(i); err != nil {
				ferr = err
				return
			}
		}
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			next int
		)
		start := time.Now()
		for range procs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					mu.Lock()
					i, stop := next, ferr != nil
					next++
					mu.Unlock()
					if i >= n || stop {
						return
					}
					t := time.Now()
					err := f(i)
					ds[i] = time.Since(t)
					if err != nil {
						mu.Lock()
						ferr = err
						mu.Unlock()
					}
				}
			}()
		}
		wg.Wait()
		wall = time.Since(start)
	})
	return ds, wall, ferr
}

// seriesV2P runs MatchVacancy for every query vacancy.
func seriesV2P(ctx context.Context, eng *matcher.Engine, vs []*matcher.Vacancy, q matcher.Query, procs int) ([]*matcher.MatchResult, []time.Duration, Latency, error) {
	res := make([]*matcher.MatchResult, len(vs))
	ds, wall, err := parallel(procs, len(vs), func(i int) error {
		r, err := eng.MatchVacancy(ctx, vs[i], q)
		res[i] = r
		return err
	})
	return res, ds, summarise(ds, wall), err
}

// Slow is one of the slowest queries of a series, for diagnosis.
type Slow struct {
	ID         string  `json:"id"`
	Ms         float64 `json:"ms"`
	OpenHiring bool    `json:"open_hiring"`
	Considered int     `json:"considered"`
	Scored     int     `json:"scored"`
}

// slowest returns the n slowest queries of a vacancy->profiles series.
func slowest(vs []*matcher.Vacancy, res []*matcher.MatchResult, ds []time.Duration, n int) []Slow {
	idx := make([]int, len(ds))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(ds[b], ds[a]) })
	var out []Slow
	for _, i := range idx[:min(n, len(idx))] {
		s := Slow{ID: vs[i].ID, Ms: ms(ds[i]), OpenHiring: vs[i].OpenHiring}
		if res[i] != nil {
			s.Considered, s.Scored = res[i].Considered, res[i].Scored
		}
		out = append(out, s)
	}
	return out
}

// seriesP2V runs MatchProfile for every query profile.
func seriesP2V(ctx context.Context, eng *matcher.Engine, ps []*matcher.Profile, q matcher.Query, procs int) (Latency, error) {
	ds, wall, err := parallel(procs, len(ps), func(i int) error {
		_, err := eng.MatchProfile(ctx, ps[i], q)
		return err
	})
	return summarise(ds, wall), err
}
