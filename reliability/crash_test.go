package reliability

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/matcher"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

// werkmatchBinary builds cmd/werkmatch once per test run.
func werkmatchBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "werkmatch-reliability-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "werkmatch")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/werkmatch")
		cmd.Dir = ".."
		out, err := cmd.CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// serveChild is a running `werkmatch serve`.
type serveChild struct {
	cmd    *exec.Cmd
	url    string
	stderr *lockedBuffer
	done   chan struct{}
}

// startChild runs werkmatch serve on a free loopback port and waits until
// it is ready.
func startChild(t *testing.T, bin, dataDir, keysFile string, logs *lockedBuffer, extra ...string) *serveChild {
	t.Helper()
	args := append([]string{"serve", "--data", dataDir, "--addr", "127.0.0.1:0", "--keys", keysFile, "--log-level", "debug"}, extra...)
	cmd := exec.Command(bin, args...)
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "WERKMATCH_") { // the flags alone configure the child
			cmd.Env = append(cmd.Env, e)
		}
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = pw
	cmd.Stdout = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	c := &serveChild{cmd: cmd, stderr: logs, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			_, _ = logs.Write([]byte(line + "\n"))
			var m struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal([]byte(line), &m) == nil && m.Msg == "listening" && m.Addr != "" {
				select {
				case addr <- m.Addr:
				default:
				}
			}
		}
		pr.Close()
	}()
	go func() {
		_ = cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() { c.kill() })
	select {
	case a := <-addr:
		c.url = "http://" + a
	case <-c.done:
		t.Fatalf("werkmatch serve exited at start: %s", tail(logs.String()))
	case <-time.After(60 * time.Second):
		t.Fatalf("werkmatch serve did not listen within 60s: %s", tail(logs.String()))
	}
	hc := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := hc.Get(c.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return c
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("werkmatch serve not ready within 90s: %s", tail(logs.String()))
		}
		select {
		case <-c.done:
			t.Fatalf("werkmatch serve exited while loading: %s", tail(logs.String()))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// kill sends SIGKILL and reaps the process.
func (c *serveChild) kill() {
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.done
}

func tail(s string) string {
	if len(s) > 3000 {
		return s[len(s)-3000:]
	}
	return s
}

// docState is what the client knows of one document: the state of its
// last acknowledged write ("" = absent), and the state an unacknowledged
// write in flight at the kill may have left ("-" = none).
type docState struct {
	acked   string
	pending string
}

const noPending = "-"

// crashModel is the client's view, one writer per document.
type crashModel struct {
	mu   sync.Mutex
	docs map[string]*docState // "p/<id>" or "v/<id>"
}

func (m *crashModel) begin(key, state string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.docs[key]
	if d == nil {
		d = &docState{}
		m.docs[key] = d
	}
	d.pending = state
}

func (m *crashModel) ack(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.docs[key]
	d.acked, d.pending = d.pending, noPending
}

func (m *crashModel) refuse(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.docs[key].pending = noPending
}

// memStore holds every document read from a data directory.
type memStore struct {
	ps []*matcher.Profile
	vs []*matcher.Vacancy
}

func (s *memStore) EachProfile(_ context.Context, fn func(*matcher.Profile) error) error {
	for _, p := range s.ps {
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

func (s *memStore) EachVacancy(_ context.Context, fn func(*matcher.Vacancy) error) error {
	for _, v := range s.vs {
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}

// readDataDir opens the (killed) server's data directory in this process,
// as serve does, and reads every stored document.
func readDataDir(t *testing.T, dir string) *memStore {
	t.Helper()
	ix, err := index.Open(dir, index.Options{Locator: geoTable(), Synonyms: builtinTaxonomy().SynonymSets()})
	if err != nil {
		t.Fatalf("open the data dir after kill -9: %v", err)
	}
	defer ix.Close()
	st := &memStore{}
	ctx := context.Background()
	if err := ix.EachProfile(ctx, func(p *matcher.Profile) error { st.ps = append(st.ps, p); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := ix.EachVacancy(ctx, func(v *matcher.Vacancy) error { st.vs = append(st.vs, v); return nil }); err != nil {
		t.Fatal(err)
	}
	return st
}

// versionOf is the state a stored document is in: its version marker.
func profileVersion(p *matcher.Profile) string { return p.Summary }
func vacancyVersion(v *matcher.Vacancy) string { return v.Title }

// TestCrashKill9ThroughAPI runs `werkmatch serve` as a child process
// under concurrent profile upserts, deletes and bulk writes and vacancy
// upserts and deletes over HTTP, and kills it with SIGKILL at a random
// moment, again and again (5 times; 25 with WERKMATCH_LONG=1). After
// every kill the data directory holds every acknowledged write and
// delete (a write in flight at the kill may or may not be there), and
// the restarted server answers every document as stored and every match
// question exactly as a core rebuilt from the stored documents.
func TestCrashKill9ThroughAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skips building and killing the werkmatch binary")
	}
	kills := 5
	if long() {
		kills = 25
	}
	bin := werkmatchBinary(t)
	tmp := t.TempDir()
	dataDir := filepath.Join(tmp, "data")
	keysFile := filepath.Join(tmp, "keys.json")
	kb, _ := json.Marshal(keyEntries())
	if err := os.WriteFile(keysFile, kb, 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	model := &crashModel{docs: map[string]*docState{}}
	seed := chaosSeed(t)
	rng := rand.New(rand.NewPCG(seed, 99))
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	var acked, inFlight int

	for cycle := 0; cycle <= kills; cycle++ {
		c := startChild(t, bin, dataDir, keysFile, logs)
		if cycle > 0 {
			// the restarted server against the stored documents
			st := lastStore
			checkChildAgainstStore(t, c.url, client, st)
		}
		if cycle == kills {
			c.kill()
			break
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				crashWriter(ctx, t, client, c.url, model, w, cycle, rand.New(rand.NewPCG(seed, uint64(cycle*10+w))))
			}()
		}
		time.Sleep(time.Duration(300+rng.IntN(1200)) * time.Millisecond)
		c.kill()
		cancel()
		wg.Wait()
		client.CloseIdleConnections()

		st := readDataDir(t, dataDir)
		a, f := verifyCrashModel(t, model, st, cycle)
		acked += a
		inFlight += f
		lastStore = st
		if t.Failed() {
			t.Fatalf("after kill %d: acknowledged writes lost (see above)", cycle+1)
		}
	}
	t.Logf("%d kills; %d writes acknowledged, %d in flight at a kill; %d profiles and %d vacancies stored at the end",
		kills, acked, inFlight, len(lastStore.ps), len(lastStore.vs))
	if acked < kills*20 {
		t.Errorf("only %d acknowledged writes over %d kills: the load was too thin to show anything", acked, kills)
	}
	checkNoKeysInLogs(t, logs.String())
}

// lastStore is the data read after the latest kill (the test is not
// parallel).
var lastStore *memStore

// crashWriter is one HTTP client. Writers 0-2 upsert and delete their own
// profiles, writer 3 sends bulk requests of its own profiles, writer 4
// upserts and deletes its own vacancies (as employer a). Every document
// has one writer, so its acknowledged state is known.
func crashWriter(ctx context.Context, t *testing.T, c *http.Client, base string, m *crashModel, w, cycle int, r *rand.Rand) {
	for n := 0; ctx.Err() == nil; n++ {
		version := fmt.Sprintf("versie c%d w%d n%d", cycle, w, n)
		switch w {
		case 0, 1, 2:
			id := fmt.Sprintf("p-k%d-%d", w, r.IntN(30))
			key := "p/" + id
			if r.IntN(4) == 0 {
				if !m.send(t, c, base, "DELETE", "/v1/profiles/"+id, secretIngest, nil, key, "", "delete "+id, 204, 404) {
					return // killed: the delete stays pending
				}
				continue
			}
			p := profileAt(id, []string{amsterdam, rotterdam}[r.IntN(2)], 1011+r.IntN(80))
			if p.Municipality == rotterdam {
				p.Postcode4 = 3011 + r.IntN(80)
			}
			p.Summary = version
			if !m.send(t, c, base, "PUT", "/v1/profiles/"+id, secretIngest, p, key, version, "put "+id, 200, 201) {
				return
			}
		case 3:
			var lines []string
			var keys []string
			seen := map[string]bool{}
			for i := range 25 {
				id := fmt.Sprintf("p-kb-%d", r.IntN(60))
				if seen[id] {
					continue
				}
				seen[id] = true
				p := profileAt(id, amsterdam, 1011+r.IntN(80))
				p.Summary = fmt.Sprintf("%s l%d", version, i)
				b, _ := json.Marshal(p)
				lines = append(lines, string(b))
				keys = append(keys, "p/"+id)
				m.begin("p/"+id, p.Summary)
			}
			resp, err := tryCall(c, base, "POST", "/v1/profiles/_bulk", secretIngest, strings.Join(lines, "\n"), http.Header{"Content-Type": {"application/x-ndjson"}})
			if err != nil {
				return
			}
			var a api.BulkAnswer
			if resp.status != 200 || json.Unmarshal(resp.body, &a) != nil || len(a.Results) != len(keys) {
				t.Errorf("bulk: %d %.300s", resp.status, resp.body)
				for _, k := range keys {
					m.refuse(k)
				}
				continue
			}
			for i, res := range a.Results {
				if res.Status == 200 || res.Status == 201 {
					m.ack(keys[i])
				} else {
					m.refuse(keys[i])
					t.Errorf("bulk line %d: %+v", res.Line, res)
				}
			}
		case 4:
			id := fmt.Sprintf("v-k-%d", r.IntN(15))
			key := "v/" + id
			if r.IntN(4) == 0 {
				if !m.send(t, c, base, "DELETE", "/v1/vacancies/"+id, secretEmployerA, nil, key, "", "delete "+id, 204, 404) {
					return
				}
				continue
			}
			v := vacancyOf(id, "", []int{1012, 3012}[r.IntN(2)])
			v.Title = version
			if !m.send(t, c, base, "PUT", "/v1/vacancies/"+id, secretEmployerA, v, key, version, "put "+id, 200, 201) {
				return
			}
		}
	}
}

// send records the write of key (state "" for a delete) as in flight,
// sends it and records the answer: acknowledged on one of the ok
// statuses, refused (and an error) otherwise. It returns false when the
// server is gone, the write then staying in flight.
func (m *crashModel) send(t *testing.T, c *http.Client, base, method, path, secret string, body any, key, state, what string, ok ...int) bool {
	m.begin(key, state)
	resp, err := tryCall(c, base, method, path, secret, body, nil)
	if err != nil {
		return false
	}
	if slices.Contains(ok, resp.status) {
		m.ack(key)
	} else {
		m.refuse(key)
		t.Errorf("%s: %d %.200s", what, resp.status, resp.body)
	}
	return true
}

// verifyCrashModel checks the stored documents against the model: each
// document is in its last acknowledged state, or in the state of the
// write in flight at the kill. The model then takes the stored state as
// acknowledged. It returns the number of acknowledged and in-flight
// writes it checked.
func verifyCrashModel(t *testing.T, m *crashModel, st *memStore, cycle int) (acked, inFlight int) {
	t.Helper()
	stored := map[string]string{}
	for _, p := range st.ps {
		stored["p/"+p.ID] = profileVersion(p)
	}
	for _, v := range st.vs {
		stored["v/"+v.ID] = vacancyVersion(v)
		if v.EmployerID != employerA {
			t.Errorf("kill %d: vacancy %s stored with employer %q", cycle+1, v.ID, v.EmployerID)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for key, d := range m.docs {
		got := stored[key]
		switch {
		case got == d.acked:
			acked++
		case d.pending != noPending && got == d.pending:
			inFlight++
		default:
			what := fmt.Sprintf("%q", d.acked)
			if d.acked == "" {
				what = "deleted"
			}
			t.Errorf("kill %d: %s is %q in the store; acknowledged: %s, in flight: %q", cycle+1, key, got, what, d.pending)
		}
		d.acked, d.pending = got, noPending
	}
	for key := range stored {
		if _, ok := m.docs[key]; !ok {
			t.Errorf("kill %d: %s is stored but was never written", cycle+1, key)
		}
	}
	return acked, inFlight
}

// checkChildAgainstStore compares the restarted server with the stored
// documents: counts, every document as stored (some by GET), and match
// answers equal to a core rebuilt from the documents.
func checkChildAgainstStore(t *testing.T, base string, c *http.Client, st *memStore) {
	t.Helper()
	r := call(t, c, base, "GET", "/readyz", "", nil)
	var ready struct {
		Profiles, Vacancies int
	}
	_ = json.Unmarshal(r.body, &ready)
	if ready.Profiles != len(st.ps) || ready.Vacancies != len(st.vs) {
		t.Errorf("restarted server counts %d profiles and %d vacancies, the store %d and %d", ready.Profiles, ready.Vacancies, len(st.ps), len(st.vs))
	}
	for i, p := range st.ps {
		if i%5 != 0 {
			continue
		}
		r := call(t, c, base, "GET", "/v1/profiles/"+p.ID, secretIngest, nil)
		var got matcher.Profile
		if r.status != 200 || json.Unmarshal(r.body, &got) != nil || got.Summary != p.Summary {
			t.Errorf("restarted server: profile %s: %d %.200s, stored %q", p.ID, r.status, r.body, p.Summary)
		}
	}
	for _, v := range st.vs {
		r := call(t, c, base, "GET", "/v1/vacancies/"+v.ID, secretEmployerA, nil)
		var got matcher.Vacancy
		if r.status != 200 || json.Unmarshal(r.body, &got) != nil || got.Title != v.Title {
			t.Errorf("restarted server: vacancy %s: %d %.200s, stored %q", v.ID, r.status, r.body, v.Title)
		}
	}
	compareWithRebuiltCore(t, base, c, st)
}

// TestCredentialsNeverLogged runs werkmatch serve at debug level with a
// Redis URL carrying a password (Redis unreachable, so the cache logs its
// errors), sends requests with every key, good and unknown, and checks
// that neither a key nor the password reaches the log.
func TestCredentialsNeverLogged(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skips building the werkmatch binary")
	}
	bin := werkmatchBinary(t)
	tmp := t.TempDir()
	keysFile := filepath.Join(tmp, "keys.json")
	kb, _ := json.Marshal(keyEntries())
	if err := os.WriteFile(keysFile, kb, 0o600); err != nil {
		t.Fatal(err)
	}
	const password = "redis-pw-4c1e9a7f0b2d"
	logs := &lockedBuffer{}
	c := startChild(t, bin, filepath.Join(tmp, "data"), keysFile, logs,
		"--redis-url", "redis://wm:"+password+"@127.0.0.1:1/0")
	hc := &http.Client{Timeout: 10 * time.Second}
	v := vacancyOf("va", "", 1012)
	for _, sec := range allSecrets {
		for _, q := range []struct {
			method, path string
			body         any
		}{
			{"PUT", "/v1/profiles/p-log", profileAt("p-log", amsterdam, 1012)},
			{"PUT", "/v1/vacancies/va", v},
			{"GET", "/v1/vacancies/va/matches", nil},
			{"GET", "/v1/profiles/p-log", nil},
			{"GET", "/v1/search/profiles?q=orderpicker", nil},
			{"GET", "/v1/nope", nil},
		} {
			r := call(t, hc, c.url, q.method, q.path, sec, q.body)
			if r.status >= 500 {
				t.Errorf("%s %s: %d with Redis unreachable", q.method, q.path, r.status)
			}
		}
		// the key in other headers and the query string
		_, _ = tryCall(hc, c.url, "GET", "/v1/taxonomy/occupations?q=kok&key="+sec, "", nil,
			http.Header{"X-Api-Key": {sec}, "Authorization": {"Bearer " + sec + "x"}, "Cookie": {"k=" + sec}})
	}
	c.kill()
	out := logs.String()
	if !strings.Contains(out, `"level":"DEBUG"`) && !strings.Contains(out, `"msg":"request"`) {
		t.Fatalf("no request log captured: %s", tail(out))
	}
	if !strings.Contains(strings.ToLower(out), "redis") {
		t.Errorf("the log never mentions the unreachable Redis: the password check proves little")
	}
	checkNoKeysInLogs(t, out)
	if strings.Contains(out, password) {
		t.Errorf("the log contains the Redis password")
	}
}
