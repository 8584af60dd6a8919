package matcher

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormaliseTerm gives the form on which unknown skill and occupation labels
// are matched: Unicode NFKD with diacritics removed, lower case, punctuation
// turned into spaces, runs of spaces collapsed, trimmed.
func NormaliseTerm(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}
