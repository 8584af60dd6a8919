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
// Retry-After, as the Server does while it loads the core. With m, /metrics serves m as the
// Server will, so that a scrape during a long start still succeeds.
func Starting(m *Metrics) http.Handler {
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
		p := newProblem(http.StatusServiceUnavailable, "werkmatch is starting: it is opening its data dir (after an upgrade this may rebuild the index, which takes minutes) and then loads the core; try again")
		p.RequestID = id
		p.Instance = "/"
		if safePath(r.URL.Path) {
			p.Instance = r.URL.Path
		}
		if r.URL.Path == "/readyz" {
			p.Detail = "not ready"
			p.Checks = map[string]string{"index": "opening", "core": "loading"}
		}
		b, _ := json.Marshal(p)
		h.Set("Content-Type", ProblemContentType)
		h.Set("Retry-After", "5")
		w.WriteHeader(http.StatusServiceUnavailable)
		if r.Method != http.MethodHead {
			_, _ = w.Write(b)
		}
	})
}

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
