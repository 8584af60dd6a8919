package matcher

import "hash/maphash"

// docIndex maps ids to dense doc numbers without a Go string per id: the
// ids live in one byte arena and an open-addressing table (linear probing,
// backward-shift deletion) holds doc+1 per slot, so the garbage collector
// has nothing to trace per id. Writers use it under the table's lock,
// lookups under its read lock.
type docIndex struct {
	seed    maphash.Seed
	slots   []uint32 // doc+1; 0 = empty
	n       int
	buf     []byte   // id bytes
	off     []uint32 // per doc: start in buf
	ln      []uint16 // per doc: id length
	free    []uint32 // docs to reuse
	garbage int      // bytes of buf no doc uses
}

// minIDGarbage is the least garbage worth compacting the id arena for.
var minIDGarbage = 1 << 20

func newDocIndex() *docIndex {
	return &docIndex{seed: maphash.MakeSeed(), slots: make([]uint32, 1024)}
}

func (x *docIndex) idOf(doc uint32) []byte {
	o := x.off[doc]
	return x.buf[o : o+uint32(x.ln[doc])]
}

func (x *docIndex) home(h uint64) int { return int(h & uint64(len(x.slots)-1)) }

// find returns the doc of id, or the empty slot where it would go.
func (x *docIndex) find(id string) (doc uint32, pos int, ok bool) {
	mask := len(x.slots) - 1
	p := x.home(maphash.String(x.seed, id))
	for {
		s := x.slots[p]
		if s == 0 {
			return 0, p, false
		}
		if string(x.idOf(s-1)) == id {
			return s - 1, p, true
		}
		p = (p + 1) & mask
	}
}

func (x *docIndex) get(id string) (uint32, bool) {
	d, _, ok := x.find(id)
	return d, ok
}

// add gives a new doc to an id that is not in the index.
func (x *docIndex) add(id string) uint32 {
	if len(id) > 0xFFFF {
		id = id[:0xFFFF] // ids are validated to 64 bytes; never reached
	}
	if 2*(x.n+1) > len(x.slots) {
		x.resize(2 * len(x.slots))
	}
	var doc uint32
	if k := len(x.free); k > 0 {
		doc = x.free[k-1]
		x.free = x.free[:k-1]
		x.off[doc], x.ln[doc] = uint32(len(x.buf)), uint16(len(id))
	} else {
		doc = uint32(len(x.off))
		x.off = append(x.off, uint32(len(x.buf)))
		x.ln = append(x.ln, uint16(len(id)))
	}
	x.buf = append(x.buf, id...)
	_, p, _ := x.find(id)
	x.slots[p] = doc + 1
	x.n++
	return doc
}

// remove deletes id and returns its doc, which add may hand out again.
func (x *docIndex) remove(id string) (uint32, bool) {
	doc, i, ok := x.find(id)
	if !ok {
		return 0, false
	}
	mask := len(x.slots) - 1
	x.slots[i] = 0
	for j := (i + 1) & mask; x.slots[j] != 0; j = (j + 1) & mask {
		k := x.home(maphash.Bytes(x.seed, x.idOf(x.slots[j]-1)))
		// slots[j] may move back to i unless its home lies in (i, j] cyclically
		inRange := (i < j && i < k && k <= j) || (i > j && (i < k || k <= j))
		if !inRange {
			x.slots[i], x.slots[j] = x.slots[j], 0
			i = j
		}
	}
	x.n--
	x.free = append(x.free, doc)
	x.garbage += int(x.ln[doc])
	if x.garbage > minIDGarbage && 2*x.garbage > len(x.buf) {
		x.compactBuf()
	}
	return doc, true
}

func (x *docIndex) resize(size int) {
	old := x.slots
	x.slots = make([]uint32, size)
	mask := size - 1
	for _, s := range old {
		if s == 0 {
			continue
		}
		p := x.home(maphash.Bytes(x.seed, x.idOf(s-1)))
		for x.slots[p] != 0 {
			p = (p + 1) & mask
		}
		x.slots[p] = s
	}
}

// compactBuf drops the bytes of removed ids.
func (x *docIndex) compactBuf() {
	nb := make([]byte, 0, len(x.buf)-x.garbage)
	for _, s := range x.slots {
		if s == 0 {
			continue
		}
		id := x.idOf(s - 1)
		x.off[s-1] = uint32(len(nb))
		nb = append(nb, id...)
	}
	x.buf, x.garbage = nb, 0
}
