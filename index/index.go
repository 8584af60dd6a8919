package index

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	bolterrors "go.etcd.io/bbolt/errors"
	"golang.org/x/sync/errgroup"

	"github.com/werkmatch/werkmatch/matcher"
)

// Options configure an Index.
type Options struct {
	// Locator maps a PC4 to the centroid indexed as the geopoint (required).
	Locator matcher.Locator
	// Synonyms are synonym sets (each set: equivalent terms) loaded into the
	// Bleve synonym source of the free-text fields.
	Synonyms [][]string
	// Decompound, when set, gives the parts of the Dutch compounds in a
	// text (heftruckchauffeur: heftruck, chauffeur). They are indexed in a
	// field of their own, so that a search for "heftruck", or for
	// "heftruck chauffeur", finds a heftruckchauffeur; the taxonomy's
	// CompoundParts is meant here.
	Decompound func(text string) []string
	// BatchMax bounds the number of writes coalesced into one batch
	// (default 1000). A single PutProfiles call is never split.
	BatchMax int
	// BatchWait bounds how long the committer waits for more writes before
	// it commits a batch that is not full (default 2ms).
	BatchWait time.Duration
	// OnCommit, when set, is called after every batch commit attempt with
	// the kind ("profile" or "vacancy"), the number of writes and the time
	// the commit took.
	OnCommit func(kind string, docs int, d time.Duration)
	// FaultHook, when set, is called before every batch commit; a non-nil
	// error fails the whole batch as a disk error would (tests simulate a
	// full disk with it).
	FaultHook func() error
	// Logger receives operational messages (never document text).
	Logger *slog.Logger
	// LockWait bounds how long opening waits for another process to let go
	// of an index of the data dir (default 10s); then Open fails with
	// ErrLocked instead of waiting for ever.
	LockWait time.Duration
}

// ErrLocked is returned by Open when another process (a werkmatch serve or
// import) has an index of the data dir open; two processes never share one.
var ErrLocked = errors.New("the data dir is in use by another process (a werkmatch serve or import on it): stop that first")

// Index is the durable store and search of profiles and vacancies: one
// Bleve index per kind under a data directory. It implements matcher.Store
// and matcher.Searcher and is safe for concurrent use.
type Index struct {
	opts      Options
	profiles  *kindIndex
	vacancies *kindIndex
	lock      *os.File // the data dir's LOCK, held while open (nil: none)
}

var (
	_ matcher.Store    = (*Index)(nil)
	_ matcher.Searcher = (*Index)(nil)
)

// Open opens (or creates) the indexes <dir>/profiles.bleve and
// <dir>/vacancies.bleve. An index written with another mapping version is
// rebuilt from its stored documents; the synonym sets are (re)loaded when
// they differ from the stored ones.
func Open(dir string, opts Options) (*Index, error) {
	return OpenContext(context.Background(), dir, opts)
}

// OpenContext is Open with a context that stops a rebuild: cancelled
// during one, it leaves the index being rebuilt as it was (still of the
// old mapping version, rebuilt at the next open; an index already rebuilt
// stays rebuilt) and returns the context's error.
func OpenContext(ctx context.Context, dir string, opts Options) (*Index, error) {
	if opts.Locator == nil {
		return nil, errors.New("index: Options.Locator is required")
	}
	if opts.BatchMax <= 0 {
		opts.BatchMax = 1000
	}
	if opts.BatchWait <= 0 {
		opts.BatchWait = 2 * time.Millisecond
	}
	if opts.LockWait <= 0 {
		opts.LockWait = 10 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index: %w: %w", matcher.ErrUnavailable, err)
	}
	// The data dir's lock comes first: a second process must not touch
	// the dir at all, not even to put back a half-swapped rebuild.
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	ix := &Index{opts: opts, lock: lock}
	ix.profiles, err = openKind(ctx, filepath.Join(dir, "profiles.bleve"), kindProfile, &ix.opts)
	if err != nil {
		_ = ix.lock.Close()
		return nil, err
	}
	ix.vacancies, err = openKind(ctx, filepath.Join(dir, "vacancies.bleve"), kindVacancy, &ix.opts)
	if err != nil {
		_ = ix.profiles.close()
		_ = ix.lock.Close()
		return nil, err
	}
	return ix, nil
}

// lockFile is the file in the data dir whose flock an open Index holds.
const lockFile = "LOCK"

// CheckFree fails with ErrLocked when another process has the data dir
// open: its LOCK file, or (for a process of a version before the LOCK
// file) a Bleve root file, is locked. Open checks the same, but only after
// a caller may have spent a while loading what it needs; CheckFree lets it
// refuse at once.
func CheckFree(dir string) error {
	for _, p := range []string{lockFile, filepath.Join("profiles.bleve", "store", "root.bolt"), filepath.Join("vacancies.bleve", "store", "root.bolt")} {
		if err := probeLock(filepath.Join(dir, p)); err != nil {
			return err
		}
	}
	return nil
}

// Close stops the committers (pending writes are committed first),
// closes both indexes and lets go of the data dir.
// Writes after Close fail with ErrUnavailable.
func (ix *Index) Close() error {
	err := errors.Join(ix.profiles.close(), ix.vacancies.close())
	// a second Close, or a nil lock, makes this a harmless os.ErrClosed
	// or os.ErrInvalid
	_ = ix.lock.Close()
	return err
}

// Counts returns the number of stored profiles and vacancies.
func (ix *Index) Counts() (profiles, vacancies uint64, err error) {
	if profiles, err = ix.profiles.count(); err != nil {
		return 0, 0, err
	}
	vacancies, err = ix.vacancies.count()
	return profiles, vacancies, err
}

// PutProfiles upserts profiles; it returns after they are on disk.
func (ix *Index) PutProfiles(ctx context.Context, ps []*matcher.Profile) error {
	ops := make([]op, 0, len(ps))
	for _, p := range ps {
		if p == nil || p.ID == "" {
			return fmt.Errorf("index: profile without id: %w", matcher.ErrInvalid)
		}
		d, err := profileDoc(p, &ix.opts)
		if err != nil {
			return fmt.Errorf("index: encode profile: %w", matcher.ErrInvalid)
		}
		ops = append(ops, op{id: p.ID, doc: d})
	}
	return ix.profiles.write(ctx, ops)
}

// PutVacancies upserts vacancies; it returns after they are on disk.
func (ix *Index) PutVacancies(ctx context.Context, vs []*matcher.Vacancy) error {
	ops := make([]op, 0, len(vs))
	for _, v := range vs {
		if v == nil || v.ID == "" {
			return fmt.Errorf("index: vacancy without id: %w", matcher.ErrInvalid)
		}
		d, err := vacancyDoc(v, &ix.opts)
		if err != nil {
			return fmt.Errorf("index: encode vacancy: %w", matcher.ErrInvalid)
		}
		ops = append(ops, op{id: v.ID, doc: d})
	}
	return ix.vacancies.write(ctx, ops)
}

// DeleteProfile removes a profile; ErrNotFound when it is not stored.
func (ix *Index) DeleteProfile(ctx context.Context, id string) error {
	return ix.profiles.write(ctx, []op{{id: id, del: true}})
}

// DeleteVacancy removes a vacancy; ErrNotFound when it is not stored.
func (ix *Index) DeleteVacancy(ctx context.Context, id string) error {
	return ix.vacancies.write(ctx, []op{{id: id, del: true}})
}

// GetProfile returns the stored profile exactly as it was put.
func (ix *Index) GetProfile(ctx context.Context, id string) (*matcher.Profile, error) {
	raw, err := ix.profiles.get(id)
	if err != nil {
		return nil, err
	}
	p := new(matcher.Profile)
	if err := ix.profiles.decode(raw, p); err != nil {
		return nil, err
	}
	return p, nil
}

// GetVacancy returns the stored vacancy exactly as it was put.
func (ix *Index) GetVacancy(ctx context.Context, id string) (*matcher.Vacancy, error) {
	raw, err := ix.vacancies.get(id)
	if err != nil {
		return nil, err
	}
	v := new(matcher.Vacancy)
	if err := ix.vacancies.decode(raw, v); err != nil {
		return nil, err
	}
	return v, nil
}

// EachProfile visits every stored profile, in no particular order, from
// one consistent snapshot. An error from fn stops the walk and is returned.
func (ix *Index) EachProfile(ctx context.Context, fn func(*matcher.Profile) error) error {
	return ix.profiles.each(ctx, func(raw []byte) error {
		p := new(matcher.Profile)
		if err := ix.profiles.decode(raw, p); err != nil {
			return err
		}
		return fn(p)
	})
}

// EachVacancy visits every stored vacancy; see EachProfile.
func (ix *Index) EachVacancy(ctx context.Context, fn func(*matcher.Vacancy) error) error {
	return ix.vacancies.each(ctx, func(raw []byte) error {
		v := new(matcher.Vacancy)
		if err := ix.vacancies.decode(raw, v); err != nil {
			return err
		}
		return fn(v)
	})
}

// kindIndex is one Bleve index with its group committer.
type kindIndex struct {
	kind string
	path string
	opts *Options
	idx  bleve.Index
	an   analysis.Analyzer // the Dutch analyzer of the mapping, for search terms

	mu      sync.RWMutex // held for reading while a request is enqueued
	closed  bool
	reqs    chan *request
	stopped chan struct{} // closed when the committer has exited

	// failed holds the error of a Bleve batch that failed on disk. Bleve
	// keeps such a segment in its live index although it has closed it,
	// and the next read or write of the index then panics; so after one,
	// every operation answers ErrUnavailable until werkmatch is restarted
	// (the store is then read afresh, and what Bleve did persist of the
	// failed batch is in it).
	failed atomic.Pointer[error]
}

// damaged wraps an error of reading an index on disk with its path and
// what to do: a truncated or overwritten segment fails in Bleve with
// messages such as "snappy: corrupt input" or "error parsing mapping
// JSON", which name neither.
func damaged(path string, err error) error {
	if errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("index: %s: %w", path, err)
	}
	return fmt.Errorf("index: the index in %s cannot be read; it may be damaged: restore the data dir from a backup, or start with an empty one and import again (%w)", path, err)
}

// bleveIndex is the Bleve index for a read or write, or ErrUnavailable when a
// batch of it failed on disk (see failed). Every use of the index after
// opening goes through it, so that none can touch the closed segment.
func (k *kindIndex) bleveIndex() (bleve.Index, error) {
	if e := k.failed.Load(); e != nil {
		return nil, fmt.Errorf("index: %s: %w: a write to disk failed (%v); restart werkmatch", k.kind, matcher.ErrUnavailable, *e)
	}
	return k.idx, nil
}

// scorchConfig is the default scorch mode, in which Batch returns only
// once the batch is on disk (see the package doc), with a bounded wait for
// the lock of the index's root file, which Bleve would otherwise wait for
// without end and without a word.
func scorchConfig(opts *Options) map[string]interface{} {
	return map[string]interface{}{"bolt_timeout": opts.LockWait.String()}
}

func openKind(ctx context.Context, path, kind string, opts *Options) (*kindIndex, error) {
	m, err := newMapping(kind)
	if err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}
	if err := recoverReindex(path); err != nil {
		return nil, fmt.Errorf("index: %s: %w", kind, err)
	}
	idx, ver, err := openVersioned(path, m, opts)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("index: %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, damaged(path, err)
	}
	if string(ver) != mappingVersion {
		idx, err = reindex(ctx, path, kind, string(ver), idx, m, opts)
		if err != nil {
			return nil, fmt.Errorf("index: rebuild %s: %w", kind, err)
		}
	}
	k := &kindIndex{
		kind:    kind,
		path:    path,
		opts:    opts,
		idx:     idx,
		an:      m.AnalyzerNamed(analyzerName),
		reqs:    make(chan *request, 1024),
		stopped: make(chan struct{}),
	}
	if err := k.syncSynonyms(opts.Synonyms); err != nil {
		_ = idx.Close()
		return nil, fmt.Errorf("index: synonyms %s: %w", kind, err)
	}
	go k.committer()
	return k, nil
}

// openVersioned opens (or creates) the index and reads its mapping
// version. Bleve panics on some damaged segments rather than failing; such
// a panic here is returned as an error, the index closed.
func openVersioned(path string, m mapping.IndexMapping, opts *Options) (idx bleve.Index, ver []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			if idx != nil {
				func() { defer func() { _ = recover() }(); _ = idx.Close() }()
			}
			idx, ver, err = nil, nil, fmt.Errorf("%v", r)
		}
	}()
	if idx, err = openOrCreate(path, m, opts); err != nil {
		return nil, nil, err
	}
	if ver, err = idx.GetInternal(keyMappingVersion); err != nil {
		_ = idx.Close()
		return nil, nil, err
	}
	return idx, ver, nil
}

func openOrCreate(path string, m mapping.IndexMapping, opts *Options) (idx bleve.Index, err error) {
	if _, err := os.Stat(path); err == nil {
		return bleve.OpenUsing(path, scorchConfig(opts))
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	idx, err = bleve.NewUsing(path, m, scorch.Name, scorch.Name, scorchConfig(opts))
	if err != nil {
		return nil, err
	}
	if err := idx.SetInternal(keyMappingVersion, []byte(mappingVersion)); err != nil {
		_ = idx.Close()
		return nil, err
	}
	return idx, nil
}

// recoverReindex finishes or rolls back a rebuild that a crash interrupted.
// A rebuild writes <path>.reindex, then renames <path> to <path>.old and
// <path>.reindex to <path>, then removes <path>.old.
func recoverReindex(path string) error {
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	if !exists(path) && exists(path+".old") {
		if err := os.Rename(path+".old", path); err != nil {
			return err
		}
	}
	if err := os.RemoveAll(path + ".reindex"); err != nil {
		return err
	}
	return os.RemoveAll(path + ".old")
}

// rebuildProgress is how often a rebuild logs how far it is.
var rebuildProgress = 10 * time.Second

// reindex copies every stored document of old into a new index with the
// current mapping and swaps it in. It takes about as long as a bulk import
// of the same documents, so it logs its progress.
func reindex(ctx context.Context, path, kind, from string, old bleve.Index, m mapping.IndexMapping, opts *Options) (bleve.Index, error) {
	total, err := countDocs(old, kind)
	if err != nil {
		_ = old.Close()
		return nil, err
	}
	opts.Logger.Info("index: rebuilding for a new mapping version from the stored documents; this takes about as long as importing them",
		"kind", kind, "from_version", from, "to_version", mappingVersion, "docs_about", total)
	start := time.Now()
	tmp := path + ".reindex"
	nidx, err := bleve.NewUsing(tmp, m, scorch.Name, scorch.Name, scorchConfig(opts))
	if err != nil {
		_ = old.Close()
		return nil, err
	}
	n, err := copyDocs(ctx, path, old, nidx, kind, total, start, opts)
	if err == nil {
		err = nidx.SetInternal(keyMappingVersion, []byte(mappingVersion))
	}
	_ = old.Close()
	if cerr := nidx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			opts.Logger.Warn("index: rebuild stopped; this index stays as it was, of the old mapping version, and is rebuilt at the next start",
				"kind", kind, "docs", n, "of_about", total)
		}
		return nil, err
	}
	if err := os.Rename(path, path+".old"); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(path + ".old"); err != nil {
		return nil, err
	}
	opts.Logger.Info("index: rebuilt", "kind", kind, "docs", n, "took", time.Since(start).Round(time.Millisecond).String())
	return bleve.OpenUsing(path, scorchConfig(opts))
}

// copyDocs indexes every stored document of old into nidx: one reader
// hands chunks of rebuildBatch raw documents to rebuildWorkers workers,
// each of which decodes them, builds their indexed form and writes them as
// one batch (the bulk import writes from two writers alike). It stops at
// the first error, which it returns, or when ctx is done.
func copyDocs(ctx context.Context, path string, old, nidx bleve.Index, kind string, total uint64, start time.Time, opts *Options) (int, error) {
	g, ctx := errgroup.WithContext(ctx)
	chunks := make(chan [][]byte, rebuildWorkers)
	var (
		done atomic.Int64
		mu   sync.Mutex
		last = start
	)
	write := func(chunk [][]byte) error {
		b := nidx.NewBatch()
		for _, raw := range chunk {
			var d map[string]interface{}
			var id string
			var err error
			if kind == kindProfile {
				p := new(matcher.Profile)
				if err := decodeStored(path, kind, raw, p); err != nil {
					return err
				}
				id = p.ID
				d, err = profileDoc(p, opts)
			} else {
				v := new(matcher.Vacancy)
				if err := decodeStored(path, kind, raw, v); err != nil {
					return err
				}
				id = v.ID
				d, err = vacancyDoc(v, opts)
			}
			if err != nil {
				return err
			}
			if err := b.Index(id, d); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := nidx.Batch(b); err != nil {
			return err
		}
		done.Add(int64(len(chunk)))
		mu.Lock()
		defer mu.Unlock()
		if now := time.Now(); now.Sub(last) >= rebuildProgress {
			last = now
			// read under the lock, so that the lines of two workers never
			// count down
			opts.Logger.Info("index: rebuilding", "kind", kind, "docs", done.Load(), "of_about", total,
				"elapsed", now.Sub(start).Round(time.Second).String())
		}
		return nil
	}
	for range rebuildWorkers {
		g.Go(func() error {
			for chunk := range chunks {
				if err := write(chunk); err != nil {
					return err
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(chunks)
		var chunk [][]byte
		send := func() error {
			select {
			case chunks <- chunk:
				chunk = make([][]byte, 0, rebuildBatch)
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		err := eachStored(ctx, old, func(raw []byte) error {
			chunk = append(chunk, bytes.Clone(raw))
			if len(chunk) >= rebuildBatch {
				return send()
			}
			return nil
		})
		if err == nil && len(chunk) > 0 {
			err = send()
		}
		return err
	})
	err := g.Wait()
	return int(done.Load()), err
}

// rebuildWorkers is the number of goroutines that write a rebuild.
var rebuildWorkers = 2

// rebuildBatch is the number of documents per batch of a rebuild.
var rebuildBatch = 5000

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// synonymState is what the index remembers of its synonym documents.
type synonymState struct {
	Hash string `json:"hash"`
	N    int    `json:"n"`
}

func synonymID(i int) string { return fmt.Sprintf("\x00syn\x00%d", i) }

// syncSynonyms replaces the synonym documents when the sets changed.
func (k *kindIndex) syncSynonyms(sets [][]string) error {
	var st synonymState
	if raw, err := k.idx.GetInternal(keySynonyms); err != nil {
		return err
	} else if len(raw) > 0 {
		if err := json.Unmarshal(raw, &st); err != nil {
			return err
		}
	}
	var clean [][]string
	for _, s := range sets {
		if s = nonEmpty(s); len(s) >= 2 {
			clean = append(clean, s)
		}
	}
	h := sha256.New()
	_ = json.NewEncoder(h).Encode(clean)
	hash := hex.EncodeToString(h.Sum(nil))
	if hash == st.Hash {
		return nil
	}
	b := k.idx.NewBatch()
	for i := 0; i < st.N; i++ {
		b.Delete(synonymID(i))
	}
	for i, s := range clean {
		if err := b.IndexSynonym(synonymID(i), synonymCollection, &bleve.SynonymDefinition{Synonyms: s}); err != nil {
			return err
		}
	}
	raw, _ := json.Marshal(synonymState{Hash: hash, N: len(clean)})
	b.SetInternal(keySynonyms, raw)
	if err := k.idx.Batch(b); err != nil {
		return err
	}
	return nil
}

// count is the number of stored documents.
func (k *kindIndex) count() (uint64, error) {
	idx, err := k.bleveIndex()
	if err != nil {
		return 0, err
	}
	return countDocs(idx, k.kind)
}

// countDocs is the number of stored documents of an index (synonym
// definitions are documents to Bleve too, but carry no kind term).
func countDocs(idx bleve.Index, kind string) (uint64, error) {
	sr := bleve.NewSearchRequestOptions(allDocs(kind), 0, 0, false)
	res, err := idx.Search(sr)
	if err != nil {
		return 0, fmt.Errorf("index: count %s: %w", kind, err)
	}
	return res.Total, nil
}

// get returns the stored JSON of a document, or ErrNotFound.
func (k *kindIndex) get(id string) ([]byte, error) {
	if id == "" || id[0] == 0 {
		return nil, matcher.ErrNotFound
	}
	idx, err := k.bleveIndex()
	if err != nil {
		return nil, err
	}
	doc, err := idx.Document(id)
	if err != nil {
		return nil, fmt.Errorf("index: get %s: %w", k.kind, err)
	}
	if doc == nil {
		return nil, matcher.ErrNotFound
	}
	var raw []byte
	doc.VisitFields(func(f index.Field) {
		if f.Name() == fDoc {
			raw = f.Value()
		}
	})
	if raw == nil {
		return nil, matcher.ErrNotFound
	}
	return raw, nil
}

// decode reads a stored document of this index into v; see decodeStored.
func (k *kindIndex) decode(raw []byte, v any) error { return decodeStored(k.path, k.kind, raw, v) }

// decodeStored reads a stored document of the index at path into v.
// werkmatch stores only JSON it wrote itself, so one that does not decode
// is a damaged index on disk.
func decodeStored(path, kind string, raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return damaged(path, fmt.Errorf("stored %s document: %w", kind, err))
	}
	return nil
}

func (k *kindIndex) each(ctx context.Context, fn func(raw []byte) error) (err error) {
	idx, err := k.bleveIndex()
	if err != nil {
		return err
	}
	defer func() {
		// Bleve panics on some damaged segments rather than failing.
		if r := recover(); r != nil {
			err = damaged(k.path, fmt.Errorf("%v", r))
		}
	}()
	var fnErr error
	err = eachStored(ctx, idx, func(raw []byte) error {
		fnErr = fn(raw)
		return fnErr
	})
	if err != nil && fnErr == nil && ctx.Err() == nil {
		return damaged(k.path, err) // Bleve's own error: the index on disk
	}
	return err
}

// eachStored walks the live documents of every segment of one scorch
// snapshot and hands the stored JSON of each to fn. This avoids a search
// and an id lookup per document: a start-up load reads each stored field
// once.
func eachStored(ctx context.Context, idx bleve.Index, fn func(raw []byte) error) error {
	adv, err := idx.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return fmt.Errorf("index: unexpected reader %T", r)
	}
	var buf []byte
	for _, seg := range snap.Segments() {
		it := seg.DocNumbersLive().Iterator()
		n := 0
		for it.HasNext() {
			num := uint64(it.Next())
			if n++; n%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			buf = buf[:0]
			found := false
			if err := seg.VisitDocument(num, func(name string, typ byte, val []byte, pos []uint64) bool {
				if name == fDoc {
					buf = append(buf, val...)
					found = true
					return false
				}
				return true
			}); err != nil {
				return err
			}
			if !found {
				continue // a synonym definition
			}
			if err := fn(buf); err != nil {
				return err
			}
		}
	}
	return nil
}
