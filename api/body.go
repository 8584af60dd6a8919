package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/werkmatch/werkmatch/matcher"
)

// Default body limits.
const (
	DefaultMaxBody     = 1 << 20  // one JSON document
	DefaultMaxBulkBody = 64 << 20 // one NDJSON bulk request
	// MaxJSONDepth bounds nesting in a request body; documents are two
	// levels deep.
	MaxJSONDepth = 16
)

// checkContentType answers 415 unless the request's media type is one of
// types (parameters such as charset=utf-8 are allowed; another charset is
// not).
func checkContentType(c *gin.Context, types ...string) error {
	ct := c.GetHeader("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil {
		return problem(http.StatusUnsupportedMediaType, "send the body as "+strings.Join(types, " or "))
	}
	ok := false
	for _, t := range types {
		if mt == t {
			ok = true
		}
	}
	if !ok {
		return problem(http.StatusUnsupportedMediaType, "send the body as "+strings.Join(types, " or "))
	}
	if cs, has := params["charset"]; has && !strings.EqualFold(cs, "utf-8") {
		return problem(http.StatusUnsupportedMediaType, "the body must be UTF-8")
	}
	return nil
}

// readBody reads the whole body up to limit bytes; more is a 413.
func readBody(c *gin.Context, limit int64) ([]byte, error) {
	r, err := limitBody(c, limit)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(limit)
		}
		return nil, problem(http.StatusBadRequest, "the request body could not be read")
	}
	return b, nil
}

// limitBody returns the body cut off after limit bytes (reading on is a
// *http.MaxBytesError); a declared length over limit is a 413 at once.
func limitBody(c *gin.Context, limit int64) (io.Reader, error) {
	if c.Request.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	return http.MaxBytesReader(c.Writer, c.Request.Body, limit), nil
}

func tooLarge(limit int64) error {
	return problem(http.StatusRequestEntityTooLarge, fmt.Sprintf("the body must be at most %d bytes", limit))
}

// decodeJSON reads one JSON document into v: a JSON content type, at most
// limit bytes, valid UTF-8, nesting at most MaxJSONDepth, no unknown
// fields, and nothing but white space after the value.
func decodeJSON(c *gin.Context, limit int64, v any) error {
	if err := checkContentType(c, "application/json"); err != nil {
		return err
	}
	b, err := readBody(c, limit)
	if err != nil {
		return err
	}
	return unmarshalStrict(b, v, "body")
}

// unmarshalStrict decodes exactly one JSON object from b into v
// (matcher.DecodeStrict); its errors are 400s through problemOf.
func unmarshalStrict(b []byte, v any, what string) error {
	return matcher.DecodeStrict(b, v, what, MaxJSONDepth)
}
