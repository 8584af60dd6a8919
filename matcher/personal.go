package matcher

import (
	"regexp"
	"strings"
)

// Personal-data detection. werkmatch refuses a document that carries a BSN
// (passing the 11-proef), an e-mail address, a Dutch phone number or an IBAN
// (passing its mod-97 check) in any free-text field. The detector reports
// the field and the kind, never the value.

var (
	emailRe = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}`)
	// Digit runs that may be separated by single spaces, dots or dashes.
	digitRunRe = regexp.MustCompile(`(?:\+|\b)\d(?:[ .\-]?\d){7,13}\b`)
	ibanRe     = regexp.MustCompile(`(?i)\b[a-z]{2}\d{2}(?: ?[a-z0-9]){10,30}\b`)
)

// BSNValid reports whether a 9-digit string passes the 11-proef.
func BSNValid(d string) bool {
	if len(d) != 9 {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		c := d[i]
		if c < '0' || c > '9' {
			return false
		}
		w := 9 - i
		if i == 8 {
			w = -1
		}
		sum += w * int(c-'0')
	}
	return sum != 0 && sum%11 == 0
}

// IBANValid reports whether s (spaces removed) passes the ISO 13616 mod-97
// check.
func IBANValid(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	r := s[4:] + s[:4]
	mod := 0
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c >= '0' && c <= '9':
			mod = (mod*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			mod = (mod*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return mod == 1
}

func digitsOnly(s string) (string, bool) {
	plus := strings.HasPrefix(s, "+")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String(), plus
}

// isDutchPhone: 10 digits starting with 0 (06…, 010…, 020…), or the
// international forms +31/0031 followed by 9 digits.
func isDutchPhone(d string, plus bool) bool {
	switch {
	case plus && strings.HasPrefix(d, "31") && len(d) == 11:
		return true
	case strings.HasPrefix(d, "0031") && len(d) == 13:
		return true
	case !plus && len(d) == 10 && d[0] == '0' && d[1] != '0':
		return true
	}
	return false
}

// DetectPersonalData returns the kind of personal data found in text
// ("email", "bsn", "phone", "iban"), or "" when none.
func DetectPersonalData(text string) string {
	if text == "" {
		return ""
	}
	if strings.Contains(text, "@") && emailRe.MatchString(text) {
		return "email"
	}
	for _, m := range ibanRe.FindAllString(text, -1) {
		if IBANValid(m) {
			return "iban"
		}
	}
	for _, m := range digitRunRe.FindAllString(text, -1) {
		d, plus := digitsOnly(m)
		if !plus && BSNValid(d) {
			return "bsn"
		}
		if isDutchPhone(d, plus) {
			return "phone"
		}
	}
	return ""
}

type pdChecker struct{ e PersonalDataError }

func (c *pdChecker) check(field, text string) {
	if kind := DetectPersonalData(text); kind != "" {
		c.e.Fields = append(c.e.Fields, FieldError{Field: field, Message: "contains personal data (" + kind + ")"})
	}
}

func (c *pdChecker) list(field string, vs []string) {
	for i, v := range vs {
		c.check(field+"["+itoa(i)+"]", v)
	}
}

func (c *pdChecker) err() error {
	if len(c.e.Fields) == 0 {
		return nil
	}
	return &c.e
}

// CheckPersonalData scans every free-text field of the profile and returns
// a *PersonalDataError naming the fields that carry personal data, or nil.
func (p *Profile) CheckPersonalData() error {
	var c pdChecker
	c.check("summary", p.Summary)
	c.list("desired_occupations", p.DesiredOccupations)
	c.list("skills", p.Skills)
	return c.err()
}

// CheckPersonalData scans every free-text field of the vacancy.
func (v *Vacancy) CheckPersonalData() error {
	var c pdChecker
	c.check("title", v.Title)
	c.check("description", v.Description)
	c.check("occupation", v.Occupation)
	c.list("required_skills", v.RequiredSkills)
	c.list("preferred_skills", v.PreferredSkills)
	return c.err()
}
