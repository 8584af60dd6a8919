package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/cache"
	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/matcher"
	"github.com/werkmatch/werkmatch/taxonomy"
)

// long reports whether the full-length crash and soak runs are asked for.
func long() bool { return os.Getenv("WERKMATCH_LONG") == "1" }

// Key secrets: long and distinctive, so that a log scan finds any leak.
const (
	secretIngest    = "rel-ingest-5b1f0c2e9d7a4e3f8a6b"
	secretIngestAms = "rel-ingest-amsterdam-c3d9e8f7a6b5"
	secretAMAll     = "rel-am-all-0d9c8b7a6f5e4d3c2b1a"
	secretAMAmst    = "rel-am-amsterdam-77e1c9a0b3d2f4e6"
	secretAMRdam    = "rel-am-rotterdam-1a2b3c4d5e6f7081"
	secretEmployerA = "rel-employer-a-93f0e1d2c3b4a596"
	secretEmployerB = "rel-employer-b-6c5d4e3f2a1b0c9d"
	secretAdmin     = "rel-admin-2f4e6d8c0b1a3957e8d6"
	secretUnknown   = "rel-unknown-00112233445566778899"

	amsterdam = "0363"
	rotterdam = "0599"
	employerA = "rel-emp-a"
	employerB = "rel-emp-b"
)

// allSecrets are the secrets a log must never contain.
var allSecrets = []string{secretIngest, secretIngestAms, secretAMAll, secretAMAmst, secretAMRdam, secretEmployerA, secretEmployerB, secretAdmin, secretUnknown}

func keyEntries() []api.Key {
	return []api.Key{
		{KeySHA256: api.HashKey(secretIngest), Role: api.RoleIngest, Name: "ingest"},
		{KeySHA256: api.HashKey(secretIngestAms), Role: api.RoleIngest, Regions: []string{amsterdam}, Name: "ingest-amsterdam"},
		{KeySHA256: api.HashKey(secretAMAll), Role: api.RoleAccountmanager, Name: "am-all"},
		{KeySHA256: api.HashKey(secretAMAmst), Role: api.RoleAccountmanager, Regions: []string{amsterdam}, Name: "am-amsterdam"},
		{KeySHA256: api.HashKey(secretAMRdam), Role: api.RoleAccountmanager, Regions: []string{rotterdam}, Name: "am-rotterdam"},
		{KeySHA256: api.HashKey(secretEmployerA), Role: api.RoleEmployer, EmployerID: employerA, Name: "employer-a"},
		{KeySHA256: api.HashKey(secretEmployerB), Role: api.RoleEmployer, EmployerID: employerB, Name: "employer-b"},
		{KeySHA256: api.HashKey(secretAdmin), Role: api.RoleAdmin, Name: "admin"},
	}
}

func testKeys(t testing.TB) *api.Keys {
	t.Helper()
	ks, err := api.NewKeys(keyEntries())
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

// lockedBuffer collects log output from many goroutines. With max > 0 it
// keeps only the first max bytes (a long run must not grow the heap it
// measures) and scans the rest for key material, which String then
// reports as it was found.
type lockedBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	max   int
	leaks []string
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max <= 0 || l.b.Len()+len(p) <= l.max {
		return l.b.Write(p)
	}
	s := strings.ToLower(string(p))
	for _, sec := range allSecrets {
		if strings.Contains(s, strings.ToLower(sec)) || strings.Contains(s, api.HashKey(sec)) {
			l.leaks = append(l.leaks, "leaked: "+sec)
		}
	}
	if strings.Contains(s, "bearer ") {
		l.leaks = append(l.leaks, "leaked: bearer ...")
	}
	return len(p), nil
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String() + strings.Join(l.leaks, "\n")
}

// serverOptions tune startServer.
type serverOptions struct {
	cache     matcher.ResultCache // nil: cache.Memory
	faultHook func() error
	dir       string // "": a fresh temporary directory
	// limits are the per-role rate limits; nil: none
	limits map[string]cache.Limit
	// logCap bounds the log bytes kept (the rest is only scanned for
	// keys); 0 keeps everything
	logCap int
}

// testServer is the real stack (index on disk, core, cache, api) behind a
// loopback listener.
type testServer struct {
	t      testing.TB
	url    string
	ix     *index.Index
	engine *matcher.Engine
	srv    *api.Server
	hs     *httptest.Server
	logs   *lockedBuffer
	client *http.Client
	loc    *geo.Table
	tax    *taxonomy.Taxonomy
	cache  matcher.ResultCache
}

// geoTable is the PC4 table serve uses without --pc4.
func geoTable() *geo.Table { return geo.New() }

var (
	taxOnce sync.Once
	taxVal  *taxonomy.Taxonomy
)

func builtinTaxonomy() *taxonomy.Taxonomy {
	taxOnce.Do(func() { taxVal = taxonomy.Builtin() })
	return taxVal
}

func startServer(t testing.TB, o serverOptions) *testServer {
	t.Helper()
	loc := geo.New()
	tax := builtinTaxonomy()
	dir := o.dir
	if dir == "" {
		dir = t.TempDir()
	}
	logs := &lockedBuffer{max: o.logCap}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ix, err := index.Open(dir, index.Options{Locator: loc, Synonyms: tax.SynonymSets(), FaultHook: o.faultHook, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	eng := matcher.NewEngine(matcher.EngineOptions{Locator: loc, Taxonomy: tax, Workers: 1})
	if err := eng.Load(context.Background(), ix, 0, nil); err != nil {
		t.Fatal(err)
	}
	rc := o.cache
	if rc == nil {
		rc = cache.NewMemory(0)
	}
	limits := o.limits
	if limits == nil {
		// no rate limits: the tests measure the server, not the limiter
		limits = map[string]cache.Limit{api.RoleIngest: {}, api.RoleAccountmanager: {}, api.RoleEmployer: {}}
	}
	srv := api.New(api.Config{
		Store: ix, Searcher: ix, Engine: eng, Cache: rc, Taxonomy: tax, Keys: testKeys(t), Logger: log,
		RateLimits: limits,
	})
	hs := httptest.NewServer(srv)
	ts := &testServer{t: t, url: hs.URL, ix: ix, engine: eng, srv: srv, hs: hs, logs: logs, loc: loc, tax: tax, cache: rc,
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	t.Cleanup(func() {
		hs.Close()
		ts.client.CloseIdleConnections()
		_ = ix.Close()
	})
	return ts
}

// response is one HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
	took   time.Duration
}

func (r *response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object (%d): %v: %.300s", r.status, err, r.body)
	}
	return m
}

// call sends a request to base+path. body may be nil, a string, []byte or
// a value to marshal; JSON bodies get Content-Type application/json.
func call(t testing.TB, c *http.Client, base, method, path, secret string, body any) *response {
	t.Helper()
	r, err := tryCall(c, base, method, path, secret, body, nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

func tryCall(c *http.Client, base, method, path, secret string, body any, hdr http.Header) (*response, error) {
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			return nil, err
		}
	}
	var rd io.Reader
	if raw != nil {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		return nil, err
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: b, took: time.Since(start)}, nil
}

func (s *testServer) do(method, path, secret string, body any) *response {
	s.t.Helper()
	return call(s.t, s.client, s.url, method, path, secret, body)
}

// mustStatus fails unless r has the status; an error status must come as
// problem+json with that status.
func mustStatus(t testing.TB, what string, r *response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("%s: status %d, want %d: %.400s", what, r.status, want, r.body)
	}
	checkProblem(t, what, r)
}

// checkProblem checks that an error answer is a well-formed problem.
func checkProblem(t testing.TB, what string, r *response) {
	t.Helper()
	if r.status < 400 {
		return
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, api.ProblemContentType) {
		t.Errorf("%s: %d with Content-Type %q, want %s", what, r.status, ct, api.ProblemContentType)
		return
	}
	var p api.Problem
	if err := json.Unmarshal(r.body, &p); err != nil || p.Status != r.status || p.Title == "" || p.Type == "" {
		t.Errorf("%s: %d is not a problem for its status: %.300s", what, r.status, r.body)
	}
}

// ids returns the profile_id or vacancy_id (or id for search hits) of each
// result of a match or search answer.
func ids(t testing.TB, r *response) []string {
	t.Helper()
	var a struct {
		Results []struct {
			ProfileID string `json:"profile_id"`
			VacancyID string `json:"vacancy_id"`
			ID        string `json:"id"`
		} `json:"results"`
	}
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatalf("not a results answer: %v: %.300s", err, r.body)
	}
	out := make([]string, 0, len(a.Results))
	for _, x := range a.Results {
		out = append(out, x.ProfileID+x.VacancyID+x.ID)
	}
	return out
}

// cached reports the "cached" flag of a match answer.
func cached(t testing.TB, r *response) bool {
	t.Helper()
	var a struct {
		Cached bool `json:"cached"`
	}
	if err := json.Unmarshal(r.body, &a); err != nil {
		t.Fatalf("not a match answer: %v", err)
	}
	return a.Cached
}

// Fixtures. Amsterdam profiles live in PC4 10xx, Rotterdam ones in 30xx;
// all travel far enough to reach the other city, so that regions, not
// distance, decide who sees whom.

func profileAt(id, muni string, pc4 int) *matcher.Profile {
	return &matcher.Profile{ID: id, Municipality: muni, Postcode4: pc4, MaxTravelKm: 120,
		DesiredOccupations: []string{"orderpicker"}, Skills: []string{"orderpicken", "heftruck rijden"},
		Branches: []string{"Logistiek"}, HoursMin: 16, HoursMax: 38, EducationLevel: "mbo2",
		DutchLevel: "B1", DrivingLicences: []string{"B"}, Perspectief: "werken",
		OpenToOpenHiring: true, Banenafspraak: false, MaxPhysicalLoad: "heavy",
		Summary: "Werkt graag buiten en in een team.", RegisteredAt: "2024-03-01"}
}

func vacancyOf(id, employer string, pc4 int) *matcher.Vacancy {
	return &matcher.Vacancy{ID: id, EmployerID: employer, Title: "Orderpicker magazijn", Occupation: "orderpicker",
		Branch: "Logistiek", Postcode4: pc4, HoursMin: 20, HoursMax: 32,
		RequiredSkills: []string{"orderpicken"}, PreferredSkills: []string{"heftruck rijden"},
		EducationLevelMin: "vmbo", DutchLevelMin: "A2", PhysicalLoad: "medium",
		Positions: 2, Status: "open", Description: "Dagdienst in een warm team."}
}

func (s *testServer) putProfile(p *matcher.Profile) {
	s.t.Helper()
	r := s.do("PUT", "/v1/profiles/"+p.ID, secretIngest, p)
	if r.status != 200 && r.status != 201 {
		s.t.Fatalf("put profile %s: %d %.300s", p.ID, r.status, r.body)
	}
}

func (s *testServer) putVacancy(v *matcher.Vacancy) {
	s.t.Helper()
	r := s.do("PUT", "/v1/vacancies/"+v.ID, secretAMAll, v)
	if r.status != 200 && r.status != 201 {
		s.t.Fatalf("put vacancy %s: %d %.300s", v.ID, r.status, r.body)
	}
}

func fmtIDs(ids []string) string { return fmt.Sprintf("%d ids %v", len(ids), ids) }
