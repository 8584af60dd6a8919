package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/internal/syncbuf"
	"github.com/werkmatch/werkmatch/matcher"
)

func TestGetReturnsWhatWasPut(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{Locator: geo.New()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ps, vs := testProfiles(), testVacancies()
	ps[0].AvailableFrom, ps[0].RegisteredAt, ps[0].DutchLevel, ps[0].MaxPhysicalLoad = "2025-03-01", "2024-01-15", "B1", "medium"
	if err := ix.PutProfiles(ctx, ps); err != nil {
		t.Fatal(err)
	}
	if err := ix.PutVacancies(ctx, vs); err != nil {
		t.Fatal(err)
	}
	check := func(ix *Index) {
		for _, want := range ps {
			got, err := ix.GetProfile(ctx, want.ID)
			if err != nil || !sameDoc(got, want) {
				t.Fatalf("GetProfile(%s) = %+v, %v; want %+v", want.ID, got, err, want)
			}
		}
		for _, want := range vs {
			got, err := ix.GetVacancy(ctx, want.ID)
			if err != nil || !sameDoc(got, want) {
				t.Fatalf("GetVacancy(%s) = %+v, %v; want %+v", want.ID, got, err, want)
			}
		}
		np, nv, err := ix.Counts()
		if err != nil || np != uint64(len(ps)) || nv != uint64(len(vs)) {
			t.Fatalf("Counts = %d, %d, %v; want %d, %d", np, nv, err, len(ps), len(vs))
		}
	}
	check(ix)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, Options{Locator: geo.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	check(ix) // after a restart
}

func TestUpsertAndDelete(t *testing.T) {
	ix := openTest(t, Options{})
	ctx := context.Background()
	p := testProfiles()[0]
	if err := ix.PutProfiles(ctx, []*matcher.Profile{p}); err != nil {
		t.Fatal(err)
	}
	p2 := *p
	p2.Summary, p2.HoursMax = "Ervaren kok", 40
	if err := ix.PutProfiles(ctx, []*matcher.Profile{&p2}); err != nil {
		t.Fatal(err)
	}
	got, err := ix.GetProfile(ctx, p.ID)
	if err != nil || !sameDoc(got, &p2) {
		t.Fatalf("after upsert: %+v, %v", got, err)
	}
	if r, _ := ix.SearchProfiles(ctx, matcher.SearchRequest{Q: "schoonmaker"}); r.Total != 0 {
		t.Fatalf("old text still found after upsert: %v", hitIDs(r))
	}
	if n, _, _ := ix.Counts(); n != 1 {
		t.Fatalf("upsert made %d documents", n)
	}
	tests := []struct {
		name string
		del  func() error
		want error
	}{
		{"delete stored profile", func() error { return ix.DeleteProfile(ctx, p.ID) }, nil},
		{"delete it again", func() error { return ix.DeleteProfile(ctx, p.ID) }, matcher.ErrNotFound},
		{"delete unknown profile", func() error { return ix.DeleteProfile(ctx, "nobody") }, matcher.ErrNotFound},
		{"delete empty id", func() error { return ix.DeleteProfile(ctx, "") }, matcher.ErrNotFound},
		{"delete unknown vacancy", func() error { return ix.DeleteVacancy(ctx, "v99") }, matcher.ErrNotFound},
		{"delete a synonym definition's id", func() error { return ix.DeleteProfile(ctx, synonymID(0)) }, matcher.ErrNotFound},
	}
	for _, tt := range tests {
		if err := tt.del(); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := ix.GetProfile(ctx, p.ID); !errors.Is(err, matcher.ErrNotFound) {
		t.Fatalf("GetProfile after delete: %v", err)
	}
}

// TestGroupCommit: concurrent writers share batches, every write is
// acknowledged once, and deletes see puts of the same batch.
func TestGroupCommit(t *testing.T) {
	var commits, docs atomic.Int64
	ix := openTest(t, Options{BatchWait: 20 * time.Millisecond, BatchMax: 64, OnCommit: func(kind string, n int, d time.Duration) {
		if kind != kindProfile || d <= 0 {
			t.Errorf("OnCommit(%q, %d, %v)", kind, n, d)
		}
		commits.Add(1)
		docs.Add(int64(n))
	}})
	ctx := context.Background()
	const writers, each = 16, 20
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("w%d-%d", w, i)
				if err := ix.PutProfiles(ctx, []*matcher.Profile{{ID: id, Postcode4: 3511}}); err != nil {
					t.Error(err)
					return
				}
				if i%5 == 4 {
					if err := ix.DeleteProfile(ctx, id); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	writes := int64(writers * (each + each/5))
	if docs.Load() != writes {
		t.Errorf("OnCommit saw %d writes, want %d", docs.Load(), writes)
	}
	if commits.Load() >= writes/4 {
		t.Errorf("%d commits for %d concurrent writes: writes were not coalesced", commits.Load(), writes)
	}
	if n, _, _ := ix.Counts(); n != uint64(writers*(each-each/5)) {
		t.Errorf("count %d, want %d", n, writers*(each-each/5))
	}
	t.Logf("%d writes in %d commits", writes, commits.Load())
}

func TestFaultHookFailsTheBatch(t *testing.T) {
	var fail atomic.Bool
	ix := openTest(t, Options{FaultHook: func() error {
		if fail.Load() {
			return syscall.ENOSPC
		}
		return nil
	}})
	ctx := context.Background()
	if err := ix.PutProfiles(ctx, []*matcher.Profile{{ID: "a"}}); err != nil {
		t.Fatal(err)
	}
	fail.Store(true)
	err := ix.PutProfiles(ctx, []*matcher.Profile{{ID: "b"}})
	if !errors.Is(err, matcher.ErrUnavailable) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("put on a full disk: %v", err)
	}
	if err := ix.DeleteProfile(ctx, "a"); !errors.Is(err, matcher.ErrUnavailable) {
		t.Fatalf("delete on a full disk: %v", err)
	}
	if _, err := ix.GetProfile(ctx, "b"); !errors.Is(err, matcher.ErrNotFound) {
		t.Fatalf("failed put is visible: %v", err)
	}
	if _, err := ix.GetProfile(ctx, "a"); err != nil {
		t.Fatalf("failed delete removed the profile: %v", err)
	}
	fail.Store(false)
	if err := ix.PutProfiles(ctx, []*matcher.Profile{{ID: "b"}}); err != nil {
		t.Fatalf("put after the disk recovered: %v", err)
	}
}

func TestClosed(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{Locator: geo.New()})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	ctx := context.Background()
	for name, err := range map[string]error{
		"put profile": ix.PutProfiles(ctx, []*matcher.Profile{{ID: "a"}}),
		"put vacancy": ix.PutVacancies(ctx, []*matcher.Vacancy{{ID: "a"}}),
		"delete":      ix.DeleteProfile(ctx, "a"),
	} {
		if !errors.Is(err, matcher.ErrUnavailable) {
			t.Errorf("%s after Close: %v", name, err)
		}
	}
	if _, err := Open(t.TempDir(), Options{}); err == nil {
		t.Error("Open without a Locator succeeded")
	}
}

// setMappingVersion makes the profile index look as if an older mapping
// had written it.
func setMappingVersion(t *testing.T, dir, v string) {
	t.Helper()
	b, err := bleve.Open(filepath.Join(dir, "profiles.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.SetInternal(keyMappingVersion, []byte(v)); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestReindexOnMappingVersion(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{Locator: geo.New(), Synonyms: testSynonyms})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := ix.PutProfiles(ctx, testProfiles()); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	setMappingVersion(t, dir, "0")

	// One document per batch, so that both workers write; a progress line
	// after every batch.
	defer func(b int, p time.Duration) { rebuildBatch, rebuildProgress = b, p }(rebuildBatch, rebuildProgress)
	rebuildBatch, rebuildProgress = 1, 0
	// A stored document that no longer decodes stops the rebuild with its
	// error (not the cancellation of the other worker) and leaves the old
	// index in place.
	bad, err := bleve.Open(filepath.Join(dir, "profiles.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.Index("broken", map[string]interface{}{fDoc: "{not json"}); err != nil {
		t.Fatal(err)
	}
	if err := bad.Close(); err != nil {
		t.Fatal(err)
	}
	var syntaxErr *json.SyntaxError
	if _, err := Open(dir, Options{Locator: geo.New()}); !errors.As(err, &syntaxErr) ||
		!strings.Contains(err.Error(), filepath.Join(dir, "profiles.bleve")) || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("rebuild over a broken stored document: %v (want the syntax error, naming the index as damaged)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "profiles.bleve.reindex")); !os.IsNotExist(err) {
		t.Errorf("the failed rebuild left its new index behind: %v", err)
	}
	bad, err = bleve.Open(filepath.Join(dir, "profiles.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := bad.GetInternal(keyMappingVersion); string(v) != "0" {
		t.Errorf("version after a failed rebuild %q", v)
	}
	if err := bad.Delete("broken"); err != nil {
		t.Fatal(err)
	}
	if err := bad.Close(); err != nil {
		t.Fatal(err)
	}

	// A rebuild stopped by its context leaves the old index in place.
	stopped, cancel := context.WithCancel(ctx)
	cancel()
	var log syncbuf.Buffer
	logger := slog.New(slog.NewTextHandler(&log, nil))
	if _, err := OpenContext(stopped, dir, Options{Locator: geo.New(), Logger: logger}); !errors.Is(err, context.Canceled) {
		t.Fatalf("open with a cancelled context during a rebuild: %v", err)
	}
	if !strings.Contains(log.String(), "rebuild stopped") {
		t.Errorf("no log line for the stopped rebuild:\n%s", log.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "profiles.bleve.reindex")); !os.IsNotExist(err) {
		t.Errorf("the stopped rebuild left its new index behind: %v", err)
	}

	ix, err = Open(dir, Options{Locator: geo.New(), Synonyms: testSynonyms, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	b2 := ix.profiles.idx
	if v, _ := b2.GetInternal(keyMappingVersion); string(v) != mappingVersion {
		t.Fatalf("version after rebuild %q", v)
	}
	for _, want := range testProfiles() {
		got, err := ix.GetProfile(ctx, want.ID)
		if err != nil || !sameDoc(got, want) {
			t.Fatalf("after rebuild %s: %+v, %v", want.ID, got, err)
		}
	}
	if r, err := ix.SearchProfiles(ctx, matcher.SearchRequest{Q: "heftruckchauffeur"}); err != nil || r.Total != 1 {
		t.Fatalf("search after rebuild: %v, %v", r, err)
	}
	// The operator sees that a rebuild is running, how far it is, and
	// when it is done.
	out := log.String()
	n := len(testProfiles())
	for _, want := range []string{
		"takes about as long as importing them",
		fmt.Sprintf("docs_about=%d", n), // the synonym definitions are not counted
		fmt.Sprintf("msg=\"index: rebuilding\" kind=profile docs=%d", n),
		fmt.Sprintf("msg=\"index: rebuilt\" kind=profile docs=%d", n),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestSynonymsFollowOptions(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	tests := []struct {
		synonyms [][]string
		want     uint64
	}{
		{testSynonyms, 1},
		{nil, 0},
		{[][]string{{"heftruckchauffeur", "vorkheftruckbestuurder"}}, 1},
	}
	for i, tt := range tests {
		ix, err := Open(dir, Options{Locator: geo.New(), Synonyms: tt.synonyms})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := ix.PutProfiles(ctx, testProfiles()); err != nil {
				t.Fatal(err)
			}
		}
		r, err := ix.SearchProfiles(ctx, matcher.SearchRequest{Q: "heftruckchauffeur"})
		if err != nil || r.Total != tt.want {
			t.Errorf("open %d: %v hits, %v; want %d", i, r, err, tt.want)
		}
		if n, _, _ := ix.Counts(); n != uint64(len(testProfiles())) {
			t.Errorf("open %d: count %d includes synonym definitions", i, n)
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEachStopsOnError(t *testing.T) {
	ix := openCorpus(t)
	stop := errors.New("stop")
	n := 0
	err := ix.EachProfile(context.Background(), func(*matcher.Profile) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Fatalf("EachProfile: %v after %d", err, n)
	}
	seen := map[string]bool{}
	if err := ix.EachVacancy(context.Background(), func(v *matcher.Vacancy) error {
		seen[v.ID] = true
		return nil
	}); err != nil || len(seen) != len(testVacancies()) {
		t.Fatalf("EachVacancy: %v, saw %d", err, len(seen))
	}
}

// sameDoc reports whether two documents are the same as the API sees
// them: the same JSON (an absent list and an empty one both read []).
func sameDoc(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}
