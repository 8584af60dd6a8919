package taxonomy

import (
	"math"
	"slices"
	"sort"
)

// Word associations learnt from the taxonomy's own labels. Two units (the
// feature keys of labels: folded tokens and folded compound parts) that
// appear in different labels of one concept, each missing from the other
// label, are evidence that one may stand for the other in a query: claim
// and schade (claimbehandelaar, schadebehandelaar), geschiedkundige and
// historicus, centralist and telefonist. Unlike the stand-ins of
// learnSubstitutions, the two labels need not differ in one word only.

// assocEntry is one associated unit and the strength of the association.
type assocEntry struct {
	unit int32
	p    float32
}

// Association parameters: the strength of (a, b) is c/sqrt((n(a)+alpha)
// (n(b)+alpha)), with c the concepts that have a and b in different
// labels and n the concepts with more than one label that have the unit;
// the assocCap strongest are kept per unit.
var (
	assocAlpha float32 = 1
	assocCap           = 40
)

// buildAssoc numbers the label units, records each concept's units and
// learns the associations. units holds, per concept, the feature keys of
// each label.
func (ix *index) buildAssoc(units [][][]string) {
	ix.unitID = map[string]int32{}
	ix.docUnits = make([][]int32, len(units))
	var n []int32
	var adj [][]int32    // per unit: the units it met, once per concept
	var masks [][]uint64 // per unit of the concept: the labels that have it
	for di, ls := range units {
		words := (len(ls) + 63) / 64
		var set []int32
		masks = masks[:0]
		for li, l := range ls {
			for _, k := range l {
				id, ok := ix.unitID[k]
				if !ok {
					id = int32(len(ix.unitID))
					ix.unitID[k] = id
					n = append(n, 0)
					adj = append(adj, nil)
				}
				at := -1
				for i, u := range set {
					if u == id {
						at = i
						break
					}
				}
				if at < 0 {
					at = len(set)
					set = append(set, id)
					masks = append(masks, make([]uint64, words))
				}
				masks[at][li/64] |= 1 << (li % 64)
			}
		}
		if len(ls) >= 2 {
			for i, a := range set {
				n[a]++
				for j, b := range set {
					if i != j && someNotIn(masks[i], masks[j]) && someNotIn(masks[j], masks[i]) {
						adj[a] = append(adj[a], b)
					}
				}
			}
		}
		sort.Slice(set, func(i, j int) bool { return set[i] < set[j] })
		ix.docUnits[di] = set
	}
	ix.assoc = make([][]assocEntry, len(ix.unitID))
	var es []assocEntry
	for a, bs := range adj {
		slices.Sort(bs)
		es = es[:0]
		for i := 0; i < len(bs); {
			j := i + 1
			for j < len(bs) && bs[j] == bs[i] {
				j++
			}
			b := bs[i]
			p := float64(j-i) / math.Sqrt(float64((float32(n[a])+assocAlpha)*(float32(n[b])+assocAlpha)))
			es = append(es, assocEntry{b, float32(p)})
			i = j
		}
		sort.Slice(es, func(i, j int) bool {
			if es[i].p != es[j].p {
				return es[i].p > es[j].p
			}
			return es[i].unit < es[j].unit
		})
		if len(es) > assocCap {
			es = es[:assocCap]
		}
		if len(es) > 0 {
			ix.assoc[a] = append([]assocEntry(nil), es...)
		}
	}
}

// assocQuery is a query's units for the association feature.
type assocQuery struct {
	ids []int32   // unit numbers, -1 = not a label unit
	w   []float32 // weights (multiplier times IDF)
	sum float32
}

func (ix *index) assocQuery(fs []feature, w []float32) assocQuery {
	q := assocQuery{ids: make([]int32, len(fs)), w: w}
	for i, f := range fs {
		id, ok := ix.unitID[f.key]
		if !ok {
			id = -1
		}
		q.ids[i] = id
		q.sum += w[i]
	}
	return q
}

// assocScores sets, for each concept of the pool, the weighted share of
// the query's units that the concept's labels lack, each counted with its
// strongest association to a unit that they have.
func (ix *index) assocScores(s *scratch, q assocQuery, pool []hit) {
	if q.sum == 0 {
		return
	}
	for i, a := range q.ids {
		if a < 0 || len(ix.assoc[a]) == 0 {
			continue
		}
		for _, e := range ix.assoc[a] {
			s.assocVal[e.unit] = e.p
		}
		for pi := range pool {
			du := ix.docUnits[pool[pi].doc]
			if containsSorted(du, a) {
				continue
			}
			var best float32
			for _, u := range du {
				if v := s.assocVal[u]; v > best {
					best = v
				}
			}
			pool[pi].feat[fAssoc] += q.w[i] * best / q.sum
		}
		for _, e := range ix.assoc[a] {
			s.assocVal[e.unit] = 0
		}
	}
}

// someNotIn reports whether some label in the bit set x is not in y.
func someNotIn(x, y []uint64) bool {
	for i := range x {
		if x[i]&^y[i] != 0 {
			return true
		}
	}
	return false
}

// containsSorted reports whether the ascending xs holds x.
func containsSorted(xs []int32, x int32) bool {
	i := sort.Search(len(xs), func(i int) bool { return xs[i] >= x })
	return i < len(xs) && xs[i] == x
}
