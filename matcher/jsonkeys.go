package matcher

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"sync"
)

// Strict JSON documents. encoding/json matches keys without regard to
// case and lets the last of two equal keys win; a document of the contract
// must do neither, whether it comes over HTTP or from an import file.

// JSONShape scans b once, skipping string contents: the deepest nesting
// of arrays and objects, and the keys of the top-level object (unescaped)
// in their order. It does not validate; a decoder does.
func JSONShape(b []byte) (depth int, keys []string) {
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

// CheckJSONKeys refuses, among the top-level keys of a document (from
// JSONShape) decoded into the struct v points to, a key given twice and a
// key that matches a field only when case is ignored ("MUNICIPALITY").
// It returns a *ValidationError naming the field, or nil.
func CheckJSONKeys(keys []string, v any) error {
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
