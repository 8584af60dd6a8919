package matcher

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"
)

// fakeLocator places PC4s on a grid the tests can compute by hand.
type fakeLocator map[int][2]float64

func (f fakeLocator) Centroid(pc4 int) (float64, float64, bool) {
	p, ok := f[pc4]
	return p[0], p[1], ok
}

var testLoc = fakeLocator{
	1000: {52.0, 5.0},
	1001: {52.1, 5.0}, // 11.12 km north of 1000
	1002: {52.2, 5.0}, // 22.24 km north of 1000
	9000: {53.0, 6.0}, // far away
}

// fakeTax is a tiny taxonomy: labels a..e and x resolve to skill URIs,
// x counts in part for b, and three occupations share ISCO prefixes.
type fakeTax struct{}

func (fakeTax) ResolveSkill(t string) (string, bool) {
	switch n := NormaliseTerm(strings.TrimPrefix(t, "esco:")); n {
	case "a", "b", "c", "d", "e", "x":
		return "esco:" + n, true
	}
	return "", false
}

func (fakeTax) ResolveOccupation(t string) (string, bool) {
	switch NormaliseTerm(t) {
	case "orderpicker", "occ op":
		return "occ:op", true
	case "inpakker", "occ ip":
		return "occ:ip", true
	case "magazijnmedewerker", "occ mw":
		return "occ:mw", true
	}
	return "", false
}

func (fakeTax) ISCO(uri string) string {
	return map[string]string{"occ:op": "9321", "occ:ip": "9329", "occ:mw": "4321"}[uri]
}

func (fakeTax) RelatedSkills(uri string) []string {
	if uri == "esco:b" {
		return []string{"esco:x"}
	}
	return nil
}

func (fakeTax) OccupationSkills(uri string) ([]string, []string) {
	if uri == "occ:op" {
		return []string{"esco:a", "esco:b"}, []string{"esco:c"}
	}
	return nil, nil
}

func (fakeTax) Label(uri string) string { return strings.TrimPrefix(uri, "esco:") }

const today = "2026-06-01"

func newTestEngine(tax Taxonomy) *Engine {
	now := func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }
	return NewEngine(EngineOptions{Locator: testLoc, Taxonomy: tax, Workers: 1, Now: now})
}

func baseProfile(id string) *Profile {
	return &Profile{ID: id, Municipality: "0363", Postcode4: 1000, MaxTravelKm: 20,
		DesiredOccupations: []string{"orderpicker"}, Skills: []string{"a", "b", "c"},
		Branches: []string{"Logistiek"}, HoursMin: 20, HoursMax: 30, EducationLevel: "mbo2",
		DutchLevel: "B1", DrivingLicences: []string{"B"}, Perspectief: "werken",
		MaxPhysicalLoad: "medium", AvailableFrom: "2026-05-01", RegisteredAt: "2025-06-01"}
}

func baseVacancy() *Vacancy {
	return &Vacancy{ID: "v1", EmployerID: "e1", Title: "Orderpicker", Occupation: "orderpicker",
		Branch: "Logistiek", Postcode4: 1000, HoursMin: 20, HoursMax: 30,
		RequiredSkills: []string{"a", "b"}, PreferredSkills: []string{"c"},
		EducationLevelMin: "mbo2", DutchLevelMin: "B1", PhysicalLoad: "medium",
		StartDate: "2026-07-01", Status: "open", Positions: 1}
}

func match(t *testing.T, e *Engine, v *Vacancy, q Query) *MatchResult {
	t.Helper()
	if q.Today == "" {
		q.Today = today
	}
	res, err := e.MatchVacancy(context.Background(), v, q)
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res)
	return res
}

// checkResult asserts the invariants of every answer.
func checkResult(t *testing.T, res *MatchResult) {
	t.Helper()
	for i, m := range res.Results {
		if m.Score < 0 || m.Score > 1 || math.IsNaN(m.Score) {
			t.Errorf("result %d: score %v out of [0,1]", i, m.Score)
		}
		if !res.OpenHiring && m.Explanation.OpenHiring == nil {
			c := m.Explanation.Contributions
			sum := c.Skills + c.Occupation + c.Branch + c.Hours + c.Distance + c.Language + c.Education
			if math.Abs(sum-m.Score) > 4e-6 {
				t.Errorf("result %d: contributions sum %v, score %v", i, sum, m.Score)
			}
		}
		if i > 0 {
			p := res.Results[i-1]
			if p.Score < m.Score && !res.OpenHiring {
				t.Errorf("results %d,%d out of order", i-1, i)
			}
			if p.Score == m.Score && p.ProfileID+p.VacancyID > m.ProfileID+m.VacancyID && !res.OpenHiring {
				t.Errorf("tie %d,%d not by id", i-1, i)
			}
		}
	}
	// Reported numbers carry at most six decimals (no 0.9300000000000002).
	js, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if m := longDecimal.Find(js); m != nil {
		t.Errorf("answer carries %s", m)
	}
	w := res.Weights
	if s := w.Skills + w.Occupation + w.Branch + w.Hours + w.Distance + w.Language + w.Education; math.Abs(s-1) > 4e-6 {
		t.Errorf("weights sum to %v", s)
	}
}

var longDecimal = regexp.MustCompile(`[0-9]\.[0-9]{7,}`)

func ids(res *MatchResult) []string {
	var out []string
	for _, m := range res.Results {
		out = append(out, m.ProfileID+m.VacancyID)
	}
	return out
}

func TestHardFilters(t *testing.T) {
	cases := []struct {
		name string
		p    func(*Profile)
		v    func(*Vacancy)
		q    func(*Query)
		want bool
	}{
		{"baseline", nil, nil, nil, true},
		{"meedoen never returned", func(p *Profile) { p.Perspectief = "meedoen" }, nil, nil, false},
		{"werken_aan returned", func(p *Profile) { p.Perspectief = "werken_aan" }, nil, nil, true},
		{"within travel radius", func(p *Profile) { p.Postcode4 = 1001; p.MaxTravelKm = 12 }, nil, nil, true},
		{"out of travel radius", func(p *Profile) { p.Postcode4 = 1001; p.MaxTravelKm = 11 }, nil, nil, false},
		{"far away", func(p *Profile) { p.Postcode4 = 9000; p.MaxTravelKm = 100 }, nil, nil, false},
		{"zero radius same pc4", func(p *Profile) { p.MaxTravelKm = 0 }, nil, nil, true},
		{"unknown pc4", func(p *Profile) { p.Postcode4 = 5555 }, nil, nil, false},
		{"hours disjoint", func(p *Profile) { p.HoursMin, p.HoursMax = 8, 16 }, nil, nil, false},
		{"hours touching", func(p *Profile) { p.HoursMin, p.HoursMax = 8, 20 }, nil, nil, true},
		{"licence missing", func(p *Profile) { p.DrivingLicences = nil }, func(v *Vacancy) { v.DrivingLicences = []string{"B"} }, nil, false},
		{"licence held", nil, func(v *Vacancy) { v.DrivingLicences = []string{"B"} }, nil, true},
		{"licence partly held", nil, func(v *Vacancy) { v.DrivingLicences = []string{"B", "C"} }, nil, false},
		{"load too heavy", nil, func(v *Vacancy) { v.PhysicalLoad = "heavy" }, nil, false},
		{"load lighter", nil, func(v *Vacancy) { v.PhysicalLoad = "light" }, nil, true},
		{"load no candidate limit", func(p *Profile) { p.MaxPhysicalLoad = "" }, func(v *Vacancy) { v.PhysicalLoad = "heavy" }, nil, true},
		{"available after start", func(p *Profile) { p.AvailableFrom = "2026-07-02" }, nil, nil, false},
		{"available on start", func(p *Profile) { p.AvailableFrom = "2026-07-01" }, nil, nil, true},
		{"no start: available after today", func(p *Profile) { p.AvailableFrom = "2026-06-02" }, func(v *Vacancy) { v.StartDate = "" }, nil, false},
		{"no start: available today", func(p *Profile) { p.AvailableFrom = "2026-06-01" }, func(v *Vacancy) { v.StartDate = "" }, nil, true},
		// a start date that has passed while the vacancy stays open: from today.
		{"start passed: available since", func(p *Profile) { p.AvailableFrom = "2026-05-15" }, func(v *Vacancy) { v.StartDate = "2026-05-01" }, nil, true},
		{"start passed: available today", func(p *Profile) { p.AvailableFrom = "2026-06-01" }, func(v *Vacancy) { v.StartDate = "2026-05-01" }, nil, true},
		{"start passed: available later", func(p *Profile) { p.AvailableFrom = "2026-06-02" }, func(v *Vacancy) { v.StartDate = "2026-05-01" }, nil, false},
		{"vacancy closed", nil, func(v *Vacancy) { v.Status = "closed" }, nil, false},
		{"vacancy filled", nil, func(v *Vacancy) { v.Status = "filled" }, nil, false},
		{"closes_at past", nil, func(v *Vacancy) { v.ClosesAt = "2026-05-31" }, nil, false},
		{"closes_at today", nil, func(v *Vacancy) { v.ClosesAt = "2026-06-01" }, nil, true},
		{"municipality in", nil, nil, func(q *Query) { q.Municipalities = []string{"0599", "0363"} }, true},
		{"municipality out", nil, nil, func(q *Query) { q.Municipalities = []string{"0599"} }, false},
		{"municipality empty list", nil, nil, func(q *Query) { q.Municipalities = []string{} }, false},
		{"open hiring keeps hours", func(p *Profile) { p.HoursMin, p.HoursMax = 8, 16 }, func(v *Vacancy) { v.OpenHiring = true }, nil, false},
		{"open hiring ignores skills", func(p *Profile) { p.Skills = nil; p.DesiredOccupations = nil }, func(v *Vacancy) { v.OpenHiring = true }, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, v, q := baseProfile("p1"), baseVacancy(), Query{}
			if c.p != nil {
				c.p(p)
			}
			if c.v != nil {
				c.v(v)
			}
			if c.q != nil {
				c.q(&q)
			}
			for _, tax := range []Taxonomy{nil, fakeTax{}} {
				e := newTestEngine(tax)
				e.UpsertProfile(p)
				e.UpsertVacancy(v)
				for _, compacted := range []bool{false, true} {
					if compacted {
						e.Compact()
					}
					got := len(match(t, e, v, q).Results) == 1
					if got != c.want {
						t.Fatalf("tax=%v compacted=%v: returned=%v, want %v", tax != nil, compacted, got, c.want)
					}
					// the same filters hold in the other direction
					if c.q == nil {
						res, err := e.MatchProfileID(context.Background(), "p1", Query{Today: today})
						if err != nil {
							t.Fatal(err)
						}
						if got := len(res.Results) == 1; got != c.want {
							t.Fatalf("reverse tax=%v compacted=%v: returned=%v, want %v", tax != nil, compacted, got, c.want)
						}
					}
				}
			}
		})
	}
}

func idfOf(n, df float64) float64 { return 1 + math.Log((1+n)/(1+df)) }

func TestComponents(t *testing.T) {
	// One profile in the engine: N = 1, a held skill has idf 1, one not
	// held has idf 1+ln 2.
	held, unheld := idfOf(1, 1), idfOf(1, 0)
	d1 := distKm(52.0, 5.0, 52.1, 5.0)
	cases := []struct {
		name  string
		p     func(*Profile)
		v     func(*Vacancy)
		want  Components
		occ   string
		match []string
		miss  []string
		part  []string
	}{
		{"perfect", nil, nil, Components{1, 1, 1, 1, 1, 1, 1}, "same", []string{"a", "b"}, nil, nil},
		{"missing required b", func(p *Profile) { p.Skills = []string{"a", "c"} }, nil,
			Components{Skills: 0.8*held/(held+unheld) + 0.2, Occupation: 1, Branch: 1, Hours: 1, Distance: 1, Language: 1, Education: 1},
			"same", []string{"a"}, []string{"b"}, nil},
		{"missing preferred c", func(p *Profile) { p.Skills = []string{"a", "b"} }, nil,
			Components{Skills: 0.8, Occupation: 1, Branch: 1, Hours: 1, Distance: 1, Language: 1, Education: 1},
			"same", []string{"a", "b"}, nil, nil},
		{"related skill counts half", func(p *Profile) { p.Skills = []string{"a", "x", "c"} }, nil,
			Components{Skills: 0.8*held/(held+unheld) + 0.5*0.8*unheld/(held+unheld) + 0.2, Occupation: 1, Branch: 1, Hours: 1, Distance: 1, Language: 1, Education: 1},
			"same", []string{"a"}, []string{"b"}, []string{"b"}},
		{"no skills asked", nil, func(v *Vacancy) { v.RequiredSkills, v.PreferredSkills, v.Occupation = nil, nil, "" },
			Components{Skills: 0.5, Occupation: 0.5, Branch: 1, Hours: 1, Distance: 1, Language: 1, Education: 1}, "unspecified", nil, nil, nil},
		// hours: overlap over the narrower range.
		{"hours a single value inside", func(p *Profile) { p.HoursMin, p.HoursMax = 24, 24 }, nil,
			Components{1, 1, 1, 1, 1, 1, 1}, "same", []string{"a", "b"}, nil, nil},
		{"hours school hours inside a wider range", func(p *Profile) { p.HoursMin, p.HoursMax = 20, 24 }, func(v *Vacancy) { v.HoursMin, v.HoursMax = 16, 32 },
			Components{1, 1, 1, 1, 1, 1, 1}, "same", []string{"a", "b"}, nil, nil},
		{"hours half of the narrower range", func(p *Profile) { p.HoursMin, p.HoursMax = 25, 35 }, nil,
			Components{1, 1, 1, 0.5, 1, 1, 1}, "same", []string{"a", "b"}, nil, nil},
		{"occupation essential skills stand in", func(p *Profile) { p.Skills = []string{"a"} }, func(v *Vacancy) { v.RequiredSkills, v.PreferredSkills = nil, nil },
			Components{Skills: held / (held + unheld), Occupation: 1, Branch: 1, Hours: 1, Distance: 1, Language: 1, Education: 1},
			"same", []string{"a"}, []string{"b"}, nil},
		{"isco 3 digits shared", func(p *Profile) { p.DesiredOccupations = []string{"inpakker"} }, nil,
			Components{1, 0.6, 1, 1, 1, 1, 1}, "isco3", []string{"a", "b"}, nil, nil},
		{"isco nothing shared", func(p *Profile) { p.DesiredOccupations = []string{"magazijnmedewerker"} }, nil,
			Components{1, 0, 1, 1, 1, 1, 1}, "none", []string{"a", "b"}, nil, nil},
		{"no desired occupation", func(p *Profile) { p.DesiredOccupations = nil }, nil,
			Components{1, 0, 1, 1, 1, 1, 1}, "none", []string{"a", "b"}, nil, nil},
		{"other branch", func(p *Profile) { p.Branches = []string{"Zorg"} }, nil,
			Components{1, 1, 0, 1, 1, 1, 1}, "same", []string{"a", "b"}, nil, nil},
		{"no branch preference", func(p *Profile) { p.Branches = nil }, nil,
			Components{1, 1, 0.5, 1, 1, 1, 1}, "same", []string{"a", "b"}, nil, nil},
		{"hours part", func(p *Profile) { p.HoursMin, p.HoursMax = 12, 24 }, nil,
			Components{1, 1, 1, 0.4, 1, 1, 1}, "same", []string{"a", "b"}, nil, nil},
		{"hours single value", nil, func(v *Vacancy) { v.HoursMin, v.HoursMax = 24, 24 },
			Components{1, 1, 1, 1, 1, 1, 1}, "same", []string{"a", "b"}, nil, nil},
		{"distance", func(p *Profile) { p.Postcode4 = 1001 }, nil,
			Components{1, 1, 1, 1, 1 - d1/20, 1, 1}, "same", []string{"a", "b"}, nil, nil},
		{"language two short", func(p *Profile) { p.DutchLevel = "A1" }, func(v *Vacancy) { v.DutchLevelMin = "B1" },
			Components{1, 1, 1, 1, 1, 0.5, 1}, "same", []string{"a", "b"}, nil, nil},
		{"language unknown", func(p *Profile) { p.DutchLevel = "" }, nil,
			Components{1, 1, 1, 1, 1, 0.5, 1}, "same", []string{"a", "b"}, nil, nil},
		{"language above", func(p *Profile) { p.DutchLevel = "C2" }, nil,
			Components{1, 1, 1, 1, 1, 1, 1}, "same", []string{"a", "b"}, nil, nil},
		{"education two short", func(p *Profile) { p.EducationLevel = "mbo2" }, func(v *Vacancy) { v.EducationLevelMin = "mbo4" },
			Components{1, 1, 1, 1, 1, 1, 0.6}, "same", []string{"a", "b"}, nil, nil},
		{"education far short", func(p *Profile) { p.EducationLevel = "none" }, func(v *Vacancy) { v.EducationLevelMin = "wo" },
			Components{1, 1, 1, 1, 1, 1, 0}, "same", []string{"a", "b"}, nil, nil},
		{"education unknown", func(p *Profile) { p.EducationLevel = "" }, nil,
			Components{1, 1, 1, 1, 1, 1, 0.5}, "same", []string{"a", "b"}, nil, nil},
	}
	w := DefaultWeights
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, v := baseProfile("p1"), baseVacancy()
			if c.p != nil {
				c.p(p)
			}
			if c.v != nil {
				c.v(v)
			}
			e := newTestEngine(fakeTax{})
			e.UpsertProfiles([]*Profile{p})
			e.UpsertVacancy(v)
			e.Compact() // idf from this one profile
			res := match(t, e, v, Query{})
			if len(res.Results) != 1 {
				t.Fatalf("got %d results", len(res.Results))
			}
			m := res.Results[0]
			got := m.Explanation.Components
			if !near(got, c.want) {
				t.Fatalf("components\n got %+v\nwant %+v", got, c.want)
			}
			want := w.Skills*c.want.Skills + w.Occupation*c.want.Occupation + w.Branch*c.want.Branch +
				w.Hours*c.want.Hours + w.Distance*c.want.Distance + w.Language*c.want.Language + w.Education*c.want.Education
			if math.Abs(m.Score-want) > 1e-6 {
				t.Fatalf("score %v, want %v", m.Score, want)
			}
			ex := m.Explanation
			if ex.Occupation != c.occ {
				t.Errorf("occupation %q, want %q", ex.Occupation, c.occ)
			}
			if strings.Join(ex.MatchedSkills, ",") != strings.Join(c.match, ",") ||
				strings.Join(ex.MissingSkills, ",") != strings.Join(c.miss, ",") ||
				strings.Join(ex.PartialSkills, ",") != strings.Join(c.part, ",") {
				t.Errorf("matched %v missing %v partial %v", ex.MatchedSkills, ex.MissingSkills, ex.PartialSkills)
			}
			// the reverse direction gives the same score for the pair
			rres, err := e.MatchProfileID(context.Background(), "p1", Query{Today: today})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, rres)
			if len(rres.Results) != 1 || rres.Results[0].Score != m.Score {
				t.Fatalf("reverse %+v, want score %v", rres.Results, m.Score)
			}
		})
	}
}

func near(a, b Components) bool {
	const eps = 1e-6
	return math.Abs(a.Skills-b.Skills) < eps && math.Abs(a.Occupation-b.Occupation) < eps &&
		math.Abs(a.Branch-b.Branch) < eps && math.Abs(a.Hours-b.Hours) < eps &&
		math.Abs(a.Distance-b.Distance) < eps && math.Abs(a.Language-b.Language) < eps &&
		math.Abs(a.Education-b.Education) < eps
}

func TestWeights(t *testing.T) {
	e := newTestEngine(nil)
	p := baseProfile("p1")
	p.Branches = []string{"Zorg"}
	e.UpsertProfile(p)
	res := match(t, e, baseVacancy(), Query{Weights: &Weights{Branch: 1, Hours: 3}})
	if w := res.Weights; w.Branch != 0.25 || w.Hours != 0.75 || w.Skills != 0 {
		t.Fatalf("normalised weights %+v", w)
	}
	if s := res.Results[0].Score; s != 0.75 {
		t.Fatalf("score %v, want 0.75 (branch 0, hours 1)", s)
	}
	for _, c := range []struct {
		w     Weights
		field string
	}{
		{Weights{Skills: -1, Hours: 1}, "weights.skills"},
		{Weights{Distance: MaxWeight + 1}, "weights.distance"},
		{Weights{Education: math.NaN(), Hours: 1}, "weights.education"},
		{Weights{}, "weights"},
	} {
		_, err := e.MatchVacancy(context.Background(), baseVacancy(), Query{Weights: &c.w})
		var ve *ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) || ve.Fields[0].Field != c.field {
			t.Errorf("weights %+v: err %v, want field %s", c.w, err, c.field)
		}
	}
	if _, err := e.MatchVacancy(context.Background(), baseVacancy(), Query{Limit: -1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("negative limit: %v", err)
	}
	if _, err := e.MatchVacancy(context.Background(), baseVacancy(), Query{Today: "2026-02-30"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad today: %v", err)
	}
}

func TestTiesBreakOnID(t *testing.T) {
	e := newTestEngine(nil)
	for _, id := range []string{"p-c", "p-a", "p-d", "p-b"} {
		e.UpsertProfile(baseProfile(id))
	}
	worse := baseProfile("p-0")
	worse.Branches = []string{"Zorg"}
	e.UpsertProfile(worse)
	for _, compacted := range []bool{false, true} {
		if compacted {
			e.Compact()
		}
		got := strings.Join(ids(match(t, e, baseVacancy(), Query{})), ",")
		if got != "p-a,p-b,p-c,p-d,p-0" {
			t.Fatalf("order %s", got)
		}
		got = strings.Join(ids(match(t, e, baseVacancy(), Query{Limit: 2})), ",")
		if got != "p-a,p-b" {
			t.Fatalf("top-2 %s", got)
		}
	}
}

func TestOpenHiring(t *testing.T) {
	e := newTestEngine(fakeTax{})
	mk := func(id string, optIn bool, reg string, mod func(*Profile)) {
		p := baseProfile(id)
		p.OpenToOpenHiring, p.RegisteredAt = optIn, reg
		p.Skills, p.DesiredOccupations = nil, nil
		if mod != nil {
			mod(p)
		}
		e.UpsertProfile(p)
	}
	mk("p1", false, "2020-01-01", func(p *Profile) { p.Skills = []string{"a", "b", "c"} }) // waited longest, not opted in
	mk("p2", true, "2025-01-01", nil)
	mk("p3", true, "2024-01-01", nil)
	mk("p4", true, "2024-01-01", nil) // same day as p3: id decides
	mk("p5", true, "", nil)           // unknown registration: last of the opted in
	mk("p6", true, "2019-01-01", func(p *Profile) { p.Perspectief = "meedoen" })
	mk("p7", true, "2019-01-01", func(p *Profile) { p.HoursMin, p.HoursMax = 0, 8 })
	v := baseVacancy()
	v.OpenHiring = true
	res := match(t, e, v, Query{})
	if !res.OpenHiring {
		t.Fatal("open hiring not reported")
	}
	if got := strings.Join(ids(res), ","); got != "p3,p4,p2,p5,p1" {
		t.Fatalf("order %s", got)
	}
	// scores: 0.5·opted in + 0.5·W/(W+365)
	w := func(from string) float64 {
		a, _ := time.Parse("2006-01-02", from)
		days := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC).Sub(a).Hours() / 24
		return days / (days + 365)
	}
	want := []float64{0.5 + 0.5*w("2024-01-01"), 0.5 + 0.5*w("2024-01-01"), 0.5 + 0.5*w("2025-01-01"), 0.5, 0.5 * w("2020-01-01")}
	for i, m := range res.Results {
		if math.Abs(m.Score-want[i]) > 5e-7 {
			t.Errorf("%s score %v, want %v", m.ProfileID, m.Score, want[i])
		}
		if m.Explanation.OpenHiring == nil || m.Explanation.OpenHiring.OptedIn != (m.ProfileID != "p1") {
			t.Errorf("%s explanation %+v", m.ProfileID, m.Explanation.OpenHiring)
		}
		if i > 0 && m.Score > res.Results[i-1].Score {
			t.Errorf("score rises along the open-hiring order at %d", i)
		}
	}
}

func TestUpsertDeleteAndLookups(t *testing.T) {
	e := newTestEngine(nil)
	e.UpsertProfiles([]*Profile{baseProfile("p1"), baseProfile("p2")})
	e.UpsertVacancy(baseVacancy())
	if p, v := e.Counts(); p != 2 || v != 1 {
		t.Fatalf("counts %d %d", p, v)
	}
	if emp, ok := e.VacancyEmployer("v1"); !ok || emp != "e1" {
		t.Fatalf("employer %q %v", emp, ok)
	}
	if m, ok := e.ProfileMunicipality("p2"); !ok || m != "0363" {
		t.Fatalf("municipality %q %v", m, ok)
	}
	moved := baseProfile("p2")
	moved.Postcode4 = 9000
	e.UpsertProfile(moved)
	if !e.DeleteProfile("p1") || e.DeleteProfile("p1") {
		t.Fatal("delete")
	}
	res, err := e.MatchVacancyID(context.Background(), "v1", Query{Today: today})
	if err != nil || len(res.Results) != 0 {
		t.Fatalf("after moving and deleting: %v %v", ids(res), err)
	}
	if p, _ := e.Counts(); p != 1 {
		t.Fatalf("profiles %d", p)
	}
	if _, err := e.MatchVacancyID(context.Background(), "nope", Query{}); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	if _, err := e.MatchProfileID(context.Background(), "p1", Query{}); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	if !e.DeleteVacancy("v1") || e.DeleteVacancy("v1") {
		t.Fatal("delete vacancy")
	}
	if _, ok := e.VacancyEmployer("v1"); ok {
		t.Fatal("deleted vacancy still has an employer")
	}
}

func TestUnrecognisedTerms(t *testing.T) {
	e := newTestEngine(fakeTax{})
	p := baseProfile("p1")
	p.Skills = append(p.Skills, "Heftruck-certificaat")
	e.UpsertProfile(p)
	v := baseVacancy()
	v.RequiredSkills = []string{"a", "heftruck certificaat", "lassen"}
	v.Occupation = "kapitein"
	res := match(t, e, v, Query{})
	if got := strings.Join(res.Unrecognised, "|"); got != "kapitein|heftruck certificaat|lassen" {
		t.Fatalf("unrecognised %q", got)
	}
	e.UpsertVacancy(v)
	byID, err := e.MatchVacancyID(context.Background(), v.ID, Query{Today: today})
	if err != nil || strings.Join(byID.Unrecognised, "|") != "kapitein|heftruck certificaat|lassen" ||
		len(byID.Results) != 1 || byID.Results[0].Score != res.Results[0].Score {
		t.Fatalf("stored vacancy: %+v %v", byID, err)
	}
	if ex2 := byID.Results[0].Explanation; strings.Join(ex2.MissingSkills, "|") != "lassen" {
		t.Fatalf("stored vacancy explanation %+v", ex2)
	}
	ex := res.Results[0].Explanation
	if strings.Join(ex.MatchedSkills, "|") != "a|heftruck certificaat" || strings.Join(ex.MissingSkills, "|") != "lassen" {
		t.Fatalf("matched %v missing %v", ex.MatchedSkills, ex.MissingSkills)
	}
	rres, err := e.MatchProfileID(context.Background(), "p1", Query{Today: today})
	if err != nil || strings.Join(rres.Unrecognised, "|") != "heftruck certificaat" {
		t.Fatalf("profile unrecognised %v %v", rres.Unrecognised, err)
	}
}

func TestRankProfilesAgreesWithScan(t *testing.T) {
	e := newTestEngine(fakeTax{})
	var all []string
	for i := range 50 {
		p := baseProfile("p" + itoa(i))
		p.Postcode4 = 1000 + i%3
		p.HoursMin = i % 25
		p.Skills = [][]string{{"a"}, {"b", "c"}, {"x"}, nil, {"a", "b", "d"}}[i%5]
		if i%7 == 0 {
			p.Perspectief = "meedoen"
		}
		e.UpsertProfile(p)
		all = append(all, p.ID)
	}
	v := baseVacancy()
	q := Query{Limit: 100, Today: today}
	full := match(t, e, v, q)
	ranked, err := e.RankProfiles(context.Background(), v, append(all, "unknown", all[0]), q)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(ids(full), ",") != strings.Join(ids(ranked), ",") {
		t.Fatalf("scan %v\nrank %v", ids(full), ids(ranked))
	}
	for i := range full.Results {
		if full.Results[i].Score != ranked.Results[i].Score {
			t.Fatalf("score differs at %d", i)
		}
	}
	// profile -> vacancies gives each pair the same score
	e.UpsertVacancy(v)
	for _, m := range full.Results {
		r, err := e.MatchProfileID(context.Background(), m.ProfileID, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Results) != 1 || r.Results[0].VacancyID != "v1" || r.Results[0].Score != m.Score {
			t.Fatalf("%s: reverse %+v, want score %v", m.ProfileID, r.Results, m.Score)
		}
	}
	if len(full.Results) == 0 || full.Scored >= 50 {
		t.Fatalf("scored %d of 50", full.Scored)
	}
}

// TestDutchToday: "today" is the calendar date in the Netherlands. At
// 23:30 UTC on 31 May it is already 1 June in Amsterdam (summer time), so
// a vacancy that closed on 31 May is closed.
func TestDutchToday(t *testing.T) {
	late := time.Date(2026, 5, 31, 23, 30, 0, 0, time.UTC)
	if got := dayString(dutchDay(late)); got != "2026-06-01" {
		t.Fatalf("dutchDay(%v) = %s", late, got)
	}
	if got := dayString(dutchDay(time.Date(2026, 1, 15, 22, 59, 0, 0, time.UTC))); got != "2026-01-15" {
		t.Fatalf("winter, before midnight: %s", got)
	}
	e := NewEngine(EngineOptions{Locator: testLoc, Taxonomy: fakeTax{}, Workers: 1, Now: func() time.Time { return late }})
	e.UpsertProfile(baseProfile("p1"))
	v := baseVacancy()
	v.StartDate, v.ClosesAt = "", "2026-05-31"
	if r, err := e.MatchVacancy(context.Background(), v, Query{Limit: 5}); err != nil || len(r.Results) != 0 {
		t.Fatalf("a vacancy closed yesterday (Dutch date) matched: %+v %v", r, err)
	}
	v.ClosesAt = "2026-06-01"
	if r, err := e.MatchVacancy(context.Background(), v, Query{Limit: 5}); err != nil || len(r.Results) != 1 {
		t.Fatalf("a vacancy open today (Dutch date) did not match: %+v %v", r, err)
	}
}

// TestConsideredCountsLiveRows: a profile written ten times is one
// candidate, before and after compaction, in both directions.
func TestConsideredCountsLiveRows(t *testing.T) {
	e := newTestEngine(fakeTax{})
	for i := 0; i < 10; i++ {
		p := baseProfile("p1")
		p.HoursMax = 30 + i%2
		e.UpsertProfile(p)
	}
	v := baseVacancy()
	e.UpsertVacancy(v)
	for _, compact := range []bool{false, true} {
		if compact {
			e.Compact()
		}
		r, err := e.MatchVacancy(context.Background(), v, Query{Limit: 5})
		if err != nil || r.Considered != 1 || r.Scored != 1 {
			t.Fatalf("compacted %v: considered %d scored %d (%v)", compact, r.Considered, r.Scored, err)
		}
		r, err = e.MatchVacancyID(context.Background(), "v1", Query{Limit: 5})
		if err != nil || r.Considered != 1 {
			t.Fatalf("by id, compacted %v: considered %d (%v)", compact, r.Considered, err)
		}
	}
}

// TestReverseOpenHiringByDistance: for one profile every open-hiring
// vacancy has the same score; the nearer one ranks first, whatever the ids.
func TestReverseOpenHiringByDistance(t *testing.T) {
	e := newTestEngine(fakeTax{})
	p := baseProfile("p1")
	p.Postcode4, p.MaxTravelKm = 1001, 30
	p.OpenToOpenHiring = true
	e.UpsertProfile(p)
	far, near := baseVacancy(), baseVacancy()
	far.ID, far.OpenHiring, far.Postcode4 = "a-far", true, 1000
	near.ID, near.OpenHiring, near.Postcode4 = "z-near", true, 1001
	e.UpsertVacancy(far)
	e.UpsertVacancy(near)
	r, err := e.MatchProfileID(context.Background(), "p1", Query{Limit: 5})
	if err != nil || len(r.Results) != 2 {
		t.Fatalf("%+v %v", r, err)
	}
	if r.Results[0].VacancyID != "z-near" || r.Results[0].Score != r.Results[1].Score {
		t.Fatalf("order %s (%v), %s (%v)", r.Results[0].VacancyID, r.Results[0].Score, r.Results[1].VacancyID, r.Results[1].Score)
	}
}

// TestReverseRegularBeforeOpenHiringAtATie: a regular vacancy and an
// open-hiring one with the same score for a candidate, both at distance 0:
// the regular one ranks first, whatever the ids (package rules, score.go).
func TestReverseRegularBeforeOpenHiringAtATie(t *testing.T) {
	e := newTestEngine(fakeTax{})
	p := baseProfile("p1")
	p.Postcode4, p.MaxTravelKm = 1001, 30
	p.OpenToOpenHiring, p.RegisteredAt = true, "" // open-hiring score 0.5
	e.UpsertProfile(p)
	open, regular := baseVacancy(), baseVacancy()
	open.ID, open.OpenHiring, open.Postcode4 = "a-open", true, 1001
	regular.ID, regular.Postcode4 = "z-regular", 1001
	regular.Occupation = "" // occupation 0.5
	e.UpsertVacancy(open)
	e.UpsertVacancy(regular)
	r, err := e.MatchProfileID(context.Background(), "p1", Query{Limit: 5, Today: today, Weights: &Weights{Occupation: 1}})
	if err != nil || len(r.Results) != 2 {
		t.Fatalf("%+v %v", r, err)
	}
	if r.Results[0].Score != r.Results[1].Score {
		t.Fatalf("no tie: %s %v, %s %v", r.Results[0].VacancyID, r.Results[0].Score, r.Results[1].VacancyID, r.Results[1].Score)
	}
	if r.Results[0].VacancyID != "z-regular" {
		t.Errorf("at a tie the open-hiring vacancy ranked first: %s, %s", r.Results[0].VacancyID, r.Results[1].VacancyID)
	}
}
