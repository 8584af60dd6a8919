package corpus

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/werkmatch/werkmatch/matcher"
)

var (
	vacancyHours = []hoursRange{
		{32, 40}, {24, 32}, {16, 24}, {12, 20}, {20, 32}, {36, 40}, {8, 16}, {24, 40}, {12, 24},
	}
	vacancyHoursW = []int{28, 15, 14, 8, 10, 10, 5, 5, 5}
	positionsW    = []int{60, 20, 10, 5, 5}
	positionsOH   = []int{15, 25, 25, 15, 20}
	eduMinVals    = []string{"", "none", "vmbo", "mbo1", "mbo2", "mbo3", "mbo4", "havo"}
	eduMinW       = []int{45, 4, 15, 10, 15, 7, 3, 1}
	cefrMinVals   = []string{"", "A1", "A2", "B1", "B2", "C1"}
	cefrMinW      = []int{28, 5, 26, 31, 9, 1}
	statusVals    = []string{matcher.StatusOpen, matcher.StatusClosed, matcher.StatusFilled}
	statusW       = []int{92, 4, 4}
)

// employer is the fixed part of an employer: where it is and what it does.
type employer struct {
	region, pc4 int
	branch      string
}

func (g *Generator) employer(e int) employer {
	r := g.rng(streamEmployer, e)
	region := g.regionIDs[g.vacRegions.pick(r)]
	return employer{region: region, pc4: g.pc4In(r, region), branch: g.vacBrs[g.vacBr.pick(r)]}
}

// Vacancy returns vacancy i: id "v%07d", employer "e%05d", valid and free
// of personal data. It depends only on the options and i. Employers are
// drawn with a skew (a few large ones, many small ones); an employer's
// vacancies are mostly at its own location and in its own branch.
func (g *Generator) Vacancy(i int) *matcher.Vacancy {
	r := g.rng(streamVacancy, i)
	e := int(float64(g.employers) * r.Float64() * r.Float64())
	v := g.vacancy(r, g.employer(e), r.IntN(100) < 10, false)
	v.ID = fmt.Sprintf("v%07d", i)
	v.EmployerID = fmt.Sprintf("e%05d", e)
	return v
}

// demoSites are the postcode areas of the two demo employers: one in
// Rotterdam, one in Utrecht, where the demo corpus has many profiles.
var demoSites = [2]employer{{region: 30, pc4: 3011, branch: "Logistiek"}, {region: 35, pc4: 3511, branch: "Horeca"}}

// DemoVacancy returns demo vacancy i: id "demo-v%04d", owned by
// demo-employer-a for even i and demo-employer-b for odd i, always open,
// in a city where the demo corpus has many candidates. Every fifth
// demo vacancy uses open hiring.
func (g *Generator) DemoVacancy(i int) *matcher.Vacancy {
	r := g.rng(streamDemo, i)
	site := demoSites[i%2]
	if g.regionPC4 != nil {
		if l := g.regionPC4[site.region]; len(l) > 0 {
			site.pc4 = l[0]
		} else {
			site.region = g.regionIDs[0]
			site.pc4 = g.regionPC4[site.region][0]
		}
	}
	v := g.vacancy(r, site, i%5 == 4, true)
	v.ID = fmt.Sprintf("demo-v%04d", i)
	v.EmployerID = DemoEmployerA
	if i%2 == 1 {
		v.EmployerID = DemoEmployerB
	}
	v.Status = matcher.StatusOpen
	return v
}

// vacancy draws the common part of a vacancy at an employer's site; a
// demo vacancy is always at the site itself.
func (g *Generator) vacancy(r *rand.Rand, emp employer, openHiring, demo bool) *matcher.Vacancy {
	v := &matcher.Vacancy{OpenHiring: openHiring}
	switch x := r.IntN(100); {
	case x < 75 || demo:
		v.Postcode4 = emp.pc4
	case x < 90:
		v.Postcode4 = g.pc4In(r, emp.region)
	default:
		reg := g.regionIDs[g.vacRegions.pick(r)]
		v.Postcode4 = g.pc4In(r, reg)
	}
	branch := emp.branch
	if len(g.occList[branch]) == 0 || r.IntN(100) < 20 {
		branch = g.vacBrs[g.vacBr.pick(r)]
	}
	oi := g.pickOcc(r, branch)
	oc := &g.occs[oi]
	v.Branch = branch
	v.Occupation = g.term(r, oc.uri, oc.label, oc.alts)
	h := choice(r, vacancyHours, vacancyHoursW)
	v.HoursMin, v.HoursMax = h.lo, h.hi
	v.Positions = choice(r, []int{1, 2, 3, 4, 5}, positionsW)
	v.Status = choice(r, statusVals, statusW)
	v.BanenafspraakSuitable = r.IntN(100) < 12
	v.EducationLevelMin = choice(r, eduMinVals, eduMinW)
	v.DutchLevelMin = choice(r, cefrMinVals, cefrMinW)

	// Skills: one to three essentials required, a few preferred.
	v.RequiredSkills, v.PreferredSkills = []string{}, []string{}
	var used []int
	if n := len(oc.essential); n > 0 && !openHiring {
		perm := r.Perm(n)
		for _, k := range perm[:min(n, 1+r.IntN(3))] {
			used = append(used, oc.essential[k])
			v.RequiredSkills = append(v.RequiredSkills, g.skillTerm(r, oc.essential[k]))
		}
	}
	for _, s := range oc.optional {
		if r.IntN(100) < 35 && !slices.Contains(used, s) && len(v.PreferredSkills) < 3 {
			used = append(used, s)
			v.PreferredSkills = append(v.PreferredSkills, g.skillTerm(r, s))
		}
	}
	if r.IntN(100) < 40 && len(g.skills) > 0 {
		if s := g.zipfSkill(r); !slices.Contains(used, s) {
			v.PreferredSkills = append(v.PreferredSkills, g.skillTerm(r, s))
		}
	}

	// Licences and load follow the occupation, with some spread.
	v.DrivingLicences = []string{}
	switch {
	case slices.Contains(oc.licences, "CE"):
		v.DrivingLicences = []string{choice(r, []string{"C", "CE"}, []int{40, 60})}
	case len(oc.licences) > 0:
		v.DrivingLicences = []string{oc.licences[0]}
	case r.IntN(100) < 5:
		v.DrivingLicences = []string{"B"}
	}
	load := oc.load
	if x := r.IntN(100); x < 15 && load > 0 {
		load--
	} else if x >= 90 && load < 2 {
		load++
	}
	if r.IntN(100) < 85 {
		v.PhysicalLoad = matcher.PhysicalLoads[load]
	}

	// Applications close before the work starts.
	start := r.IntN(60)
	if r.IntN(100) < 75 {
		closes := 14 + r.IntN(90)
		v.ClosesAt = g.date(closes)
		start = closes + r.IntN(31)
	}
	if r.IntN(100) < 80 {
		v.StartDate = g.date(start)
	}
	if openHiring {
		v.EducationLevelMin = ""
		if v.DutchLevelMin != "" {
			v.DutchLevelMin = "A2"
		}
		if v.Positions < 2 {
			v.Positions = choice(r, []int{1, 2, 3, 4, 5}, positionsOH)
		}
	}
	v.Title = title(r, oc.label, h)
	v.Description = g.vacancyDescription(r, v, oc)
	return v
}

func title(r *rand.Rand, label string, h hoursRange) string {
	t := capitalise(label)
	switch x := r.IntN(100); {
	case x < 15 && h.hi <= 24:
		t += " (parttime)"
	case x < 25 && h.lo >= 32:
		t += " (fulltime)"
	case x < 32:
		t = "Allround " + label
	case x < 38:
		t += " gezocht"
	}
	return t
}

func (g *Generator) vacancyDescription(r *rand.Rand, v *matcher.Vacancy, oc *occ) string {
	b := []string{strings.Replace(pick(r, introLines), "%s", strings.ToLower(oc.label), 1)}
	n := 1 + r.IntN(3)
	for _, k := range r.Perm(len(workLines))[:n] {
		b = append(b, workLines[k])
	}
	if len(v.RequiredSkills) > 0 && !g.opts.URIs {
		b = append(b, "Belangrijk in dit werk: "+strings.ToLower(strings.Join(v.RequiredSkills, ", "))+".")
	}
	b = append(b, "Het gaat om "+strconv.Itoa(v.HoursMin)+" tot "+strconv.Itoa(v.HoursMax)+" uur per week.")
	if r.IntN(100) < 60 {
		b = append(b, pick(r, offerLines))
	}
	if v.BanenafspraakSuitable {
		b = append(b, pick(r, banenVacLines))
	}
	if v.OpenHiring {
		b = append(b, pick(r, openHiringLines))
	}
	b = append(b, pick(r, applyLines))
	return strings.Join(b, " ")
}
