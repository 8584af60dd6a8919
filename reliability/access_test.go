package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/cache"
	"github.com/werkmatch/werkmatch/internal/redistest"
	"github.com/werkmatch/werkmatch/matcher"
)

// role is one caller of the access matrix.
type role struct {
	name, secret string
	employer     bool
	regions      []string // accountmanager regions; nil = all
}

var matrixRoles = []role{
	{name: "ingest", secret: secretIngest},
	{name: "ingest-amsterdam", secret: secretIngestAms, regions: []string{amsterdam}},
	{name: "am-all", secret: secretAMAll},
	{name: "am-amsterdam", secret: secretAMAmst, regions: []string{amsterdam}},
	{name: "am-rotterdam", secret: secretAMRdam, regions: []string{rotterdam}},
	{name: "employer-a", secret: secretEmployerA, employer: true},
	{name: "employer-b", secret: secretEmployerB, employer: true},
	{name: "admin", secret: secretAdmin},
	{name: "no-key", secret: ""},
	{name: "unknown-key", secret: secretUnknown},
}

// Markers that only profile documents carry: an employer answer holding
// one of them has leaked a profile.
const (
	profileMarker    = "GEHEIME-PROFIELTEKST"
	registeredMarker = "2023-07-14"
)

// accessFixture is the data of the matrix: profiles in two regions (each
// with a meedoen profile that must never be matched), vacancies of two
// employers.
type accessFixture struct {
	muni    map[string]string // profile id -> municipality
	meedoen map[string]bool
}

func seedAccess(t *testing.T, s *testServer) *accessFixture {
	f := &accessFixture{muni: map[string]string{}, meedoen: map[string]bool{}}
	add := func(id, muni string, pc4 int, meedoen bool) {
		p := profileAt(id, muni, pc4)
		p.Summary = "Heeft " + profileMarker + " in de samenvatting."
		p.RegisteredAt = registeredMarker
		p.Banenafspraak = pc4%2 == 0
		if meedoen {
			p.Perspectief = matcher.PerspectiefMeedoen
			f.meedoen[id] = true
		}
		s.putProfile(p)
		f.muni[id] = muni
	}
	for i := range 4 {
		add(fmt.Sprintf("p-ams-%d", i), amsterdam, 1011+i, false)
		add(fmt.Sprintf("p-rdam-%d", i), rotterdam, 3011+i, false)
	}
	add("p-ams-meedoen", amsterdam, 1012, true)
	add("p-rdam-meedoen", rotterdam, 3012, true)
	s.putVacancy(vacancyOf("va", employerA, 1012))
	s.putVacancy(vacancyOf("vb", employerB, 1012))
	oh := vacancyOf("va-open", employerA, 1017)
	oh.OpenHiring = true
	s.putVacancy(oh)
	return f
}

// matrixCase is one endpoint (with its ownership situation) and the
// status each role must get.
type matrixCase struct {
	name         string
	method, path string
	body         func(r role) any
	want         map[string]int // by role name; missing: def
	def          int
	setup        func(t *testing.T, s *testServer)
	after        func(t *testing.T, s *testServer, r role, resp *response)
	// kind of a successful answer, for the employer-view walk
	kind string
	// regionWrite: a write outside Amsterdam; the region-bound ingest key
	// does not inherit the ingest key's status
	regionWrite bool
}

func statusFor(c matrixCase, r role) int {
	if r.secret == "" || r.secret == secretUnknown {
		if strings.HasPrefix(c.path, "/v1/") {
			return 401
		}
	}
	if s, ok := c.want[r.name]; ok {
		return s
	}
	if s, ok := c.want["ingest"]; ok && r.name == "ingest-amsterdam" && !c.regionWrite {
		return s // a region-bound ingest key is an ingest key inside its regions
	}
	return c.def
}

// Shorthands for the want maps.
func rolesStatus(status int, names ...string) map[string]int {
	m := map[string]int{}
	for _, n := range names {
		m[n] = status
	}
	return m
}

func merge(ms ...map[string]int) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// TestAccessMatrix calls every route of the contract as every role, in
// each ownership situation (own vacancy, another employer's vacancy, a
// profile of another region), and checks the status against the
// contract, that refused requests change nothing, that region-bound
// accountmanagers see only their regions, that employer answers stay
// inside the employer view and never carry a meedoen profile, and that no
// key ever reaches the log.
func TestAccessMatrix(t *testing.T) {
	s := startServer(t, serverOptions{})
	f := seedAccess(t, s)

	noBody := func(role) any { return nil }
	profBody := func(id, muni string, pc4 int) func(role) any {
		return func(role) any { return profileAt(id, muni, pc4) }
	}
	stillThere := func(kind, id string) func(t *testing.T, s *testServer, r role, resp *response) {
		return func(t *testing.T, s *testServer, r role, resp *response) {
			path := "/v1/" + kind + "/" + id
			secret := secretAdmin
			got := s.do("GET", path, secret, nil).status
			if resp.status == 204 && got != 404 {
				t.Errorf("%s: acknowledged delete of %s, but GET is %d", r.name, id, got)
			}
			if resp.status != 204 && got != 200 {
				t.Errorf("%s: refused delete (%d) of %s, but GET is %d: a refused request changed data", r.name, resp.status, id, got)
			}
		}
	}
	regionOnly := func(t *testing.T, s *testServer, r role, resp *response) {
		if resp.status != 200 {
			return
		}
		for _, id := range ids(t, resp) {
			m, ok := f.muni[id]
			if !ok {
				continue // a vacancy id
			}
			if r.regions != nil && !slices.Contains(r.regions, m) {
				t.Errorf("%s: got profile %s of municipality %s outside its regions", r.name, id, m)
			}
		}
	}
	noMeedoen := func(t *testing.T, s *testServer, r role, resp *response) {
		regionOnly(t, s, r, resp)
		if resp.status != 200 {
			return
		}
		got := ids(t, resp)
		for _, id := range got {
			if f.meedoen[id] {
				t.Errorf("%s: meedoen profile %s in a match answer", r.name, id)
			}
		}
		if len(got) == 0 {
			t.Errorf("%s: empty match answer; the fixture should give matches", r.name)
		}
	}
	ownVacanciesOnly := func(t *testing.T, s *testServer, r role, resp *response) {
		if resp.status != 200 || !r.employer {
			return
		}
		var a struct {
			Results []struct {
				Vacancy matcher.Vacancy `json:"vacancy"`
			} `json:"results"`
		}
		_ = json.Unmarshal(resp.body, &a)
		if len(a.Results) == 0 {
			t.Errorf("%s: searched its own vacancies and found none", r.name)
		}
		want := map[string]string{"employer-a": employerA, "employer-b": employerB}[r.name]
		for _, h := range a.Results {
			if h.Vacancy.EmployerID != want {
				t.Errorf("%s: search returned vacancy %s of %s", r.name, h.Vacancy.ID, h.Vacancy.EmployerID)
			}
		}
	}

	cases := []matrixCase{
		{name: "put profile", method: "PUT", path: "/v1/profiles/p-ams-0", body: profBody("p-ams-0", amsterdam, 1011),
			def: 403, want: rolesStatus(200, "ingest", "admin")},
		{name: "put new profile", method: "PUT", path: "/v1/profiles/p-new", body: profBody("p-new", amsterdam, 1015),
			def: 403, want: rolesStatus(201, "ingest", "admin"),
			setup: func(t *testing.T, s *testServer) { s.do("DELETE", "/v1/profiles/p-new", secretIngest, nil) }},
		{name: "get profile own region", method: "GET", path: "/v1/profiles/p-ams-1", body: noBody,
			def: 403, want: merge(rolesStatus(200, "ingest", "admin", "am-all", "am-amsterdam"), rolesStatus(404, "am-rotterdam"))},
		{name: "get profile other region", method: "GET", path: "/v1/profiles/p-rdam-1", body: noBody,
			def: 403, want: merge(rolesStatus(200, "ingest", "admin", "am-all", "am-rotterdam"), rolesStatus(404, "am-amsterdam", "ingest-amsterdam"))},
		{name: "put profile other region", method: "PUT", path: "/v1/profiles/p-rdam-0", body: profBody("p-rdam-0", rotterdam, 3011),
			def: 403, want: rolesStatus(200, "ingest", "admin"), regionWrite: true},
		{name: "move profile out of the region", method: "PUT", path: "/v1/profiles/p-rdam-3", body: profBody("p-rdam-3", amsterdam, 1014),
			def: 403, want: merge(rolesStatus(200, "ingest", "admin"), rolesStatus(404, "ingest-amsterdam")),
			setup: func(t *testing.T, s *testServer) { s.putProfile(profileAt("p-rdam-3", rotterdam, 3014)) }},
		{name: "delete profile other region", method: "DELETE", path: "/v1/profiles/p-del-rdam", body: noBody,
			def: 403, want: merge(rolesStatus(204, "ingest", "admin"), rolesStatus(404, "ingest-amsterdam")),
			setup: func(t *testing.T, s *testServer) { s.putProfile(profileAt("p-del-rdam", rotterdam, 3013)) },
			after: stillThere("profiles", "p-del-rdam")},
		{name: "get missing profile", method: "GET", path: "/v1/profiles/p-missing", body: noBody,
			def: 403, want: rolesStatus(404, "ingest", "admin", "am-all", "am-amsterdam", "am-rotterdam")},
		{name: "delete profile", method: "DELETE", path: "/v1/profiles/p-del", body: noBody,
			def: 403, want: rolesStatus(204, "ingest", "admin"),
			setup: func(t *testing.T, s *testServer) { s.putProfile(profileAt("p-del", amsterdam, 1013)) },
			after: stillThere("profiles", "p-del")},
		{name: "bulk profiles", method: "POST", path: "/v1/profiles/_bulk",
			body: func(role) any {
				a, _ := json.Marshal(profileAt("p-bulk-1", amsterdam, 1016))
				b, _ := json.Marshal(profileAt("p-bulk-2", rotterdam, 3016))
				return string(a) + "\n" + string(b) + "\n"
			},
			def: 403, want: rolesStatus(200, "ingest", "admin"),
			after: func(t *testing.T, s *testServer, r role, resp *response) {
				if resp.status != 200 {
					return
				}
				var a api.BulkAnswer
				_ = json.Unmarshal(resp.body, &a)
				rdam := 200 // the Rotterdam line
				if r.regions != nil {
					rdam = 403
				}
				if len(a.Results) != 2 || a.Results[0].Status/100 != 2 || a.Results[1].Status/100 != rdam/100 || (rdam == 403 && a.Results[1].Status != 403) {
					t.Errorf("bulk as %s: %+v; want the Amsterdam line accepted and the Rotterdam line %d", r.name, a.Results, rdam)
				}
			}},
		{name: "profile matches own region", method: "GET", path: "/v1/profiles/p-ams-2/matches", body: noBody,
			def: 403, want: merge(rolesStatus(200, "am-all", "am-amsterdam", "admin"), rolesStatus(404, "am-rotterdam"))},
		{name: "profile matches other region", method: "GET", path: "/v1/profiles/p-rdam-2/matches", body: noBody,
			def: 403, want: merge(rolesStatus(200, "am-all", "am-rotterdam", "admin"), rolesStatus(404, "am-amsterdam"))},
		{name: "profile matches missing", method: "GET", path: "/v1/profiles/p-missing/matches", body: noBody,
			def: 403, want: rolesStatus(404, "am-all", "am-amsterdam", "am-rotterdam", "admin")},
		{name: "put own vacancy (employer_id from key)", method: "PUT", path: "/v1/vacancies/va",
			body: func(r role) any {
				v := vacancyOf("va", employerA, 1012)
				if r.employer {
					v.EmployerID = ""
				}
				return v
			},
			def: 403, want: merge(rolesStatus(200, "employer-a", "admin", "am-all", "am-amsterdam", "am-rotterdam"), rolesStatus(404, "employer-b")),
			kind: "vacancy_doc"},
		{name: "put vacancy naming another employer", method: "PUT", path: "/v1/vacancies/vb",
			body: func(role) any { return vacancyOf("vb", employerB, 1012) },
			def:  403, want: merge(rolesStatus(200, "employer-b", "admin", "am-all", "am-amsterdam", "am-rotterdam"), rolesStatus(400, "employer-a")),
			kind: "vacancy_doc"},
		{name: "get own/other vacancy", method: "GET", path: "/v1/vacancies/va", body: noBody,
			def: 403, want: merge(rolesStatus(200, "employer-a", "admin", "am-all", "am-amsterdam", "am-rotterdam"), rolesStatus(404, "employer-b")),
			kind: "vacancy_doc"},
		{name: "get missing vacancy", method: "GET", path: "/v1/vacancies/v-missing", body: noBody,
			def: 403, want: rolesStatus(404, "employer-a", "employer-b", "admin", "am-all", "am-amsterdam", "am-rotterdam")},
		{name: "delete vacancy of employer a", method: "DELETE", path: "/v1/vacancies/v-del", body: noBody,
			def: 403, want: merge(rolesStatus(204, "employer-a", "admin", "am-all", "am-amsterdam", "am-rotterdam"), rolesStatus(404, "employer-b")),
			setup: func(t *testing.T, s *testServer) { s.putVacancy(vacancyOf("v-del", employerA, 1012)) },
			after: stillThere("vacancies", "v-del")},
		{name: "vacancy matches", method: "GET", path: "/v1/vacancies/va/matches?limit=50", body: noBody,
			def: 403, want: merge(rolesStatus(200, "employer-a", "admin", "am-all", "am-amsterdam", "am-rotterdam"), rolesStatus(404, "employer-b")),
			after: noMeedoen, kind: "match"},
		{name: "open-hiring vacancy matches", method: "GET", path: "/v1/vacancies/va-open/matches?limit=50", body: noBody,
			def: 403, want: merge(rolesStatus(200, "employer-a", "admin", "am-all", "am-amsterdam", "am-rotterdam"), rolesStatus(404, "employer-b")),
			after: noMeedoen, kind: "match"},
		{name: "other employer's vacancy matches", method: "GET", path: "/v1/vacancies/vb/matches", body: noBody,
			def: 403, want: merge(rolesStatus(200, "employer-b", "admin", "am-all", "am-amsterdam", "am-rotterdam"), rolesStatus(404, "employer-a")),
			after: noMeedoen, kind: "match"},
		{name: "ad-hoc matches", method: "POST", path: "/v1/matches?limit=50",
			body: func(role) any {
				v := vacancyOf("", "", 1012)
				v.Title = "Orderpicker ad hoc"
				return v
			},
			def: 403, want: rolesStatus(200, "employer-a", "employer-b", "admin", "am-all", "am-amsterdam", "am-rotterdam"),
			after: noMeedoen, kind: "match"},
		{name: "search profiles", method: "GET", path: "/v1/search/profiles?q=orderpicker&size=100", body: noBody,
			def: 403, want: rolesStatus(200, "admin", "am-all", "am-amsterdam", "am-rotterdam"),
			after: regionOnly},
		{name: "search profiles other region explicitly", method: "GET", path: "/v1/search/profiles?municipality=0599&size=100", body: noBody,
			def: 403, want: rolesStatus(200, "admin", "am-all", "am-amsterdam", "am-rotterdam"),
			after: regionOnly},
		{name: "search vacancies", method: "GET", path: "/v1/search/vacancies?q=orderpicker&size=100", body: noBody,
			def: 403, want: rolesStatus(200, "employer-a", "employer-b", "admin", "am-all", "am-amsterdam", "am-rotterdam"),
			after: ownVacanciesOnly, kind: "vacancy_search"},
		{name: "search another employer's vacancies", method: "GET", path: "/v1/search/vacancies?employer_id=" + employerB, body: noBody,
			def: 403, want: rolesStatus(200, "employer-a", "employer-b", "admin", "am-all", "am-amsterdam", "am-rotterdam"),
			kind: "vacancy_search",
			after: func(t *testing.T, s *testServer, r role, resp *response) {
				if r.name == "employer-a" && len(ids(t, resp)) != 0 {
					t.Errorf("employer-a searched employer b's vacancies and got %s", fmtIDs(ids(t, resp)))
				}
			}},
		{name: "taxonomy occupations", method: "GET", path: "/v1/taxonomy/occupations?q=kok", body: noBody,
			def: 200, kind: "taxonomy"},
		{name: "taxonomy skills", method: "GET", path: "/v1/taxonomy/skills?q=heftruck", body: noBody,
			def: 200, kind: "taxonomy"},
		{name: "healthz", method: "GET", path: "/healthz", body: noBody, def: 200},
		{name: "readyz", method: "GET", path: "/readyz", body: noBody, def: 200},
		{name: "metrics", method: "GET", path: "/metrics", body: noBody, def: 200},
		{name: "openapi", method: "GET", path: "/openapi.json", body: noBody, def: 200},
	}

	for _, c := range cases {
		for _, r := range matrixRoles {
			if c.setup != nil {
				c.setup(t, s)
			}
			var body any
			if c.body != nil {
				body = c.body(r)
			}
			resp := s.do(c.method, c.path, r.secret, body)
			want := statusFor(c, r)
			what := fmt.Sprintf("%s as %s (%s %s)", c.name, r.name, c.method, c.path)
			if resp.status != want {
				t.Errorf("%s: status %d, want %d: %.300s", what, resp.status, want, resp.body)
			} else {
				checkProblem(t, what, resp)
			}
			if resp.status == 401 && resp.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", what)
			}
			if r.employer {
				kind := c.kind
				if resp.status >= 400 {
					kind = "problem"
				}
				checkEmployerView(t, what, resp.body, kind)
			}
			if c.after != nil {
				c.after(t, s, r, resp)
			}
		}
	}
	checkNoKeysInLogs(t, s.logs.String())
	// nor in the public metrics
	metrics := string(s.do("GET", "/metrics", "", nil).body)
	for _, sec := range allSecrets {
		if strings.Contains(metrics, sec) || strings.Contains(metrics, api.HashKey(sec)[:16]) {
			t.Errorf("/metrics exposes key %q or its hash", sec)
		}
	}
}

// checkNoKeysInLogs fails when a log holds a key secret or its hash.
func checkNoKeysInLogs(t *testing.T, logs string) {
	t.Helper()
	if logs == "" {
		t.Fatal("no log output captured: the key scan would prove nothing")
	}
	for _, sec := range allSecrets {
		if strings.Contains(logs, sec) {
			t.Errorf("the log contains the key secret %q", sec)
		}
		if strings.Contains(logs, api.HashKey(sec)) {
			t.Errorf("the log contains the full hash of key %q", sec)
		}
	}
	if strings.Contains(strings.ToLower(logs), "bearer ") {
		t.Errorf("the log contains an Authorization header value")
	}
}

// The employer view, as declared in the api package doc: by the object a
// key sits in, the keys an employer may receive.
var employerView = map[string][]string{
	"match_answer":  {"results", "weights", "open_hiring", "considered", "scored", "unrecognised", "cached"},
	"match":         {"profile_id", "score", "explanation"},
	"explanation":   {"matched_skills", "partial_skills", "missing_skills", "matched_preferred_skills", "occupation", "distance_km", "hours_overlap", "components", "contributions", "open_hiring"},
	"open_hiring":   {"opted_in"},
	"components":    {"skills", "occupation", "branch", "hours", "distance", "language", "education"},
	"vacancy":       {"id", "employer_id", "title", "description", "occupation", "branch", "postcode4", "hours_min", "hours_max", "required_skills", "preferred_skills", "education_level_min", "dutch_level_min", "driving_licences", "physical_load", "open_hiring", "positions", "start_date", "closes_at", "banenafspraak_suitable", "status"},
	"search_answer": {"results", "total", "facets", "from", "size"},
	"vacancy_hit":   {"id", "score", "vacancy"},
	"taxonomy":      {"results", "query"},
	"candidate":     {"uri", "label", "isco", "confidence"},
	"problem":       {"type", "title", "status", "detail", "instance", "request_id", "errors"},
	"field_error":   {"field", "message"},
	"facets":        {"branch", "education", "education_level_min", "hours", "status", "open_hiring", "banenafspraak_suitable", "driving_licences", "physical_load", "dutch_level_min"},
}

// child says what object sits under key k of an object of context ctx.
func child(ctx, k string) string {
	switch ctx + "." + k {
	case "match_answer.results":
		return "match"
	case "match_answer.weights", "explanation.components", "explanation.contributions":
		return "components"
	case "match.explanation":
		return "explanation"
	case "explanation.open_hiring":
		return "open_hiring"
	case "search_answer.results":
		return "vacancy_hit"
	case "search_answer.facets":
		return "facets"
	case "vacancy_hit.vacancy":
		return "vacancy"
	case "taxonomy.results":
		return "candidate"
	case "problem.errors":
		return "field_error"
	}
	return "" // a leaf (or a facet's value counts)
}

// checkEmployerView walks an employer's answer and fails on any key
// outside the employer view, and on any profile marker in the bytes.
func checkEmployerView(t *testing.T, what string, body []byte, kind string) {
	t.Helper()
	if s := string(body); strings.Contains(s, profileMarker) || strings.Contains(s, registeredMarker) {
		t.Errorf("%s: an employer answer carries profile data: %.300s", what, body)
	}
	if len(body) == 0 || kind == "" {
		return
	}
	root := map[string]string{"match": "match_answer", "vacancy_doc": "vacancy", "vacancy_search": "search_answer", "taxonomy": "taxonomy", "problem": "problem"}[kind]
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("%s: not JSON: %v", what, err)
		return
	}
	var walk func(v any, ctx, path string)
	walk = func(v any, ctx, path string) {
		switch x := v.(type) {
		case []any:
			for i, e := range x {
				walk(e, ctx, fmt.Sprintf("%s[%d]", path, i))
			}
		case map[string]any:
			if ctx == "" {
				return // facet value counts
			}
			for k, e := range x {
				if !slices.Contains(employerView[ctx], k) {
					t.Errorf("%s: %s.%s is outside the employer view", what, path, k)
					continue
				}
				walk(e, child(ctx, k), path+"."+k)
			}
		}
	}
	walk(v, root, "$")
}

// testDeletedProfileGone shows that a deleted profile leaves every answer
// at once: vacancy matches (cached before the delete, for an employer and
// for accountmanagers), ad-hoc matches, profile search, its own GET and
// matches; and that the answers after the delete are served from the
// cache again (so the cache was exercised, and holds no stale copy).
func testDeletedProfileGone(t *testing.T, rc matcher.ResultCache) {
	s := startServer(t, serverOptions{cache: rc})
	for i := range 5 {
		s.putProfile(profileAt(fmt.Sprintf("p-keep-%d", i), amsterdam, 1011+i))
	}
	gone := profileAt("p-gone", amsterdam, 1012)
	gone.Summary = "Zoekt werk als orderpicker met heftruckcertificaat."
	s.putProfile(gone)
	s.putVacancy(vacancyOf("va", employerA, 1012))
	adhoc := vacancyOf("", "", 1012)

	type q struct {
		method, path, secret string
		body                 any
	}
	qs := []q{
		{"GET", "/v1/vacancies/va/matches?limit=100", secretEmployerA, nil},
		{"GET", "/v1/vacancies/va/matches?limit=100", secretAMAll, nil},
		{"GET", "/v1/vacancies/va/matches?limit=100", secretAMAmst, nil},
		{"GET", "/v1/vacancies/va/matches?limit=100&w_skills=3", secretAMAll, nil},
		{"POST", "/v1/matches?limit=100", secretEmployerA, adhoc},
		{"POST", "/v1/matches?limit=100", secretAMAll, adhoc},
	}
	for _, x := range qs {
		for i := range 2 {
			r := s.do(x.method, x.path, x.secret, x.body)
			mustStatus(t, x.path, r, 200)
			if !slices.Contains(ids(t, r), "p-gone") {
				t.Fatalf("before the delete, %s %s misses p-gone: %s", x.method, x.path, fmtIDs(ids(t, r)))
			}
			if i == 1 && !cached(t, r) {
				t.Fatalf("before the delete, the second %s %s was not cached", x.method, x.path)
			}
		}
	}
	r := s.do("GET", "/v1/search/profiles?q=heftruckcertificaat", secretAMAll, nil)
	mustStatus(t, "search", r, 200)
	if !slices.Contains(ids(t, r), "p-gone") {
		t.Fatalf("search misses p-gone before the delete: %s", fmtIDs(ids(t, r)))
	}

	mustStatus(t, "delete", s.do("DELETE", "/v1/profiles/p-gone", secretIngest, nil), 204)

	for n, x := range qs {
		for i := range 3 {
			r := s.do(x.method, x.path, x.secret, x.body)
			mustStatus(t, x.path, r, 200)
			got := ids(t, r)
			if slices.Contains(got, "p-gone") {
				t.Errorf("after the delete, %s %s (try %d, cached=%v) still has p-gone", x.method, x.path, i, cached(t, r))
			}
			if len(got) != 5 {
				t.Errorf("after the delete, %s %s: %s, want the 5 kept profiles", x.method, x.path, fmtIDs(got))
			}
			if n == 0 && i == 0 && cached(t, r) {
				// (later questions may share a cache entry with an earlier
				// one: an employer and an all-regions accountmanager do)
				t.Errorf("the first %s %s after the delete came from the cache", x.method, x.path)
			}
			if i == 2 && !cached(t, r) {
				t.Errorf("the third %s %s after the delete was not cached", x.method, x.path)
			}
		}
	}
	r = s.do("GET", "/v1/search/profiles?q=heftruckcertificaat", secretAMAll, nil)
	mustStatus(t, "search", r, 200)
	if slices.Contains(ids(t, r), "p-gone") {
		t.Errorf("search finds p-gone after the delete")
	}
	mustStatus(t, "get deleted", s.do("GET", "/v1/profiles/p-gone", secretAMAll, nil), 404)
	mustStatus(t, "matches of deleted", s.do("GET", "/v1/profiles/p-gone/matches", secretAMAll, nil), 404)
	checkNoKeysInLogs(t, s.logs.String())
}

func TestDeletedProfileGoneMemoryCache(t *testing.T) {
	testDeletedProfileGone(t, cache.NewMemory(0))
}

func TestDeletedProfileGoneRedis(t *testing.T) {
	url := redistest.URL(t)
	for _, l1 := range []int{0, -1} {
		t.Run(fmt.Sprintf("l1=%d", l1), func(t *testing.T) {
			rc, err := cache.NewRedis(context.Background(), url, cache.RedisOptions{
				// a prefix of its own: REDIS_URL may be a shared server
				Prefix: fmt.Sprintf("wmrel:%s:%d:", t.Name(), time.Now().UnixNano()), L1Entries: l1})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = rc.Close() })
			testDeletedProfileGone(t, rc)
			if st := rc.Stats(); st.RedisHits == 0 && l1 < 0 {
				t.Errorf("no Redis hits with the L1 off: the test did not exercise Redis (%+v)", st)
			}
		})
	}
}

// TestRateLimitPerKey shows the defence against scraping: a key over its
// role's limit gets 429 problem+json with Retry-After, on every route
// (matches, search, documents), while other keys, also of the same role,
// keep being served; the key is served again after the wait.
func TestRateLimitPerKey(t *testing.T) {
	s := startServer(t, serverOptions{limits: map[string]cache.Limit{
		api.RoleEmployer:       {Rate: 1, Per: time.Second, Burst: 5},
		api.RoleAccountmanager: {Rate: 1, Per: time.Second, Burst: 5},
		api.RoleIngest:         {},
	}})
	seedAccess(t, s)
	for _, k := range []struct{ secret, path string }{
		{secretEmployerA, "/v1/vacancies/va/matches"},
		{secretAMAmst, "/v1/search/profiles?q=orderpicker"},
		{secretAMRdam, "/v1/profiles/p-rdam-0"},
	} {
		limited := 0
		for range 15 {
			r := s.do("GET", k.path, k.secret, nil)
			switch r.status {
			case 200:
			case 429:
				limited++
				checkProblem(t, k.path, r)
				if r.header.Get("Retry-After") == "" {
					t.Errorf("%s: 429 without Retry-After", k.path)
				}
			default:
				t.Fatalf("%s: %d %.200s", k.path, r.status, r.body)
			}
		}
		if limited < 5 {
			t.Errorf("%s: only %d of 15 quick requests were limited (burst 5, 1/s)", k.path, limited)
		}
	}
	// other keys of the same roles are not affected
	mustStatus(t, "employer b", s.do("GET", "/v1/vacancies/vb/matches", secretEmployerB, nil), 200)
	mustStatus(t, "am-all", s.do("GET", "/v1/search/profiles?q=orderpicker", secretAMAll, nil), 200)
	mustStatus(t, "ingest (unlimited)", s.do("GET", "/v1/profiles/p-ams-0", secretIngest, nil), 200)
	time.Sleep(1100 * time.Millisecond)
	mustStatus(t, "employer a after the wait", s.do("GET", "/v1/vacancies/va/matches", secretEmployerA, nil), 200)
	checkNoKeysInLogs(t, s.logs.String())
}
