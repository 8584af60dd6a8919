package matcher

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// TestGoldenRanking ranks a fixed small corpus (400 profiles, 80
// vacancies (12 ranked) in a few regions, coarse centroids, the generated taxonomy)
// both ways and compares
// the full output with testdata/ranking.golden. Run with -update after an
// intended change of the score and review the diff.
func TestGoldenRanking(t *testing.T) {
	g := newCoarseGen(3, 6)
	e := g.engine(1)
	var ps []*Profile
	for i := range 400 {
		ps = append(ps, g.Profile(i))
	}
	e.UpsertProfiles(ps[:300])
	for _, p := range ps[300:] { // through the delta
		e.UpsertProfile(p)
	}
	e.Compact() // idf from all 400
	var vs []*Vacancy
	for i := range 80 {
		v := g.Vacancy(i)
		if i == 5 {
			v.OpenHiring = true
		}
		vs = append(vs, v)
	}
	e.UpsertVacancies(vs)
	ctx := context.Background()
	var b strings.Builder
	for _, v := range vs[:12] {
		res, err := e.MatchVacancyID(ctx, v.ID, Query{Limit: 15})
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, res)
		small, _ := e.MatchVacancyID(ctx, v.ID, Query{Limit: 3}) // pruning keeps the prefix
		for i := range small.Results {
			if small.Results[i].ProfileID != res.Results[i].ProfileID || small.Results[i].Score != res.Results[i].Score {
				t.Fatalf("%s: top-3 is not the prefix of top-15", v.ID)
			}
		}
		fmt.Fprintf(&b, "vacancy %s open_hiring=%v status=%s considered=%d scored=%d\n", v.ID, res.OpenHiring, v.Status, res.Considered, res.Scored)
		for i, m := range res.Results {
			writeMatch(&b, i, m.ProfileID, m)
		}
	}
	for _, id := range []string{"p0000001", "p0000002", "p0000007", "p0000350"} {
		res, err := e.MatchProfileID(ctx, id, Query{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, res)
		fmt.Fprintf(&b, "profile %s considered=%d scored=%d\n", id, res.Considered, res.Scored)
		for i, m := range res.Results {
			writeMatch(&b, i, m.VacancyID, m)
		}
	}
	got := b.String()
	path := filepath.Join("testdata", "ranking.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("ranking differs from %s at line %d:\n got %s\nwant %s", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("ranking differs from %s in length: %d vs %d lines", path, len(gl), len(wl))
	}
	// the same corpus loaded in one bulk step ranks the same
	e = g.engine(1)
	e.UpsertProfiles(ps)
	e.UpsertVacancies(vs)
	e.Compact()
	for _, v := range vs[:12] {
		res, _ := e.MatchVacancyID(ctx, v.ID, Query{Limit: 15})
		var c strings.Builder
		fmt.Fprintf(&c, "vacancy %s open_hiring=%v status=%s considered=%d scored=%d\n", v.ID, res.OpenHiring, v.Status, res.Considered, res.Scored)
		for i, m := range res.Results {
			writeMatch(&c, i, m.ProfileID, m)
		}
		if !strings.Contains(got, c.String()) {
			t.Fatalf("bulk loading changed the ranking of %s:\n%s", v.ID, c.String())
		}
	}
}

func writeMatch(b *strings.Builder, i int, id string, m Match) {
	ex := m.Explanation
	c := ex.Components
	fmt.Fprintf(b, "  %2d %s %.6f sk=%.3f oc=%.3f br=%.2f hr=%.2f di=%.3f la=%.2f ed=%.2f km=%.1f h=%d occ=%s match=%s miss=%s part=%s pref=%s",
		i+1, id, m.Score, c.Skills, c.Occupation, c.Branch, c.Hours, c.Distance, c.Language, c.Education,
		ex.DistanceKm, ex.HoursOverlap, ex.Occupation, strings.Join(ex.MatchedSkills, ","),
		strings.Join(ex.MissingSkills, ","), strings.Join(ex.PartialSkills, ","), strings.Join(ex.MatchedPreferred, ","))
	if oh := ex.OpenHiring; oh != nil {
		fmt.Fprintf(b, " open_hiring(opted_in=%v registered=%s)", oh.OptedIn, oh.RegisteredAt)
	}
	b.WriteByte('\n')
}
