package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/internal/syncbuf"
)

// The README is the first thing a new user follows; these tests follow it
// literally, so that it stays true to the code.

const readmePath = "../../README.md"

// readmeBlocks returns the fenced code blocks of a language in README.md.
func readmeBlocks(t *testing.T, lang string) []string {
	t.Helper()
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?s)```" + lang + "\n(.*?)```")
	var out []string
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	return out
}

// shellWords splits a command line the way sh does for the quoting the
// README uses: single quotes, double quotes (no expansion), backslash-
// newline continuation and backslash escapes.
func shellWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			i++
		case c == '\\' && i+1 < len(s):
			cur.WriteByte(s[i+1])
			inWord = true
			i++
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated single quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return nil, fmt.Errorf("unterminated double quote")
			}
			cur.WriteString(s[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '#' && !inWord:
			// a comment to the end of the line
			for i < len(s) && s[i] != '\n' {
				i++
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

func TestShellWords(t *testing.T) {
	got, err := shellWords("curl -s -H 'Authorization: Bearer x' \\\n  \"http://h/p?a=1&b=2\" -d '{\"a\": 1}' # note\n")
	want := []string{"curl", "-s", "-H", "Authorization: Bearer x", "http://h/p?a=1&b=2", "-d", `{"a": 1}`}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("shellWords = %q, %v; want %q", got, err, want)
	}
}

// readmeExample is one curl example of the README with the statuses its
// comment promises.
type readmeExample struct {
	title  string
	args   []string // curl's arguments
	status []int
}

var statusRe = regexp.MustCompile(`\((\d{3})(?: or (\d{3}))?\)\s*$`)

func readmeExamples(t *testing.T) []readmeExample {
	t.Helper()
	var out []readmeExample
	for _, b := range readmeBlocks(t, "sh") {
		if !strings.Contains(b, "curl ") || !strings.Contains(b, "http://localhost:8080/") {
			continue
		}
		first, rest, _ := strings.Cut(b, "\n")
		m := statusRe.FindStringSubmatch(first)
		if !strings.HasPrefix(first, "# ") || m == nil {
			t.Errorf("README curl example without a '# who: what (status)' line: %q", first)
			continue
		}
		ex := readmeExample{title: strings.TrimPrefix(first, "# ")}
		for _, s := range m[1:] {
			if s != "" {
				var n int
				fmt.Sscan(s, &n)
				ex.status = append(ex.status, n)
			}
		}
		words, err := shellWords(rest)
		if err != nil || len(words) < 2 || words[0] != "curl" || slices.Contains(words[1:], "curl") {
			t.Errorf("README example %q: want exactly one curl command (%v)", ex.title, err)
			continue
		}
		ex.args = words[1:]
		out = append(out, ex)
	}
	return out
}

// request turns the curl arguments the README uses (-s, -X, -H, -d, URL)
// into an HTTP request against base.
func (ex readmeExample) request(base string) (*http.Request, error) {
	method, body, target := "", "", ""
	var headers [][2]string
	for i := 0; i < len(ex.args); i++ {
		a := ex.args[i]
		switch a {
		case "-s":
		case "-X", "-H", "-d":
			if i+1 >= len(ex.args) {
				return nil, fmt.Errorf("%s without a value", a)
			}
			v := ex.args[i+1]
			i++
			switch a {
			case "-X":
				method = v
			case "-H":
				k, val, ok := strings.Cut(v, ":")
				if !ok {
					return nil, fmt.Errorf("header %q", v)
				}
				headers = append(headers, [2]string{k, strings.TrimSpace(val)})
			case "-d":
				body = v
			}
		default:
			if strings.HasPrefix(a, "-") || target != "" {
				return nil, fmt.Errorf("curl argument %q is not understood by this test", a)
			}
			target = strings.Replace(a, "http://localhost:8080", base, 1)
		}
	}
	if method == "" {
		method = http.MethodGet
		if body != "" {
			method = http.MethodPost
		}
	}
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, target, r)
	if err != nil {
		return nil, err
	}
	for _, h := range headers {
		req.Header.Set(h[0], h[1])
	}
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded") // as curl -d does
	}
	return req, nil
}

// run executes the example with curl when it is installed (exactly as
// printed, with the address swapped), else with net/http.
func (ex readmeExample) run(t *testing.T, base string) (int, []byte) {
	t.Helper()
	req, err := ex.request(base)
	if err != nil {
		t.Fatalf("%s: %v", ex.title, err)
	}
	if curl, err := exec.LookPath("curl"); err == nil {
		out := filepath.Join(t.TempDir(), "body")
		args := make([]string, 0, len(ex.args)+4)
		for _, a := range ex.args {
			args = append(args, strings.Replace(a, "http://localhost:8080", base, 1))
		}
		args = append(args, "-o", out, "-w", "%{http_code}")
		code, err := exec.Command(curl, args...).Output()
		if err != nil {
			t.Fatalf("%s: curl: %v", ex.title, err)
		}
		body, _ := os.ReadFile(out)
		var status int
		fmt.Sscan(string(code), &status)
		return status, body
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", ex.title, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// checkShape checks the answer against the API contract's shapes.
func (ex readmeExample) checkShape(t *testing.T, base string, status int, body []byte) {
	t.Helper()
	req, _ := ex.request(base)
	path := req.URL.Path
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Errorf("%s: answer is not a JSON object: %v", ex.title, err)
		return
	}
	if status >= 400 {
		if m["status"] != float64(status) || m["type"] == nil || m["title"] == nil {
			t.Errorf("%s: not a problem+json answer with status %d: %s", ex.title, status, body)
		}
		if status == http.StatusUnprocessableEntity {
			errs, _ := m["errors"].([]any)
			if len(errs) == 0 || errs[0].(map[string]any)["field"] != "summary" {
				t.Errorf("%s: 422 does not name the field: %s", ex.title, body)
			}
			if bytes.Contains(body, []byte("@example.nl")) {
				t.Errorf("%s: 422 echoes the personal data", ex.title)
			}
		}
		return
	}
	results, hasResults := m["results"].([]any)
	switch {
	case strings.HasSuffix(path, "/matches"):
		if !hasResults || len(results) == 0 {
			t.Errorf("%s: no results: %.300s", ex.title, body)
			return
		}
		if q := req.URL.Query().Get("limit"); q != "" {
			var limit int
			if _, err := fmt.Sscan(q, &limit); err == nil && len(results) > limit {
				t.Errorf("%s: %d results for limit %d", ex.title, len(results), limit)
			}
		}
		for _, r := range results {
			r := r.(map[string]any)
			score, _ := r["score"].(float64)
			_, isP := r["profile_id"].(string)
			_, isV := r["vacancy_id"].(string)
			if !(isP || isV) || score < 0 || score > 1 || r["explanation"] == nil {
				t.Errorf("%s: result without id, score in [0,1] or explanation: %v", ex.title, r)
			}
		}
	case strings.HasPrefix(path, "/v1/search/"):
		if !hasResults || len(results) == 0 || m["facets"] == nil {
			t.Errorf("%s: want results and facets: %.300s", ex.title, body)
		}
	case strings.HasPrefix(path, "/v1/taxonomy/"):
		if !hasResults || len(results) == 0 || results[0].(map[string]any)["uri"] == nil {
			t.Errorf("%s: want candidates with a uri: %.300s", ex.title, body)
		}
	case path == "/readyz":
		if m["status"] != "ready" {
			t.Errorf("%s: %s", ex.title, body)
		}
	case strings.HasPrefix(path, "/v1/profiles/") || strings.HasPrefix(path, "/v1/vacancies/"):
		if id := path[strings.LastIndexByte(path, '/')+1:]; m["id"] != id {
			t.Errorf("%s: want the document %s itself: %.300s", ex.title, id, body)
		}
	default:
		t.Errorf("%s: no shape check for %s", ex.title, path)
	}
}

// TestREADMEQuickStart: exactly the two commands of the issue.
func TestREADMEQuickStart(t *testing.T) {
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "## Quick start")
	if !ok {
		t.Fatal("README has no Quick start")
	}
	_, block, ok := strings.Cut(after, "```sh\n")
	block, _, _ = strings.Cut(block, "```")
	if !ok || strings.TrimSpace(block) != "go run ./cmd/werkmatch serve --demo\ngo test ./..." {
		t.Errorf("Quick start block is %q", block)
	}
}

// TestREADMEConfigurationTable: every flag of werkmatch serve is in the
// table with its environment twin, and the table names no other flag.
func TestREADMEConfigurationTable(t *testing.T) {
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `--([a-z0-9-]+)` \\| `([A-Z0-9_]+)` \\|")
	table := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		table[m[1]] = m[2]
	}
	var out bytes.Buffer
	if _, err := parseServeFlagsHelp(&out); err != nil {
		t.Fatal(err)
	}
	flagRe := regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`)
	var flags []string
	for _, m := range flagRe.FindAllStringSubmatch(out.String(), -1) {
		flags = append(flags, m[1])
	}
	if len(flags) < 10 {
		t.Fatalf("could not read serve's flags from its usage:\n%s", out.String())
	}
	for _, f := range flags {
		env, ok := table[f]
		if !ok {
			t.Errorf("flag --%s is missing from the README configuration table", f)
		} else if env != envName(f) {
			t.Errorf("README: --%s has environment %s, want %s", f, env, envName(f))
		}
	}
	for f := range table {
		if !slices.Contains(flags, f) {
			t.Errorf("README configuration table names --%s, which serve does not have", f)
		}
	}
}

// parseServeFlagsHelp captures serve's usage text.
func parseServeFlagsHelp(w io.Writer) (bool, error) {
	old := os.Stderr
	r, pw, err := os.Pipe()
	if err != nil {
		return false, err
	}
	os.Stderr = pw
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); io.Copy(w, r) }()
	_, perr := parseServeFlags([]string{"-h"})
	pw.Close()
	os.Stderr = old
	wg.Wait()
	r.Close()
	return perr != nil, nil
}

// TestREADMEFollowedLiterally builds werkmatch, starts the Quick start's
// serve --demo in an empty directory (only the port differs), waits for
// /readyz, runs every curl example of the README and checks status and
// shape, then stops the server with SIGTERM and expects a clean exit.
func TestREADMEFollowedLiterally(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	examples := readmeExamples(t)
	if len(examples) < 8 {
		t.Fatalf("found %d curl examples in the README", len(examples))
	}
	dir := t.TempDir()
	bin := buildWerkmatch(t)
	work := filepath.Join(dir, "work")
	os.Mkdir(work, 0o755)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	var out syncbuf.Buffer
	cmd := exec.Command(bin, "serve", "--demo", "--addr", addr)
	cmd.Dir = work // ./data lands here, as on a fresh clone
	cmd.Env = slices.DeleteFunc(os.Environ(), func(e string) bool { return strings.HasPrefix(e, "WERKMATCH_") })
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-exited
		}
	}()

	base := "http://" + addr
	deadline := time.Now().Add(3 * time.Minute)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("serve --demo exited before ready: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready after 3 minutes:\n%s", out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, key := range []string{"demo-ingest", "demo-accountmanager", "demo-employer-a", "demo-employer-b", "demo-admin"} {
		if !strings.Contains(out.String(), key) {
			t.Errorf("serve --demo did not print the demo key %s", key)
		}
	}
	if _, err := os.Stat(filepath.Join(work, "data")); err != nil {
		t.Errorf("the demo corpus is not in ./data: %v", err)
	}

	// The sample answer after the first example is the demo's own: the
	// skills it shows matched are skills of that vacancy. (Which
	// candidates come first may change with today's date.)
	sample := readmeBlocks(t, "json")[0]
	vreq, _ := http.NewRequest("GET", base+"/v1/vacancies/demo-v0000", nil)
	vreq.Header.Set("Authorization", "Bearer demo-admin")
	var vac struct {
		Required  []string `json:"required_skills"`
		Preferred []string `json:"preferred_skills"`
	}
	resp, err := http.DefaultClient.Do(vreq)
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&vac)
	resp.Body.Close()
	matched := regexp.MustCompile(`"matched_skills":\[([^\]]*)\]`).FindStringSubmatch(sample)
	if matched == nil {
		t.Errorf("README sample answer shows no matched_skills")
	} else {
		for _, sk := range regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(matched[1], -1) {
			if !slices.Contains(vac.Required, sk[1]) && !slices.Contains(vac.Preferred, sk[1]) {
				t.Errorf("README sample shows %q matched, but demo-v0000 asks for %v and %v", sk[1], vac.Required, vac.Preferred)
			}
		}
	}
	for _, ex := range examples {
		status, body := ex.run(t, base)
		if !slices.Contains(ex.status, status) {
			t.Errorf("%s: status %d, README says %v: %.300s", ex.title, status, ex.status, body)
			continue
		}
		ex.checkShape(t, base, status, body)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve did not exit cleanly on SIGTERM: %v\n%s", err, tail(out.String(), 2000))
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("serve still running 60s after SIGTERM")
	}
}

// The werkmatch binary, built once for the tests that run it as a process.
var (
	buildOnce sync.Once
	buildBin  string
	buildErr  error
)

// buildWerkmatch builds the werkmatch binary once per test run, into one
// fixed file per source tree under the system's temporary directory (so
// repeated runs do not pile up binaries).
func buildWerkmatch(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		wd, err := os.Getwd()
		if err != nil {
			buildErr = err
			return
		}
		sum := sha256.Sum256([]byte(wd))
		buildBin = filepath.Join(os.TempDir(), "werkmatch-test-"+hex.EncodeToString(sum[:6]))
		if out, err := exec.Command("go", "build", "-o", buildBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
