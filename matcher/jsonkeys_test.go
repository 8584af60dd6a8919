package matcher

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestJSONShape(t *testing.T) {
	for _, c := range []struct {
		in    string
		depth int
		keys  []string
	}{
		{`{"id":"p","skills":["a","b"],"x":{"y":1,"z":[{"w":2}]}}`, 4, []string{"id", "skills", "x"}},
		{`{"a\u0062":"{\"c\":1}", "d" : [1,{"e":2}] }`, 3, []string{"ab", "d"}},
		{`[{"a":1}]`, 2, nil},
		{`{}`, 1, nil},
	} {
		d, keys := jsonShape([]byte(c.in))
		if d != c.depth || !slices.Equal(keys, c.keys) {
			t.Errorf("jsonShape(%s) = %d %q, want %d %q", c.in, d, keys, c.depth, c.keys)
		}
	}
	p := new(Profile)
	for keys, field := range map[string]string{"id,skills,id": "id", "id,SKILLS": "skills", "id,jan@example.nl,jan@example.nl": ""} {
		err := checkJSONKeys(strings.Split(keys, ","), p)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != field {
			t.Errorf("checkJSONKeys(%s) = %v, want field %q", keys, err, field)
		}
	}
	if err := checkJSONKeys([]string{"id", "skills", "summary"}, p); err != nil {
		t.Errorf("good keys: %v", err)
	}
}

func TestDecodeStrict(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 5) + "1" + strings.Repeat("}", 5)
	for _, c := range []struct {
		in, what string
		depth    int
		field    string // a ValidationError naming this field; "" with msg: a decodeError
		msg      string
	}{
		{`{"id":"a","hours_min":8}`, "body", 0, "", ""},
		{"  ", "line", 0, "", "the line is empty; send a JSON object"},
		{"{\"id\":\"\xff\"}", "line", 0, "", "the line is not valid UTF-8 (convert the input to UTF-8 first)"},
		{`{"id":"a","summary":` + deep + `}`, "body", 4, "", "the JSON is nested more than 4 levels deep"},
		{`{"id":"a"} x`, "body", 0, "", "unexpected data after the JSON value"},
		{`[1]`, "line", 0, "", "the line must be a JSON object"},
		{`{"id":"a",}`, "body", 0, "", "malformed JSON at byte 11"},
		{`{"id":"a"`, "body", 0, "", "the JSON value is incomplete"},
		{`{"id":"a","hours_min":"8"}`, "body", 0, "hours_min", "must be a JSON number (integer where the contract says so)"},
		{`{"id":"a","shoe_size":43}`, "body", 0, "shoe_size", "is not a field of this document"},
		{`{"id":"a","jan@example.nl":1}`, "body", 0, "-", "an unknown field (its name is not repeated: it does not look like a field name)"},
		{`{"id":"a","id":"b"}`, "body", 0, "id", "is given more than once"},
	} {
		var p Profile
		err := DecodeStrict([]byte(c.in), &p, c.what, c.depth)
		if c.msg == "" {
			if err != nil {
				t.Errorf("%q: %v", c.in, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: %v is not ErrInvalid", c.in, err)
		}
		var de *decodeError
		var ve *ValidationError
		switch {
		case c.field == "" && (!errors.As(err, &de) || de.Msg != c.msg):
			t.Errorf("%q: %#v, want the decodeError %q", c.in, err, c.msg)
		case c.field != "" && (!errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Message != c.msg ||
			ve.Fields[0].Field != strings.TrimPrefix(c.field, "-")):
			t.Errorf("%q: %#v, want %s: %q", c.in, err, c.field, c.msg)
		}
	}
	// With no depth limit, deep nesting is the decoder's business only.
	var m struct {
		A any `json:"a"`
	}
	if err := DecodeStrict([]byte(`{"a":`+deep+`}`), &m, "body", 0); err != nil {
		t.Errorf("no depth limit: %v", err)
	}
}
