package cache

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/golang/snappy"
	"github.com/werkmatch/werkmatch/matcher"
)

// Encoding of a MatchResult in Redis: one version byte, then the fields in
// declaration order (uvarint lengths and counts, zigzag varint ints, 8-byte
// little-endian floats, strings as length + bytes, a slice as length+1 so
// that nil and empty stay apart), the whole after the version byte
// compressed with snappy (ESCO URIs repeat a lot). A result of an unknown
// version or that fails to decode is a miss, so changing the format only
// needs a new version byte. TestCodecCoversEveryField fails when a field is
// added to MatchResult and not here.
const codecVersion = 1

var errCorrupt = errors.New("cache: corrupt entry")

// encodeResult appends the encoding of res to dst.
func encodeResult(dst []byte, res *matcher.MatchResult) []byte {
	raw := make([]byte, 0, 256+len(res.Results)*256)
	if res.Results == nil {
		raw = append(raw, 0)
	} else {
		raw = binary.AppendUvarint(raw, uint64(len(res.Results))+1)
	}
	for i := range res.Results {
		m := &res.Results[i]
		raw = appendString(raw, m.ProfileID)
		raw = appendString(raw, m.VacancyID)
		raw = appendFloat(raw, m.Score)
		e := &m.Explanation
		raw = appendStrings(raw, e.MatchedSkills)
		raw = appendStrings(raw, e.PartialSkills)
		raw = appendStrings(raw, e.MissingSkills)
		raw = appendStrings(raw, e.MatchedPreferred)
		raw = appendString(raw, e.Occupation)
		raw = appendFloat(raw, e.DistanceKm)
		raw = binary.AppendVarint(raw, int64(e.HoursOverlap))
		raw = appendComponents(raw, &e.Components)
		raw = appendComponents(raw, &e.Contributions)
		if e.OpenHiring == nil {
			raw = append(raw, 0)
		} else {
			raw = append(raw, 1)
			raw = appendBool(raw, e.OpenHiring.OptedIn)
			raw = appendString(raw, e.OpenHiring.RegisteredAt)
		}
	}
	w := res.Weights
	raw = appendComponents(raw, &matcher.Components{Skills: w.Skills, Occupation: w.Occupation, Branch: w.Branch,
		Hours: w.Hours, Distance: w.Distance, Language: w.Language, Education: w.Education})
	raw = appendBool(raw, res.OpenHiring)
	raw = binary.AppendVarint(raw, int64(res.Considered))
	raw = binary.AppendVarint(raw, int64(res.Scored))
	raw = appendStrings(raw, res.Unrecognised)

	dst = append(dst, codecVersion)
	n := len(dst)
	dst = append(dst, make([]byte, snappy.MaxEncodedLen(len(raw)))...)
	enc := snappy.Encode(dst[n:], raw)
	return dst[:n+len(enc)]
}

// decodeResult decodes what encodeResult wrote.
func decodeResult(b []byte) (*matcher.MatchResult, error) {
	if len(b) < 1 || b[0] != codecVersion {
		return nil, errCorrupt
	}
	raw, err := snappy.Decode(nil, b[1:])
	if err != nil {
		return nil, errCorrupt
	}
	// One string holds every decoded string: a few allocations per result
	// instead of one per skill.
	d := decoder{b: raw, s: string(raw)}
	res := &matcher.MatchResult{}
	if n := d.uvarint(); n > 0 {
		// A match takes well over 64 bytes: this bounds a corrupt count.
		if n-1 > uint64(len(raw)/64) {
			return nil, errCorrupt
		}
		res.Results = make([]matcher.Match, n-1)
	}
	n := len(res.Results)
	for i := 0; i < n && d.err == nil; i++ {
		m := &res.Results[i]
		m.ProfileID = d.string()
		m.VacancyID = d.string()
		m.Score = d.float()
		e := &m.Explanation
		e.MatchedSkills = d.strings()
		e.PartialSkills = d.strings()
		e.MissingSkills = d.strings()
		e.MatchedPreferred = d.strings()
		e.Occupation = d.string()
		e.DistanceKm = d.float()
		e.HoursOverlap = int(d.varint())
		d.components(&e.Components)
		d.components(&e.Contributions)
		if d.byte() == 1 {
			e.OpenHiring = &matcher.OpenHiring{OptedIn: d.bool(), RegisteredAt: d.string()}
		}
	}
	var w matcher.Components
	d.components(&w)
	res.Weights = matcher.Weights{Skills: w.Skills, Occupation: w.Occupation, Branch: w.Branch,
		Hours: w.Hours, Distance: w.Distance, Language: w.Language, Education: w.Education}
	res.OpenHiring = d.bool()
	res.Considered = int(d.varint())
	res.Scored = int(d.varint())
	res.Unrecognised = d.strings()
	if d.err != nil || d.off != len(d.b) {
		return nil, errCorrupt
	}
	return res, nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(ss))+1)
	for _, s := range ss {
		b = appendString(b, s)
	}
	return b
}

func appendFloat(b []byte, f float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendComponents(b []byte, c *matcher.Components) []byte {
	for _, f := range [...]float64{c.Skills, c.Occupation, c.Branch, c.Hours, c.Distance, c.Language, c.Education} {
		b = appendFloat(b, f)
	}
	return b
}

// decoder reads what the append functions wrote; the first error sticks
// and every later read returns a zero value. s holds the same bytes as b.
type decoder struct {
	b   []byte
	s   string
	off int
	err error
}

func (d *decoder) fail() { d.err = errCorrupt; d.off = len(d.b) }

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b[d.off:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.off += n
	return v
}

func (d *decoder) left() int { return len(d.b) - d.off }

func (d *decoder) byte() byte {
	if d.err != nil || d.left() < 1 {
		d.fail()
		return 0
	}
	c := d.b[d.off]
	d.off++
	return c
}

func (d *decoder) bool() bool { return d.byte() == 1 }

func (d *decoder) float() float64 {
	if d.err != nil || d.left() < 8 {
		d.fail()
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.b[d.off:]))
	d.off += 8
	// The core never produces NaN or infinities (and JSON cannot carry
	// them), so an entry holding one is corrupt.
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.fail()
		return 0
	}
	return f
}

func (d *decoder) string() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(d.left()) {
		d.fail()
		return ""
	}
	s := d.s[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}

func (d *decoder) strings() []string {
	n := d.uvarint()
	if d.err != nil || n == 0 {
		return nil
	}
	n--
	if n > uint64(d.left()) { // each string takes at least one byte
		d.fail()
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.string()
	}
	return ss
}

func (d *decoder) components(c *matcher.Components) {
	c.Skills = d.float()
	c.Occupation = d.float()
	c.Branch = d.float()
	c.Hours = d.float()
	c.Distance = d.float()
	c.Language = d.float()
	c.Education = d.float()
}
