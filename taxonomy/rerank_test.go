package taxonomy

import "testing"

func TestBoostedScore(t *testing.T) {
	// One tree: x[fExact] <= 0.5 ? -1 : (x[rPlace] <= 2 ? 2 : 0.5).
	m := &boosted{Alpha: 2, Rate: 0.5, Trees: [][]treeNode{{
		{Feat: fExact, Thr: 0.5, Left: 1, Right: 2},
		{Val: -1},
		{Feat: rPlace, Thr: 2, Left: 3, Right: 4},
		{Val: 2},
		{Val: 0.5},
	}}}
	cases := []struct {
		exact, place, score float32
		want                float64
	}{
		{0, 0, 1, 2*1 + 0.5*-1},
		{1, 1, 1, 2*1 + 0.5*2},
		{1, 5, 3, 2*3 + 0.5*0.5},
	}
	for _, c := range cases {
		var x [nRank]float32
		x[fExact], x[rPlace], x[rScore] = c.exact, c.place, c.score
		if got := m.score(&x); got != c.want {
			t.Errorf("exact %v place %v score %v: got %v, want %v", c.exact, c.place, c.score, got, c.want)
		}
	}
}

func TestRerankHead(t *testing.T) {
	// Trees that favour exact matches reorder the head; hits beyond the
	// head stay below it in their order.
	m := &boosted{Alpha: 1, Rate: 1, Trees: [][]treeNode{{
		{Feat: fExact, Thr: 0.5, Left: 1, Right: 2}, {Val: 0}, {Val: 100},
	}}}
	pool := make([]hit, rerankHead+5)
	for i := range pool {
		pool[i] = hit{doc: i, score: float64(len(pool) - i)}
	}
	pool[7].feat[fExact] = 1
	pool[3].feat[fExact] = 1
	pool[rerankHead+2].feat[fExact] = 1 // beyond the head: not moved
	m.rerank(nil, pool, 1)
	want := []int{3, 7, 0, 1, 2, 4}
	for i, d := range want {
		if pool[i].doc != d {
			t.Fatalf("place %d: doc %d, want %d (order %v)", i, pool[i].doc, d, docsOf(pool))
		}
	}
	for i := rerankHead; i < len(pool); i++ {
		if pool[i].doc != i || !(pool[i].score < pool[i-1].score) {
			t.Fatalf("tail changed at %d: %v", i, docsOf(pool))
		}
	}
	x := make([][nRank]float32, 3)
	rankInputs(nil, pool[:3], 3, 2, x)
	if x[0][rExact] != 2 || x[2][rPlace] != 2 || x[0][rGap] != 0 || x[1][rGap] <= 0 || x[1][rQLen] != 2 {
		t.Errorf("rank inputs: %v", x)
	}
}

func docsOf(hs []hit) []int {
	out := make([]int, len(hs))
	for i, h := range hs {
		out[i] = h.doc
	}
	return out
}

// The shipped model is well formed: every split names an input and points
// forward to nodes of its own tree, every path ends in a leaf.
func TestShippedRerankModel(t *testing.T) {
	if occRerank == nil {
		t.Fatal("no occupation reranker (rerank_model.go)")
	}
	if occRerank.Alpha <= 0 || occRerank.Rate <= 0 || len(occRerank.Trees) == 0 {
		t.Fatalf("model: alpha %v rate %v trees %d", occRerank.Alpha, occRerank.Rate, len(occRerank.Trees))
	}
	for ti, tr := range occRerank.Trees {
		for i, n := range tr {
			if n.Left == 0 {
				continue
			}
			if int(n.Feat) >= nRank || int(n.Left) <= i || int(n.Right) <= i || int(n.Left) >= len(tr) || int(n.Right) >= len(tr) {
				t.Fatalf("tree %d node %d malformed: %+v", ti, i, n)
			}
		}
	}
}

// The head inputs: relations and ISCO group mates among the other
// candidates, and distances to the head's best feature values.
func TestRankInputsHead(t *testing.T) {
	ix := &index{
		related: [][]int32{{1, 2}, {0}, {0}, nil},
		group:   []int32{5, 5, -1, 5},
	}
	pool := []hit{{doc: 0, score: 3}, {doc: 1, score: 2}, {doc: 3, score: 1}}
	pool[0].feat[fCov] = 0.5
	pool[1].feat[fCov] = 0.9
	x := make([][nRank]float32, 3)
	rankInputs(ix, pool, 3, 4, x)
	// doc 0 has relations 1 and 2; only 1 is in the head. Docs 1 and 3
	// share its group.
	if x[0][rRel] != 2 || x[0][rRelHead] != 1 || x[0][rGrpHead] != 2 {
		t.Errorf("doc 0: rel %v in head %v group mates %v", x[0][rRel], x[0][rRelHead], x[0][rGrpHead])
	}
	if x[2][rRel] != 0 || x[2][rRelHead] != 0 || x[2][rGrpHead] != 2 {
		t.Errorf("doc 3: rel %v in head %v group mates %v", x[2][rRel], x[2][rRelHead], x[2][rGrpHead])
	}
	if d := x[0][rDCov]; d > -0.39 || d < -0.41 {
		t.Errorf("coverage distance of doc 0: %v, want -0.4", d)
	}
	if x[1][rDCov] != 0 || x[2][rQLen] != 4 {
		t.Errorf("doc 1 coverage distance %v, query length %v", x[1][rDCov], x[2][rQLen])
	}
}
