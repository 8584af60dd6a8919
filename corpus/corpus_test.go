package corpus

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/matcher"
	"github.com/werkmatch/werkmatch/taxonomy"
)

func TestDeterministicPerIndex(t *testing.T) {
	a := New(Options{Seed: 42})
	b := New(Options{Seed: 42})
	// Generating in a different order, or only some indexes, gives the
	// same documents.
	for _, i := range []int{999_999, 0, 17, 123_456, 17} {
		if !reflect.DeepEqual(a.Profile(i), b.Profile(i)) {
			t.Fatalf("profile %d differs between generators with the same seed", i)
		}
		if !reflect.DeepEqual(a.Vacancy(i), b.Vacancy(i)) {
			t.Fatalf("vacancy %d differs between generators with the same seed", i)
		}
		if !reflect.DeepEqual(a.DemoVacancy(i), b.DemoVacancy(i)) {
			t.Fatalf("demo vacancy %d differs", i)
		}
	}
	c := New(Options{Seed: 43})
	same := 0
	for i := range 100 {
		if reflect.DeepEqual(a.Profile(i), c.Profile(i)) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("%d of 100 profiles equal under a different seed", same)
	}
	if got := a.Profile(5).ID; got != "p0000005" {
		t.Errorf("profile id = %q", got)
	}
	if got := a.Vacancy(5).ID; got != "v0000005" {
		t.Errorf("vacancy id = %q", got)
	}
}

func TestValidAndFreeOfPersonalData(t *testing.T) {
	g := New(Options{Seed: 7})
	for i := range 10_000 {
		p := g.Profile(i)
		if err := p.Validate(); err != nil {
			t.Fatalf("profile %d invalid: %v", i, err)
		}
		if err := p.CheckPersonalData(); err != nil {
			t.Fatalf("profile %d: %v", i, err)
		}
		v := g.Vacancy(i)
		if err := v.Validate(); err != nil {
			t.Fatalf("vacancy %d invalid: %v", i, err)
		}
		if err := v.CheckPersonalData(); err != nil {
			t.Fatalf("vacancy %d: %v", i, err)
		}
		if !strings.HasPrefix(v.EmployerID, "e") || len(v.EmployerID) != 6 {
			t.Fatalf("vacancy %d employer id %q", i, v.EmployerID)
		}
		if v.StartDate != "" && v.ClosesAt != "" && v.StartDate < v.ClosesAt {
			t.Fatalf("vacancy %d starts %s before it closes %s", i, v.StartDate, v.ClosesAt)
		}
		if p.Municipality != regionMunicipality[p.Postcode4/100] {
			t.Fatalf("profile %d: municipality %s not that of region %d", i, p.Municipality, p.Postcode4/100)
		}
	}
}

func TestDemoVacancies(t *testing.T) {
	g := New(Options{Seed: 1})
	owners := map[string]int{}
	open := 0
	for i := range 40 {
		v := g.DemoVacancy(i)
		if err := v.Validate(); err != nil {
			t.Fatalf("demo vacancy %d invalid: %v", i, err)
		}
		if err := v.CheckPersonalData(); err != nil {
			t.Fatal(err)
		}
		if v.Status != matcher.StatusOpen {
			t.Errorf("demo vacancy %d status %s", i, v.Status)
		}
		if v.OpenHiring {
			open++
			if len(v.RequiredSkills) != 0 {
				t.Errorf("open-hiring demo vacancy %d requires skills", i)
			}
		}
		owners[v.EmployerID]++
	}
	if owners[DemoEmployerA] != 20 || owners[DemoEmployerB] != 20 {
		t.Errorf("owners = %v", owners)
	}
	if open != 8 {
		t.Errorf("open-hiring demo vacancies = %d, want 8", open)
	}
}

func share(n, of int) float64 { return float64(n) / float64(of) }

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.3f, want %.2f ± %.2f", what, got, want, tol)
	} else {
		t.Logf("%s = %.3f", what, got)
	}
}

func TestProfileDistributions(t *testing.T) {
	const n = 20_000
	g := New(Options{Seed: 3})
	persp := map[string]int{}
	branch := map[string]int{}
	var banen, openHiring, school, partTime, licB, licC, randstad, lowEdu int
	for i := range n {
		p := g.Profile(i)
		persp[p.Perspectief]++
		for _, b := range p.Branches {
			branch[b]++
		}
		if p.Banenafspraak {
			banen++
		}
		if p.OpenToOpenHiring {
			openHiring++
		}
		if p.HoursMin >= 12 && p.HoursMax <= 24 {
			school++
		}
		if p.HoursMax < 32 {
			partTime++
		}
		if slices.Contains(p.DrivingLicences, "B") {
			licB++
		}
		if slices.Contains(p.DrivingLicences, "C") {
			licC++
		}
		if p.MaxTravelKm < 5 || p.MaxTravelKm > 40 {
			t.Fatalf("max_travel_km %d", p.MaxTravelKm)
		}
		switch p.Postcode4 / 100 {
		case 10, 11, 25, 30, 31, 35:
			randstad++
		}
		if matcher.EducationRank(p.EducationLevel) <= matcher.EducationRank("mbo2") {
			lowEdu++
		}
	}
	near(t, "werken", share(persp["werken"], n), 0.50, 0.03)
	near(t, "werken_aan", share(persp["werken_aan"], n), 0.35, 0.03)
	near(t, "meedoen", share(persp["meedoen"], n), 0.15, 0.02)
	near(t, "banenafspraak", share(banen, n), 0.15, 0.02)
	near(t, "open_to_open_hiring", share(openHiring, n), 0.43, 0.04)
	near(t, "school hours", share(school, n), 0.35, 0.08)
	near(t, "part-time (under 32 hours)", share(partTime, n), 0.45, 0.1)
	near(t, "licence B", share(licB, n), 0.42, 0.1)
	near(t, "licence C", share(licC, n), 0.04, 0.03)
	near(t, "big four cities", share(randstad, n), 0.28, 0.08)
	near(t, "education up to mbo2", share(lowEdu, n), 0.68, 0.08)
	// WSP branches come first; ICT is rare.
	for _, heavy := range []string{"Logistiek", "Facilitair", "Horeca", "Productie", "Detailhandel", "Zorg"} {
		if branch[heavy] < branch["ICT"]*5 || branch[heavy] < n/25 {
			t.Errorf("branch %s: %d profiles (ICT %d)", heavy, branch[heavy], branch["ICT"])
		}
	}
}

func TestSkillPopularityIsSkewed(t *testing.T) {
	g := New(Options{Seed: 3})
	count := map[string]int{}
	for i := range 10_000 {
		for _, s := range g.Profile(i).Skills {
			count[s]++
		}
	}
	var cs []int
	for _, c := range count {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	slices.Reverse(cs)
	if len(cs) < 50 {
		t.Fatalf("only %d distinct skills", len(cs))
	}
	top := 0
	for _, c := range cs[:10] {
		top += c
	}
	total := 0
	for _, c := range cs {
		total += c
	}
	// ten skills out of a hundred-odd carry a large share
	if share(top, total) < 0.2 {
		t.Errorf("top-10 skills carry %.2f of mentions; want a skewed popularity", share(top, total))
	}
	if cs[0] < 20*cs[len(cs)/2] && cs[len(cs)/2] > 0 {
		t.Logf("most popular %d, median %d", cs[0], cs[len(cs)/2])
	}
}

func TestVacancyDistributions(t *testing.T) {
	const n = 20_000
	g := New(Options{Seed: 5})
	var open, oh, banen, withSkills int
	employers := map[string]int{}
	positions := map[int]int{}
	for i := range n {
		v := g.Vacancy(i)
		if v.Status == matcher.StatusOpen {
			open++
		}
		if v.OpenHiring {
			oh++
			if len(v.RequiredSkills) > 0 || v.EducationLevelMin != "" {
				t.Fatalf("open-hiring vacancy %d selects on skills or education", i)
			}
		}
		if v.BanenafspraakSuitable {
			banen++
		}
		if len(v.RequiredSkills) > 0 {
			withSkills++
		}
		if v.Positions < 1 || v.Positions > 5 {
			t.Fatalf("positions %d", v.Positions)
		}
		positions[v.Positions]++
		employers[v.EmployerID]++
	}
	near(t, "open hiring", share(oh, n), 0.10, 0.02)
	near(t, "status open", share(open, n), 0.92, 0.02)
	near(t, "banenafspraak suitable", share(banen, n), 0.12, 0.02)
	if share(withSkills, n) < 0.8 {
		t.Errorf("only %.2f of vacancies require a skill", share(withSkills, n))
	}
	if positions[1] < positions[2] || positions[2] < positions[5] {
		t.Errorf("positions not skewed to one: %v", positions)
	}
	big := 0
	for _, c := range employers {
		big = max(big, c)
	}
	if big < 5 {
		t.Errorf("largest employer has %d vacancies; want a skew", big)
	}
}

func TestOptions(t *testing.T) {
	pcs := []int{1011, 1012, 3011, 9711}
	today := time.Date(2030, 3, 1, 15, 0, 0, 0, time.UTC)
	g := New(Options{Seed: 9, PC4: pcs, Today: today, URIs: true, Employers: 10,
		Municipality: func(pc4 int) string {
			if pc4 == 3011 {
				return "9999"
			}
			return ""
		}})
	for i := range 500 {
		p := g.Profile(i)
		if !slices.Contains(pcs, p.Postcode4) {
			t.Fatalf("profile pc4 %d not in the given list", p.Postcode4)
		}
		if p.Postcode4 == 3011 && p.Municipality != "9999" {
			t.Fatalf("municipality callback ignored: %s", p.Municipality)
		}
		if p.RegisteredAt >= "2030-03-01" || p.RegisteredAt < "2025-01-01" {
			t.Fatalf("registered_at %s not before today", p.RegisteredAt)
		}
		for _, s := range append(p.Skills, p.DesiredOccupations...) {
			if !strings.HasPrefix(s, "urn:") && !strings.HasPrefix(s, "http") {
				t.Fatalf("term %q is not a URI", s)
			}
		}
		v := g.Vacancy(i)
		if !slices.Contains(pcs, v.Postcode4) {
			t.Fatalf("vacancy pc4 %d not in list", v.Postcode4)
		}
		if v.EmployerID > "e00009" {
			t.Fatalf("employer %s beyond Employers", v.EmployerID)
		}
		if err := v.Validate(); err != nil {
			t.Fatal(err)
		}
		if d := g.DemoVacancy(i); !slices.Contains(pcs, d.Postcode4) {
			t.Fatalf("demo pc4 %d not in list", d.Postcode4)
		}
	}
}

func TestWriteNDJSONMatchesSequential(t *testing.T) {
	g := New(Options{Seed: 11})
	const n = 2_345 // several chunks, the last one partial
	var par bytes.Buffer
	if err := WriteNDJSON(&par, n, func(i int) any { return g.Profile(i) }); err != nil {
		t.Fatal(err)
	}
	var seq bytes.Buffer
	for i := range n {
		b, _ := json.Marshal(g.Profile(i))
		seq.Write(append(b, '\n'))
	}
	if !bytes.Equal(par.Bytes(), seq.Bytes()) {
		t.Fatal("parallel NDJSON differs from a sequential encoding")
	}
	if c := bytes.Count(par.Bytes(), []byte("\n")); c != n {
		t.Fatalf("%d lines, want %d", c, n)
	}
	if err := WriteNDJSON(&par, 0, nil); err != nil {
		t.Fatal(err)
	}
}

func TestESCOTaxonomy(t *testing.T) {
	dir := "../../shared/data/esco-nl"
	tax, err := taxonomy.LoadESCO(dir)
	if err != nil {
		t.Skipf("ESCO data not available at %s: %v", dir, err)
	}
	g := New(Options{Seed: 1, Taxonomy: tax})
	branches := map[string]int{}
	for i := range 2000 {
		p := g.Profile(i)
		if err := p.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := p.CheckPersonalData(); err != nil {
			t.Fatal(err)
		}
		v := g.Vacancy(i)
		if err := v.Validate(); err != nil {
			t.Fatal(err)
		}
		if err := v.CheckPersonalData(); err != nil {
			t.Fatal(err)
		}
		branches[v.Branch]++
	}
	if len(branches) < 8 {
		t.Errorf("ESCO corpus covers only branches %v", branches)
	}
}

func BenchmarkProfile(b *testing.B) {
	g := New(Options{Seed: 1})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = g.Profile(i)
	}
}

func BenchmarkVacancy(b *testing.B) {
	g := New(Options{Seed: 1})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = g.Vacancy(i)
	}
}
