package matcher

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors of the core. The api package maps each to one HTTP status
// in one place; everything else wraps one of these.
var (
	// ErrNotFound: no such profile or vacancy (or not visible to the caller).
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the document or query fails validation; see *ValidationError.
	ErrInvalid = errors.New("invalid input")
	// ErrPersonalData: a free-text field carries personal data; see *PersonalDataError.
	ErrPersonalData = errors.New("personal data in input")
	// ErrConflict: an If-Match precondition does not hold.
	ErrConflict = errors.New("version conflict")
	// ErrUnavailable: the store cannot accept writes right now (disk full,
	// read-only, closing). Reads may still work.
	ErrUnavailable = errors.New("temporarily unavailable")
)

// FieldError is one problem with one field, named by its JSON path.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every field problem found; it matches ErrInvalid
// under errors.Is.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Message)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

func (e *ValidationError) add(field, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (e *ValidationError) orNil() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// PersonalDataError names the fields that carry personal data and the kind
// found (bsn, email, phone, iban). It never holds the value itself.
type PersonalDataError struct {
	Fields []FieldError
}

func (e *PersonalDataError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Message)
	}
	return "personal data in input: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrPersonalData) true.
func (e *PersonalDataError) Is(target error) bool { return target == ErrPersonalData }
