package taxonomy

import (
	"slices"
	"testing"
)

// TestKnownLabels asks every preferred and alternative label of the full
// export: a title typed as ESCO spells it should find an occupation that
// carries it first, and a preferred label its own occupation. The trees
// are fitted on held-out labels, where the concept carrying the query is
// rarely the wanted one; this guards against them learning that.
func TestKnownLabels(t *testing.T) {
	tx := knownESCO(t)
	owners := labelOwners(tx, false)
	var labels []string
	for _, o := range tx.occs {
		labels = append(append(labels, o.label), o.alts...)
	}
	// The linear order alone (rerank nil) reaches 0.991 / 0.955.
	ok, pref := 0, 0
	for _, l := range labels {
		if got := tx.occIdx.search(l, 5); len(got) > 0 && slices.Contains(owners[ownerKey(l)], got[0].doc) {
			ok++
		}
	}
	for i, o := range tx.occs {
		if got := tx.occIdx.search(o.label, 1); len(got) > 0 && got[0].doc == i {
			pref++
		}
	}
	owner, prefShare := float64(ok)/float64(len(labels)), float64(pref)/float64(len(tx.occs))
	t.Logf("known labels with an owner first %.4f of %d; preferred labels first %.4f", owner, len(labels), prefShare)
	if owner < 0.98 || prefShare < 0.95 {
		t.Errorf("owner first %.4f (floor 0.98), preferred first %.4f (floor 0.95)", owner, prefShare)
	}
}

// TestKnownSkillLabels is TestKnownLabels for skills: every preferred and
// alternative skill label of the export, typed as spelt.
func TestKnownSkillLabels(t *testing.T) {
	tx := knownESCO(t)
	rs := tx.refs(true)
	owners := refOwners(rs, false)
	ok, n, pref := 0, 0, 0
	for i, s := range tx.skills {
		for _, l := range append([]string{s.label}, s.alts...) {
			n++
			if got := tx.skillIdx.search(l, 5); len(got) > 0 && slices.Contains(owners[ownerKey(l)], got[0].doc) {
				ok++
			}
		}
		if got := tx.skillIdx.search(s.label, 1); len(got) > 0 && got[0].doc == i {
			pref++
		}
	}
	owner, prefShare := float64(ok)/float64(n), float64(pref)/float64(len(tx.skills))
	t.Logf("known skill labels with an owner first %.4f of %d; preferred labels first %.4f", owner, n, prefShare)
	if owner < 0.98 || prefShare < 0.95 {
		t.Errorf("owner first %.4f (floor 0.98), preferred first %.4f (floor 0.95)", owner, prefShare)
	}
}

// knownESCO loads the full export for the known-label checks.
func knownESCO(t *testing.T) *Taxonomy {
	skipUnderRace(t)
	if testing.Short() {
		t.Skip("known-label check skipped in -short mode")
	}
	tx, err := readESCO(realESCO(t))
	if err != nil {
		t.Fatal(err)
	}
	tx.finish()
	return tx
}
