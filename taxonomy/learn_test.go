//go:build tune

package taxonomy

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

type learnQuery struct {
	right int // index in cands, -1 = not among them
	cands [][nFeat]float32
}

// dumpFeatures runs the held-out split of one seed and keeps the features
// of the best featHookN concepts of every query.
func dumpFeatures(t *testing.T, seed uint64, skills bool) []learnQuery {
	tx, err := readESCO(realESCO(t))
	if err != nil {
		t.Fatal(err)
	}
	qs := holdOutRefs(tx.refs(skills), 0.2, seed)
	tx.finish()
	ix := tx.occIdx
	if skills {
		ix = tx.skillIdx
	}
	var out []learnQuery
	var cur []hit
	featHook = func(q string, top []hit) { cur = append(cur[:0], top...) }
	defer func() { featHook = nil }()
	for _, q := range qs {
		cur = cur[:0]
		ix.search(q.label, 10)
		lq := learnQuery{right: -1}
		for i, h := range cur {
			if h.doc == q.occ {
				lq.right = i
			}
			lq.cands = append(lq.cands, h.feat)
		}
		out = append(out, lq)
	}
	return out
}

func scoreSet(qs []learnQuery, w weights) (top1, top5 float64) {
	n1, n5 := 0, 0
	for _, q := range qs {
		if q.right < 0 {
			continue
		}
		sc := func(f [nFeat]float32) float64 {
			s := 0.0
			for i, v := range f {
				s += w[i] * float64(v)
			}
			return s
		}
		r := sc(q.cands[q.right])
		above := 0
		for i, c := range q.cands {
			if i == q.right {
				continue
			}
			s := sc(c)
			if s > r || (s == r && i < q.right) {
				above++
				if above >= 5 {
					break
				}
			}
		}
		if above == 0 {
			n1++
		}
		if above < 5 {
			n5++
		}
	}
	return float64(n1) / float64(len(qs)), float64(n5) / float64(len(qs))
}

// TestLearn (LEARN=seeds, e.g. LEARN=1,2; LEARN_T5=weight of top-5 in the
// objective) fits the occupation feature weights by coordinate ascent on
// the held-out splits of the given seeds and prints them; with
// LEARN_SKILLS=1 the skill weights, starting from the shipped ones.
func TestLearn(t *testing.T) {
	spec := os.Getenv("LEARN")
	if spec == "" {
		t.Skip()
	}
	t5 := 0.7
	if v := os.Getenv("LEARN_T5"); v != "" {
		t5, _ = strconv.ParseFloat(v, 64)
	}
	nonneg := os.Getenv("LEARN_NONNEG") != ""
	frozen := map[int]bool{}
	for _, n := range strings.Split(os.Getenv("LEARN_OFF"), ",") {
		for i, fn := range featNames {
			if fn == n {
				frozen[i] = true
			}
		}
	}
	skills := os.Getenv("LEARN_SKILLS") != ""
	target := &occWeights
	if skills {
		target = &skillWeights
	}
	saved := *target
	defer func() { *target = saved }()
	w := *target
	for round := 0; round < 3; round++ {
		*target = w
		for i := range target {
			if target[i] == 0 && !frozen[i] {
				target[i] = 1e-6 // computed, not counted
			}
		}
		var qs []learnQuery
		for _, s := range strings.Split(spec, ",") {
			seed, _ := strconv.ParseUint(s, 10, 64)
			qs = append(qs, dumpFeatures(t, seed, skills)...)
		}
		obj := func(w weights) float64 { a, b := scoreSet(qs, w); return a + t5*b }
		best := obj(w)
		a, b := scoreSet(qs, w)
		t.Logf("round %d start: top1 %.4f top5 %.4f", round, a, b)
		for pass := 0; pass < 4; pass++ {
			improved := false
			for i := range w {
				if frozen[i] || i == fDice {
					continue // dice is the unit
				}
				cur := w[i]
				cands := []float64{0, cur * 0.5, cur * 0.8, cur * 1.25, cur * 2, cur + 0.02, cur - 0.02, cur + 0.1, cur - 0.1, cur + 0.3, cur - 0.3, 0.05, 0.2, 1, -0.05, -0.2}
				for _, v := range cands {
					if v < 0 && nonneg {
						continue
					}
					w2 := w
					w2[i] = v
					if o := obj(w2); o > best+1e-9 {
						best, w = o, w2
						improved = true
					}
				}
			}
			if !improved {
				break
			}
		}
		if os.Getenv("LEARN_RANDOM") != "" {
			rng := rand.New(rand.NewPCG(uint64(round), 7))
			for it := 0; it < 400; it++ {
				w2 := w
				for i := range w2 {
					if frozen[i] || i == fDice || rng.Float64() < 0.5 {
						continue
					}
					w2[i] *= 1 + 0.3*(rng.Float64()*2-1)
				}
				if o := obj(w2); o > best+1e-9 {
					best, w = o, w2
				}
			}
		}
		a, b = scoreSet(qs, w)
		t.Logf("round %d end: top1 %.4f top5 %.4f", round, a, b)
	}
	var sb strings.Builder
	for i, v := range w {
		fmt.Fprintf(&sb, "%s: %.4g, ", featNames[i], v)
	}
	t.Log(sb.String())
}
