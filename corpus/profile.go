package corpus

import (
	"fmt"
	"math"
	"slices"

	"github.com/werkmatch/werkmatch/matcher"
)

var (
	profileHours = []hoursRange{
		{12, 24}, {12, 20}, {16, 24}, {8, 16}, {20, 32}, {24, 32}, {24, 36}, {32, 40}, {36, 40}, {16, 32}, {4, 12},
	}
	profileHoursW = []int{18, 6, 10, 5, 10, 10, 6, 16, 8, 7, 4}

	perspectieven = []string{matcher.PerspectiefWerken, matcher.PerspectiefWerkenAan, matcher.PerspectiefMeedoen}
	perspectiefW  = []int{50, 35, 15}
	educationW    = []int{12, 24, 14, 20, 11, 7, 4, 2, 5, 1} // over matcher.EducationLevels
	newcomerEduW  = []int{30, 10, 20, 15, 8, 5, 2, 2, 6, 2}
	cefrW         = []int{6, 14, 28, 22, 17, 13}
	newcomerCEFRW = []int{35, 40, 18, 6, 1, 0}
	travelKm      = []int{5, 8, 10, 15, 20, 25, 30, 40}
	travelCarW    = []int{2, 3, 10, 16, 20, 14, 12, 8}
	travelNoCarW  = []int{14, 14, 22, 18, 13, 7, 3, 1}
	loadW         = []int{30, 45, 25}
	banenLoadW    = []int{55, 35, 10}
)

// Profile returns profile i: id "p%07d", valid and free of personal data.
// It depends only on the options and i.
func (g *Generator) Profile(i int) *matcher.Profile {
	r := g.rng(streamProfile, i)
	p := &matcher.Profile{ID: fmt.Sprintf("p%07d", i)}

	region := g.regionIDs[g.regions.pick(r)]
	p.Postcode4 = g.pc4In(r, region)
	p.Municipality = g.municipality(region, p.Postcode4)
	p.Perspectief = choice(r, perspectieven, perspectiefW)
	p.Banenafspraak = r.IntN(100) < 15
	newcomer := r.IntN(100) < 18 // statushouder: Dutch still being learned
	p.OpenToOpenHiring = r.IntN(100) < 40
	if p.Perspectief == matcher.PerspectiefWerkenAan && r.IntN(100) < 10 {
		p.OpenToOpenHiring = true
	}

	// Occupations: a main one by placement weight, sometimes a second in the
	// same branch and a third anywhere.
	branch := g.profBrs[g.profBr.pick(r)]
	mainOcc := g.pickOcc(r, branch)
	occs := []int{mainOcc}
	if r.IntN(100) < 40 {
		if o := g.pickOcc(r, branch); !slices.Contains(occs, o) {
			occs = append(occs, o)
		}
	}
	if r.IntN(100) < 20 {
		if o := g.pickOcc(r, g.profBrs[g.profBr.pick(r)]); !slices.Contains(occs, o) {
			occs = append(occs, o)
		}
	}
	for _, o := range occs {
		oc := &g.occs[o]
		p.DesiredOccupations = append(p.DesiredOccupations, g.term(r, oc.uri, oc.label, oc.alts))
		b := oc.branches[0]
		if o == mainOcc {
			b = branch
		}
		if !slices.Contains(p.Branches, b) {
			p.Branches = append(p.Branches, b)
		}
	}
	if r.IntN(100) < 8 && !slices.Contains(p.Branches, "Uitzenden") {
		p.Branches = append(p.Branches, "Uitzenden")
	}

	// Skills: most essentials of the main occupation, some optionals, a few
	// general ones by popularity; some people list none at all.
	var sk []int
	if r.IntN(100) >= 6 {
		add := func(s int) {
			if !slices.Contains(sk, s) && len(sk) < 12 {
				sk = append(sk, s)
			}
		}
		m := &g.occs[mainOcc]
		for _, s := range m.essential {
			if r.IntN(100) < 70 {
				add(s)
			}
		}
		for _, s := range m.optional {
			if r.IntN(100) < 25 {
				add(s)
			}
		}
		for _, o := range occs[1:] {
			if es := g.occs[o].essential; len(es) > 0 && r.IntN(100) < 60 {
				add(es[r.IntN(len(es))])
			}
		}
		for n := 1 + r.IntN(3); n > 0 && len(g.skills) > 0; n-- {
			add(g.zipfSkill(r))
		}
		for _, s := range sk {
			p.Skills = append(p.Skills, g.skillTerm(r, s))
		}
	}
	if p.Skills == nil {
		p.Skills = []string{}
	}

	h := choice(r, profileHours, profileHoursW)
	p.HoursMin, p.HoursMax = h.lo, h.hi
	if newcomer {
		p.EducationLevel = choice(r, matcher.EducationLevels, newcomerEduW)
		p.DutchLevel = choice(r, matcher.CEFRLevels, newcomerCEFRW)
	} else {
		p.EducationLevel = choice(r, matcher.EducationLevels, educationW)
		p.DutchLevel = choice(r, matcher.CEFRLevels, cefrW)
	}

	// Licences: B is common, C/CE mostly among those who want to drive.
	lic := []string{}
	drivesForWork := len(g.occs[mainOcc].licences) > 0
	bShare := 45
	if drivesForWork {
		bShare = 92
	}
	if newcomer {
		bShare /= 3
	}
	if r.IntN(100) < 9 {
		lic = append(lic, "AM")
	}
	if r.IntN(100) < bShare {
		lic = append(lic, "B")
		if r.IntN(100) < 6 {
			lic = append(lic, "BE")
		}
		need := g.occs[mainOcc].licences
		switch {
		case slices.Contains(need, "CE") && r.IntN(100) < 75:
			lic = append(lic, "C", "CE")
		case slices.Contains(need, "D") && r.IntN(100) < 75:
			lic = append(lic, "D")
		case r.IntN(100) < 4:
			lic = append(lic, "C")
			if r.IntN(2) == 0 {
				lic = append(lic, "CE")
			}
		}
	}
	p.DrivingLicences = lic
	hasCar := slices.Contains(lic, "B") && r.IntN(100) < 70
	if hasCar {
		p.MaxTravelKm = choice(r, travelKm, travelCarW)
	} else {
		p.MaxTravelKm = choice(r, travelKm, travelNoCarW)
	}

	if p.Banenafspraak {
		p.MaxPhysicalLoad = choice(r, matcher.PhysicalLoads, banenLoadW)
	} else {
		w := loadW
		if g.occs[mainOcc].load == 2 {
			w = []int{10, 40, 50}
		}
		p.MaxPhysicalLoad = choice(r, matcher.PhysicalLoads, w)
	}

	switch p.Perspectief {
	case matcher.PerspectiefWerken:
		if r.IntN(100) < 85 {
			p.AvailableFrom = g.date(-r.IntN(90) + r.IntN(21))
		}
	case matcher.PerspectiefWerkenAan:
		if r.IntN(100) < 90 {
			p.AvailableFrom = g.date(r.IntN(150))
		}
	default:
		if r.IntN(100) < 50 {
			p.AvailableFrom = g.date(r.IntN(365))
		}
	}
	p.RegisteredAt = g.date(-(14 + int(1800*math.Pow(r.Float64(), 2))))
	p.Summary = g.profileSummary(r, p, mainOcc, occs, sk, h, hasCar, newcomer)
	return p
}
