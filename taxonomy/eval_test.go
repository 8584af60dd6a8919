package taxonomy

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var (
	escoDir   = flag.String("esco", filepath.Join("..", "..", "shared", "data", "esco-nl"), "ESCO CSV export folder for the import and evaluation tests")
	evalShare = flag.Float64("eval.share", 0.2, "share of alternative labels held out in TestHoldOut")
	evalSeed  = flag.Uint64("eval.seed", 3, "seed of the held-out split (seeds 1, 2 and 6-8 were used in fitting)")
	evalMiss  = flag.Int("eval.misses", 0, "log this many misses")
)

func realESCO(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(*escoDir, fileOccupations)); err != nil {
		t.Skipf("ESCO export not found at %s (set -esco DIR): %v", *escoDir, err)
	}
	return *escoDir
}

// Floors set a little under what the shipped model reaches on seeds 3-5
// at a 0.2 share (strict: 0.733-0.738 / 0.914-0.925; shared labels counted
// for any owner: 0.843-0.851 / 0.935-0.945). The strict figures are
// flattered by the trees' fitting splits (see the package doc; the nested
// figure is 0.724-0.726 / 0.912-0.921). The bar of issue 3 is 0.75 / 0.90.
const (
	floorTop1      = 0.725
	floorTop5      = 0.90
	floorTop1Owner = 0.83
	floorTop5Owner = 0.92
)

func TestHoldOut(t *testing.T) {
	dir := evalESCO(t)
	r, err := EvaluateHoldOut(dir, *evalShare, *evalSeed)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("held-out alt labels: share %.2f seed %d queries %d: top-1 %.4f top-5 %.4f MRR %.4f; latency p50 %v p99 %v",
		r.Share, r.Seed, r.Queries, r.Top1, r.Top5, r.MRR, r.LatencyP50, r.LatencyP99)
	t.Logf("counting any occupation that carries the label in the full export: top-1 %.4f top-5 %.4f (%d held-out labels are shared)",
		r.Top1Owner, r.Top5Owner, r.Shared)
	t.Logf("accepted by ResolveOccupation: %.4f of queries, precision %.4f strict, %.4f counting any owner", r.Resolved, r.ResolvedPrecision, r.ResolvedOwnerPrecision)
	logMisses(t, r)
	if float64(r.Queries) < *evalShare*15000 {
		t.Errorf("only %d held-out queries", r.Queries)
	}
	if r.Top1 < floorTop1 || r.Top5 < floorTop5 {
		t.Errorf("strict: top-1 %.4f (floor %.2f), top-5 %.4f (floor %.2f)", r.Top1, floorTop1, r.Top5, floorTop5)
	}
	if r.Top1Owner < floorTop1Owner || r.Top5Owner < floorTop5Owner {
		t.Errorf("any owner: top-1 %.4f (floor %.2f), top-5 %.4f (floor %.2f)", r.Top1Owner, floorTop1Owner, r.Top5Owner, floorTop5Owner)
	}
}

// TestHoldOutTrigramBaseline runs the same split with every signal but a
// plain character-trigram TF-IDF cosine over the remaining labels switched
// off: the calibration point of issue 3 (about 0.60 / 0.83).
func TestHoldOutTrigramBaseline(t *testing.T) {
	dir := evalESCO(t)
	trigramBaseline(t)
	r, err := EvaluateHoldOut(dir, *evalShare, *evalSeed)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trigram TF-IDF baseline, same split (share %.2f seed %d): top-1 %.4f top-5 %.4f; any owner: top-1 %.4f top-5 %.4f",
		r.Share, r.Seed, r.Top1, r.Top5, r.Top1Owner, r.Top5Owner)
}

// logMisses logs the first -eval.misses misses of r.
func logMisses(t *testing.T, r *EvalResult) {
	for i, m := range r.Misses {
		if i >= *evalMiss {
			break
		}
		var got []string
		for _, c := range m.Got {
			got = append(got, c.Label)
		}
		t.Logf("miss %q -> want %q (rank %d), got %q", m.Query, m.WantLabel, m.Rank, got)
	}
}

// evalESCO is the ESCO export for a whole-export evaluation, which skips
// under the race detector and in -short mode.
func evalESCO(t *testing.T) string {
	skipUnderRace(t)
	dir := realESCO(t)
	if testing.Short() {
		t.Skip("whole-export evaluation skipped in -short mode")
	}
	return dir
}

// trigramBaseline turns every search into the plain character-trigram
// TF-IDF baseline of issue 3 until tb ends: the label trigram cosine over
// raw tokens alone, no trigram left out for being common, and no stand-ins,
// speller, gluing, trees or exact tiers. Weights and query-time switches
// change for every index; the trigram postings and the trees only for
// indexes built meanwhile.
func trigramBaseline(tb testing.TB) {
	occ, skill, rerank, tiers := occWeights, skillWeights, occRerank, skillTiers
	maxDF, feat, fold, spell, join := ngMaxDF, substFeat, ngFold, spellOn, joinOn
	tb.Cleanup(func() {
		occWeights, skillWeights, occRerank, skillTiers = occ, skill, rerank, tiers
		ngMaxDF, substFeat, ngFold, spellOn, joinOn = maxDF, feat, fold, spell, join
	})
	occWeights, skillWeights, occRerank, skillTiers = weights{fNgram: 1}, weights{fNgram: 1}, nil, false
	ngMaxDF, substFeat, ngFold, spellOn, joinOn = 1, 0, false, false, false
}

// skipUnderRace skips a whole-export evaluation under the race detector:
// tens of thousands of single-goroutine searches, nine times slower there
// and with nothing to race. .ci/run runs these tests without -race.
func skipUnderRace(t *testing.T) {
	if raceDetector {
		t.Skip("whole-export evaluation: run without -race (.ci/run does)")
	}
}
