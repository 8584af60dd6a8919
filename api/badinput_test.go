package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/werkmatch/werkmatch/api"
)

// TestBadBodies sends each kind of bad body to the JSON routes, over a
// real loopback connection, and wants its 4xx as problem+json.
func TestBadBodies(t *testing.T) {
	e := newEnv(t, nil)
	ts := httptest.NewServer(e.srv)
	defer ts.Close()

	good, _ := json.Marshal(profile("p1", amsterdam, 1011))
	tenMB := append([]byte(`{"id":"p1","summary":"`), bytes.Repeat([]byte("a"), 10<<20)...)
	tenMB = append(tenMB, `"}`...)
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	deepObj := `{"id":"p1","skills":` + strings.Repeat(`[`, 50) + strings.Repeat(`]`, 50) + `}`
	invalidUTF8 := append([]byte(`{"id":"p1","summary":"`), 0xff, 0xfe, '"', '}')

	cases := []struct {
		name   string
		body   []byte
		ctype  string
		chunk  bool // no Content-Length: the limit must still hold
		status int
	}{
		{"10 MB body", tenMB, "application/json", false, 413},
		{"10 MB body, chunked", tenMB, "application/json", true, 413},
		{"trailing garbage", append(append([]byte{}, good...), " garbage"...), "application/json", false, 400},
		{"second JSON value", append(append([]byte{}, good...), good...), "application/json", false, 400},
		{"wrong content type", good, "text/plain", false, 415},
		{"no content type", good, "", false, 415},
		{"form content type", good, "application/x-www-form-urlencoded", false, 415},
		{"latin-1 charset", good, "application/json; charset=iso-8859-1", false, 415},
		{"deeply nested array", []byte(deep), "application/json", false, 400},
		{"deeply nested field", []byte(deepObj), "application/json", false, 400},
		{"invalid UTF-8", invalidUTF8, "application/json", false, 400},
		{"empty", nil, "application/json", false, 400},
		{"not an object", []byte(`[1,2]`), "application/json", false, 400},
		{"null", []byte(`null`), "application/json", false, 400},
		{"truncated", good[:len(good)/2], "application/json", false, 400},
	}
	for _, tc := range cases {
		for _, target := range []struct{ method, path, key string }{
			{"PUT", "/v1/profiles/p1", kIngest},
			{"PUT", "/v1/vacancies/v1", kAM},
			{"POST", "/v1/matches", kEmployerA},
		} {
			var body io.Reader = bytes.NewReader(tc.body)
			if tc.chunk {
				body = io.MultiReader(bytes.NewReader(tc.body)) // hides the length
			}
			r, _ := http.NewRequest(target.method, ts.URL+target.path, body)
			if tc.chunk {
				r.ContentLength = -1
			}
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			r.Header.Set("Authorization", "Bearer "+target.key)
			resp, err := http.DefaultClient.Do(r)
			if err != nil {
				t.Fatalf("%s %s: %v", tc.name, target.path, err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			wantStatus := tc.status
			if resp.StatusCode != wantStatus {
				t.Errorf("%s to %s %s: status %d, want %d: %.300s", tc.name, target.method, target.path, resp.StatusCode, wantStatus, b)
				continue
			}
			if ct := resp.Header.Get("Content-Type"); ct != api.ProblemContentType {
				t.Errorf("%s to %s: Content-Type %q", tc.name, target.path, ct)
			}
			var p map[string]any
			if err := json.Unmarshal(b, &p); err != nil || p["status"] != float64(wantStatus) {
				t.Errorf("%s to %s: not a problem: %.300s", tc.name, target.path, b)
			}
		}
	}
	// the same for the bulk route (its limit is larger; a line's limit is
	// the single-document one).
	r, _ := http.NewRequest("POST", ts.URL+"/v1/profiles/_bulk", bytes.NewReader(good))
	r.Header.Set("Content-Type", "text/plain")
	r.Header.Set("Authorization", "Bearer "+kIngest)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 415 {
		t.Errorf("bulk wrong content type: %d", resp.StatusCode)
	}
}

// TestNoServerErrorForAnyBytes sends random and mutated bodies, paths and
// headers to every route: never a 5xx, never a panic.
func TestNoServerErrorForAnyBytes(t *testing.T) {
	e := newEnv(t, nil)
	e.putProfile(profile("p1", amsterdam, 1011))
	e.putVacancy(vacancy("v1", employerA, 1012))
	good, _ := json.Marshal(profile("p1", amsterdam, 1011))
	goodV, _ := json.Marshal(vacancy("v1", employerA, 1012))
	rng := rand.New(rand.NewPCG(1, 2))
	mutate := func(b []byte) []byte {
		out := append([]byte{}, b...)
		for range 1 + rng.IntN(8) {
			switch rng.IntN(4) {
			case 0:
				out[rng.IntN(len(out))] = byte(rng.IntN(256))
			case 1:
				i := rng.IntN(len(out))
				out = append(out[:i], out[min(len(out), i+rng.IntN(20)):]...)
			case 2:
				i := rng.IntN(len(out))
				out = append(out[:i], append([]byte(`{"x":[1e999,-0,"\u0000\ud800",true,null]}`), out[i:]...)...)
			case 3:
				out = append(out, byte(rng.IntN(256)))
			}
			if len(out) == 0 {
				out = []byte{'{'}
			}
		}
		return out
	}
	routes := []struct{ method, path, key string }{
		{"PUT", "/v1/profiles/p1", kIngest},
		{"PUT", "/v1/vacancies/v1", kAM},
		{"POST", "/v1/matches", kAM},
		{"POST", "/v1/profiles/_bulk", kIngest},
		{"GET", "/v1/vacancies/v1/matches", kEmployerA},
	}
	queries := []string{"", "?limit=-1", "?limit=99999999999999999999", "?w_skills=NaN", "?w_skills=1e308&w_hours=1e308",
		"?w_skills=0&w_occupation=0&w_branch=0&w_hours=0&w_distance=0&w_language=0&w_education=0", "?limit=%ff"}
	for i := range 600 {
		rt := routes[i%len(routes)]
		src := good
		if strings.Contains(rt.path, "vacanc") || rt.path == "/v1/matches" {
			src = goodV
		}
		body := mutate(src)
		if i%7 == 0 {
			body = make([]byte, rng.IntN(200))
			for j := range body {
				body[j] = byte(rng.IntN(256))
			}
		}
		ctype := "application/json"
		if rt.path == "/v1/profiles/_bulk" {
			ctype = "application/x-ndjson"
		}
		method := rt.method
		var rb any = body
		if method == "GET" {
			rb = nil
		}
		rec := e.do(req{method: method, path: rt.path + queries[i%len(queries)], key: rt.key, body: rb, ctype: ctype})
		if rec.Code >= 500 {
			t.Fatalf("%s %s with %q: %d %s", method, rt.path, body, rec.Code, rec.Body.String())
		}
	}
	// odd paths and search parameters.
	for _, p := range []string{"/v1/search/profiles?q=" + strings.Repeat("zorg+", 90), "/v1/search/profiles?near=9999&radius_km=500",
		"/v1/search/profiles?from=9900&size=100", "/v1/search/vacancies?q=%22%28%5B*%3F~", "/v1/profiles/%00", "/v1/profiles/..%2f..",
		"/v1/taxonomy/skills?q=" + strings.Repeat("%C3%BC", 100), "/v1/search/profiles?q=***&branch=,,,", "/v1/search/vacancies?status=open,open,open,open"} {
		if rec := e.do(req{method: "GET", path: p, key: kAdmin}); rec.Code >= 500 {
			t.Errorf("GET %s: %d %s", p, rec.Code, rec.Body.String())
		}
	}
}
