package matcher

import (
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The core's storage: a table of compiled rows, kept as an immutable base
// segment (rows sorted by PC4 and, within a PC4, by travel radius
// descending, with a group index per PC4) plus an append-only delta
// segment, both in struct-of-arrays form (row heads, extra fields, deletion
// versions, docs, an id arena and a term arena: no pointer per row).
//
// Versions (MVCC): every write takes the next version. An upsert marks the
// row it replaces as deleted at that version and appends the new row to the
// delta; a delete only marks. The writer then publishes a new snapshot
// {version, base, delta, delta length} with one atomic pointer store. A
// reader loads the snapshot once and sees a row when it lies within the
// published delta length and its deletion version is 0 or later than the
// snapshot's version. Rows are never changed after publication except for
// that deletion version (an atomic word), so readers never take a lock and
// never see a half-applied write; a batch of upserts is one version.
//
// Compaction builds a new base from the rows visible in a snapshot without
// any lock, then, under the writer lock, marks the rows deleted since,
// moves the delta rows added since into a fresh delta and publishes: writers
// wait only for that catch-up, readers never wait and keep their old
// segments for as long as they use them. A batch that does not fit the delta
// either grows the delta (when the base is at least twice its size) or is
// folded into a new base directly, so loading in batches stays O(n log n).

const refDelta = 1 << 31

// rowHead is the part of a row the storage itself needs.
type rowHead struct {
	lat, lon float32 // PC4 centroid, NaN when unknown
	pc4      uint16
	radius   uint16 // profiles: max_travel_km
	termOff  uint32 // into the segment's term arena
	nA, nB   uint16 // profiles: skills, occupations; vacancies: items, exp pairs
}

// nTerms is the row's length in the term arena: nA words, then nB pairs.
func (h *rowHead) nTerms() uint32 { return uint32(h.nA) + 2*uint32(h.nB) }

type record[X any] struct {
	id    string
	doc   uint32 // assigned by the table
	h     rowHead
	x     X
	terms []uint32
}

type segment[X any] struct {
	heads  []rowHead
	xs     []X
	del    []uint32 // deletion version, accessed atomically; 0 = live
	idEnd  []uint32 // row i's id is idBuf[idEnd[i-1]:idEnd[i]] (from 0 for row 0)
	idBuf  []byte
	docs   []uint32
	terms  []uint32
	groups []group // base only
}

// group is the rows of one PC4 in the base.
type group struct {
	lat, lon   float32
	cosLat     float32
	start, end uint32
	maxRadius  uint16
	pc4        uint16
}

type snapshot[X any] struct {
	version uint32
	base    *segment[X]
	delta   *segment[X]
	deltaN  int // rows of the delta that belong to this snapshot
	live    int
	idf     []float32 // profiles: per skill id (see table.refreshIDF)
	idfMax  float32
}

func visible(del *uint32, version uint32) bool {
	d := atomic.LoadUint32(del)
	return d == 0 || d > version
}

// row returns the segment and index of a ref.
func (s *snapshot[X]) row(ref uint32) (*segment[X], int) {
	if ref&refDelta != 0 {
		return s.delta, int(ref &^ refDelta)
	}
	return s.base, int(ref)
}

// id returns a ref's id without copying: the string shares the segment's
// immutable id arena. Clone it before keeping it beyond the query.
func (s *snapshot[X]) id(ref uint32) string {
	seg, i := s.row(ref)
	return seg.id(i)
}

func (seg *segment[X]) id(i int) string {
	var start uint32
	if i > 0 {
		start = seg.idEnd[i-1]
	}
	end := seg.idEnd[i]
	if end == start {
		return ""
	}
	return unsafe.String(&seg.idBuf[start], int(end-start))
}

type table[X any] struct {
	mu         sync.RWMutex // writers: Lock; id lookups: RLock. Scans take no lock.
	cur        atomic.Pointer[snapshot[X]]
	ix         *docIndex // id -> doc
	docRef     []uint32  // doc -> ref of its current row
	version    uint32
	deltaN     int
	deltaTerms int
	deltaIDs   int // bytes of the delta's id arena in use
	live       int
	dead       int
	byRadius   bool
	minDelta   int
	// Document frequencies (profiles): df[skill id] counts live rows holding
	// the skill, kept exact by every write. The published idf table is
	// recomputed from them when the rows written since the last refresh
	// reach max(64, live/10), and on Compact: a function of the write
	// sequence, never of when a background compaction happens to land.
	countDF      bool
	df           []int32
	rowsSinceIDF int
	idf          []float32
	idfMax       float32
	compacting   atomic.Bool
	bgInstalls   int // background compactions installed (tests)
	compactWG    sync.WaitGroup
}

func newTable[X any](byRadius bool, minDelta int, countDF bool) *table[X] {
	t := &table[X]{ix: newDocIndex(), byRadius: byRadius, minDelta: minDelta, countDF: countDF}
	t.mu.Lock()
	t.refreshIDF()
	t.rebuildLocked(nil)
	t.mu.Unlock()
	return t
}

func newDelta[X any](rows, terms, idBytes int) *segment[X] {
	return &segment[X]{
		heads: make([]rowHead, rows), xs: make([]X, rows), del: make([]uint32, rows),
		idEnd: make([]uint32, rows), idBuf: make([]byte, idBytes), docs: make([]uint32, rows),
		terms: make([]uint32, terms),
	}
}

// Delta arena sizes per row.
const (
	deltaTermsPerRow   = 24
	deltaIDBytesPerRow = 16
)

// appendRow writes row n of a delta (not yet published).
func (d *segment[X]) appendRow(n int, h rowHead, x X, id string, doc uint32, terms []uint32, termOff, idOff int) {
	h.termOff = uint32(termOff)
	copy(d.terms[termOff:], terms)
	copy(d.idBuf[idOff:], id)
	d.heads[n], d.xs[n], d.docs[n] = h, x, doc
	d.idEnd[n] = uint32(idOff + len(id))
	d.del[n] = 0
}

func (t *table[X]) snap() *snapshot[X] { return t.cur.Load() }

// lookup returns the snapshot and ref of an id, consistently.
func (t *table[X]) lookup(id string) (*snapshot[X], uint32, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	s := t.cur.Load()
	doc, ok := t.ix.get(id)
	if !ok {
		return s, 0, false
	}
	return s, t.docRef[doc], true
}

// lookupMany resolves ids against one snapshot; unknown ids are skipped.
func (t *table[X]) lookupMany(ids []string) (*snapshot[X], []uint32) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	s := t.cur.Load()
	refs := make([]uint32, 0, len(ids))
	for _, id := range ids {
		if doc, ok := t.ix.get(id); ok {
			refs = append(refs, t.docRef[doc])
		}
	}
	return s, refs
}

func (t *table[X]) counts() int {
	return t.cur.Load().live
}

func (t *table[X]) markDeleted(doc uint32, version uint32) {
	s := t.cur.Load()
	seg, i := s.row(t.docRef[doc])
	atomic.StoreUint32(&seg.del[i], version)
	t.dead++
	h := &seg.heads[i]
	t.countSkills(seg.terms[h.termOff:h.termOff+uint32(h.nA)], -1)
}

func (t *table[X]) publish() {
	old := t.cur.Load()
	t.cur.Store(&snapshot[X]{version: t.version, base: old.base, delta: old.delta, deltaN: t.deltaN,
		live: t.live, idf: t.idf, idfMax: t.idfMax})
}

// upsert applies a batch as one version.
func (t *table[X]) upsert(recs []record[X]) {
	if len(recs) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.cur.Load()
	terms, idBytes := 0, 0
	for i := range recs {
		terms += len(recs[i].terms)
		idBytes += len(recs[i].id)
	}
	if t.deltaN+len(recs) > len(s.delta.heads) || t.deltaTerms+terms > len(s.delta.terms) ||
		t.deltaIDs+idBytes > len(s.delta.idBuf) {
		// It does not fit. A base at least twice the grown delta takes a
		// bigger delta; otherwise the batch is folded into a new base.
		// Either way batch loads cost O(n log n) rows copied in total.
		need := t.deltaN + len(recs)
		if len(s.base.heads) >= 2*need {
			t.growDelta(2*need, 2*(t.deltaTerms+terms), 2*(t.deltaIDs+idBytes))
			s = t.cur.Load()
		} else {
			t.foldLocked(recs)
			return
		}
	}
	t.version++
	d := s.delta
	for i := range recs {
		r := &recs[i]
		doc, ok := t.ix.get(r.id)
		if ok {
			t.markDeleted(doc, t.version)
		} else {
			doc = t.newDoc(r.id)
			t.live++
		}
		n := t.deltaN
		t.countSkills(r.terms[:r.h.nA], 1)
		d.appendRow(n, r.h, r.x, r.id, doc, r.terms, t.deltaTerms, t.deltaIDs)
		t.deltaTerms += len(r.terms)
		t.deltaIDs += len(r.id)
		t.docRef[doc] = uint32(n) | refDelta
		t.deltaN++
	}
	t.maybeRefreshIDF()
	t.publish()
	t.maybeCompact(len(d.heads))
}

// foldLocked folds a batch straight into a new base, as one version.
func (t *table[X]) foldLocked(recs []record[X]) {
	t.version++
	byID := make(map[string]int, len(recs))
	for i := range recs {
		byID[recs[i].id] = i
	}
	keep := make([]record[X], 0, len(byID))
	for i := range recs {
		if byID[recs[i].id] != i {
			continue // a later record of the batch wins
		}
		doc, ok := t.ix.get(recs[i].id)
		if ok {
			t.markDeleted(doc, t.version)
		} else {
			doc = t.newDoc(recs[i].id)
			t.live++
		}
		recs[i].doc = doc
		t.countSkills(recs[i].terms[:recs[i].h.nA], 1)
		keep = append(keep, recs[i])
	}
	t.maybeRefreshIDF()
	t.rebuildLocked(keep)
}

// growDelta moves the live delta rows to a bigger delta and publishes it
// (same version: nothing visible changes). Caller holds t.mu.
func (t *table[X]) growDelta(rows, terms, idBytes int) {
	s := t.cur.Load()
	nd := newDelta[X](rows, max(terms, rows*deltaTermsPerRow), max(idBytes, rows*deltaIDBytesPerRow))
	k, off, idOff := t.copyLive(s.delta, 0, nd)
	t.dead -= t.deltaN - k
	t.deltaN, t.deltaTerms, t.deltaIDs = k, off, idOff
	t.cur.Store(&snapshot[X]{version: t.version, base: s.base, delta: nd, deltaN: k, live: t.live,
		idf: t.idf, idfMax: t.idfMax})
}

// copyLive copies the live rows od[from:t.deltaN] to the empty delta nd and
// points their docs there. Caller holds t.mu.
func (t *table[X]) copyLive(od *segment[X], from int, nd *segment[X]) (rows, terms, idBytes int) {
	for j := from; j < t.deltaN; j++ {
		if atomic.LoadUint32(&od.del[j]) != 0 {
			continue // replaced or deleted: invisible from now on
		}
		h := od.heads[j]
		id := od.id(j)
		nd.appendRow(rows, h, od.xs[j], id, od.docs[j],
			od.terms[h.termOff:h.termOff+h.nTerms()], terms, idBytes)
		terms += int(h.nTerms())
		idBytes += len(id)
		t.docRef[od.docs[j]] = uint32(rows) | refDelta
		rows++
	}
	return rows, terms, idBytes
}

func (t *table[X]) newDoc(id string) uint32 {
	doc := t.ix.add(id)
	for int(doc) >= len(t.docRef) {
		t.docRef = append(t.docRef, 0)
	}
	return doc
}

func (t *table[X]) remove(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	doc, ok := t.ix.get(id)
	if !ok {
		return false
	}
	t.version++
	t.markDeleted(doc, t.version)
	t.ix.remove(id)
	t.live--
	t.maybeRefreshIDF()
	t.publish()
	t.maybeCompact(len(t.cur.Load().delta.heads))
	return true
}

// maybeCompact starts a background compaction when the delta is half full
// or a quarter of the rows held are dead.
func (t *table[X]) maybeCompact(capRows int) {
	if t.deltaN < capRows/2 && t.dead <= t.live/4+t.minDelta {
		return
	}
	if !t.compacting.CompareAndSwap(false, true) {
		return
	}
	t.compactWG.Add(1)
	go func() {
		defer t.compactWG.Done()
		defer t.compacting.Store(false)
		t.compactBackground()
	}()
}

// compactBackground builds a new base from the current snapshot without
// the writer lock and installs it under the lock (a short catch-up), unless
// a synchronous rebuild replaced the segments meanwhile.
func (t *table[X]) compactBackground() {
	s := t.cur.Load()
	bl := t.build(s, s.deltaN, s.version, nil)
	t.mu.Lock()
	defer t.mu.Unlock()
	if cur := t.cur.Load(); cur.base == s.base && cur.delta == s.delta {
		t.install(bl)
		t.bgInstalls++
	}
}

// compactNow rebuilds the base synchronously (tests, after a bulk load).
func (t *table[X]) compactNow() {
	t.compactWG.Wait()
	t.mu.Lock()
	t.refreshIDF()
	t.rebuildLocked(nil)
	t.mu.Unlock()
}

type srcRow struct {
	pc4    uint16
	radius uint16
	ref    uint32 // base index, refDelta|delta index, or refExtra|extra index
}

const refExtra = 1 << 30

// built is a new base made outside the writer lock, waiting to be
// installed.
type built[X any] struct {
	from  *snapshot[X] // the snapshot it was built from (nil: none)
	fromN int          // delta rows of from that were folded in
	b     *segment[X]
	src   []uint32 // per new row: its source ref in from, or refExtra
}

// build makes a new base from the rows of s (the base and the first deltaN
// delta rows) visible at version v, plus extra (docs already assigned). It
// reads only immutable rows and deletion words, so it runs without the
// writer lock.
func (t *table[X]) build(s *snapshot[X], deltaN int, v uint32, extra []record[X]) *built[X] {
	var src []srcRow
	nTerms, nIDs := 0, 0
	if s != nil {
		src = make([]srcRow, 0, len(s.base.heads)+deltaN+len(extra))
		for i := range s.base.heads {
			if d := atomic.LoadUint32(&s.base.del[i]); d == 0 || d > v {
				h := &s.base.heads[i]
				src = append(src, srcRow{h.pc4, h.radius, uint32(i)})
				nTerms += int(h.nTerms())
				nIDs += len(s.base.id(i))
			}
		}
		for i := 0; i < deltaN; i++ {
			if d := atomic.LoadUint32(&s.delta.del[i]); d == 0 || d > v {
				h := &s.delta.heads[i]
				src = append(src, srcRow{h.pc4, h.radius, uint32(i) | refDelta})
				nTerms += int(h.nTerms())
				nIDs += len(s.delta.id(i))
			}
		}
	}
	for i := range extra {
		src = append(src, srcRow{extra[i].h.pc4, extra[i].h.radius, uint32(i) | refExtra})
		nTerms += len(extra[i].terms)
		nIDs += len(extra[i].id)
	}
	// counting sort by PC4, then radius descending within a PC4
	count := make([]uint32, 65537)
	for _, r := range src {
		count[int(r.pc4)+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	sorted := make([]srcRow, len(src))
	for _, r := range src {
		sorted[count[r.pc4]] = r
		count[r.pc4]++
	}
	src = nil
	n := len(sorted)
	b := &segment[X]{
		heads: make([]rowHead, n), xs: make([]X, n), del: make([]uint32, n),
		idEnd: make([]uint32, n), idBuf: make([]byte, 0, nIDs), docs: make([]uint32, n),
		terms: make([]uint32, 0, nTerms),
	}
	refs := make([]uint32, n)
	for g := 0; g < n; {
		e := g + 1
		for e < n && sorted[e].pc4 == sorted[g].pc4 {
			e++
		}
		if t.byRadius && e-g > 1 {
			slices.SortStableFunc(sorted[g:e], func(a, b srcRow) int { return int(b.radius) - int(a.radius) })
		}
		for i := g; i < e; i++ {
			r := sorted[i]
			var terms []uint32
			if r.ref&refExtra != 0 {
				rec := &extra[r.ref&^refExtra]
				b.heads[i], b.xs[i], b.docs[i] = rec.h, rec.x, rec.doc
				b.idBuf = append(b.idBuf, rec.id...)
				terms = rec.terms
				refs[i] = refExtra
			} else {
				seg, j := s.row(r.ref)
				h := seg.heads[j]
				b.heads[i], b.xs[i], b.docs[i] = h, seg.xs[j], seg.docs[j]
				b.idBuf = append(b.idBuf, seg.id(j)...)
				terms = seg.terms[h.termOff : h.termOff+h.nTerms()]
				refs[i] = r.ref
			}
			b.idEnd[i] = uint32(len(b.idBuf))
			b.heads[i].termOff = uint32(len(b.terms))
			b.terms = append(b.terms, terms...)
		}
		h := &b.heads[g]
		b.groups = append(b.groups, group{lat: h.lat, lon: h.lon,
			cosLat: float32(math.Cos(float64(h.lat) * math.Pi / 180)), start: uint32(g), end: uint32(e),
			maxRadius: h.radius, pc4: h.pc4})
		g = e
	}
	b.groups = slices.Clip(b.groups)
	return &built[X]{from: s, fromN: deltaN, b: b, src: refs}
}

// install publishes a built base. Rows deleted since it was built are
// marked in it, delta rows added since move to the new delta, and the doc
// refs follow. Caller holds t.mu, and the table's segments are still those
// of bl.from.
func (t *table[X]) install(bl *built[X]) {
	old, nb := bl.from, bl.b
	dead := 0
	for i, src := range bl.src {
		if src == refExtra {
			t.docRef[nb.docs[i]] = uint32(i)
			continue
		}
		seg, j := old.row(src)
		if d := atomic.LoadUint32(&seg.del[j]); d != 0 {
			nb.del[i] = d // deleted after the build began
			dead++
		} else {
			t.docRef[nb.docs[i]] = uint32(i)
		}
	}
	tail, tailTerms, tailIDs := 0, 0, 0
	if old != nil {
		for j := bl.fromN; j < t.deltaN; j++ {
			tail++
			tailTerms += int(old.delta.heads[j].nTerms())
			tailIDs += len(old.delta.id(j))
		}
	}
	rows := max(t.minDelta, len(nb.heads)/16, 2*tail)
	nd := newDelta[X](rows, max(rows*deltaTermsPerRow, 2*tailTerms), max(rows*deltaIDBytesPerRow, 2*tailIDs))
	k, off, idOff := 0, 0, 0
	if old != nil {
		k, off, idOff = t.copyLive(old.delta, bl.fromN, nd)
	}
	t.deltaN, t.deltaTerms, t.deltaIDs, t.dead = k, off, idOff, dead
	t.cur.Store(&snapshot[X]{version: t.version, base: nb, delta: nd, deltaN: k, live: t.live,
		idf: t.idf, idfMax: t.idfMax})
}

// rebuildLocked builds and installs a new base from the live rows plus
// extra while holding the writer lock (bulk loads, a full delta).
func (t *table[X]) rebuildLocked(extra []record[X]) {
	t.install(t.build(t.cur.Load(), t.deltaN, t.version, extra))
}

// countSkills adds sign to the document frequency of each skill of a
// profile row (its first nA terms). Caller holds t.mu.
func (t *table[X]) countSkills(skills []uint32, sign int32) {
	if !t.countDF {
		return
	}
	for _, id := range skills {
		if id >= idUnknownVacancy {
			continue
		}
		for int(id) >= len(t.df) {
			t.df = append(t.df, 0)
		}
		t.df[id] += sign
	}
	t.rowsSinceIDF++
}

// maybeRefreshIDF recomputes the idf table when enough rows changed.
func (t *table[X]) maybeRefreshIDF() {
	if t.countDF && t.rowsSinceIDF >= max(64, t.live/10) {
		t.refreshIDF()
	}
}

// refreshIDF recomputes idf(s) = 1 + ln((1+N)/(1+df(s))) over the N live
// rows; the next published snapshot carries it. Caller holds t.mu.
func (t *table[X]) refreshIDF() {
	if !t.countDF {
		return
	}
	n := float64(t.live)
	idf := make([]float32, len(t.df))
	for i, d := range t.df {
		idf[i] = float32(1 + math.Log((1+n)/(1+float64(d))))
	}
	t.idf, t.idfMax, t.rowsSinceIDF = idf, float32(1+math.Log(1+n)), 0
}
