//go:build tune

package taxonomy

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestSweep(t *testing.T) {
	spec := os.Getenv("SWEEP")
	if spec == "" {
		t.Skip()
	}
	dir := realESCO(t)
	// SWEEP=name=v1,v2,...
	kv := strings.SplitN(spec, "=", 2)
	ptr := map[string]*float32{"part": &partMult, "fuzzy": &fuzzyMult}
	ptr64 := map[string]*float64{"ngram": &wNgram, "doc": &wDocCoverage, "desc": &wDescription, "isco": &wISCO, "pref": &wPreferred, "exact": &exactBonus}
	for _, v := range strings.Split(kv[1], ",") {
		f, _ := strconv.ParseFloat(v, 64)
		if p, ok := ptr[kv[0]]; ok {
			*p = float32(f)
		} else {
			*ptr64[kv[0]] = f
		}
		r, err := EvaluateHoldOut(dir, 0.2, 1)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s=%v top1 %.4f top5 %.4f mrr %.4f p99 %v", kv[0], v, r.Top1, r.Top5, r.MRR, r.LatencyP99)
	}
}
