package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

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
	return unmarshalStrict(b, v)
}

// unmarshalStrict decodes exactly one JSON value from b into v.
func unmarshalStrict(b []byte, v any) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return problem(http.StatusBadRequest, "the body is empty; send a JSON object")
	}
	if !utf8.Valid(b) {
		return problem(http.StatusBadRequest, "the body is not valid UTF-8")
	}
	depth, keys := matcher.JSONShape(b)
	if depth > MaxJSONDepth {
		return problem(http.StatusBadRequest, fmt.Sprintf("the JSON is nested more than %d levels deep", MaxJSONDepth))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if err := matcher.CheckJSONKeys(keys, v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return problem(http.StatusBadRequest, "unexpected data after the JSON value")
	}
	return nil
}

// jsonProblem turns an encoding/json error into a 400 that names the
// field where it can, without echoing values.
func jsonProblem(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return problem(http.StatusBadRequest, "the body must be a JSON object")
		}
		return fieldError(field, "must be a JSON "+jsonKind(te.Type.Kind().String()))
	case errors.As(err, &se):
		return problem(http.StatusBadRequest, fmt.Sprintf("malformed JSON at byte %d", se.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return problem(http.StatusBadRequest, "the JSON value is incomplete")
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		// The name is repeated only when it looks like a field name: a
		// client that sent personal data as a key gets it not back.
		if f = strings.Trim(f, `"`); matcher.SafeFieldName(f) == "" {
			return problem(http.StatusBadRequest, "the request has invalid fields",
				matcher.FieldError{Field: "", Message: "an unknown field (its name is not repeated: it does not look like a field name)"})
		}
		return fieldError(f, "is not a field of this document")
	}
	return problem(http.StatusBadRequest, "malformed JSON")
}

func jsonKind(k string) string {
	switch k {
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "number (integer where the contract says so)"
	case "slice":
		return "array"
	case "struct", "map":
		return "object"
	case "bool":
		return "boolean"
	}
	return k
}
