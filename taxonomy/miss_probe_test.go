//go:build tune

package taxonomy

import (
	"os"
	"strings"
	"testing"
)

// TestMissRelations (MISSREL=1, -eval.seed) sorts the misses of a held-out
// split by how the concept ranked first relates to the wanted one.
func TestMissRelations(t *testing.T) {
	if os.Getenv("MISSREL") == "" {
		t.Skip()
	}
	tx, err := readESCO(realESCO(t))
	if err != nil {
		t.Fatal(err)
	}
	qs := holdOut(tx, 0.2, *evalSeed)
	tx.finish()
	ix := tx.occIdx
	cnt := map[string]int{}
	ex := map[string][]string{}
	for _, q := range qs {
		got := ix.search(q.label, 10)
		if len(got) == 0 {
			cnt["empty"]++
			continue
		}
		if got[0].doc == q.occ {
			cnt["hit"]++
			continue
		}
		rank := 0
		for i, h := range got {
			if h.doc == q.occ {
				rank = i + 1
			}
		}
		top := int32(got[0].doc)
		want := int32(q.occ)
		var rel string
		switch {
		case got[0].feat[fExact] != 0:
			rel = "top has query as label"
		case containsInt32(ix.related[want], top):
			rel = "broader/narrower"
		case ix.group[want] >= 0 && ix.group[want] == ix.group[top]:
			rel = "same ISCO group"
		default:
			rel = "other"
		}
		if rank >= 2 && rank <= 5 {
			rel += ", right at 2-5"
		} else if rank == 0 {
			rel += ", right beyond 10"
		} else {
			rel += ", right at 6-10"
		}
		cnt[rel]++
		if len(ex[rel]) < 25 {
			ex[rel] = append(ex[rel], q.label+" → "+tx.occs[top].label+" (want "+tx.occs[want].label+")")
		}
	}
	for k, v := range cnt {
		t.Logf("%-45s %5d (%.1f%%)", k, v, 100*float64(v)/float64(len(qs)))
	}
	for k, v := range ex {
		t.Logf("== %s\n  %s", k, strings.Join(v, "\n  "))
	}
}
