package matcher

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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
		{"mail jan.jansen@mail.gemeente.example.nl", "email"},
		{"mail jan(at)example.nl", "email"},
		{"mail jan [at] example [punt] nl", "email"},
		{"mail jan\uff20example.nl", "email"}, // full-width @
		{"BSN 111222333", "bsn"},
		{"bsn: 111 222 333", "bsn"},
		{"BSN 123.456.782", "bsn"},
		{"sofinummer 1234.56.782", "bsn"},
		{"BSN 123456782 2 kinderen", "bsn"},
		{"bsn123456782", "bsn"},
		{"BSN 123\u00a0456\u00a0782", "bsn"},
		{"BSN \uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff12", "bsn"}, // full-width digits
		{"BSN 12345\u200b6782", "bsn"},                                        // zero-width space
		{"nummer 123456789 is geen bsn", ""},
		{"bel 06-12345678", "phone"},
		{"bel +31 6 12345678", "phone"},
		{"tel 020 1234567", "phone"},
		{"bel 06 12345678 2 dagen per week", "phone"},
		{"+31 (0)6 12345678", "phone"},
		{"+31(0)612345678", "phone"},
		{"+31 (0)10 1234567", "phone"},
		{"0031 6 12345678", "phone"},
		{"(010) 123 45 67", "phone"},
		{"(010)1234567", "phone"},
		{"(06) 12345678", "phone"},
		{"010 - 1234567", "phone"},
		{"06 - 12 34 56 78", "phone"},
		{"06\u201312345678", "phone"}, // en dash
		{"06/12345678", "phone"},
		{"06\u00a012345678", "phone"},
		{"tel0612345678", "phone"},
		{"+49 30 1234567", "phone"},
		{"rekening NL91 ABNA 0417 1643 00", "iban"},
		{"IBAN NL91ABNA0417164300 graag", "iban"},
		{"betaal op NL91ABNA0417164300 voor 1 mei", "iban"},
		{"NL91ABNA0417164300 a.u.b.", "iban"},
		{"nl91 abna 0417 1643 00, dank", "iban"},
		{"NL91\u00a0ABNA\u00a00417\u00a01643\u00a000", "iban"},
		{"BE68 5390 0754 7034", "iban"},
		{"DE89 3704 0044 0532 0130 00 en meer", "iban"},
		{"rekening NL91ABNA0417164301", ""}, // checksum fails
		// from a review: quotes, brackets, bullets and emoji before a number,
		// other countries' IBANs, (at) with spaces or capitals, direction marks
		{"bel \u201c0612345678\u201d", "phone"},
		{"BSN \u00ab123456782\u00bb", "bsn"},
		{"\u20220612345678", "phone"},
		{"\U0001F4DE0612345678", "phone"},
		{"RS35260005601001611379", "iban"},
		{"SA0380000000608010167519", "iban"},
		{"jan ( at ) example.nl", "email"},
		{"jan (At) example.nl", "email"},
		{"jan [ at ] x [dot] nl", "email"},
		{"06\u200e12345678", "phone"},
		{"caf\u00e9 12 uur", ""},
		{"16 tot 24 uur per week, 2 dagen", ""},
		{"postcode 1011 en 3011", ""},
		{"Start 01-09-2025 08:00, ma t/m vr", ""},
		{"per 01-01-2026 32 uur per week", ""},
		{"Sollicitatiegesprek op 05-03-2025 09:30 uur", ""},
		{"Beschikbaar vanaf 03-02-2026 10 uur per week", ""},
		{"vanaf 06-09-2025 08 uur", ""},
		{"vanaf 2025-09-06 0800", ""},
		{"40 uur, postcode 3011, 1234 AB, 2020-2024", ""},
		{"salaris \u20ac 2.500,00 tot \u20ac 3.100,00", ""},
		{"32-40 uur, 08:00-17:00, kvk 12345678", ""},
		{"artikelnummer A0612345678", ""},
		{"uren 0 8 16 24 32 40", ""},
		{"ref 01 09 2025 32", ""},
	}
	for _, c := range cases {
		if got := DetectPersonalData(c.text); got != c.kind {
			t.Errorf("DetectPersonalData(%q) = %q, want %q", c.text, got, c.kind)
		}
	}
	// A date followed by a number of days: the old reading joined them
	// into a nine- or ten-digit number and refused one in eleven as a BSN.
	for d := 1; d <= 28; d++ {
		for m := 1; m <= 12; m++ {
			for n := 1; n <= 9; n++ {
				s := fmt.Sprintf("vanaf %02d-%02d-2025 %d dagen", d, m, n)
				if got := DetectPersonalData(s); got != "" {
					t.Fatalf("DetectPersonalData(%q) = %q, want none", s, got)
				}
			}
		}
	}
	for id, kind := range map[string]string{
		"123456782": "bsn", "p-123456782": "bsn", "0612345678": "phone",
		"NL91ABNA0417164300": "iban", "gem-0599-000123": "", "p0000804": "", "demo-v0001": "",
		"123456789": "", "0031612345678": "phone", "p-0031612345678": "phone",
	} {
		if got := IDPersonalData(id); got != kind {
			t.Errorf("IDPersonalData(%q) = %q, want %q", id, got, kind)
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

// BenchmarkDetectPersonalData: a vacancy description of about 700 bytes
// with dates, hours, amounts and a postcode, and no personal data.
func BenchmarkDetectPersonalData(b *testing.B) {
	text := strings.Repeat("Voor ons magazijn in Rotterdam (postcode 3011) zoeken wij per 01-09-2025 een orderpicker voor 24-32 uur per week, "+
		"werktijden 07:30-16:00, salaris € 2.500,00 tot € 2.900,00 bruto. ", 4)
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if DetectPersonalData(text) != "" {
			b.Fatal("false alarm")
		}
	}
}

// TestJSONListsNeverNull: a document written without its lists or its
// optional levels is normalised to [] and encoded without the levels, as
// the contract's schemas say, never null or "".
func TestJSONListsNeverNull(t *testing.T) {
	p0, v0 := &Profile{ID: "p"}, &Vacancy{ID: "v"}
	p0.Normalise()
	v0.Normalise()
	for _, doc := range []any{*p0, p0, *v0, v0} {
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if strings.Contains(s, "null") {
			t.Errorf("%T: %s", doc, s)
		}
		for _, k := range []string{`"education_level"`, `"dutch_level"`, `"max_physical_load"`, `"education_level_min"`, `"physical_load"`} {
			if strings.Contains(s, k) {
				t.Errorf("%T: %s has an empty %s", doc, s, k)
			}
		}
		lists := []string{"desired_occupations", "skills", "branches", "driving_licences"}
		if _, ok := doc.(Vacancy); ok || strings.HasPrefix(s, `{"id":"v"`) {
			lists = []string{"required_skills", "preferred_skills", "driving_licences"}
		}
		for _, l := range lists {
			if !strings.Contains(s, `"`+l+`":[]`) {
				t.Errorf("%T: %s has no empty %s", doc, s, l)
			}
		}
	}
	var p Profile
	if err := json.Unmarshal([]byte(`{"id":"p","skills":["lassen"]}`), &p); err != nil || len(p.Skills) != 1 || p.Skills[0] != "lassen" {
		t.Fatalf("round trip: %+v %v", p, err)
	}
}

// BenchmarkProfileJSON: encoding a full profile, as the store and the
// ETag do on every write.
func BenchmarkProfileJSON(b *testing.B) {
	p := validProfile()
	p.Summary = "Zoekt werk onder schooltijden, het liefst in een magazijn."
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDetectPersonalDataHostile: 20 KB of letters and digits mixed,
// which made the detector quadratic (194 ms for "\u00e91" repeated).
func BenchmarkDetectPersonalDataHostile(b *testing.B) {
	for _, unit := range []string{"\u00e91", "NL12", "a1"} {
		text := strings.Repeat(unit, MaxTextLen/len(unit))
		b.Run(fmt.Sprintf("%q", unit), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				DetectPersonalData(text)
			}
		})
	}
}
