package api

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/werkmatch/werkmatch/matcher"
)

// Roles of an API key.
const (
	RoleIngest         = "ingest"         // the municipality's feed: profile upserts and deletes
	RoleAccountmanager = "accountmanager" // WSP accountmanager: profiles of its regions, every vacancy
	RoleEmployer       = "employer"       // one employer: its own vacancies and their matches
	RoleAdmin          = "admin"          // may do everything
)

// Roles lists every role.
var Roles = []string{RoleIngest, RoleAccountmanager, RoleEmployer, RoleAdmin}

// Key is one entry of the keys file: the SHA-256 of the secret (hex), the
// role, and for an employer its employer id; regions (CBS municipality
// codes) restrict an accountmanager or ingest key to those municipalities'
// profiles, empty means all.
type Key struct {
	KeySHA256  string   `json:"key_sha256"`
	Role       string   `json:"role"`
	EmployerID string   `json:"employer_id,omitempty"`
	Regions    []string `json:"regions,omitempty"`
	// Name is an optional label for logs (never the key itself).
	Name string `json:"name,omitempty"`

	sum [sha256.Size]byte
	// principal is what lookup answers for this key, built once (its
	// Regions sorted and shared read-only by every request).
	principal Principal
}

// Principal is the authenticated caller of a request.
type Principal struct {
	Role       string
	EmployerID string
	Regions    []string // nil = all
	Name       string
	// limitKey identifies the key for rate limiting without the secret.
	limitKey string
	// keyID is the key's fingerprint in the audit log: the first
	// keyIDLen hex digits of its SHA-256.
	keyID string
	// regionsKey is the cache-key part of Regions (see matches.go).
	regionsKey string
}

// is reports whether the principal may act as one of roles; admin may act
// as every role.
func (p *Principal) is(roles ...string) bool {
	return p.Role == RoleAdmin || slices.Contains(roles, p.Role)
}

// inRegions reports whether a profile of municipality m is visible.
func (p *Principal) inRegions(m string) bool {
	return len(p.Regions) == 0 || slices.Contains(p.Regions, m)
}

// Keys is a set of API keys, looked up by the SHA-256 of the presented
// secret with a constant-time comparison against every entry.
type Keys struct {
	keys []Key
}

// HashKey returns the hex SHA-256 of a secret, as the keys file holds it.
func HashKey(secret string) string {
	s := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(s[:])
}

// NewKeys checks the entries and returns the key set.
func NewKeys(entries []Key) (*Keys, error) {
	ks := &Keys{}
	seen := map[string]bool{}
	for i, k := range entries {
		where := fmt.Sprintf("key %d", i)
		if k.Name != "" {
			where += " (" + k.Name + ")"
		}
		h := strings.ToLower(strings.TrimSpace(k.KeySHA256))
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("%s: key_sha256 must be 64 hex digits", where)
		}
		if seen[h] {
			return nil, fmt.Errorf("%s: duplicate key_sha256", where)
		}
		seen[h] = true
		if !slices.Contains(Roles, k.Role) {
			return nil, fmt.Errorf("%s: role must be one of %v", where, Roles)
		}
		if k.Role == RoleEmployer {
			if !matcher.ValidID(k.EmployerID) {
				return nil, fmt.Errorf("%s: an employer key needs a valid employer_id", where)
			}
		} else if k.EmployerID != "" {
			return nil, fmt.Errorf("%s: employer_id is only for employer keys", where)
		}
		if k.Regions != nil && len(k.Regions) == 0 {
			return nil, fmt.Errorf("%s: regions is empty; leave it out for every region, or list the municipalities", where)
		}
		for _, r := range k.Regions {
			if len(r) != 4 || strings.Trim(r, "0123456789") != "" {
				return nil, fmt.Errorf("%s: regions must be four-digit CBS municipality codes", where)
			}
		}
		if len(k.Regions) > 0 && k.Role != RoleAccountmanager && k.Role != RoleIngest {
			return nil, fmt.Errorf("%s: regions are only for accountmanager and ingest keys", where)
		}
		k.KeySHA256 = h
		copy(k.sum[:], b)
		k.principal = newPrincipal(&k)
		ks.keys = append(ks.keys, k)
	}
	return ks, nil
}

// LoadKeys reads a keys file: a JSON array of Key.
func LoadKeys(path string) (*Keys, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("keys file: %w", err)
	}
	// Unknown fields are an error: a misspelt "regions" must not
	// silently give a key every region.
	var entries []Key
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&entries); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := 1 + bytes.Count(raw[:min(int(se.Offset), len(raw))], []byte("\n"))
			return nil, fmt.Errorf("keys file %s, line %d: %w", path, line, err)
		}
		return nil, fmt.Errorf("keys file %s: %w", path, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("keys file %s: unexpected data after the JSON array", path)
	}
	ks, err := NewKeys(entries)
	if err != nil {
		return nil, fmt.Errorf("keys file %s: %w", path, err)
	}
	return ks, nil
}

// Demo keys: fixed secrets accepted only in demo mode (serve --demo).
const (
	DemoIngest         = "demo-ingest"
	DemoAccountmanager = "demo-accountmanager"
	DemoEmployerA      = "demo-employer-a"
	DemoEmployerB      = "demo-employer-b"
	DemoAdmin          = "demo-admin"
)

// DemoKeyEntries returns the demo keys: the secret is the name, and the
// two employer keys own the employer ids demo-employer-a and
// demo-employer-b.
func DemoKeyEntries() []Key {
	return []Key{
		{KeySHA256: HashKey(DemoIngest), Role: RoleIngest, Name: DemoIngest},
		{KeySHA256: HashKey(DemoAccountmanager), Role: RoleAccountmanager, Name: DemoAccountmanager},
		{KeySHA256: HashKey(DemoEmployerA), Role: RoleEmployer, EmployerID: "demo-employer-a", Name: DemoEmployerA},
		{KeySHA256: HashKey(DemoEmployerB), Role: RoleEmployer, EmployerID: "demo-employer-b", Name: DemoEmployerB},
		{KeySHA256: HashKey(DemoAdmin), Role: RoleAdmin, Name: DemoAdmin},
	}
}

// Merge returns a key set holding the keys of a and b; an entry of b with
// a hash already in a is an error.
func Merge(a, b *Keys) (*Keys, error) {
	var all []Key
	if a != nil {
		all = append(all, a.keys...)
	}
	if b != nil {
		all = append(all, b.keys...)
	}
	return NewKeys(all)
}

// Len is the number of keys.
func (ks *Keys) Len() int {
	if ks == nil {
		return 0
	}
	return len(ks.keys)
}

var errNoKey = errors.New("no key")

// lookup finds the key of a presented secret. Every entry is compared in
// constant time, and the loop does not stop at a match, so the time taken
// does not depend on which entry (if any) matched.
func (ks *Keys) lookup(secret string) (*Principal, error) {
	if ks == nil || secret == "" {
		return nil, errNoKey
	}
	sum := sha256.Sum256([]byte(secret))
	found := -1
	for i := range ks.keys {
		if subtle.ConstantTimeCompare(sum[:], ks.keys[i].sum[:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return nil, errNoKey
	}
	p := ks.keys[found].principal
	return &p, nil
}

// newPrincipal is the principal of a key: its regions sorted, nil for
// all.
func newPrincipal(k *Key) Principal {
	p := Principal{Role: k.Role, EmployerID: k.EmployerID, Name: k.Name, limitKey: k.KeySHA256[:32], keyID: k.KeySHA256[:keyIDLen], regionsKey: "r=*"}
	if len(k.Regions) > 0 {
		p.Regions = slices.Clone(k.Regions)
		slices.Sort(p.Regions)
		p.regionsKey = "r=" + strings.Join(p.Regions, ",")
	}
	return p
}
