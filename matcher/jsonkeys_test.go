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
		d, keys := JSONShape([]byte(c.in))
		if d != c.depth || !slices.Equal(keys, c.keys) {
			t.Errorf("JSONShape(%s) = %d %q, want %d %q", c.in, d, keys, c.depth, c.keys)
		}
	}
	p := new(Profile)
	for keys, field := range map[string]string{"id,skills,id": "id", "id,SKILLS": "skills", "id,jan@example.nl,jan@example.nl": ""} {
		err := CheckJSONKeys(strings.Split(keys, ","), p)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Fields[0].Field != field {
			t.Errorf("CheckJSONKeys(%s) = %v, want field %q", keys, err, field)
		}
	}
	if err := CheckJSONKeys([]string{"id", "skills", "summary"}, p); err != nil {
		t.Errorf("good keys: %v", err)
	}
}
