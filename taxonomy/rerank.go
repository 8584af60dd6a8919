package taxonomy

// Reranking: the linear score (occWeights) orders the pool; boosted
// regression trees then reorder its head. The trees see what the linear
// score cannot combine: a concept's features together with its place in
// the pool, its distance to the best score and how many concepts in the
// head carry the query as a label, so that, for instance, an exact match
// counts for less when several concepts share it and the head-word
// evidence counts for more. The trees are fitted by
// `go test -tags tune ./taxonomy -run TestFitRerank` (rerank_fit_test.go)
// on held-out ESCO splits and written to rerank_model.go; they are used
// for taxonomies loaded from ESCO only (the built-in vocabulary is too
// small for them).

// rerankHead is the number of pool entries the trees reorder.
const rerankHead = 30

// Inputs of the trees beyond the features.
const (
	rScore   = nFeat + iota // linear score
	rPlace                  // place in the pool, 0-based
	rGap                    // best linear score minus this one
	rExact                  // concepts in the head with the query as a label
	rQLen                   // words and compound parts in the query
	rRel                    // broader and narrower concepts of this one
	rRelHead                // of them, how many are in the head
	rGrpHead                // other concepts of its ISCO group in the head
	rDDice                  // token Dice minus the best in the head
	rDNgram                 // trigram cosine minus the best in the head
	rDCov                   // coverage minus the best in the head
	rDAssoc                 // association evidence minus the best in the head
	rDLM                    // label likelihood minus the best in the head
	nRank
)

// headDiffs are the features whose distance to the head's best is an input.
var headDiffs = [...]struct{ feat, in int }{
	{fDice, rDDice}, {fNgram, rDNgram}, {fCov, rDCov}, {fAssoc, rDAssoc}, {fLM, rDLM},
}

// treeNode is one node of a regression tree; a leaf when Left is 0.
type treeNode struct {
	Feat        uint8
	Thr         float32
	Left, Right uint16
	Val         float32
}

// boosted is a sum of regression trees added to a scaled linear score.
type boosted struct {
	Alpha float64 // weight of the linear score
	Rate  float64 // shrinkage of every tree
	Trees [][]treeNode
}

func (m *boosted) score(x *[nRank]float32) float64 {
	s := m.Alpha * float64(x[rScore])
	t := 0.0
	for _, tr := range m.Trees {
		t += float64(evalTree(tr, x))
	}
	return s + m.Rate*t
}

// evalTree is the value of the leaf that x reaches.
func evalTree(tr []treeNode, x *[nRank]float32) float32 {
	i := 0
	for tr[i].Left != 0 {
		if x[tr[i].Feat] <= tr[i].Thr {
			i = int(tr[i].Left)
		} else {
			i = int(tr[i].Right)
		}
	}
	return tr[i].Val
}

// rankInputs fills the tree inputs of the first n hits of a pool in
// linear order; qlen is the number of query features (words and compound
// parts). ix gives the concepts' relations (nil: none).
func rankInputs(ix *index, pool []hit, n, qlen int, x [][nRank]float32) {
	exact := 0
	var best [len(headDiffs)]float32
	for i := 0; i < n; i++ {
		if pool[i].feat[fExact] != 0 {
			exact++
		}
		for k, h := range headDiffs {
			best[k] = max(best[k], pool[i].feat[h.feat])
		}
	}
	top := pool[0].score
	for i := 0; i < n; i++ {
		xi := &x[i]
		copy(xi[:nFeat], pool[i].feat[:])
		xi[rScore] = float32(pool[i].score)
		xi[rPlace] = float32(i)
		xi[rGap] = float32(top - pool[i].score)
		xi[rExact] = float32(exact)
		xi[rQLen] = float32(qlen)
		for k, h := range headDiffs {
			xi[h.in] = pool[i].feat[h.feat] - best[k]
		}
		if ix == nil {
			continue
		}
		d := pool[i].doc
		rel := ix.related[d]
		xi[rRel] = float32(len(rel))
		g := ix.group[d]
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			e := int32(pool[j].doc)
			if containsInt32(rel, e) {
				xi[rRelHead]++
			}
			if g >= 0 && ix.group[e] == g {
				xi[rGrpHead]++
			}
		}
	}
}

// exactTier orders the head before the trees do: the concept whose
// preferred label is the query, then concepts that carry it as another
// label, then the rest. The trees reorder within each tier only. They are
// fitted on held-out labels, where a concept that carries the query is by
// construction rarely the one it was taken from; left free, they learn to
// push exact matches down, which is wrong for a title typed as ESCO spells it.
func exactTier(x *[nRank]float32) int8 { return tierOf(x[fExactPref], x[fExact]) }

// hitTier is exactTier of a hit's features.
func hitTier(h *hit) int8 { return tierOf(h.feat[fExactPref], h.feat[fExact]) }

func tierOf(exactPref, exact float32) int8 {
	switch {
	case exactPref != 0:
		return 2
	case exact != 0:
		return 1
	}
	return 0
}

// rerankHook, when set (fitting), sees the tree inputs of every reranked
// head with the pool still in linear order.
var rerankHook func(x [][nRank]float32, pool []hit)

// rerank reorders the head of a pool sorted by linear score.
func (m *boosted) rerank(ix *index, pool []hit, qlen int) {
	n := min(len(pool), rerankHead)
	if n < 2 {
		return
	}
	var x [rerankHead][nRank]float32
	rankInputs(ix, pool, n, qlen, x[:n])
	if rerankHook != nil {
		rerankHook(x[:n], pool[:n])
	}
	var tier [rerankHead]int8
	for i := 0; i < n; i++ {
		pool[i].score = m.score(&x[i])
		tier[i] = exactTier(&x[i])
	}
	head := pool[:n]
	// Insertion sort: n is small and ties keep the linear order.
	for i := 1; i < n; i++ {
		h, ht := head[i], tier[i]
		j := i
		for j > 0 && (ht > tier[j-1] || ht == tier[j-1] && h.score > head[j-1].score) {
			head[j], tier[j] = head[j-1], tier[j-1]
			j--
		}
		head[j], tier[j] = h, ht
	}
	// Hits beyond the head keep their order below it.
	for i := n; i < len(pool); i++ {
		pool[i].score = head[n-1].score - 1e-6*float64(i-n+1)
	}
}
