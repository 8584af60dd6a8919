package taxonomy

import (
	"strings"

	"github.com/werkmatch/werkmatch/matcher"
)

// stopwords are function words that carry no meaning in a job title.
var stopwords = map[string]bool{
	"van": true, "de": true, "het": true, "een": true, "en": true, "in": true,
	"op": true, "voor": true, "met": true, "bij": true, "of": true, "aan": true,
	"te": true, "uit": true, "der": true, "den": true, "ter": true, "tot": true,
	"als": true, "om": true, "s": true, "t": true, "the": true, "and": true,
	"naar": true, "door": true, "over": true,
}

// tokenize splits s in matcher.NormaliseTerm's form (no diacritics, lower
// case, split on anything that is not a letter or digit). Stop words are
// dropped.
func tokenize(s string) []string {
	var toks []string
	for _, w := range strings.Fields(matcher.NormaliseTerm(s)) {
		if !stopwords[w] {
			toks = append(toks, w)
		}
	}
	return toks
}

// normLabel is a label's normalised form (tokenize's words, one space
// apart): two labels that differ only in case, diacritics, punctuation or
// stop words have the same one.
func normLabel(l string) string { return strings.Join(tokenize(l), " ") }

// suffixRule rewrites a word ending: Dutch gender and agent forms
// (-ster/-er, -euse/-eur, -trice/-teur, -in, -es, -e), Latin -us/-a pairs,
// -vrouw/-man and a few plurals all fold towards one stem.
type suffixRule struct{ from, to string }

var suffixRules = []suffixRule{
	{"trice", "t"},
	{"euses", ""},
	{"euse", ""},
	{"eurs", ""},
	{"eur", ""},
	{"vrouw", "man"},
	{"juffrouw", "man"},
	{"heer", "man"},
	{"dame", "man"},
	{"meisje", "jongen"},
	{"rsters", "r"},
	{"sters", ""},
	{"ster", ""},
	{"rders", "r"},
	{"rder", "r"},
	{"ers", ""},
	{"icus", "ic"},
	{"ica", "ic"},
	{"kkin", "k"},
	{"in", ""},
	{"es", ""},
	{"en", ""},
	{"e", ""},
	{"er", ""},
	{"s", ""},
}

// foldToken maps a token to a folded stem so that gender forms, agent
// nouns and simple plurals of one word meet: medewerker and medewerkster,
// monteur and monteuse, directeur and directrice, kok and kokkin, kapper
// and kapster, schoonmaker and schoonmaakster all fold to one form. The
// stem is not a word; it is only compared with other stems.
func foldToken(t string) string {
	if len(t) <= 4 {
		return squeeze(t)
	}
	for pass := 0; pass < 2; pass++ {
		changed := false
		for _, r := range suffixRules {
			if strings.HasSuffix(t, r.from) && len(t)-len(r.from)+len(r.to) >= 3 {
				if r.from == "s" && (strings.HasSuffix(t, "ss") || strings.HasSuffix(t, "us") || strings.HasSuffix(t, "is")) {
					continue
				}
				t = t[:len(t)-len(r.from)] + r.to
				changed = true
				break
			}
		}
		if !changed || len(t) <= 4 {
			break
		}
	}
	return squeeze(t)
}

// squeeze collapses runs of one letter: schoonmaak and schoonmaker's stem
// meet, kapp and kap meet.
func squeeze(t string) string {
	for i := 1; i < len(t); i++ {
		if t[i] == t[i-1] {
			b := []byte(t[:i])
			for j := i; j < len(t); j++ {
				if t[j] != b[len(b)-1] {
					b = append(b, t[j])
				}
			}
			return string(b)
		}
	}
	return t
}

// editDistance returns the number of slips between a and b (bytes): a
// letter left out, one too many, a wrong one, or two neighbours swapped
// each count one (optimal string alignment). With slips, a is the typed
// word and only plausible slips count one: a wrong letter near the right
// one (nearLetters) and an extra key (extraKey); another extra letter
// counts two, and another wrong letter three. It gives up early with max+1 once the distance
// exceeds max.
func editDistance(a, b string, max int, slips bool) int {
	if d := len(a) - len(b); d > max || -d > max {
		return max + 1
	}
	pprev := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		extra := 1 // leaving out a[i-1]
		if slips && !extraKey(a, i-1) {
			extra = 2
		}
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
				if slips && !nearLetters(a[i-1], b[j-1]) {
					c += 2 // no slip: only a letter left out and an extra key in its place, at best
				}
			}
			if v := prev[j] + extra; v < c {
				c = v
			}
			if v := cur[j-1] + 1; v < c {
				c = v
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				if v := pprev[j-2] + 1; v < c {
					c = v
				}
			}
			cur[j] = c
			if c < best {
				best = c
			}
		}
		if best > max {
			return max + 1
		}
		pprev, prev, cur = prev, cur, pprev
	}
	return prev[len(b)]
}
