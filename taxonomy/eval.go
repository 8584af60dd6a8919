package taxonomy

import (
	"math/rand/v2"
	"sort"
	"strings"
	"time"
)

// EvalResult is the outcome of a held-out evaluation of occupation (or
// skill) normalisation; "occupation" below reads "skill" for the latter.
type EvalResult struct {
	Share   float64 `json:"share"`   // share of alternative labels held out
	Seed    uint64  `json:"seed"`    // random seed of the split
	Queries int     `json:"queries"` // held-out labels asked
	Top1    float64 `json:"top1"`    // share whose occupation ranked first
	Top5    float64 `json:"top5"`    // share whose occupation ranked in the first five
	MRR     float64 `json:"mrr"`     // mean reciprocal rank (0 beyond rank 10)
	// Shared labels: ESCO gives some labels to several occupations (about
	// one held-out label in ten is, after normalisation, also a label of
	// another occupation). Top1Owner and Top5Owner count an answer as
	// right when the occupation ranked carries the query as a label in the
	// full export, which is the best any method can do for those labels.
	Top1Owner float64 `json:"top1_owner"`
	Top5Owner float64 `json:"top5_owner"`
	Shared    int     `json:"shared"` // held-out labels that other occupations also carry
	// The resolve rule (ResolveThreshold, ResolveFloor, ResolveMargin): the
	// share of queries whose best answer ResolveOccupation would accept on
	// write, and the strict precision of those answers.
	Resolved               float64       `json:"resolved"`
	ResolvedPrecision      float64       `json:"resolved_precision"`
	ResolvedOwnerPrecision float64       `json:"resolved_owner_precision"` // an occupation carrying the label counts
	LatencyP50             time.Duration `json:"latency_p50"`              // per query
	LatencyP99             time.Duration `json:"latency_p99"`
	Misses                 []EvalMiss    `json:"misses"` // queries whose occupation was not first
}

// EvalMiss is one held-out label whose occupation did not rank first.
type EvalMiss struct {
	Query     string      `json:"query"`
	WantURI   string      `json:"want_uri"`
	WantLabel string      `json:"want_label"`
	Rank      int         `json:"rank"` // 1-based; 0 = not in the first 10
	Got       []Candidate `json:"got"`
}

// conceptRef is one concept's labels, as the evaluation sees them: an
// occupation's or a skill's, editable until the taxonomy is finished.
type conceptRef struct {
	uri, label   string
	alts, hidden *[]string
}

// labels is the concept's preferred label and its alternative labels.
func (r conceptRef) labels() []string { return append([]string{r.label}, *r.alts...) }

// refs gives the occupations (skills false) or the skills of t.
func (t *Taxonomy) refs(skills bool) []conceptRef {
	if skills {
		out := make([]conceptRef, len(t.skills))
		for i := range t.skills {
			s := &t.skills[i]
			out[i] = conceptRef{s.uri, s.label, &s.alts, &s.hidden}
		}
		return out
	}
	out := make([]conceptRef, len(t.occs))
	for i := range t.occs {
		o := &t.occs[i]
		out[i] = conceptRef{o.uri, o.label, &o.alts, &o.hidden}
	}
	return out
}

// refOwners maps each label's normLabel to the concepts of rs that carry
// it (preferred and alternative labels, and hidden ones when asked).
func refOwners(rs []conceptRef, hidden bool) map[string][]int {
	owners := map[string][]int{}
	for i, r := range rs {
		ls := r.labels()
		if hidden {
			ls = append(ls, *r.hidden...)
		}
		for _, l := range ls {
			k := normLabel(l)
			if ow := owners[k]; len(ow) == 0 || ow[len(ow)-1] != i {
				owners[k] = append(ow, i)
			}
		}
	}
	return owners
}

// EvaluateHoldOut measures occupation normalisation on the ESCO export in
// dir: it removes a seeded random share of the occupations' alternative
// labels (and any hidden label equal to a removed one) before the index is
// built, asks SearchOccupations for each removed label, and reports how
// often the label's own occupation ranks first and in the first five.
func EvaluateHoldOut(dir string, share float64, seed uint64) (*EvalResult, error) {
	return evaluateHoldOut(dir, share, seed, false)
}

// EvaluateSkillHoldOut is EvaluateHoldOut for skills: it holds out a share
// of the skills' alternative labels and asks SearchSkills for each.
func EvaluateSkillHoldOut(dir string, share float64, seed uint64) (*EvalResult, error) {
	return evaluateHoldOut(dir, share, seed, true)
}

func evaluateHoldOut(dir string, share float64, seed uint64, skills bool) (*EvalResult, error) {
	t, err := readESCO(dir)
	if err != nil {
		return nil, err
	}
	rs := t.refs(skills)
	owners := refOwners(rs, true)
	qs := holdOutRefs(rs, share, seed)
	t.finish()
	searchFn := t.SearchOccupations
	if skills {
		searchFn = t.SearchSkills
	}
	res := &EvalResult{Share: share, Seed: seed, Queries: len(qs)}
	if len(qs) == 0 {
		return res, nil
	}
	lat := make([]time.Duration, len(qs))
	var top1, top5, top1o, top5o, resolved, resolvedOK, resolvedOwner int
	var mrr float64
	for qi, q := range qs {
		start := time.Now()
		got := searchFn(q.label, 10)
		lat[qi] = time.Since(start)
		want := rs[q.occ].uri
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
		if calib != nil && len(got) > 0 {
			calib(got, rank)
		}
		second := 0.0
		if len(got) > 1 {
			second = got[1].Confidence
		}
		if len(got) > 0 && accepts(got[0].Confidence, second) {
			resolved++
			if rank == 1 {
				resolvedOK++
			}
			if ownedBy(rs, owners[normLabel(q.label)], got[0].URI) {
				resolvedOwner++
			}
		}
		if rank >= 1 && rank <= 5 {
			top5++
		}
		if rank > 0 {
			mrr += 1 / float64(rank)
		}
		own := owners[normLabel(q.label)]
		if len(own) > 1 {
			res.Shared++
		}
		for i, c := range got {
			if i >= 5 {
				break
			}
			if ownedBy(rs, own, c.URI) {
				if i == 0 {
					top1o++
				}
				top5o++
				break
			}
		}
		if rank != 1 {
			if len(got) > 3 {
				got = got[:3]
			}
			res.Misses = append(res.Misses, EvalMiss{Query: q.label, WantURI: want, WantLabel: rs[q.occ].label, Rank: rank, Got: got})
		}
	}
	n := float64(len(qs))
	res.Top1, res.Top5, res.MRR = float64(top1)/n, float64(top5)/n, mrr/n
	res.Top1Owner, res.Top5Owner = float64(top1o)/n, float64(top5o)/n
	res.Resolved = float64(resolved) / n
	if resolved > 0 {
		res.ResolvedPrecision = float64(resolvedOK) / float64(resolved)
		res.ResolvedOwnerPrecision = float64(resolvedOwner) / float64(resolved)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	res.LatencyP50 = lat[len(lat)/2]
	res.LatencyP99 = lat[len(lat)*99/100]
	return res, nil
}

// heldOutQuery is a removed alternative label and its occupation.
type heldOutQuery struct {
	label string
	occ   int
}

// holdOut removes a seeded random share of the occupations' alternative
// labels (and hidden labels equal to a removed one) from t, which must
// not be finished yet, and returns them.
func holdOut(t *Taxonomy, share float64, seed uint64) []heldOutQuery {
	return holdOutRefs(t.refs(false), share, seed)
}

// holdOutRefs is holdOut for any kind of concept; heldOutQuery.occ is the
// place in rs.
func holdOutRefs(rs []conceptRef, share float64, seed uint64) []heldOutQuery {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	var qs []heldOutQuery
	for i, r := range rs {
		kept := (*r.alts)[:0]
		removed := map[string]bool{}
		for _, a := range *r.alts {
			if rng.Float64() < share {
				qs = append(qs, heldOutQuery{a, i})
				removed[strings.ToLower(a)] = true
				continue
			}
			kept = append(kept, a)
		}
		*r.alts = kept
		if len(removed) > 0 {
			h := (*r.hidden)[:0]
			for _, x := range *r.hidden {
				if !removed[strings.ToLower(x)] {
					h = append(h, x)
				}
			}
			*r.hidden = h
		}
	}
	return qs
}

// calib, when set (tests), sees every answer and the rank of the right one.
var calib func(got []Candidate, rank int)

func ownedBy(rs []conceptRef, owners []int, uri string) bool {
	for _, i := range owners {
		if rs[i].uri == uri {
			return true
		}
	}
	return false
}
