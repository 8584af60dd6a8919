package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/werkmatch/werkmatch/matcher"
)

// Problem is an RFC 9457 problem details object. Errors lists field-level
// problems (JSON paths) from validation and the personal-data check.
type Problem struct {
	Type      string               `json:"type"`
	Title     string               `json:"title"`
	Status    int                  `json:"status"`
	Detail    string               `json:"detail,omitempty"`
	Instance  string               `json:"instance,omitempty"`
	RequestID string               `json:"request_id,omitempty"`
	Errors    []matcher.FieldError `json:"errors,omitempty"`
	// Results carries the per-line results of a bulk request that was cut
	// off (413): the lines before the cut were processed.
	Results any `json:"results,omitempty"`
	// Checks is set by /readyz only.
	Checks map[string]string `json:"checks,omitempty"`

	retryAfter time.Duration
	allow      string
}

// ProblemContentType is the media type of every error response.
const ProblemContentType = "application/problem+json"

// problemBase prefixes the type URI of every problem.
const problemBase = "https://werkmatch.nl/problems/"

// Problem types, one per status the API answers with.
var problemTypes = map[int]struct{ slug, title string }{
	http.StatusBadRequest:            {"invalid-request", "Invalid request"},
	http.StatusUnauthorized:          {"unauthorized", "Missing or unknown API key"},
	http.StatusForbidden:             {"forbidden", "Not allowed for this key's role"},
	http.StatusNotFound:              {"not-found", "Not found"},
	http.StatusMethodNotAllowed:      {"method-not-allowed", "Method not allowed"},
	http.StatusConflict:              {"version-conflict", "Version conflict"},
	http.StatusRequestEntityTooLarge: {"body-too-large", "Request body too large"},
	http.StatusUnsupportedMediaType:  {"unsupported-media-type", "Unsupported media type"},
	http.StatusUnprocessableEntity:   {"personal-data", "Personal data in input"},
	http.StatusTooManyRequests:       {"rate-limited", "Too many requests"},
	http.StatusInternalServerError:   {"internal", "Internal server error"},
	http.StatusServiceUnavailable:    {"unavailable", "Service unavailable"},
}

// apiError is an error that carries its own problem.
type apiError struct{ p *Problem }

func (e *apiError) Error() string { return e.p.Title + ": " + e.p.Detail }

// problem returns an error answered with the given status and detail.
func problem(status int, detail string, fields ...matcher.FieldError) error {
	return &apiError{newProblem(status, detail, fields...)}
}

// fieldError returns a 400 naming one field.
func fieldError(field, msg string) error {
	return problem(http.StatusBadRequest, "the request has invalid fields", matcher.FieldError{Field: field, Message: msg})
}

func newProblem(status int, detail string, fields ...matcher.FieldError) *Problem {
	t, ok := problemTypes[status]
	if !ok {
		t.slug, t.title = "error", http.StatusText(status)
	}
	return &Problem{Type: problemBase + t.slug, Title: t.title, Status: status, Detail: detail, Errors: fields}
}

// problemOf maps an error to a problem. This is the one place where core
// errors become HTTP statuses; anything unknown is a 500 (a bug, logged by
// the caller), never a client error dressed up.
func problemOf(err error) *Problem {
	var ae *apiError
	var ve *matcher.ValidationError
	var pe *matcher.PersonalDataError
	switch {
	case errors.As(err, &ae):
		return ae.p
	case errors.As(err, &ve):
		return newProblem(http.StatusBadRequest, "the request has invalid fields", ve.Fields...)
	case errors.As(err, &pe):
		return newProblem(http.StatusUnprocessableEntity,
			"a free-text field looks like it carries personal data (BSN, e-mail address, phone number or IBAN); remove it and send again", pe.Fields...)
	case errors.Is(err, matcher.ErrPersonalData):
		return newProblem(http.StatusUnprocessableEntity, "the document carries personal data")
	case errors.Is(err, matcher.ErrInvalid):
		return newProblem(http.StatusBadRequest, clientDetail(err))
	case errors.Is(err, matcher.ErrNotFound):
		return newProblem(http.StatusNotFound, "no such resource")
	case errors.Is(err, matcher.ErrConflict):
		return newProblem(http.StatusConflict, "the resource has changed: its current ETag does not match If-Match")
	case errors.Is(err, matcher.ErrUnavailable):
		p := newProblem(http.StatusServiceUnavailable, "the store cannot take this request right now; try again")
		p.retryAfter = 5 * time.Second
		return p
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		p := newProblem(http.StatusServiceUnavailable, "the request did not finish in time")
		p.retryAfter = time.Second
		return p
	default:
		return newProblem(http.StatusInternalServerError, "an internal error occurred; it has been logged with the request id")
	}
}

// storeErr marks a failed store or search read as unavailability (503,
// logged with its cause) unless it is one of the core's client errors: a
// store that cannot read is a dependency failure, not a bug in the
// request.
func storeErr(err error) error {
	if err == nil || errors.Is(err, matcher.ErrNotFound) || errors.Is(err, matcher.ErrInvalid) ||
		errors.Is(err, matcher.ErrUnavailable) || errors.Is(err, matcher.ErrConflict) {
		return err
	}
	return fmt.Errorf("%w: %w", matcher.ErrUnavailable, err)
}

// clientDetail is the message of an ErrInvalid that is not a
// ValidationError (for instance a search the index rejects). Those
// messages name the parameter and value the client sent, never a document.
func clientDetail(err error) string {
	s := err.Error()
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

// writeProblem answers with a problem and stops the handler chain.
func writeProblem(c *gin.Context, p *Problem) {
	p.RequestID = requestID(c)
	if p.Instance == "" && c.Request != nil {
		p.Instance = instance(c)
	}
	if p.retryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(int((p.retryAfter+time.Second-1)/time.Second)))
	}
	if p.allow != "" {
		c.Header("Allow", p.allow)
	}
	if p.Status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="werkmatch"`)
	}
	writeJSON(c, p.Status, ProblemContentType, p)
	c.Abort()
}

// instance is the problem's instance: the request path where each of its
// segments is an id the API accepts and carries no personal data, else the
// route template (or "/" for no route), so that an answer never repeats an
// e-mail address or BSN a client put in a URL.
func instance(c *gin.Context) string {
	path := c.Request.URL.Path
	if safePath(path) {
		return path
	}
	if t := c.FullPath(); t != "" {
		return t
	}
	return "/"
}

// storeGet applies storeErr to a store read.
func storeGet[T any](v T, err error) (T, error) { return v, storeErr(err) }
