package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/internal/immutable"
	"github.com/werkmatch/werkmatch/matcher"
)

// TestRealDiskFailure makes the profile index's store directory
// immutable (chattr +i, which binds root too), so that Bleve's batch
// fails on disk for real. Bleve keeps the failed segment in its live
// index, and touching the index afterwards panicked the server; now every
// operation of that index answers ErrUnavailable until it is reopened,
// and the other index keeps working. Skipped where chattr is unavailable.
func TestRealDiskFailure(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{Locator: geo.New()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := ix.PutProfiles(ctx, []*matcher.Profile{{ID: "a"}}); err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(dir, "profiles.bleve", "store")
	if _, err := os.Stat(store); err != nil {
		t.Skipf("no store dir: %v", err)
	}
	unlock, err := immutable.Lock(t, store)
	if err != nil {
		t.Skip(err)
	}

	err = ix.PutProfiles(ctx, []*matcher.Profile{{ID: "b", Summary: "een segment dat niet op schijf komt"}})
	if !errors.Is(err, matcher.ErrUnavailable) {
		unlock()
		t.Skipf("the batch did not fail on an immutable store (%v): nothing to test here", err)
	}
	// None of these may panic; each says the index is unavailable.
	if _, err := ix.GetProfile(ctx, "a"); !errors.Is(err, matcher.ErrUnavailable) {
		t.Errorf("get after the failure: %v", err)
	}
	if _, err := ix.SearchProfiles(ctx, matcher.SearchRequest{Q: "segment"}); !errors.Is(err, matcher.ErrUnavailable) {
		t.Errorf("search after the failure: %v", err)
	}
	if _, _, err := ix.Counts(); !errors.Is(err, matcher.ErrUnavailable) {
		t.Errorf("counts after the failure: %v", err)
	}
	if err := ix.PutProfiles(ctx, []*matcher.Profile{{ID: "c"}}); !errors.Is(err, matcher.ErrUnavailable) {
		t.Errorf("put after the failure: %v", err)
	}
	if err := ix.DeleteProfile(ctx, "a"); !errors.Is(err, matcher.ErrUnavailable) {
		t.Errorf("delete after the failure: %v", err)
	}
	// the vacancy index is another Bleve index and still works.
	if err := ix.PutVacancies(ctx, []*matcher.Vacancy{{ID: "v", EmployerID: "e"}}); err != nil {
		t.Errorf("vacancy put: %v", err)
	}
	unlock()
	if err := ix.Close(); err != nil {
		t.Logf("close after the failure: %v", err)
	}
	// Reopened, the index works again; what was acknowledged is there.
	ix2, err := Open(dir, Options{Locator: geo.New()})
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if _, err := ix2.GetProfile(ctx, "a"); err != nil {
		t.Errorf("acknowledged profile after reopening: %v", err)
	}
	if err := ix2.PutProfiles(ctx, []*matcher.Profile{{ID: "d"}}); err != nil {
		t.Errorf("put after reopening: %v", err)
	}
}

// TestDamagedIndex: a segment file overwritten in the middle or near its
// end gives an error that names the index's path and says
// what to do, from Open or from the start-up walk, never a panic.
func TestDamagedIndex(t *testing.T) {
	for _, damage := range []string{"middle", "end"} {
		t.Run(damage, func(t *testing.T) {
			dir := t.TempDir()
			ix, err := Open(dir, Options{Locator: geo.New()})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			var ps []*matcher.Profile
			for i := range 300 {
				ps = append(ps, &matcher.Profile{ID: "p" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Summary: "werkt graag in een magazijn en in de zorg"})
			}
			if err := ix.PutProfiles(ctx, ps); err != nil {
				t.Fatal(err)
			}
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			zaps, _ := filepath.Glob(filepath.Join(dir, "profiles.bleve", "store", "*.zap"))
			if len(zaps) == 0 {
				t.Skip("no segment file")
			}
			f := zaps[len(zaps)-1]
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			switch damage {
			case "middle":
				for i := len(raw) / 3; i < len(raw)/3+64 && i < len(raw); i++ {
					raw[i] ^= 0x5a
				}
			case "end":
				for i := max(0, len(raw)-200); i < len(raw)-40; i++ {
					raw[i] ^= 0x5a
				}
			}
			if err := os.WriteFile(f, raw, 0o644); err != nil {
				t.Fatal(err)
			}
			ix2, err := Open(dir, Options{Locator: geo.New()})
			if err == nil {
				err = ix2.EachProfile(ctx, func(*matcher.Profile) error { return nil })
				ix2.Close()
			}
			if err == nil {
				t.Fatalf("the %s damage went unnoticed", damage)
			}
			if msg := err.Error(); !strings.Contains(msg, filepath.Join(dir, "profiles.bleve")) || !strings.Contains(msg, "damaged") {
				t.Errorf("error does not name the index or say it is damaged: %v", err)
			}
		})
	}
}

// TestOpenLocked: a data dir that another process holds open is refused
// with ErrLocked at once, by its LOCK file, naming the dir; once the holder
// closes it, it opens.
func TestOpenLocked(t *testing.T) {
	dir := t.TempDir()
	holder, err := Open(dir, Options{Locator: geo.New()})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckFree(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("CheckFree on a held data dir: %v", err)
	}
	if _, err := Open(dir, Options{Locator: geo.New()}); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("want ErrLocked naming the dir, got %v", err)
	}
	if err := holder.Close(); err != nil {
		t.Fatal(err)
	}
	if err := CheckFree(dir); err != nil {
		t.Errorf("CheckFree after the holder closed: %v", err)
	}
	ix, err := Open(dir, Options{Locator: geo.New()})
	if err != nil {
		t.Fatalf("open after the holder closed: %v", err)
	}
	ix.Close()
}

// TestOpenWaitsForBleveLockAtMostLockWait: a Bleve index of the data dir
// held without the LOCK file (a process of an older version, or a tool)
// makes Open fail with ErrLocked after LockWait instead of waiting for
// ever, and the profiles index it had opened and the LOCK are let go.
func TestOpenWaitsForBleveLockAtMostLockWait(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{Locator: geo.New()})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	held, err := bleve.Open(filepath.Join(dir, "vacancies.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckFree(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("CheckFree with the vacancies index held: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		ix, err := Open(dir, Options{Locator: geo.New(), LockWait: 100 * time.Millisecond})
		if err == nil {
			ix.Close()
		}
		done <- err
	}()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Open waited on a Bleve index held elsewhere")
	}
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), filepath.Join(dir, "vacancies.bleve")) {
		t.Fatalf("want ErrLocked naming the vacancies index, got %v", err)
	}
	if err := held.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, Options{Locator: geo.New(), LockWait: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("open after the holder closed (the failed open kept a lock?): %v", err)
	}
	ix.Close()
}
