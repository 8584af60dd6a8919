package taxonomy

import (
	"fmt"
	"math"
	"testing"
)

// TestSearchDeterministic loads the ESCO export twice and asks both
// indexes, and the first one twice, the same queries: the pools must agree
// to the last bit of every feature and score. Floats summed in a map's
// order (which changes from one start, and one query, to the next) would
// make a concept's confidence differ in its last digits between restarts
// and let near-ties swap places.
func TestSearchDeterministic(t *testing.T) {
	skipUnderRace(t)
	dir := realESCO(t)
	a, err := LoadESCO(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadESCO(dir)
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	step := 9
	if testing.Short() {
		step = 40
	}
	for i := 0; i < len(a.occs); i += step {
		o := a.occs[i]
		qs = append(qs, o.label)
		if len(o.alts) > 0 {
			qs = append(qs, o.alts[0])
		}
	}
	qs = append(qs, "heftruckchauffeuse", "medewerker bediening", "bestuurster van een bus", "vorkheftruckbestuurder", "schoonmaakster kantoren")
	diffs := 0
	for _, q := range qs {
		first := a.occIdx.search(q, 30)
		for _, other := range [][]hit{a.occIdx.search(q, 30), b.occIdx.search(q, 30)} {
			if d := poolDiff(first, other); d != "" {
				diffs++
				if diffs <= 5 {
					t.Errorf("%q: %s", q, d)
				}
			}
		}
	}
	if diffs > 5 {
		t.Errorf("%d of %d comparisons differ in all", diffs, 2*len(qs))
	}
	t.Logf("%d queries compared", len(qs))
}

func poolDiff(x, y []hit) string {
	if len(x) != len(y) {
		return "pools of different length"
	}
	for i := range x {
		if x[i].doc != y[i].doc {
			return fmt.Sprintf("different concept at place %d", i)
		}
		if math.Float64bits(x[i].score) != math.Float64bits(y[i].score) {
			return fmt.Sprintf("different score at place %d: %v against %v", i, x[i].score, y[i].score)
		}
		for f := range x[i].feat {
			if math.Float32bits(x[i].feat[f]) != math.Float32bits(y[i].feat[f]) {
				return fmt.Sprintf("feature %s differs at place %d: %v against %v", featNames[f], i, x[i].feat[f], y[i].feat[f])
			}
		}
	}
	return ""
}
