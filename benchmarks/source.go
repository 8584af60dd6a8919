package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/werkmatch/werkmatch/matcher"
)

// source yields the corpus deterministically per (seed, i).
type source struct {
	seed        int64
	today       string
	now         func() time.Time
	tax         matcher.Taxonomy
	maxTravelKm int
}

func newSource(seed int64) *source {
	t := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	return &source{seed: seed, today: t.Format(time.DateOnly), now: func() time.Time { return t }, maxTravelKm: 60}
}

// synonyms are the synonym sets loaded into the index.
func (s *source) synonyms() [][]string { return nil }

type occ struct {
	label, branch string
	skills        []string
}

var occupations = []occ{
	{"magazijnmedewerker", "Logistiek", []string{"orderpicken", "heftruck rijden", "voorraadbeheer", "laden en lossen", "scannen"}},
	{"schoonmaker", "Facilitair", []string{"schoonmaken", "hygiene", "afvalscheiding", "vloeronderhoud"}},
	{"verzorgende ig", "Zorg", []string{"persoonlijke verzorging", "medicatie", "rapporteren", "hygiene"}},
	{"kok", "Horeca", []string{"koken", "hygiene", "menu samenstellen", "voorraadbeheer"}},
	{"vakkenvuller", "Detailhandel", []string{"vakkenvullen", "klantvriendelijkheid", "kassa", "voorraadbeheer"}},
	{"timmerman", "Bouw", []string{"timmeren", "tekening lezen", "veiligheid", "meten"}},
	{"hovenier", "Groen", []string{"snoeien", "maaien", "beplanting", "veiligheid"}},
	{"vrachtwagenchauffeur", "Transport", []string{"rijden", "laden en lossen", "planning", "tachograaf"}},
	{"productiemedewerker", "Productie", []string{"machine bedienen", "kwaliteitscontrole", "veiligheid", "inpakken"}},
	{"servicedesk medewerker", "ICT", []string{"klantvriendelijkheid", "computervaardigheden", "rapporteren", "telefoneren"}},
	{"elektromonteur", "Techniek", []string{"elektrotechniek", "tekening lezen", "veiligheid", "meten"}},
	{"administratief medewerker", "Dienstverlening", []string{"computervaardigheden", "archiveren", "telefoneren", "rapporteren"}},
}

var licences = []string{"B", "C", "CE", "T"}

func (s *source) rng(kind, i int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(s.seed), uint64(kind)<<40|uint64(i)))
}

func pc4(r *rand.Rand) int { return 1000 + 100*r.IntN(90) + r.IntN(100) }

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func (s *source) Profile(i int) *matcher.Profile {
	r := s.rng(1, i)
	o := pick(r, occupations)
	hmin := 4 * r.IntN(8)
	p := &matcher.Profile{
		ID: fmt.Sprintf("p%07d", i), Municipality: fmt.Sprintf("%04d", 1+r.IntN(400)),
		Postcode4: pc4(r), MaxTravelKm: 5 + 5*r.IntN(s.maxTravelKm/5),
		DesiredOccupations: []string{o.label}, Branches: []string{o.branch},
		HoursMin: hmin, HoursMax: min(40, hmin+8+4*r.IntN(4)),
		EducationLevel: pick(r, matcher.EducationLevels[:7]), DutchLevel: pick(r, matcher.CEFRLevels),
		Perspectief: pick(r, matcher.Perspectieven), OpenToOpenHiring: r.IntN(3) == 0, Banenafspraak: r.IntN(8) == 0,
		MaxPhysicalLoad: pick(r, matcher.PhysicalLoads), RegisteredAt: fmt.Sprintf("20%02d-%02d-%02d", 18+r.IntN(8), 1+r.IntN(12), 1+r.IntN(28)),
		Summary: "Werkzoekende met ervaring als " + o.label,
	}
	for _, sk := range o.skills {
		if r.IntN(3) > 0 {
			p.Skills = append(p.Skills, sk)
		}
	}
	for _, l := range licences {
		if r.IntN(4) == 0 {
			p.DrivingLicences = append(p.DrivingLicences, l)
		}
	}
	if r.IntN(2) == 0 {
		p.AvailableFrom = fmt.Sprintf("2026-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28))
	}
	return p
}

func (s *source) Vacancy(i int) *matcher.Vacancy {
	r := s.rng(2, i)
	o := pick(r, occupations)
	hmin := 8 + 4*r.IntN(6)
	v := &matcher.Vacancy{
		ID: fmt.Sprintf("v%07d", i), EmployerID: fmt.Sprintf("e%05d", r.IntN(50000)),
		Title: o.label, Description: "Wij zoeken een " + o.label, Occupation: o.label, Branch: o.branch,
		Postcode4: pc4(r), HoursMin: hmin, HoursMax: min(40, hmin+4*r.IntN(4)),
		EducationLevelMin: pick(r, matcher.EducationLevels[:5]), DutchLevelMin: pick(r, matcher.CEFRLevels[:3]),
		PhysicalLoad: pick(r, matcher.PhysicalLoads), OpenHiring: r.IntN(10) == 0, Positions: 1 + r.IntN(3),
		StartDate: fmt.Sprintf("2027-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28)), Status: matcher.StatusOpen,
		BanenafspraakSuitable: r.IntN(4) == 0,
	}
	v.RequiredSkills = append(v.RequiredSkills, o.skills[:2]...)
	v.PreferredSkills = append(v.PreferredSkills, o.skills[2:]...)
	if r.IntN(5) == 0 {
		v.DrivingLicences = []string{pick(r, licences)}
	}
	return v
}
