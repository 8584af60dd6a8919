package taxonomy

import (
	"slices"
)

// LoadESCOWithBuiltin is LoadESCO with the project's own vocabulary
// (Builtin) laid over the export, as serve, import and gen use it. ESCO
// lacks many titles WSP users type (stratenmaker, vakkenvulster,
// afwasser, pakketbezorger), and the export may lack skills_nl.csv, so that
// everyday skills (heftruck rijden, kassa, schoonmaken) are missing. So:
//
//   - a built-in occupation that carries an ESCO URI found in the export
//     lends that ESCO occupation its label and synonyms (as kindVocab
//     labels: a query equal to one ranks as if it were the preferred
//     label; callers and the full-text synonyms see them as alternative
//     labels),
//     its WSP branches and its essential and optional skills; one whose
//     URI is not in the export is added as it is;
//   - a built-in skill whose label or a synonym is, as normalised, a label
//     of exactly one ESCO skill lends that skill its words and stands for
//     it; every other built-in skill is added under its project URI.
//
// LoadESCO (without the vocabulary) is what the held-out evaluation
// measures: it tests how well the export alone is understood.
func LoadESCOWithBuiltin(dir string) (*Taxonomy, error) {
	t, err := readESCO(dir)
	if err != nil {
		return nil, err
	}
	t.addVocabulary(Builtin())
	t.finish()
	return t, nil
}

// addVocabulary lays the records of v over t (see LoadESCOWithBuiltin)
// and counts what it did in t.counts.
func (t *Taxonomy) addVocabulary(v *Taxonomy) {
	// Skills: an ESCO skill a built-in one names exactly.
	byLabel := map[string]int{} // normalised label -> ESCO skill, -1 when several
	for i, s := range t.skills {
		for _, l := range append([]string{s.label}, s.alts...) {
			k := normLabel(l)
			if j, ok := byLabel[k]; ok && j != i {
				byLabel[k] = -1
			} else {
				byLabel[k] = i
			}
		}
	}
	skillURI := map[string]string{} // built-in URI -> URI in t
	nESCO := len(t.skills)
	for _, s := range v.skills {
		target := -1
		for _, l := range append([]string{s.label}, s.alts...) {
			if j, ok := byLabel[normLabel(l)]; ok && j >= 0 {
				target = j
				break
			}
		}
		if target >= 0 {
			e := &t.skills[target]
			e.vocab = vocabLabels(e.label, &e.alts, &e.hidden, e.vocab, append([]string{s.label}, s.alts...))
			skillURI[s.uri] = e.uri
			t.counts["vocabulary_skills_merged"]++
			continue
		}
		skillURI[s.uri] = s.uri
		t.skills = append(t.skills, skillRec{uri: s.uri, label: s.label, alts: slices.Clone(s.alts),
			broader: slices.Clone(s.broader), related: slices.Clone(s.related)})
		t.counts["vocabulary_skills_added"]++
	}
	mapSkills := func(us []string) []string {
		out := make([]string, 0, len(us))
		for _, u := range us {
			if m, ok := skillURI[u]; ok {
				u = m
			}
			if !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
		return out
	}
	for i := nESCO; i < len(t.skills); i++ {
		t.skills[i].broader = mapSkills(t.skills[i].broader)
		t.skills[i].related = mapSkills(t.skills[i].related)
	}

	// Occupations.
	occIdx := make(map[string]int, len(t.occs))
	for i, o := range t.occs {
		occIdx[o.uri] = i
	}
	for _, o := range v.occs {
		ess, opt := mapSkills(o.essential), mapSkills(o.optional)
		i, ok := occIdx[o.uri]
		if !ok {
			t.occs = append(t.occs, occRec{uri: o.uri, isco: o.isco, label: o.label, alts: slices.Clone(o.alts),
				branches: slices.Clone(o.branches), essential: ess, optional: opt})
			t.counts["vocabulary_occupations_added"]++
			continue
		}
		e := &t.occs[i]
		e.vocab = vocabLabels(e.label, &e.alts, &e.hidden, e.vocab, append([]string{o.label}, o.alts...))
		e.branches = union(e.branches, o.branches)
		e.essential = union(e.essential, ess)
		e.optional = union(e.optional, opt)
		t.counts["vocabulary_occupations_merged"]++
	}
}

// vocabLabels returns vocab with the labels of ls added that name the
// concept (label, alts, hidden) in the project's vocabulary: those it
// does not carry yet, and those it carries as an alternative or hidden
// label, which move from there (a label is held once). Its preferred
// label already names it. Labels are compared as normalised.
func vocabLabels(label string, alts, hidden *[]string, vocab, ls []string) []string {
	have := map[string]bool{normLabel(label): true}
	for _, l := range vocab {
		have[normLabel(l)] = true
	}
	out := slices.Clone(vocab)
	for _, l := range ls {
		k := normLabel(l)
		if k == "" || have[k] {
			continue
		}
		have[k] = true
		// labels the concept carries move with their own spellings
		moved := false
		for _, a := range append(slices.Clone(*alts), *hidden...) {
			if normLabel(a) == k {
				out = append(out, a)
				moved = true
			}
		}
		if !moved {
			out = append(out, l)
		}
		*alts = slices.DeleteFunc(slices.Clone(*alts), func(a string) bool { return normLabel(a) == k })
		*hidden = slices.DeleteFunc(slices.Clone(*hidden), func(h string) bool { return normLabel(h) == k })
	}
	return out
}

// union appends to a the elements of b it lacks.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
