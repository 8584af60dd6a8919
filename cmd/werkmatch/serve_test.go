package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/cache"
	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/index"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// running is a serve started in-process.
type running struct {
	base string
	stop context.CancelFunc
	done chan struct{} // closed when serve has returned
	err  error         // what serve returned
	out  *bytes.Buffer
}

func startServe(t *testing.T, args ...string) *running {
	t.Helper()
	addr := freeAddr(t)
	cfg, err := parseServeFlags(append([]string{"--addr", addr, "--log-level", "warn"}, args...))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{base: "http://" + addr, stop: cancel, done: make(chan struct{}), out: &bytes.Buffer{}}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	go func() {
		r.err = serve(ctx, cfg, log, r.out)
		close(r.done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(30 * time.Second):
		}
	})
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := http.Get(r.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return r
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready after 90s (last: %v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (r *running) call(t *testing.T, method, path, key string, body io.Reader) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, r.base+path, body)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

// TestServeDemoLifecycle: serve --demo on an empty data dir generates and
// loads a corpus, accepts every demo key in its role, finishes an
// in-flight request on shutdown, and closes the index cleanly.
func TestServeDemoLifecycle(t *testing.T) {
	dir := t.TempDir()
	r := startServe(t, "--demo", "--data", dir, "--demo-profiles", "600", "--demo-vacancies", "120")
	if !strings.Contains(r.out.String(), "demo-employer-a") || !strings.Contains(r.out.String(), "demo-accountmanager") {
		t.Errorf("demo keys not printed: %s", r.out.String())
	}
	code, m := r.call(t, "GET", "/v1/vacancies/demo-v0000/matches?limit=5", api.DemoEmployerA, nil)
	if code != 200 || len(m["results"].([]any)) == 0 {
		t.Fatalf("demo-employer-a match: %d %v", code, m)
	}
	if code, _ := r.call(t, "GET", "/v1/vacancies/demo-v0000/matches", api.DemoEmployerB, nil); code != 404 {
		t.Errorf("demo-employer-b on A's vacancy: %d", code)
	}
	if code, _ := r.call(t, "GET", "/v1/vacancies/demo-v0001", api.DemoEmployerB, nil); code != 200 {
		t.Errorf("demo-employer-b on its own vacancy: %d", code)
	}
	if code, m := r.call(t, "GET", "/v1/search/profiles?q=magazijn", api.DemoAccountmanager, nil); code != 200 || m["total"] == nil {
		t.Errorf("accountmanager search: %d %v", code, m)
	}
	if code, _ := r.call(t, "GET", "/v1/profiles/p0000001/matches", api.DemoAccountmanager, nil); code != 200 {
		t.Errorf("accountmanager profile matches: %d", code)
	}
	p := `{"id":"x1","municipality":"0363","postcode4":1011,"perspectief":"werken","hours_min":8,"hours_max":24}`
	if code, _ := r.call(t, "PUT", "/v1/profiles/x1", api.DemoIngest, strings.NewReader(p)); code != 201 {
		t.Errorf("demo-ingest put: %d", code)
	}
	if code, _ := r.call(t, "DELETE", "/v1/vacancies/demo-v0003", api.DemoAdmin, nil); code != 204 {
		t.Errorf("demo-admin delete: %d", code)
	}

	// an in-flight bulk request: half sent when shutdown starts, finished after.
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", r.base+"/v1/profiles/_bulk", pr)
	req.Header.Set("Authorization", "Bearer "+api.DemoIngest)
	req.Header.Set("Content-Type", "application/x-ndjson")
	type result struct {
		code int
		err  error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			res <- result{err: err}
			return
		}
		resp.Body.Close()
		res <- result{code: resp.StatusCode}
	}()
	fmt.Fprintln(pw, strings.Replace(p, "x1", "inflight-1", 1))
	time.Sleep(200 * time.Millisecond) // the request is being served
	r.stop()                           // as SIGTERM does
	time.Sleep(200 * time.Millisecond)
	fmt.Fprintln(pw, strings.Replace(p, "x1", "inflight-2", 1))
	pw.Close()
	got := <-res
	if got.err != nil || got.code != 200 {
		t.Fatalf("in-flight request during shutdown: %d %v", got.code, got.err)
	}
	select {
	case <-r.done:
		if r.err != nil {
			t.Fatalf("serve returned %v", r.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}

	// closed cleanly: the index opens again and holds every acknowledged write.
	ix, err := index.Open(dir, index.Options{Locator: geo.New()})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"x1", "inflight-1", "inflight-2", "p0000599"} {
		if _, err := ix.GetProfile(context.Background(), id); err != nil {
			t.Errorf("profile %s after restart: %v", id, err)
		}
	}
	if _, err := ix.GetVacancy(context.Background(), "demo-v0003"); err == nil {
		t.Error("deleted vacancy back after restart")
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// A second start on the same data dir loads it and generates nothing.
	r2 := startServe(t, "--demo", "--data", dir, "--demo-profiles", "50", "--demo-vacancies", "10")
	code, m = r2.call(t, "GET", "/readyz", "", nil)
	if code != 200 || m["profiles"] != float64(603) || m["vacancies"] != float64(119) {
		t.Errorf("restart: %d %v", code, m)
	}
	if code, _ := r2.call(t, "GET", "/v1/profiles/inflight-2", api.DemoIngest, nil); code != 200 {
		t.Errorf("restart: profile written during shutdown: %d", code)
	}
}

// TestServeDemoKeysOnlyInDemoMode: without --demo the demo keys are
// unknown (401); keys from the keys file work.
func TestServeDemoKeysOnlyInDemoMode(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys.json")
	b, _ := json.Marshal([]api.Key{{KeySHA256: api.HashKey("s3cret-am"), Role: api.RoleAccountmanager, Regions: []string{"0363"}}})
	if err := os.WriteFile(keys, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := startServe(t, "--keys", keys, "--data", t.TempDir())
	for _, k := range []string{api.DemoAdmin, api.DemoAccountmanager, api.DemoEmployerA, api.DemoIngest} {
		if code, _ := r.call(t, "GET", "/v1/taxonomy/skills?q=kok", k, nil); code != 401 {
			t.Errorf("demo key %s outside demo mode: %d", k, code)
		}
	}
	if code, _ := r.call(t, "GET", "/v1/taxonomy/skills?q=kok", "s3cret-am", nil); code != 200 {
		t.Errorf("keys-file key: %d", code)
	}
}

func TestServeFlagsAndEnvTwins(t *testing.T) {
	t.Setenv("WERKMATCH_ADDR", ":9999")
	t.Setenv("WERKMATCH_DATA", "/from/env")
	t.Setenv("WERKMATCH_REDIS_URL", "redis://example:6379/0")
	t.Setenv("WERKMATCH_DEMO", "true")
	t.Setenv("WERKMATCH_RATE_EMPLOYER", "5/1s,10")
	t.Setenv("WERKMATCH_MAX_BODY", "2048")
	cfg, err := parseServeFlags([]string{"--data", "/from/flag", "--rate-ingest", "off"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.addr != ":9999" || cfg.data != "/from/flag" || cfg.redisURL != "redis://example:6379/0" || !cfg.demo || cfg.maxBody != 2048 {
		t.Errorf("config %+v", cfg)
	}
	if l := cfg.rates[api.RoleEmployer].l; l != (cache.Limit{Rate: 5, Per: time.Second, Burst: 10}) {
		t.Errorf("employer rate %+v", l)
	}
	if l := cfg.rates[api.RoleIngest].l; l.Rate != 0 {
		t.Errorf("ingest rate %+v", l)
	}
	t.Setenv("WERKMATCH_RATE_EMPLOYER", "fast")
	if _, err := parseServeFlags(nil); err == nil || !strings.Contains(err.Error(), "WERKMATCH_RATE_EMPLOYER") {
		t.Errorf("bad env value: %v", err)
	}
	t.Setenv("WERKMATCH_RATE_EMPLOYER", "")
	os.Unsetenv("WERKMATCH_RATE_EMPLOYER")
	t.Setenv("WERKMATCH_DEMO", "false")
	if _, err := parseServeFlags(nil); err == nil {
		t.Error("no keys and no demo accepted")
	}
}

// TestAuditLogMode: the audit log is 0600 also when the file existed with
// a wider mode (OpenFile keeps the mode of an existing file).
func TestAuditLogMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(path, []byte("earlier\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, closeLog, err := openAuditLog(path)
	if err != nil {
		t.Fatal(err)
	}
	closeLog()
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v (%v)", fi.Mode().Perm(), err)
	}
}

// TestServeAnswersWhileOpening: serve listens before it opens the data dir
// (a rebuild after an upgrade takes minutes), so a liveness probe gets 200
// from /healthz meanwhile, while /readyz and /v1 answer 503 with
// Retry-After; a data dir that another process holds is refused at once.
func TestServeAnswersWhileOpening(t *testing.T) {
	entered, hold := make(chan struct{}), make(chan struct{})
	beforeIndexOpen = func() { close(entered); <-hold }
	defer func() { beforeIndexOpen = func() {} }()
	dir, addr := t.TempDir(), freeAddr(t)
	cfg, err := parseServeFlags([]string{"--addr", addr, "--log-level", "warn", "--demo", "--data", dir,
		"--demo-profiles", "20", "--demo-vacancies", "5"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, cfg, slog.New(slog.DiscardHandler), io.Discard) }()
	select {
	case <-entered:
	case err := <-done:
		t.Fatalf("serve returned before opening the data dir: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not reach the data dir")
	}
	base := "http://" + addr
	get := func(method, path, key string) (*http.Response, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		b, _ := io.ReadAll(resp.Body)
		if len(b) > 0 {
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s %s: %v in %q", method, path, err, b)
			}
		}
		return resp, m
	}
	if resp, m := get("GET", "/healthz", ""); resp.StatusCode != 200 || m["status"] != "ok" {
		t.Errorf("healthz while opening: %d %v", resp.StatusCode, m)
	}
	if resp, _ := get("HEAD", "/healthz", ""); resp.StatusCode != 200 {
		t.Errorf("HEAD healthz while opening: %d", resp.StatusCode)
	}
	if resp, err := http.Get(base + "/metrics"); err != nil {
		t.Error(err)
	} else {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), "go_goroutines") {
			t.Errorf("metrics while opening: %d %.200s", resp.StatusCode, b)
		}
	}
	resp, m := get("GET", "/readyz", "")
	checks, _ := m["checks"].(map[string]any)
	if resp.StatusCode != 503 || resp.Header.Get("Content-Type") != api.ProblemContentType ||
		resp.Header.Get("Retry-After") == "" || checks["index"] != "opening" {
		t.Errorf("readyz while opening: %d %v %v", resp.StatusCode, resp.Header, m)
	}
	resp, m = get("GET", "/v1/vacancies/demo-v0001/matches", api.DemoEmployerA)
	if resp.StatusCode != 503 || resp.Header.Get(api.RequestIDHeader) == "" || m["request_id"] != resp.Header.Get(api.RequestIDHeader) ||
		m["instance"] != "/v1/vacancies/demo-v0001/matches" || !strings.Contains(fmt.Sprint(m["detail"]), "starting") {
		t.Errorf("a /v1 route while opening: %d %v %v", resp.StatusCode, resp.Header, m)
	}
	// a wrong key fails at once, as it will once ready, instead of retrying
	if resp, m := get("GET", "/v1/vacancies/demo-v0001/matches", "not-a-key"); resp.StatusCode != 401 || resp.Header.Get("Retry-After") != "" {
		t.Errorf("an unknown key while opening: %d %v %v", resp.StatusCode, resp.Header, m)
	}
	// a path segment that is personal data is not repeated
	if _, m := get("GET", "/v1/profiles/123456782", api.DemoAdmin); m["instance"] != "/" {
		t.Errorf("instance of a BSN path while opening: %v", m["instance"])
	}

	close(hold)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if resp, _ := get("GET", "/readyz", ""); resp.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not ready after the data dir opened")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if resp, m := get("GET", "/v1/vacancies/demo-v0000/matches", api.DemoEmployerA); resp.StatusCode != 200 {
		t.Errorf("match once ready: %d %v", resp.StatusCode, m)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}

	// Another process holds the data dir: refused at once, with a reason.
	ix, err := index.Open(dir, index.Options{Locator: geo.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	beforeIndexOpen = func() {}
	cfg.addr = freeAddr(t)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel2()
	began := time.Now()
	go func() { done <- serve(ctx2, cfg, slog.New(slog.DiscardHandler), io.Discard) }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("serve waited on a data dir held by another process")
	}
	// refused by the check before listening, not by the index's 10 s lock wait
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("serve took %v to refuse a data dir held by another process", took)
	}
	if err == nil || !strings.Contains(err.Error(), "in use by another process") {
		t.Errorf("serve on a data dir held by another process: %v", err)
	}
}

// TestServeStoppingStillReportsADamagedIndex: a stop signal that came
// while the taxonomy loaded does not turn a data dir that cannot be opened
// into a clean exit; only a rebuild stopped by it is one.
func TestServeStoppingStillReportsADamagedIndex(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "profiles.bleve"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "profiles.bleve", "index_meta.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := parseServeFlags([]string{"--addr", freeAddr(t), "--demo", "--data", dir})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = serve(ctx, cfg, slog.New(slog.DiscardHandler), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "open index in "+dir) {
		t.Fatalf("serve on a damaged data dir, stopped while starting: %v", err)
	}
}
