package matcher

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// dict interns term keys (an ESCO URI, or "~" + the normalised label of a
// term the taxonomy does not know) to small dense ids.
type dict struct {
	mu   sync.RWMutex
	ids  map[string]uint32
	keys []string
}

func newDict() *dict { return &dict{ids: map[string]uint32{}} }

func (d *dict) lookup(key string) (uint32, bool) {
	d.mu.RLock()
	id, ok := d.ids[key]
	d.mu.RUnlock()
	return id, ok
}

func (d *dict) intern(key string) uint32 {
	if id, ok := d.lookup(key); ok {
		return id
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if id, ok := d.ids[key]; ok {
		return id
	}
	id := uint32(len(d.keys))
	d.ids[key] = id
	d.keys = append(d.keys, key)
	return id
}

func (d *dict) key(id uint32) string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if int(id) < len(d.keys) {
		return d.keys[id]
	}
	return ""
}

// dayOf converts YYYY-MM-DD to days since 1970 (1..65534); ok is false for
// an empty or malformed date.
func dayOf(s string) (uint16, bool) {
	if s == "" {
		return 0, false
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, false
	}
	return clampDay(t.Unix() / 86400), true
}

// dutchZone is the time zone whose calendar date is "today": a vacancy
// that closes on a date stays open until midnight in the Netherlands, not
// in UTC. Without zone data (the binary embeds it: cmd imports
// time/tzdata) it is a fixed UTC+1.
var dutchZone = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Amsterdam"); err == nil {
		return loc
	}
	return time.FixedZone("CET", 3600)
}()

// dutchDay is the day number (days since 1970) of t's date in the
// Netherlands.
func dutchDay(t time.Time) uint16 {
	y, m, d := t.In(dutchZone).Date()
	return clampDay(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func clampDay(d int64) uint16 {
	if d < 1 {
		return 1
	}
	if d > 65534 {
		return 65534
	}
	return uint16(d)
}

func dayString(d uint16) string {
	return time.Unix(int64(d)*86400, 0).UTC().Format("2006-01-02")
}

func licMask(ls []string) uint16 {
	var m uint16
	for _, l := range ls {
		if i := rank(DrivingLicenceTypes, l); i >= 0 {
			m |= 1 << uint(i)
		}
	}
	return m
}

func hours8(h int) uint8 {
	if h < 0 {
		return 0
	}
	if h > 255 {
		return 255
	}
	return uint8(h)
}

func parseISCO(s string) uint16 {
	if len(s) < 4 {
		return iscoNone
	}
	n, err := strconv.Atoi(s[:4])
	if err != nil || n < 0 || n > 9999 {
		return iscoNone
	}
	return uint16(n)
}

// termCache memoises term resolution (the taxonomy may search fuzzily,
// and the same few thousand terms come back in every document). It stops
// growing at maxCachedTerms entries; later new terms are resolved each time.
type termCache struct {
	mu sync.RWMutex
	m  map[string]termRes
}

type termRes struct {
	key   string
	known bool
}

const maxCachedTerms = 1 << 18

func newTermCache() *termCache { return &termCache{m: map[string]termRes{}} }

func (c *termCache) resolve(term string, f func(string) (string, bool)) (string, bool) {
	c.mu.RLock()
	r, ok := c.m[term]
	c.mu.RUnlock()
	if ok {
		return r.key, r.known
	}
	r.key, r.known = f(term)
	if !r.known {
		r.key = "~" + NormaliseTerm(term)
	}
	c.mu.Lock()
	if len(c.m) < maxCachedTerms {
		c.m[term] = r
	}
	c.mu.Unlock()
	return r.key, r.known
}

func noTaxonomy(string) (string, bool) { return "", false }

// skillKey resolves a skill term to its dictionary key: the taxonomy URI,
// or "~" + the normalised label; known reports whether the taxonomy knew it.
func (e *Engine) skillKey(term string) (key string, known bool) {
	if e.tax == nil {
		return e.skillCache.resolve(term, noTaxonomy)
	}
	return e.skillCache.resolve(term, e.tax.ResolveSkill)
}

func (e *Engine) occKey(term string) (key string, known bool) {
	if e.tax == nil {
		return e.occCache.resolve(term, noTaxonomy)
	}
	return e.occCache.resolve(term, e.tax.ResolveOccupation)
}

func (e *Engine) termID(d *dict, key string, intern bool, unknown uint32) uint32 {
	if intern {
		return d.intern(key)
	}
	if id, ok := d.lookup(key); ok {
		return id
	}
	return unknown
}

// locate returns the float32 centroid of a PC4, NaN when unknown.
func (e *Engine) locate(pc4 int) (float32, float32) {
	if e.loc != nil {
		if lat, lon, ok := e.loc.Centroid(pc4); ok {
			return float32(lat), float32(lon)
		}
	}
	return float32(math.NaN()), float32(math.NaN())
}

// profView is a compiled profile as the scorer reads it.
type profView struct {
	h      rowHead
	x      profX
	skills []uint32 // sorted, distinct
	occs   []uint32 // (id, isco) pairs
}

// compileProfile turns a profile into its compiled record. With intern
// false (ad-hoc queries) unknown terms get a sentinel id and the
// dictionaries do not grow; unrec lists terms the taxonomy does not know.
func (e *Engine) compileProfile(p *Profile, intern bool) (rec record[profX], unrec []string) {
	var x profX
	for _, b := range p.Branches {
		if i := BranchIndex(b); i >= 0 {
			x.branches |= 1 << uint(i)
		}
	}
	x.lic = licMask(p.DrivingLicences)
	if d, ok := dayOf(p.AvailableFrom); ok {
		x.avail = d
	}
	x.reg = regUnknown
	if d, ok := dayOf(p.RegisteredAt); ok {
		x.reg = d
	}
	if n, err := strconv.Atoi(p.Municipality); err == nil && n >= 0 && n <= 9999 {
		x.muni = uint16(n)
	}
	x.hmin, x.hmax = hours8(p.HoursMin), hours8(p.HoursMax)
	x.edu = int8(EducationRank(p.EducationLevel))
	x.cefr = int8(CEFRRank(p.DutchLevel))
	x.load = int8(LoadRank(p.MaxPhysicalLoad))
	if x.load < 0 {
		x.load = int8(len(PhysicalLoads) - 1)
	}
	if p.Perspectief == PerspectiefMeedoen {
		x.flags |= pMeedoen
	}
	if p.OpenToOpenHiring {
		x.flags |= pOptIn
	}
	if p.Banenafspraak {
		x.flags |= pBanen
	}

	// Validated profiles hold at most MaxListLen of each; the caps only keep
	// an unvalidated one from overflowing the row's counters.
	skills, occs := p.Skills[:min(len(p.Skills), MaxListLen)], p.DesiredOccupations[:min(len(p.DesiredOccupations), MaxListLen)]
	terms := make([]uint32, 0, len(skills)+2*len(occs))
	for _, s := range skills {
		key, known := e.skillKey(s)
		if !known {
			unrec = append(unrec, s)
		}
		terms = append(terms, e.termID(e.skills, key, intern, idUnknownProfile))
	}
	slices.Sort(terms)
	terms = slices.Compact(terms)
	nSk := len(terms)
	for _, id := range terms {
		if id < idUnknownVacancy {
			x.sig |= sigBit(id)
		}
	}
	seen := map[uint32]bool{}
	for _, o := range occs {
		key, known := e.occKey(o)
		isco := iscoNone
		if known {
			isco = parseISCO(e.tax.ISCO(key))
		} else {
			unrec = append(unrec, o)
		}
		id := e.termID(e.occs, key, intern, idUnknownProfile)
		if id != idUnknownProfile && seen[id] {
			continue
		}
		seen[id] = true
		terms = append(terms, id, uint32(isco))
	}
	lat, lon := e.locate(p.Postcode4)
	radius := p.MaxTravelKm
	if radius < 0 {
		radius = 0
	}
	if radius > 65535 {
		radius = 65535
	}
	rec = record[profX]{
		id: p.ID,
		h: rowHead{lat: lat, lon: lon, pc4: uint16(p.Postcode4), radius: uint16(radius),
			nA: uint16(nSk), nB: uint16((len(terms) - nSk) / 2)},
		x:     x,
		terms: terms,
	}
	return rec, unrec
}

// viewOf reads a compiled row back as a profView.
func viewOf(h *rowHead, x *profX, terms []uint32) profView {
	t := terms[h.termOff : h.termOff+uint32(h.nA)+2*uint32(h.nB)]
	return profView{h: *h, x: *x, skills: t[:h.nA], occs: t[h.nA:]}
}

// qItem is one skill a vacancy asks for.
type qItem struct {
	id       uint32
	label    string
	required bool
}

// vacQuery is a compiled vacancy as the scorer reads it.
type vacQuery struct {
	x        vacX
	lat, lon float32
	items    []qItem
	exp      []uint32 // sorted (skill id, meta) pairs; meta = item index | metaPartial
	unrec    []string
}

func (q *vacQuery) itemIDs() []uint32 {
	ids := make([]uint32, len(q.items))
	for i, it := range q.items {
		ids[i] = it.id
	}
	return ids
}

// compileVacancy turns a vacancy into its compiled form; see compileProfile
// for intern.
func (e *Engine) compileVacancy(v *Vacancy, intern bool) *vacQuery {
	q := &vacQuery{}
	x := &q.x
	x.lic = licMask(v.DrivingLicences)
	if d, ok := dayOf(v.StartDate); ok {
		x.start = d
	}
	if d, ok := dayOf(v.ClosesAt); ok {
		x.closes = d
	}
	x.hmin, x.hmax = hours8(v.HoursMin), hours8(v.HoursMax)
	x.branch = int8(BranchIndex(v.Branch))
	x.edu = int8(EducationRank(v.EducationLevelMin))
	x.cefr = int8(CEFRRank(v.DutchLevelMin))
	x.load = int8(LoadRank(v.PhysicalLoad))
	if v.Status != "" && v.Status != StatusOpen {
		x.flags |= vNotOpen
	}
	if v.OpenHiring {
		x.flags |= vOpenHiring
	}
	if v.BanenafspraakSuitable {
		x.flags |= vBanenSuitable
	}
	q.lat, q.lon = e.locate(v.Postcode4)

	x.occ, x.isco = idNone, iscoNone
	occURI := ""
	if v.Occupation != "" {
		key, known := e.occKey(v.Occupation)
		if known {
			occURI = key
			x.isco = parseISCO(e.tax.ISCO(key))
		} else {
			q.unrec = append(q.unrec, v.Occupation)
		}
		x.occ = e.termID(e.occs, key, intern, idUnknownVacancy)
	}

	seen := map[string]bool{}
	var uris []string // per item: the taxonomy URI or ""
	add := func(term, label string, required bool, fromURI bool) {
		if len(q.items) >= maxItems {
			return
		}
		key, known := term, true
		if !fromURI {
			key, known = e.skillKey(term)
			if !known {
				q.unrec = append(q.unrec, term)
			}
		}
		if seen[key] {
			return
		}
		seen[key] = true
		q.items = append(q.items, qItem{id: e.termID(e.skills, key, intern, idUnknownVacancy), label: label, required: required})
		if known {
			uris = append(uris, key)
		} else {
			uris = append(uris, "")
		}
	}
	for _, s := range v.RequiredSkills {
		add(s, s, true, false)
	}
	if len(v.RequiredSkills) == 0 && occURI != "" {
		ess, _ := e.tax.OccupationSkills(occURI)
		for _, u := range ess {
			label := e.tax.Label(u)
			if label == "" {
				label = u
			}
			add(u, label, true, true)
		}
	}
	nReq := len(q.items)
	for _, s := range v.PreferredSkills {
		add(s, s, false, false)
	}
	x.nReq = uint8(nReq)

	for i, it := range q.items {
		if it.id != idUnknownVacancy {
			q.exp = append(q.exp, it.id, uint32(i))
		}
		if e.tax == nil || uris[i] == "" {
			continue
		}
		for _, r := range e.tax.RelatedSkills(uris[i]) {
			rid := e.termID(e.skills, r, intern, idUnknownVacancy)
			if rid != idUnknownVacancy && rid != it.id {
				q.exp = append(q.exp, rid, uint32(i)|metaPartial)
			}
		}
	}
	q.exp = sortPairs(q.exp)
	if len(q.exp) > 2*maxExpPairs { // only with an absurd taxonomy
		q.exp = q.exp[:2*maxExpPairs]
	}
	return q
}

// maxExpPairs bounds a vacancy's (skill, item) pairs to its row counter.
const maxExpPairs = 0xFFFF

// sortPairs sorts (id, meta) pairs by id then meta, dropping duplicates.
func sortPairs(p []uint32) []uint32 {
	n := len(p) / 2
	tmp := make([]uint64, n)
	for i := range n {
		tmp[i] = uint64(p[2*i])<<32 | uint64(p[2*i+1])
	}
	slices.Sort(tmp)
	tmp = slices.Compact(tmp)
	for i, v := range tmp {
		p[2*i], p[2*i+1] = uint32(v>>32), uint32(v)
	}
	return p[:2*len(tmp)]
}

// vacancyRecord stores a compiled vacancy. Its terms are the item skill
// ids, the item label ids, then the exp pairs; nA counts the first two
// (2 × items), nB the pairs.
func (e *Engine) vacancyRecord(q *vacQuery, v *Vacancy) record[vacX] {
	terms := make([]uint32, 0, 2*len(q.items)+len(q.exp))
	terms = append(terms, q.itemIDs()...)
	for _, it := range q.items {
		terms = append(terms, e.labels.intern(it.label))
	}
	terms = append(terms, q.exp...)
	x := q.x
	x.employer = e.employers.intern(v.EmployerID)
	x.occLabel = idNone
	if v.Occupation != "" {
		x.occLabel = e.labels.intern(v.Occupation)
	}
	return record[vacX]{
		id:    v.ID,
		h:     rowHead{lat: q.lat, lon: q.lon, pc4: uint16(v.Postcode4), nA: uint16(2 * len(q.items)), nB: uint16(len(q.exp) / 2)},
		x:     x,
		terms: terms,
	}
}

// vacQueryOf rebuilds the compiled query of a stored vacancy from its row
// (matches by id, explanations of profile->vacancies results).
func (e *Engine) vacQueryOf(seg *segment[vacX], i int) *vacQuery {
	h := &seg.heads[i]
	x := seg.xs[i]
	t := seg.terms[h.termOff : h.termOff+h.nTerms()]
	n := int(h.nA) / 2
	q := &vacQuery{x: x, lat: h.lat, lon: h.lon, exp: t[h.nA:]}
	if x.occLabel != idNone && strings.HasPrefix(e.occs.key(x.occ), "~") {
		q.unrec = append(q.unrec, e.labels.key(x.occLabel))
	}
	q.items = make([]qItem, n)
	for j := range n {
		it := qItem{id: t[j], label: e.labels.key(t[n+j]), required: j < int(x.nReq)}
		if strings.HasPrefix(e.skills.key(it.id), "~") {
			q.unrec = append(q.unrec, it.label)
		}
		q.items[j] = it
	}
	return q
}
