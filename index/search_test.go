package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/matcher"
)

// Coarse centroids (geo.New): 35xx Utrecht, 37xx Zeist, 38xx Amersfoort,
// 10xx Amsterdam, 30xx Rotterdam, 97xx Groningen.
func testProfiles() []*matcher.Profile {
	return []*matcher.Profile{
		{ID: "p01", Municipality: "0344", Postcode4: 3511, MaxTravelKm: 15, Branches: []string{"Facilitair"}, HoursMin: 12, HoursMax: 20, EducationLevel: "vmbo", Perspectief: "werken", DrivingLicences: []string{"B"}, OpenToOpenHiring: true, Summary: "Ervaren schoonmaker in kantoren en scholen"},
		{ID: "p02", Municipality: "0344", Postcode4: 3521, MaxTravelKm: 10, Branches: []string{"Facilitair", "Zorg"}, HoursMin: 8, HoursMax: 16, EducationLevel: "mbo1", Perspectief: "werken_aan", Summary: "Schoonmaakster in een verpleeghuis, zoekt werk in de zorg", Banenafspraak: true},
		{ID: "p03", Municipality: "0363", Postcode4: 1012, MaxTravelKm: 25, Branches: []string{"Logistiek"}, HoursMin: 32, HoursMax: 40, EducationLevel: "mbo2", Perspectief: "werken", DrivingLicences: []string{"B", "C"}, Summary: "Vorkheftruckbestuurder met certificaat", DesiredOccupations: []string{"magazijnmedewerker"}},
		{ID: "p04", Municipality: "0599", Postcode4: 3011, MaxTravelKm: 30, Branches: []string{"Logistiek", "Transport"}, HoursMin: 24, HoursMax: 40, EducationLevel: "mbo2", Perspectief: "werken", DrivingLicences: []string{"B", "C", "CE"}, Summary: "Chauffeur vrachtwagen, nachtritten geen probleem", Skills: []string{"laden en lossen"}},
		{ID: "p05", Municipality: "0014", Postcode4: 9711, MaxTravelKm: 20, Branches: []string{"Horeca"}, HoursMin: 16, HoursMax: 24, EducationLevel: "mbo3", Perspectief: "werken", Summary: "Kok in een restaurant, ook bediening", OpenToOpenHiring: true},
		{ID: "p06", Municipality: "0344", Postcode4: 3531, MaxTravelKm: 5, Branches: []string{"Bouw"}, HoursMin: 36, HoursMax: 40, EducationLevel: "mbo3", Perspectief: "werken", DrivingLicences: []string{"B"}, Summary: "Timmerman en metselaar"},
		{ID: "p07", Municipality: "0307", Postcode4: 3811, MaxTravelKm: 20, Branches: []string{"Groen"}, HoursMin: 20, HoursMax: 32, EducationLevel: "vmbo", Perspectief: "meedoen", Summary: "Hovenier, werkt graag buiten"},
		{ID: "p08", Municipality: "0355", Postcode4: 3701, MaxTravelKm: 15, Branches: []string{"Detailhandel"}, HoursMin: 12, HoursMax: 24, EducationLevel: "havo", Perspectief: "werken_aan", Summary: "Verkoopster in een supermarkt, vakkenvullen", Banenafspraak: true, OpenToOpenHiring: true},
		{ID: "p09", Municipality: "0363", Postcode4: 1071, MaxTravelKm: 10, Branches: []string{"ICT"}, HoursMin: 32, HoursMax: 36, EducationLevel: "hbo", Perspectief: "werken", Summary: "Magazijnmedewerker die wil omscholen naar ICT beheer", DesiredOccupations: []string{"systeembeheerder"}},
		{ID: "p10", Municipality: "0344", Postcode4: 3581, MaxTravelKm: 12, Branches: []string{"Zorg"}, HoursMin: 20, HoursMax: 28, EducationLevel: "mbo3", Perspectief: "werken", Summary: "Helpende in de thuiszorg", DrivingLicences: []string{"B"}},
	}
}

func testVacancies() []*matcher.Vacancy {
	return []*matcher.Vacancy{
		{ID: "v01", EmployerID: "e1", Title: "Schoonmaker kantoren", Description: "Schoonmaken van kantoren in de avond", Branch: "Facilitair", Postcode4: 3511, HoursMin: 12, HoursMax: 20, Status: "open", OpenHiring: true, Positions: 3, EducationLevelMin: "none"},
		{ID: "v02", EmployerID: "e1", Title: "Heftruckchauffeur", Description: "Laden en lossen in een distributiecentrum", Branch: "Logistiek", Postcode4: 3011, HoursMin: 32, HoursMax: 40, Status: "open", DrivingLicences: []string{"B"}, Positions: 1, EducationLevelMin: "mbo2"},
		{ID: "v03", EmployerID: "e2", Title: "Kok", Description: "Koken voor 80 gasten", Branch: "Horeca", Postcode4: 9711, HoursMin: 24, HoursMax: 32, Status: "closed", Positions: 1, EducationLevelMin: "mbo3"},
		{ID: "v04", EmployerID: "e2", Title: "Verzorgende IG", Description: "Zorg voor ouderen in een verpleeghuis", Branch: "Zorg", Postcode4: 3581, HoursMin: 16, HoursMax: 28, Status: "open", BanenafspraakSuitable: true, Positions: 2, EducationLevelMin: "mbo3"},
		{ID: "v05", EmployerID: "e3", Title: "Vakkenvuller", Description: "Vakken vullen in de supermarkt", Branch: "Detailhandel", Postcode4: 3701, HoursMin: 8, HoursMax: 16, Status: "open", OpenHiring: true, BanenafspraakSuitable: true, Positions: 4, EducationLevelMin: "none"},
		{ID: "v06", EmployerID: "e3", Title: "Vrachtwagenchauffeur CE", Description: "Internationaal transport", Branch: "Transport", Postcode4: 1012, HoursMin: 40, HoursMax: 40, Status: "filled", DrivingLicences: []string{"C", "CE"}, Positions: 1, EducationLevelMin: "mbo2"},
	}
}

var testSynonyms = [][]string{{"heftruckchauffeur", "vorkheftruckbestuurder", "heftruckbestuurder"}, {"kok", "chef-kok"}}

func openTest(t *testing.T, opts Options) *Index {
	t.Helper()
	if opts.Locator == nil {
		opts.Locator = geo.New()
	}
	ix, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix
}

func openCorpus(t *testing.T) *Index {
	t.Helper()
	ix := openTest(t, Options{Synonyms: testSynonyms})
	ctx := context.Background()
	if err := ix.PutProfiles(ctx, testProfiles()); err != nil {
		t.Fatal(err)
	}
	if err := ix.PutVacancies(ctx, testVacancies()); err != nil {
		t.Fatal(err)
	}
	return ix
}

func hitIDs(r *matcher.SearchResult) []string {
	ids := make([]string, 0, len(r.Hits))
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestSearchProfilesText(t *testing.T) {
	ix := openCorpus(t)
	tests := []struct {
		name, q string
		want    []string // every id that must be found
		not     []string // ids that must not be found
	}{
		{"stemming verb finds agent nouns", "schoonmaken", []string{"p01", "p02"}, []string{"p06", "p10"}},
		{"stemming agent noun finds agent nouns", "schoonmaker", []string{"p01", "p02"}, []string{"p06"}},
		{"plural", "kantoor", []string{"p01"}, []string{"p02"}},
		{"synonym", "heftruckchauffeur", []string{"p03"}, []string{"p04"}},
		{"synonym other direction", "heftruckbestuurder", []string{"p03"}, nil},
		{"fuzzy typo", "magazinmedewerker", []string{"p03", "p09"}, []string{"p01"}},
		{"fuzzy typo 2", "timerman", []string{"p06"}, []string{"p01"}},
		{"every term must match", "schoonmaker verpleeghuis", []string{"p02"}, []string{"p01"}},
		{"no match", "astronaut", nil, []string{"p01", "p02", "p03"}},
		{"skill label", "lossen", []string{"p04"}, []string{"p03"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ix.SearchProfiles(context.Background(), matcher.SearchRequest{Q: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(r)
			for _, id := range tt.want {
				if !slices.Contains(got, id) {
					t.Errorf("q=%q: %s not found in %v", tt.q, id, got)
				}
			}
			for _, id := range tt.not {
				if slices.Contains(got, id) {
					t.Errorf("q=%q: %s found in %v", tt.q, id, got)
				}
			}
			if int(r.Total) != len(got) {
				t.Errorf("total %d, hits %d", r.Total, len(got))
			}
			for _, h := range r.Hits {
				if h.Profile == nil || h.Profile.ID != h.ID {
					t.Errorf("hit %s carries no decoded profile", h.ID)
				}
				if h.Score <= 0 || math.Abs(h.Score*1e6-math.Round(h.Score*1e6)) > 1e-6 {
					t.Errorf("hit %s: relevance %v is not positive with six decimals", h.ID, h.Score)
				}
			}
		})
	}
}

func TestSearchVacanciesText(t *testing.T) {
	ix := openCorpus(t)
	tests := []struct {
		name, q string
		want    []string
		not     []string
	}{
		{"title stemming", "schoonmaak", []string{"v01"}, []string{"v02"}},
		{"description", "verpleeghuis", []string{"v04"}, []string{"v01"}},
		{"synonym on title", "vorkheftruckbestuurder", []string{"v02"}, []string{"v06"}},
		{"synonym with hyphen", "chef-kok", []string{"v03"}, nil},
		{"fuzzy", "vakkenvuler", []string{"v05"}, []string{"v01"}},
		// stop words ask nothing (they matched nothing, and so did the search)
		{"stop word before a title", "een kok", []string{"v03"}, []string{"v05"}},
		{"stop words around words", "vakken in de supermarkt", []string{"v05"}, []string{"v03"}},
		// no typo allowed on a short stem: bakker (bak) is not vakken (vak)
		{"short stem not fuzzy", "bakker", nil, []string{"v05"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ix.SearchVacancies(context.Background(), matcher.SearchRequest{Q: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(r)
			for _, id := range tt.want {
				if !slices.Contains(got, id) {
					t.Errorf("q=%q: %s not found in %v", tt.q, id, got)
				}
			}
			for _, id := range tt.not {
				if slices.Contains(got, id) {
					t.Errorf("q=%q: %s found in %v", tt.q, id, got)
				}
			}
			for _, h := range r.Hits {
				if h.Vacancy == nil || h.Vacancy.ID != h.ID {
					t.Errorf("hit %s carries no decoded vacancy", h.ID)
				}
			}
		})
	}
}

func overlaps(aMin, aMax, bMin, bMax int) bool {
	if bMax > 0 && aMin > bMax {
		return false
	}
	return bMin <= 0 || aMax >= bMin
}

func distKm(loc matcher.Locator, a, b int) float64 {
	alat, alon, _ := loc.Centroid(a)
	blat, blon, _ := loc.Centroid(b)
	return geo.DistanceKm(geo.Point{Lat: alat, Lon: alon}, geo.Point{Lat: blat, Lon: blon})
}

func hasAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// TestSearchProfilesFilters checks each filter against a plain Go
// predicate over the same corpus.
func TestSearchProfilesFilters(t *testing.T) {
	ix := openCorpus(t)
	loc := geo.New()
	yes, no := true, false
	tests := []struct {
		name string
		req  matcher.SearchRequest
		keep func(p *matcher.Profile) bool
	}{
		{"branch", matcher.SearchRequest{Branches: []string{"Logistiek"}}, func(p *matcher.Profile) bool { return slices.Contains(p.Branches, "Logistiek") }},
		{"branches any", matcher.SearchRequest{Branches: []string{"Zorg", "Horeca"}}, func(p *matcher.Profile) bool {
			return slices.Contains(p.Branches, "Zorg") || slices.Contains(p.Branches, "Horeca")
		}},
		{"municipality", matcher.SearchRequest{Municipalities: []string{"0344"}}, func(p *matcher.Profile) bool { return p.Municipality == "0344" }},
		{"perspectief", matcher.SearchRequest{Perspectief: []string{"werken", "werken_aan"}}, func(p *matcher.Profile) bool { return p.Perspectief != "meedoen" }},
		{"licences all", matcher.SearchRequest{Licences: []string{"B", "C"}}, func(p *matcher.Profile) bool { return hasAll(p.DrivingLicences, []string{"B", "C"}) }},
		{"hours overlap", matcher.SearchRequest{HoursMin: 30, HoursMax: 34}, func(p *matcher.Profile) bool { return overlaps(p.HoursMin, p.HoursMax, 30, 34) }},
		{"hours min only", matcher.SearchRequest{HoursMin: 30}, func(p *matcher.Profile) bool { return p.HoursMax >= 30 }},
		{"hours max only", matcher.SearchRequest{HoursMax: 12}, func(p *matcher.Profile) bool { return p.HoursMin <= 12 }},
		{"open hiring", matcher.SearchRequest{OpenHiring: &yes}, func(p *matcher.Profile) bool { return p.OpenToOpenHiring }},
		{"not open hiring", matcher.SearchRequest{OpenHiring: &no}, func(p *matcher.Profile) bool { return !p.OpenToOpenHiring }},
		{"banenafspraak", matcher.SearchRequest{Banenafspraak: &yes}, func(p *matcher.Profile) bool { return p.Banenafspraak }},
		{"geo 10 km from Utrecht", matcher.SearchRequest{NearPC4: 3511, RadiusKm: 10}, func(p *matcher.Profile) bool { return distKm(loc, 3511, p.Postcode4) <= 10 }},
		{"geo 30 km from Utrecht", matcher.SearchRequest{NearPC4: 3511, RadiusKm: 30}, func(p *matcher.Profile) bool { return distKm(loc, 3511, p.Postcode4) <= 30 }},
		{"geo default radius", matcher.SearchRequest{NearPC4: 3011}, func(p *matcher.Profile) bool { return distKm(loc, 3011, p.Postcode4) <= DefaultRadiusKm }},
		{"text and filter", matcher.SearchRequest{Q: "schoonmaker", Banenafspraak: &yes}, func(p *matcher.Profile) bool { return p.ID == "p02" }},
		{"combined", matcher.SearchRequest{Branches: []string{"Logistiek", "Transport", "Bouw"}, Licences: []string{"B"}, HoursMin: 38, NearPC4: 3511, RadiusKm: 60},
			func(p *matcher.Profile) bool {
				return (slices.Contains(p.Branches, "Logistiek") || slices.Contains(p.Branches, "Transport") || slices.Contains(p.Branches, "Bouw")) &&
					slices.Contains(p.DrivingLicences, "B") && p.HoursMax >= 38 && distKm(loc, 3511, p.Postcode4) <= 60
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []string
			for _, p := range testProfiles() {
				if tt.keep(p) {
					want = append(want, p.ID)
				}
			}
			if len(want) == 0 || len(want) == len(testProfiles()) {
				t.Fatalf("case selects %d of %d profiles: it cannot tell a working filter from a broken one", len(want), len(testProfiles()))
			}
			req := tt.req
			req.Size = MaxSize
			r, err := ix.SearchProfiles(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(r)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

func TestSearchVacanciesFilters(t *testing.T) {
	ix := openCorpus(t)
	loc := geo.New()
	yes := true
	tests := []struct {
		name string
		req  matcher.SearchRequest
		keep func(v *matcher.Vacancy) bool
	}{
		{"employer", matcher.SearchRequest{EmployerID: "e1"}, func(v *matcher.Vacancy) bool { return v.EmployerID == "e1" }},
		{"status", matcher.SearchRequest{Status: []string{"open"}}, func(v *matcher.Vacancy) bool { return v.Status == "open" }},
		{"branch", matcher.SearchRequest{Branches: []string{"Zorg"}}, func(v *matcher.Vacancy) bool { return v.Branch == "Zorg" }},
		{"licence", matcher.SearchRequest{Licences: []string{"CE"}}, func(v *matcher.Vacancy) bool { return slices.Contains(v.DrivingLicences, "CE") }},
		{"hours", matcher.SearchRequest{HoursMin: 8, HoursMax: 14}, func(v *matcher.Vacancy) bool { return overlaps(v.HoursMin, v.HoursMax, 8, 14) }},
		{"open hiring", matcher.SearchRequest{OpenHiring: &yes}, func(v *matcher.Vacancy) bool { return v.OpenHiring }},
		{"banenafspraak suitable", matcher.SearchRequest{Banenafspraak: &yes}, func(v *matcher.Vacancy) bool { return v.BanenafspraakSuitable }},
		{"geo", matcher.SearchRequest{NearPC4: 3811, RadiusKm: 25}, func(v *matcher.Vacancy) bool { return distKm(loc, 3811, v.Postcode4) <= 25 }},
		{"employer and status", matcher.SearchRequest{EmployerID: "e3", Status: []string{"open", "closed"}}, func(v *matcher.Vacancy) bool { return v.EmployerID == "e3" && v.Status != "filled" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []string
			for _, v := range testVacancies() {
				if tt.keep(v) {
					want = append(want, v.ID)
				}
			}
			if len(want) == 0 || len(want) == len(testVacancies()) {
				t.Fatalf("case selects %d of %d vacancies", len(want), len(testVacancies()))
			}
			r, err := ix.SearchVacancies(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(r)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

// TestSearchFacets compares facet counts with counts over the matched
// documents.
func TestSearchFacets(t *testing.T) {
	ix := openCorpus(t)
	reqs := []matcher.SearchRequest{
		{},
		{Perspectief: []string{"werken"}},
		{NearPC4: 3511, RadiusKm: 30},
	}
	for i, req := range reqs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			req.Size = MaxSize
			r, err := ix.SearchProfiles(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			byID := map[string]*matcher.Profile{}
			for _, p := range testProfiles() {
				byID[p.ID] = p
			}
			want := map[string]map[string]int{FacetBranch: {}, FacetEducation: {}, FacetHours: {}}
			for _, h := range r.Hits {
				p := byID[h.ID]
				for _, b := range p.Branches {
					want[FacetBranch][b]++
				}
				if p.EducationLevel != "" { // no level: no bucket
					want[FacetEducation][p.EducationLevel]++
				}
				for _, b := range hoursBuckets {
					if p.HoursMax >= b.min && (b.max == 0 || p.HoursMax < b.max) {
						want[FacetHours][b.name]++
					}
				}
			}
			for name, counts := range want {
				if fmt.Sprint(r.Facets[name]) != fmt.Sprint(counts) {
					t.Errorf("facet %s: got %v, want %v", name, r.Facets[name], counts)
				}
			}
		})
	}
}

func TestSearchPaging(t *testing.T) {
	ix := openTest(t, Options{})
	const n = 130
	var ps []*matcher.Profile
	for i := range n {
		ps = append(ps, &matcher.Profile{ID: fmt.Sprintf("id%03d", i), Postcode4: 3511, HoursMin: 8, HoursMax: 16, Summary: "vakkenvuller"})
	}
	if err := ix.PutProfiles(context.Background(), ps); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"", "vakkenvuller"} {
		var all []string
		for from := 0; ; from += 7 {
			r, err := ix.SearchProfiles(context.Background(), matcher.SearchRequest{Q: q, From: from, Size: 7})
			if err != nil {
				t.Fatal(err)
			}
			if r.Total != n {
				t.Fatalf("q=%q total %d, want %d", q, r.Total, n)
			}
			if len(r.Hits) == 0 {
				break
			}
			all = append(all, hitIDs(r)...)
		}
		want := make([]string, 0, n)
		for _, p := range ps {
			want = append(want, p.ID)
		}
		if !slices.Equal(all, want) { // equal scores: pages ordered by id, no gaps, no repeats
			t.Errorf("q=%q: paging gave %d ids, want %d in id order", q, len(all), n)
		}
	}
	r, err := ix.SearchProfiles(context.Background(), matcher.SearchRequest{Size: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != MaxSize {
		t.Errorf("Size 1000 gave %d hits, want the cap %d", len(r.Hits), MaxSize)
	}
	r, err = ix.SearchProfiles(context.Background(), matcher.SearchRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != DefaultSize {
		t.Errorf("Size 0 gave %d hits, want %d", len(r.Hits), DefaultSize)
	}
}

func TestSearchInvalid(t *testing.T) {
	ix := openCorpus(t)
	tests := []matcher.SearchRequest{
		{NearPC4: 42, RadiusKm: 10},
		{RadiusKm: 10},
		{NearPC4: 3511, RadiusKm: -1},
		{HoursMin: 30, HoursMax: 20},
		{From: -1},
		{From: MaxWindow},
	}
	for _, req := range tests {
		if _, err := ix.SearchProfiles(context.Background(), req); !errors.Is(err, matcher.ErrInvalid) {
			t.Errorf("%+v: err %v, want ErrInvalid", req, err)
		}
	}
}

// TestFacetKeepsEveryLevel: profiles without an education level index the
// empty term; it took one of the ten places of the education facet and
// pushed a real level out.
func TestFacetKeepsEveryLevel(t *testing.T) {
	ix := openTest(t, Options{})
	var ps []*matcher.Profile
	for i, l := range matcher.EducationLevels {
		ps = append(ps, &matcher.Profile{ID: fmt.Sprintf("e%d", i), EducationLevel: l, Summary: "zzfacet"})
	}
	for i := range 3 {
		ps = append(ps, &matcher.Profile{ID: fmt.Sprintf("n%d", i), Summary: "zzfacet"})
	}
	ctx := context.Background()
	if err := ix.PutProfiles(ctx, ps); err != nil {
		t.Fatal(err)
	}
	r, err := ix.SearchProfiles(ctx, matcher.SearchRequest{Q: "zzfacet"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != uint64(len(ps)) {
		t.Fatalf("total %d", r.Total)
	}
	for _, l := range matcher.EducationLevels {
		if r.Facets[FacetEducation][l] != 1 {
			t.Errorf("education facet %v lacks %s", r.Facets[FacetEducation], l)
		}
	}
}

// TestSearchCompoundParts: with Options.Decompound, a part of a compound
// occupation finds it, and so does the compound written apart; without,
// neither does (the Dutch analyzer does not split compounds).
func TestSearchCompoundParts(t *testing.T) {
	parts := func(text string) []string {
		if strings.Contains(text, "heftruckchauffeur") {
			return []string{"heftruck", "chauffeur"}
		}
		return nil
	}
	for _, withParts := range []bool{true, false} {
		opts := Options{}
		if withParts {
			opts.Decompound = parts
		}
		ix := openTest(t, opts)
		ctx := context.Background()
		if err := ix.PutProfiles(ctx, []*matcher.Profile{
			{ID: "hc", DesiredOccupations: []string{"heftruckchauffeur"}},
			{ID: "kk", DesiredOccupations: []string{"kok"}},
		}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"heftruck", "chauffeur", "heftruck chauffeur"} {
			r, err := ix.SearchProfiles(ctx, matcher.SearchRequest{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Contains(hitIDs(r), "hc"); got != withParts {
				t.Errorf("Decompound %v, q=%q: found %v", withParts, q, hitIDs(r))
			}
		}
	}
}
