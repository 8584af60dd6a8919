package api

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/werkmatch/werkmatch/matcher"
)

// Starting is what serve answers while it opens the data dir, before the
// Server exists: a rebuild of the index after an upgrade can take minutes,
// and a liveness probe must not kill the process meanwhile. /healthz
// answers 200; /readyz and everything else but /metrics 503 with
// Retry-After, as the Server does while it loads the core; with keys, a
// /v1 request without a known key is answered 401 first, as the Server
// does, so that a client with a wrong key fails at once instead of
// retrying (Starting knows no routes or roles: an unknown path or a key of
// the wrong role gets 503, and its 404 or 403 once the Server answers). With m,
// /metrics serves m as the Server will, so that a scrape during a long
// start still succeeds.
func Starting(m *Metrics, keys *Keys) http.Handler {
	var metrics http.Handler
	if m != nil {
		metrics = m.handler()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !requestIDRe.MatchString(id) {
			id = newRequestID()
		}
		h := w.Header()
		h.Set(RequestIDHeader, id)
		h.Set("X-Content-Type-Options", "nosniff")
		get := r.Method == http.MethodGet || r.Method == http.MethodHead
		if r.URL.Path == "/metrics" && get && metrics != nil {
			metrics.ServeHTTP(w, r)
			return
		}
		if r.URL.Path == "/healthz" && get {
			h.Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			if r.Method == http.MethodGet {
				_, _ = w.Write([]byte(`{"status":"ok"}`))
			}
			return
		}
		write := func(p *Problem, header, value string) {
			p.RequestID, p.Instance = id, "/"
			if safePath(r.URL.Path) {
				p.Instance = r.URL.Path
			}
			b, _ := json.Marshal(p)
			h.Set("Content-Type", ProblemContentType)
			h.Set(header, value)
			w.WriteHeader(p.Status)
			if r.Method != http.MethodHead {
				_, _ = w.Write(b)
			}
		}
		if keys != nil && strings.HasPrefix(r.URL.Path, "/v1/") && keyedMethod[r.Method] {
			if _, err := bearer(keys, r.Header.Get("Authorization")); err != nil {
				h.Set("Cache-Control", "no-store")
				write(problemOf(err), "WWW-Authenticate", `Bearer realm="werkmatch"`)
				return
			}
		}
		p := newProblem(http.StatusServiceUnavailable, "werkmatch is starting: it is opening its data dir (after an upgrade this may rebuild the index, which takes minutes) and then loads the core; try again")
		if r.URL.Path == "/readyz" {
			p.Detail = "not ready"
			p.Checks = map[string]string{"index": "opening", "core": "loading"}
		}
		write(p, "Retry-After", "5")
	})
}

// keyedMethod are the methods of the /v1 routes, which take a key; the
// Server answers others (HEAD, OPTIONS) 405 before it looks at the key.
var keyedMethod = map[string]bool{http.MethodGet: true, http.MethodPut: true, http.MethodPost: true, http.MethodDelete: true}

// safePath reports whether every segment of a path may be repeated in an
// answer (see instance).
func safePath(path string) bool {
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		if seg != "" && matcher.SafeID(seg) == "" {
			return false
		}
	}
	return true
}
