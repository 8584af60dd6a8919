package taxonomy

import "sort"

// speller puts right a typed word that is one slip away from a label word:
// a letter left out, one too many, a wrong one, or two neighbours swapped
// (akpper, kapsfer, keukenchwef). It looks words up by their forms with
// one letter left out, so a lookup costs a few map reads.
type speller struct {
	words []string           // label words, sorted
	freq  []int32            // labels each word occurs in
	dels  map[string][]int32 // a word, and each form of it with one letter left out -> words
}

// spellMin is the shortest word the speller corrects or corrects to:
// shorter words are too often one slip from each other.
const spellMin = 5

// spellOn switches the speller (tests compare with and without).
var spellOn = true

// newSpeller indexes the label words of at least spellMin letters; freq
// counts the labels each occurs in.
func newSpeller(freq map[string]int) *speller {
	sp := &speller{dels: map[string][]int32{}}
	for w := range freq {
		if len(w) >= spellMin {
			sp.words = append(sp.words, w)
		}
	}
	sort.Strings(sp.words)
	sp.freq = make([]int32, len(sp.words))
	for i, w := range sp.words {
		sp.freq[i] = int32(freq[w])
		sp.add(w, int32(i))
		for j := range len(w) {
			sp.add(w[:j]+w[j+1:], int32(i))
		}
	}
	return sp
}

func (sp *speller) add(k string, i int32) {
	if ids := sp.dels[k]; len(ids) == 0 || ids[len(ids)-1] != i {
		sp.dels[k] = append(ids, i)
	}
}

// correct returns the label word one slip away from w that occurs in the
// most labels (ties: the first in sort order), or "" when there is none.
func (sp *speller) correct(w string) string {
	if len(w) < spellMin-1 {
		return ""
	}
	best := int32(-1)
	try := func(k string) {
		for _, i := range sp.dels[k] {
			if (best < 0 || sp.freq[i] > sp.freq[best] || sp.freq[i] == sp.freq[best] && i < best) && oneSlip(w, sp.words[i]) {
				best = i
			}
		}
	}
	try(w)
	for j := range len(w) {
		try(w[:j] + w[j+1:])
	}
	if best < 0 {
		return ""
	}
	return sp.words[best]
}

// oneSlip reports whether a and b (different) are one edit apart, counting
// two swapped neighbours as one edit.
func oneSlip(a, b string) bool {
	if a == b {
		return false
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true // one wrong letter
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case la > lb:
		return a[i+1:] == b[i:] // one letter too many in a
	default:
		return a[i:] == b[i+1:]
	}
}
