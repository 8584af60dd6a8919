//go:build tune

package taxonomy

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestSweep (go test -tags tune -run Sweep -v, SWEEP=name=v1,v2,...) runs
// the held-out evaluation for each value of one scoring parameter.
func TestSweep(t *testing.T) {
	spec := os.Getenv("SWEEP")
	if spec == "" {
		t.Skip()
	}
	dir := realESCO(t)
	// SWEEP=name=v1,v2,...
	kv := strings.SplitN(spec, "=", 2)
	ptr := map[string]*float32{"part": &partMult, "fuzzy": &fuzzyMult, "substfeat": &substFeat, "lmdesc": &lmDesc, "lmgroup": &lmGroup, "lmcoll": &lmColl}
	ptrInt := map[string]*int{"substmin": &substMin, "substcap": &substCap, "pool": &poolSize, "maxgroup": &maxGroupPool, "descmin": &descVocabMin}
	ptr64 := map[string]*float64{"ngmax": &ngMaxDF}
	for _, v := range strings.Split(kv[1], ",") {
		f, _ := strconv.ParseFloat(v, 64)
		if p, ok := ptr[kv[0]]; ok {
			*p = float32(f)
		} else if p, ok := ptrInt[kv[0]]; ok {
			*p = int(f)
		} else if p, ok := ptr64[kv[0]]; ok {
			*p = f
		} else {
			for i, n := range featNames {
				if n == kv[0] {
					occWeights[i] = f
				}
			}
		}
		var t1, t5 float64
		for _, seed := range []uint64{1, 2} {
			r, err := EvaluateHoldOut(dir, 0.2, seed)
			if err != nil {
				t.Fatal(err)
			}
			t1 += r.Top1 / 2
			t5 += r.Top5 / 2
		}
		t.Logf("%s=%v seeds 1-2: top1 %.4f top5 %.4f", kv[0], v, t1, t5)
	}
}

// TestCalib (CALIB=1) logs the precision of the first answer per
// confidence bucket and per margin to the runner-up.
func TestCalib(t *testing.T) {
	if os.Getenv("CALIB") == "" {
		t.Skip()
	}
	type bucket struct{ n, ok int }
	var b [21]bucket
	var m [6][21]bucket // margin buckets
	calib = func(got []Candidate, rank int) {
		c := got[0].Confidence
		i := int(c * 20)
		b[i].n++
		if rank == 1 {
			b[i].ok++
		}
		margin := 1.0
		if len(got) > 1 {
			margin = got[0].Confidence - got[1].Confidence
		}
		for k, th := range []float64{-1, 0, 0.02, 0.05, 0.1, 0.2} {
			if margin >= th {
				m[k][i].n++
				if rank == 1 {
					m[k][i].ok++
				}
			}
		}
	}
	defer func() { calib = nil }()
	if _, err := EvaluateHoldOut(realESCO(t), 0.2, 1); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		t.Logf("conf %.2f: n %d precision %.3f", float64(i)/20, b[i].n, float64(b[i].ok)/float64(max(1, b[i].n)))
	}
	for k, th := range []float64{-1, 0, 0.02, 0.05, 0.1, 0.2} {
		for _, lo := range []int{12, 14, 16, 18} {
			n, ok := 0, 0
			for i := lo; i < 21; i++ {
				n += m[k][i].n
				ok += m[k][i].ok
			}
			t.Logf("margin>=%.2f conf>=%.2f: n %d precision %.3f", th, float64(lo)/20, n, float64(ok)/float64(max(1, n)))
		}
	}
}
