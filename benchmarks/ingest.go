package main

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/matcher"
)

// bulkImport writes the corpus into a new index with c.importWriters
// concurrent writers of c.importChunk documents per durable call.
func bulkImport(ctx context.Context, dir string, loc matcher.Locator, src *source, c config) (*index.Index, Import, error) {
	var imp Import
	ix, err := index.Open(dir, index.Options{Locator: loc, Synonyms: src.synonyms(), Decompound: src.tax.CompoundParts, OnCommit: commits.observe})
	if err != nil {
		return nil, imp, err
	}
	put := func(n int, f func(lo, hi int) error) (time.Duration, error) {
		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			next int
			ferr error
		)
		start := time.Now()
		for range max(1, c.importWriters) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					mu.Lock()
					lo, stop := next, ferr != nil
					next += c.importChunk
					mu.Unlock()
					if lo >= n || stop {
						return
					}
					if err := f(lo, min(n, lo+c.importChunk)); err != nil {
						mu.Lock()
						ferr = err
						mu.Unlock()
					}
				}
			}()
		}
		wg.Wait()
		return time.Since(start), ferr
	}
	d, err := put(c.profiles, func(lo, hi int) error {
		ps := make([]*matcher.Profile, 0, hi-lo)
		for i := lo; i < hi; i++ {
			ps = append(ps, src.Profile(i))
		}
		return ix.PutProfiles(ctx, ps)
	})
	if err != nil {
		_ = ix.Close()
		return nil, imp, err
	}
	imp.ProfilesS, imp.ProfilesPerS = d.Seconds(), float64(c.profiles)/d.Seconds()
	d, err = put(c.vacancies, func(lo, hi int) error {
		vs := make([]*matcher.Vacancy, 0, hi-lo)
		for i := lo; i < hi; i++ {
			vs = append(vs, src.Vacancy(i))
		}
		return ix.PutVacancies(ctx, vs)
	})
	if err != nil {
		_ = ix.Close()
		return nil, imp, err
	}
	imp.VacanciesS, imp.VacanciesPerS = d.Seconds(), float64(c.vacancies)/d.Seconds()
	imp.DiskMiB = float64(dirSize(dir)) / (1 << 20)
	return ix, imp, nil
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// restart closes ix and measures reopening it and loading a new engine
// from it, as werkmatch serve does at start-up.
func restart(ctx context.Context, ix *index.Index, dir string, loc matcher.Locator, src *source, tax matcher.Taxonomy) (*index.Index, *matcher.Engine, Restart, error) {
	var rs Restart
	if err := ix.Close(); err != nil {
		return nil, nil, rs, err
	}
	start := time.Now()
	ix, err := index.Open(dir, index.Options{Locator: loc, Synonyms: src.synonyms(), Decompound: src.tax.CompoundParts, OnCommit: commits.observe})
	if err != nil {
		return nil, nil, rs, err
	}
	rs.OpenS = time.Since(start).Seconds()
	t := time.Now()
	eng := matcher.NewEngine(matcher.EngineOptions{Locator: loc, Taxonomy: tax, Now: src.now})
	err = eng.Load(ctx, ix, loadChunk, func(kind string, n int) {
		if kind == "profile" {
			rs.Profiles += n
		} else {
			rs.Vacancies += n
		}
	})
	if err != nil {
		return nil, nil, rs, err
	}
	eng.Compact() // as serve does before it reports ready
	rs.LoadS = time.Since(t).Seconds()
	rs.ReadyS = time.Since(start).Seconds()
	return ix, eng, rs, nil
}

// commitStats counts the index's batch commits (index.Options.OnCommit).
type commitStats struct {
	n, docs, ns atomic.Int64
}

var commits commitStats

func (c *commitStats) observe(_ string, docs int, d time.Duration) {
	c.n.Add(1)
	c.docs.Add(int64(docs))
	c.ns.Add(int64(d))
}

func (c *commitStats) reset() { c.n.Store(0); c.docs.Store(0); c.ns.Store(0) }

// Commits summarises the commits since the last reset.
type Commits struct {
	Commits       int64   `json:"commits"`
	DocsPerCommit float64 `json:"docs_per_commit"`
	MsPerCommit   float64 `json:"ms_per_commit"`
}

func (c *commitStats) summary() Commits {
	n := max(1, c.n.Load())
	return Commits{c.n.Load(), float64(c.docs.Load()) / float64(n), float64(c.ns.Load()) / 1e6 / float64(n)}
}

func (c Commits) String() string {
	return fmt.Sprintf("%d commits, %.1f writes and %.1f ms per commit", c.Commits, c.DocsPerCommit, c.MsPerCommit)
}
