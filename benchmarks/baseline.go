package main

import (
	"context"
	"fmt"
	"math"
	"runtime"

	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/matcher"
)

// baseline answers the query vacancies under GOMAXPROCS=1 with the core
// (MatchVacancy), then, after a GC, with the Bleve baseline
// (HardFilterProfiles, then RankProfiles over the hits), each pass with a
// warm-up query first, and compares the top-20 of both per query. The
// passes are separate so that neither pays for the other's garbage.
func baseline(ctx context.Context, ix *index.Index, eng *matcher.Engine, vs []*matcher.Vacancy, q matcher.Query, maxR float64) (BaselineStats, error) {
	var st BaselineStats
	coreRes := make([]*matcher.MatchResult, len(vs))
	baseRes := make([]*matcher.MatchResult, len(vs))
	hits := make([]int, len(vs))
	coreDs, coreWall, err := parallel(1, len(vs), func(i int) error {
		r, err := eng.MatchVacancy(ctx, vs[i], q)
		coreRes[i] = r
		return err
	})
	if err != nil {
		return st, err
	}
	runtime.GC()
	baseDs, baseWall, err := parallel(1, len(vs), func(i int) error {
		ids, err := ix.HardFilterProfiles(ctx, vs[i], maxR)
		if err != nil {
			return err
		}
		hits[i] = len(ids)
		r, err := eng.RankProfiles(ctx, vs[i], ids, q)
		baseRes[i] = r
		return err
	})
	if err != nil {
		return st, err
	}
	for i, v := range vs {
		st.Compared++
		if diff := sameTop(coreRes[i], baseRes[i]); diff == "" {
			st.Identical++
		} else if st.FirstMismatch == "" {
			st.FirstMismatch = fmt.Sprintf("vacancy %s: %s", v.ID, diff)
		}
	}
	st.Core = summarise(coreDs, coreWall)
	st.Baseline = summarise(baseDs, baseWall)
	st.SpeedupP50 = ratio(st.Baseline.P50Ms, st.Core.P50Ms)
	st.SpeedupP99 = ratio(st.Baseline.P99Ms, st.Core.P99Ms)
	var sum int
	for _, h := range hits {
		sum += h
	}
	st.MeanHits = float64(sum) / float64(max(1, len(vs)))
	return st, nil
}

// sameTop returns "" when both results hold the same profiles in the same
// order with the same scores, else a description of the first difference.
func sameTop(a, b *matcher.MatchResult) string {
	if len(a.Results) != len(b.Results) {
		return fmt.Sprintf("core %d results, baseline %d", len(a.Results), len(b.Results))
	}
	for i := range a.Results {
		x, y := a.Results[i], b.Results[i]
		if x.ProfileID != y.ProfileID || math.Abs(x.Score-y.Score) > 1e-9 {
			return fmt.Sprintf("rank %d: core %s %.6f, baseline %s %.6f", i+1, x.ProfileID, x.Score, y.ProfileID, y.Score)
		}
	}
	return ""
}
