package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/matcher"
)

// maxLine is the longest NDJSON line (or CSV record) accepted: the API's
// default single-document body limit.
const maxLine = 1 << 20

// importSummary is the outcome of one import run, cumulative over resumed
// runs of the same file.
type importSummary struct {
	Lines, Accepted, Rejected int // over the whole file so far
	ResumedAt                 int // line the run continued after (0: from the start)
	AlreadyDone               bool
	Interrupted               bool
	Failed                    bool // stopped by an error; what the checkpoint holds is stored
	Took                      time.Duration
	RunDocs                   int // documents written by this run
}

func (s *importSummary) print(w io.Writer, c *importConfig) {
	switch {
	case s.AlreadyDone:
		fmt.Fprintf(w, "%s was already imported completely into %s (%d accepted, %d rejected); use --restart to import it again\n",
			c.file, c.data, s.Accepted, s.Rejected)
		return
	case s.ResumedAt > 0:
		fmt.Fprintf(w, "resumed after line %d\n", s.ResumedAt)
	}
	rate := float64(s.RunDocs) / max(s.Took.Seconds(), 1e-9)
	fmt.Fprintf(w, "%s: %d lines, %d %s accepted, %d rejected; this run wrote %d in %s (%.0f/s)\n",
		c.file, s.Lines, s.Accepted, c.kind, s.Rejected, s.RunDocs, s.Took.Round(time.Millisecond), rate)
	if s.Rejected > 0 {
		fmt.Fprintf(w, "rejected lines and their field errors: %s\n", c.rejects)
	}
	if s.Interrupted {
		fmt.Fprintf(w, "interrupted: everything up to line %d is stored; run the same command again to continue\n", s.Lines)
	}
	if s.Failed {
		fmt.Fprintf(w, "stopped by the error below: everything up to line %d is stored; put it right and run the same command again to continue\n", s.Lines)
	}
}

// rejectLine is one line of the reject file. It names fields and problems,
// never a value (a rejected line may carry personal data).
type rejectLine struct {
	Line   int                  `json:"line"`
	ID     string               `json:"id,omitempty"`
	Error  string               `json:"error"`
	Errors []matcher.FieldError `json:"errors,omitempty"`
}

// checkpoint records the last durable batch of an import: the input up to
// Offset (and Line) is stored, the reject file is RejectsSize bytes long.
// Head and Tail fingerprint the input so that a changed file is not
// resumed by mistake.
type checkpoint struct {
	File        string `json:"file"`
	Kind        string `json:"kind"`
	Format      string `json:"format"`
	Offset      int64  `json:"offset"`
	Line        int    `json:"line"`
	Accepted    int    `json:"accepted"`
	Rejected    int    `json:"rejected"`
	RejectsSize int64  `json:"rejects_size"`
	Head        string `json:"head"`
	Tail        string `json:"tail"`
	Done        bool   `json:"done"`
	Updated     string `json:"updated"`
}

const fingerprintLen = 4096

// fingerprint hashes the first and the last 4 KiB before offset.
func fingerprint(f *os.File, offset int64) (head, tail string, err error) {
	sum := func(from, to int64) (string, error) {
		buf := make([]byte, to-from)
		if _, err := f.ReadAt(buf, from); err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		h := sha256.Sum256(buf)
		return hex.EncodeToString(h[:]), nil
	}
	if head, err = sum(0, min(offset, fingerprintLen)); err != nil {
		return
	}
	tail, err = sum(max(0, offset-fingerprintLen), offset)
	return
}

func checkpointPath(data, kind, file string) (string, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256([]byte(abs))
	return filepath.Join(data, "imports", kind+"-"+hex.EncodeToString(h[:6])+".json"), nil
}

func readCheckpoint(path string) (*checkpoint, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var cp checkpoint
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, fmt.Errorf("checkpoint %s is unreadable (%v); use --restart", path, err)
	}
	return &cp, nil
}

// writeCheckpoint replaces the checkpoint atomically and durably.
func writeCheckpoint(path string, cp *checkpoint) error {
	cp.Updated = time.Now().UTC().Format(time.RFC3339)
	b, _ := json.MarshalIndent(cp, "", "  ")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// document is a profile or a vacancy.
type document interface {
	Normalise()
	Validate() error
	CheckPersonalData() error
}

func newDocument(kind string) document {
	if kind == "profiles" {
		return &matcher.Profile{}
	}
	return &matcher.Vacancy{}
}

func docID(d document) string {
	switch d := d.(type) {
	case *matcher.Profile:
		return d.ID
	case *matcher.Vacancy:
		return d.ID
	}
	return ""
}

// check normalises, validates and scans one document; the error is a
// *matcher.ValidationError or *matcher.PersonalDataError.
func check(d document) error {
	d.Normalise()
	if err := d.Validate(); err != nil {
		return err
	}
	return d.CheckPersonalData()
}

// importHooks let tests interrupt an import at a chosen point.
type importHooks struct {
	afterBatch func(batches int) // called after each durable batch and its checkpoint
	beforePut  func(batch int)   // called before batch (1, 2, ...) is written
}

// importFile imports c.file into the data dir. progress (nil: none)
// receives the progress bar.
func importFile(ctx context.Context, c *importConfig, progress io.Writer, hooks *importHooks) (*importSummary, error) {
	t0 := time.Now()
	if hooks == nil {
		hooks = &importHooks{}
	}
	in, err := os.Open(c.file)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return nil, err
	}
	cpPath, err := checkpointPath(c.data, c.kind, c.file)
	if err != nil {
		return nil, err
	}
	cp := &checkpoint{File: c.file, Kind: c.kind, Format: c.format}
	if !c.restart {
		old, err := readCheckpoint(cpPath)
		if err != nil {
			return nil, err
		}
		if old != nil {
			if old.Format != c.format || old.Offset > st.Size() {
				return nil, fmt.Errorf("%s does not match its checkpoint %s (format or size changed); use --restart", c.file, cpPath)
			}
			head, tail, err := fingerprint(in, old.Offset)
			if err != nil {
				return nil, err
			}
			if head != old.Head || tail != old.Tail {
				return nil, fmt.Errorf("%s changed since its checkpoint %s; use --restart to import it from the start", c.file, cpPath)
			}
			if old.Done && old.Offset == st.Size() {
				return &importSummary{Lines: old.Line, Accepted: old.Accepted, Rejected: old.Rejected, AlreadyDone: true}, nil
			}
			old.Done = false
			cp = old
		}
	}

	ix, err := openIndexForImport(ctx, c, progress)
	if err != nil {
		return nil, err
	}
	defer ix.Close()

	// The reject file is cut back to the state of the checkpoint: lines
	// after it are read (and rejected) again.
	rej, err := os.OpenFile(c.rejects, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	defer rej.Close()
	if err := rej.Truncate(cp.RejectsSize); err != nil {
		return nil, err
	}
	if _, err := rej.Seek(cp.RejectsSize, io.SeekStart); err != nil {
		return nil, err
	}
	rejW := bufio.NewWriter(rej)

	sum := &importSummary{ResumedAt: cp.Line, Lines: cp.Line, Accepted: cp.Accepted, Rejected: cp.Rejected}
	var bar *progressbar.ProgressBar
	if progress != nil {
		bar = progressbar.NewOptions64(st.Size(),
			progressbar.OptionSetWriter(progress),
			progressbar.OptionSetDescription("importing "+c.kind),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(progress) }),
		)
		_ = bar.Set64(cp.Offset)
	}

	var src source
	if c.format == "csv" {
		src, err = newCSVSource(in, cp.Offset, cp.Line, c.kind)
	} else {
		src, err = newNDJSONSource(in, cp.Offset, cp.Line, c.kind)
	}
	if err != nil {
		return nil, err
	}

	// Batches are written while the next one is read: at most two are in
	// flight. The checkpoint moves, in order, past each batch once it and
	// every batch before it are durable.
	type inflight struct {
		done        chan error
		n           int
		offset      int64
		line        int
		rejected    int
		rejectsSize int64
	}
	var queue []*inflight
	var pending []document
	batches := 0
	if hooks.beforePut == nil {
		hooks.beforePut = func(int) {}
	}
	dispatched := 0
	if hooks.afterBatch == nil {
		hooks.afterBatch = func(int) {}
	}
	put := func(docs []document) error {
		// A batch in flight is finished even when interrupted, so that
		// the checkpoint can move past it.
		wctx := context.WithoutCancel(ctx)
		if c.kind == "profiles" {
			ps := make([]*matcher.Profile, len(docs))
			for i, d := range docs {
				ps[i] = d.(*matcher.Profile)
			}
			return ix.PutProfiles(wctx, ps)
		}
		vs := make([]*matcher.Vacancy, len(docs))
		for i, d := range docs {
			vs[i] = d.(*matcher.Vacancy)
		}
		return ix.PutVacancies(wctx, vs)
	}
	complete := func() error {
		b := queue[0]
		queue = queue[1:]
		if err := <-b.done; err != nil {
			return fmt.Errorf("writing to %s after line %d: %w", c.data, cp.Line, err)
		}
		sum.RunDocs += b.n
		if err := rej.Sync(); err != nil {
			return err
		}
		cp.Offset, cp.Line, cp.Accepted, cp.Rejected, cp.RejectsSize = b.offset, b.line, cp.Accepted+b.n, b.rejected, b.rejectsSize
		var err error
		if cp.Head, cp.Tail, err = fingerprint(in, b.offset); err != nil {
			return err
		}
		if err := writeCheckpoint(cpPath, cp); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		batches++
		if bar != nil {
			bar.Describe(fmt.Sprintf("importing %s: %d stored, %d rejected", c.kind, cp.Accepted, cp.Rejected))
			_ = bar.Set64(b.offset)
		}
		hooks.afterBatch(batches)
		return nil
	}
	dispatch := func(offset int64, line int) error {
		if err := rejW.Flush(); err != nil {
			return err
		}
		size, err := rej.Seek(0, io.SeekCurrent)
		if err != nil {
			return err
		}
		b := &inflight{done: make(chan error, 1), n: len(pending), offset: offset, line: line, rejected: sum.Rejected, rejectsSize: size}
		docs := pending
		pending = nil
		dispatched++
		k := dispatched
		go func() {
			if len(docs) == 0 {
				b.done <- nil
				return
			}
			hooks.beforePut(k)
			b.done <- put(docs)
		}()
		queue = append(queue, b)
		if len(queue) >= 2 {
			return complete()
		}
		return nil
	}
	// failed reports a run stopped by err as far as it is stored: up to
	// the last checkpoint.
	failed := func(err error) (*importSummary, error) {
		sum.Failed = true
		sum.Lines, sum.Accepted, sum.Rejected = cp.Line, cp.Accepted, cp.Rejected
		sum.Took = time.Since(t0)
		if bar != nil {
			_ = bar.Exit()
			fmt.Fprintln(progress)
		}
		return sum, err
	}
	// drain completes the batches in flight. After an error it only waits
	// for them: the checkpoint must never move past a batch that failed,
	// or a resumed run would skip its lines. (What a later batch wrote is
	// written again on resume: an upsert is harmless.)
	drain := func(err error) error {
		for len(queue) > 0 {
			if err != nil {
				<-queue[0].done
				queue = queue[1:]
				continue
			}
			err = complete()
		}
		return err
	}

	for {
		if ctx.Err() != nil {
			sum.Interrupted = true
			break
		}
		rec, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return failed(drain(fmt.Errorf("reading %s: %w", c.file, err)))
		}
		sum.Lines = rec.endLine
		if rec.err != nil {
			sum.Rejected++
			writeReject(rejW, rec.line, "", rec.err)
		} else if err := check(rec.doc); err != nil {
			sum.Rejected++
			// the reject file never holds a value that may be personal data
			writeReject(rejW, rec.line, matcher.SafeID(docID(rec.doc)), err)
		} else {
			pending = append(pending, rec.doc)
		}
		if len(pending) >= c.batch {
			if err := dispatch(rec.end, rec.endLine); err != nil {
				return failed(drain(err))
			}
		}
	}
	// The last (partial) batch: up to where reading stopped.
	err = dispatch(src.offset(), sum.Lines)
	if err = drain(err); err != nil {
		return failed(err)
	}
	sum.Accepted, sum.Rejected = cp.Accepted, cp.Rejected
	if !sum.Interrupted {
		cp.Done = true
		if err := writeCheckpoint(cpPath, cp); err != nil {
			return sum, err
		}
	} else if bar != nil {
		_ = bar.Exit()
		fmt.Fprintln(progress)
	}
	sum.Took = time.Since(t0)
	return sum, nil
}

func writeReject(w io.Writer, line int, id string, err error) {
	r := rejectLine{Line: line, ID: id}
	var ve *matcher.ValidationError
	var pe *matcher.PersonalDataError
	switch {
	case errors.As(err, &ve):
		r.Error, r.Errors = "invalid", ve.Fields
	case errors.As(err, &pe):
		r.Error, r.Errors = "personal data", pe.Fields
	default:
		r.Error = err.Error()
	}
	b, _ := json.Marshal(r)
	_, _ = w.Write(append(b, '\n'))
}

// openIndexForImport opens the data dir the way serve does (same locator
// and synonyms), after making sure no server holds it. The index's log
// lines (a rebuild after an upgrade and its progress) go to progress, or
// to stderr under --quiet: a rebuild takes minutes and must not be silent.
func openIndexForImport(ctx context.Context, c *importConfig, progress io.Writer) (*index.Index, error) {
	if err := index.CheckFree(c.data); err != nil {
		return nil, err
	}
	locator, err := loadLocator(c.pc4)
	if err != nil {
		return nil, err
	}
	tax, err := loadTaxonomy(c.esco)
	if err != nil {
		return nil, err
	}
	opts := indexOptions(locator, tax)
	opts.BatchMax = max(c.batch, 1000)
	if progress == nil {
		progress = os.Stderr
	}
	opts.Logger = slog.New(slog.NewTextHandler(progress, nil))
	ix, err := index.OpenContext(ctx, c.data, opts)
	if err != nil {
		return nil, fmt.Errorf("open the data dir %s: %w", c.data, err)
	}
	return ix, nil
}

// record is one input line (or CSV record) read: a document, or why it
// could not be read. end is the input offset just past it.
type record struct {
	line    int // first line of the record (1-based)
	endLine int // last line of the record
	end     int64
	doc     document
	err     error
}

type source interface {
	next() (record, error) // io.EOF at the end
	offset() int64         // input offset just past the last record returned
}

// ndjsonSource reads one JSON document per line.
type ndjsonSource struct {
	r    *bufio.Reader
	off  int64
	line int
	kind string
}

func newNDJSONSource(f *os.File, offset int64, line int, kind string) (*ndjsonSource, error) {
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return nil, err
	}
	return &ndjsonSource{r: bufio.NewReaderSize(f, 256<<10), off: offset, line: line, kind: kind}, nil
}

func (s *ndjsonSource) offset() int64 { return s.off }

func (s *ndjsonSource) next() (record, error) {
	for {
		raw, n, tooLong, err := readLineLimited(s.r, maxLine)
		if n == 0 && errors.Is(err, io.EOF) {
			return record{}, io.EOF
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return record{}, err
		}
		s.off += int64(n)
		s.line++
		rec := record{line: s.line, endLine: s.line, end: s.off}
		if tooLong {
			rec.err = fmt.Errorf("line longer than %d bytes", maxLine)
			return rec, nil
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			continue // blank lines are allowed
		}
		if s.line == 1 {
			raw = bytes.TrimPrefix(raw, []byte("\ufeff")) // a BOM before the first line
		}
		rec.doc = newDocument(s.kind)
		rec.err = matcher.DecodeStrict(raw, rec.doc, "line", 0)
		return rec, nil
	}
}

// readLineLimited reads one line (without its newline); it returns the
// number of bytes consumed, and tooLong (with the rest of the line
// skipped) when the line exceeds max.
func readLineLimited(r *bufio.Reader, max int) (line []byte, n int, tooLong bool, err error) {
	for {
		chunk, e := r.ReadSlice('\n')
		n += len(chunk)
		if !tooLong {
			if len(line)+len(chunk) > max+1 {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if e == bufio.ErrBufferFull {
			continue
		}
		if e != nil {
			err = e
		}
		break
	}
	line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
	return line, n, tooLong, err
}

// csvSource reads CSV with a header row of JSON field names.
type csvSource struct {
	f        *os.File
	r        *csv.Reader
	base     int64 // file offset the csv.Reader started at
	baseLine int   // lines before base
	cols     []csvColumn
	kind     string
	last     int64
}

type csvColumn struct {
	name  string
	field int // index in the struct; -1 ignored
}

func newCSVSource(f *os.File, offset int64, line int, kind string) (*csvSource, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	br := bufio.NewReader(f)
	bom := 0
	if b, _ := br.Peek(3); string(b) == "\ufeff" {
		bom, _ = br.Discard(3) // a BOM: the parser would refuse a quoted first name after it
	}
	hr := csv.NewReader(br)
	hr.FieldsPerRecord = -1
	header, err := hr.Read()
	if err != nil {
		return nil, fmt.Errorf("CSV header: %w", err)
	}
	fields := jsonFields(reflect.TypeOf(newDocument(kind)).Elem())
	s := &csvSource{f: f, kind: kind}
	seen := map[string]bool{}
	for _, h := range header {
		name := strings.TrimSpace(h)
		idx, ok := fields[name]
		if !ok {
			return nil, fmt.Errorf("CSV header: %q is not a field of %s", name, kind)
		}
		if seen[name] {
			return nil, fmt.Errorf("CSV header: %q appears twice", name)
		}
		seen[name] = true
		s.cols = append(s.cols, csvColumn{name: name, field: idx})
	}
	if !seen["id"] {
		return nil, errors.New(`CSV header: an "id" column is required`)
	}
	if offset == 0 {
		// Start after the header.
		offset = int64(bom) + hr.InputOffset()
		l, _ := hr.FieldPos(0)
		line = l
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return nil, err
	}
	s.base, s.baseLine, s.last = offset, line, offset
	s.r = csv.NewReader(bufio.NewReaderSize(f, 256<<10))
	s.r.FieldsPerRecord = -1
	s.r.ReuseRecord = true
	return s, nil
}

func (s *csvSource) offset() int64 { return s.last }

func (s *csvSource) next() (record, error) {
	for {
		fields, err := s.r.Read()
		end := s.base + s.r.InputOffset()
		if errors.Is(err, io.EOF) {
			return record{}, io.EOF
		}
		line, _ := s.r.FieldPos(0)
		rec := record{line: s.baseLine + line, end: end}
		start := s.last
		s.last = end
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rec.line, rec.endLine = s.baseLine+pe.StartLine, s.baseLine+pe.Line
				rec.err = fmt.Errorf("malformed CSV: %v", pe.Err)
				return rec, nil
			}
			return record{}, err
		}
		lastLine, _ := s.r.FieldPos(len(fields) - 1)
		rec.endLine = s.baseLine + lastLine + strings.Count(fields[len(fields)-1], "\n")
		if end-start > maxLine {
			rec.err = fmt.Errorf("record longer than %d bytes", maxLine)
			return rec, nil
		}
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			continue
		}
		if len(fields) != len(s.cols) {
			rec.err = fmt.Errorf("record has %d fields, the header %d", len(fields), len(s.cols))
			return rec, nil
		}
		doc := newDocument(s.kind)
		rec.doc = doc
		rec.err = fillFromCSV(reflect.ValueOf(doc).Elem(), s.cols, fields)
		return rec, nil
	}
}

// jsonFields maps JSON names to struct field indexes.
func jsonFields(t reflect.Type) map[string]int {
	out := map[string]int{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = i
		}
	}
	return out
}

// fillFromCSV sets the struct's fields from one record: lists are split on
// ';', booleans accept true/false, ja/nee, yes/no, 1/0 (empty is false),
// numbers are integers (empty is 0).
func fillFromCSV(v reflect.Value, cols []csvColumn, rec []string) error {
	var ve matcher.ValidationError
	for i, col := range cols {
		raw := strings.TrimSpace(rec[i])
		f := v.Field(col.field)
		switch f.Kind() {
		case reflect.String:
			f.SetString(raw)
		case reflect.Int:
			if raw == "" {
				continue
			}
			n, err := strconv.Atoi(raw)
			if err != nil {
				ve.Fields = append(ve.Fields, matcher.FieldError{Field: col.name, Message: "must be an integer"})
				continue
			}
			f.SetInt(int64(n))
		case reflect.Bool:
			switch strings.ToLower(raw) {
			case "", "false", "nee", "no", "0", "n":
			case "true", "ja", "yes", "1", "j", "y":
				f.SetBool(true)
			default:
				ve.Fields = append(ve.Fields, matcher.FieldError{Field: col.name, Message: "must be true or false"})
			}
		case reflect.Slice:
			list := []string{}
			for _, p := range strings.Split(raw, ";") {
				if p = strings.TrimSpace(p); p != "" {
					list = append(list, p)
				}
			}
			f.Set(reflect.ValueOf(list))
		}
	}
	if len(ve.Fields) > 0 {
		return &ve
	}
	return nil
}
