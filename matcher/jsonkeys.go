package matcher

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// Strict JSON documents. encoding/json matches keys without regard to
// case and lets the last of two equal keys win; a document of the contract
// must do neither, whether it comes over HTTP or from an import file.

// jsonShape scans b once, skipping string contents: the deepest nesting
// of arrays and objects, and the keys of the top-level object (unescaped)
// in their order. It does not validate; a decoder does.
func jsonShape(b []byte) (depth int, keys []string) {
	d, inStr, esc, key, start := 0, false, false, false, 0
	for i, ch := range b {
		if inStr {
			switch {
			case esc:
				esc = false
			case ch == '\\':
				esc = true
			case ch == '"':
				inStr = false
				if key {
					k := string(b[start:i])
					if bytes.IndexByte(b[start:i], '\\') >= 0 {
						_ = json.Unmarshal(b[start-1:i+1], &k)
					}
					keys = append(keys, k)
					key = false
				}
			}
			continue
		}
		switch ch {
		case '"':
			inStr, start = true, i+1
		case '{', '[':
			d++
			depth = max(depth, d)
			key = d == 1 && ch == '{'
		case '}', ']':
			d--
		case ',':
			key = d == 1
		case ':':
			key = false
		}
	}
	return depth, keys
}

// checkJSONKeys refuses, among the top-level keys of a document (from
// jsonShape) decoded into the struct v points to, a key given twice and a
// key that matches a field only when case is ignored ("MUNICIPALITY").
// It returns a *ValidationError naming the field, or nil.
func checkJSONKeys(keys []string, v any) error {
	names := jsonNames(reflect.TypeOf(v))
	if names == nil {
		return nil
	}
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if seen[k] {
			return &ValidationError{Fields: []FieldError{{Field: SafeFieldName(k), Message: "is given more than once"}}}
		}
		seen[k] = true
		if !names[k] {
			for n := range names {
				if strings.EqualFold(n, k) {
					return &ValidationError{Fields: []FieldError{{Field: n, Message: "is spelt with other capitals: field names are case-sensitive"}}}
				}
			}
		}
	}
	return nil
}

// fieldNameRe is the shape of a key an error may repeat back.
var fieldNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// SafeFieldName returns a key as an error may repeat it: itself when it
// looks like a field name and carries no personal data, else "". A client
// that sent an e-mail address or a BSN as a key does not get it back, and
// no log or reject file holds it.
func SafeFieldName(k string) string {
	if fieldNameRe.MatchString(k) && DetectPersonalData(k) == "" {
		return k
	}
	return ""
}

var jsonNameCache sync.Map // reflect.Type -> map[string]bool

// jsonNames returns the JSON names of the fields of the struct t points
// to, or nil when t is no pointer to a struct.
func jsonNames(t reflect.Type) map[string]bool {
	if m, ok := jsonNameCache.Load(t); ok {
		return m.(map[string]bool)
	}
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	m := map[string]bool{}
	for f := range t.Elem().Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		if name != "-" && f.IsExported() {
			m[name] = true
		}
	}
	jsonNameCache.Store(t, m)
	return m
}

// decodeError says why a document is not strict JSON when no single field
// is to blame: not UTF-8, malformed, incomplete, nested too deep, not an
// object, data after it. Its message never repeats the input. It is
// ErrInvalid.
type decodeError struct{ Msg string }

func (e *decodeError) Error() string { return e.Msg }

// Is makes a decodeError match ErrInvalid.
func (e *decodeError) Is(target error) bool { return target == ErrInvalid }

// DecodeStrict decodes the one JSON object in b into the struct v points
// to, as a document of the contract: valid UTF-8, nested at most maxDepth
// levels (0: no limit), no unknown field, no key given twice or in other
// capitals (checkJSONKeys), nothing but white space after it. what names
// the input in messages ("body", "line"). A field to blame gives a
// *ValidationError naming it (a key is named only as SafeFieldName allows),
// anything else an error whose message says why; both are ErrInvalid.
func DecodeStrict(b []byte, v any, what string, maxDepth int) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return &decodeError{"the " + what + " is empty; send a JSON object"}
	}
	if !utf8.Valid(b) {
		return &decodeError{"the " + what + " is not valid UTF-8 (convert the input to UTF-8 first)"}
	}
	depth, keys := jsonShape(b)
	if maxDepth > 0 && depth > maxDepth {
		return &decodeError{fmt.Sprintf("the JSON is nested more than %d levels deep", maxDepth)}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeErr(err, what)
	}
	if err := checkJSONKeys(keys, v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return &decodeError{"unexpected data after the JSON value"}
	}
	return nil
}

// decodeErr turns an encoding/json error into a field error where a field
// is to blame, without echoing values.
func decodeErr(err error, what string) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	field := func(name, msg string) error {
		return &ValidationError{Fields: []FieldError{{Field: name, Message: msg}}}
	}
	switch {
	case errors.As(err, &te) && te.Field != "":
		return field(te.Field, "must be a JSON "+jsonKind(te.Type.Kind()))
	case errors.As(err, &te):
		return &decodeError{"the " + what + " must be a JSON object"}
	case errors.As(err, &se):
		return &decodeError{fmt.Sprintf("malformed JSON at byte %d", se.Offset)}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &decodeError{"the JSON value is incomplete"}
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		// The name is repeated only when it looks like a field name: a
		// client that sent personal data as a key gets it not back.
		if f = SafeFieldName(strings.Trim(f, `"`)); f == "" {
			return field("", "an unknown field (its name is not repeated: it does not look like a field name)")
		}
		return field(f, "is not a field of this document")
	}
	return &decodeError{"malformed JSON"}
}

func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64, reflect.Float64:
		return "number (integer where the contract says so)"
	case reflect.Slice:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Bool:
		return "boolean"
	}
	return k.String()
}
