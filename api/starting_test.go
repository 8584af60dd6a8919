package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/werkmatch/werkmatch/api"
)

// TestStarting: while serve opens its data dir, /healthz is 200, /metrics
// answers, a request without a known key is 401 (as the Server answers it,
// so a client with a wrong key does not retry), and everything else is 503
// with Retry-After, over real HTTP.
func TestStarting(t *testing.T) {
	srv := httptest.NewServer(api.Starting(api.NewMetrics(nil), testKeys(t)))
	defer srv.Close()
	cases := []struct {
		method, path, key string
		status            int
		header            string // a header the answer must carry
		detail            string // part of the problem detail
	}{
		{"GET", "/healthz", "", 200, "", ""},
		{"HEAD", "/healthz", "", 200, "", ""},
		{"GET", "/metrics", "", 200, "", ""},
		{"GET", "/readyz", "", 503, "Retry-After", "not ready"},
		{"GET", "/openapi.json", "", 503, "Retry-After", "starting"},
		{"GET", "/v1/vacancies/v1/matches", "", 401, "WWW-Authenticate", "Bearer"},
		{"GET", "/v1/vacancies/v1/matches", "nope", 401, "WWW-Authenticate", "unknown API key"},
		{"PUT", "/v1/profiles/p1", "nope", 401, "WWW-Authenticate", "unknown API key"},
		{"GET", "/v1/vacancies/v1/matches", kEmployerA, 503, "Retry-After", "starting"},
		{"PUT", "/v1/profiles/p1", kIngest, 503, "Retry-After", "starting"},
		{"HEAD", "/v1/profiles/p1", "", 503, "Retry-After", ""},
		{"OPTIONS", "/v1/profiles/p1", "", 503, "Retry-After", "starting"},
		{"GET", "/nope", "", 503, "Retry-After", "starting"},
		{"GET", "/v1/vacancies/v1/matches", "bearer " + kAM, 503, "Retry-After", "starting"},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
		if strings.HasPrefix(c.key, "bearer ") {
			req.Header.Set("Authorization", c.key) // the scheme in other capitals
		} else if c.key != "" {
			req.Header.Set("Authorization", "Bearer "+c.key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s %s key %q: status %d, want %d", c.method, c.path, c.key, resp.StatusCode, c.status)
			continue
		}
		if c.status == 401 && resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: a 401 without Cache-Control: no-store", c.method, c.path)
		}
		if c.header != "" && resp.Header.Get(c.header) == "" {
			t.Errorf("%s %s key %q: no %s header", c.method, c.path, c.key, c.header)
		}
		if resp.Header.Get(api.RequestIDHeader) == "" {
			t.Errorf("%s %s: no request id", c.method, c.path)
		}
		if c.status == 200 || c.method == "HEAD" {
			continue
		}
		var p struct {
			Status int    `json:"status"`
			Detail string `json:"detail"`
		}
		if err := json.Unmarshal(body, &p); err != nil || p.Status != c.status || !strings.Contains(p.Detail, c.detail) {
			t.Errorf("%s %s key %q: problem %s, want status %d and %q in its detail", c.method, c.path, c.key, body, c.status, c.detail)
		}
	}
}

// TestStartingAgreesWithTheServer: for the requests Starting can judge
// (probes, and /v1 routes with a key that is missing, unknown, or known
// and of the route's role), it answers the status a Server that is
// still loading its core answers, so a client sees one behaviour across
// the whole start.
func TestStartingAgreesWithTheServer(t *testing.T) {
	e := newEnv(t, func(c *api.Config) { c.NotReady = true })
	starting := api.Starting(api.NewMetrics(nil), testKeys(t))
	for _, c := range []struct{ method, path, key string }{
		{"GET", "/healthz", ""},
		{"GET", "/readyz", ""},
		{"GET", "/v1/vacancies/v1/matches", ""},
		{"GET", "/v1/vacancies/v1/matches", "nope"},
		{"GET", "/v1/vacancies/v1/matches", kEmployerA},
		{"PUT", "/v1/profiles/p1", ""},
		{"PUT", "/v1/profiles/p1", kIngest},
		{"DELETE", "/v1/profiles/p1", "nope"},
		{"POST", "/v1/matches", kAM},
		{"GET", "/v1/search/profiles?q=kok", kAM},
		{"GET", "/v1/taxonomy/occupations?q=kok", kEmployerB},
	} {
		server := e.do(req{method: c.method, path: c.path, key: c.key})
		hr := httptest.NewRequest(c.method, c.path, nil)
		if c.key != "" {
			hr.Header.Set("Authorization", "Bearer "+c.key)
		}
		rec := httptest.NewRecorder()
		starting.ServeHTTP(rec, hr)
		if rec.Code != server.Code {
			t.Errorf("%s %s key %q: Starting %d, the loading Server %d", c.method, c.path, c.key, rec.Code, server.Code)
		}
		for _, h := range []string{"WWW-Authenticate", "Retry-After"} {
			if (rec.Header().Get(h) == "") != (server.Header().Get(h) == "") {
				t.Errorf("%s %s key %q: %s from Starting %q, from the Server %q", c.method, c.path, c.key, h, rec.Header().Get(h), server.Header().Get(h))
			}
		}
	}
}
