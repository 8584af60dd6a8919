package corpus

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/werkmatch/werkmatch/matcher"
	"github.com/werkmatch/werkmatch/taxonomy"
)

// DefaultToday is the reference date used when Options.Today is zero, so
// that a corpus is the same on every day it is generated.
var DefaultToday = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// DefaultEmployers is the number of distinct employers when
// Options.Employers is zero.
const DefaultEmployers = 20000

// Demo employer ids: DemoVacancy alternates between them.
const (
	DemoEmployerA = "demo-employer-a"
	DemoEmployerB = "demo-employer-b"
)

// Options configure a Generator. The zero value is usable.
type Options struct {
	Seed int64
	// Taxonomy supplies occupations and skills; nil means taxonomy.Builtin().
	// Occupations without branches (ESCO) get one from their ISCO-08 group.
	Taxonomy *taxonomy.Taxonomy
	// PC4 restricts postcodes to these areas (e.g. those of a loaded
	// GeoNames file); nil spreads over all areas 1000-9999 of geo's coarse
	// table.
	PC4 []int
	// Today is the reference date for available_from, registered_at,
	// start_date and closes_at; zero means DefaultToday.
	Today time.Time
	// Employers is the number of distinct employer ids e00000..; zero means
	// DefaultEmployers (at most 100000).
	Employers int
	// URIs writes occupations and skills as taxonomy URIs instead of Dutch
	// labels.
	URIs bool
	// Municipality, when set and non-empty for a PC4, gives its CBS code
	// (geo.Table.Municipality fits); otherwise the code of the region's
	// main town is used.
	Municipality func(pc4 int) string
}

// Generator produces profiles and vacancies. It is immutable after New and
// safe for concurrent use.
type Generator struct {
	opts      Options
	seed      uint64
	today     time.Time
	employers int

	occs      []occ
	skills    []skill
	skillIdx  map[string]int // URI -> index in skills
	zipf      wtable         // over skills by popularity rank
	zipfOrder []int          // rank -> skill index
	occBranch map[string]wtable
	occList   map[string][]int // branch -> occupation indexes
	profBr    wtable
	profBrs   []string
	vacBr     wtable
	vacBrs    []string

	regions    wtable
	regionIDs  []int
	regionPC4  map[int][]int // only with Options.PC4
	vacRegions wtable
}

type occ struct {
	uri, label string
	alts       []string
	branches   []string
	essential  []int
	optional   []int
	licences   []string // typical licence requirement
	load       int      // typical physical load rank
}

type skill struct {
	uri, label string
	alts       []string
}

// wtable is a table for weighted random choice.
type wtable struct{ cum []float64 }

func newWTable(w []float64) wtable {
	cum := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		cum[i] = s
	}
	return wtable{cum}
}

func (t wtable) pick(r *rand.Rand) int {
	if len(t.cum) == 0 {
		return -1
	}
	x := r.Float64() * t.cum[len(t.cum)-1]
	i := sort.SearchFloat64s(t.cum, x)
	if i >= len(t.cum) {
		i = len(t.cum) - 1
	}
	for i < len(t.cum)-1 && t.cum[i] == x {
		i++
	}
	return i
}

// New prepares a generator: it indexes the taxonomy by branch and the
// postcode areas by weight.
func New(opts Options) *Generator {
	g := &Generator{opts: opts, seed: uint64(opts.Seed), today: opts.Today, employers: opts.Employers}
	if g.today.IsZero() {
		g.today = DefaultToday
	}
	g.today = time.Date(g.today.Year(), g.today.Month(), g.today.Day(), 0, 0, 0, 0, time.UTC)
	if g.employers <= 0 {
		g.employers = DefaultEmployers
	}
	g.employers = min(g.employers, 100000)
	tax := opts.Taxonomy
	if tax == nil {
		tax = taxonomy.Builtin()
	}
	g.buildTaxonomy(tax)
	g.buildRegions(opts.PC4)
	return g
}

func usableTerm(s string) bool {
	return len(s) > 0 && len(s) <= matcher.MaxTermLen && matcher.NormaliseTerm(s) != "" && matcher.DetectPersonalData(s) == ""
}

// usableTerms keeps the labels usableTerm accepts (nil when none).
func usableTerms(ls []string) []string {
	var out []string
	for _, l := range ls {
		if usableTerm(l) {
			out = append(out, l)
		}
	}
	return out
}

func (g *Generator) buildTaxonomy(tax *taxonomy.Taxonomy) {
	g.skillIdx = map[string]int{}
	for _, s := range tax.Skills() {
		if !usableTerm(s.Label) || !usableTerm(s.URI) {
			continue
		}
		g.skillIdx[s.URI] = len(g.skills)
		g.skills = append(g.skills, skill{uri: s.URI, label: s.Label, alts: usableTerms(s.AltLabels)})
	}
	popularity := make([]int, len(g.skills))
	g.occList = map[string][]int{}
	for _, o := range tax.Occupations() {
		if !usableTerm(o.Label) || !usableTerm(o.URI) {
			continue
		}
		var brs []string
		for _, b := range o.Branches {
			if matcher.BranchIndex(b) >= 0 && !slices.Contains(brs, b) {
				brs = append(brs, b)
			}
		}
		if len(brs) == 0 {
			if b := branchOfISCO(o.ISCO); b != "" {
				brs = []string{b}
			}
		}
		if len(brs) == 0 {
			continue
		}
		oc := occ{uri: o.URI, label: o.Label, branches: brs, alts: usableTerms(o.AltLabels)}
		for _, u := range o.Essential {
			if i, ok := g.skillIdx[u]; ok {
				oc.essential = append(oc.essential, i)
				popularity[i] += 2
			}
		}
		for _, u := range o.Optional {
			if i, ok := g.skillIdx[u]; ok {
				oc.optional = append(oc.optional, i)
				popularity[i]++
			}
		}
		oc.licences, oc.load = occupationTraits(oc.label, brs[0])
		idx := len(g.occs)
		g.occs = append(g.occs, oc)
		for _, b := range brs {
			g.occList[b] = append(g.occList[b], idx)
		}
	}
	if len(g.occs) == 0 {
		panic("corpus: the taxonomy has no occupation the generator can place in a branch")
	}
	// Occupation choice within a branch: an occupation whose first branch
	// it is weighs double.
	g.occBranch = map[string]wtable{}
	for b, list := range g.occList {
		w := make([]float64, len(list))
		for i, oi := range list {
			w[i] = 1
			if g.occs[oi].branches[0] == b {
				w[i] = 2
			}
		}
		g.occBranch[b] = newWTable(w)
	}
	g.profBrs, g.profBr = branchTable(profileBranchWeight, g.occList)
	g.vacBrs, g.vacBr = branchTable(vacancyBranchWeight, g.occList)
	// Zipf-like popularity of skills: rank by how many occupations use a
	// skill, weight 1/rank^1.1.
	g.zipfOrder = make([]int, len(g.skills))
	for i := range g.zipfOrder {
		g.zipfOrder[i] = i
	}
	sort.SliceStable(g.zipfOrder, func(a, b int) bool { return popularity[g.zipfOrder[a]] > popularity[g.zipfOrder[b]] })
	w := make([]float64, len(g.skills))
	for r := range w {
		w[r] = 1 / math.Pow(float64(r+1), 1.1)
	}
	g.zipf = newWTable(w)
}

func branchTable(weights map[string]float64, occList map[string][]int) ([]string, wtable) {
	var names []string
	var w []float64
	for _, b := range matcher.Branches {
		if len(occList[b]) == 0 {
			continue
		}
		x := weights[b]
		if x == 0 {
			x = 0.5
		}
		names = append(names, b)
		w = append(w, x)
	}
	return names, newWTable(w)
}

// occupationTraits derives the usual driving licence and physical load of
// an occupation from its label and main branch.
func occupationTraits(label, branch string) ([]string, int) {
	l := strings.ToLower(label)
	var lic []string
	switch {
	case strings.Contains(l, "vrachtwagen"):
		lic = []string{"C", "CE"}
	case strings.Contains(l, "bus"):
		lic = []string{"D"}
	case strings.Contains(l, "taxi"), strings.Contains(l, "pakket"), strings.Contains(l, "koerier") && !strings.Contains(l, "fiets"),
		strings.Contains(l, "bezorg") && !strings.Contains(l, "fiets") && !strings.Contains(l, "post"):
		lic = []string{"B"}
	}
	load := 1
	switch branch {
	case "Bouw", "Logistiek", "Groen", "Tuinbouw", "Grijs":
		load = 2
	case "ICT", "Overheid", "Dienstverlening":
		load = 0
	}
	return lic, load
}

func (g *Generator) buildRegions(pc4s []int) {
	if len(pc4s) > 0 {
		g.regionPC4 = map[int][]int{}
		for _, p := range pc4s {
			if p >= 1000 && p <= 9999 {
				g.regionPC4[p/100] = append(g.regionPC4[p/100], p)
			}
		}
		for _, l := range g.regionPC4 {
			slices.Sort(l)
		}
	}
	var w, vw []float64
	for r := 10; r <= 99; r++ {
		if g.regionPC4 != nil && len(g.regionPC4[r]) == 0 {
			continue
		}
		x := regionWeight[r]
		if x == 0 {
			x = 1
		}
		g.regionIDs = append(g.regionIDs, r)
		w = append(w, x)
		vw = append(vw, math.Sqrt(x)) // vacancies are spread more evenly
	}
	if len(g.regionIDs) == 0 {
		panic("corpus: Options.PC4 holds no area between 1000 and 9999")
	}
	g.regions = newWTable(w)
	g.vacRegions = newWTable(vw)
}

// Stream kinds: each document kind has its own family of random streams.
const (
	streamProfile = iota + 1
	streamVacancy
	streamEmployer
	streamDemo
)

func (g *Generator) rng(kind, i int) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed^0x9e3779b97f4a7c15, uint64(kind)<<56^uint64(i)))
}

// pc4In draws a postcode area in region r. Without a PC4 list the lower
// numbers (usually the town itself) are more likely.
func (g *Generator) pc4In(r *rand.Rand, region int) int {
	if g.regionPC4 != nil {
		l := g.regionPC4[region]
		return l[r.IntN(len(l))]
	}
	off := int(100 * math.Pow(r.Float64(), 1.4))
	return region*100 + min(off, 99)
}

func (g *Generator) municipality(region, pc4 int) string {
	if g.opts.Municipality != nil {
		if m := g.opts.Municipality(pc4); len(m) == 4 {
			return m
		}
	}
	return regionMunicipality[region]
}

func (g *Generator) date(days int) string { return g.today.AddDate(0, 0, days).Format("2006-01-02") }

// term returns the text of an occupation or skill as written in a
// document: the URI, the preferred label, or now and then a synonym.
func (g *Generator) term(r *rand.Rand, uri, label string, alts []string) string {
	if g.opts.URIs {
		return uri
	}
	if len(alts) > 0 && r.IntN(100) < 12 {
		return alts[r.IntN(len(alts))]
	}
	return label
}

func (g *Generator) skillTerm(r *rand.Rand, i int) string {
	s := &g.skills[i]
	return g.term(r, s.uri, s.label, s.alts)
}

func (g *Generator) zipfSkill(r *rand.Rand) int { return g.zipfOrder[g.zipf.pick(r)] }

func (g *Generator) pickOcc(r *rand.Rand, branch string) int {
	list := g.occList[branch]
	return list[g.occBranch[branch].pick(r)]
}

// choice picks from values by integer weights.
func choice[T any](r *rand.Rand, values []T, weights []int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return values[i]
		}
		x -= w
	}
	return values[len(values)-1]
}

type hoursRange struct{ lo, hi int }
