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

// labelTexts lists the label texts in index order (test helper).
func labelTexts(t *Taxonomy) []string {
	var out []string
	for _, o := range t.occs {
		for _, l := range append(append([]string{o.label}, o.alts...), o.hidden...) {
			if len(tokenize(l)) > 0 {
				out = append(out, l)
			}
		}
	}
	return out
}

// TestDiag (go test -tags tune -run Diag -v, DIAG=A-own|B-own+other|C-other|D-none)
// sorts held-out queries by how their folded key relates to the labels
// left in the index and logs a sample of misses of one category with the
// score, best-label similarity and coverage of the first answers.
func TestDiag(t *testing.T) {
	if os.Getenv("DIAG") == "" {
		t.Skip()
	}
	dir := realESCO(t)
	tx, _ := readESCO(dir)
	rng := rand.New(rand.NewPCG(1, 0x5eed))
	type q struct {
		label string
		occ   int
	}
	var qs []q
	for i := range tx.occs {
		o := &tx.occs[i]
		kept := o.alts[:0]
		for _, a := range o.alts {
			if rng.Float64() < 0.2 {
				qs = append(qs, q{a, i})
				continue
			}
			kept = append(kept, a)
		}
		o.alts = kept
	}
	tx.finish()
	if os.Getenv("DIAG_W") != "" {
		for i, f := range strings.Split(os.Getenv("DIAG_W"), ",") {
			occWeights[i], _ = strconv.ParseFloat(f, 64)
		}
	}
	lt := labelTexts(tx)
	ambiguous, n := 0, 0
	cat := map[string][4]int{}
	sameGroup := map[string]int{}
	cm := map[string]int{}
	dm := map[string]int{}
	for i, qq := range qs {
		hs := tx.occIdx.search(qq.label, 10)
		ex0 := tx.occIdx.exact[tx.occIdx.labelKey(tokenize(qq.label))]
		c := "D-none"
		switch {
		case len(ex0) == 1 && ex0[0] == int32(qq.occ):
			c = "A-own"
		case containsInt32(ex0, int32(qq.occ)):
			c = "B-own+other"
		case len(ex0) > 0:
			c = "C-other"
		}
		v := cat[c]
		v[0]++
		if len(hs) > 0 && hs[0].doc == qq.occ {
			v[1]++
		}
		for j, h := range hs {
			if j < 5 && h.doc == qq.occ {
				v[2]++
			}
		}
		if len(hs) > 0 {
			rel := false
			for _, r := range tx.occIdx.related[hs[0].doc] {
				if int(r) == qq.occ {
					rel = true
				}
			}
			if rel {
				v[3]++
			}
			if hs[0].doc != qq.occ && tx.occIdx.group[hs[0].doc] == tx.occIdx.group[qq.occ] {
				sameGroup[c]++
			}
		}
		cat[c] = v
		if len(hs) > 0 && hs[0].doc == qq.occ {
			continue
		}
		if c == "C-other" {
			r := 0
			for j, h := range hs {
				if h.doc == qq.occ {
					r = j + 1
				}
			}
			inGroup := false
			for _, e := range ex0 {
				if tx.occIdx.group[e] == tx.occIdx.group[qq.occ] {
					inGroup = true
				}
			}
			cm[fmt.Sprintf("rank%d/group%v", r, inGroup)]++
		}
		if c == "D-none" {
			r, oc := 0, -1.0
			for j, h := range hs {
				if h.doc == qq.occ {
					r, oc = j+1, h.cov
				}
			}
			k := "rank" + strconv.Itoa(r)
			if r > 5 {
				k = "rank6+"
			}
			if oc >= 0.999 {
				k += "/owncov1"
				if len(hs) > 0 && hs[0].cov < 0.999 {
					k += "/winnercov<1"
				}
			}
			dm[k]++
		}
		n++
		key := tx.occIdx.labelKey(tokenize(qq.label))
		ex := tx.occIdx.exact[key]
		if len(ex) > 0 && !containsInt32(ex, int32(qq.occ)) {
			ambiguous++
		}
		if os.Getenv("DIAG_RANK0") != "" {
			r := 0
			for j, h := range hs {
				if h.doc == qq.occ {
					r = j + 1
				}
			}
			if r != 0 {
				continue
			}
		}
		if i%7 != 0 || c != os.Getenv("DIAG") {
			continue
		}
		var b strings.Builder
		for j, h := range hs {
			if j < 3 || h.doc == qq.occ {
				mark := ""
				if h.doc == qq.occ {
					mark = "*"
				}
				b.WriteString("  " + mark + tx.occs[h.doc].label + " [" + lt[h.label] + "] ")
				b.WriteString(strconvF(h.score) + "/" + strconvF(h.sim) + "/" + strconvF(h.cov))
			}
		}
		t.Logf("%q want %q:%s", qq.label, tx.occs[qq.occ].label, b.String())
	}
	t.Logf("D misses: %v", dm)
	t.Logf("C misses: %v", cm)
	t.Logf("first answer wrong but in the own ISCO group: %v", sameGroup)
	t.Logf("categories (n, top1, top5, own related to first): %v", cat)
	t.Logf("misses %d, of which the query is exactly another concept's label: %d", n, ambiguous)
}

func strconvF(f float64) string { return strconv.FormatFloat(f, 'f', 3, 64) }
