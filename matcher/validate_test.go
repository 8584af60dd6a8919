package matcher

import (
	"errors"
	"testing"
)

func validProfile() *Profile {
	return &Profile{ID: "p-1", Municipality: "0363", Postcode4: 1011, MaxTravelKm: 15,
		Skills: []string{"heftruck besturen"}, Branches: []string{"Logistiek"}, HoursMin: 16, HoursMax: 24,
		EducationLevel: "mbo2", DutchLevel: "B1", DrivingLicences: []string{"B"}, Perspectief: "werken",
		MaxPhysicalLoad: "medium", AvailableFrom: "2026-01-01", RegisteredAt: "2025-06-01"}
}

func TestProfileValidate(t *testing.T) {
	if err := validProfile().Validate(); err != nil {
		t.Fatalf("valid profile rejected: %v", err)
	}
	cases := []struct {
		name  string
		mod   func(*Profile)
		field string
	}{
		{"bad id", func(p *Profile) { p.ID = "a b" }, "id"},
		{"pc4 low", func(p *Profile) { p.Postcode4 = 999 }, "postcode4"},
		{"hours inverted", func(p *Profile) { p.HoursMin, p.HoursMax = 30, 20 }, "hours_min"},
		{"hours too many", func(p *Profile) { p.HoursMax = 61 }, "hours_max"},
		{"branch", func(p *Profile) { p.Branches = []string{"Ruimtevaart"} }, "branches[0]"},
		{"perspectief", func(p *Profile) { p.Perspectief = "" }, "perspectief"},
		{"cefr", func(p *Profile) { p.DutchLevel = "D1" }, "dutch_level"},
		{"date", func(p *Profile) { p.AvailableFrom = "2026-13-01" }, "available_from"},
		{"municipality", func(p *Profile) { p.Municipality = "363" }, "municipality"},
		{"empty skill", func(p *Profile) { p.Skills = []string{" - "} }, "skills[0]"},
		{"licence", func(p *Profile) { p.DrivingLicences = []string{"Z"} }, "driving_licences[0]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := validProfile()
			c.mod(p)
			err := p.Validate()
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("want ValidationError, got %v", err)
			}
			found := false
			for _, f := range ve.Fields {
				found = found || f.Field == c.field
			}
			if !found {
				t.Fatalf("no error on %s: %v", c.field, err)
			}
		})
	}
}

func TestVacancyValidateAndNormalise(t *testing.T) {
	v := &Vacancy{ID: "v1", EmployerID: "emp-a", Title: "Orderpicker", Branch: "Logistiek", Postcode4: 3011, HoursMin: 20, HoursMax: 32}
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	v.Normalise()
	if v.Status != StatusOpen || v.Positions != 1 {
		t.Fatalf("defaults not filled: %+v", v)
	}
	v.Branch = "Logistics"
	if err := v.Validate(); !errors.Is(err, ErrInvalid) {
		t.Fatal("unknown branch accepted")
	}
}

func TestPersonalData(t *testing.T) {
	cases := []struct {
		text, kind string
	}{
		{"Werkt graag buiten.", ""},
		{"mail me op jan.jansen@example.nl", "email"},
		{"BSN 111222333", "bsn"},
		{"bsn: 111 222 333", "bsn"},
		{"nummer 123456789 is geen bsn", ""},
		{"bel 06-12345678", "phone"},
		{"bel +31 6 12345678", "phone"},
		{"tel 020 1234567", "phone"},
		{"rekening NL91 ABNA 0417 1643 00", "iban"},
		{"rekening NL91ABNA0417164301", ""}, // checksum fails
		{"16 tot 24 uur per week, 2 dagen", ""},
		{"postcode 1011 en 3011", ""},
	}
	for _, c := range cases {
		if got := DetectPersonalData(c.text); got != c.kind {
			t.Errorf("DetectPersonalData(%q) = %q, want %q", c.text, got, c.kind)
		}
	}
	p := validProfile()
	p.Summary = "bel 0612345678"
	err := p.CheckPersonalData()
	var pe *PersonalDataError
	if !errors.As(err, &pe) || pe.Fields[0].Field != "summary" || !errors.Is(err, ErrPersonalData) {
		t.Fatalf("got %v", err)
	}
	if got := pe.Error(); got == "" || contains(got, "0612345678") {
		t.Fatalf("error echoes the value: %q", got)
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestNormaliseTerm(t *testing.T) {
	for in, want := range map[string]string{
		"  Inspiciënte ":     "inspiciente",
		"Heftruck-Chauffeur": "heftruck chauffeur",
		"ÉÉN, twee":          "een twee",
		"":                   "",
	} {
		if got := NormaliseTerm(in); got != want {
			t.Errorf("NormaliseTerm(%q) = %q, want %q", in, got, want)
		}
	}
}
