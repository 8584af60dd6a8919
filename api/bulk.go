package api

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/werkmatch/werkmatch/matcher"
)

// bulkChunk is the number of good lines written to the store at once.
const bulkChunk = 1000

// BulkLine is the result of one NDJSON line of a bulk request.
type BulkLine struct {
	Line   int                  `json:"line"` // 1-based line number in the body
	ID     string               `json:"id,omitempty"`
	Status int                  `json:"status"` // 201 created, 200 replaced, else the problem status
	Title  string               `json:"title,omitempty"`
	Detail string               `json:"detail,omitempty"`
	Errors []matcher.FieldError `json:"errors,omitempty"`
}

// BulkAnswer is the answer to a bulk request.
type BulkAnswer struct {
	Results  []BulkLine `json:"results"`
	Accepted int        `json:"accepted"`
	Rejected int        `json:"rejected"`
}

type bulkState struct {
	s       *Server
	c       *gin.Context
	pr      *Principal
	ans     BulkAnswer
	pending []*matcher.Profile
	lines   []int // index into ans.Results per pending profile
	ids     map[string]bool
}

// bulkProfiles: POST /v1/profiles/_bulk (ingest). One profile per line;
// every line gets its own result, a bad line never stops or drops the good
// ones. Good lines are written in chunks (durable before the answer).
// A body over the bulk limit is answered 413, with the results of the
// lines read (and written) before the limit.
func (s *Server) bulkProfiles(c *gin.Context, pr *Principal) (*reply, error) {
	if err := checkContentType(c, "application/x-ndjson", "application/jsonl", "application/json"); err != nil {
		return nil, err
	}
	body, err := limitBody(c, s.cfg.MaxBulkBody)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(body, 64<<10)
	b := &bulkState{s: s, c: c, pr: pr, ids: map[string]bool{}}
	lineNo := 0
	var readErr error
	for {
		line, tooLong, err := readLine(br, s.cfg.MaxBody)
		if err != nil && err != io.EOF {
			readErr = err
			break
		}
		if err == io.EOF && len(line) == 0 && !tooLong {
			break // end of body (after a final newline or empty)
		}
		lineNo++
		switch {
		case tooLong:
			b.reject(lineNo, "", tooLarge(s.cfg.MaxBody))
		case len(bytes.TrimSpace(line)) > 0:
			if lineNo == 1 {
				line = bytes.TrimPrefix(line, []byte("\ufeff")) // a BOM before the first line
			}
			b.add(lineNo, line)
		}
		if err == io.EOF {
			break
		}
	}
	b.flush()
	s.m.bulkLines.Observe(float64(lineNo))
	s.m.bulkRejected.Add(float64(b.ans.Rejected))
	if readErr != nil {
		var mbe *http.MaxBytesError
		if errors.As(readErr, &mbe) {
			p := newProblem(http.StatusRequestEntityTooLarge,
				fmt.Sprintf("the body must be at most %d bytes; the %d complete lines before the limit were processed (see results)", s.cfg.MaxBulkBody, lineNo))
			p.Results = &b.ans
			return nil, &apiError{p}
		}
		p := newProblem(http.StatusBadRequest, fmt.Sprintf("the body could not be read after line %d; the lines before were processed (see results)", lineNo))
		p.Results = &b.ans
		return nil, &apiError{p}
	}
	if len(b.ans.Results) == 0 {
		return nil, problem(http.StatusBadRequest, "the body has no lines; send one profile per line")
	}
	return &reply{status: http.StatusOK, body: &b.ans}, nil
}

// readLine reads one line without its newline. A line longer than max is
// consumed to its end and reported tooLong.
func readLine(br *bufio.Reader, max int64) (line []byte, tooLong bool, err error) {
	for {
		frag, err := br.ReadSlice('\n')
		if !tooLong {
			if int64(len(line)+len(frag)) > max+1 { // +1: the newline
				tooLong, line = true, nil
			} else {
				line = append(line, frag...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == nil {
			line = bytes.TrimSuffix(line, []byte{'\n'})
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		return line, tooLong, err
	}
}

func (b *bulkState) reject(line int, id string, err error) {
	p := problemOf(err)
	b.ans.Results = append(b.ans.Results, BulkLine{Line: line, ID: id, Status: p.Status, Title: p.Title, Detail: p.Detail, Errors: p.Errors})
	b.ans.Rejected++
}

func (b *bulkState) add(line int, raw []byte) {
	p := new(matcher.Profile)
	if err := unmarshalStrict(raw, p, "line"); err != nil {
		b.reject(line, "", err)
		return
	}
	if p.ID == "" {
		b.reject(line, "", fieldError("id", "is required in a bulk line"))
		return
	}
	if err := checkProfile(p, p.ID, b.pr); err != nil {
		b.reject(line, matcher.SafeID(p.ID), err)
		return
	}
	if b.ids[p.ID] || len(b.pending) >= bulkChunk {
		// a repeated id goes into the next chunk, so that the later line wins
		b.flush()
	}
	b.ids[p.ID] = true
	b.pending = append(b.pending, p)
	b.lines = append(b.lines, len(b.ans.Results))
	b.ans.Results = append(b.ans.Results, BulkLine{Line: line, ID: p.ID})
}

// flush writes the pending profiles: store (durable), core, invalidate.
// A store error becomes the result of each pending line.
func (b *bulkState) flush() {
	if len(b.pending) == 0 {
		return
	}
	s := b.s
	ids := make([]string, len(b.pending))
	for i, p := range b.pending {
		ids[i] = p.ID
	}
	unlock := s.lockMany("profile", ids)
	defer unlock()
	existed := make([]bool, len(b.pending))
	var write []*matcher.Profile
	var writeIdx []int
	for i, p := range b.pending {
		ok, verr := s.visibleProfile(b.pr, p.ID)
		if verr != nil {
			r := &b.ans.Results[b.lines[i]]
			pr := problemOf(verr)
			r.Status, r.Title, r.Detail = pr.Status, pr.Title, pr.Detail
			b.ans.Rejected++
			continue
		}
		existed[i] = ok
		write = append(write, p)
		writeIdx = append(writeIdx, i)
	}
	ctx := durable(b.c)
	var err error
	if len(write) > 0 {
		err = storeErr(s.cfg.Store.PutProfiles(ctx, write))
	}
	if err == nil && len(write) > 0 {
		s.cfg.Engine.UpsertProfiles(write)
		s.cache.Invalidate(ctx)
	}
	for _, i := range writeIdx {
		r := &b.ans.Results[b.lines[i]]
		switch {
		case err != nil:
			pr := problemOf(err)
			r.Status, r.Title, r.Detail = pr.Status, pr.Title, pr.Detail
			b.ans.Rejected++
		case existed[i]:
			r.Status = http.StatusOK
			b.ans.Accepted++
		default:
			r.Status = http.StatusCreated
			b.ans.Accepted++
		}
	}
	if err != nil && problemOf(err).Status == http.StatusInternalServerError {
		s.reqLog(b.c).Error("bulk write failed", "error", err.Error())
	}
	b.pending, b.lines = b.pending[:0], b.lines[:0]
	clear(b.ids)
}
