package matcher

import (
	"context"
	"encoding/json"
	"math"
	"testing"
)

// FuzzEngine feeds documents that were never validated (any JSON the
// decoder accepts) to an engine: upserts, matches both ways and deletes must
// not panic, and every score stays in [0,1].
func FuzzEngine(f *testing.F) {
	f.Add([]byte(`{"id":"p1","municipality":"0363","postcode4":1000,"max_travel_km":20,"hours_min":20,"hours_max":30,"perspectief":"werken","skills":["a","b"],"desired_occupations":["orderpicker"],"registered_at":"2025-01-01"}`),
		[]byte(`{"id":"v1","employer_id":"e","title":"t","branch":"Logistiek","postcode4":1000,"hours_min":20,"hours_max":30,"required_skills":["a","x"],"occupation":"inpakker"}`))
	f.Add([]byte(`{"id":"","postcode4":-5,"max_travel_km":-3,"hours_min":400,"hours_max":-1,"available_from":"2026-99-99","skills":["","\u0301"]}`),
		[]byte(`{"id":"v","postcode4":99999,"hours_min":-7,"open_hiring":true,"status":"weird","start_date":"x","driving_licences":["Q","B"]}`))
	f.Fuzz(func(t *testing.T, pj, vj []byte) {
		var p Profile
		var v Vacancy
		if json.Unmarshal(pj, &p) != nil || json.Unmarshal(vj, &v) != nil {
			return
		}
		e := newTestEngine(fakeTax{})
		q := Query{Limit: 5, Today: today}
		ctx := context.Background()
		for range 2 { // once in the delta, once compacted
			e.UpsertProfile(&p)
			e.UpsertProfiles([]*Profile{&p, baseProfile("p-base")})
			e.UpsertVacancy(&v)
			for _, res := range []*MatchResult{
				must(e.MatchVacancy(ctx, &v, q)), must(e.MatchVacancyID(ctx, v.ID, q)),
				must(e.MatchProfile(ctx, &p, q)), must(e.MatchProfileID(ctx, p.ID, q)),
				must(e.RankProfiles(ctx, &v, []string{p.ID, "p-base"}, q)),
			} {
				for _, m := range res.Results {
					if m.Score < 0 || m.Score > 1 || math.IsNaN(m.Score) {
						t.Fatalf("score %v", m.Score)
					}
				}
			}
			e.Compact()
		}
		e.DeleteProfile(p.ID)
		e.DeleteVacancy(v.ID)
	})
}

func must(res *MatchResult, err error) *MatchResult {
	if err != nil {
		return &MatchResult{}
	}
	return res
}
