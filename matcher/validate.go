package matcher

import (
	"regexp"
	"time"
	"unicode/utf8"
)

var idRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
var municipalityRe = regexp.MustCompile(`^[0-9]{4}$`)

// ValidID reports whether s is a valid profile, vacancy or employer id.
func ValidID(s string) bool { return idRe.MatchString(s) }

// Limits on list and text sizes, so that one document cannot blow up the core.
const (
	MaxListLen  = 100
	MaxTermLen  = 200
	MaxTextLen  = 20000
	MaxHours    = 60
	MaxTravelKm = 500
)

// ValidDate reports whether s is a YYYY-MM-DD calendar date.
func ValidDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

type checker struct{ e ValidationError }

func (c *checker) id(field, v string) {
	if !ValidID(v) {
		c.e.add(field, "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'")
	}
}

func (c *checker) pc4(field string, v int) {
	if v < 1000 || v > 9999 {
		c.e.add(field, "must be a four-digit postcode area between 1000 and 9999")
	}
}

func (c *checker) hours(prefix string, lo, hi int) {
	if lo < 0 || lo > MaxHours {
		c.e.add(prefix+"_min", "must be between 0 and %d", MaxHours)
	}
	if hi < 0 || hi > MaxHours {
		c.e.add(prefix+"_max", "must be between 0 and %d", MaxHours)
	}
	if lo > hi {
		c.e.add(prefix+"_min", "must not be greater than hours_max")
	}
}

func (c *checker) oneOf(field, v string, set []string, optional bool) {
	if v == "" && optional {
		return
	}
	if rank(set, v) < 0 {
		c.e.add(field, "must be one of %v", set)
	}
}

func (c *checker) date(field, v string, optional bool) {
	if v == "" && optional {
		return
	}
	if !ValidDate(v) {
		c.e.add(field, "must be a date as YYYY-MM-DD")
	}
}

func (c *checker) text(field, v string, max int) {
	if !utf8.ValidString(v) {
		c.e.add(field, "must be valid UTF-8")
	} else if len(v) > max {
		c.e.add(field, "must be at most %d bytes", max)
	}
}

func (c *checker) terms(field string, vs []string) {
	if len(vs) > MaxListLen {
		c.e.add(field, "must have at most %d entries", MaxListLen)
		return
	}
	for i, v := range vs {
		f := field + "[" + itoa(i) + "]"
		if NormaliseTerm(v) == "" {
			c.e.add(f, "must not be empty")
		} else {
			c.text(f, v, MaxTermLen)
		}
	}
}

func (c *checker) setList(field string, vs []string, set []string) {
	if len(vs) > len(set) {
		c.e.add(field, "must have at most %d entries", len(set))
		return
	}
	for i, v := range vs {
		if rank(set, v) < 0 {
			c.e.add(field+"["+itoa(i)+"]", "must be one of %v", set)
		}
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}

// Validate checks a profile against the contract and returns a
// *ValidationError listing every field problem, or nil.
func (p *Profile) Validate() error {
	var c checker
	c.id("id", p.ID)
	if !municipalityRe.MatchString(p.Municipality) {
		c.e.add("municipality", "must be a four-digit CBS municipality code")
	}
	c.pc4("postcode4", p.Postcode4)
	if p.MaxTravelKm < 0 || p.MaxTravelKm > MaxTravelKm {
		c.e.add("max_travel_km", "must be between 0 and %d", MaxTravelKm)
	}
	c.terms("desired_occupations", p.DesiredOccupations)
	c.terms("skills", p.Skills)
	c.setList("branches", p.Branches, Branches)
	c.hours("hours", p.HoursMin, p.HoursMax)
	c.oneOf("education_level", p.EducationLevel, EducationLevels, true)
	c.oneOf("dutch_level", p.DutchLevel, CEFRLevels, true)
	c.setList("driving_licences", p.DrivingLicences, DrivingLicenceTypes)
	c.oneOf("perspectief", p.Perspectief, Perspectieven, false)
	c.date("available_from", p.AvailableFrom, true)
	c.oneOf("max_physical_load", p.MaxPhysicalLoad, PhysicalLoads, true)
	c.text("summary", p.Summary, MaxTextLen)
	c.date("registered_at", p.RegisteredAt, true)
	return c.e.orNil()
}

// Validate checks a vacancy against the contract. An empty status is
// accepted and means "open" (see Normalise).
func (v *Vacancy) Validate() error {
	var c checker
	c.id("id", v.ID)
	c.id("employer_id", v.EmployerID)
	if NormaliseTerm(v.Title) == "" {
		c.e.add("title", "must not be empty")
	}
	c.text("title", v.Title, MaxTermLen)
	c.text("description", v.Description, MaxTextLen)
	if v.Occupation != "" {
		c.terms("occupation", []string{v.Occupation})
	}
	c.oneOf("branch", v.Branch, Branches, false)
	c.pc4("postcode4", v.Postcode4)
	c.hours("hours", v.HoursMin, v.HoursMax)
	c.terms("required_skills", v.RequiredSkills)
	c.terms("preferred_skills", v.PreferredSkills)
	c.oneOf("education_level_min", v.EducationLevelMin, EducationLevels, true)
	c.oneOf("dutch_level_min", v.DutchLevelMin, CEFRLevels, true)
	c.setList("driving_licences", v.DrivingLicences, DrivingLicenceTypes)
	c.oneOf("physical_load", v.PhysicalLoad, PhysicalLoads, true)
	if v.Positions < 0 || v.Positions > 10000 {
		c.e.add("positions", "must be between 0 and 10000")
	}
	c.date("start_date", v.StartDate, true)
	c.date("closes_at", v.ClosesAt, true)
	c.oneOf("status", v.Status, VacancyStatuses, true)
	return c.e.orNil()
}

// Normalise fills defaults: an empty vacancy status is "open", zero
// positions is 1, absent lists are empty.
func (v *Vacancy) Normalise() {
	if v.Status == "" {
		v.Status = StatusOpen
	}
	if v.Positions == 0 {
		v.Positions = 1
	}
	emptyLists(&v.RequiredSkills, &v.PreferredSkills, &v.DrivingLicences)
}

// Normalise makes the profile's absent lists empty, so that it is stored
// and answered with [] where the contract has an array, never null.
func (p *Profile) Normalise() {
	emptyLists(&p.DesiredOccupations, &p.Skills, &p.Branches, &p.DrivingLicences)
}

func emptyLists(ls ...*[]string) {
	for _, l := range ls {
		if *l == nil {
			*l = []string{}
		}
	}
}
