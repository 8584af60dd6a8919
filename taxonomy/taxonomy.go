package taxonomy

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// ESCO URI prefixes.
const (
	escoOccupationPrefix = "http://data.europa.eu/esco/occupation/"
	escoSkillPrefix      = "http://data.europa.eu/esco/skill/"
	projectOccPrefix     = "urn:werkmatch:occupation:"
	projectSkillPrefix   = "urn:werkmatch:skill:"
)

// Attribution is the line to show wherever ESCO-derived results are shown.
const Attribution = "This service uses the ESCO classification of the European Commission."

// Candidate is one ranked answer of a search: a concept and how sure the
// taxonomy is that the query means it.
type Candidate struct {
	URI        string  `json:"uri"`
	Label      string  `json:"label"`
	ISCO       string  `json:"isco"`
	Confidence float64 `json:"confidence"`
}

// Occupation is an occupation concept as exposed to callers.
type Occupation struct {
	URI       string   `json:"uri"`
	ISCO      string   `json:"isco"`
	Label     string   `json:"label"`
	AltLabels []string `json:"alt_labels,omitempty"`
	Branches  []string `json:"branches,omitempty"`
	Essential []string `json:"essential,omitempty"`
	Optional  []string `json:"optional,omitempty"`
}

// Skill is a skill concept as exposed to callers.
type Skill struct {
	URI       string   `json:"uri"`
	Label     string   `json:"label"`
	AltLabels []string `json:"alt_labels,omitempty"`
}

// occRec is the internal occupation record.
type occRec struct {
	uri, isco, label string
	alts, hidden     []string
	vocab            []string // labels the project's vocabulary adds (kindVocab)
	desc             string
	broader          []string // broader occupations (URIs)
	branches         []string
	essential        []string
	optional         []string
}

// altLabels are the labels besides the preferred one that callers and the
// full-text synonyms see: the alternative labels and those the project's
// vocabulary adds (vocab).
func (o *occRec) altLabels() []string { return append(slices.Clone(o.alts), o.vocab...) }

// skillRec is the internal skill record.
type skillRec struct {
	uri, label   string
	alts, hidden []string
	vocab        []string // labels the project's vocabulary adds (kindVocab)
	desc         string
	broader      []string
	related      []string
	groups       []string // skill groups directly above (URIs)
}

// altLabels: see occRec.altLabels.
func (s *skillRec) altLabels() []string { return append(slices.Clone(s.alts), s.vocab...) }

// Taxonomy holds occupations, skills, their relations and the search
// indexes over their labels. It is immutable after construction and safe
// for concurrent use.
type Taxonomy struct {
	occs       []occRec
	skills     []skillRec
	occByURI   map[string]int
	skillByURI map[string]int
	iscoLabels map[string][]string // ISCO code (any level) -> labels
	groupLabel map[string]string   // skill group / ISCO group URI -> label
	counts     map[string]int      // rows read by LoadESCO
	rerank     *boosted            // occupation reranker (ESCO only)

	occIdx   *index
	skillIdx *index

	synOnce sync.Once
	syn     [][]string
}

// finish builds lookup maps and search indexes.
func (t *Taxonomy) finish() {
	t.occByURI = make(map[string]int, len(t.occs))
	for i := range t.occs {
		t.occByURI[t.occs[i].uri] = i
	}
	t.skillByURI = make(map[string]int, len(t.skills))
	for i := range t.skills {
		t.skillByURI[t.skills[i].uri] = i
	}
	if t.iscoLabels == nil {
		t.iscoLabels = map[string][]string{}
	}
	occSrc := make([]docSource, len(t.occs))
	for i, o := range t.occs {
		occSrc[i] = docSource{label: o.label, alts: o.alts, hidden: o.hidden, vocab: o.vocab, desc: o.desc, group: o.isco, broader: o.broader}
		if o.isco != "" {
			occSrc[i].extra2 = strings.Join(t.iscoLabels[o.isco], " ")
		}
	}
	t.occIdx = buildIndex(makeDocs(occSrc, t.occByURI), &occWeights)
	t.occIdx.rerank = t.rerank
	skillSrc := make([]docSource, len(t.skills))
	for i, s := range t.skills {
		skillSrc[i] = docSource{label: s.label, alts: s.alts, hidden: s.hidden, vocab: s.vocab, desc: s.desc, broader: s.broader}
		// A skill's groups play the part of an occupation's ISCO group:
		// their labels are evidence, the first is its group of siblings.
		var gl []string
		for _, g := range s.groups {
			if l := t.groupLabel[g]; l != "" {
				gl = append(gl, l)
			}
		}
		skillSrc[i].extra2 = strings.Join(gl, " ")
		if len(s.groups) > 0 {
			skillSrc[i].group = s.groups[0]
		}
	}
	skillDocs := makeDocs(skillSrc, t.skillByURI)
	t.skillIdx = buildIndex(skillDocs, &skillWeights)
	t.skillIdx.tiered = skillTiers
}

// docSource is what a concept's search document is made of.
type docSource struct {
	label        string
	alts, hidden []string
	vocab        []string
	desc, extra2 string // description; group labels (ISCO or skill group)
	group        string // group key: concepts sharing it are siblings
	broader      []string
}

// makeDocs builds the search documents of srcs; byURI places the broader
// concepts, and each broader link counts in both directions.
func makeDocs(srcs []docSource, byURI map[string]int) []document {
	docs := make([]document, len(srcs))
	for i, s := range srcs {
		d := &docs[i]
		d.labels = make([]docLabel, 0, 1+len(s.alts)+len(s.hidden))
		d.labels = append(d.labels, docLabel{text: s.label, kind: kindPreferred})
		for _, a := range s.alts {
			d.labels = append(d.labels, docLabel{text: a, kind: kindAlt})
		}
		for _, h := range s.hidden {
			d.labels = append(d.labels, docLabel{text: h, kind: kindHidden})
		}
		for _, v := range s.vocab {
			d.labels = append(d.labels, docLabel{text: v, kind: kindVocab})
		}
		d.extra, d.extra2, d.group = s.desc, s.extra2, s.group
		var up []int32
		for _, b := range s.broader {
			if j, ok := byURI[b]; ok && j != i {
				up = append(up, int32(j))
				docs[j].related = append(docs[j].related, int32(i))
			}
		}
		d.related = append(d.related, up...)
	}
	return docs
}

// SearchOccupations ranks occupations for a title as typed. limit <= 0
// means 10.
func (t *Taxonomy) SearchOccupations(q string, limit int) []Candidate {
	return search(q, limit, t.occByURI, t.occIdx, func(i int, conf float64) Candidate {
		o := &t.occs[i]
		return Candidate{URI: o.uri, Label: o.label, ISCO: o.isco, Confidence: conf}
	})
}

// SearchSkills ranks skills for a term as typed. limit <= 0 means 10.
func (t *Taxonomy) SearchSkills(q string, limit int) []Candidate {
	return search(q, limit, t.skillByURI, t.skillIdx, func(i int, conf float64) Candidate {
		s := &t.skills[i]
		return Candidate{URI: s.uri, Label: s.label, Confidence: conf}
	})
}

// search ranks the records of ix for q (limit <= 0 means 10): a URI in
// byURI is its own single answer; cand makes record i's Candidate.
func search(q string, limit int, byURI map[string]int, ix *index, cand func(i int, conf float64) Candidate) []Candidate {
	if limit <= 0 {
		limit = 10
	}
	if i, ok := byURI[strings.TrimSpace(q)]; ok {
		return []Candidate{cand(i, 1)}
	}
	hits := ix.search(q, limit)
	out := make([]Candidate, len(hits))
	for i, h := range hits {
		out[i] = cand(h.doc, h.conf)
	}
	monotone(out)
	return out
}

// monotone caps each confidence at the one ranked above it, so that a
// list never claims more certainty for a lower-ranked answer.
func monotone(cs []Candidate) {
	for i := 1; i < len(cs); i++ {
		if cs[i].Confidence > cs[i-1].Confidence {
			cs[i].Confidence = cs[i-1].Confidence
		}
	}
}

// ResolveThreshold is the confidence a label search needs before
// ResolveOccupation or ResolveSkill accept its best answer outright. A
// lower best answer (at least ResolveFloor) is accepted when it leads the
// runner-up by ResolveMargin: a typo with one clear reading.
const (
	ResolveThreshold = 0.85
	ResolveFloor     = 0.6
	ResolveMargin    = 0.3
)

// accepts applies the resolve rule to the two best confidences.
func accepts(first, second float64) bool {
	return first >= ResolveThreshold || (first >= ResolveFloor && first-second >= ResolveMargin)
}

func acceptsHits(hs []hit) bool {
	if len(hs) == 0 {
		return false
	}
	second := 0.0
	if len(hs) > 1 {
		second = hs[1].conf
	}
	return accepts(hs[0].conf, second)
}

// ResolveOccupation maps an occupation URI or label to an occupation URI.
func (t *Taxonomy) ResolveOccupation(term string) (string, bool) {
	i, ok := resolve(term, t.occByURI, t.occIdx)
	if !ok {
		return "", false
	}
	return t.occs[i].uri, true
}

// ResolveSkill maps a skill URI or label to a skill URI.
func (t *Taxonomy) ResolveSkill(term string) (string, bool) {
	i, ok := resolve(term, t.skillByURI, t.skillIdx)
	if !ok {
		return "", false
	}
	return t.skills[i].uri, true
}

// resolve gives the record index of term, a URI in byURI or a label ix
// finds with enough confidence (accepts).
func resolve(term string, byURI map[string]int, ix *index) (int, bool) {
	term = strings.TrimSpace(term)
	if term == "" {
		return 0, false
	}
	if i, ok := byURI[term]; ok {
		return i, true
	}
	hits := ix.search(term, 2)
	if !acceptsHits(hits) {
		return 0, false
	}
	return int(hits[0].doc), true
}

// ISCO returns the 4-digit ISCO-08 group of an occupation, or "".
func (t *Taxonomy) ISCO(occupationURI string) string {
	if i, ok := t.occByURI[occupationURI]; ok {
		return t.occs[i].isco
	}
	return ""
}

// RelatedSkills returns the broader and related skills of a skill.
func (t *Taxonomy) RelatedSkills(skillURI string) []string {
	i, ok := t.skillByURI[skillURI]
	if !ok {
		return nil
	}
	s := &t.skills[i]
	if len(s.broader)+len(s.related) == 0 {
		return nil
	}
	out := make([]string, 0, len(s.broader)+len(s.related))
	out = append(out, s.broader...)
	out = append(out, s.related...)
	return out
}

// OccupationSkills returns the essential and optional skills of an
// occupation when those relations are loaded.
func (t *Taxonomy) OccupationSkills(occupationURI string) (essential, optional []string) {
	if i, ok := t.occByURI[occupationURI]; ok {
		return t.occs[i].essential, t.occs[i].optional
	}
	return nil, nil
}

// Label returns the preferred label of an occupation or skill URI, or "".
func (t *Taxonomy) Label(uri string) string {
	if i, ok := t.occByURI[uri]; ok {
		return t.occs[i].label
	}
	if i, ok := t.skillByURI[uri]; ok {
		return t.skills[i].label
	}
	return t.groupLabel[uri]
}

// Occupations returns all occupations in a stable order.
func (t *Taxonomy) Occupations() []Occupation {
	out := make([]Occupation, len(t.occs))
	for i, o := range t.occs {
		out[i] = Occupation{
			URI: o.uri, ISCO: o.isco, Label: o.label,
			AltLabels: o.altLabels(),
			Branches:  append([]string(nil), o.branches...),
			Essential: append([]string(nil), o.essential...),
			Optional:  append([]string(nil), o.optional...),
		}
	}
	return out
}

// Skills returns all skills in a stable order.
func (t *Taxonomy) Skills() []Skill {
	out := make([]Skill, len(t.skills))
	for i, s := range t.skills {
		out[i] = Skill{URI: s.uri, Label: s.label, AltLabels: s.altLabels()}
	}
	return out
}

// Stats returns the number of occupations and skills loaded.
func (t *Taxonomy) Stats() (occupations, skills int) { return len(t.occs), len(t.skills) }

// synonymGeneric is the number of concepts whose labels may use a word
// before SynonymSets treats it as generic.
const synonymGeneric = 8

// SynonymSets returns sets of equivalent terms for full-text synonym
// sources: for each concept, its single-word labels (preferred and
// alternative), lower-cased, when there are at least two. Generic words
// are left out, so that a search for one word is never widened to
// unrelated ones: a word that is a single-word label of more than one
// concept, or that occurs in the labels of more than synonymGeneric
// concepts (medewerker, operator). Sets hold at most 12 words.
func (t *Taxonomy) SynonymSets() [][]string {
	t.synOnce.Do(func() {
		const maxSet = 12
		single := func(l string) (string, bool) {
			l = strings.ToLower(strings.TrimSpace(l))
			return l, l != "" && !strings.ContainsAny(l, " /()'")
		}
		// How many concepts use a word as a single-word label, and in any label.
		owners, uses := map[string]int{}, map[string]int{}
		count := func(labels []string) {
			seenO, seenU := map[string]bool{}, map[string]bool{}
			for _, l := range labels {
				if w, ok := single(l); ok && !seenO[w] {
					seenO[w] = true
					owners[w]++
				}
				for _, w := range strings.Fields(strings.ToLower(l)) {
					if !seenU[w] {
						seenU[w] = true
						uses[w]++
					}
				}
			}
		}
		for _, o := range t.occs {
			count(append([]string{o.label}, o.altLabels()...))
		}
		for _, s := range t.skills {
			count(append([]string{s.label}, s.altLabels()...))
		}
		add := func(labels []string) {
			seen := map[string]bool{}
			var set []string
			for _, l := range labels {
				l, ok := single(l)
				if !ok || seen[l] || owners[l] > 1 || uses[l] > synonymGeneric {
					continue
				}
				seen[l] = true
				set = append(set, l)
				if len(set) == maxSet {
					break
				}
			}
			if len(set) >= 2 {
				t.syn = append(t.syn, set)
			}
		}
		for _, o := range t.occs {
			add(append([]string{o.label}, o.altLabels()...))
		}
		for _, s := range t.skills {
			add(append([]string{s.label}, s.altLabels()...))
		}
		sort.SliceStable(t.syn, func(i, j int) bool { return t.syn[i][0] < t.syn[j][0] })
	})
	return t.syn
}

// CompoundParts returns the parts of the Dutch compounds in text: for
// every cut of a word into two label words of four letters or more (the
// left one also with a linking s, e or en), both parts
// (heftruckchauffeur: heftruck, chauffeur; magazijnmedewerker: magazijn,
// medewerker), each once. The full-text index stores them beside a
// document's occupations and skills (index.Options.Decompound), so that a
// search for a part, or for the compound written apart, finds the
// compound.
func (t *Taxonomy) CompoundParts(text string) []string {
	var out []string
	add := func(p string) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for _, tok := range tokenize(text) {
		for _, ix := range []*index{t.occIdx, t.skillIdx} {
			if ix == nil {
				continue
			}
			raw := ix.all.raw
			for i := 4; i <= len(tok)-4; i++ {
				left, right := tok[:i], tok[i:]
				if !raw[right] {
					continue
				}
				switch {
				case raw[left]:
				case strings.HasSuffix(left, "en") && len(left) >= 6 && raw[left[:len(left)-2]]:
				case (strings.HasSuffix(left, "s") || strings.HasSuffix(left, "e")) && len(left) >= 5 && raw[left[:len(left)-1]]:
				default:
					continue
				}
				add(left)
				add(right)
			}
		}
	}
	return out
}
