package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/corpus"
	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/internal/immutable"
	"github.com/werkmatch/werkmatch/internal/syncbuf"
	"github.com/werkmatch/werkmatch/matcher"
	"github.com/werkmatch/werkmatch/taxonomy"
)

var testToday = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// writeProfiles writes n generated profiles as NDJSON and returns the
// generator used.
func writeProfiles(t *testing.T, path string, n int, extra func(i int) string) *corpus.Generator {
	t.Helper()
	g := corpus.New(corpus.Options{Seed: 4, Today: testToday})
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range n {
		if extra != nil {
			if s := extra(i); s != "" {
				w.WriteString(s + "\n")
			}
		}
		b, _ := json.Marshal(g.Profile(i))
		w.Write(append(b, '\n'))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return g
}

func testImportConfig(t *testing.T, kind, file, data string, args ...string) *importConfig {
	t.Helper()
	c, err := parseImportArgs(append([]string{kind, file, "--data", data}, args...), os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func openTestIndex(t *testing.T, data string) *index.Index {
	t.Helper()
	ix, err := index.Open(data, index.Options{Locator: geo.New(), Synonyms: taxonomy.Builtin().SynonymSets()})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func readRejects(t *testing.T, path string) []rejectLine {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []rejectLine
	for _, l := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var r rejectLine
		if err := json.Unmarshal(l, &r); err != nil {
			t.Fatalf("reject line %q: %v", l, err)
		}
		out = append(out, r)
	}
	return out
}

const (
	secretEmail = "jan.jansen@example.nl"
	secretBSN   = "111222333" // passes the 11-proef
)

func TestImportNDJSONRejects(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "profiles.ndjson")
	// Bad lines are placed before profiles 10, 20, 30, ... (file lines
	// are counted below).
	bad := map[int]string{
		10:  `{"id": "x1", "postcode4": `,        // malformed JSON
		20:  `{"id": "x2", "shoe_size": 44}`,     // unknown field
		30:  `{"id": "x3", "postcode4": "1011"}`, // wrong type
		40:  `[1, 2, 3]`,                         // not an object
		50:  ``,                                  // blank line: skipped, not rejected
		60:  `{"id":"x6","municipality":"0363","postcode4":1011,"max_travel_km":10,"hours_min":30,"hours_max":20,"perspectief":"werken"}`,
		70:  `{"id":"x7","municipality":"0363","postcode4":1011,"max_travel_km":10,"hours_min":10,"hours_max":20,"perspectief":"werken","summary":"mail ` + secretEmail + ` of bel"}`,
		80:  `{"id":"x8","municipality":"0363","postcode4":1011,"max_travel_km":10,"hours_min":10,"hours_max":20,"perspectief":"werken","summary":"bsn ` + secretBSN + `"}`,
		90:  `{"id": "` + strings.Repeat("a", maxLine) + `"}`,                                                                                    // too long
		100: `{"id":"123456782","municipality":"0363","postcode4":1011,"max_travel_km":10,"hours_min":10,"hours_max":20,"perspectief":"werken"}`, // a BSN as id
		110: `{"id":"x11","piet@voorbeeld.nl":1}`,                                                                                                // personal data as a key
		120: "{\"id\":\"x12\",\"summary\":\"caf\xe9 werk\"}",                                                                                     // Windows-1252, not UTF-8
		130: `{"id":"x13","municipality":"0363","municipality":"0599"}`,                                                                          // a key twice
		140: `{"id":"x14","MUNICIPALITY":"0363"}`,                                                                                                // a key in other capitals
	}
	g := writeProfiles(t, file, 1500, func(i int) string {
		if s, ok := bad[i]; ok {
			if s == "" {
				return "   "
			}
			return s
		}
		return ""
	})
	data := filepath.Join(dir, "data")
	c := testImportConfig(t, "profiles", file, data, "--batch", "400")
	sum, err := importFile(context.Background(), c, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accepted != 1500 || sum.Rejected != 13 || sum.RunDocs != 1500 || sum.Interrupted {
		t.Fatalf("summary %+v, want 1500 accepted, 13 rejected", sum)
	}
	if sum.Lines != 1500+14 {
		t.Errorf("lines = %d, want %d", sum.Lines, 1514)
	}
	var out bytes.Buffer
	sum.print(&out, c)
	if !strings.Contains(out.String(), "1500 profiles accepted, 13 rejected") {
		t.Errorf("summary text: %s", out.String())
	}

	raw, _ := os.ReadFile(c.rejects)
	for _, secret := range []string{secretEmail, secretBSN, "shoe_size\":", "aaaaaaaa", "123456782", "voorbeeld"} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("reject file holds a value: %q", secret)
		}
	}
	rej := readRejects(t, c.rejects)
	if len(rej) != 13 {
		t.Fatalf("%d reject lines, want 13", len(rej))
	}
	// Bad line before profile k sits on file line k + (bad lines before it) + 1.
	want := []struct {
		line   int
		id     string
		err    string
		field  string
		substr string
	}{
		{11, "", "the JSON value is incomplete", "", ""},
		{22, "", "invalid", "shoe_size", "not a field"},
		{33, "", "invalid", "postcode4", "integer"},
		{44, "", "the line must be a JSON object", "", ""},
		{66, "x6", "invalid", "hours_min", "greater"},
		{77, "x7", "personal data", "summary", "email"},
		{88, "x8", "personal data", "summary", "bsn"},
		{99, "", "line longer than", "", ""},
		{110, "", "personal data", "id", "bsn"},
		{121, "", "invalid", "", "an unknown field (its name is not repeated"},
		{132, "", "the line is not valid UTF-8", "", ""},
		{143, "", "invalid", "municipality", "more than once"},
		{154, "", "invalid", "municipality", "capitals"},
	}
	for i, w := range want {
		r := rej[i]
		if r.Line != w.line || r.ID != w.id || !strings.HasPrefix(r.Error, w.err) {
			t.Errorf("reject %d = %+v, want line %d id %q error %q", i, r, w.line, w.id, w.err)
			continue
		}
		if w.substr != "" && (len(r.Errors) == 0 || r.Errors[0].Field != w.field || !strings.Contains(r.Errors[0].Message, w.substr)) {
			t.Errorf("reject %d field errors %+v, want %s: …%s…", i, r.Errors, w.field, w.substr)
		}
	}

	ix := openTestIndex(t, data)
	defer ix.Close()
	np, _, err := ix.Counts()
	if err != nil || np != 1500 {
		t.Fatalf("index holds %d profiles (%v), want 1500", np, err)
	}
	for _, i := range []int{0, 399, 400, 1499} {
		got, err := ix.GetProfile(context.Background(), g.Profile(i).ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, g.Profile(i)) {
			t.Errorf("profile %d does not round-trip:\n got %+v\nwant %+v", i, got, g.Profile(i))
		}
	}
}

func TestImportResumesAfterInterruption(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "p.ndjson")
	writeProfiles(t, file, 3000, func(i int) string {
		if i%500 == 250 {
			return `{"id": "bad` + string(rune('a'+i/500)) + `", "hours_min": -1}`
		}
		return ""
	})
	data := filepath.Join(dir, "data")
	c := testImportConfig(t, "profiles", file, data, "--batch", "300")

	ctx, cancel := context.WithCancel(context.Background())
	sum, err := importFile(ctx, c, nil, &importHooks{afterBatch: func(n int) {
		if n == 3 {
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Interrupted {
		t.Fatal("not interrupted")
	}
	cpPath, _ := checkpointPath(data, "profiles", file)
	cp, err := readCheckpoint(cpPath)
	if err != nil || cp == nil {
		t.Fatalf("checkpoint: %v %v", cp, err)
	}
	if cp.Done || cp.Accepted < 900 || cp.Accepted >= 3000 {
		t.Fatalf("checkpoint after interruption: %+v", cp)
	}
	ix := openTestIndex(t, data)
	np, _, _ := ix.Counts()
	ix.Close()
	if int(np) != cp.Accepted {
		t.Fatalf("index holds %d profiles, checkpoint says %d", np, cp.Accepted)
	}
	firstRejects := len(readRejects(t, c.rejects))

	// Simulate a crash after the last checkpoint: garbage appended to the
	// reject file past the recorded size must disappear on resume.
	f, _ := os.OpenFile(c.rejects, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"line": 999999, "error": "stale"}` + "\n")
	f.Close()

	sum, err = importFile(context.Background(), c, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Interrupted || sum.ResumedAt != cp.Line || sum.Accepted != 3000 || sum.Rejected != 6 {
		t.Fatalf("resumed run: %+v (checkpoint line %d)", sum, cp.Line)
	}
	if sum.RunDocs != 3000-cp.Accepted {
		t.Errorf("resumed run wrote %d, want %d", sum.RunDocs, 3000-cp.Accepted)
	}
	rej := readRejects(t, c.rejects)
	if len(rej) != 6 || firstRejects > 6 {
		t.Fatalf("reject lines %d (first run %d), want 6 in all", len(rej), firstRejects)
	}
	seen := map[int]bool{}
	for _, r := range rej {
		if seen[r.Line] || r.Line == 999999 {
			t.Errorf("reject line %d twice or stale", r.Line)
		}
		seen[r.Line] = true
	}
	ix = openTestIndex(t, data)
	np, _, _ = ix.Counts()
	ix.Close()
	if np != 3000 {
		t.Fatalf("index holds %d profiles after resume, want 3000", np)
	}

	// A third run has nothing to do.
	sum, err = importFile(context.Background(), c, nil, nil)
	if err != nil || !sum.AlreadyDone {
		t.Fatalf("third run: %+v %v", sum, err)
	}

	// A changed file is not resumed blindly; --restart imports it again.
	cp.Done = false
	cp.Offset, cp.Line = 1000, 3
	cp.Head, cp.Tail, _ = func() (string, string, error) {
		f, _ := os.Open(file)
		defer f.Close()
		return fingerprint(f, 1000)
	}()
	writeCheckpoint(cpPath, cp)
	writeProfiles(t, file, 3000, func(i int) string { // different bytes from the start
		if i == 0 {
			return `{"id": "new"}`
		}
		return ""
	})
	if _, err := importFile(context.Background(), c, nil, nil); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Fatalf("changed file: err = %v", err)
	}
	c.restart = true
	sum, err = importFile(context.Background(), c, nil, nil)
	if err != nil || sum.Accepted != 3000 || sum.Rejected != 1 {
		t.Fatalf("--restart: %+v %v", sum, err)
	}
	if r := readRejects(t, c.rejects); len(r) != 1 || r[0].Line != 1 {
		t.Errorf("--restart rejects %+v, want only line 1", r)
	}
}

func TestImportCSV(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "profiles.csv")
	csvText := "\ufeffid,municipality,postcode4,max_travel_km,desired_occupations,skills,branches,hours_min,hours_max,education_level,dutch_level,driving_licences,perspectief,open_to_open_hiring,banenafspraak,available_from,max_physical_load,summary,registered_at\n" +
		"c1,0599,3011,15,orderpicker;magazijnmedewerker,orderpicken; heftruck rijden,Logistiek,24,32,mbo2,B1,B,werken,ja,nee,2026-12-01,heavy,Zoekt werk in een magazijn.,2025-03-04\n" +
		"c2,0363,1011,10,schoonmaker,,Facilitair,12,24,vmbo,A2,,werken_aan,true,1,,light,\"Beschikbaar onder schooltijden.\nWerkt graag vroeg.\",\n" +
		"c3,0363,1011,ten,schoonmaker,,Facilitair,12,24,vmbo,A2,,werken_aan,maybe,0,,light,,\n" +
		"c4,0363,1011,10,schoonmaker,,Facilitair,12,24,vmbo,A2,,werken_aan,0,0,,light,bel 0612345678,\n" +
		"c5,0363,1011\n" +
		"c6,0518,2511,20,kok,koken,Horeca,32,40,mbo3,B2,B;BE,werken,0,0,,medium,,\n"
	if err := os.WriteFile(file, []byte(csvText), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	c := testImportConfig(t, "profiles", file, data, "--batch", "1")
	if c.format != "csv" {
		t.Fatalf("format %q from the .csv name", c.format)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := importFile(ctx, c, nil, &importHooks{afterBatch: func(n int) {
		if n == 1 {
			cancel()
		}
	}})
	if err != nil || !sum.Interrupted {
		t.Fatalf("first run: %+v %v", sum, err)
	}
	sum, err = importFile(context.Background(), c, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accepted != 3 || sum.Rejected != 3 {
		t.Fatalf("summary %+v, want 3 accepted (c1, c2, c6), 3 rejected", sum)
	}
	rej := readRejects(t, c.rejects)
	type want struct {
		line  int
		field string
	}
	wants := []want{{5, "max_travel_km"}, {6, "summary"}, {7, ""}}
	if len(rej) != len(wants) {
		t.Fatalf("rejects %+v", rej)
	}
	for i, w := range wants {
		if rej[i].Line != w.line || (w.field != "" && (len(rej[i].Errors) == 0 || rej[i].Errors[0].Field != w.field)) {
			t.Errorf("reject %d = %+v, want line %d field %q", i, rej[i], w.line, w.field)
		}
	}
	if len(rej[0].Errors) != 2 || rej[0].Errors[1].Field != "open_to_open_hiring" {
		t.Errorf("c3 errors %+v, want max_travel_km and open_to_open_hiring", rej[0].Errors)
	}
	ix := openTestIndex(t, data)
	defer ix.Close()
	p, err := ix.GetProfile(context.Background(), "c1")
	if err != nil {
		t.Fatal(err)
	}
	wantP := &matcher.Profile{ID: "c1", Municipality: "0599", Postcode4: 3011, MaxTravelKm: 15,
		DesiredOccupations: []string{"orderpicker", "magazijnmedewerker"}, Skills: []string{"orderpicken", "heftruck rijden"},
		Branches: []string{"Logistiek"}, HoursMin: 24, HoursMax: 32, EducationLevel: "mbo2", DutchLevel: "B1",
		DrivingLicences: []string{"B"}, Perspectief: "werken", OpenToOpenHiring: true, AvailableFrom: "2026-12-01",
		MaxPhysicalLoad: "heavy", Summary: "Zoekt werk in een magazijn.", RegisteredAt: "2025-03-04"}
	if !reflect.DeepEqual(p, wantP) {
		t.Errorf("c1 stored as\n%+v\nwant\n%+v", p, wantP)
	}
	p2, err := ix.GetProfile(context.Background(), "c2")
	if err != nil {
		t.Fatal(err)
	}
	if p2.Summary != "Beschikbaar onder schooltijden.\nWerkt graag vroeg." || !p2.Banenafspraak || len(p2.Skills) != 0 {
		t.Errorf("c2 stored as %+v", p2)
	}

	// A header naming an unknown field fails up front.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("id,naam\nz1,x\n"), 0o644)
	if _, err := importFile(context.Background(), testImportConfig(t, "profiles", bad, filepath.Join(dir, "d2")), nil, nil); err == nil || !strings.Contains(err.Error(), "naam") {
		t.Errorf("unknown column: err = %v", err)
	}
}

func TestImportVacanciesAndLock(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "vacancies.ndjson")
	g := corpus.New(corpus.Options{Seed: 2, Today: testToday})
	var buf bytes.Buffer
	if err := corpus.WriteNDJSON(&buf, 50, func(i int) any {
		v := g.Vacancy(i)
		if i == 7 {
			v.Status, v.Positions = "", 0 // defaults filled on import
		}
		return v
	}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, buf.Bytes(), 0o644)
	data := filepath.Join(dir, "data")
	c := testImportConfig(t, "vacancies", file, data)
	sum, err := importFile(context.Background(), c, nil, nil)
	if err != nil || sum.Accepted != 50 || sum.Rejected != 0 {
		t.Fatalf("%+v %v", sum, err)
	}
	ix := openTestIndex(t, data)
	v, err := ix.GetVacancy(context.Background(), "v0000007")
	if err != nil || v.Status != matcher.StatusOpen || v.Positions != 1 {
		t.Errorf("v0000007: %+v %v", v, err)
	}
	// While the index is open (as a running server holds it), import
	// refuses at once instead of waiting for the lock.
	c.restart = true
	done := make(chan error, 1)
	go func() { _, err := importFile(context.Background(), c, nil, nil); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, index.ErrLocked) {
			t.Errorf("import on an open data dir: err = %v, want index.ErrLocked", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("import waits for the lock instead of failing")
	}
	ix.Close()
}

func TestImportArgs(t *testing.T) {
	c, err := parseImportArgs([]string{"--quiet", "vacancies", "x.jsonl", "--data", "/tmp/d", "--batch", "50"}, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	if c.kind != "vacancies" || c.file != "x.jsonl" || c.data != "/tmp/d" || c.batch != 50 || !c.quiet || c.format != "ndjson" || c.rejects != "x.jsonl.rejects.ndjson" {
		t.Errorf("%+v", c)
	}
	for _, bad := range [][]string{{"profiles"}, {"people", "f"}, {"profiles", "f", "g"}, {"profiles", "f", "--format", "xml"}, {"profiles", "f", "--batch", "0"}} {
		if _, err := parseImportArgs(bad, new(bytes.Buffer)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	t.Setenv("WERKMATCH_DATA", "/srv/werkmatch")
	c, _ = parseImportArgs([]string{"profiles", "f.csv"}, new(bytes.Buffer))
	if c.data != "/srv/werkmatch" || c.format != "csv" {
		t.Errorf("env twin / format: %+v", c)
	}
}

func TestImportESCO(t *testing.T) {
	dir := "../../../shared/data/esco-nl"
	if _, err := os.Stat(filepath.Join(dir, "occupations_nl.csv")); err != nil {
		t.Skipf("ESCO export not available at %s", dir)
	}
	var out bytes.Buffer
	if err := importESCO(dir, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{"occupations", "skills", "Nothing was copied", taxonomy.Attribution} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

func TestGenDeterministic(t *testing.T) {
	dir := t.TempDir()
	run := func(out string) {
		c, err := parseGenFlags([]string{"-profiles", "700", "-vacancies", "300", "-demo-vacancies", "4", "-seed", "9", "-today", "2026-11-02", "-out", out}, new(bytes.Buffer))
		if err != nil {
			t.Fatal(err)
		}
		if err := gen(context.Background(), c, new(bytes.Buffer)); err != nil {
			t.Fatal(err)
		}
	}
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	run(a)
	run(b)
	for _, name := range []string{"profiles.ndjson", "vacancies.ndjson"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between runs (or is empty)", name)
		}
	}
	x, _ := os.ReadFile(filepath.Join(a, "vacancies.ndjson"))
	if n := bytes.Count(x, []byte("\n")); n != 304 {
		t.Errorf("%d vacancies, want 304", n)
	}
	if !bytes.Contains(x, []byte(`"employer_id":"demo-employer-b"`)) {
		t.Error("no demo vacancies")
	}
	// The files are importable as written.
	c := testImportConfig(t, "profiles", filepath.Join(a, "profiles.ndjson"), filepath.Join(dir, "data"))
	sum, err := importFile(context.Background(), c, nil, nil)
	if err != nil || sum.Accepted != 700 || sum.Rejected != 0 {
		t.Fatalf("import of generated profiles: %+v %v", sum, err)
	}
	if _, err := parseGenFlags([]string{"-today", "x"}, new(bytes.Buffer)); err != nil {
		t.Fatal(err) // parsed later
	}
	cfg, _ := parseGenFlags([]string{"-today", "soon", "-out", filepath.Join(dir, "c")}, new(bytes.Buffer))
	if err := gen(context.Background(), cfg, new(bytes.Buffer)); err == nil {
		t.Error("bad -today accepted")
	}
}

// TestImportKill9Resume kills a real import process with SIGKILL after a
// few durable batches and runs the same command again: every profile ends
// up stored exactly once and every bad line is rejected exactly once.
func TestImportKill9Resume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	bin := buildWerkmatch(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "p.ndjson")
	const n = 8000
	writeProfiles(t, file, n, func(i int) string {
		if i%1000 == 500 {
			return `{"id": "bad", "perspectief": "soms"}`
		}
		return ""
	})
	data := filepath.Join(dir, "data")
	args := []string{"import", "profiles", file, "--data", data, "--batch", "200", "--quiet"}
	cmd := exec.Command(bin, args...)
	var out syncbuf.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cpPath, _ := checkpointPath(data, "profiles", file)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		cp, _ := readCheckpoint(cpPath)
		if cp != nil && cp.Accepted >= 1000 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("no checkpoint past 1000 profiles after 2 minutes:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	cp, _ := readCheckpoint(cpPath)
	if cp.Done {
		t.Skip("the import finished before it could be killed")
	}
	t.Logf("killed after line %d (%d stored)", cp.Line, cp.Accepted)

	res, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("rerun: %v\n%s", err, res)
	}
	if !strings.Contains(string(res), "resumed after line") || !strings.Contains(string(res), fmt.Sprintf("%d profiles accepted, 8 rejected", n)) {
		t.Errorf("rerun output:\n%s", res)
	}
	rej := readRejects(t, file+".rejects.ndjson")
	seen := map[int]bool{}
	for _, r := range rej {
		if seen[r.Line] || len(r.Errors) == 0 || r.Errors[len(r.Errors)-1].Field != "perspectief" {
			t.Errorf("reject %+v duplicated or unexpected", r)
		}
		seen[r.Line] = true
	}
	if len(rej) != 8 {
		t.Errorf("%d rejects, want 8", len(rej))
	}
	ix := openTestIndex(t, data)
	defer ix.Close()
	if np, _, err := ix.Counts(); err != nil || np != n {
		t.Fatalf("index holds %d profiles (%v), want %d", np, err, n)
	}
}

func TestGenWithGeoNamesPC4(t *testing.T) {
	file := "../../../shared/data/pc4/NL.txt"
	if _, err := os.Stat(file); err != nil {
		t.Skipf("GeoNames PC4 file not available at %s", file)
	}
	dir := t.TempDir()
	c, err := parseGenFlags([]string{"-profiles", "500", "-vacancies", "200", "-today", "2026-11-02", "-pc4", file, "-out", dir}, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	if err := gen(context.Background(), c, new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
	table := geo.New()
	if err := table.LoadGeoNamesFile(file); err != nil {
		t.Fatal(err)
	}
	pcs, err := pc4List(file)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "profiles.ndjson"))
	withMunicipality := 0
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var p matcher.Profile
		if err := json.Unmarshal(line, &p); err != nil {
			t.Fatal(err)
		}
		if _, found := slices.BinarySearch(pcs, p.Postcode4); !found {
			t.Fatalf("profile %s: PC4 %d is not in the file", p.ID, p.Postcode4)
		}
		// The file's municipality wins; PC4s without one fall back to the
		// region's main town.
		if m := table.Municipality(p.Postcode4); m != "" {
			withMunicipality++
			if m != p.Municipality {
				t.Fatalf("profile %s: PC4 %d has municipality %q in the file, profile says %q", p.ID, p.Postcode4, m, p.Municipality)
			}
		}
	}
	if withMunicipality < 250 {
		t.Errorf("only %d of 500 profiles have a municipality from the file", withMunicipality)
	}
}

// TestImportBOM: a UTF-8 BOM before the first line, as Windows tools write
// it, is no part of the data: before an NDJSON line, and before a CSV
// header whose first name is quoted (PowerShell's Export-Csv).
func TestImportBOM(t *testing.T) {
	dir := t.TempDir()
	line := func(id string) string {
		return `{"id":"` + id + `","municipality":"0363","postcode4":1011,"max_travel_km":10,"hours_min":10,"hours_max":20,"perspectief":"werken"}` + "\n"
	}
	for _, tc := range []struct{ name, text string }{
		{"p.ndjson", "\ufeff" + line("b1") + line("b2")},
		{"p.csv", "\ufeff\"id\",\"municipality\",\"postcode4\",\"max_travel_km\",\"hours_min\",\"hours_max\",\"perspectief\"\r\n" +
			"\"b1\",\"0363\",\"1011\",\"10\",\"10\",\"20\",\"werken\"\r\n\"b2\",\"0363\",\"1011\",\"10\",\"10\",\"20\",\"werken\"\r\n"},
	} {
		file := filepath.Join(dir, tc.name)
		if err := os.WriteFile(file, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		c := testImportConfig(t, "profiles", file, filepath.Join(dir, "data-"+tc.name))
		sum, err := importFile(context.Background(), c, nil, nil)
		if err != nil || sum.Accepted != 2 || sum.Rejected != 0 {
			raw, _ := os.ReadFile(c.rejects)
			t.Errorf("%s: %+v %v %s", tc.name, sum, err, raw)
		}
	}
}

// TestImportStopsOnADiskError: the store turns read-only (chattr +i,
// which binds root too) before the second batch is written, the last of
// the file. The import stops with the error; its summary says what is
// stored (the first batch) and how to go on; the checkpoint does not move
// past the failed batch (the empty batch that closes the file used to move
// it to the end, so that a resumed run skipped the failed lines); and the
// same command then continues and completes.
func TestImportStopsOnADiskError(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "profiles.ndjson")
	writeProfiles(t, file, 600, func(int) string { return "" })
	data := filepath.Join(dir, "data")
	c := testImportConfig(t, "profiles", file, data, "--batch", "300")
	store := filepath.Join(data, "profiles.bleve", "store")
	var unlock func() // set once the store is immutable
	firstStored := make(chan struct{})
	sum, err := importFile(context.Background(), c, nil, &importHooks{
		afterBatch: func(n int) {
			if n == 1 {
				close(firstStored)
			}
		},
		beforePut: func(n int) {
			if n == 2 {
				select { // batches are written two at a time: keep them apart
				case <-firstStored:
				case <-time.After(30 * time.Second):
					return // batch 1 failed: the checks below say so
				}
				var err error
				if unlock, err = immutable.Lock(t, store); err != nil {
					t.Log(err)
				}
			}
		},
	})
	if unlock == nil {
		t.Skip("chattr +i is not available here")
	}
	if err == nil || sum == nil || !sum.Failed || sum.Accepted != 300 || sum.Lines != 300 {
		t.Fatalf("after a disk error: %+v, %v", sum, err)
	}
	var out bytes.Buffer
	sum.print(&out, c)
	if !strings.Contains(out.String(), "300 profiles accepted") || !strings.Contains(out.String(), "run the same command again") {
		t.Errorf("summary: %s", out.String())
	}
	unlock()
	sum, err = importFile(context.Background(), c, nil, nil)
	if err != nil || sum.Accepted != 600 || sum.ResumedAt != 300 {
		t.Fatalf("resumed: %+v, %v", sum, err)
	}
	ix := openTestIndex(t, data)
	defer ix.Close()
	if n, _, err := ix.Counts(); err != nil || n != 600 {
		t.Fatalf("stored %d profiles (%v), want 600", n, err)
	}
}
