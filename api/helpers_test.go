package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/cache"
	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/internal/syncbuf"
	"github.com/werkmatch/werkmatch/matcher"
	"github.com/werkmatch/werkmatch/taxonomy"
)

// Test keys: the secret is the name.
const (
	kIngest       = "k-ingest"
	kIngestAdam   = "k-ingest-amsterdam"
	kAM           = "k-am"
	kAMAdam       = "k-am-amsterdam"
	kEmployerA    = "k-employer-a"
	kEmployerB    = "k-employer-b"
	kAdmin        = "k-admin"
	amsterdam     = "0363"
	rotterdam     = "0599"
	employerA     = "emp-a"
	employerB     = "emp-b"
	testRateLimit = 1000000
)

func testKeys(t testing.TB) *api.Keys {
	ks, err := api.NewKeys([]api.Key{
		{KeySHA256: api.HashKey(kIngest), Role: api.RoleIngest},
		{KeySHA256: api.HashKey(kIngestAdam), Role: api.RoleIngest, Regions: []string{amsterdam}},
		{KeySHA256: api.HashKey(kAM), Role: api.RoleAccountmanager},
		{KeySHA256: api.HashKey(kAMAdam), Role: api.RoleAccountmanager, Regions: []string{amsterdam}},
		{KeySHA256: api.HashKey(kEmployerA), Role: api.RoleEmployer, EmployerID: employerA},
		{KeySHA256: api.HashKey(kEmployerB), Role: api.RoleEmployer, EmployerID: employerB},
		{KeySHA256: api.HashKey(kAdmin), Role: api.RoleAdmin},
	})
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

// env is a server on a real index in a temporary directory, a real core
// and (unless given) an in-process cache.
type env struct {
	t      testing.TB
	srv    *api.Server
	ix     *index.Index
	engine *matcher.Engine
	cache  matcher.ResultCache
	logs   *syncbuf.Buffer
}

func newEnv(t testing.TB, mod func(*api.Config)) *env {
	t.Helper()
	loc := geo.New()
	tax := taxonomy.Builtin()
	ix, err := index.Open(t.TempDir(), index.Options{Locator: loc, Synonyms: tax.SynonymSets()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	eng := matcher.NewEngine(matcher.EngineOptions{Locator: loc, Taxonomy: tax, Workers: 1})
	logs := &syncbuf.Buffer{}
	cfg := api.Config{
		Store: ix, Searcher: ix, Engine: eng, Taxonomy: tax, Keys: testKeys(t),
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		RateLimits: map[string]cache.Limit{
			api.RoleIngest: {}, api.RoleAccountmanager: {}, api.RoleEmployer: {},
		},
	}
	if mod != nil {
		mod(&cfg)
	}
	if cfg.Cache == nil {
		cfg.Cache = cache.NewMemory(0)
	}
	return &env{t: t, srv: api.New(cfg), ix: ix, engine: eng, cache: cfg.Cache, logs: logs}
}

// req is one request; body may be a string, []byte or a value to marshal.
type req struct {
	method, path, key string
	body              any
	ctype             string // default application/json when there is a body
	header            map[string]string
}

func (e *env) do(r req) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	var raw []byte
	switch b := r.body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.t.Fatal(err)
		}
	}
	if raw != nil {
		body = bytes.NewReader(raw)
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	if raw != nil {
		ct := r.ctype
		if ct == "" {
			ct = "application/json"
		}
		if ct != "-" {
			hr.Header.Set("Content-Type", ct)
		}
	}
	if r.key != "" {
		hr.Header.Set("Authorization", "Bearer "+r.key)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, hr)
	if rec.Header().Get("X-Request-ID") == "" {
		e.t.Errorf("%s %s: no X-Request-ID on the response", r.method, r.path)
	}
	return rec
}

// want checks the status; on a 4xx/5xx it also checks the problem+json.
func want(t testing.TB, rec *httptest.ResponseRecorder, status int) map[string]any {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body: %s", rec.Code, status, truncate(rec.Body.String()))
	}
	if rec.Code == http.StatusNoContent {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, truncate(rec.Body.String()))
	}
	if status >= 400 {
		if ct := rec.Header().Get("Content-Type"); ct != api.ProblemContentType {
			t.Fatalf("Content-Type %q on a %d, want %s", ct, status, api.ProblemContentType)
		}
		if m["status"] != float64(status) || m["title"] == "" || !strings.HasPrefix(fmt.Sprint(m["type"]), "https://") {
			t.Fatalf("not a problem for %d: %s", status, rec.Body.String())
		}
	} else if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want application/json", ct)
	}
	return m
}

func truncate(s string) string {
	if len(s) > 600 {
		return s[:600] + "..."
	}
	return s
}

// fieldsOf returns the field names of a problem's errors.
func fieldsOf(m map[string]any) []string {
	var out []string
	errs, _ := m["errors"].([]any)
	for _, e := range errs {
		f, _ := e.(map[string]any)
		out = append(out, fmt.Sprint(f["field"]))
	}
	return out
}

func profile(id, muni string, pc4 int) *matcher.Profile {
	return &matcher.Profile{ID: id, Municipality: muni, Postcode4: pc4, MaxTravelKm: 30,
		DesiredOccupations: []string{"orderpicker"}, Skills: []string{"orderpicken", "heftruck rijden"},
		Branches: []string{"Logistiek"}, HoursMin: 20, HoursMax: 32, EducationLevel: "mbo2",
		DutchLevel: "B1", DrivingLicences: []string{"B"}, Perspectief: "werken",
		OpenToOpenHiring: true, Banenafspraak: true, MaxPhysicalLoad: "heavy",
		Summary: "Werkt graag in een team.", RegisteredAt: "2024-03-01"}
}

func vacancy(id, employer string, pc4 int) *matcher.Vacancy {
	return &matcher.Vacancy{ID: id, EmployerID: employer, Title: "Orderpicker magazijn", Occupation: "orderpicker",
		Branch: "Logistiek", Postcode4: pc4, HoursMin: 24, HoursMax: 32,
		RequiredSkills: []string{"orderpicken"}, PreferredSkills: []string{"heftruck rijden"},
		EducationLevelMin: "vmbo", DutchLevelMin: "A2", PhysicalLoad: "medium",
		Positions: 2, Status: "open", Description: "Dagdienst in een warm team."}
}

// seed writes documents directly through the API.
func (e *env) putProfile(p *matcher.Profile) {
	e.t.Helper()
	rec := e.do(req{method: "PUT", path: "/v1/profiles/" + p.ID, key: kIngest, body: p})
	if rec.Code != 201 && rec.Code != 200 {
		e.t.Fatalf("put profile %s: %d %s", p.ID, rec.Code, rec.Body.String())
	}
}

func (e *env) putVacancy(v *matcher.Vacancy) {
	e.t.Helper()
	rec := e.do(req{method: "PUT", path: "/v1/vacancies/" + v.ID, key: kAM, body: v})
	if rec.Code != 201 && rec.Code != 200 {
		e.t.Fatalf("put vacancy %s: %d %s", v.ID, rec.Code, rec.Body.String())
	}
}

// matchIDs returns the ids of a match answer's results.
func matchIDs(m map[string]any) []string {
	var ids []string
	rs, _ := m["results"].([]any)
	for _, r := range rs {
		x, _ := r.(map[string]any)
		if id, ok := x["profile_id"].(string); ok {
			ids = append(ids, id)
		} else if id, ok := x["vacancy_id"].(string); ok {
			ids = append(ids, id)
		}
	}
	return ids
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
