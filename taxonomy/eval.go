package taxonomy

import (
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// EvalResult is the outcome of a held-out evaluation of occupation
// normalisation.
type EvalResult struct {
	Share      float64       `json:"share"`       // share of alternative labels held out
	Seed       uint64        `json:"seed"`        // random seed of the split
	Queries    int           `json:"queries"`     // held-out labels asked
	Top1       float64       `json:"top1"`        // share whose occupation ranked first
	Top5       float64       `json:"top5"`        // share whose occupation ranked in the first five
	MRR        float64       `json:"mrr"`         // mean reciprocal rank (0 beyond rank 10)
	LatencyP50 time.Duration `json:"latency_p50"` // per query
	LatencyP99 time.Duration `json:"latency_p99"`
	Misses     []EvalMiss    `json:"misses"` // queries whose occupation was not first
}

// EvalMiss is one held-out label whose occupation did not rank first.
type EvalMiss struct {
	Query     string      `json:"query"`
	WantURI   string      `json:"want_uri"`
	WantLabel string      `json:"want_label"`
	Rank      int         `json:"rank"` // 1-based; 0 = not in the first 10
	Got       []Candidate `json:"got"`
}

// EvaluateHoldOut measures occupation normalisation on the ESCO export in
// dir: it removes a seeded random share of the occupations' alternative
// labels (and any hidden label equal to a removed one) before the index is
// built, asks SearchOccupations for each removed label, and reports how
// often the label's own occupation ranks first and in the first five.
func EvaluateHoldOut(dir string, share float64, seed uint64) (*EvalResult, error) {
	t, err := readESCO(dir)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	type query struct {
		label string
		occ   int
	}
	var qs []query
	for i := range t.occs {
		o := &t.occs[i]
		kept := o.alts[:0]
		removed := map[string]bool{}
		for _, a := range o.alts {
			if rng.Float64() < share {
				qs = append(qs, query{a, i})
				removed[strings.ToLower(a)] = true
				continue
			}
			kept = append(kept, a)
		}
		o.alts = kept
		if len(removed) > 0 {
			h := o.hidden[:0]
			for _, x := range o.hidden {
				if !removed[strings.ToLower(x)] {
					h = append(h, x)
				}
			}
			o.hidden = h
		}
	}
	t.finish()
	res := &EvalResult{Share: share, Seed: seed, Queries: len(qs)}
	if len(qs) == 0 {
		return res, nil
	}
	lat := make([]time.Duration, len(qs))
	var top1, top5 int
	var mrr float64
	for qi, q := range qs {
		start := time.Now()
		got := t.SearchOccupations(q.label, 10)
		lat[qi] = time.Since(start)
		want := t.occs[q.occ].uri
		rank := 0
		for i, c := range got {
			if c.URI == want {
				rank = i + 1
				break
			}
		}
		if rank == 1 {
			top1++
		}
		if rank >= 1 && rank <= 5 {
			top5++
		}
		if rank > 0 {
			mrr += 1 / float64(rank)
		}
		if rank != 1 {
			if len(got) > 3 {
				got = got[:3]
			}
			res.Misses = append(res.Misses, EvalMiss{Query: q.label, WantURI: want, WantLabel: t.occs[q.occ].label, Rank: rank, Got: got})
		}
	}
	n := float64(len(qs))
	res.Top1, res.Top5, res.MRR = float64(top1)/n, float64(top5)/n, mrr/n
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	res.LatencyP50 = lat[len(lat)/2]
	res.LatencyP99 = lat[len(lat)*99/100]
	return res, nil
}
