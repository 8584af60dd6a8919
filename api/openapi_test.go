package api

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes keeps /openapi.json true: every registered
// route is documented and every documented operation is registered, each
// /v1 operation documents the statuses the server can answer on it, and
// every $ref resolves.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	s := New(Config{})
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	registered := map[string]routeInfo{}
	for _, r := range s.g.Routes() {
		registered[r.Method+" "+param.ReplaceAllString(r.Path, "{$1}")] = routeInfo{}
	}
	for _, r := range s.routes {
		registered[r.method+" "+param.ReplaceAllString(r.path, "{$1}")] = r
	}
	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			key := strings.ToUpper(method) + " " + path
			documented[key] = true
			ri, ok := registered[key]
			if !ok {
				t.Errorf("documented but not registered: %s", key)
				continue
			}
			var op struct {
				Responses map[string]json.RawMessage `json:"responses"`
				Security  []map[string][]string      `json:"security"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s: %v", key, err)
			}
			if !strings.HasPrefix(path, "/v1/") {
				if op.Security == nil || len(op.Security) != 0 {
					t.Errorf("%s needs no key but the document does not say security: []", key)
				}
				continue
			}
			// Every keyed route can answer these.
			need := []int{200, 401, 429, 503}
			if !slices.Equal(ri.roles, anyRole) {
				need = append(need, 403)
			}
			if strings.Contains(path, "{id}") || strings.HasPrefix(path, "/v1/search") || strings.HasPrefix(path, "/v1/taxonomy") || path == "/v1/matches" {
				need = append(need, 400)
			}
			if method == "put" || method == "post" {
				need = append(need, 400, 413, 415)
			}
			if method == "put" || path == "/v1/matches" {
				need = append(need, 422)
			}
			if method == "put" || method == "delete" {
				need = append(need, 409, 404)
			}
			if method == "delete" {
				need = slices.DeleteFunc(need, func(c int) bool { return c == 200 })
				need = append(need, 204)
			}
			if method == "put" {
				need = append(need, 201)
			}
			for _, code := range need {
				if _, ok := op.Responses[strconv.Itoa(code)]; !ok {
					t.Errorf("%s does not document %d", key, code)
				}
			}
		}
	}
	for key := range registered {
		if !documented[key] {
			t.Errorf("registered but not documented: %s", key)
		}
	}

	// every $ref points at something
	var all any
	_ = json.Unmarshal(openapiJSON, &all)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if !resolves(all, ref) {
					t.Errorf("unresolved $ref %s", ref)
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(all)
}

func resolves(doc any, ref string) bool {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return false
	}
	cur := doc
	for _, part := range strings.Split(p, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	return true
}
