package main

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/matcher"
)

// baseline answers each query vacancy twice under GOMAXPROCS=1, with the
// core (MatchVacancy) and with the Bleve baseline (HardFilterProfiles, then
// RankProfiles over the hits), alternating per query so that both see the
// same machine state, and compares the top-20 of both.
func baseline(ctx context.Context, ix *index.Index, eng *matcher.Engine, vs []*matcher.Vacancy, q matcher.Query, maxR float64) (BaselineStats, error) {
	var st BaselineStats
	core := make([]time.Duration, 0, len(vs))
	base := make([]time.Duration, 0, len(vs))
	var hits int
	var coreWall, baseWall time.Duration
	var err error
	withProcs(1, func() {
		for i, v := range vs {
			t := time.Now()
			cr, e := eng.MatchVacancy(ctx, v, q)
			d := time.Since(t)
			if e != nil {
				err = e
				return
			}
			t = time.Now()
			ids, e := ix.HardFilterProfiles(ctx, v, maxR)
			if e != nil {
				err = e
				return
			}
			br, e := eng.RankProfiles(ctx, v, ids, q)
			bd := time.Since(t)
			if e != nil {
				err = e
				return
			}
			if i == 0 {
				continue // warm-up
			}
			core, base = append(core, d), append(base, bd)
			coreWall += d
			baseWall += bd
			hits += len(ids)
			st.Compared++
			if diff := sameTop(cr, br); diff == "" {
				st.Identical++
			} else if st.FirstMismatch == "" {
				st.FirstMismatch = fmt.Sprintf("vacancy %s: %s", v.ID, diff)
			}
		}
	})
	if err != nil {
		return st, err
	}
	st.Core = summarise(core, coreWall)
	st.Baseline = summarise(base, baseWall)
	st.SpeedupP50 = ratio(st.Baseline.P50Ms, st.Core.P50Ms)
	st.SpeedupP99 = ratio(st.Baseline.P99Ms, st.Core.P99Ms)
	st.MeanHits = float64(hits) / float64(max(1, st.Compared))
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
