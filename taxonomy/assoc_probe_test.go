//go:build tune

package taxonomy

import (
	"os"
	"strconv"
	"testing"
)

// TestAssocSweep (ASWEEP=1, with assoc parameters from the environment)
// dumps the features of seeds 1-2 once and tries weights for fAssoc alone.
func TestAssocSweep(t *testing.T) {
	if os.Getenv("ASWEEP") == "" {
		t.Skip()
	}
	setAssocEnv()
	saved := occWeights
	defer func() { occWeights = saved }()
	occWeights[fAssoc] = 1e-6
	var qs []learnQuery
	for _, s := range []uint64{1, 2} {
		qs = append(qs, dumpFeatures(t, s, false)...)
	}
	out, beyond := 0, 0
	for _, q := range qs {
		if q.right < 0 {
			out++
		} else if q.right >= poolSize {
			beyond++
		}
	}
	t.Logf("queries %d: right concept not in the first %d: %d, beyond the pool: %d", len(qs), featHookN, out, beyond)
	for _, v := range []float64{0, 2, 3, 4, 5, 6} {
		w := occWeights
		w[fAssoc] = v
		a, b := scoreSet(qs, w)
		t.Logf("alpha %.2f cap %d: w %.2f top1 %.4f top5 %.4f", assocAlpha, assocCap, v, a, b)
	}
}

func setAssocEnv() {
	if v := os.Getenv("ACAP"); v != "" {
		assocCap, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("AALPHA"); v != "" {
		f, _ := strconv.ParseFloat(v, 64)
		assocAlpha = float32(f)
	}
}
