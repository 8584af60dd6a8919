package matcher

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Personal-data detection. werkmatch refuses a document that carries a BSN
// (passing the 11-proef), an e-mail address, a phone number or an IBAN
// (passing its mod-97 check) in any free-text field, and an id that is a
// BSN, a phone number or an IBAN. The detector reports the field and the
// kind, never the value.
//
// Text is first folded (pdText) so that the ways people and word
// processors write numbers meet: full-width and other digits, non-breaking
// and other spaces, en dashes, zero-width characters. Numbers are then
// read as groups of digits that separators join ("06 - 12 34 56 78",
// "(010) 123 45 67", "123.456.782"), and every run of whole groups is
// tried on its own, so that a number next to another ("BSN 123456782 2
// kinderen") is still found and two numbers never hide each other. Dates
// (01-09-2025, 2025-09-01) are taken out first: a date followed by an hour
// count is not a phone number.

var (
	emailRe = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}`)
	// An address written with (at) or [at] for the @.
	emailAtRe = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+ ?[\[(] ?at ?[\])] ?[a-z0-9\-]+( ?\. ?[a-z0-9\-]+)*( ?\. ?| ?[\[(] ?(dot|punt) ?[\])] ?)[a-z]{2,}\b`)
)

// ibanLen is the length of an IBAN per country (the IBAN registry of ISO
// 13616). An IBAN of a country not listed is tried at every length that
// ends a group of its letters and digits (see hasIBAN).
var ibanLen = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
	"BH": 22, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22,
	"DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
	"GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28,
	"IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
	"LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
	"ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24,
	"PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31,
	"SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "TL": 23, "TN": 24, "TR": 26,
	"UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

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

// pdText folds the forms in which a number can be written: compatibility
// forms (full-width digits and letters, non-breaking and other spaces) by
// NFKC, every other decimal digit to its ASCII digit, dashes to '-', other
// spaces to ' ', and zero-width characters and soft hyphens away. ASCII
// text is returned as it is.
func pdText(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case unicode.Is(unicode.Cf, r): // zero-width and direction marks, soft hyphens
		case unicode.Is(unicode.Pd, r) || r == '\u2212':
			b.WriteByte('-')
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case unicode.IsDigit(r):
			b.WriteByte(byte('0' + digitValue(r)))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// digitValue is the value of a decimal digit: Unicode puts each script's
// digits 0-9 in a row, so it is the distance to the start of the row
// (rows that follow each other, as the mathematical digits do, count on
// modulo ten).
func digitValue(r rune) int {
	start := r
	for unicode.IsDigit(start - 1) {
		start--
	}
	return int(r-start) % 10
}

// DetectPersonalData returns the kind of personal data found in text
// ("email", "bsn", "phone", "iban"), or "" when none.
func DetectPersonalData(text string) string {
	if text == "" {
		return ""
	}
	text = pdText(text)
	if strings.Contains(text, "@") && emailRe.MatchString(text) {
		return "email"
	}
	if strings.ContainsAny(text, ")]") && containsFold(text, "at") && emailAtRe.MatchString(text) {
		return "email"
	}
	if hasIBAN(text) {
		return "iban"
	}
	return numberKind(text)
}

// containsFold reports whether s contains the ASCII word part w in any
// case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// hasIBAN reports whether text holds an IBAN that passes the mod-97
// check, written in one piece or in groups of letters and digits with
// single spaces between them. The IBAN must end where a word ends: the
// words after it are not part of it. For a listed country only its length
// is tried; for another, every length from 15 to 34 that ends a group.
func hasIBAN(text string) bool {
	var b [34]byte
	for i := 0; i+4 <= len(text); i++ {
		if i > 0 && isAlnum(text[i-1]) || !isLetter(text[i]) || !isLetter(text[i+1]) || !isDigit(text[i+2]) || !isDigit(text[i+3]) {
			continue
		}
		n, known := ibanLen[string([]byte{upper(text[i]), upper(text[i+1])})]
		k := 0
		for j := i; j < len(text) && k < 34; j++ {
			c := text[j]
			switch {
			case isAlnum(c):
				b[k] = upper(c)
				k++
			case c == ' ' && j > i && text[j-1] != ' ':
				continue
			default:
				j = len(text) // not part of an IBAN
				continue
			}
			end := j+1 == len(text) || !isAlnum(text[j+1])
			if !end || k < 15 || known && k != n {
				continue
			}
			if IBANValid(string(b[:k])) {
				return true
			}
		}
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// digitGroup is a run of digits in the folded text.
type digitGroup struct {
	start, end int
	plus       bool // preceded by '+'
	joined     bool // joined to the group before by separators only
	date       bool // part of a calendar date: 01-09-2025, 2025-09-01
}

// numberPrefixes may stand right before a number without a space
// (bsn123456782, tel0612345678).
var numberPrefixes = []string{"bsn", "sofi", "tel", "telnr", "nr", "mob", "mobiel", "gsm", "nummer"}

// digitGroups returns the digit groups of text that start a number: after
// a non-letter, or right after one of numberPrefixes. Groups that only
// separators (" .-/()", at most three of them) part are joined.
func digitGroups(text string) []digitGroup {
	var gs []digitGroup
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		g := digitGroup{start: i, end: j}
		if i > 0 && wordBefore(text[:i]) && !afterPrefix(text[:i]) {
			i = j
			continue // part of a word or code: A12345678
		}
		g.plus = i > 0 && text[i-1] == '+'
		if n := len(gs); n > 0 && !g.plus {
			// groups are maximal runs, so the gap holds at least one byte
			gap := text[gs[n-1].end:i]
			g.joined = len(gap) <= 3 && strings.Trim(gap, " .-/()") == ""
		}
		gs = append(gs, g)
		i = j
	}
	markDates(text, gs)
	return gs
}

// markDates marks the groups that make a calendar date: day, month and a
// year from 1900 to 2099, or the year first, parted by single '-', '/' or
// '.'.
func markDates(text string, gs []digitGroup) {
	for i := 0; i+2 < len(gs); i++ {
		a, b, c := gs[i], gs[i+1], gs[i+2]
		if !b.joined || !c.joined || b.start-a.end != 1 || c.start-b.end != 1 ||
			!strings.ContainsRune("-/.", rune(text[a.end])) || !strings.ContainsRune("-/.", rune(text[b.end])) ||
			c.end < len(text) && isAlnum(text[c.end]) {
			continue
		}
		la, lb, lc := a.end-a.start, b.end-b.start, c.end-c.start
		year := func(g digitGroup) bool {
			return g.end-g.start == 4 && (text[g.start:g.start+2] == "19" || text[g.start:g.start+2] == "20")
		}
		if la <= 2 && lb <= 2 && year(c) || year(a) && lb <= 2 && lc <= 2 {
			gs[i].date, gs[i+1].date, gs[i+2].date = true, true, true
			i += 2
		}
	}
}

// wordBefore reports whether s ends in a letter, digit or mark: a number
// right after it is part of a word or code (A12345678), while one after a
// quote, bracket, bullet or emoji is not.
func wordBefore(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func afterPrefix(s string) bool {
	s = strings.ToLower(s[max(0, len(s)-8):]) // the longest prefix and the byte before it
	for _, p := range numberPrefixes {
		if strings.HasSuffix(s, p) && (len(s) == len(p) || !isAlnum(s[len(s)-len(p)-1])) {
			return true
		}
	}
	return false
}

// numberKind tries every run of joined digit groups as a BSN and as a
// phone number, and returns the kind of the first it finds.
func numberKind(text string) string {
	gs := digitGroups(text)
	var d []byte
	for i := range gs {
		d = d[:0]
		short := false // a group of one digit in the run
		for j := i; j < len(gs) && (j == i || gs[j].joined) && !gs[j].date; j++ {
			g := gs[j]
			d = append(d, text[g.start:g.end]...)
			if len(d) > 15 {
				break
			}
			if j > i && g.end-g.start < 2 {
				short = true
			}
			if g.end < len(text) && isAlnum(text[g.end]) && text[g.end] > '9' {
				break // the number runs into a word: 123456782abc
			}
			first := text[gs[i].start:gs[i].end]
			if !gs[i].plus && len(d) == 9 && (i == j || !short && len(first) >= 2) && BSNValid(string(d)) {
				return "bsn"
			}
			if isPhone(string(d), first, gs[i].plus, i == j) {
				return "phone"
			}
		}
	}
	return ""
}

// isPhone reports whether the digits d (first: the first group) read as a
// phone number: Dutch, 10 digits from 0 (0612345678, 06-12345678, 010 123
// 45 67), with +31 or 0031 before the number without its 0 (or with it in
// brackets: +31 (0)6 12345678), or any international number with a '+'.
func isPhone(d, first string, plus, single bool) bool {
	switch {
	case plus:
		if rest, ok := strings.CutPrefix(d, "31"); ok {
			rest = strings.TrimPrefix(rest, "0")
			return len(rest) == 9 && rest[0] != '0'
		}
		return len(d) >= 10 && len(d) <= 15
	case strings.HasPrefix(d, "0031"):
		rest := strings.TrimPrefix(d[4:], "0")
		return len(rest) == 9 && rest[0] != '0'
	case len(d) == 10 && d[0] == '0' && d[1] != '0':
		// One group, or an area code and the number: 06 and 010, 0118
		// or 06123 (a first group of two digits other than 06 is the
		// day of a date or a count, not an area code).
		return single || len(first) == 2 && first == "06" || len(first) >= 3
	}
	return false
}

// IDPersonalData returns the kind of personal data an id is, or holds as
// a run of digits: a BSN (nine digits passing the 11-proef), a Dutch
// phone number (isPhone: ten digits from 0, or 0031 and nine) or an IBAN;
// or "".
func IDPersonalData(id string) string {
	if hasIBAN(id) {
		return "iban"
	}
	for _, d := range strings.FieldsFunc(id, func(r rune) bool { return r < '0' || r > '9' }) {
		switch {
		case BSNValid(d):
			return "bsn"
		case isPhone(d, d, false, true):
			return "phone"
		}
	}
	return ""
}

// SafeID returns id as an answer, log or reject file may repeat it: itself
// when it is a valid id that is no personal data, else "".
func SafeID(id string) string {
	if ValidID(id) && IDPersonalData(id) == "" {
		return id
	}
	return ""
}

type pdChecker struct{ e PersonalDataError }

func (c *pdChecker) check(field, text string) {
	if kind := DetectPersonalData(text); kind != "" {
		c.e.Fields = append(c.e.Fields, FieldError{Field: field, Message: "contains personal data (" + kind + ")"})
	}
}

func (c *pdChecker) id(field, id string) {
	if kind := IDPersonalData(id); kind != "" {
		c.e.Fields = append(c.e.Fields, FieldError{Field: field, Message: "is personal data (" + kind + "); use a pseudonymous id"})
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

// CheckPersonalData scans every free-text field of the profile, and its
// id, and returns a *PersonalDataError naming the fields that carry
// personal data, or nil.
func (p *Profile) CheckPersonalData() error {
	var c pdChecker
	c.id("id", p.ID)
	c.check("summary", p.Summary)
	c.list("desired_occupations", p.DesiredOccupations)
	c.list("skills", p.Skills)
	return c.err()
}

// CheckPersonalData scans every free-text field of the vacancy, and its
// ids.
func (v *Vacancy) CheckPersonalData() error {
	var c pdChecker
	c.id("id", v.ID)
	c.id("employer_id", v.EmployerID)
	c.check("title", v.Title)
	c.check("description", v.Description)
	c.check("occupation", v.Occupation)
	c.list("required_skills", v.RequiredSkills)
	c.list("preferred_skills", v.PreferredSkills)
	return c.err()
}
