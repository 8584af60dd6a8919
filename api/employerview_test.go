package api_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/werkmatch/werkmatch/matcher"
)

// jsonKeys lists the JSON names of a struct's fields.
func jsonKeys(v any) []string {
	var out []string
	t := reflect.TypeOf(v)
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// employerView says which keys an employer may see, by the key of the
// enclosing object. A key not listed under its context fails the test.
var employerView = map[string][]string{
	"":             {"results", "weights", "open_hiring", "considered", "scored", "unrecognised", "cached", "total", "facets", "from", "size", "query", "type", "title", "status", "detail", "instance", "request_id", "errors"},
	"match":        {"profile_id", "score", "explanation"},
	"explanation":  {"matched_skills", "partial_skills", "missing_skills", "matched_preferred_skills", "occupation", "distance_km", "hours_overlap", "components", "contributions", "open_hiring"},
	"open_hiring":  {"opted_in"},
	"components":   jsonKeys(matcher.Components{}),
	"weights":      jsonKeys(matcher.Weights{}),
	"vacancy":      jsonKeys(matcher.Vacancy{}),
	"vacancy_hit":  {"id", "score", "vacancy"},
	"taxonomy_hit": {"uri", "label", "isco", "confidence"},
	"errors":       {"field", "message"},
}

// checkEmployerView walks a response body and reports every key outside
// the employer view. kind is the shape of the top-level answer.
func checkEmployerView(t *testing.T, what string, body []byte, kind string) {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var walk func(v any, ctx, path string)
	walk = func(v any, ctx, path string) {
		switch x := v.(type) {
		case []any:
			for i, e := range x {
				walk(e, ctx, fmt.Sprintf("%s[%d]", path, i))
			}
		case map[string]any:
			allowed := employerView[ctx]
			for k, e := range x {
				p := path + "." + k
				if !slices.Contains(allowed, k) {
					t.Errorf("%s: field %s is outside the employer view", what, p)
					continue
				}
				next := ""
				switch {
				case ctx == "" && k == "results":
					next = map[string]string{"match": "match", "vacancy": "vacancy_hit", "vacancy_doc": "vacancy", "taxonomy": "taxonomy_hit"}[kind]
				case ctx == "" && k == "facets":
					continue // counts by branch, education and hours bucket
				case ctx == "" && k == "errors":
					next = "errors"
				case ctx == "" && kind == "vacancy_doc":
					continue
				case ctx == "match" && k == "explanation":
					next = "explanation"
				case ctx == "explanation" && k == "open_hiring":
					next = "open_hiring"
				case ctx == "explanation" && (k == "components" || k == "contributions"):
					next = "components"
				case ctx == "" && k == "weights":
					next = "weights"
				case ctx == "vacancy_hit" && k == "vacancy":
					next = "vacancy"
				}
				walk(e, next, p)
			}
		}
	}
	if kind == "vacancy_doc" {
		// a stored vacancy is returned as the object itself
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		for k := range m {
			if !slices.Contains(employerView["vacancy"], k) {
				t.Errorf("%s: field %s is outside the employer view", what, k)
			}
		}
		return
	}
	walk(v, "", "")
}

// TestEmployerViewNeverLeaks calls every route with employer keys, over
// data built to tempt a leak (meedoen and banenafspraak profiles, open
// hiring with registration dates, free-text summaries), and checks every
// field of every answer against the employer view.
func TestEmployerViewNeverLeaks(t *testing.T) {
	e := newEnv(t, nil)
	for i := range 12 {
		p := profile(fmt.Sprintf("p%02d", i), amsterdam, 1011+i%3)
		p.Summary = "GEHEIME-SAMENVATTING"
		p.Banenafspraak = i%2 == 0
		p.OpenToOpenHiring = i%3 != 0
		if i%4 == 0 {
			p.Perspectief = matcher.PerspectiefMeedoen
		}
		e.putProfile(p)
	}
	v := vacancy("va", employerA, 1012)
	v.BanenafspraakSuitable = true
	e.putVacancy(v)
	oh := vacancy("va-open", employerA, 1012)
	oh.OpenHiring = true
	e.putVacancy(oh)
	e.putVacancy(vacancy("vb", employerB, 1012))

	type call struct {
		r    req
		kind string
	}
	calls := []call{
		{req{method: "GET", path: "/v1/vacancies/va/matches?limit=50"}, "match"},
		{req{method: "GET", path: "/v1/vacancies/va-open/matches?limit=50"}, "match"},
		{req{method: "GET", path: "/v1/vacancies/va/matches?w_skills=5"}, "match"},
		{req{method: "POST", path: "/v1/matches", body: vacancy("", "", 1012)}, "match"},
		{req{method: "POST", path: "/v1/matches", body: oh}, "match"},
		{req{method: "GET", path: "/v1/vacancies/va"}, "vacancy_doc"},
		{req{method: "PUT", path: "/v1/vacancies/va", body: v}, "vacancy_doc"},
		{req{method: "GET", path: "/v1/search/vacancies?q=orderpicker"}, "vacancy"},
		{req{method: "GET", path: "/v1/taxonomy/occupations?q=orderpicker"}, "taxonomy"},
		{req{method: "GET", path: "/v1/taxonomy/skills?q=heftruck"}, "taxonomy"},
		// refused routes: the problem must not carry data either
		{req{method: "GET", path: "/v1/profiles/p01"}, "problem"},
		{req{method: "GET", path: "/v1/profiles/p01/matches"}, "problem"},
		{req{method: "GET", path: "/v1/search/profiles?q=GEHEIME"}, "problem"},
		{req{method: "GET", path: "/v1/vacancies/vb"}, "problem"},
		{req{method: "GET", path: "/v1/vacancies/vb/matches"}, "problem"},
		{req{method: "PUT", path: "/v1/profiles/p01", body: profile("p01", amsterdam, 1011)}, "problem"},
		{req{method: "POST", path: "/v1/profiles/_bulk", body: "{}", ctype: "application/x-ndjson"}, "problem"},
	}
	// Warm the cache as the accountmanager: the employers' answers below
	// are then cache hits of the same shared results, in their own view.
	for _, c := range calls[:3] {
		c.r.key = kAM
		want(t, e.do(c.r), 200)
	}
	sawMatches := 0
	for _, key := range []string{kEmployerA, kEmployerB} {
		for i, c := range calls {
			c.r.key = key
			rec := e.do(c.r)
			what := fmt.Sprintf("%s %s as %s (%d)", c.r.method, c.r.path, key, rec.Code)
			body := rec.Body.Bytes()
			if rec.Code >= 500 {
				t.Fatalf("%s: %s", what, body)
			}
			for _, leak := range []string{"GEHEIME", "registered_at", "municipality", "banenafspraak\"", "perspectief", "summary", "2024-03-01"} {
				if strings.Contains(string(body), leak) {
					t.Errorf("%s: answer contains %q", what, leak)
				}
			}
			kind := c.kind
			if rec.Code >= 400 {
				kind = "problem"
			} else if kind == "problem" { // another employer's route is this one's own
				kind = "vacancy_doc"
				if strings.Contains(c.r.path, "/matches") {
					kind = "match"
				}
			}
			checkEmployerView(t, what, body, kind)
			if kind == "match" {
				var m map[string]any
				_ = json.Unmarshal(body, &m)
				ids := matchIDs(m)
				sawMatches += len(ids)
				if key == kEmployerA && i < 3 && m["cached"] != true {
					t.Errorf("%s: expected a cache hit of the accountmanager's result", what)
				}
				for _, id := range ids {
					var n int
					fmt.Sscanf(id, "p%d", &n)
					if n%4 == 0 {
						t.Errorf("%s: meedoen profile %s in an employer answer", what, id)
					}
				}
			}
		}
	}
	if sawMatches == 0 {
		t.Fatal("no match results at all: the test proves nothing")
	}
	// The open-hiring registration date is in the accountmanager's view.
	rec := e.do(req{method: "GET", path: "/v1/vacancies/va-open/matches?limit=50", key: kAM})
	if !strings.Contains(rec.Body.String(), "registered_at") {
		t.Errorf("the accountmanager's open-hiring answer lacks registered_at: %.400s", rec.Body.String())
	}
}
