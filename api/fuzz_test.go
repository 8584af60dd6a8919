package api_test

// Fuzz tests for every decoder and validator behind the API: profile and
// vacancy bodies through the handler decode path, bulk NDJSON, the query
// parameters of match and search, the Authorization header and the keys
// file. Seed corpora are in testdata/fuzz/<target>. The invariant is the
// same everywhere: never a 5xx and never a panic, whatever the bytes, an
// error is a problem+json with its own status, and what is accepted is
// valid and can be read back. The write targets run on an in-memory store
// (a Bleve fsync per input would make the fuzzer crawl); FuzzQueryParams
// searches a real index.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/cache"
	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/matcher"
	"github.com/werkmatch/werkmatch/taxonomy"
)

// fzStore is an in-memory matcher.Store and matcher.Searcher (search finds
// nothing) that keeps documents as JSON, as a real store would.
type fzStore struct {
	mu        sync.Mutex
	profiles  map[string][]byte
	vacancies map[string][]byte
}

func newFzStore() *fzStore {
	return &fzStore{profiles: map[string][]byte{}, vacancies: map[string][]byte{}}
}

func (s *fzStore) PutProfiles(_ context.Context, ps []*matcher.Profile) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range ps {
		b, err := json.Marshal(p)
		if err != nil {
			return err
		}
		s.profiles[p.ID] = b
	}
	return nil
}

func (s *fzStore) DeleteProfile(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.profiles, id)
	return nil
}

func (s *fzStore) GetProfile(_ context.Context, id string) (*matcher.Profile, error) {
	s.mu.Lock()
	b, ok := s.profiles[id]
	s.mu.Unlock()
	if !ok {
		return nil, matcher.ErrNotFound
	}
	p := new(matcher.Profile)
	return p, json.Unmarshal(b, p)
}

func (s *fzStore) PutVacancies(_ context.Context, vs []*matcher.Vacancy) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range vs {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		s.vacancies[v.ID] = b
	}
	return nil
}

func (s *fzStore) DeleteVacancy(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.vacancies, id)
	return nil
}

func (s *fzStore) GetVacancy(_ context.Context, id string) (*matcher.Vacancy, error) {
	s.mu.Lock()
	b, ok := s.vacancies[id]
	s.mu.Unlock()
	if !ok {
		return nil, matcher.ErrNotFound
	}
	v := new(matcher.Vacancy)
	return v, json.Unmarshal(b, v)
}

func (s *fzStore) EachProfile(context.Context, func(*matcher.Profile) error) error { return nil }
func (s *fzStore) EachVacancy(context.Context, func(*matcher.Vacancy) error) error { return nil }
func (s *fzStore) Close() error                                                    { return nil }

func (s *fzStore) SearchProfiles(context.Context, matcher.SearchRequest) (*matcher.SearchResult, error) {
	return &matcher.SearchResult{}, nil
}

func (s *fzStore) SearchVacancies(context.Context, matcher.SearchRequest) (*matcher.SearchResult, error) {
	return &matcher.SearchResult{}, nil
}

// Fuzz keys: the secret is the name.
const (
	fzIngest    = "fz-ingest"
	fzAM        = "fz-am"
	fzAMRegion  = "fz-am-0363"
	fzEmployerA = "fz-employer-a"
	fzEmployerB = "fz-employer-b"
	fzAdmin     = "fz-admin"
)

var fzSecrets = []string{fzIngest, fzAM, fzAMRegion, fzEmployerA, fzEmployerB, fzAdmin}

func fzKeys(t testing.TB) *api.Keys {
	ks, err := api.NewKeys([]api.Key{
		{KeySHA256: api.HashKey(fzIngest), Role: api.RoleIngest},
		{KeySHA256: api.HashKey(fzAM), Role: api.RoleAccountmanager},
		{KeySHA256: api.HashKey(fzAMRegion), Role: api.RoleAccountmanager, Regions: []string{"0363"}},
		{KeySHA256: api.HashKey(fzEmployerA), Role: api.RoleEmployer, EmployerID: "fz-emp-a"},
		{KeySHA256: api.HashKey(fzEmployerB), Role: api.RoleEmployer, EmployerID: "fz-emp-b"},
		{KeySHA256: api.HashKey(fzAdmin), Role: api.RoleAdmin},
	})
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

var (
	fzTaxOnce sync.Once
	fzTax     *taxonomy.Taxonomy
)

func fzTaxonomy() *taxonomy.Taxonomy {
	fzTaxOnce.Do(func() { fzTax = taxonomy.Builtin() })
	return fzTax
}

// fzServer is a server on an in-memory store.
type fzServer struct {
	srv   *api.Server
	store *fzStore
}

// newFzServer builds a server over st and se with a real core holding a
// few documents (fz-p1..fz-p3, vacancy fz-v1 of fz-emp-a).
func newFzServer(t testing.TB, st matcher.Store, se matcher.Searcher) *api.Server {
	loc := geo.New()
	eng := matcher.NewEngine(matcher.EngineOptions{Locator: loc, Taxonomy: fzTaxonomy(), Workers: 1})
	srv := api.New(api.Config{
		Store: st, Searcher: se, Engine: eng, Taxonomy: fzTaxonomy(), Keys: fzKeys(t), Cache: cache.NewMemory(0),
		RateLimits: map[string]cache.Limit{api.RoleIngest: {}, api.RoleAccountmanager: {}, api.RoleEmployer: {}},
	})
	for i, pc4 := range []int{1011, 1012, 3011} {
		muni := "0363"
		if pc4 >= 3000 {
			muni = "0599"
		}
		p := fzProfile(string(rune('1'+i)), muni, pc4)
		rec := fzDo(srv, "PUT", "/v1/profiles/"+p.ID, fzIngest, "application/json", fzJSON(p))
		if rec.Code != 201 {
			t.Fatalf("seed profile: %d %s", rec.Code, rec.Body.String())
		}
	}
	rec := fzDo(srv, "PUT", "/v1/vacancies/fz-v1", fzEmployerA, "application/json", fzJSON(fzVacancy()))
	if rec.Code != 201 {
		t.Fatalf("seed vacancy: %d %s", rec.Code, rec.Body.String())
	}
	return srv
}

func newFz(t testing.TB) *fzServer {
	st := newFzStore()
	return &fzServer{srv: newFzServer(t, st, st), store: st}
}

func fzProfile(n, muni string, pc4 int) *matcher.Profile {
	return &matcher.Profile{ID: "fz-p" + n, Municipality: muni, Postcode4: pc4, MaxTravelKm: 40,
		DesiredOccupations: []string{"kok"}, Skills: []string{"koken", "hygiëne"}, Branches: []string{"Horeca"},
		HoursMin: 12, HoursMax: 32, EducationLevel: "mbo2", DutchLevel: "A2", DrivingLicences: []string{"B"},
		Perspectief: "werken", OpenToOpenHiring: true, MaxPhysicalLoad: "medium", Summary: "Kookt graag.", RegisteredAt: "2025-01-02"}
}

func fzVacancy() *matcher.Vacancy {
	return &matcher.Vacancy{ID: "fz-v1", Title: "Kok", Occupation: "kok", Branch: "Horeca", Postcode4: 1012,
		HoursMin: 16, HoursMax: 24, RequiredSkills: []string{"koken"}, Positions: 1, Status: "open"}
}

func fzJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func fzDo(h http.Handler, method, target, secret, ctype string, body []byte) *httptest.ResponseRecorder {
	u, err := url.ParseRequestURI(target)
	if err != nil {
		path, query, _ := strings.Cut(target, "?")
		u = &url.URL{Path: path, RawQuery: query}
	}
	return fzDoURL(h, method, u, secret, ctype, body)
}

// fzDoURL serves one request for u, whose query may hold any bytes.
func fzDoURL(h http.Handler, method string, u *url.URL, secret, ctype string, body []byte) *httptest.ResponseRecorder {
	var r *http.Request
	if body != nil {
		r = httptest.NewRequest(method, "/", bytes.NewReader(body))
	} else {
		r = httptest.NewRequest(method, "/", nil)
	}
	r.URL = u
	r.RequestURI = u.RequestURI()
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	if secret != "" {
		r.Header.Set("Authorization", "Bearer "+secret)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// fzCheck fails on a 5xx, and on an error answer that is not a
// problem+json carrying its own status.
func fzCheck(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("%s: %d: %s", what, rec.Code, rec.Body.String())
	}
	if rec.Code >= 400 {
		var p api.Problem
		if ct := rec.Header().Get("Content-Type"); ct != api.ProblemContentType {
			t.Fatalf("%s: %d with Content-Type %q", what, rec.Code, ct)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != rec.Code {
			t.Fatalf("%s: %d is not a problem for its status: %s", what, rec.Code, rec.Body.String())
		}
	}
}

// fzContentTypes are the content types a fuzz input picks from.
var fzContentTypes = []string{"application/json", "application/json; charset=utf-8", "text/plain", "", "application/json; charset=latin1", "application/x-ndjson", "application/json;;", "multipart/form-data; boundary=x"}

// FuzzProfileBody sends any body (and content type) to PUT
// /v1/profiles/{id}. An accepted profile is valid, free of personal
// data, and reads back equal.
func FuzzProfileBody(f *testing.F) {
	f.Add("fz-p9", []byte(fzJSON(fzProfile("9", "0363", 1013))), uint8(0))
	f.Add("fz-p9", []byte(`{"id":"fz-p9","hours_min":1e400}`), uint8(0))
	f.Add("fz-p9", []byte(`{"summary":"bel 0612345678"}`), uint8(1))
	f.Add("x/../y", []byte(`[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]`), uint8(2))
	s := newFz(f)
	f.Fuzz(func(t *testing.T, id string, body []byte, ct uint8) {
		ctype := fzContentTypes[int(ct)%len(fzContentTypes)]
		target := "/v1/profiles/" + url.PathEscape(id)
		rec := fzDo(s.srv, "PUT", target, fzIngest, ctype, body)
		fzCheck(t, "PUT "+target, rec)
		if rec.Code != 200 && rec.Code != 201 {
			return
		}
		var p matcher.Profile
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatalf("accepted, but the answer is not a profile: %v", err)
		}
		if p.ID != id {
			t.Fatalf("accepted under id %q, stored as %q", id, p.ID)
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("accepted an invalid profile: %v", err)
		}
		if err := p.CheckPersonalData(); err != nil {
			t.Fatalf("accepted a profile with personal data: %v", err)
		}
		got := fzDo(s.srv, "GET", target, fzIngest, "", nil)
		if got.Code != 200 || !bytes.Equal(got.Body.Bytes(), rec.Body.Bytes()) {
			t.Fatalf("read back %d %s, want %s", got.Code, got.Body.String(), rec.Body.String())
		}
	})
}

// FuzzVacancyBody sends any body to PUT /v1/vacancies/{id} (as an
// employer: the stored employer_id is always the key's) and to POST
// /v1/matches (scores stay in [0,1]).
func FuzzVacancyBody(f *testing.F) {
	v := fzVacancy()
	v.ID = "fz-v2"
	f.Add([]byte(fzJSON(v)), false)
	f.Add([]byte(`{"title":"Kok","employer_id":"fz-emp-b","branch":"Horeca","postcode4":1012,"hours_min":8,"hours_max":8,"positions":1,"status":"open"}`), true)
	f.Add([]byte(`{"title":"\xff\xfe","postcode4":99999999999999999999}`), false)
	f.Add([]byte(`{"description":"mail jan@example.nl of NL91ABNA0417164300"}`), true)
	s := newFz(f)
	f.Fuzz(func(t *testing.T, body []byte, adhocOnly bool) {
		rec := fzDo(s.srv, "POST", "/v1/matches?limit=5", fzEmployerB, "application/json", body)
		fzCheck(t, "POST /v1/matches", rec)
		if rec.Code == 200 {
			var a api.MatchAnswer
			if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
				t.Fatalf("not a match answer: %v", err)
			}
			if len(a.Results) > 5 {
				t.Fatalf("%d results for limit=5", len(a.Results))
			}
			for _, m := range a.Results {
				if !(m.Score >= 0 && m.Score <= 1) {
					t.Fatalf("score %v outside [0,1]", m.Score)
				}
			}
		}
		if adhocOnly {
			return
		}
		rec = fzDo(s.srv, "PUT", "/v1/vacancies/fz-v2", fzEmployerB, "application/json", body)
		fzCheck(t, "PUT /v1/vacancies/fz-v2", rec)
		if rec.Code != 200 && rec.Code != 201 {
			return
		}
		var got matcher.Vacancy
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("accepted, but the answer is not a vacancy: %v", err)
		}
		if got.ID != "fz-v2" || got.EmployerID != "fz-emp-b" {
			t.Fatalf("accepted as id %q of employer %q; want fz-v2 of the key's employer fz-emp-b", got.ID, got.EmployerID)
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("accepted an invalid vacancy: %v", err)
		}
		if err := got.CheckPersonalData(); err != nil {
			t.Fatalf("accepted a vacancy with personal data: %v", err)
		}
		if rec := fzDo(s.srv, "GET", "/v1/vacancies/fz-v2", fzEmployerA, "", nil); rec.Code != 404 {
			t.Fatalf("another employer reads the vacancy: %d", rec.Code)
		}
	})
}

// FuzzBulkNDJSON sends any body to POST /v1/profiles/_bulk. Every line
// gets one result in order, accepted and rejected add up, and every
// accepted id can be read back.
func FuzzBulkNDJSON(f *testing.F) {
	good := fzJSON(fzProfile("7", "0363", 1014))
	f.Add(append(append(append([]byte{}, good...), '\n'), []byte(`{"id":"bad","hours_min":-1}`+"\n")...))
	f.Add([]byte("\n\n\r\n"))
	f.Add([]byte(`{"id":"x"}` + "\r\n" + `{` + "\n" + string(good)))
	s := newFz(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := fzDo(s.srv, "POST", "/v1/profiles/_bulk", fzIngest, "application/x-ndjson", body)
		fzCheck(t, "POST /v1/profiles/_bulk", rec)
		if rec.Code != 200 {
			return
		}
		var a api.BulkAnswer
		if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
			t.Fatalf("not a bulk answer: %v", err)
		}
		if a.Accepted+a.Rejected != len(a.Results) {
			t.Fatalf("accepted %d + rejected %d != %d results", a.Accepted, a.Rejected, len(a.Results))
		}
		last := 0
		for _, r := range a.Results {
			if r.Line <= last {
				t.Fatalf("line numbers out of order: %d after %d", r.Line, last)
			}
			last = r.Line
			if r.Status >= 500 {
				t.Fatalf("line %d: status %d", r.Line, r.Status)
			}
			if r.Status == 200 || r.Status == 201 {
				if got := fzDo(s.srv, "GET", "/v1/profiles/"+url.PathEscape(r.ID), fzIngest, "", nil); got.Code != 200 {
					t.Fatalf("line %d accepted as %q, but GET is %d", r.Line, r.ID, got.Code)
				}
			}
		}
		if n := bytes.Count(body, []byte{'\n'}) + 1; last > n {
			t.Fatalf("result for line %d of a %d-line body", last, n)
		}
	})
}

// FuzzQueryParams sends any raw query string to the match, search and
// taxonomy routes of a server on a real (Bleve) index.
func FuzzQueryParams(f *testing.F) {
	for _, q := range []string{
		"limit=10", "limit=0", "limit=99999999999999999999", "w_skills=NaN", "w_skills=1e308&w_hours=-1",
		"q=kok&branch=Horeca&near=1012&radius_km=25&hours_min=8&hours_max=40&size=100&from=9900",
		"q=%ff%fe", "q=*:*", "q=kok~2+AND+(", "branch=Horeca,Bouw,,Zorg&perspectief=meedoen", "near=1012&radius_km=Inf",
		"open_hiring=maybe", "municipality=0363&municipality=x", "status=open&employer_id=fz-emp-a", "q=" + strings.Repeat("a", 600),
	} {
		f.Add(q)
	}
	dir := f.TempDir()
	ix, err := index.Open(filepath.Join(dir, "ix"), index.Options{Locator: geo.New(), Synonyms: fzTaxonomy().SynonymSets()})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = ix.Close() })
	srv := newFzServer(f, ix, ix)
	paths := []string{"/v1/vacancies/fz-v1/matches", "/v1/profiles/fz-p1/matches", "/v1/search/profiles", "/v1/search/vacancies", "/v1/taxonomy/occupations", "/v1/taxonomy/skills"}
	secrets := []string{fzAM, fzAMRegion, fzEmployerA, fzAM, fzEmployerA, fzEmployerB}
	f.Fuzz(func(t *testing.T, raw string) {
		for i, p := range paths {
			target := p + "?" + raw
			rec := fzDoURL(srv, "GET", &url.URL{Path: p, RawQuery: raw}, secrets[i], "", nil)
			fzCheck(t, "GET "+target, rec)
			if rec.Code != 200 {
				continue
			}
			var a struct {
				Results []struct {
					ProfileID string   `json:"profile_id"`
					Score     *float64 `json:"score"`
				} `json:"results"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
				t.Fatalf("GET %s: not a results answer: %v", target, err)
			}
			if len(a.Results) > matcher.MaxLimit {
				t.Fatalf("GET %s: %d results", target, len(a.Results))
			}
			for _, r := range a.Results {
				if secrets[i] == fzAMRegion && r.ProfileID == "fz-p3" {
					t.Fatalf("GET %s: a profile outside the key's regions", target)
				}
			}
		}
	})
}

// FuzzAuthorization sends any Authorization header: only "Bearer" (any
// case) and a known secret gets through; everything else is 401.
func FuzzAuthorization(f *testing.F) {
	for _, h := range []string{"Bearer fz-am", "bearer fz-am", "Bearer  fz-am ", "Basic Zm9v", "Bearer", "Bearer ", "fz-am", "Bearer fz-am\x00", "Bearer \xff"} {
		f.Add(h)
	}
	s := newFz(f)
	f.Fuzz(func(t *testing.T, h string) {
		r := httptest.NewRequest("GET", "/v1/taxonomy/occupations?q=kok", nil)
		r.Header["Authorization"] = []string{h}
		rec := httptest.NewRecorder()
		s.srv.ServeHTTP(rec, r)
		fzCheck(t, "GET with Authorization "+h, rec)
		scheme, secret, _ := strings.Cut(h, " ")
		known := strings.EqualFold(scheme, "Bearer") && slices.Contains(fzSecrets, strings.TrimSpace(secret))
		switch {
		case known && rec.Code != 200:
			t.Fatalf("known key %q: %d", h, rec.Code)
		case !known && rec.Code != 401:
			t.Fatalf("header %q: %d, want 401", h, rec.Code)
		}
		if len(secret) >= 16 && strings.Contains(rec.Body.String(), secret) {
			t.Fatalf("the answer echoes the presented key")
		}
	})
}

// FuzzKeysFile loads any bytes as a keys file. A file that loads is a
// JSON array of valid, distinct entries without unknown fields, all of
// them kept.
func FuzzKeysFile(f *testing.F) {
	good, _ := json.Marshal([]api.Key{
		{KeySHA256: api.HashKey("a"), Role: api.RoleEmployer, EmployerID: "e1", Name: "e1"},
		{KeySHA256: strings.ToUpper(api.HashKey("b")), Role: api.RoleAccountmanager, Regions: []string{"0363"}},
	})
	f.Add(good)
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"key_sha256":"zz","role":"admin"}]`))
	f.Add([]byte(`[{"key_sha256":"` + api.HashKey("c") + `","role":"ingest","regions":["036"]}]`))
	f.Add([]byte(`{"key_sha256":"x"}`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "keys.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		ks, err := api.LoadKeys(path)
		if err != nil {
			if ks != nil {
				t.Fatalf("an error with a key set")
			}
			if strings.Contains(err.Error(), string(data)) && len(data) > 80 {
				t.Fatalf("the error echoes the whole file")
			}
			return
		}
		var entries []api.Key
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields() // a misspelt field must not load
		if err := dec.Decode(&entries); err != nil {
			t.Fatalf("loaded, but the file is not a JSON array of keys without unknown fields: %v", err)
		}
		if ks.Len() != len(entries) {
			t.Fatalf("%d keys loaded from %d entries", ks.Len(), len(entries))
		}
		seen := map[string]bool{}
		for _, k := range entries {
			h := strings.ToLower(strings.TrimSpace(k.KeySHA256))
			if len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
				t.Fatalf("loaded a key_sha256 that is not 64 hex digits: %q", k.KeySHA256)
			}
			if seen[h] {
				t.Fatalf("loaded a duplicate key")
			}
			seen[h] = true
			if !slices.Contains(api.Roles, k.Role) {
				t.Fatalf("loaded role %q", k.Role)
			}
			if (k.Role == api.RoleEmployer) != (k.EmployerID != "") {
				t.Fatalf("loaded employer_id %q for role %q", k.EmployerID, k.Role)
			}
		}
	})
}
