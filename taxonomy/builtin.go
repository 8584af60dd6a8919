package taxonomy

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

//go:embed vocab.txt
var vocabText string

var (
	builtinOnce sync.Once
	builtinTax  *Taxonomy
)

// Builtin returns the project's own vocabulary: the occupations and skills
// that WSP branches place people in, with Dutch synonyms and gender forms,
// ISCO-08 groups, WSP branches and essential/optional skills per
// occupation. Occupations that exist in ESCO carry their ESCO URI. The
// result is shared and immutable.
func Builtin() *Taxonomy {
	builtinOnce.Do(func() {
		t, err := parseVocab(vocabText)
		if err != nil {
			panic("taxonomy: built-in vocabulary: " + err.Error())
		}
		builtinTax = t
	})
	return builtinTax
}

func splitList(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func occURI(id string) string {
	if len(id) == 36 && strings.Count(id, "-") == 4 {
		return escoOccupationPrefix + id
	}
	return projectOccPrefix + id
}

func skillURI(slug string) string { return projectSkillPrefix + slug }

// parseVocab reads the vocabulary format documented at the top of vocab.txt.
func parseVocab(text string) (*Taxonomy, error) {
	t := &Taxonomy{}
	skillSeen := map[string]bool{}
	type pending struct {
		line             int
		broader, related []string
	}
	var pend []pending
	var occSkills [][2][]string
	var occLines []int
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "|")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		switch f[0] {
		case "S":
			if len(f) != 6 {
				return nil, fmt.Errorf("line %d: skill needs 6 fields, has %d", n+1, len(f))
			}
			if skillSeen[f[1]] {
				return nil, fmt.Errorf("line %d: duplicate skill %q", n+1, f[1])
			}
			skillSeen[f[1]] = true
			t.skills = append(t.skills, skillRec{uri: skillURI(f[1]), label: f[2], alts: splitList(f[3], ";")})
			pend = append(pend, pending{n + 1, splitList(f[4], ","), splitList(f[5], ",")})
		case "O":
			if len(f) != 8 {
				return nil, fmt.Errorf("line %d: occupation needs 8 fields, has %d", n+1, len(f))
			}
			t.occs = append(t.occs, occRec{uri: occURI(f[1]), isco: f[2], branches: splitList(f[3], ","), label: f[4], alts: splitList(f[5], ";")})
			occSkills = append(occSkills, [2][]string{splitList(f[6], ","), splitList(f[7], ",")})
			occLines = append(occLines, n+1)
		default:
			return nil, fmt.Errorf("line %d: unknown record type %q", n+1, f[0])
		}
	}
	resolve := func(line int, slugs []string) ([]string, error) {
		out := make([]string, 0, len(slugs))
		for _, s := range slugs {
			if !skillSeen[s] {
				return nil, fmt.Errorf("line %d: unknown skill %q", line, s)
			}
			out = append(out, skillURI(s))
		}
		return out, nil
	}
	var err error
	for i, p := range pend {
		if t.skills[i].broader, err = resolve(p.line, p.broader); err != nil {
			return nil, err
		}
		if t.skills[i].related, err = resolve(p.line, p.related); err != nil {
			return nil, err
		}
	}
	for i := range t.occs {
		if t.occs[i].essential, err = resolve(occLines[i], occSkills[i][0]); err != nil {
			return nil, err
		}
		if t.occs[i].optional, err = resolve(occLines[i], occSkills[i][1]); err != nil {
			return nil, err
		}
	}
	// Related is symmetric in the vocabulary: add the reverse links.
	idx := map[string]int{}
	for i := range t.skills {
		idx[t.skills[i].uri] = i
	}
	for i := range t.skills {
		for _, r := range t.skills[i].related {
			j := idx[r]
			if !contains(t.skills[j].related, t.skills[i].uri) {
				t.skills[j].related = append(t.skills[j].related, t.skills[i].uri)
			}
		}
	}
	t.finish()
	return t, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
