package reliability

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/matcher"
)

// routeTemplates are every route of the contract; {p} and {v} are
// replaced by profile and vacancy ids (existing, missing or malformed).
var routeTemplates = []string{
	"/v1/profiles/{p}", "/v1/profiles/_bulk", "/v1/profiles/{p}/matches",
	"/v1/vacancies/{v}", "/v1/vacancies/{v}/matches", "/v1/matches",
	"/v1/search/profiles", "/v1/search/vacancies", "/v1/taxonomy/occupations", "/v1/taxonomy/skills",
	"/healthz", "/readyz", "/metrics", "/openapi.json", "/", "/v1", "/v1/", "/v2/profiles/x", "/v1/profiles/{p}/matches/extra",
}

// routeMethods are the methods each route takes.
var routeMethods = map[string][]string{
	"/v1/profiles/{p}": {"GET", "PUT", "DELETE"}, "/v1/profiles/_bulk": {"POST"}, "/v1/profiles/{p}/matches": {"GET"},
	"/v1/vacancies/{v}": {"GET", "PUT", "DELETE"}, "/v1/vacancies/{v}/matches": {"GET"}, "/v1/matches": {"POST"},
	"/v1/search/profiles": {"GET"}, "/v1/search/vacancies": {"GET"}, "/v1/taxonomy/occupations": {"GET"}, "/v1/taxonomy/skills": {"GET"},
}

var chaosMethods = []string{"GET", "GET", "GET", "PUT", "PUT", "POST", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "PROPFIND", "get"}

var chaosSecrets = []string{secretIngest, secretAMAll, secretAMAmst, secretEmployerA, secretEmployerB, secretAdmin, "", secretUnknown}

var chaosQueries = []string{
	"", "limit=5", "limit=0", "limit=201", "limit=99999999999999999999999", "limit=-1", "limit=abc",
	"w_skills=2&w_distance=0", "w_skills=NaN", "w_hours=Inf", "w_branch=-1", "w_education=1e308",
	"q=kok", "q=orderpicker&branch=Logistiek&near=1012&radius_km=30", "q=%ff%fe%00", "q=*", "q=a~+AND+(",
	"near=99999&radius_km=1e9", "hours_min=60&hours_max=0", "from=9901&size=1000", "size=-5",
	"perspectief=meedoen&municipality=0363,0599,abcd", "open_hiring=yes", "banenafspraak=2",
	"status=open,closed,filled,open", "employer_id=%2F%2E%2E", "driving_licence=Z", "q=" + strings.Repeat("x", 700),
	"limit=5&limit=6", "%zz=1", "a=%", "q=%E2%28%A1",
}

// chaosIDs are path ids: existing, missing and malformed.
var chaosIDs = []string{"p-c0", "p-c1", "va-c", "vb-c", "missing", "", "..", "%2F", "%00", "a%20b", "ünïcode", strings.Repeat("x", 65), strings.Repeat("y", 5000), "_bulk", "%ff%fe", "p-c0%2Fmatches"}

// mutate returns a corrupted copy of a JSON document.
func mutate(r *rand.Rand, doc []byte) []byte {
	b := slices.Clone(doc)
	switch r.IntN(12) {
	case 0: // flip bytes
		for range 1 + r.IntN(5) {
			if len(b) > 0 {
				b[r.IntN(len(b))] = byte(r.IntN(256))
			}
		}
	case 1: // truncate
		if len(b) > 0 {
			b = b[:r.IntN(len(b))]
		}
	case 2: // invalid UTF-8 into a string
		i := bytes.IndexByte(b, '"')
		if i >= 0 {
			b = slices.Insert(b, i+1, 0xff, 0xfe, 0xc3, 0x28)
		}
	case 3: // huge numbers
		for _, f := range []string{`"hours_min":`, `"postcode4":`, `"max_travel_km":`, `"positions":`} {
			if i := bytes.Index(b, []byte(f)); i >= 0 {
				nums := []string{"1e999", "99999999999999999999999999", "-9223372036854775809", "1.5", "-0", "0x10", "NaN"}
				b = slices.Insert(b, i+len(f), []byte(nums[r.IntN(len(nums))]+"0,\"x\":")...)
			}
		}
	case 4: // deep nesting
		n := 20 + r.IntN(20000)
		b = []byte(`{"skills":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}`)
	case 5: // a long string
		b = []byte(`{"summary":"` + strings.Repeat("é", 1000+r.IntN(200000)) + `"}`)
	case 6: // wrong types
		b = bytes.Replace(b, []byte(`"skills":[`), []byte(`"skills":{"a":[`), 1)
	case 7: // duplicate and unknown keys
		b = append([]byte(`{"id":"dup","id":"dup2","bsn":"123456782",`), b[1:]...)
	case 8: // other JSON values
		vals := []string{"null", "[]", "true", `"x"`, "0", "{}", "", " ", "\x00", `{"a":1}{"b":2}`}
		b = []byte(vals[r.IntN(len(vals))])
	case 9: // personal data in free text
		b = bytes.Replace(b, []byte(`"summary":"`), []byte(`"summary":"mail me op jan.jansen@example.nl of 06-12345678 BSN 111222333 `), 1)
		b = bytes.Replace(b, []byte(`"description":"`), []byte(`"description":"IBAN NL91ABNA0417164300 `), 1)
	case 10: // random bytes
		b = make([]byte, r.IntN(400))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
	default: // unchanged: a valid write now and then
	}
	return b
}

// chaosRequest is one random request.
type chaosRequest struct {
	method, path, query string
	header              http.Header
	body                []byte
}

func randomRequest(r *rand.Rand, profiles, vacancies [][]byte) chaosRequest {
	ingestJSON := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + secretIngest}}
	switch r.IntN(50) {
	case 0: // over the 1 MiB single-document limit, to a route that reads it
		body := append([]byte(`{"summary":"`), bytes.Repeat([]byte("a"), 1<<20+r.IntN(1<<18))...)
		return chaosRequest{method: "PUT", path: "/v1/profiles/p-c0", header: ingestJSON, body: body}
	case 1: // personal data in an otherwise valid profile
		p := bytes.Replace(profiles[0], []byte(`"summary":"`), []byte(`"summary":"Bel 06-12345678 of mail jan@example.nl. `), 1)
		return chaosRequest{method: "PUT", path: "/v1/profiles/p-c0", header: ingestJSON, body: p}
	}
	tmpl := routeTemplates[r.IntN(len(routeTemplates))]
	path := strings.ReplaceAll(tmpl, "{p}", chaosIDs[r.IntN(len(chaosIDs))])
	path = strings.ReplaceAll(path, "{v}", chaosIDs[r.IntN(len(chaosIDs))])
	q := chaosQueries[r.IntN(len(chaosQueries))]
	if r.IntN(4) == 0 {
		q += "&" + chaosQueries[r.IntN(len(chaosQueries))]
	}
	h := http.Header{}
	if s := chaosSecrets[r.IntN(len(chaosSecrets))]; s != "" {
		h.Set("Authorization", "Bearer "+s)
	}
	switch r.IntN(10) {
	case 0:
		h.Set("Authorization", []string{"Basic abc", "Bearer", "bearer " + secretAdmin, "Bearer " + strings.Repeat("k", 4000)}[r.IntN(4)])
	case 1:
		h.Set("If-Match", []string{`"x"`, "*", `W/"abc", "def"`, strings.Repeat(",", 300)}[r.IntN(4)])
	case 2:
		h.Set("X-Request-ID", []string{"short", strings.Repeat("r", 200), "ok-request-id-1234", "bad id with spaces"}[r.IntN(4)])
	}
	var body []byte
	switch {
	case strings.HasSuffix(tmpl, "_bulk"):
		var lines [][]byte
		for range r.IntN(30) {
			lines = append(lines, mutate(r, profiles[r.IntN(len(profiles))]))
		}
		body = bytes.Join(lines, []byte{'\n'})
	case strings.Contains(tmpl, "{p}"):
		body = mutate(r, profiles[r.IntN(len(profiles))])
	default:
		body = mutate(r, vacancies[r.IntN(len(vacancies))])
	}
	if r.IntN(60) == 0 { // over the 1 MiB single-document limit
		body = append([]byte(`{"summary":"`), bytes.Repeat([]byte("a"), 1<<20+r.IntN(1<<18))...)
	}
	method := chaosMethods[r.IntN(len(chaosMethods))]
	if ms := routeMethods[tmpl]; len(ms) > 0 && r.IntN(4) != 0 {
		method = ms[r.IntN(len(ms))] // mostly a method the route takes, to get past routing
	}
	if method == "GET" || method == "HEAD" || method == "DELETE" {
		if r.IntN(3) != 0 {
			body = nil
		}
	}
	if body != nil {
		cts := []string{"application/json", "application/json", "application/x-ndjson", "text/plain", "", "application/json; charset=iso-8859-1", "application/json; charset", "*/*"}
		if ct := cts[r.IntN(len(cts))]; ct != "" {
			h.Set("Content-Type", ct)
		}
	}
	return chaosRequest{method: method, path: path, query: q, header: h, body: body}
}

// rawGarbage is a request line or header block the HTTP client would not
// send, written on a raw connection.
func rawGarbage(r *rand.Rand, host string) []byte {
	switch r.IntN(6) {
	case 0:
		return []byte("GET /v1/profiles/\xff\xfe HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + secretIngest + "\r\n\r\n")
	case 1:
		return []byte("PUT /v1/profiles/p-raw HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + secretIngest + "\r\nContent-Type: application/json\r\nContent-Length: 99999\r\n\r\n{\"id\":")
	case 2:
		return []byte("POST /v1/profiles/_bulk HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + secretIngest + "\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"id\"\r\nzz\r\n")
	case 3:
		return []byte("GET /v1/search/profiles?q=" + strings.Repeat("%", 100) + " HTTP/1.1\r\nHost: " + host + "\r\nX-Bad: \x01\x02\r\n\r\n")
	case 4:
		return []byte("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03") // a TLS hello to a plain port
	default:
		b := make([]byte, 1+r.IntN(300))
		for i := range b {
			b[i] = byte(r.IntN(256))
		}
		return b
	}
}

// sendRaw writes b and reads the status line of any answer (0: none).
func sendRaw(addr string, b []byte) (int, error) {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write(b); err != nil {
		return 0, nil // the server may hang up first
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return 0, nil
	}
	f := strings.Fields(line)
	if len(f) < 2 {
		return 0, fmt.Errorf("not a status line: %q", line)
	}
	return strconv.Atoi(f[1])
}

func chaosSeed(t *testing.T) uint64 {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("WERKMATCH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (rerun with WERKMATCH_SEED=%d)", seed, seed)
	return seed
}

// TestRandomRequestsNeverFail sends thousands of random and mutated
// requests (methods, paths, ids, query strings, headers, bodies with
// invalid UTF-8, huge numbers, deep nesting, personal data, oversized
// bodies, raw garbage on the socket) to every route of a running server
// over loopback, from several clients at once. No answer may be a 5xx, no
// handler may panic, and afterwards the server answers correctly: a
// round trip works and its match answers equal those of a core rebuilt
// from the store.
func TestRandomRequestsNeverFail(t *testing.T) {
	s := startServer(t, serverOptions{})
	for i := range 2 {
		s.putProfile(profileAt(fmt.Sprintf("p-c%d", i), amsterdam, 1011+i))
	}
	s.putVacancy(vacancyOf("va-c", employerA, 1012))
	s.putVacancy(vacancyOf("vb-c", employerB, 1012))
	var profiles, vacancies [][]byte
	for i := range 4 {
		p := profileAt(fmt.Sprintf("p-c%d", i), []string{amsterdam, rotterdam}[i%2], []int{1011, 3011}[i%2]+i)
		b, _ := json.Marshal(p)
		profiles = append(profiles, b)
		v := vacancyOf(fmt.Sprintf("v-c%d", i), employerA, 1012)
		b, _ = json.Marshal(v)
		vacancies = append(vacancies, b)
	}

	n := 3000
	if testing.Short() {
		n = 600
	}
	seed := chaosSeed(t)
	host := strings.TrimPrefix(s.url, "http://")
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		failures []string
		next     atomic.Int64
		wg       sync.WaitGroup
	)
	fail := func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, msg)
		}
	}
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(w)))
			for next.Add(1) <= int64(n) {
				if r.IntN(25) == 0 {
					code, err := sendRaw(host, rawGarbage(r, host))
					if err != nil {
						fail(fmt.Sprintf("raw request: %v", err))
					}
					if code >= 500 {
						fail(fmt.Sprintf("raw request: %d", code))
					}
					mu.Lock()
					statuses[code]++
					mu.Unlock()
					continue
				}
				cr := randomRequest(r, profiles, vacancies)
				u := s.url + cr.path
				if cr.query != "" {
					u += "?" + cr.query
				}
				req, err := http.NewRequest(cr.method, u, bytes.NewReader(cr.body))
				if err != nil {
					// a URL the client refuses: send it raw instead
					raw := cr.method + " " + cr.path + "?" + cr.query + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n"
					code, _ := sendRaw(host, []byte(raw))
					if code >= 500 {
						fail(fmt.Sprintf("raw %s %s: %d", cr.method, cr.path, code))
					}
					continue
				}
				if cr.body == nil {
					req.Body = nil
					req.ContentLength = 0
				}
				req.Header = cr.header
				resp, err := s.client.Do(req)
				if err != nil {
					fail(fmt.Sprintf("%s %.80s: %v", cr.method, u, err))
					continue
				}
				var buf bytes.Buffer
				_, _ = buf.ReadFrom(resp.Body)
				resp.Body.Close()
				mu.Lock()
				statuses[resp.StatusCode]++
				mu.Unlock()
				if resp.StatusCode >= 500 {
					fail(fmt.Sprintf("%s %.120s: %d %.300s", cr.method, u, resp.StatusCode, buf.String()))
				}
				if resp.StatusCode >= 400 && cr.method != "HEAD" {
					var p map[string]any
					if json.Unmarshal(buf.Bytes(), &p) != nil || p["status"] != float64(resp.StatusCode) {
						fail(fmt.Sprintf("%s %.120s: %d is not problem+json: %.200s", cr.method, u, resp.StatusCode, buf.String()))
					}
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d requests, statuses %v", n, statuses)
	for _, f := range failures {
		t.Error(f)
	}
	if strings.Contains(s.logs.String(), "panic") {
		t.Errorf("a handler panicked: %.2000s", s.logs.String()[strings.Index(s.logs.String(), "panic"):])
	}
	if statuses[200]+statuses[201] == 0 || statuses[400] == 0 || statuses[401] == 0 || statuses[403] == 0 || statuses[404] == 0 ||
		statuses[405] == 0 || statuses[413] == 0 || statuses[415] == 0 || statuses[422] == 0 {
		t.Errorf("the random requests did not reach every outcome: %v", statuses)
	}
	checkNoKeysInLogs(t, s.logs.String())
	checkAnswersCorrectly(t, s)
}

// checkAnswersCorrectly does a write-read round trip and compares the
// server's match answers for every stored vacancy with those of a core
// rebuilt from the store.
func checkAnswersCorrectly(t *testing.T, s *testServer) {
	t.Helper()
	mustStatus(t, "healthz", s.do("GET", "/healthz", "", nil), 200)
	mustStatus(t, "readyz", s.do("GET", "/readyz", "", nil), 200)
	p := profileAt("p-after", amsterdam, 1012)
	s.putProfile(p)
	r := s.do("GET", "/v1/profiles/p-after", secretAMAll, nil)
	mustStatus(t, "get after", r, 200)
	var got matcher.Profile
	if err := json.Unmarshal(r.body, &got); err != nil || got.ID != p.ID || got.Postcode4 != p.Postcode4 {
		t.Fatalf("round trip after the storm: %v %+v", err, got)
	}
	compareWithRebuiltCore(t, s.url, s.client, s.ix)
}

// compareWithRebuiltCore builds a fresh core from every stored document
// and checks that the server's answers (vacancy matches for every
// vacancy, profile matches for some profiles, as the all-regions
// accountmanager) have the same ids in the same order and the same
// scores.
func compareWithRebuiltCore(t *testing.T, base string, c *http.Client, st matcher.Source) {
	t.Helper()
	ctx := context.Background()
	eng := newCore()
	var ps []*matcher.Profile
	if err := st.EachProfile(ctx, func(p *matcher.Profile) error { ps = append(ps, p); return nil }); err != nil {
		t.Fatal(err)
	}
	eng.UpsertProfiles(ps)
	var vs []*matcher.Vacancy
	if err := st.EachVacancy(ctx, func(v *matcher.Vacancy) error { vs = append(vs, v); return nil }); err != nil {
		t.Fatal(err)
	}
	eng.UpsertVacancies(vs)
	slices.SortFunc(vs, func(a, b *matcher.Vacancy) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(ps, func(a, b *matcher.Profile) int { return strings.Compare(a.ID, b.ID) })
	if len(vs) > 25 {
		vs = vs[:25]
	}
	if len(ps) > 10 {
		ps = ps[:10]
	}
	type question struct {
		path string
		run  func() (*matcher.MatchResult, error)
	}
	var qs []question
	for _, v := range vs {
		qs = append(qs, question{"/v1/vacancies/" + v.ID + "/matches?limit=50", func() (*matcher.MatchResult, error) {
			return eng.MatchVacancyID(ctx, v.ID, matcher.Query{Limit: 50})
		}})
	}
	for _, p := range ps {
		qs = append(qs, question{"/v1/profiles/" + p.ID + "/matches?limit=50", func() (*matcher.MatchResult, error) {
			return eng.MatchProfileID(ctx, p.ID, matcher.Query{Limit: 50})
		}})
	}
	for _, q := range qs {
		want, err := q.run()
		if err != nil {
			t.Fatalf("rebuilt core, %s: %v", q.path, err)
		}
		r := call(t, c, base, "GET", q.path, secretAMAll, nil)
		if r.status != 200 {
			t.Errorf("%s: %d %.200s", q.path, r.status, r.body)
			continue
		}
		var got matcher.MatchResult
		if err := json.Unmarshal(r.body, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Results) != len(want.Results) {
			t.Errorf("%s: %d results, the rebuilt core has %d", q.path, len(got.Results), len(want.Results))
			continue
		}
		for i := range got.Results {
			g, w := got.Results[i], want.Results[i]
			if g.ProfileID != w.ProfileID || g.VacancyID != w.VacancyID || abs(g.Score-w.Score) > 1e-9 {
				t.Errorf("%s: result %d is %s%s %.6f, the rebuilt core has %s%s %.6f", q.path, i, g.ProfileID, g.VacancyID, g.Score, w.ProfileID, w.VacancyID, w.Score)
				break
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// newCore is a core as serve builds it (built-in taxonomy, coarse PC4).
func newCore() *matcher.Engine {
	return matcher.NewEngine(matcher.EngineOptions{Locator: geoTable(), Taxonomy: builtinTaxonomy(), Workers: 1})
}
