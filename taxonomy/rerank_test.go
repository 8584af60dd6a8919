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
