package api_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/api"
)

// scrape exercises the API a little, then returns /metrics.
func scrape(t *testing.T, e *env) string {
	t.Helper()
	e.putProfile(profile("p1", amsterdam, 1011))
	e.putVacancy(vacancy("v1", employerA, 1012))
	want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches", key: kEmployerA}), 200)
	want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches", key: kEmployerA}), 200)
	want(t, e.do(req{method: "GET", path: "/v1/profiles/p1/matches", key: kAM}), 200)
	want(t, e.do(req{method: "POST", path: "/v1/matches", key: kAM, body: vacancy("", "", 1012)}), 200)
	want(t, e.do(req{method: "POST", path: "/v1/profiles/_bulk", key: kIngest, body: `{"id":"p2","municipality":"0363","postcode4":1011,"perspectief":"werken"}`, ctype: "application/x-ndjson"}), 200)
	want(t, e.do(req{method: "GET", path: "/nope"}), 404)
	rec := e.do(req{method: "GET", path: "/metrics"})
	if rec.Code != 200 {
		t.Fatalf("/metrics: %d", rec.Code)
	}
	return rec.Body.String()
}

func TestMetricsContent(t *testing.T) {
	m := api.NewMetrics(nil)
	e := newEnv(t, func(c *api.Config) { c.Metrics = m })
	m.ObserveCommit("profile", 3, 2*time.Millisecond) // as index.Options.OnCommit would
	body := scrape(t, e)
	for _, s := range []string{
		`werkmatch_http_requests_total{method="GET",route="/v1/vacancies/:id/matches",status="2xx"} 2`,
		`werkmatch_http_requests_total{method="GET",route="unmatched",status="4xx"} 1`,
		`werkmatch_http_request_duration_seconds_bucket{method="GET",route="/v1/vacancies/:id/matches",status="2xx",le=`,
		`werkmatch_match_duration_seconds_count{direction="vacancy_to_profiles"} 1`,
		`werkmatch_match_duration_seconds_count{direction="profile_to_vacancies"} 1`,
		`werkmatch_match_duration_seconds_count{direction="adhoc_to_profiles"} 1`,
		`werkmatch_match_candidates_considered_total{direction="vacancy_to_profiles"}`,
		`werkmatch_match_candidates_scored_total{direction="vacancy_to_profiles"}`,
		`werkmatch_cache_hits_total{layer="l1"} 1`,
		`werkmatch_cache_misses_total 3`,
		`werkmatch_cache_errors_total 0`,
		`werkmatch_index_documents{kind="profile"} 2`,
		`werkmatch_index_documents{kind="vacancy"} 1`,
		`werkmatch_core_documents{kind="profile"} 2`,
		`werkmatch_index_commit_batch_size_count{kind="profile"} 1`,
		`werkmatch_index_commit_duration_seconds_count{kind="profile"} 1`,
		`werkmatch_ingest_bulk_lines_count 1`,
		`go_goroutines `,
		`process_cpu_seconds_total `,
	} {
		if !strings.Contains(body, s) {
			t.Errorf("/metrics lacks %s", s)
		}
	}
}

// TestMetricsPromtool runs `promtool check metrics` on a scrape. It skips
// when promtool is missing, unless WERKMATCH_REQUIRE_PROMTOOL=1 (CI).
func TestMetricsPromtool(t *testing.T) {
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("WERKMATCH_REQUIRE_PROMTOOL") == "1" {
			t.Fatal("promtool not found and WERKMATCH_REQUIRE_PROMTOOL=1 (install Debian's prometheus package)")
		}
		t.Skip("promtool not found: skipping `promtool check metrics`; install it (Debian: apt-get install prometheus, which ships promtool) or set WERKMATCH_REQUIRE_PROMTOOL=1 to fail instead")
	}
	e := newEnv(t, nil)
	body := scrape(t, e)
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out.String())
	}
	if s := strings.TrimSpace(out.String()); s != "" {
		t.Fatalf("promtool check metrics reports problems:\n%s", s)
	}
}
