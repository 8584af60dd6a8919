package matcher

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/geo"
)

// A synthetic corpus for benchmarks and the concurrency test: a generated
// taxonomy (skills with related skills, occupations with ISCO codes and
// essential skills), Zipf-distributed skills and occupations, PC4s drawn
// from the GeoNames table when present (else the coarse built-in regions),
// and the part-time hours that dominate the caseload.

const (
	genSkills      = 2000
	genOccupations = 300
)

type genTax struct {
	related map[string][]string
	isco    map[string]string
	ess     map[string][]string
}

func skillURI(i int) string { return "skill:" + strconv.Itoa(i) }
func occURI(i int) string   { return "occ:" + strconv.Itoa(i) }

func newGenTax() *genTax {
	r := rand.New(rand.NewPCG(7, 7))
	t := &genTax{related: map[string][]string{}, isco: map[string]string{}, ess: map[string][]string{}}
	for i := range genSkills {
		n := r.IntN(3)
		for range n {
			t.related[skillURI(i)] = append(t.related[skillURI(i)], skillURI(r.IntN(genSkills)))
		}
	}
	zs := rand.NewZipf(r, 1.1, 4, genSkills-1)
	for i := range genOccupations {
		t.isco[occURI(i)] = fmt.Sprintf("%d%d%d%d", 1+r.IntN(9), r.IntN(4), r.IntN(5), 1+r.IntN(9))
		for range 3 + r.IntN(5) {
			t.ess[occURI(i)] = append(t.ess[occURI(i)], skillURI(int(zs.Uint64())))
		}
	}
	return t
}

func (t *genTax) ResolveSkill(s string) (string, bool) {
	if len(s) > 6 && s[:6] == "skill:" {
		return s, true
	}
	return "", false
}
func (t *genTax) ResolveOccupation(s string) (string, bool) {
	if len(s) > 4 && s[:4] == "occ:" {
		return s, true
	}
	return "", false
}
func (t *genTax) ISCO(uri string) string                           { return t.isco[uri] }
func (t *genTax) RelatedSkills(uri string) []string                { return t.related[uri] }
func (t *genTax) OccupationSkills(uri string) ([]string, []string) { return t.ess[uri], nil }
func (t *genTax) Label(uri string) string                          { return uri }

var (
	geoOnce  sync.Once
	geoTable *geo.Table
	geoPC4s  []int
)

func genGeo() (*geo.Table, []int) {
	geoOnce.Do(func() {
		geoTable = geo.New()
		_ = geoTable.LoadGeoNamesFile("../../shared/data/pc4/NL.txt")
		for pc := 1000; pc <= 9999; pc++ {
			if geoTable.Len() > 0 {
				if geoTable.Municipality(pc) != "" {
					geoPC4s = append(geoPC4s, pc)
				}
			} else if pc%10 == 0 {
				geoPC4s = append(geoPC4s, pc)
			}
		}
		sort.Ints(geoPC4s)
	})
	return geoTable, geoPC4s
}

type gen struct {
	seed  uint64
	pc4s  []int
	table *geo.Table
	tax   *genTax
	today time.Time
}

func newGen(seed uint64) *gen {
	t, pcs := genGeo()
	return &gen{seed: seed, pc4s: pcs, table: t, tax: newGenTax(), today: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
}

// newCoarseGen uses only the built-in coarse PC4 regions, so that its
// output does not depend on a data file (golden files).
func newCoarseGen(seed uint64, regions int) *gen {
	var pcs []int
	for pc := 1000; pc <= 9999 && len(pcs) < regions; pc += 100 {
		pcs = append(pcs, pc, pc+37)
	}
	return &gen{seed: seed, pc4s: pcs, table: geo.New(), tax: newGenTax(), today: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
}

func (g *gen) rng(kind, i int) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed*31+uint64(kind), uint64(i)))
}

var (
	travelKm = []int{5, 10, 10, 10, 15, 15, 20, 20, 25, 30, 50}
	hourSets = [][2]int{{12, 20}, {16, 24}, {20, 32}, {24, 32}, {32, 40}, {0, 40}, {8, 16}, {36, 40}, {16, 32}, {20, 24}}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (g *gen) date(r *rand.Rand, fromDays, toDays int) string {
	return g.today.AddDate(0, 0, fromDays+r.IntN(toDays-fromDays+1)).Format("2006-01-02")
}

func (g *gen) Profile(i int) *Profile {
	r := g.rng(1, i)
	zs := rand.NewZipf(r, 1.1, 4, genSkills-1)
	zo := rand.NewZipf(r, 1.05, 4, genOccupations-1)
	pc := pick(r, g.pc4s)
	muni := g.table.Municipality(pc)
	if muni == "" {
		muni = "0363"
	}
	h := pick(r, hourSets)
	p := &Profile{ID: fmt.Sprintf("p%07d", i), Municipality: muni, Postcode4: pc,
		MaxTravelKm: pick(r, travelKm), HoursMin: h[0], HoursMax: h[1],
		EducationLevel: pick(r, EducationLevels[:8]), DutchLevel: pick(r, CEFRLevels),
		MaxPhysicalLoad: pick(r, PhysicalLoads), OpenToOpenHiring: r.IntN(10) < 3,
		Banenafspraak: r.IntN(10) == 0, RegisteredAt: g.date(r, -5*365, -1)}
	switch x := r.IntN(100); {
	case x < 50:
		p.Perspectief = PerspectiefWerken
	case x < 85:
		p.Perspectief = PerspectiefWerkenAan
	default:
		p.Perspectief = PerspectiefMeedoen
	}
	for range 3 + r.IntN(10) {
		p.Skills = append(p.Skills, skillURI(int(zs.Uint64())))
	}
	for range 1 + r.IntN(3) {
		p.DesiredOccupations = append(p.DesiredOccupations, occURI(int(zo.Uint64())))
	}
	for range 1 + r.IntN(3) {
		p.Branches = append(p.Branches, pick(r, Branches))
	}
	if r.IntN(10) < 4 {
		p.DrivingLicences = []string{"B"}
	}
	if r.IntN(10) == 0 {
		p.AvailableFrom = g.date(r, 1, 120)
	} else {
		p.AvailableFrom = g.date(r, -365, 0)
	}
	return p
}

func (g *gen) Vacancy(i int) *Vacancy {
	r := g.rng(2, i)
	zs := rand.NewZipf(r, 1.1, 4, genSkills-1)
	zo := rand.NewZipf(r, 1.05, 4, genOccupations-1)
	h := pick(r, hourSets)
	occ := occURI(int(zo.Uint64()))
	v := &Vacancy{ID: fmt.Sprintf("v%07d", i), EmployerID: fmt.Sprintf("e%05d", r.IntN(20000)),
		Title: "vacature", Occupation: occ, Branch: pick(r, Branches), Postcode4: pick(r, g.pc4s),
		HoursMin: h[0], HoursMax: h[1], Positions: 1 + r.IntN(3), Status: StatusOpen,
		StartDate: g.date(r, 0, 60), ClosesAt: g.date(r, -10, 90)}
	ess := g.tax.ess[occ]
	for j := range 2 + r.IntN(4) {
		if j < len(ess) && r.IntN(2) == 0 {
			v.RequiredSkills = append(v.RequiredSkills, ess[j])
		} else {
			v.RequiredSkills = append(v.RequiredSkills, skillURI(int(zs.Uint64())))
		}
	}
	for range r.IntN(4) {
		v.PreferredSkills = append(v.PreferredSkills, skillURI(int(zs.Uint64())))
	}
	if r.IntN(10) < 3 {
		v.DrivingLicences = []string{"B"}
	}
	if r.IntN(2) == 0 {
		v.EducationLevelMin = pick(r, EducationLevels[:6])
	}
	if r.IntN(2) == 0 {
		v.DutchLevelMin = pick(r, CEFRLevels[:4])
	}
	v.PhysicalLoad = pick(r, PhysicalLoads)
	if r.IntN(20) == 0 {
		v.OpenHiring = true
	}
	if r.IntN(10) == 0 {
		v.Status = StatusFilled
	}
	return v
}

func (g *gen) engine(workers int) *Engine {
	return NewEngine(EngineOptions{Locator: g.table, Taxonomy: g.tax, Workers: workers,
		Now: func() time.Time { return g.today }})
}

func TestGeneratorValid(t *testing.T) {
	g := newGen(1)
	for i := range 500 {
		if err := g.Profile(i).Validate(); err != nil {
			t.Fatalf("profile %d: %v", i, err)
		}
		if err := g.Vacancy(i).Validate(); err != nil {
			t.Fatalf("vacancy %d: %v", i, err)
		}
	}
}
