package taxonomy

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

type labelKind uint8

const (
	kindPreferred labelKind = iota
	// kindVocab: a label the project's vocabulary gives an ESCO concept
	// (LoadESCOWithBuiltin). A query equal to it names the concept as its
	// preferred label does: WSP users mean that concept by that word. The
	// order of the kinds breaks ties between a concept's labels.
	kindVocab
	kindAlt
	kindHidden
)

// docLabel is one label of a concept.
type docLabel struct {
	text string
	kind labelKind
}

// document is what the index knows of one concept: its labels (each is
// scored on its own) and extra text (description, ISCO group labels) that
// counts as weak evidence for the concept as a whole.
type document struct {
	labels  []docLabel
	extra   string  // description
	extra2  string  // ISCO group labels
	group   string  // ISCO group code (occupations)
	related []int32 // broader and narrower concepts
}

// Features of a concept for a query; the score is their weighted sum.
const (
	fDice      = iota // token Dice of the best label
	fNgram            // character-trigram cosine of the best label
	fCov              // share of the query found anywhere in the concept's labels
	fDesc             // share of the query found in the description
	fISCO             // share of the query found in the ISCO group labels
	fPref             // the best label is the preferred label
	fDocNg            // trigram cosine of the concept's whole label set
	fSubst            // the query with one word swapped is a label
	fExact            // the folded label key equals the query's
	fExactPref        // ... and it is the preferred label's
	fPrior            // log of the number of labels the concept has
	fExactN           // labels of the concept with the query's key, beyond the first
	fHead             // some label's head (last atom) is the query's head
	fHeadBest         // the best label's head is the query's head
	fNbSim            // best label similarity of a broader or narrower concept
	fNbExact          // a broader or narrower concept has the query as a label
	fSibSim           // best label similarity of another concept in the ISCO group
	fSibExact         // another concept of the ISCO group has the query as a label
	fBM25             // BM25 of the query over the description
	fLM               // query likelihood under the concept's word distribution
	fDrop1            // the query without one of its atoms is a label
	fAdd1             // a label without one of its atoms is the query
	fSubst2           // the query with two words swapped is a label
	fSubstNear        // a one-word variant of the query is one atom off a label
	fAssoc            // query words the labels lack, made up for by words associated with them that they have
	nFeat
)

// featNames name the features (tuning and diagnostics).
var featNames = [nFeat]string{"dice", "ngram", "cov", "desc", "isco", "pref", "docng", "subst", "exact", "exactpref",
	"prior", "exactn", "head", "headbest", "nbsim", "nbexact", "sibsim", "sibexact", "bm25", "lm", "drop1", "add1", "subst2", "substnear",
	"assoc"}

// weights weigh the features of a concept.
type weights [nFeat]float64

// occWeights weigh occupation searches.
var occWeights = weights{
	fDice: 1, fNgram: 1, fCov: 1.64, fDesc: 0.56, fISCO: 0.176, fPref: 0.01, fDocNg: 0.84,
	fSubst: 2.22, fExact: 1.973, fExactPref: 0.05, fHead: 0.24, fNbSim: 0.08, fNbExact: 0.35,
	fSibSim: 0.1, fSibExact: 0.13, fBM25: -0.02, fLM: 0.025, fDrop1: 0.01, fAdd1: 0.0624, fSubst2: 0.4,
	fSubstNear: 0.2, fAssoc: 4,
}

// skillWeights weigh skill searches: the occupations' features, where a
// skill's groups (broaderRelationsSkillPillar.csv) stand in for the ISCO
// group and its broader and narrower skills for the neighbours. Fitted like
// occWeights, on the held-out skill labels of seeds 1 and 2 only (LEARN=1,2
// LEARN_SKILLS=1 LEARN_OFF=pref,exactpref,exactn).
var skillWeights = weights{
	fDice: 1, fNgram: 1.2, fCov: 1.54, fDesc: 0.54, fISCO: 0.7, fPref: 0.01, fDocNg: 0.84,
	fSubst: 4.44, fExact: 1.973, fExactPref: 0.05, fPrior: 0.02, fHead: 0.14, fHeadBest: 0.1,
	fNbSim: 0.08, fSibSim: 0.02, fSibExact: 0.13, fBM25: -0.05, fLM: 0.03125, fDrop1: -0.2,
	fAdd1: 0.02, fSubst2: 0.4, fSubstNear: 0.1, fAssoc: 4.3,
}

// skillTiers puts skills that carry the query as a label first in a skill
// search, as exactTier does for occupations (off only for the baseline).
var skillTiers = true

// feature is an indexed unit of a label: a folded token, or a folded part
// of a compound token, with a multiplier (parts count less than whole
// tokens).
type feature struct {
	key  string
	mult float32
}

type posting struct {
	label int32
	w     float32 // mult * idf
}

// Scoring parameters (variables so that evaluation runs can tune them).
var (
	looseSplit           = true
	descVocab            = true
	descVocabMin         = 2
	partMult     float32 = 0.7  // compound parts against whole tokens
	fuzzyMult    float32 = 0.75 // typo-corrected query tokens
	substFeat    float32 = 0.3
	ngMaxDF              = 0.02
	substMin             = 1 // substitution pairs seen in at least this many concepts
	substCap             = 8
	ngFold               = true // trigrams of folded tokens (false: of the raw tokens)
)

// index is an inverted index over concept labels.
type index struct {
	nDocs      int
	labelDoc   []int32
	labelKind  []labelKind
	labelNorm  []float32
	postings   map[string][]posting
	idf        map[string]float32
	maxIDF     float32
	exact      map[string][]int32 // folded, decompounded, sorted label key -> docs
	docOf      map[string][]int32 // description feature -> docs
	iscoOf     map[string][]int32 // ISCO label feature -> docs
	lab        vocab              // label tokens: compound parts for exact keys
	all        vocab              // label and description tokens: compound parts for features
	trigrams   map[string][]string
	memo       map[string]string    // foldToken results, during the build only
	ngPost     map[string][]posting // char trigram -> labels (tf*idf)
	ngIDF      map[string]float32
	ngNorm     []float32 // euclidean norm per label
	docNgNorm  []float32 // euclidean norm of each concept's summed label trigrams
	docLabels  []int32   // labels per concept
	w          *weights  // feature weights
	rerank     *boosted  // reorders the head of occupation pools; nil: linear order
	tiered     bool      // without trees: exact matches first all the same (skills)
	group      []int32   // ISCO group number per concept, -1 = none
	nGroups    int
	related    [][]int32
	groupDocs  [][]int32          // concepts per ISCO group
	heads      map[string][]int32 // head atom of some label -> concepts
	labelHead  []string           // head atom per label
	exactN     map[string][]uint8 // parallel to exact: labels of the concept with that key
	holes      map[string][]int32 // label key with one atom left out -> concepts
	descPost   map[string][]descPosting
	descIDF    map[string]float32
	descLen    []float32                // description length in tokens, over the mean
	descRaw    []float32                // description length in tokens
	lmPost     map[string][]descPosting // feature -> concepts, weighted count over their labels
	lmMass     []float32                // weighted feature count of each concept's labels
	grpPost    map[string][]descPosting // feature -> ISCO groups (doc = group), count over their labels
	grpMass    []float32
	collP      map[string]float32  // feature probability over all labels
	prefKey    []string            // label key of each concept's preferred label
	genericIDF float32             // the idf at or below which a word is generic (see generic)
	vocabKeys  map[int32][]string  // label keys of a concept's kindVocab labels
	subst      map[string][]string // atom -> atoms it replaces within some concept's labels
	unitID     map[string]int32    // label feature key -> number
	docUnits   [][]int32           // sorted unit numbers of each concept's labels
	assoc      [][]assocEntry      // unit number -> associated units (learnt from the labels)
	spell      *speller            // puts right words one slip from a label word
	pool       sync.Pool
}

type descPosting struct {
	doc int32
	tf  float32
}

type scratch struct {
	docLM      []float32
	flag       []uint8
	lmL, lmD   []float32 // per concept, one query feature at a time
	lmG        []float32 // per group
	docBM25    []float32
	docNb      []float32
	docNbEx    []bool
	grp1, grp2 []float32 // best and second label similarity per ISCO group
	grpArg     []int32   // concept of grp1
	grpEx      []int32   // exact concepts per group (count)
	grpTouched []int32
	feat       [][nFeat]float32
	labelAcc   []float32
	ngAcc      []float32
	seen       []bool
	touched    []int32
	docBest    []float32
	docLabel   []int32
	docCov     []float32
	docDesc    []float32
	docISCO    []float32
	docNg      []float32
	docSeenF   []int32
	docTouched []int32
	assocVal   []float32 // association strength per label unit, one query unit at a time
}

// hit is one scored concept.
type hit struct {
	doc   int
	score float64
	conf  float64
	label int32   // best label
	sim   float64 // its similarity
	cov   float64 // share of the query in the concept's labels
	feat  [nFeat]float32
}

// buildIndex indexes docs for searches scored with the weights w (read at
// query time, so that tuning runs can change them).
func buildIndex(docs []document, w *weights) *index {
	ix := &index{
		w:        w,
		heads:    map[string][]int32{},
		exactN:   map[string][]uint8{},
		holes:    map[string][]int32{},
		descPost: map[string][]descPosting{},
		descIDF:  map[string]float32{},
		nDocs:    len(docs),
		postings: map[string][]posting{},
		idf:      map[string]float32{},
		exact:    map[string][]int32{},
		docOf:    map[string][]int32{},
		iscoOf:   map[string][]int32{},
		lab:      newVocab(),
		all:      newVocab(),
		trigrams: map[string][]string{},
	}
	// Folding is memoised while building (labels repeat words a lot); the
	// memo is dropped before the index is used, so queries never grow it.
	ix.memo = map[string]string{}
	ix.lab.fold, ix.all.fold = ix.fold, ix.fold
	defer func() {
		ix.memo = nil
		ix.lab.fold, ix.all.fold = foldToken, foldToken
	}()
	// Each label and description is tokenised once, here, for all the
	// passes below.
	labelToks := make([][][]string, len(docs))
	extraToks := make([][]string, len(docs))
	for di, d := range docs {
		extraToks[di] = tokenize(d.extra)
		labelToks[di] = make([][]string, len(d.labels))
		for li, l := range d.labels {
			labelToks[di][li] = tokenize(l.text)
		}
	}
	// Pass 1: the vocabulary of label tokens, for compound splitting and
	// spelling.
	labelFreq := map[string]int{}
	for _, dt := range labelToks {
		for _, lt := range dt {
			for ti, tok := range lt {
				if len(tok) >= 3 {
					ix.lab.add(tok)
					ix.all.add(tok)
				}
				if !slices.Contains(lt[:ti], tok) {
					labelFreq[tok]++
				}
			}
		}
	}
	ix.spell = newSpeller(labelFreq)
	if descVocab {
		cnt := map[string]int{}
		for _, et := range extraToks {
			for _, tok := range et {
				if len(tok) >= 4 && !ix.lab.raw[tok] {
					cnt[tok]++
				}
			}
		}
		for tok, c := range cnt {
			if c >= descVocabMin {
				ix.all.add(tok)
			}
		}
	}
	ix.prefKey = make([]string, len(docs))
	// Pass 2: features per label, document frequencies.
	type labelFeats struct {
		doc  int32
		kind labelKind
		fs   []feature
	}
	var labels []labelFeats
	df := map[string]int{}
	subst := map[[2]string]int{}
	docUnits := make([][][]string, len(docs)) // feature keys of each label, for the associations
	for di, d := range docs {
		seen := map[string]bool{}
		var docAtoms [][]string
		for li, l := range d.labels {
			toks := labelToks[di][li]
			if len(toks) == 0 {
				continue
			}
			fs := ix.features(toks, false)
			labels = append(labels, labelFeats{int32(di), l.kind, fs})
			ks := make([]string, len(fs))
			for i, f := range fs {
				ks[i] = f.key
			}
			docUnits[di] = append(docUnits[di], ks)
			for _, f := range fs {
				if !seen[f.key] {
					seen[f.key] = true
					df[f.key]++
				}
			}
			atoms := ix.labelAtoms(toks)
			docAtoms = append(docAtoms, atoms)
			key := strings.Join(atoms, " ")
			if l.kind == kindPreferred {
				ix.prefKey[di] = key
			}
			if l.kind == kindVocab {
				if ix.vocabKeys == nil {
					ix.vocabKeys = map[int32][]string{}
				}
				ix.vocabKeys[int32(di)] = append(ix.vocabKeys[int32(di)], key)
			}
			if ds := ix.exact[key]; len(ds) == 0 || ds[len(ds)-1] != int32(di) {
				ix.exact[key] = append(ds, int32(di))
				ix.exactN[key] = append(ix.exactN[key], 1)
			} else if n := ix.exactN[key]; n[len(n)-1] < 255 {
				n[len(n)-1]++
			}
			if len(atoms) >= 2 {
				for i := range atoms {
					hk := strings.Join(atoms[:i], " ") + "|" + strings.Join(atoms[i+1:], " ")
					if ds := ix.holes[hk]; len(ds) == 0 || ds[len(ds)-1] != int32(di) {
						ix.holes[hk] = append(ds, int32(di))
					}
				}
			}
			head := ix.headOf(toks)
			ix.labelHead = append(ix.labelHead, head)
			if ds := ix.heads[head]; len(ds) == 0 || ds[len(ds)-1] != int32(di) {
				ix.heads[head] = append(ds, int32(di))
			}
		}
		learnSubstitutions(docAtoms, subst)
		for _, f := range ix.features(extraToks[di], true) {
			if ds := ix.docOf[f.key]; len(ds) == 0 || ds[len(ds)-1] != int32(di) {
				ix.docOf[f.key] = append(ds, int32(di))
			}
		}
		ix.addDescription(int32(di), extraToks[di])
		for _, f := range ix.features(tokenize(d.extra2), true) {
			if ds := ix.iscoOf[f.key]; len(ds) == 0 || ds[len(ds)-1] != int32(di) {
				ix.iscoOf[f.key] = append(ds, int32(di))
			}
		}
	}
	ix.buildAssoc(docUnits)
	ix.subst = map[string][]string{}
	for pr, c := range subst {
		if c >= substMin {
			ix.subst[pr[0]] = append(ix.subst[pr[0]], pr[1])
		}
	}
	for a, bs := range ix.subst {
		sort.Slice(bs, func(i, j int) bool {
			ci, cj := subst[[2]string{a, bs[i]}], subst[[2]string{a, bs[j]}]
			if ci != cj {
				return ci > cj
			}
			return bs[i] < bs[j]
		})
		if len(bs) > substCap {
			ix.subst[a] = bs[:substCap]
		}
	}
	n := float64(len(docs))
	for k, c := range df {
		w := float32(math.Log(1 + n/float64(c)))
		ix.idf[k] = w
		if w > ix.maxIDF {
			ix.maxIDF = w
		}
	}
	if ix.maxIDF == 0 {
		ix.maxIDF = 1
	}
	// a word in the labels of at least five concepts and 3% of them is generic
	ix.genericIDF = float32(math.Min(math.Log(1+n/5), math.Log(1+1/0.03)))
	ix.labelDoc = make([]int32, len(labels))
	ix.labelKind = make([]labelKind, len(labels))
	ix.labelNorm = make([]float32, len(labels))
	ix.docLabels = make([]int32, len(docs))
	for li, l := range labels {
		ix.labelDoc[li] = l.doc
		ix.docLabels[l.doc]++
		ix.labelKind[li] = l.kind
		var norm float32
		for _, f := range l.fs {
			w := f.mult * ix.idf[f.key]
			norm += w
			ix.postings[f.key] = append(ix.postings[f.key], posting{int32(li), w})
		}
		ix.labelNorm[li] = norm
	}
	ix.buildLM(labels2lm(labels, func(l labelFeats) (int32, []feature) { return l.doc, l.fs }), len(docs))
	ix.buildNgrams(labelToks)
	ix.finishDescriptions(len(docs))
	ix.group = make([]int32, len(docs))
	ix.related = make([][]int32, len(docs))
	groups := map[string]int32{}
	for di, d := range docs {
		ix.related[di] = d.related
		ix.group[di] = -1
		if d.group != "" {
			g, ok := groups[d.group]
			if !ok {
				g = int32(len(groups))
				groups[d.group] = g
			}
			ix.group[di] = g
		}
	}
	ix.nGroups = len(groups)
	ix.buildGroupLM()
	ix.groupDocs = make([][]int32, ix.nGroups)
	for di, g := range ix.group {
		if g >= 0 {
			ix.groupDocs[g] = append(ix.groupDocs[g], int32(di))
		}
	}
	for k := range ix.idf {
		for _, g := range trigramsOf(k) {
			ix.trigrams[g] = append(ix.trigrams[g], k)
		}
	}
	for _, ts := range ix.trigrams {
		sort.Strings(ts)
	}
	return ix
}

func trigramsOf(s string) []string {
	p := "^" + s + "$"
	if len(p) < 3 {
		return []string{p}
	}
	out := make([]string, 0, len(p)-2)
	for i := 0; i+3 <= len(p); i++ {
		out = append(out, p[i:i+3])
	}
	return out
}

// vocab is a set of words, raw and folded, for compound splitting.
type vocab struct {
	raw, folded map[string]bool
	fold        func(string) string
}

func newVocab() vocab { return vocab{map[string]bool{}, map[string]bool{}, foldToken} }

func (v vocab) add(w string) {
	v.raw[w] = true
	v.folded[v.fold(w)] = true
}

// word reports whether w, or its folded form, is known.
func (v vocab) word(w string) bool { return v.raw[w] || v.folded[v.fold(w)] }

// left reports whether w can be the first part of a compound: a known
// word, possibly with a linking s, e or en, or a known folded form.
func (v vocab) left(w string) bool {
	if v.raw[w] {
		return true
	}
	if len(w) >= 5 && (strings.HasSuffix(w, "s") || strings.HasSuffix(w, "e")) && v.raw[w[:len(w)-1]] {
		return true
	}
	if len(w) >= 6 && strings.HasSuffix(w, "en") && v.raw[w[:len(w)-2]] {
		return true
	}
	return len(w) >= 5 && v.folded[v.fold(w)]
}

// splitCompound returns the parts of a compound token: for each way to cut
// it into a known left word and a known (or itself splittable) right
// word, both parts. Without a clean cut it keeps the longest known head
// (Dutch compounds are right-headed) and the longest known modifier.
func (ix *index) splitCompound(tok string, depth int) []string {
	if len(tok) < 6 || depth > 2 {
		return nil
	}
	v := ix.all
	var parts []string
	for i := 3; i <= len(tok)-3; i++ {
		left, right := tok[:i], tok[i:]
		if !v.left(left) {
			continue
		}
		if v.word(right) {
			parts = append(parts, left, right)
			continue
		}
		if sub := ix.splitCompound(right, depth+1); len(sub) > 0 {
			parts = append(parts, left)
			parts = append(parts, sub...)
		}
	}
	if len(parts) == 0 && depth == 0 && looseSplit {
		for i := 3; i <= len(tok)-5; i++ {
			if r := tok[i:]; v.word(r) {
				parts = append(parts, r)
				break
			}
		}
		for i := len(tok) - 3; i >= 4; i-- {
			if l := tok[:i]; v.raw[l] {
				parts = append(parts, l)
				break
			}
		}
	}
	return parts
}

// features turns tokens into weighted features: each token's folded form,
// and the folded parts of compound tokens.
func (ix *index) features(toks []string, plain bool) []feature {
	fs := make([]feature, 0, len(toks)*2)
	add := func(k string, m float32) {
		for i := range fs {
			if fs[i].key == k {
				if m > fs[i].mult {
					fs[i].mult = m
				}
				return
			}
		}
		fs = append(fs, feature{k, m})
	}
	for _, t := range toks {
		add(ix.fold(t), 1)
		if plain {
			continue
		}
		for _, p := range ix.splitCompound(t, 0) {
			add(ix.fold(p), partMult)
		}
	}
	return fs
}

// labelKey is the order-free folded form of a label: the folded tokens,
// compounds replaced by their longest-left split, sorted.
func (ix *index) labelKey(toks []string) string {
	return strings.Join(ix.labelAtoms(toks), " ")
}

// labelAtoms returns the sorted, de-duplicated atoms of a label.
func (ix *index) labelAtoms(toks []string) []string {
	keys := make([]string, 0, len(toks)+2)
	for _, t := range toks {
		keys = append(keys, ix.atoms(t)...)
	}
	sort.Strings(keys)
	// de-duplicate
	out := keys[:0]
	for i, k := range keys {
		if i == 0 || k != keys[i-1] {
			out = append(out, k)
		}
	}
	return out
}

// atoms splits a token into folded atoms at the cut with the longest
// left part, both parts known label words (the right one at least four
// letters), so that a compound and its words written apart give one key.
func (ix *index) atoms(t string) []string {
	if len(t) >= 7 {
		for i := len(t) - 4; i >= 3; i-- {
			left, right := t[:i], t[i:]
			if ix.lab.left(left) && ix.lab.word(right) {
				l := left
				if !ix.lab.raw[l] && ix.lab.raw[l[:len(l)-1]] {
					l = l[:len(l)-1]
				}
				return append(ix.atoms(l), ix.fold(right))
			}
		}
	}
	return []string{ix.fold(t)}
}

// spellToks puts right the query words that are neither label words nor
// frequent description words nor compounds of known words, where a label
// word is one slip away. It returns toks itself when nothing changes.
func (ix *index) spellToks(toks []string) []string {
	out := toks
	for i, t := range toks {
		if len(t) < spellMin || ix.all.word(t) || len(ix.splitCompound(t, 1)) > 0 {
			continue
		}
		if c := ix.spell.correct(t); c != "" {
			if &out[0] == &toks[0] {
				out = slices.Clone(toks)
			}
			out[i] = c
		}
	}
	return out
}

// adNoise are words of job ads that say nothing about the occupation or
// skill meant: "Heftruckchauffeur gezocht!", "ervaren lasser 32 uur",
// "Productiemedewerker 2-ploegendienst", "medewerker (m/v/x)". None is a
// word of an ESCO occupation label.
var adNoise = map[string]bool{
	"gezocht": true, "gevraagd": true, "vacature": true, "vacatures": true, "fulltime": true,
	"parttime": true, "direct": true, "uur": true, "uren": true, "week": true, "ervaren": true,
	"dagdienst": true, "avonddienst": true, "nachtdienst": true, "ploegendienst": true,
	"ploegendiensten": true, "weekend": true, "weekenden": true, "avonduren": true,
	"oproepkracht": true, "bijbaan": true, "vakantiewerk": true, "tijdelijk": true,
	"flexibel": true, "zzp": true, "zzper": true, "medior": true, "regio": true,
}

// dropNoise drops the query words that only job ads add: adNoise words,
// numbers (hours, shifts) and the m/v(/x) gender note, unless they are
// label words of the index, or nothing else is left. It returns toks
// itself when nothing goes.
func (ix *index) dropNoise(toks []string) []string {
	noise := func(i int) bool {
		t := toks[i]
		if ix.lab.raw[t] {
			return false
		}
		if adNoise[t] || strings.Trim(t, "0123456789") == "" {
			return true
		}
		// m v, m v x, m v i: the gender note of a Dutch job ad
		mv := func(j int) bool { return j+1 < len(toks) && toks[j] == "m" && toks[j+1] == "v" }
		return mv(i) || i > 0 && mv(i-1) || i > 1 && mv(i-2) && (t == "x" || t == "i")
	}
	var out []string
	for i, t := range toks {
		if !noise(i) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return toks // nothing but noise: keep the query as it is
	}
	return out
}

// joinOn switches joinToks (tests compare with and without).
var joinOn = true

// joinToks glues two neighbouring query words into one where the result is
// a label word and one of the two is no label word on its own: a compound
// written apart whose parts the index cannot match one by one (zand
// straler: zandstraler; straler occurs only inside compounds). Where both
// parts are label words, the words apart already meet the compound's
// parts, and gluing them did more harm than good on the held-out labels
// (data warehouse analyst read as datawarehouse).
func (ix *index) joinToks(toks []string) []string {
	if len(toks) < 2 {
		return toks
	}
	var out []string
	for i := 0; i < len(toks); i++ {
		if i+1 < len(toks) {
			if j := toks[i] + toks[i+1]; ix.lab.raw[j] && (!ix.lab.word(toks[i]) || !ix.lab.word(toks[i+1])) {
				if out == nil {
					out = slices.Clone(toks[:i])
				}
				out = append(out, j)
				i++
				continue
			}
		}
		if out != nil {
			out = append(out, toks[i])
		}
	}
	if out == nil {
		return toks
	}
	return out
}

// fuzzy returns known folded terms within a small edit distance of f.
func (ix *index) fuzzy(f string) []string {
	if len(f) < 4 {
		return nil
	}
	maxd := 1
	if len(f) >= 9 {
		maxd = 2
	}
	counts := map[string]int{}
	grams := trigramsOf(f)
	for _, g := range grams {
		for _, t := range ix.trigrams[g] {
			counts[t]++
		}
	}
	need := len(grams) - 3*maxd
	if need < 1 {
		need = 1
	}
	best := maxd + 1
	var out []string
	for t, c := range counts {
		if c < need {
			continue
		}
		d := editDistance(f, t, maxd, false)
		if d < best {
			best, out = d, out[:0]
		}
		if d == best && d <= maxd {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	if len(out) > 3 {
		out = out[:3]
	}
	return out
}

func (ix *index) getScratch() *scratch {
	if s, ok := ix.pool.Get().(*scratch); ok {
		return s
	}
	n := len(ix.labelDoc)
	s := &scratch{
		labelAcc: make([]float32, n),
		ngAcc:    make([]float32, n),
		seen:     make([]bool, n),
		docBest:  make([]float32, ix.nDocs),
		docLabel: make([]int32, ix.nDocs),
		docCov:   make([]float32, ix.nDocs),
		docDesc:  make([]float32, ix.nDocs),
		docISCO:  make([]float32, ix.nDocs),
		docNg:    make([]float32, ix.nDocs),
		docSeenF: make([]int32, ix.nDocs),
		docBM25:  make([]float32, ix.nDocs),
		docLM:    make([]float32, ix.nDocs),
		flag:     make([]uint8, ix.nDocs),
		lmL:      make([]float32, ix.nDocs),
		lmD:      make([]float32, ix.nDocs),
		lmG:      make([]float32, ix.nGroups),
		docNb:    make([]float32, ix.nDocs),
		docNbEx:  make([]bool, ix.nDocs),
		grp1:     make([]float32, ix.nGroups),
		grp2:     make([]float32, ix.nGroups),
		grpArg:   make([]int32, ix.nGroups),
		grpEx:    make([]int32, ix.nGroups),
		assocVal: make([]float32, len(ix.assoc)),
	}
	for i := range s.grpArg {
		s.grpArg[i] = -2
	}
	for i := range s.docLabel {
		s.docLabel[i] = -1
		s.docSeenF[i] = -1
	}
	return s
}

func (ix *index) putScratch(s *scratch) {
	for _, l := range s.touched {
		s.labelAcc[l] = 0
		s.ngAcc[l] = 0
		s.seen[l] = false
	}
	for _, d := range s.docTouched {
		s.docBest[d] = 0
		s.docLabel[d] = -1
		s.docCov[d] = 0
		s.docDesc[d] = 0
		s.docISCO[d] = 0
		s.docNg[d] = 0
		s.docSeenF[d] = -1
		s.docBM25[d] = 0
		s.docLM[d] = 0
		s.docNb[d] = 0
		s.docNbEx[d] = false
	}
	for _, g := range s.grpTouched {
		s.grp1[g], s.grp2[g], s.grpArg[g], s.grpEx[g] = 0, 0, -2, 0
	}
	s.grpTouched = s.grpTouched[:0]
	s.touched = s.touched[:0]
	s.docTouched = s.docTouched[:0]
	ix.pool.Put(s)
}

// search ranks concepts for a query.
func (ix *index) search(q string, limit int) []hit {
	toks := ix.dropNoise(tokenize(q))
	if len(toks) == 0 || ix.nDocs == 0 {
		return nil
	}
	spelt := false
	if spellOn {
		st := ix.spellToks(toks)
		spelt = &st[0] != &toks[0]
		toks = st
	}
	// The query's label atoms (its order-free folded key), for the exact
	// matches and the label variants below.
	qa := ix.labelAtoms(toks)
	if joinOn && len(ix.exact[strings.Join(qa, " ")]) == 0 {
		// a query that is a label as typed stays as typed
		if j := ix.joinToks(toks); len(j) != len(toks) {
			toks, qa = j, ix.labelAtoms(j)
		}
	}
	qf := ix.features(toks, false)
	// Unknown tokens: try typo correction.
	var qfs []feature
	for _, f := range qf {
		if _, ok := ix.idf[f.key]; ok || f.mult < 1 {
			qfs = append(qfs, f)
			continue
		}
		fz := ix.fuzzy(f.key)
		if len(fz) == 0 {
			qfs = append(qfs, f)
			continue
		}
		for _, k := range fz {
			qfs = append(qfs, feature{k, f.mult * fuzzyMult})
		}
	}
	nBase := len(qfs)
	if substFeat > 0 {
		have := map[string]bool{}
		for _, f := range qfs {
			have[f.key] = true
		}
		for i := 0; i < nBase; i++ {
			subs := ix.subst[qfs[i].key]
			if len(subs) > 3 {
				subs = subs[:3]
			}
			for _, b := range subs {
				if !have[b] {
					have[b] = true
					qfs = append(qfs, feature{b, qfs[i].mult * substFeat})
				}
			}
		}
	}
	var qnorm float32
	qw := make([]float32, len(qfs))
	for i, f := range qfs {
		w, ok := ix.idf[f.key]
		if !ok {
			w = ix.maxIDF
		}
		qw[i] = f.mult * w
		if i < nBase {
			qnorm += qw[i]
		}
	}
	if qnorm == 0 {
		return nil
	}
	s := ix.getScratch()
	defer ix.putScratch(s)
	touchDoc := func(d int32) {
		if s.docLabel[d] == -1 {
			s.docTouched = append(s.docTouched, d)
			s.docLabel[d] = -2
		}
	}
	for fi, f := range qfs {
		for _, p := range ix.postings[f.key] {
			w := p.w
			if qw[fi] < w {
				w = qw[fi]
			}
			if !s.seen[p.label] {
				s.seen[p.label] = true
				s.touched = append(s.touched, p.label)
			}
			s.labelAcc[p.label] += w
			d := ix.labelDoc[p.label]
			touchDoc(d)
			if fi < nBase && s.docSeenF[d] != int32(fi) {
				s.docSeenF[d] = int32(fi)
				s.docCov[d] += qw[fi]
			}
		}
	}
	// Character trigrams of the folded tokens: a softer label similarity.
	qg, qgn := ix.queryGrams(toks)
	if qgn > 0 {
		for _, gw := range qg {
			w := gw.w
			for _, p := range ix.ngPost[gw.g] {
				if !s.seen[p.label] {
					s.seen[p.label] = true
					s.touched = append(s.touched, p.label)
					touchDoc(ix.labelDoc[p.label])
				}
				s.ngAcc[p.label] += w * p.w
			}
		}
	}
	w := *ix.w
	// Best label per concept.
	for _, l := range s.touched {
		sim := float32(w[fDice]) * 2 * s.labelAcc[l] / (qnorm + ix.labelNorm[l])
		if qgn > 0 && ix.ngNorm[l] > 0 {
			sim += float32(w[fNgram]) * s.ngAcc[l] / (qgn * ix.ngNorm[l])
		}
		d := ix.labelDoc[l]
		s.docNg[d] += s.ngAcc[l]
		if sim > s.docBest[d] || (sim == s.docBest[d] && s.docLabel[d] >= 0 && ix.labelKind[l] < ix.labelKind[s.docLabel[d]]) {
			s.docBest[d] = sim
			s.docLabel[d] = l
		}
	}
	qkey := strings.Join(qa, " ")
	exact := ix.exact[qkey]
	exactN := ix.exactN[qkey]
	for _, d := range exact {
		touchDoc(d)
	}
	// One atom swapped for a word it stands in for elsewhere in the
	// taxonomy (hoofd/chef, magazijnhulp/magazijnmedewerker): variants of
	// the query that are labels.
	var variant, variant2 []int32
	if w[fSubst] > 0 && (len(exact) == 0 || substWithExact) {
		lookup := func(atoms []string, into *[]int32) {
			vs := append([]string(nil), atoms...)
			sort.Strings(vs)
			for _, d := range ix.exact[strings.Join(vs, " ")] {
				touchDoc(d)
				if !containsInt32(*into, d) {
					*into = append(*into, d)
				}
			}
		}
		buf := make([]string, len(qa))
		for i, a := range qa {
			for _, b := range ix.subst[a] {
				copy(buf, qa)
				buf[i] = b
				lookup(buf, &variant)
			}
		}
		// Two atoms swapped (the first three stand-ins of each).
		if w[fSubst2] != 0 && len(qa) <= 6 {
			for i := range qa {
				si := ix.subst[qa[i]]
				if len(si) > 3 {
					si = si[:3]
				}
				for j := i + 1; j < len(qa); j++ {
					sj := ix.subst[qa[j]]
					if len(sj) > 3 {
						sj = sj[:3]
					}
					for _, b := range si {
						for _, c := range sj {
							copy(buf, qa)
							buf[i], buf[j] = b, c
							lookup(buf, &variant2)
						}
					}
				}
			}
		}
	}
	// One atom more or less than a label (the query as typed, and its
	// one-word variants).
	var drop1, add1, near []int32
	if w[fDrop1] != 0 || w[fAdd1] != 0 {
		ix.nearLabels(qa, func(d int32, dropped bool) {
			touchDoc(d)
			if dropped {
				if !containsInt32(drop1, d) {
					drop1 = append(drop1, d)
				}
			} else if !containsInt32(add1, d) {
				add1 = append(add1, d)
			}
		})
		if w[fSubstNear] != 0 {
			buf := make([]string, len(qa))
			for i, a := range qa {
				subs := ix.subst[a]
				if len(subs) > 3 {
					subs = subs[:3]
				}
				for _, b := range subs {
					copy(buf, qa)
					buf[i] = b
					vs := append([]string(nil), buf...)
					sort.Strings(vs)
					ix.nearLabels(vs, func(d int32, _ bool) {
						touchDoc(d)
						if !containsInt32(near, d) {
							near = append(near, d)
						}
					})
				}
			}
		}
	}
	// The ISCO group and the broader and narrower concepts of an exactly
	// matching concept come into play: ESCO often gives one title to
	// neighbouring occupations.
	if poolNeighbours {
		for _, d := range exact {
			if g := ix.group[d]; g >= 0 && len(ix.groupDocs[g]) <= maxGroupPool {
				for _, o := range ix.groupDocs[g] {
					touchDoc(o)
				}
			}
			for _, r := range ix.related[d] {
				touchDoc(r)
			}
		}
	}
	// Broader and narrower concepts of those in play: their label
	// similarity and exact matches count as evidence for each other.
	if w[fNbSim] != 0 || w[fNbExact] != 0 {
		n := len(s.docTouched)
		for i := 0; i < n; i++ {
			d := s.docTouched[i]
			isEx := containsInt32(exact, d)
			for _, r := range ix.related[d] {
				touchDoc(r)
				if s.docBest[d] > s.docNb[r] {
					s.docNb[r] = s.docBest[d]
				}
				if isEx {
					s.docNbEx[r] = true
				}
			}
		}
	}
	// Description and ISCO evidence, only for concepts already in play.
	var bm25Norm float32
	for fi, f := range qfs {
		for _, d := range ix.docOf[f.key] {
			if s.docLabel[d] != -1 {
				s.docDesc[d] += qw[fi]
			}
		}
		for _, d := range ix.iscoOf[f.key] {
			if s.docLabel[d] != -1 {
				s.docISCO[d] += qw[fi]
			}
		}
		if fi < nBase && w[fBM25] != 0 {
			idf := ix.descIDF[f.key] * f.mult
			if idf <= 0 {
				continue
			}
			bm25Norm += idf
			for _, p := range ix.descPost[f.key] {
				if s.docLabel[p.doc] != -1 {
					s.docBM25[p.doc] += idf * p.tf * (bm25K1 + 1) / (p.tf + bm25K1*(1-bm25B+bm25B*ix.descLen[p.doc]))
				}
			}
		}
	}
	var qhead string
	var headDocs []int32
	if w[fHead] != 0 || w[fHeadBest] != 0 {
		qhead = ix.headOf(toks)
		headDocs = ix.heads[qhead]
	}
	// ISCO groups: the two best label similarities per group.
	if w[fSibSim] != 0 || w[fSibExact] != 0 {
		for _, d := range s.docTouched {
			g := ix.group[d]
			if g < 0 {
				continue
			}
			if s.grpArg[g] == -2 {
				s.grpTouched = append(s.grpTouched, g)
				s.grpArg[g] = -1
			}
			b := s.docBest[d]
			if b > s.grp1[g] {
				s.grp2[g] = s.grp1[g]
				s.grp1[g], s.grpArg[g] = b, d
			} else if b > s.grp2[g] {
				s.grp2[g] = b
			}
		}
		for _, d := range exact {
			if g := ix.group[d]; g >= 0 {
				s.grpEx[g]++
			}
		}
	}
	// Stage 1: the label, description and ISCO evidence of every concept
	// in play; the best poolSize go on to stage 2.
	marked := [...]struct {
		docs []int32
		flag uint8
	}{
		{exact, flagExact}, {variant, flagVariant}, {drop1, flagDrop1},
		{variant2, flagSubst2}, {near, flagNear}, {add1, flagAdd1},
	}
	for _, m := range marked {
		for _, d := range m.docs {
			s.flag[d] |= m.flag
		}
	}
	keep := poolSize
	if featHook != nil && keep < featHookN {
		keep = featHookN
	}
	if keep < limit {
		keep = limit
	}
	if keep > len(s.docTouched) {
		keep = len(s.docTouched)
	}
	pool := make([]hit, 0, keep+1)
	var fv [nFeat]float32
	for _, d := range s.docTouched {
		fv = [nFeat]float32{}
		score := 0.0
		l := s.docLabel[d]
		if l >= 0 {
			fv[fDice] = 2 * s.labelAcc[l] / (qnorm + ix.labelNorm[l])
			if qgn > 0 && ix.ngNorm[l] > 0 {
				fv[fNgram] = s.ngAcc[l] / (qgn * ix.ngNorm[l])
			}
			if ix.labelKind[l] == kindPreferred {
				fv[fPref] = 1
			}
		}
		fv[fCov] = s.docCov[d] / qnorm
		fv[fDesc] = s.docDesc[d] / qnorm
		fv[fISCO] = s.docISCO[d] / qnorm
		if qgn > 0 && ix.docNgNorm[d] > 0 {
			fv[fDocNg] = s.docNg[d] / (qgn * ix.docNgNorm[d])
		}
		if s.flag[d]&flagVariant != 0 {
			fv[fSubst] = 1
		}
		for _, b := range flagBonuses {
			if s.flag[d]&b.flag != 0 {
				fv[b.feat] = 1
				score += w[b.feat]
			}
		}
		if s.flag[d]&flagExact != 0 {
			fv[fExact] = 1
			if ix.prefKey[d] == qkey || ix.vocabKeys != nil && slices.Contains(ix.vocabKeys[d], qkey) {
				fv[fExactPref] = 1 // the concept named so, before others sharing the label
			}
		}
		for i := 0; i <= fExactPref; i++ {
			if fv[i] != 0 {
				score += w[i] * float64(fv[i])
			}
		}
		h := hit{doc: int(d), score: score}
		if len(pool) == keep && !better(h, pool[len(pool)-1]) {
			continue
		}
		h.feat = fv
		k := len(pool)
		pool = append(pool, h)
		for k > 0 && better(h, pool[k-1]) {
			pool[k] = pool[k-1]
			k--
		}
		pool[k] = h
		if len(pool) > keep {
			pool = pool[:keep]
		}
	}
	for _, m := range marked {
		for _, d := range m.docs {
			s.flag[d] = 0
		}
	}
	// Stage 2: the rest of the evidence for the pool.
	if w[fLM] != 0 {
		ix.lmScores(s, qfs, nBase, pool)
	}
	if w[fAssoc] != 0 {
		ix.assocScores(s, ix.assocQuery(qfs[:nBase], qw[:nBase]), pool)
	}
	for pi := range pool {
		h := &pool[pi]
		d := int32(h.doc)
		fv := &h.feat
		l := s.docLabel[d]
		fv[fPrior] = float32(math.Log(float64(ix.docLabels[d])))
		if fv[fExact] != 0 {
			for i, e := range exact {
				if e == d {
					fv[fExactN] = float32(exactN[i] - 1)
				}
			}
		}
		if qhead != "" {
			if containsInt32(headDocs, d) {
				fv[fHead] = 1
			}
			if l >= 0 && ix.labelHead[l] == qhead {
				fv[fHeadBest] = 1
			}
		}
		fv[fNbSim] = s.docNb[d]
		if s.docNbEx[d] {
			fv[fNbExact] = 1
		}
		if g := ix.group[d]; g >= 0 && s.grpArg[g] != -2 {
			if s.grpArg[g] == d {
				fv[fSibSim] = s.grp2[g]
			} else {
				fv[fSibSim] = s.grp1[g]
			}
			ex := s.grpEx[g]
			if fv[fExact] != 0 {
				ex--
			}
			if ex > 0 {
				fv[fSibExact] = 1
			}
		}
		if bm25Norm > 0 {
			fv[fBM25] = s.docBM25[d] / bm25Norm
		}
		fv[fLM] = s.docLM[d]
		for i := fExactPref + 1; i < nFeat; i++ {
			if fv[i] != 0 && i != fDrop1 && i != fAdd1 && i != fSubst2 && i != fSubstNear {
				h.score += w[i] * float64(fv[i])
			}
		}
	}
	sort.Slice(pool, func(i, j int) bool { return better(pool[i], pool[j]) })
	if featHook != nil {
		featHook(q, pool)
	}
	if ix.rerank != nil {
		ix.rerank.rerank(ix, pool, nBase)
	} else if ix.tiered {
		// The exact tiers of the trees (exactTier), linear order within.
		sort.SliceStable(pool, func(i, j int) bool { return hitTier(&pool[i]) > hitTier(&pool[j]) })
	}
	if len(pool) > limit {
		pool = pool[:limit]
	}
	// Confidence: how well the best label matches, on the token and the
	// character level, each in [0,1]; an exact folded match is near
	// certain, less so when other concepts share that label, and less so
	// when the speller read a word of the query as another (spellConf). A
	// query of generic words only names no concept, except the one whose
	// preferred label it is.
	generic := ix.generic(qf)
	for i := range pool {
		h := &pool[i]
		conf := float64(h.feat[fDice]+h.feat[fNgram]) / 2
		if h.feat[fExact] != 0 {
			if len(exact) == 1 {
				conf = math.Max(conf, 0.97)
			} else {
				conf = math.Max(conf, 0.9)
			}
		}
		if spelt {
			conf *= spellConf
		}
		if generic && h.feat[fExactPref] == 0 {
			conf = math.Min(conf, genericConf)
		}
		conf = math.Min(1, math.Max(0, conf))
		h.conf = math.Round(conf*1000) / 1000
		h.label, h.sim, h.cov = s.docLabel[h.doc], float64(s.docBest[h.doc]), float64(h.feat[fCov])
	}
	return pool
}

// genericConf caps the confidence of answers to a query of generic words
// (generic): below ResolveFloor, so that such a query is never resolved
// on write ("medewerker", "operator", "technicus" are labels of some ESCO
// occupations, but a user typing them names none).
const genericConf = 0.5

// generic reports whether every word of the query is in the labels of at
// least five concepts and 3% of them.
func (ix *index) generic(qf []feature) bool {
	n := 0
	for _, f := range qf {
		if f.mult < 1 {
			continue
		}
		if w, ok := ix.idf[f.key]; !ok || w > ix.genericIDF {
			return false
		}
		n++
	}
	return n > 0
}

// substWithExact looks for one-word variants of the query even when the
// query itself is a label.
var substWithExact = true

// nearLabels calls fn for the concepts with a label equal to the sorted
// atoms qa without one of them (dropped) or to qa plus one atom.
func (ix *index) nearLabels(qa []string, fn func(d int32, dropped bool)) {
	if len(qa) >= 2 {
		for i := range qa {
			k := strings.Join(qa[:i], " ")
			if i+1 < len(qa) {
				if k != "" {
					k += " "
				}
				k += strings.Join(qa[i+1:], " ")
			}
			for _, d := range ix.exact[k] {
				fn(d, true)
			}
		}
	}
	// holes keys are "left|right" around the removed atom; qa is a label
	// minus one atom when it equals left+right for some cut.
	for i := 0; i <= len(qa); i++ {
		hk := strings.Join(qa[:i], " ") + "|" + strings.Join(qa[i:], " ")
		for _, d := range ix.holes[hk] {
			fn(d, false)
		}
	}
}

// poolSize is the number of concepts that go on to the second scoring
// stage.
var poolSize = 50

const (
	flagExact uint8 = 1 << iota
	flagVariant
	flagDrop1
	flagAdd1
	flagSubst2
	flagNear
)

// flagBonuses are the flags whose feature is added to a concept's stage-1
// score outside the weighted sum over features up to fExactPref, in this
// order (the order keeps the floating-point sum as it was).
var flagBonuses = [...]struct {
	flag uint8
	feat int
}{{flagNear, fSubstNear}, {flagSubst2, fSubst2}, {flagDrop1, fDrop1}, {flagAdd1, fAdd1}}

// featHook, when set (tuning), sees the features of the best featHookN
// concepts of every search.
var (
	featHook  func(q string, top []hit)
	featHookN = 100
)

// better orders hits: higher score first, then lower concept index.
func better(a, b hit) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.doc < b.doc
}

func containsInt32(xs []int32, x int32) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// gramCount is a character trigram and how often it occurs.
type gramCount struct {
	g string
	c int
}

// gramCounts returns the character trigrams of the folded tokens with
// their counts, in the order they first occur. A slice and not a map: the
// sums over it (norms, dot products) must add up in the same order every
// time, or a concept's similarity differs in its last bits from one start
// (or one query) to the next and near-ties change places.
func (ix *index) gramCounts(toks []string) []gramCount {
	var out []gramCount
	for _, t := range toks {
		if ngFold {
			t = ix.fold(t)
		}
	next:
		for _, g := range trigramsOf(t) {
			for i := range out {
				if out[i].g == g {
					out[i].c++
					continue next
				}
			}
			out = append(out, gramCount{g, 1})
		}
	}
	return out
}

// buildNgrams indexes the labels' character trigrams (in label order, the
// order buildIndex numbered them).
func (ix *index) buildNgrams(labelToks [][][]string) {
	var all [][]gramCount
	df := map[string]int{}
	docGrams := make([][]gramCount, len(labelToks))
	for di, dt := range labelToks {
		at := map[string]int{} // trigram -> its place in dg
		var dg []gramCount
		for _, toks := range dt {
			if len(toks) == 0 {
				continue
			}
			m := ix.gramCounts(toks)
			all = append(all, m)
			for _, gc := range m {
				df[gc.g]++
				if i, ok := at[gc.g]; ok {
					dg[i].c += gc.c
				} else {
					at[gc.g] = len(dg)
					dg = append(dg, gc)
				}
			}
		}
		docGrams[di] = dg
	}
	n := float64(len(all))
	ix.ngIDF = make(map[string]float32, len(df))
	for g, c := range df {
		ix.ngIDF[g] = float32(math.Log(1 + n/float64(c)))
	}
	ix.ngPost = make(map[string][]posting, len(df))
	ix.ngNorm = make([]float32, len(all))
	for li, m := range all {
		var ss float64
		for _, gc := range m {
			w := float32(gc.c) * ix.ngIDF[gc.g]
			ss += float64(w) * float64(w)
			if float64(df[gc.g]) <= ngMaxDF*n {
				ix.ngPost[gc.g] = append(ix.ngPost[gc.g], posting{int32(li), w})
			}
		}
		ix.ngNorm[li] = float32(math.Sqrt(ss))
	}
	ix.docNgNorm = make([]float32, len(labelToks))
	for di, m := range docGrams {
		var ss float64
		for _, gc := range m {
			w := float64(gc.c) * float64(ix.ngIDF[gc.g])
			ss += w * w
		}
		ix.docNgNorm[di] = float32(math.Sqrt(ss))
	}
}

// queryGram is a trigram of the query and its weight.
type queryGram struct {
	g string
	w float32
}

// queryGrams returns the query's known trigrams with their weights, in the
// order they first occur, and the norm of all its trigrams.
func (ix *index) queryGrams(toks []string) ([]queryGram, float32) {
	m := ix.gramCounts(toks)
	out := make([]queryGram, 0, len(m))
	var ss float64
	for _, gc := range m {
		idf, ok := ix.ngIDF[gc.g]
		if !ok {
			idf = float32(math.Log(1 + float64(len(ix.ngNorm))))
		}
		w := float32(gc.c) * idf
		ss += float64(w) * float64(w)
		if ok {
			out = append(out, queryGram{gc.g, w})
		}
	}
	return out, float32(math.Sqrt(ss))
}

// learnSubstitutions records, for the labels of one concept, pairs of atoms
// that stand in for each other: two labels that differ in exactly one atom.
func learnSubstitutions(labels [][]string, subst map[[2]string]int) {
	holes := map[string][]string{} // label with one atom left out -> the atoms left out
	for _, l := range labels {
		for i := range l {
			key := strings.Join(l[:i], " ") + "|" + strings.Join(l[i+1:], " ")
			holes[key] = append(holes[key], l[i])
		}
	}
	seen := map[[2]string]bool{}
	for _, as := range holes {
		for _, a := range as {
			for _, b := range as {
				if a != b && !seen[[2]string{a, b}] {
					seen[[2]string{a, b}] = true
					subst[[2]string{a, b}]++
				}
			}
		}
	}
}

// fold is foldToken, memoised during the build.
func (ix *index) fold(t string) string {
	if ix.memo == nil {
		return foldToken(t)
	}
	f, ok := ix.memo[t]
	if !ok {
		f = foldToken(t)
		ix.memo[t] = f
	}
	return f
}

// adjectiveEnd reports whether a title word looks like a Dutch adjective
// (technisch, administratief, medisch, algemeen is not caught, which is
// fine: the head is only weak evidence).
func adjectiveEnd(t string) bool {
	for _, suf := range []string{"isch", "ische", "ief", "ieve", "aal", "ale", "eel", "ele", "ig", "ige", "lijk", "lijke", "eerd", "eerde", "air", "aire"} {
		if strings.HasSuffix(t, suf) && len(t) > len(suf)+2 {
			return true
		}
	}
	return false
}

// headOf returns the head of a title: the last atom of its first word
// that is not an adjective ("monteur veiligheidssystemen" -> monteur,
// "administratief medewerker" -> medewerker, "promotiemedewerker" ->
// medewerker).
func (ix *index) headOf(toks []string) string {
	i := 0
	for i < len(toks)-1 && adjectiveEnd(toks[i]) {
		i++
	}
	a := ix.atoms(toks[i])
	return a[len(a)-1]
}

// addDescription records the folded word counts of a concept's description.
func (ix *index) addDescription(doc int32, toks []string) {
	for len(ix.descLen) <= int(doc) {
		ix.descLen = append(ix.descLen, 0)
	}
	ix.descLen[doc] = float32(len(toks))
	for len(ix.descRaw) <= int(doc) {
		ix.descRaw = append(ix.descRaw, 0)
	}
	ix.descRaw[doc] = float32(len(toks))
	if len(toks) == 0 {
		return
	}
	cnt := map[string]float32{}
	for _, t := range toks {
		cnt[ix.fold(t)]++
	}
	for k, c := range cnt {
		ix.descPost[k] = append(ix.descPost[k], descPosting{doc, c})
	}
}

// finishDescriptions turns description counts into BM25 inputs.
func (ix *index) finishDescriptions(nDocs int) {
	for len(ix.descLen) < nDocs {
		ix.descLen = append(ix.descLen, 0)
		ix.descRaw = append(ix.descRaw, 0)
	}
	var sum float64
	n := 0
	for _, l := range ix.descLen {
		if l > 0 {
			sum += float64(l)
			n++
		}
	}
	if n == 0 {
		return
	}
	avg := float32(sum / float64(n))
	for i := range ix.descLen {
		ix.descLen[i] /= avg
	}
	for k, ps := range ix.descPost {
		ix.descIDF[k] = float32(math.Log(1 + (float64(n)-float64(len(ps))+0.5)/(float64(len(ps))+0.5)))
	}
}

// Pool expansion around exact matches (groups larger than maxGroupPool
// are left out).
var (
	poolNeighbours = true
	maxGroupPool   = 200
)

// BM25 parameters of the description evidence.
var (
	bm25K1 float32 = 1.2
	bm25B  float32 = 0.75
)

func labels2lm[T any](ls []T, f func(T) (int32, []feature)) []lmLabel {
	out := make([]lmLabel, len(ls))
	for i, l := range ls {
		out[i].doc, out[i].fs = f(l)
	}
	return out
}

type lmLabel struct {
	doc int32
	fs  []feature
}

// buildLM counts the label features of each concept (and of all labels)
// for the query-likelihood evidence.
func (ix *index) buildLM(ls []lmLabel, nDocs int) {
	ix.lmPost = map[string][]descPosting{}
	ix.lmMass = make([]float32, nDocs)
	coll := map[string]float32{}
	var total float32
	for _, l := range ls {
		for _, f := range l.fs {
			ps := ix.lmPost[f.key]
			if n := len(ps); n > 0 && ps[n-1].doc == l.doc {
				ps[n-1].tf += f.mult
			} else {
				ix.lmPost[f.key] = append(ps, descPosting{l.doc, f.mult})
			}
			ix.lmMass[l.doc] += f.mult
			coll[f.key] += f.mult
			total += f.mult
		}
	}
	ix.collP = make(map[string]float32, len(coll))
	for k, c := range coll {
		ix.collP[k] = c / total
	}
}

// buildGroupLM sums the label counts of the concepts of each ISCO group.
func (ix *index) buildGroupLM() {
	ix.grpPost = map[string][]descPosting{}
	ix.grpMass = make([]float32, ix.nGroups)
	// A group's mass is the sum of its concepts' masses, in concept order
	// (summed over the postings map instead, its order would change the
	// last bits from one start to the next).
	for d, g := range ix.group {
		if g >= 0 {
			ix.grpMass[g] += ix.lmMass[d]
		}
	}
	acc := map[string]map[int32]float32{}
	for k, ps := range ix.lmPost {
		for _, p := range ps {
			g := ix.group[p.doc]
			if g < 0 {
				continue
			}
			m := acc[k]
			if m == nil {
				m = map[int32]float32{}
				acc[k] = m
			}
			m[g] += p.tf
		}
	}
	for k, m := range acc {
		ps := make([]descPosting, 0, len(m))
		for g, c := range m {
			ps = append(ps, descPosting{g, c})
		}
		sort.Slice(ps, func(i, j int) bool { return ps[i].doc < ps[j].doc })
		ix.grpPost[k] = ps
	}
}

// Query-likelihood smoothing: a concept's word distribution mixes its
// label counts, lmDesc times its description counts, lmGroup pseudo-counts
// of its ISCO group's distribution and lmColl of all labels'.
var (
	lmDesc  float32 = 0.3
	lmGroup float32 = 2
	lmColl  float32 = 1
)

// lmScores adds, for each concept in play, the mean log-likelihood ratio
// of the query features under the concept's smoothed distribution against
// all labels'.
func (ix *index) lmScores(s *scratch, qfs []feature, nBase int, pool []hit) {
	var wsum float32
	for fi := 0; fi < nBase; fi++ {
		f := qfs[fi]
		pc := ix.collP[f.key]
		if pc == 0 {
			continue
		}
		wsum += f.mult
		for _, p := range ix.lmPost[f.key] {
			s.lmL[p.doc] += p.tf
		}
		for _, p := range ix.descPost[f.key] {
			s.lmD[p.doc] += p.tf
		}
		for _, p := range ix.grpPost[f.key] {
			s.lmG[p.doc] = p.tf
		}
		for _, h := range pool {
			d := int32(h.doc)
			pg := float32(0)
			if g := ix.group[d]; g >= 0 && ix.grpMass[g] > 0 {
				pg = s.lmG[g] / ix.grpMass[g]
			}
			num := s.lmL[d] + lmDesc*s.lmD[d] + lmGroup*pg + lmColl*pc
			den := ix.lmMass[d] + lmDesc*ix.descRaw[d] + lmGroup + lmColl
			s.docLM[d] += f.mult * float32(math.Log(float64(num/den)/float64(pc)))
		}
		for _, p := range ix.lmPost[f.key] {
			s.lmL[p.doc] = 0
		}
		for _, p := range ix.descPost[f.key] {
			s.lmD[p.doc] = 0
		}
		for _, p := range ix.grpPost[f.key] {
			s.lmG[p.doc] = 0
		}
	}
	if wsum > 0 {
		for _, h := range pool {
			s.docLM[h.doc] /= wsum
		}
	}
}
