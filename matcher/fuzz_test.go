package matcher

import (
	"encoding/json"
	"testing"
)

// FuzzProfileDecode: any byte sequence decoded as a profile must either fail
// to decode, fail validation with field errors, or pass; never panic. A
// profile that validates must survive a JSON round trip unchanged.
func FuzzProfileDecode(f *testing.F) {
	f.Add([]byte(`{"id":"p1","municipality":"0363","postcode4":1011,"max_travel_km":10,"hours_min":12,"hours_max":24,"perspectief":"werken","skills":["heftruck"],"summary":"werkt graag"}`))
	f.Add([]byte(`{"id":"","postcode4":-1,"hours_min":40,"hours_max":2}`))
	f.Add([]byte(`{"summary":"bel 0612345678 of mail a@b.nl NL91ABNA0417164300 111222333"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Profile
		if json.Unmarshal(data, &p) != nil {
			return
		}
		_ = p.CheckPersonalData()
		if err := p.Validate(); err != nil {
			if ve, ok := err.(*ValidationError); !ok || len(ve.Fields) == 0 {
				t.Fatalf("validation error without fields: %v", err)
			}
			return
		}
		b, err := json.Marshal(&p)
		if err != nil {
			t.Fatal(err)
		}
		var q Profile
		if err := json.Unmarshal(b, &q); err != nil {
			t.Fatal(err)
		}
		if q.Validate() != nil {
			t.Fatalf("round trip broke a valid profile")
		}
	})
}

// FuzzVacancyDecode is FuzzProfileDecode for vacancies.
func FuzzVacancyDecode(f *testing.F) {
	f.Add([]byte(`{"id":"v1","employer_id":"e1","title":"Orderpicker","branch":"Logistiek","postcode4":3011,"hours_min":20,"hours_max":32,"required_skills":["orderpicken"],"status":"open"}`))
	f.Add([]byte(`{"title":"\u0000","branch":"x","closes_at":"2026-02-30"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v Vacancy
		if json.Unmarshal(data, &v) != nil {
			return
		}
		_ = v.CheckPersonalData()
		if err := v.Validate(); err != nil {
			if ve, ok := err.(*ValidationError); !ok || len(ve.Fields) == 0 {
				t.Fatalf("validation error without fields: %v", err)
			}
		}
	})
}

// FuzzDetectPersonalData: the detector never panics and is deterministic.
func FuzzDetectPersonalData(f *testing.F) {
	for _, s := range []string{"", "111222333", "+31 6 12345678", "NL91 ABNA 0417 1643 00", "x@y.nl", "06-1234-5678",
		"+31 (0)6 12345678", "bsn123456782 2", "01-09-2025 08:00", "jan(at)x.nl", "NL91ABNA0417164300 graag", "\uff10\uff16\u00a012345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if DetectPersonalData(s) != DetectPersonalData(s) {
			t.Fatal("not deterministic")
		}
	})
}
