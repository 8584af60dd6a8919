package matcher

import (
	"math"
	"math/bits"
)

// Scoring, exactly.
//
// A profile p and a vacancy v are a candidate pair only when every hard
// filter holds (the same filters in both directions):
//
//   - p.perspectief is not "meedoen";
//   - both PC4 centroids are known and the great-circle distance d between
//     them (haversine, earth radius 6371 km, float32 centroids) is at most
//     p.max_travel_km;
//   - the hours ranges overlap: max(p.hours_min, v.hours_min) <=
//     min(p.hours_max, v.hours_max);
//   - p holds every driving licence v lists;
//   - v.physical_load <= p.max_physical_load (an empty vacancy load asks
//     nothing; an empty candidate maximum means no stated limit);
//   - p.available_from <= v.start_date, or <= today when v has no start
//     date or its start date has passed (an empty available_from means
//     available now);
//   - v.status is "open" (empty counts as open) and v.closes_at, when
//     given, is not before today;
//   - for vacancy->profiles with Query.Municipalities set: p.municipality is
//     one of them.
//
// The score of a pair that passes is the sum of the seven contributions
// w_c × value_c, with the weights w normalised to sum to 1 (DefaultWeights
// unless the request overrides them, each within [0, MaxWeight]), so it is
// in [0,1] and Explanation.Contributions sum to it. The values:
//
//	skills     items = v.required_skills (or, when there are none and the
//	           occupation is known to the taxonomy, its essential skills),
//	           then v.preferred_skills not already listed; at most 64.
//	           idf(s) = 1 + ln((1+N)/(1+df(s))), N = profiles held,
//	           df(s) = how many of them hold s (an unseen skill: df 0).
//	           The table is refreshed when the profiles written since the
//	           last refresh reach max(64, N/10), and by Engine.Compact; it
//	           depends on the sequence of writes only, never on timing.
//	           item weight = share × idf / Σ idf of its group, with share
//	           0.8 required / 0.2 preferred when both groups exist, else 1.
//	           credit = 1 when p holds the item's skill, 0.5 when p holds a
//	           skill the taxonomy lists as broader or related to it, else 0.
//	           value = Σ weight × credit; 0.5 when v lists no skills
//	           (neutral, as for an unnamed occupation: a vacancy that asks
//	           nothing must not outrank one whose skills a candidate holds).
//	occupation 1 when one of p.desired_occupations is v.occupation;
//	           else 0.2 × k for the longest common prefix k (1..4) of their
//	           ISCO-08 codes; 0 when nothing is shared or p lists none;
//	           0.5 when v names no occupation.
//	branch     1 when v.branch is one of p.branches, 0.5 when p lists no
//	           branches, else 0.
//	hours      overlap / the narrower of the two ranges, where overlap =
//	           min(maxes) − max(mins): 1 when one range lies inside the
//	           other (a parent who can work 20 school hours, for a vacancy
//	           of 16-24, fits), less the more of the narrower range falls
//	           outside; 1 when either range is a single value (the hours
//	           filter has let the pair through, so it lies inside).
//	distance   1 − d / p.max_travel_km; 1 when max_travel_km is 0.
//	language   1 when p.dutch_level >= v.dutch_level_min or v sets none;
//	           max(0, 1 − 0.25 × levels short) otherwise; 0.5 when p's
//	           level is unknown.
//	education  1 when p.education_level >= v.education_level_min or v sets
//	           none; max(0, 1 − 0.2 × levels short); 0.5 when unknown.
//
// Ties break on id ascending.
//
// Open hiring: for an open-hiring vacancy skills and occupation are
// ignored. Eligible candidates (every hard filter above) are ordered by
// open_to_open_hiring first, then earliest registered_at (an empty date
// counts as latest), then id. Their score is
// 0.5 × opted_in + 0.5 × W/(W+365), W = days waited since registered_at
// (0 when unknown or in the future), which never increases along that
// order. Explanation.OpenHiring is set, Components carry the hours,
// distance, branch, language and education values for information, and
// Contributions are zero: the weights do not apply.
//
// Profile->vacancies uses the same pair score over open vacancies; an
// open-hiring vacancy scores the profile's open-hiring score, and among
// open-hiring vacancies (which then tie) the nearer ranks first, then id.
// At an equal score a regular vacancy ranks before an open-hiring one
// (ordering by id across the two while by distance among the latter would
// be no order at all).

// Component constants.
const (
	partialCredit   = 0.5
	reqShare        = 0.8
	prefShare       = 0.2
	occUnspecified  = 0.5
	skillsNoItems   = 0.5
	branchNoPref    = 0.5
	cefrStep        = 0.25
	eduStep         = 0.2
	unknownLevel    = 0.5
	openOptInShare  = 0.5
	openWaitHalfDay = 365
	openNearShift   = 1e-12 // per km: orders open-hiring ties by distance (see rev.eval)
	maxItems        = 64
)

// Flag bits of compiled profiles and vacancies.
const (
	pMeedoen = 1 << iota
	pOptIn
	pBanen
)

const (
	vNotOpen = 1 << iota
	vOpenHiring
	vBanenSuitable
)

// Sentinel term ids: never assigned by a dictionary.
const (
	idUnknownProfile uint32 = 0xFFFFFFFE // a profile term the dictionary does not know
	idUnknownVacancy uint32 = 0xFFFFFFFD // a vacancy term the dictionary does not know
	idNone           uint32 = 0xFFFFFFFF // no occupation
	iscoNone         uint16 = 0xFFFF
	regUnknown       uint16 = 0xFFFF
	metaPartial      uint32 = 1 << 8
)

// profX holds a profile's compiled filter and score fields.
type profX struct {
	branches uint32 // bit per Branches index
	lic      uint16 // bit per DrivingLicenceTypes index
	avail    uint16 // days since 1970; 0 = now
	reg      uint16 // days since 1970; regUnknown = not given
	muni     uint16 // CBS code as a number
	hmin     uint8
	hmax     uint8
	edu      int8 // -1 unknown
	cefr     int8 // -1 unknown
	load     int8 // max physical load; unknown = heaviest
	flags    uint8
	sig      uint32 // one bit per skill held (sigBit): a cheap skills bound
}

// sigBit is a skill's bit in the 32-bit skill signatures.
func sigBit(id uint32) uint32 { return 1 << ((id * 2654435761) >> 27) }

// vacX holds a vacancy's compiled filter and score fields.
type vacX struct {
	occ    uint32 // occupation id or idNone / idUnknownVacancy
	isco   uint16 // 0..9999 or iscoNone
	lic    uint16
	start  uint16 // days since 1970; 0 = none
	closes uint16 // days since 1970; 0 = none
	hmin   uint8
	hmax   uint8
	branch int8 // -1 none
	edu    int8 // minimum; -1 none
	cefr   int8 // minimum; -1 none
	load   int8 // -1 none
	flags  uint8
	nReq   uint8 // required items among the main items
	// stored vacancies only: ids in the engine's employer and label
	// dictionaries (no pointers per row)
	employer uint32
	occLabel uint32 // the occupation as written, or idNone
}

// normWeights validates per-request weights and normalises them to sum to 1.
func normWeights(w *Weights) (Weights, error) {
	if w == nil {
		w = &DefaultWeights
	}
	if err := w.Check(); err != nil {
		return Weights{}, err
	}
	sum := w.Skills + w.Occupation + w.Branch + w.Hours + w.Distance + w.Language + w.Education
	return Weights{
		Skills: w.Skills / sum, Occupation: w.Occupation / sum, Branch: w.Branch / sum,
		Hours: w.Hours / sum, Distance: w.Distance / sum, Language: w.Language / sum,
		Education: w.Education / sum,
	}, nil
}

// Check validates per-request weights: each within [0, MaxWeight], at
// least one positive. Field errors are named weights.<component>, and
// weights when all are zero.
func (w *Weights) Check() error {
	var ve ValidationError
	check := func(name string, v float64) {
		if math.IsNaN(v) || v < 0 || v > MaxWeight {
			ve.add("weights."+name, "must be between 0 and %d", MaxWeight)
		}
	}
	check("skills", w.Skills)
	check("occupation", w.Occupation)
	check("branch", w.Branch)
	check("hours", w.Hours)
	check("distance", w.Distance)
	check("language", w.Language)
	check("education", w.Education)
	if len(ve.Fields) == 0 && !(w.Skills+w.Occupation+w.Branch+w.Hours+w.Distance+w.Language+w.Education > 0) {
		ve.add("weights", "at least one weight must be positive")
	}
	return ve.orNil()
}

// combine is the one place a score is summed, so that the hot loop and the
// explanation agree to the last bit.
func combine(w *Weights, c *Components) (score float64, contrib Components) {
	contrib = Components{
		Skills: w.Skills * c.Skills, Occupation: w.Occupation * c.Occupation,
		Branch: w.Branch * c.Branch, Hours: w.Hours * c.Hours, Distance: w.Distance * c.Distance,
		Language: w.Language * c.Language, Education: w.Education * c.Education,
	}
	score = RoundScore(contrib.Skills + contrib.Occupation + contrib.Branch + contrib.Hours +
		contrib.Distance + contrib.Language + contrib.Education)
	if score > 1 {
		score = 1
	}
	return score, contrib
}

// RoundScore rounds a reported score to six decimals. Match scores are
// rounded before they are ranked, and the components, contributions and
// weights an answer reports are rounded the same way: an answer shows 0.93
// rather than 0.9300000000000002, equal shown scores are real ties (broken
// on id), and contributions sum to the score within 7×5e-7. Adapters round
// their own relevance scores (search) with it too.
func RoundScore(x float64) float64 { return math.Round(x*1e6) / 1e6 }

func (c *Components) round6() {
	c.Skills, c.Occupation, c.Branch = RoundScore(c.Skills), RoundScore(c.Occupation), RoundScore(c.Branch)
	c.Hours, c.Distance = RoundScore(c.Hours), RoundScore(c.Distance)
	c.Language, c.Education = RoundScore(c.Language), RoundScore(c.Education)
}

func (w Weights) rounded() Weights {
	c := Components(w)
	c.round6()
	return Weights(c)
}

// distKm is the haversine distance between two centroids.
func distKm(lat1, lon1, lat2, lon2 float32) float64 {
	const r = 6371.0
	const rad = math.Pi / 180
	la1, la2 := float64(lat1)*rad, float64(lat2)*rad
	dlat := la2 - la1
	dlon := (float64(lon2) - float64(lon1)) * rad
	s1 := math.Sin(dlat / 2)
	s2 := math.Sin(dlon / 2)
	s := s1*s1 + math.Cos(la1)*math.Cos(la2)*s2*s2
	return 2 * r * math.Asin(math.Sqrt(s))
}

// hardOK applies the hard filters other than distance, perspectief and
// municipality (checked by the callers where they are cheapest).
func hardOK(px *profX, vx *vacX, startDay uint16) bool {
	lo, hi := px.hmin, px.hmax
	if vx.hmin > lo {
		lo = vx.hmin
	}
	if vx.hmax < hi {
		hi = vx.hmax
	}
	return lo <= hi && vx.lic&^px.lic == 0 && vx.load <= px.load && px.avail <= startDay
}

// vacancyOpen reports whether the vacancy is open at today; startDay is the
// day availability is measured against.
func vacancyOpen(vx *vacX, today uint16) (ok bool, startDay uint16) {
	if vx.flags&vNotOpen != 0 || (vx.closes != 0 && vx.closes < today) {
		return false, 0
	}
	if vx.start > today {
		return true, vx.start
	}
	return true, today // no start date, or one that has passed: from today
}

// matchSkills merge-joins a profile's sorted skill ids with a vacancy's
// sorted (skill id, meta) pairs and returns the items held fully and in
// part.
func matchSkills(cand []uint32, exp []uint32) (full, part uint64) {
	i, j := 0, 0
	for i < len(cand) && j < len(exp) {
		a, b := cand[i], exp[j]
		switch {
		case a < b:
			i++
		case a > b:
			j += 2
		default:
			m := exp[j+1]
			if m&metaPartial != 0 {
				part |= 1 << (m & 63)
			} else {
				full |= 1 << (m & 63)
			}
			j += 2
		}
	}
	return full, part
}

// skillValue sums the item weights of the items held.
func skillValue(full, part uint64, w *[maxItems]float64, nItems int) float64 {
	if nItems == 0 {
		return skillsNoItems
	}
	var s float64
	for m := full; m != 0; m &= m - 1 {
		s += w[bits.TrailingZeros64(m)]
	}
	var p float64
	for m := part &^ full; m != 0; m &= m - 1 {
		p += w[bits.TrailingZeros64(m)]
	}
	s += partialCredit * p
	if s > 1 {
		s = 1
	}
	return s
}

// itemWeights fills w from the idf of each main item; ids are the main
// item skill ids, the first nReq required.
func itemWeights(ids []uint32, nReq int, idf []float32, idfMax float32, w *[maxItems]float64) {
	n := len(ids)
	if n == 0 {
		return
	}
	var sumR, sumP float64
	for i, id := range ids {
		x := idfMax
		if int(id) < len(idf) {
			x = idf[id]
		}
		w[i] = max(float64(x), 1) // idf is at least 1 by construction
		if i < nReq {
			sumR += w[i]
		} else {
			sumP += w[i]
		}
	}
	shareR, shareP := 1.0, 1.0
	if nReq > 0 && nReq < n {
		shareR, shareP = reqShare, prefShare
	}
	for i := range n {
		if i < nReq {
			w[i] = shareR * w[i] / sumR
		} else {
			w[i] = shareP * w[i] / sumP
		}
	}
}

// iscoPrefix is the length of the common prefix of two 4-digit codes.
func iscoPrefix(a, b uint16) int {
	switch {
	case a == b:
		return 4
	case a/10 == b/10:
		return 3
	case a/100 == b/100:
		return 2
	case a/1000 == b/1000:
		return 1
	}
	return 0
}

// occValue compares a profile's occupation pairs (id, isco) with the
// vacancy's occupation; k is 5 for the same occupation, else the ISCO
// prefix length, -1 when the vacancy names none.
func occValue(occs []uint32, occ uint32, isco uint16) (float64, int) {
	if occ == idNone {
		return occUnspecified, -1
	}
	best := 0
	for i := 0; i+1 < len(occs); i += 2 {
		if occs[i] == occ {
			return 1, 5
		}
		if isco != iscoNone && uint16(occs[i+1]) != iscoNone {
			if k := iscoPrefix(uint16(occs[i+1]), isco); k > best {
				best = k
			}
		}
	}
	return iscoValue[best], best
}

// iscoValue is 0.2 × k for k shared ISCO digits.
var iscoValue = [5]float64{0, 0.2, 0.4, 0.6, 0.8}

func levelValue(have, min int8, step float64) float64 {
	switch {
	case min < 0 || have >= min:
		return 1
	case have < 0:
		return unknownLevel
	}
	v := 1 - step*float64(min-have)
	if v < 0 {
		return 0
	}
	return v
}

// hoursOverlap is the number of hours both ranges share.
func hoursOverlap(px *profX, vx *vacX) int {
	lo, hi := px.hmin, px.hmax
	if vx.hmin > lo {
		lo = vx.hmin
	}
	if vx.hmax < hi {
		hi = vx.hmax
	}
	return int(hi) - int(lo)
}

// baseComponents fills every component except skills and occupation.
func baseComponents(px *profX, radius uint16, vx *vacX, dist float64, c *Components) {
	switch {
	case vx.branch < 0:
		c.Branch = 1
	case px.branches&(1<<uint(vx.branch)) != 0:
		c.Branch = 1
	case px.branches == 0:
		c.Branch = branchNoPref
	default:
		c.Branch = 0
	}
	if w := min(vx.hmax-vx.hmin, px.hmax-px.hmin); w > 0 {
		c.Hours = float64(hoursOverlap(px, vx)) / float64(w)
	} else {
		c.Hours = 1
	}
	if radius > 0 {
		c.Distance = 1 - dist/float64(radius)
		if c.Distance < 0 {
			c.Distance = 0
		}
	} else {
		c.Distance = 1
	}
	c.Language = levelValue(px.cefr, vx.cefr, cefrStep)
	c.Education = levelValue(px.edu, vx.edu, eduStep)
}

// pairScore is the weighted score of a pair that passed the hard filters,
// with its components, their contributions and the occupation match level
// k, given the skill items the profile holds fully and in part
// (matchSkills); occs are the profile's occupation pairs and w the
// vacancy's item weights (read only when some item is held).
func pairScore(wt *Weights, px *profX, radius uint16, occs []uint32,
	vx *vacX, full, part uint64, w *[maxItems]float64, nItems int, dist float64) (s float64, c, contrib Components, k int) {
	baseComponents(px, radius, vx, dist, &c)
	c.Skills = skillValue(full, part, w, nItems)
	c.Occupation, k = occValue(occs, vx.occ, vx.isco)
	s, contrib = combine(wt, &c)
	return s, c, contrib, k
}

// reachSlack is the margin of the canReach bounds.
const reachSlack = 1e-6

// canReach fills every component but skills and reports whether the pair
// could still reach thr with a perfect skills value: first with a perfect
// occupation too (without touching the term arena), then with the real
// one. A 1e-6 margin keeps ties that might win on id (scores are rounded to
// six decimals, which can lift one by 5e-7).
func canReach(wt *Weights, px *profX, radius uint16, occs []uint32, vx *vacX, d, thr float64, c *Components) bool {
	return canReachSig(wt, px, radius, occs, vx, d, thr, c, nil, nil, 0)
}

// canReachSig is canReach with a tighter skills bound when the query's
// per-item signatures are given: an item can only count when the profile
// holds a skill with one of its bits.
func canReachSig(wt *Weights, px *profX, radius uint16, occs []uint32, vx *vacX, d, thr float64, c *Components,
	itemSig *[maxItems]uint32, w *[maxItems]float64, nItems int) bool {
	baseComponents(px, radius, vx, d, c)
	rest := wt.Branch*c.Branch + wt.Hours*c.Hours +
		wt.Distance*c.Distance + wt.Language*c.Language + wt.Education*c.Education
	if rest+wt.Skills+wt.Occupation+reachSlack < thr {
		return false
	}
	skillsUB := 1.0
	switch {
	case itemSig != nil && nItems == 0:
		skillsUB = skillsNoItems // the value skillValue gives
	case itemSig != nil:
		skillsUB = 0
		for i := range nItems {
			if itemSig[i]&px.sig != 0 {
				skillsUB += w[i]
			}
		}
		skillsUB = min(skillsUB, 1)
	}
	ub := rest + wt.Skills*skillsUB
	if ub+wt.Occupation+reachSlack < thr {
		return false
	}
	c.Occupation, _ = occValue(occs, vx.occ, vx.isco)
	return ub+wt.Occupation*c.Occupation+reachSlack >= thr
}

// kmPerDegree is the length of one degree of a great circle.
const kmPerDegree = 6371.0 * math.Pi / 180

// geoQ is a query point with a cheap lower bound on distances from it.
type geoQ struct {
	lat, lon float32
	cos      float64
}

func newGeoQ(lat, lon float32) geoQ {
	return geoQ{lat: lat, lon: lon, cos: math.Cos(float64(lat) * math.Pi / 180)}
}

// fartherLat is the latitude half of farther (rows without a stored cos).
func (q *geoQ) fartherLat(lat float32, r float64) bool {
	return 0.99*kmPerDegree*math.Abs(float64(lat)-float64(q.lat)) > r
}

// farther reports whether (lat, lon) is certainly more than r km away:
// a great-circle distance is at least R·|Δφ|, and at least
// 2R·sqrt(cos φ1 cos φ2)·sin(Δλ/2) ≥ 0.99·R·sqrt(cos φ1 cos φ2)·Δλ for
// Δλ up to 20°. A 1% margin covers rounding. NaN never counts as farther.
func (q *geoQ) farther(lat, lon, cosLat float32, r float64) bool {
	const slack = 0.99
	dlat := math.Abs(float64(lat) - float64(q.lat))
	if slack*kmPerDegree*dlat > r {
		return true
	}
	dlon := math.Abs(float64(lon) - float64(q.lon))
	return dlon < 20 && slack*0.99*kmPerDegree*dlon*math.Sqrt(q.cos*float64(cosLat)) > r
}

// openScore is the open-hiring score of a profile at today.
func openScore(px *profX, today uint16) float64 {
	s := 0.0
	if px.flags&pOptIn != 0 {
		s = openOptInShare
	}
	var waited float64
	if px.reg != regUnknown && px.reg < today {
		waited = float64(today - px.reg)
	}
	return RoundScore(s + (1-openOptInShare)*waited/(waited+openWaitHalfDay))
}

// openKey orders open-hiring candidates: opted in first, then earliest
// registration. Higher is better.
func openKey(px *profX) float64 {
	k := float64(regUnknown - px.reg)
	if px.flags&pOptIn != 0 {
		k += 1 << 17
	}
	return k
}
