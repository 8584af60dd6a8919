package matcher

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// EngineOptions configure an Engine.
type EngineOptions struct {
	Locator  Locator          // required (geo.Table implements it)
	Taxonomy Taxonomy         // may be nil: terms matched on NormaliseTerm form only
	Workers  int              // parallel evaluation; 0 = runtime.GOMAXPROCS(0)
	Now      func() time.Time // nil = time.Now; reference date for availability / closes_at
}

// Engine is the in-memory ranking core: it holds the compiled features of
// every active profile and vacancy and answers matches in both directions.
// All methods are safe for concurrent use; queries see a consistent
// snapshot and never wait for writers.
type Engine struct {
	loc     Locator
	tax     Taxonomy
	workers int
	now     func() time.Time
	skills  *dict
	occs    *dict

	skillCache, occCache *termCache
	labels, employers    *dict // stored vacancies' terms as written, and employer ids
	prof                 *table[profX]
	vac                  *table[vacX]
}

// minDelta is the smallest delta segment (rows) of a table.
const minDelta = 1024

// parallelMin is the number of base rows above which a scan is split
// across workers.
var parallelMin = 32768

// NewEngine returns an empty engine.
func NewEngine(opts EngineOptions) *Engine {
	e := &Engine{loc: opts.Locator, tax: opts.Taxonomy, workers: opts.Workers, now: opts.Now,
		skills: newDict(), occs: newDict(), skillCache: newTermCache(), occCache: newTermCache(),
		labels: newDict(), employers: newDict()}
	if e.workers <= 0 {
		e.workers = runtime.GOMAXPROCS(0)
	}
	if e.now == nil {
		e.now = time.Now
	}
	e.prof = newTable[profX](true, minDelta, true)
	e.vac = newTable[vacX](false, minDelta, false)
	return e
}

// UpsertProfile adds or replaces a profile. The caller has validated it.
func (e *Engine) UpsertProfile(p *Profile) {
	if p == nil {
		return
	}
	rec, _ := e.compileProfile(p, true)
	e.prof.upsert([]record[profX]{rec})
}

// UpsertProfiles adds or replaces many profiles as one atomic step; a large
// batch is compiled on all workers and folded straight into the compacted
// base.
func (e *Engine) UpsertProfiles(ps []*Profile) {
	recs := make([]record[profX], len(ps))
	parallel(len(ps), e.workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if ps[i] != nil {
				recs[i], _ = e.compileProfile(ps[i], true)
			}
		}
	})
	out := recs[:0]
	for i := range recs {
		if ps[i] != nil {
			out = append(out, recs[i])
		}
	}
	e.prof.upsert(out)
}

// parallel runs f over [0,n) in up to workers contiguous chunks.
func parallel(n, workers int, f func(lo, hi int)) {
	const minChunk = 2048
	if workers <= 1 || n < 2*minChunk {
		f(0, n)
		return
	}
	chunks := min(workers, n/minChunk)
	var wg sync.WaitGroup
	for c := range chunks {
		lo, hi := n*c/chunks, n*(c+1)/chunks
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
}

// DeleteProfile removes a profile; false when it was not held.
func (e *Engine) DeleteProfile(id string) bool { return e.prof.remove(id) }

func (e *Engine) vacancyRec(v *Vacancy) record[vacX] {
	c := *v
	c.Normalise()
	return e.vacancyRecord(e.compileVacancy(&c, true), &c)
}

// Today is the date a query without Query.Today is answered for: the
// calendar date in the Netherlands, as YYYY-MM-DD.
func (e *Engine) Today() string { return dayString(dutchDay(e.now())) }

// UpsertVacancy adds or replaces a vacancy. The caller has validated it.
func (e *Engine) UpsertVacancy(v *Vacancy) {
	if v == nil {
		return
	}
	e.vac.upsert([]record[vacX]{e.vacancyRec(v)})
}

// UpsertVacancies adds or replaces many vacancies as one atomic step.
func (e *Engine) UpsertVacancies(vs []*Vacancy) {
	recs := make([]record[vacX], len(vs))
	parallel(len(vs), e.workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if vs[i] != nil {
				recs[i] = e.vacancyRec(vs[i])
			}
		}
	})
	out := recs[:0]
	for i := range recs {
		if vs[i] != nil {
			out = append(out, recs[i])
		}
	}
	e.vac.upsert(out)
}

// DeleteVacancy removes a vacancy; false when it was not held.
func (e *Engine) DeleteVacancy(id string) bool { return e.vac.remove(id) }

// Counts returns how many profiles and vacancies the engine holds.
func (e *Engine) Counts() (profiles, vacancies int) { return e.prof.counts(), e.vac.counts() }

// VacancyEmployer returns the employer of a held vacancy.
func (e *Engine) VacancyEmployer(id string) (employerID string, ok bool) {
	s, ref, ok := e.vac.lookup(id)
	if !ok {
		return "", false
	}
	seg, i := s.row(ref)
	return e.employers.key(seg.xs[i].employer), true
}

// ProfileMunicipality returns the municipality code of a held profile.
func (e *Engine) ProfileMunicipality(id string) (municipality string, ok bool) {
	s, ref, ok := e.prof.lookup(id)
	if !ok {
		return "", false
	}
	seg, i := s.row(ref)
	return fmt.Sprintf("%04d", seg.xs[i].muni), true
}

// Compact waits for background compactions and folds every pending change
// into fresh bases now. It is never needed for correctness; call it after a
// startup load (or before measuring memory) to start from the leanest state.
// Queries keep running meanwhile; writers wait.
func (e *Engine) Compact() {
	e.prof.compactNow()
	e.vac.compactNow()
}

// qopts are a validated Query.
type qopts struct {
	limit int
	w     Weights
	today uint16
	muni  *[157]uint64 // nil: all municipalities
}

func (e *Engine) prepare(q Query) (*qopts, error) {
	o := &qopts{limit: q.Limit}
	var ve ValidationError
	switch {
	case q.Limit < 0:
		ve.add("limit", "must not be negative")
	case q.Limit == 0:
		o.limit = DefaultLimit
	case q.Limit > MaxLimit:
		o.limit = MaxLimit
	}
	w, err := normWeights(q.Weights)
	if err != nil {
		ve.Fields = append(ve.Fields, err.(*ValidationError).Fields...)
	}
	o.w = w
	if q.Today != "" {
		d, ok := dayOf(q.Today)
		if !ok || !ValidDate(q.Today) {
			ve.add("today", "must be a date as YYYY-MM-DD")
		}
		o.today = d
	} else {
		o.today = dutchDay(e.now())
	}
	if q.Municipalities != nil {
		o.muni = new([157]uint64)
		for _, m := range q.Municipalities {
			if n, err := strconv.Atoi(m); err == nil && n >= 0 && n <= 9999 && len(m) == 4 {
				o.muni[n>>6] |= 1 << (uint(n) & 63)
			}
		}
	}
	if len(ve.Fields) > 0 {
		return nil, &ve
	}
	return o, nil
}

// fwd is one vacancy->profiles query.
type fwd struct {
	vq       *vacQuery
	o        *qopts
	startDay uint16
	open     bool
	nItems   int
	wItem    [maxItems]float64
	itemSig  [maxItems]uint32
}

type scanStats struct{ considered, scored int }

// key is the ordering key of a pair that passed the hard filters; ok is
// false when it certainly cannot beat thr.
func (f *fwd) key(h *rowHead, x *profX, terms []uint32, d, thr float64) (float64, bool) {
	if f.open {
		return openKey(x), true
	}
	off := h.termOff + uint32(h.nA)
	var c Components
	if !canReachSig(&f.o.w, x, h.radius, terms[off:off+2*uint32(h.nB)], &f.vq.x, d, thr, &c, &f.itemSig, &f.wItem, f.nItems) {
		return 0, false
	}
	full, part := matchSkills(terms[h.termOff:off], f.vq.exp)
	c.Skills = skillValue(full, part, &f.wItem, f.nItems)
	s, _ := combine(&f.o.w, &c)
	return s, true
}

// accept applies the profile-side hard filters other than distance.
func (f *fwd) accept(x *profX) bool {
	if x.flags&pMeedoen != 0 || !hardOK(x, &f.vq.x, f.startDay) {
		return false
	}
	return f.o.muni == nil || f.o.muni[x.muni>>6]&(1<<(x.muni&63)) != 0
}

func (f *fwd) scanGroups(s *snapshot[profX], g0, g1 int, top *topN, st *scanStats) {
	b := s.base
	lat, lon := f.vq.lat, f.vq.lon
	gq := newGeoQ(lat, lon)
	for gi := g0; gi < g1; gi++ {
		g := &b.groups[gi]
		if gq.farther(g.lat, g.lon, g.cosLat, float64(g.maxRadius)) {
			continue
		}
		d := distKm(lat, lon, g.lat, g.lon)
		if !(d <= float64(g.maxRadius)) {
			continue
		}
		for i := g.start; i < g.end; i++ {
			h := &b.heads[i]
			if float64(h.radius) < d {
				break
			}
			if !visible(&b.del[i], s.version) {
				continue // replaced or deleted: not a candidate
			}
			st.considered++
			x := &b.xs[i]
			if !f.accept(x) {
				continue
			}
			st.scored++
			if k, ok := f.key(h, x, b.terms, d, top.threshold()); ok {
				top.push(k, i)
			}
		}
	}
}

func (f *fwd) scanDelta(s *snapshot[profX], top *topN, st *scanStats) {
	dl := s.delta
	gq := newGeoQ(f.vq.lat, f.vq.lon)
	for i := 0; i < s.deltaN; i++ {
		h := &dl.heads[i]
		if gq.fartherLat(h.lat, float64(h.radius)) {
			continue
		}
		d := distKm(f.vq.lat, f.vq.lon, h.lat, h.lon)
		if !(d <= float64(h.radius)) {
			continue
		}
		if !visible(&dl.del[i], s.version) {
			continue
		}
		st.considered++
		x := &dl.xs[i]
		if !f.accept(x) {
			continue
		}
		st.scored++
		if k, ok := f.key(h, x, dl.terms, d, top.threshold()); ok {
			top.push(k, uint32(i)|refDelta)
		}
	}
}

func (e *Engine) compileQuery(v *Vacancy) *vacQuery {
	c := *v
	c.Normalise()
	return e.compileVacancy(&c, false)
}

func newFwd(vq *vacQuery, o *qopts, s *snapshot[profX]) *fwd {
	f := &fwd{vq: vq, o: o, open: vq.x.flags&vOpenHiring != 0, nItems: len(vq.items)}
	itemWeights(vq.itemIDs(), int(vq.x.nReq), s.idf, s.idfMax, &f.wItem)
	for j := 0; j+1 < len(vq.exp); j += 2 {
		f.itemSig[vq.exp[j+1]&63] |= sigBit(vq.exp[j])
	}
	return f
}

// MatchVacancy ranks the held profiles for a vacancy (stored or ad hoc).
func (e *Engine) MatchVacancy(ctx context.Context, v *Vacancy, q Query) (*MatchResult, error) {
	if v == nil {
		return nil, &ValidationError{Fields: []FieldError{{Field: "vacancy", Message: "must be given"}}}
	}
	return e.matchVacancy(ctx, e.compileQuery(v), q)
}

func (e *Engine) matchVacancy(ctx context.Context, vq *vacQuery, q Query) (*MatchResult, error) {
	o, err := e.prepare(q)
	if err != nil {
		return nil, err
	}
	s := e.prof.snap()
	f := newFwd(vq, o, s)
	res := &MatchResult{Results: []Match{}, Weights: o.w.rounded(), OpenHiring: f.open, Unrecognised: dedupe(f.vq.unrec)}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ok, start := vacancyOpen(&f.vq.x, f.o.today)
	if !ok {
		return res, nil
	}
	f.startDay = start
	idOf := s.id
	top := newTopN(f.o.limit, idOf)
	var st scanStats
	groups := s.base.groups
	nw := e.workers
	if nw > 1 && len(s.base.heads) >= parallelMin && len(groups) >= nw {
		tops := make([]*topN, nw)
		stats := make([]scanStats, nw)
		var wg sync.WaitGroup
		bounds := splitGroups(groups, nw)
		for w := range nw {
			tops[w] = newTopN(f.o.limit, idOf)
			wg.Add(1)
			go func() {
				defer wg.Done()
				f.scanGroups(s, bounds[w], bounds[w+1], tops[w], &stats[w])
			}()
		}
		f.scanDelta(s, top, &st)
		wg.Wait()
		for w := range nw {
			for _, h := range tops[w].h {
				top.push(h.key, h.ref)
			}
			st.considered += stats[w].considered
			st.scored += stats[w].scored
		}
	} else {
		f.scanGroups(s, 0, len(groups), top, &st)
		f.scanDelta(s, top, &st)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Considered, res.Scored = st.considered, st.scored
	e.fillForward(res, f, s, top.sorted())
	return res, nil
}

// splitGroups cuts groups into n ranges of about equal row counts.
func splitGroups(groups []group, n int) []int {
	total := 0
	if len(groups) > 0 {
		total = int(groups[len(groups)-1].end)
	}
	b := make([]int, n+1)
	gi := 0
	for w := 1; w < n; w++ {
		target := total * w / n
		for gi < len(groups) && int(groups[gi].end) <= target {
			gi++
		}
		b[w] = gi
	}
	b[n] = len(groups)
	return b
}

func (e *Engine) fillForward(res *MatchResult, f *fwd, s *snapshot[profX], hits []hit) {
	for _, h := range hits {
		seg, i := s.row(h.ref)
		pv := viewOf(&seg.heads[i], &seg.xs[i], seg.terms)
		d := distKm(f.vq.lat, f.vq.lon, pv.h.lat, pv.h.lon)
		score, ex := explainPair(f.vq, &f.wItem, &f.o.w, &pv, d, f.o.today)
		res.Results = append(res.Results, Match{ProfileID: strings.Clone(seg.id(i)), Score: score, Explanation: ex})
	}
}

// MatchVacancyID ranks the held profiles for a held vacancy.
func (e *Engine) MatchVacancyID(ctx context.Context, id string, q Query) (*MatchResult, error) {
	s, ref, ok := e.vac.lookup(id)
	if !ok {
		return nil, ErrNotFound
	}
	seg, i := s.row(ref)
	return e.matchVacancy(ctx, e.vacQueryOf(seg, i), q)
}

// RankProfiles applies the same hard filters and score to the given
// profile ids only (unknown ids are skipped).
func (e *Engine) RankProfiles(ctx context.Context, v *Vacancy, ids []string, q Query) (*MatchResult, error) {
	if v == nil {
		return nil, &ValidationError{Fields: []FieldError{{Field: "vacancy", Message: "must be given"}}}
	}
	o, err := e.prepare(q)
	if err != nil {
		return nil, err
	}
	s, refs := e.prof.lookupMany(ids)
	f := newFwd(e.compileQuery(v), o, s)
	res := &MatchResult{Results: []Match{}, Weights: o.w.rounded(), OpenHiring: f.open, Unrecognised: dedupe(f.vq.unrec)}
	ok, start := vacancyOpen(&f.vq.x, o.today)
	if !ok {
		return res, nil
	}
	f.startDay = start
	top := newTopN(o.limit, s.id)
	var st scanStats
	slices.Sort(refs)
	refs = slices.Compact(refs)
	for _, ref := range refs {
		seg, i := s.row(ref)
		h := &seg.heads[i]
		d := distKm(f.vq.lat, f.vq.lon, h.lat, h.lon)
		if !(d <= float64(h.radius)) {
			continue
		}
		if !visible(&seg.del[i], s.version) {
			continue
		}
		st.considered++
		x := &seg.xs[i]
		if !f.accept(x) {
			continue
		}
		st.scored++
		if k, ok := f.key(h, x, seg.terms, d, top.threshold()); ok {
			top.push(k, ref)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Considered, res.Scored = st.considered, st.scored
	e.fillForward(res, f, s, top.sorted())
	return res, nil
}

// MatchProfileID ranks the open vacancies for a held profile.
func (e *Engine) MatchProfileID(ctx context.Context, id string, q Query) (*MatchResult, error) {
	s, ref, ok := e.prof.lookup(id)
	if !ok {
		return nil, ErrNotFound
	}
	seg, i := s.row(ref)
	pv := viewOf(&seg.heads[i], &seg.xs[i], seg.terms)
	var unrec []string
	for _, id := range pv.skills {
		if k := e.skills.key(id); len(k) > 0 && k[0] == '~' {
			unrec = append(unrec, k[1:])
		}
	}
	for j := 0; j+1 < len(pv.occs); j += 2 {
		if k := e.occs.key(pv.occs[j]); len(k) > 0 && k[0] == '~' {
			unrec = append(unrec, k[1:])
		}
	}
	return e.matchProfile(ctx, &pv, unrec, q, s)
}

// MatchProfile ranks the open vacancies for a profile (held or ad hoc).
func (e *Engine) MatchProfile(ctx context.Context, p *Profile, q Query) (*MatchResult, error) {
	if p == nil {
		return nil, &ValidationError{Fields: []FieldError{{Field: "profile", Message: "must be given"}}}
	}
	rec, unrec := e.compileProfile(p, false)
	pv := viewOf(&rec.h, &rec.x, rec.terms)
	return e.matchProfile(ctx, &pv, unrec, q, e.prof.snap())
}

// rev is one profile->vacancies query.
type rev struct {
	pv     *profView
	o      *qopts
	open   float64 // the profile's open-hiring score, the same for every open-hiring vacancy
	idf    []float32
	idfMax float32
	w      [maxItems]float64
}

func (r *rev) eval(h *rowHead, x *vacX, terms []uint32, d, thr float64) (key float64, pass, ok bool) {
	open, start := vacancyOpen(x, r.o.today)
	if !open || !hardOK(&r.pv.x, x, start) {
		return 0, false, false
	}
	if x.flags&vOpenHiring != 0 {
		// Every open-hiring vacancy gets the same score for one profile;
		// among them the nearer ranks first. The shift is far below the
		// six decimals a score is rounded to, so it orders only equal
		// scores (see the package rules in score.go), and the one km added
		// puts them after a regular vacancy of the same score even at
		// distance 0; the score answered is computed afresh (explainPair).
		return r.open - (d+1)*openNearShift, true, true
	}
	t := terms[h.termOff : h.termOff+h.nTerms()]
	var c Components
	if !canReach(&r.o.w, &r.pv.x, r.pv.h.radius, r.pv.occs, x, d, thr, &c) {
		return 0, true, false
	}
	items := t[:h.nA/2]
	full, part := matchSkills(r.pv.skills, t[h.nA:])
	if full|part != 0 {
		itemWeights(items, int(x.nReq), r.idf, r.idfMax, &r.w)
	}
	c.Skills = skillValue(full, part, &r.w, len(items))
	s, _ := combine(&r.o.w, &c)
	return s, true, true
}

func (e *Engine) matchProfile(ctx context.Context, pv *profView, unrec []string, q Query, ps *snapshot[profX]) (*MatchResult, error) {
	o, err := e.prepare(q)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &MatchResult{Results: []Match{}, Weights: o.w.rounded(), Unrecognised: dedupe(unrec)}
	if pv.x.flags&pMeedoen != 0 {
		return res, nil
	}
	s := e.vac.snap()
	r := &rev{pv: pv, o: o, idf: ps.idf, idfMax: ps.idfMax, open: openScore(&pv.x, o.today)}
	top := newTopN(o.limit, s.id)
	var st scanStats
	b := s.base
	radius := float64(pv.h.radius)
	gq := newGeoQ(pv.h.lat, pv.h.lon)
	for gi := range b.groups {
		g := &b.groups[gi]
		if gq.farther(g.lat, g.lon, g.cosLat, radius) {
			continue
		}
		d := distKm(pv.h.lat, pv.h.lon, g.lat, g.lon)
		if !(d <= radius) {
			continue
		}
		for i := g.start; i < g.end; i++ {
			if !visible(&b.del[i], s.version) {
				continue
			}
			st.considered++
			key, pass, ok := r.eval(&b.heads[i], &b.xs[i], b.terms, d, top.threshold())
			if pass {
				st.scored++
			}
			if ok {
				top.push(key, i)
			}
		}
	}
	dl := s.delta
	for i := 0; i < s.deltaN; i++ {
		h := &dl.heads[i]
		if gq.fartherLat(h.lat, radius) {
			continue
		}
		d := distKm(pv.h.lat, pv.h.lon, h.lat, h.lon)
		if !(d <= radius) {
			continue
		}
		if !visible(&dl.del[i], s.version) {
			continue
		}
		st.considered++
		key, pass, ok := r.eval(h, &dl.xs[i], dl.terms, d, top.threshold())
		if pass {
			st.scored++
		}
		if ok {
			top.push(key, uint32(i)|refDelta)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Considered, res.Scored = st.considered, st.scored
	for _, h := range top.sorted() {
		seg, i := s.row(h.ref)
		vq := e.vacQueryOf(seg, i)
		var w [maxItems]float64
		itemWeights(vq.itemIDs(), int(vq.x.nReq), ps.idf, ps.idfMax, &w)
		d := distKm(pv.h.lat, pv.h.lon, vq.lat, vq.lon)
		score, ex := explainPair(vq, &w, &o.w, pv, d, o.today)
		res.Results = append(res.Results, Match{VacancyID: strings.Clone(seg.id(i)), Score: score, Explanation: ex})
	}
	return res, nil
}

// explainPair scores a pair that passed the hard filters and says why.
func explainPair(vq *vacQuery, w *[maxItems]float64, wt *Weights, pv *profView, d float64, today uint16) (float64, Explanation) {
	ex := Explanation{DistanceKm: math.Round(d*10) / 10, HoursOverlap: hoursOverlap(&pv.x, &vq.x)}
	if vq.x.flags&vOpenHiring != 0 {
		ex.MatchedSkills, ex.MissingSkills = []string{}, []string{}
		baseComponents(&pv.x, pv.h.radius, &vq.x, d, &ex.Components)
		oh := &OpenHiring{OptedIn: pv.x.flags&pOptIn != 0}
		if pv.x.reg != regUnknown {
			oh.RegisteredAt = dayString(pv.x.reg)
		}
		ex.OpenHiring = oh
		ex.Components.round6()
		return openScore(&pv.x, today), ex
	}
	full, part := matchSkills(pv.skills, vq.exp)
	score, c, contrib, k := pairScore(wt, &pv.x, pv.h.radius, pv.occs, &vq.x, full, part, w, len(vq.items), d)
	ex.Components, ex.Contributions = c, contrib
	explainSkills(&ex, vq.items, full, part)
	switch {
	case k == 5:
		ex.Occupation = "same"
	case k > 0:
		ex.Occupation = iscoLevels[k]
	case k == 0:
		ex.Occupation = "none"
	default:
		ex.Occupation = "unspecified"
	}
	ex.Components.round6()
	ex.Contributions.round6()
	return score, ex
}

// iscoLevels[k] names an occupation match on the first k ISCO digits.
var iscoLevels = [...]string{1: "isco1", 2: "isco2", 3: "isco3", 4: "isco4"}

// explainSkills lists the vacancy's skills by how the profile matched them
// (full and part are item bitsets), all four lists in one allocation.
func explainSkills(ex *Explanation, items []qItem, full, part uint64) {
	var nMatched, nPreferred, nPartial, nMissing int
	for i, it := range items {
		bit := uint64(1) << uint(i)
		switch {
		case full&bit != 0 && it.required:
			nMatched++
		case full&bit != 0:
			nPreferred++
		case part&bit != 0:
			nPartial++
			if it.required {
				nMissing++
			}
		case it.required:
			nMissing++
		}
	}
	buf := make([]string, 0, nMatched+nPreferred+nPartial+nMissing)
	carve := func(n int) []string {
		s := buf[len(buf) : len(buf) : len(buf)+n]
		buf = buf[:len(buf)+n]
		return s
	}
	ex.MatchedSkills, ex.MissingSkills = carve(nMatched), carve(nMissing)
	if nPreferred > 0 {
		ex.MatchedPreferred = carve(nPreferred)
	}
	if nPartial > 0 {
		ex.PartialSkills = carve(nPartial)
	}
	for i, it := range items {
		bit := uint64(1) << uint(i)
		switch {
		case full&bit != 0 && it.required:
			ex.MatchedSkills = append(ex.MatchedSkills, it.label)
		case full&bit != 0:
			ex.MatchedPreferred = append(ex.MatchedPreferred, it.label)
		case part&bit != 0:
			ex.PartialSkills = append(ex.PartialSkills, it.label)
			if it.required {
				ex.MissingSkills = append(ex.MissingSkills, it.label)
			}
		case it.required:
			ex.MissingSkills = append(ex.MissingSkills, it.label)
		}
	}
}

func dedupe(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	seen := map[string]bool{}
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
