package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/cache"
	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/matcher"
	"github.com/werkmatch/werkmatch/taxonomy"
)

func TestAuthAndRoles(t *testing.T) {
	e := newEnv(t, nil)
	e.putProfile(profile("p1", amsterdam, 1011))
	e.putVacancy(vacancy("v1", employerA, 1012))

	// 401: no key, malformed header, unknown key.
	for _, h := range []string{"", "Bearer", "Basic abc", "Bearer nope"} {
		rec := e.do(req{method: "GET", path: "/v1/profiles/p1", header: map[string]string{"Authorization": h}})
		want(t, rec, 401)
		if rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("401 without WWW-Authenticate")
		}
	}
	// 403: the wrong role, on every kind of route.
	forbidden := []req{
		{method: "GET", path: "/v1/profiles/p1", key: kEmployerA},
		{method: "PUT", path: "/v1/profiles/p1", key: kAM, body: profile("p1", amsterdam, 1011)},
		{method: "DELETE", path: "/v1/profiles/p1", key: kEmployerA},
		{method: "POST", path: "/v1/profiles/_bulk", key: kAM, body: "{}", ctype: "application/x-ndjson"},
		{method: "GET", path: "/v1/profiles/p1/matches", key: kEmployerA},
		{method: "GET", path: "/v1/profiles/p1/matches", key: kIngest},
		{method: "GET", path: "/v1/vacancies/v1", key: kIngest},
		{method: "PUT", path: "/v1/vacancies/v1", key: kIngest, body: vacancy("v1", employerA, 1012)},
		{method: "GET", path: "/v1/vacancies/v1/matches", key: kIngest},
		{method: "POST", path: "/v1/matches", key: kIngest, body: vacancy("x", employerA, 1012)},
		{method: "GET", path: "/v1/search/profiles", key: kEmployerA},
		{method: "GET", path: "/v1/search/profiles", key: kIngest},
		{method: "GET", path: "/v1/search/vacancies", key: kIngest},
	}
	for _, r := range forbidden {
		want(t, e.do(r), 403)
	}
	// admin may do everything.
	for _, r := range []req{
		{method: "GET", path: "/v1/profiles/p1", key: kAdmin},
		{method: "GET", path: "/v1/profiles/p1/matches", key: kAdmin},
		{method: "GET", path: "/v1/vacancies/v1", key: kAdmin},
		{method: "GET", path: "/v1/vacancies/v1/matches", key: kAdmin},
		{method: "GET", path: "/v1/search/profiles", key: kAdmin},
		{method: "GET", path: "/v1/search/vacancies", key: kAdmin},
		{method: "GET", path: "/v1/taxonomy/occupations?q=kok", key: kAdmin},
	} {
		want(t, e.do(r), 200)
	}
	// any key may use the taxonomy.
	for _, k := range []string{kIngest, kAM, kEmployerA} {
		want(t, e.do(req{method: "GET", path: "/v1/taxonomy/skills?q=heftruck", key: k}), 200)
	}
}

func TestKeysFileValidation(t *testing.T) {
	bad := [][]api.Key{
		{{KeySHA256: "abc", Role: api.RoleAdmin}},
		{{KeySHA256: api.HashKey("x"), Role: "boss"}},
		{{KeySHA256: api.HashKey("x"), Role: api.RoleEmployer}},
		{{KeySHA256: api.HashKey("x"), Role: api.RoleAdmin, EmployerID: "e1"}},
		{{KeySHA256: api.HashKey("x"), Role: api.RoleAccountmanager, Regions: []string{"Amsterdam"}}},
		{{KeySHA256: api.HashKey("x"), Role: api.RoleAdmin}, {KeySHA256: api.HashKey("x"), Role: api.RoleIngest}},
		// an empty list would give every region: leave it out for that
		{{KeySHA256: api.HashKey("x"), Role: api.RoleAccountmanager, Regions: []string{}}},
	}
	for i, b := range bad {
		if _, err := api.NewKeys(b); err == nil {
			t.Errorf("bad keys %d accepted", i)
		}
	}
	// a syntax error names its line, and never the hash
	file := filepath.Join(t.TempDir(), "keys.json")
	h := api.HashKey("geheim")
	os.WriteFile(file, []byte("[\n {\"key_sha256\": \""+h+"\",\n  \"role\": \"admin\"\n  \"name\": \"x\"}\n]\n"), 0o600)
	if _, err := api.LoadKeys(file); err == nil || !strings.Contains(err.Error(), "line 4") || strings.Contains(err.Error(), h) {
		t.Errorf("syntax error: %v", err)
	}
}

func TestProfileCRUDAndETag(t *testing.T) {
	e := newEnv(t, nil)
	p := profile("p1", amsterdam, 1011)
	rec := e.do(req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: p})
	m := want(t, rec, 201)
	if m["id"] != "p1" || m["municipality"] != amsterdam {
		t.Fatalf("PUT answer is not the stored profile: %v", m)
	}
	etag1 := rec.Header().Get("ETag")
	if etag1 == "" {
		t.Fatal("no ETag on PUT")
	}
	rec = e.do(req{method: "GET", path: "/v1/profiles/p1", key: kIngest})
	want(t, rec, 200)
	if rec.Header().Get("ETag") != etag1 {
		t.Fatalf("GET ETag %s, PUT ETag %s", rec.Header().Get("ETag"), etag1)
	}
	// an id in the body may be left out; a different one is 400.
	p.ID = ""
	p.HoursMax = 36
	rec = e.do(req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: p, header: map[string]string{"If-Match": etag1}})
	want(t, rec, 200)
	etag2 := rec.Header().Get("ETag")
	if etag2 == etag1 {
		t.Fatal("ETag did not change with the document")
	}
	// a stale If-Match is 409, and the document is unchanged.
	p.HoursMax = 40
	m = want(t, e.do(req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: p, header: map[string]string{"If-Match": etag1}}), 409)
	_ = m
	m = want(t, e.do(req{method: "GET", path: "/v1/profiles/p1", key: kIngest}), 200)
	if m["hours_max"] != float64(36) {
		t.Fatalf("a 409 write changed the document: hours_max %v", m["hours_max"])
	}
	// If-Match on a document that does not exist is 409 too.
	want(t, e.do(req{method: "PUT", path: "/v1/profiles/p2", key: kIngest, body: profile("p2", amsterdam, 1011), header: map[string]string{"If-Match": `"x"`}}), 409)
	p.ID = "other"
	m = want(t, e.do(req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: p}), 400)
	if !slices.Contains(fieldsOf(m), "id") {
		t.Fatalf("id mismatch not named: %v", m)
	}
	// DELETE with a stale If-Match: 409; then 204, then GET and DELETE 404.
	want(t, e.do(req{method: "DELETE", path: "/v1/profiles/p1", key: kIngest, header: map[string]string{"If-Match": etag1}}), 409)
	want(t, e.do(req{method: "DELETE", path: "/v1/profiles/p1", key: kIngest, header: map[string]string{"If-Match": etag2}}), 204)
	want(t, e.do(req{method: "GET", path: "/v1/profiles/p1", key: kIngest}), 404)
	want(t, e.do(req{method: "DELETE", path: "/v1/profiles/p1", key: kIngest}), 404)
	// an id that is not an id is 400.
	want(t, e.do(req{method: "GET", path: "/v1/profiles/" + strings.Repeat("x", 65), key: kIngest}), 400)
}

func TestValidationAndPersonalData(t *testing.T) {
	e := newEnv(t, nil)
	p := profile("p1", amsterdam, 1011)
	p.Postcode4 = 99
	p.Perspectief = "misschien"
	p.Branches = []string{"Ruimtevaart"}
	m := want(t, e.do(req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: p}), 400)
	f := fieldsOf(m)
	for _, name := range []string{"postcode4", "perspectief", "branches[0]"} {
		if !slices.Contains(f, name) {
			t.Errorf("field %s not named in %v", name, f)
		}
	}
	// a type error names the field.
	m = want(t, e.do(req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: `{"id":"p1","hours_min":"veel"}`}), 400)
	if !slices.Contains(fieldsOf(m), "hours_min") {
		t.Errorf("type error not named: %v", m)
	}
	// an unknown field is named.
	m = want(t, e.do(req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: `{"id":"p1","naam":"Jan"}`}), 400)
	if !slices.Contains(fieldsOf(m), "naam") {
		t.Errorf("unknown field not named: %v", m)
	}
	// a key given twice, or in other capitals, is refused: encoding/json
	// would let the last or the folded one win.
	for body, field := range map[string]string{
		`{"id":"p1","municipality":"0363","postcode4":1011,"perspectief":"werken","MUNICIPALITY":"0599"}`:              "municipality",
		`{"id":"p1","municipality":"0363","postcode4":1011,"perspectief":"werken","municipality":"0599"}`:              "municipality",
		`{"id":"p1","municipality":"0363","postcode4":1011,"perspectief":"werken","skills":["a"],"sk\u0069lls":["b"]}`: "skills",
	} {
		if m = want(t, e.do(req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: body}), 400); !slices.Contains(fieldsOf(m), field) {
			t.Errorf("%s: %v", body, m)
		}
	}
	// ... unless its name does not look like one: it is not repeated.
	rec0 := e.do(req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: `{"id":"p1","piet@voorbeeld.nl":"x"}`})
	want(t, rec0, 400)
	if strings.Contains(rec0.Body.String(), "voorbeeld") {
		t.Errorf("400 echoes an unknown key: %s", rec0.Body.String())
	}
	// a path that is no id is not repeated in the problem's instance.
	rec0 = e.do(req{method: "GET", path: "/v1/profiles/jan@example.nl", key: kIngest})
	if m = want(t, rec0, 400); m["instance"] != "/v1/profiles/:id" || strings.Contains(rec0.Body.String(), "example") {
		t.Errorf("instance echoes the path: %s", rec0.Body.String())
	}
	if m = want(t, e.do(req{method: "GET", path: "/v1/profiles/nope", key: kIngest}), 404); m["instance"] != "/v1/profiles/nope" {
		t.Errorf("instance of a plain id: %v", m["instance"])
	}

	// personal data: 422, the field named, the value never echoed.
	bsn := "111222333" // passes the 11-proef
	p = profile("p1", amsterdam, 1011)
	p.Summary = "BSN " + bsn + ", mail jan@example.nl"
	rec := e.do(req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: p})
	m = want(t, rec, 422)
	if !slices.Contains(fieldsOf(m), "summary") {
		t.Errorf("personal data field not named: %v", m)
	}
	if strings.Contains(rec.Body.String(), bsn) || strings.Contains(rec.Body.String(), "jan@example.nl") {
		t.Errorf("422 echoes the personal data: %s", rec.Body.String())
	}
	if strings.Contains(e.logs.String(), bsn) {
		t.Errorf("the log holds the personal data")
	}
	want(t, e.do(req{method: "GET", path: "/v1/profiles/p1", key: kIngest}), 404)

	v := vacancy("v1", employerA, 1012)
	v.Description = "Bel 06-12345678"
	m = want(t, e.do(req{method: "PUT", path: "/v1/vacancies/v1", key: kEmployerA, body: v}), 422)
	if !slices.Contains(fieldsOf(m), "description") {
		t.Errorf("vacancy personal data field not named: %v", m)
	}
	m = want(t, e.do(req{method: "POST", path: "/v1/matches", key: kAM, body: v}), 422)
	if !slices.Contains(fieldsOf(m), "description") {
		t.Errorf("ad-hoc personal data field not named: %v", m)
	}
	// a phone number in brackets, an IBAN with words after it, a BSN next
	// to another number: all refused.
	for _, text := range []string{"bel (010) 123 45 67", "IBAN NL91ABNA0417164300 graag", "BSN 123456782 2 kinderen", "+31 (0)6 12345678"} {
		v.Description = text
		want(t, e.do(req{method: "PUT", path: "/v1/vacancies/v1", key: kEmployerA, body: v}), 422)
	}
	// a date and an hour count are not a phone number.
	v.Description = "Start 01-09-2025 08:00, per 01-01-2026 32 uur per week"
	want(t, e.do(req{method: "PUT", path: "/v1/vacancies/v1", key: kEmployerA, body: v}), 201)
	// an id that is a BSN is refused, from the path and from the body.
	p = profile(bsn, amsterdam, 1011)
	m = want(t, e.do(req{method: "PUT", path: "/v1/profiles/" + bsn, key: kIngest, body: p}), 422)
	if !slices.Contains(fieldsOf(m), "id") {
		t.Errorf("personal-data id not named: %v", m)
	}
	p.ID = ""
	want(t, e.do(req{method: "PUT", path: "/v1/profiles/" + bsn, key: kIngest, body: p}), 422)
	want(t, e.do(req{method: "GET", path: "/v1/profiles/" + bsn, key: kIngest}), 404)
	if strings.Contains(e.logs.String(), bsn) {
		t.Errorf("the log holds the personal data")
	}
}

func TestRegions(t *testing.T) {
	e := newEnv(t, nil)
	e.putProfile(profile("p-adam", amsterdam, 1011))
	e.putProfile(profile("p-rdam", rotterdam, 3011))
	e.putVacancy(vacancy("v-adam", employerA, 1012))

	want(t, e.do(req{method: "GET", path: "/v1/profiles/p-adam", key: kAMAdam}), 200)
	want(t, e.do(req{method: "GET", path: "/v1/profiles/p-rdam", key: kAMAdam}), 404)
	want(t, e.do(req{method: "GET", path: "/v1/profiles/p-rdam", key: kAM}), 200)
	want(t, e.do(req{method: "GET", path: "/v1/profiles/p-rdam/matches", key: kAMAdam}), 404)
	want(t, e.do(req{method: "GET", path: "/v1/profiles/p-adam/matches", key: kAMAdam}), 200)

	// search: only the key's regions, even when another is asked for.
	m := want(t, e.do(req{method: "GET", path: "/v1/search/profiles", key: kAMAdam}), 200)
	for _, r := range m["results"].([]any) {
		if r.(map[string]any)["profile"].(map[string]any)["municipality"] != amsterdam {
			t.Errorf("search outside regions: %v", r)
		}
	}
	m = want(t, e.do(req{method: "GET", path: "/v1/search/profiles?municipality=" + rotterdam, key: kAMAdam}), 200)
	if n := len(m["results"].([]any)); n != 0 {
		t.Errorf("search for another region found %d", n)
	}
	m = want(t, e.do(req{method: "GET", path: "/v1/search/profiles", key: kAM}), 200)
	if n := len(m["results"].([]any)); n != 2 {
		t.Errorf("unrestricted accountmanager found %d, want 2", n)
	}

	// matches of an Amsterdam-only key hold only Amsterdam profiles (the
	// Rotterdam one is too far anyway; move it close).
	e.putProfile(profile("p-rdam-near", rotterdam, 1013))
	m = want(t, e.do(req{method: "GET", path: "/v1/vacancies/v-adam/matches", key: kAM}), 200)
	if !slices.Contains(matchIDs(m), "p-rdam-near") {
		t.Fatalf("unrestricted match lacks p-rdam-near: %v", matchIDs(m))
	}
	m = want(t, e.do(req{method: "GET", path: "/v1/vacancies/v-adam/matches", key: kAMAdam}), 200)
	if slices.Contains(matchIDs(m), "p-rdam-near") || !slices.Contains(matchIDs(m), "p-adam") {
		t.Fatalf("region-restricted match: %v", matchIDs(m))
	}

	// an ingest key with regions writes and reads only those.
	m = want(t, e.do(req{method: "PUT", path: "/v1/profiles/p-x", key: kIngestAdam, body: profile("p-x", rotterdam, 3011)}), 403)
	if !slices.Contains(fieldsOf(m), "municipality") {
		t.Errorf("403 does not name municipality: %v", m)
	}
	want(t, e.do(req{method: "PUT", path: "/v1/profiles/p-x", key: kIngestAdam, body: profile("p-x", amsterdam, 1011)}), 201)
	want(t, e.do(req{method: "GET", path: "/v1/profiles/p-rdam", key: kIngestAdam}), 404)
	want(t, e.do(req{method: "DELETE", path: "/v1/profiles/p-rdam", key: kIngestAdam}), 404)
	want(t, e.do(req{method: "GET", path: "/v1/profiles/p-rdam", key: kIngest}), 200)
}

func TestVacancyOwnership(t *testing.T) {
	e := newEnv(t, nil)
	v := vacancy("v1", "", 1012)
	rec := e.do(req{method: "PUT", path: "/v1/vacancies/v1", key: kEmployerA, body: v})
	m := want(t, rec, 201)
	if m["employer_id"] != employerA {
		t.Fatalf("employer_id not taken from the key: %v", m["employer_id"])
	}
	want(t, e.do(req{method: "PUT", path: "/v1/vacancies/v1", key: kEmployerA, body: v}), 200)
	// another employer: 404 for everything, never 403, so ids do not leak.
	want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1", key: kEmployerB}), 404)
	want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches", key: kEmployerB}), 404)
	want(t, e.do(req{method: "PUT", path: "/v1/vacancies/v1", key: kEmployerB, body: vacancy("v1", "", 1012)}), 404)
	want(t, e.do(req{method: "DELETE", path: "/v1/vacancies/v1", key: kEmployerB}), 404)
	// claiming another employer's id in the body is 400.
	m = want(t, e.do(req{method: "PUT", path: "/v1/vacancies/v2", key: kEmployerA, body: vacancy("v2", employerB, 1012)}), 400)
	if !slices.Contains(fieldsOf(m), "employer_id") {
		t.Errorf("employer_id not named: %v", m)
	}
	// the accountmanager sees and changes every vacancy.
	want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1", key: kAM}), 200)
	want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches", key: kAM}), 200)
	// employer search: only its own.
	e.putVacancy(vacancy("vb", employerB, 1012))
	m = want(t, e.do(req{method: "GET", path: "/v1/search/vacancies?q=orderpicker", key: kEmployerA}), 200)
	if got := hitIDs(m); !slices.Equal(got, []string{"v1"}) {
		t.Errorf("employer A search: %v", got)
	}
	m = want(t, e.do(req{method: "GET", path: "/v1/search/vacancies?employer_id=" + employerB, key: kEmployerA}), 200)
	if got := hitIDs(m); len(got) != 0 {
		t.Errorf("employer A searched B's vacancies: %v", got)
	}
	m = want(t, e.do(req{method: "GET", path: "/v1/search/vacancies?q=orderpicker", key: kAM}), 200)
	if got := hitIDs(m); len(got) != 2 {
		t.Errorf("accountmanager search: %v", got)
	}
	// delete by the owner; then 404.
	want(t, e.do(req{method: "DELETE", path: "/v1/vacancies/v1", key: kEmployerA}), 204)
	want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1", key: kEmployerA}), 404)
	want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches", key: kAM}), 404)
	want(t, e.do(req{method: "DELETE", path: "/v1/vacancies/v1", key: kAM}), 404)
}

func hitIDs(m map[string]any) []string {
	var ids []string
	for _, r := range m["results"].([]any) {
		ids = append(ids, r.(map[string]any)["id"].(string))
	}
	slices.Sort(ids)
	return ids
}

func TestMatchesCacheAndInvalidation(t *testing.T) {
	e := newEnv(t, nil)
	e.putVacancy(vacancy("v1", employerA, 1012))
	e.putProfile(profile("p1", amsterdam, 1011))
	late := profile("p2", amsterdam, 1011)
	late.HoursMin, late.HoursMax = 4, 8 // no overlap with 24-32: not a candidate
	e.putProfile(late)

	path := "/v1/vacancies/v1/matches?limit=5"
	m := want(t, e.do(req{method: "GET", path: path, key: kEmployerA}), 200)
	if ids := matchIDs(m); !slices.Equal(ids, []string{"p1"}) || m["cached"] != false {
		t.Fatalf("first match: ids %v cached %v", ids, m["cached"])
	}
	r0 := m["results"].([]any)[0].(map[string]any)
	if s := r0["score"].(float64); s <= 0 || s > 1 {
		t.Errorf("score %v outside (0,1]", s)
	}
	if _, ok := r0["explanation"].(map[string]any); !ok {
		t.Errorf("no explanation: %v", r0)
	}
	m = want(t, e.do(req{method: "GET", path: path, key: kEmployerA}), 200)
	if m["cached"] != true {
		t.Fatalf("second identical match not cached")
	}
	// the profile now qualifies: the very next match has it.
	late.HoursMin, late.HoursMax = 24, 32
	e.putProfile(late)
	m = want(t, e.do(req{method: "GET", path: path, key: kEmployerA}), 200)
	if ids := matchIDs(m); !slices.Contains(ids, "p2") || m["cached"] != false {
		t.Fatalf("after the write: ids %v cached %v", ids, m["cached"])
	}
	// a delete drops it at once.
	want(t, e.do(req{method: "GET", path: path, key: kEmployerA}), 200)
	want(t, e.do(req{method: "DELETE", path: "/v1/profiles/p2", key: kIngest}), 204)
	m = want(t, e.do(req{method: "GET", path: path, key: kEmployerA}), 200)
	if ids := matchIDs(m); slices.Contains(ids, "p2") {
		t.Fatalf("deleted profile still matched: %v", ids)
	}

	// profile -> vacancies.
	m = want(t, e.do(req{method: "GET", path: "/v1/profiles/p1/matches", key: kAM}), 200)
	if ids := matchIDs(m); !slices.Equal(ids, []string{"v1"}) {
		t.Fatalf("profile matches: %v", ids)
	}
	want(t, e.do(req{method: "GET", path: "/v1/profiles/nope/matches", key: kAM}), 404)
	want(t, e.do(req{method: "GET", path: "/v1/vacancies/nope/matches", key: kAM}), 404)

	// limit and weights.
	for _, bad := range []string{"limit=0", "limit=201", "limit=x", "w_skills=x", "w_skills=-1", "w_distance=11"} {
		want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches?" + bad, key: kAM}), 400)
	}
	m = want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches?w_skills=10&w_distance=0", key: kAM}), 200)
	w := m["weights"].(map[string]any)
	if w["distance"] != float64(0) || w["skills"].(float64) <= matcher.DefaultWeights.Skills {
		t.Errorf("weights not applied: %v", w)
	}

	// ad hoc: not stored, the same ranking.
	v := vacancy("", "", 1012)
	m = want(t, e.do(req{method: "POST", path: "/v1/matches?limit=3", key: kEmployerA, body: v}), 200)
	if ids := matchIDs(m); !slices.Equal(ids, []string{"p1"}) {
		t.Fatalf("ad-hoc match: %v", ids)
	}
	want(t, e.do(req{method: "GET", path: "/v1/vacancies/adhoc", key: kAM}), 404)
	want(t, e.do(req{method: "POST", path: "/v1/matches", key: kAM, body: `{"title":""}`}), 400)
}

func TestBulk(t *testing.T) {
	e := newEnv(t, func(c *api.Config) { c.MaxBody = 4096 })
	line := func(p *matcher.Profile) string { b, _ := json.Marshal(p); return string(b) }
	pd := profile("b-pd", amsterdam, 1011)
	pd.Summary = "mail: iemand@example.org"
	bad := profile("b-bad", amsterdam, 1011)
	bad.HoursMin = 99
	big := profile("b-big", amsterdam, 1011)
	big.Summary = strings.Repeat("lang verhaal ", 400)
	e.putProfile(profile("b2", amsterdam, 1011)) // exists: 200
	body := strings.Join([]string{
		line(profile("b1", amsterdam, 1011)),
		line(profile("b2", amsterdam, 1011)),
		line(bad),
		line(pd),
		`{"id":"b-broken",`,
		"",
		line(big),
		line(profile("b3", rotterdam, 3011)) + "   ",
		`{"id":"b4"} trailing`,
		line(profile("b1", amsterdam, 1012)), // repeated id: the later line wins
	}, "\n") + "\n"
	rec := e.do(req{method: "POST", path: "/v1/profiles/_bulk", key: kIngest, body: body, ctype: "application/x-ndjson"})
	m := want(t, rec, 200)
	type line_ struct {
		Line   int    `json:"line"`
		ID     string `json:"id"`
		Status int    `json:"status"`
		Errors []struct{ Field string }
	}
	var ans struct {
		Results  []line_
		Accepted int
		Rejected int
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil {
		t.Fatal(err)
	}
	wantStatus := map[int]int{1: 201, 2: 200, 3: 400, 4: 422, 5: 400, 7: 413, 8: 201, 9: 400, 10: 200}
	got := map[int]int{}
	for _, r := range ans.Results {
		got[r.Line] = r.Status
	}
	for l, s := range wantStatus {
		if got[l] != s {
			t.Errorf("line %d: status %d, want %d (all: %v)", l, got[l], s, got)
		}
	}
	if ans.Accepted != 4 || ans.Rejected != 5 {
		t.Errorf("accepted %d rejected %d, want 4 and 5: %v", ans.Accepted, ans.Rejected, m)
	}
	for _, id := range []string{"b1", "b2", "b3"} {
		want(t, e.do(req{method: "GET", path: "/v1/profiles/" + id, key: kIngest}), 200)
	}
	m = want(t, e.do(req{method: "GET", path: "/v1/profiles/b1", key: kIngest}), 200)
	if m["postcode4"] != float64(1012) {
		t.Errorf("repeated id: the later line did not win: %v", m["postcode4"])
	}
	for _, id := range []string{"b-bad", "b-pd", "b-big"} {
		want(t, e.do(req{method: "GET", path: "/v1/profiles/" + id, key: kIngest}), 404)
	}
	if strings.Contains(rec.Body.String(), "iemand@example.org") {
		t.Error("bulk answer echoes personal data")
	}
	want(t, e.do(req{method: "POST", path: "/v1/profiles/_bulk", key: kIngest, body: line(profile("b5", amsterdam, 1011)), ctype: "text/csv"}), 415)
	want(t, e.do(req{method: "POST", path: "/v1/profiles/_bulk", key: kIngest, body: "\n\n", ctype: "application/x-ndjson"}), 400)
	// an ingest key with regions: other municipalities per line 403.
	rec = e.do(req{method: "POST", path: "/v1/profiles/_bulk", key: kIngestAdam, body: line(profile("b6", rotterdam, 3011)) + "\n" + line(profile("b7", amsterdam, 1011)), ctype: "application/x-ndjson"})
	if !strings.Contains(rec.Body.String(), `"status":403`) || !strings.Contains(rec.Body.String(), `"status":201`) {
		t.Errorf("regions in bulk: %s", rec.Body.String())
	}
	// a BOM before the first line is no part of it; a line whose id is a
	// BSN is refused without repeating the id.
	rec = e.do(req{method: "POST", path: "/v1/profiles/_bulk", key: kIngest,
		body: "\ufeff" + line(profile("b8", amsterdam, 1011)) + "\n" + line(profile("123456782", amsterdam, 1011)), ctype: "application/x-ndjson"})
	if !strings.Contains(rec.Body.String(), `"line":1,"id":"b8","status":201`) || !strings.Contains(rec.Body.String(), `"status":422`) ||
		strings.Contains(rec.Body.String(), "123456782") {
		t.Errorf("BOM and personal-data id in bulk: %s", rec.Body.String())
	}
}

func TestBulkOverLimitKeepsProcessedLines(t *testing.T) {
	e := newEnv(t, func(c *api.Config) { c.MaxBulkBody = 3000 })
	var sb strings.Builder
	for i := range 20 {
		b, _ := json.Marshal(profile(fmt.Sprintf("c%02d", i), amsterdam, 1011))
		sb.Write(b)
		sb.WriteByte('\n')
	}
	// Content-Length over the limit: refused before anything is read.
	want(t, e.do(req{method: "POST", path: "/v1/profiles/_bulk", key: kIngest, body: sb.String(), ctype: "application/x-ndjson"}), 413)
	want(t, e.do(req{method: "GET", path: "/v1/profiles/c00", key: kIngest}), 404)

	// Without a Content-Length the limit is found while reading: the
	// complete lines before it are written and reported with the 413.
	ts := httptest.NewServer(e.srv)
	defer ts.Close()
	r, _ := http.NewRequest("POST", ts.URL+"/v1/profiles/_bulk", io.MultiReader(strings.NewReader(sb.String())))
	r.ContentLength = -1
	r.Header.Set("Content-Type", "application/x-ndjson")
	r.Header.Set("Authorization", "Bearer "+kIngest)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p struct {
		Status  int
		Results struct {
			Results []struct {
				ID     string
				Status int
			}
			Accepted int
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil || resp.StatusCode != 413 || p.Status != 413 {
		t.Fatalf("chunked over the limit: %d %v %+v", resp.StatusCode, err, p)
	}
	if p.Results.Accepted == 0 || p.Results.Accepted >= 20 {
		t.Fatalf("accepted %d lines before the limit", p.Results.Accepted)
	}
	for _, l := range p.Results.Results {
		want(t, e.do(req{method: "GET", path: "/v1/profiles/" + l.ID, key: kIngest}), 200)
	}
}

func TestSearchAndTaxonomy(t *testing.T) {
	e := newEnv(t, nil)
	e.putProfile(profile("p1", amsterdam, 1011))
	p2 := profile("p2", rotterdam, 3011)
	p2.Branches = []string{"Zorg"}
	p2.Summary = "Ervaring in de thuiszorg"
	e.putProfile(p2)
	m := want(t, e.do(req{method: "GET", path: "/v1/search/profiles?q=thuiszorg", key: kAM}), 200)
	if ids := hitIDs(m); !slices.Equal(ids, []string{"p2"}) {
		t.Errorf("full text: %v", ids)
	}
	m = want(t, e.do(req{method: "GET", path: "/v1/search/profiles?branch=Logistiek&near=1012&radius_km=20&hours_min=24&hours_max=30", key: kAM}), 200)
	if ids := hitIDs(m); !slices.Equal(ids, []string{"p1"}) {
		t.Errorf("filters: %v", ids)
	}
	if _, ok := m["facets"].(map[string]any)["branch"]; !ok {
		t.Errorf("no branch facet: %v", m["facets"])
	}
	for _, bad := range []string{"branch=Ruimtevaart", "hours_min=x", "near=12", "radius_km=10", "size=1000", "perspectief=x", "open_hiring=misschien", "hours_min=30&hours_max=20"} {
		want(t, e.do(req{method: "GET", path: "/v1/search/profiles?" + bad, key: kAM}), 400)
	}
	m = want(t, e.do(req{method: "GET", path: "/v1/taxonomy/occupations?q=kok&limit=3", key: kEmployerA}), 200)
	if rs := m["results"].([]any); len(rs) == 0 || len(rs) > 3 {
		t.Errorf("occupation look-up: %v", m)
	}
	m = want(t, e.do(req{method: "GET", path: "/v1/taxonomy/occupations?q=akpper&limit=1", key: kEmployerA}), 200)
	if rs := m["results"].([]any); len(rs) != 1 || rs[0].(map[string]any)["label"] != "kapper" {
		t.Errorf("a title with a slip (akpper): %v", m)
	}
	want(t, e.do(req{method: "GET", path: "/v1/taxonomy/occupations", key: kEmployerA}), 400)
	want(t, e.do(req{method: "GET", path: "/v1/taxonomy/skills?q=x&limit=0", key: kEmployerA}), 400)
}

func TestUnknownRouteAndMethod(t *testing.T) {
	e := newEnv(t, nil)
	want(t, e.do(req{method: "GET", path: "/v2/nothing"}), 404)
	want(t, e.do(req{method: "GET", path: "/v1/profiles/p1/"}), 404)
	rec := e.do(req{method: "POST", path: "/v1/profiles/p1", key: kIngest, body: "{}"})
	want(t, rec, 405)
	if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "PUT") || !strings.Contains(allow, "GET") {
		t.Errorf("Allow %q", allow)
	}
	want(t, e.do(req{method: "PATCH", path: "/v1/matches", key: kAM}), 405)
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(c *api.Config) {
		c.RateLimits = map[string]cache.Limit{api.RoleEmployer: {Rate: 2, Per: time.Minute}}
	})
	for range 2 {
		want(t, e.do(req{method: "GET", path: "/v1/taxonomy/skills?q=kok", key: kEmployerA}), 200)
	}
	rec := e.do(req{method: "GET", path: "/v1/taxonomy/skills?q=kok", key: kEmployerA})
	want(t, rec, 429)
	if ra := rec.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	// per key: the other employer is not limited by A's use.
	want(t, e.do(req{method: "GET", path: "/v1/taxonomy/skills?q=kok", key: kEmployerB}), 200)
	// per role: admin has no limit.
	for range 5 {
		want(t, e.do(req{method: "GET", path: "/v1/taxonomy/skills?q=kok", key: kAdmin}), 200)
	}
}

func TestReadiness(t *testing.T) {
	e := newEnv(t, func(c *api.Config) { c.NotReady = true })
	want(t, e.do(req{method: "GET", path: "/healthz"}), 200)
	m := want(t, e.do(req{method: "GET", path: "/readyz"}), 503)
	if m["checks"].(map[string]any)["core"] != "loading" {
		t.Errorf("checks: %v", m["checks"])
	}
	rec := e.do(req{method: "GET", path: "/v1/taxonomy/skills?q=kok", key: kAM})
	want(t, rec, 503)
	if rec.Header().Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	want(t, e.do(req{method: "GET", path: "/v1/taxonomy/skills?q=kok"}), 401)
	e.srv.SetReady(true)
	m = want(t, e.do(req{method: "GET", path: "/readyz"}), 200)
	if m["checks"].(map[string]any)["cache"] != cache.StateDisabled {
		t.Errorf("checks: %v", m["checks"])
	}
	want(t, e.do(req{method: "GET", path: "/v1/taxonomy/skills?q=kok", key: kAM}), 200)

	// a closed store: writes are 503, readiness fails, reads never 500.
	e.putProfile(profile("p1", amsterdam, 1011))
	if err := e.ix.Close(); err != nil {
		t.Fatal(err)
	}
	want(t, e.do(req{method: "PUT", path: "/v1/profiles/p2", key: kIngest, body: profile("p2", amsterdam, 1011)}), 503)
	want(t, e.do(req{method: "DELETE", path: "/v1/profiles/p1", key: kIngest}), 503)
	want(t, e.do(req{method: "GET", path: "/readyz"}), 503)
	if rec := e.do(req{method: "GET", path: "/v1/profiles/p1", key: kIngest}); rec.Code >= 500 && rec.Code != 503 {
		t.Errorf("GET on a closed store: %d", rec.Code)
	}
}

func TestRequestIDsAndLogs(t *testing.T) {
	e := newEnv(t, nil)
	rec := e.do(req{method: "GET", path: "/healthz", header: map[string]string{"X-Request-ID": "abc-123-def"}})
	if got := rec.Header().Get("X-Request-ID"); got != "abc-123-def" {
		t.Errorf("valid id not kept: %q", got)
	}
	rec = e.do(req{method: "GET", path: "/healthz", header: map[string]string{"X-Request-ID": "bad id\x01<script>"}})
	if got := rec.Header().Get("X-Request-ID"); got == "" || strings.ContainsAny(got, " <\x01") {
		t.Errorf("invalid id not replaced: %q", got)
	}
	p := profile("p1", amsterdam, 1011)
	p.Summary = "heel bijzondere vrije tekst"
	rec = e.do(req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: p, header: map[string]string{"X-Request-ID": "trace-0001"}})
	want(t, rec, 201)
	m := want(t, e.do(req{method: "GET", path: "/v1/nothing", header: map[string]string{"X-Request-ID": "trace-0002"}}), 404)
	if m["request_id"] != "trace-0002" {
		t.Errorf("problem without the request id: %v", m)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, `"request_id":"trace-0001"`) || !strings.Contains(logs, `"route":"/v1/profiles/:id"`) || !strings.Contains(logs, `"route":"unmatched"`) {
		t.Errorf("access log lines missing: %s", logs)
	}
	for _, secret := range []string{"vrije tekst", kIngest, "Bearer"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds %q", secret)
		}
	}
	for _, l := range strings.Split(strings.TrimSpace(logs), "\n") {
		var x map[string]any
		if err := json.Unmarshal([]byte(l), &x); err != nil {
			t.Fatalf("log line not JSON: %s", l)
		}
		if x["request_id"] == nil {
			t.Errorf("log line without request_id: %s", l)
		}
	}
}

func TestHealthzAndOpenAPIServed(t *testing.T) {
	e := newEnv(t, nil)
	want(t, e.do(req{method: "GET", path: "/healthz"}), 200)
	m := want(t, e.do(req{method: "GET", path: "/openapi.json"}), 200)
	if m["openapi"] != "3.1.0" {
		t.Errorf("openapi %v", m["openapi"])
	}
}

// TestContractDetails: the smaller promises of the contract and the
// OpenAPI document. A weight out of range names the query parameter the
// client sent; the probes answer HEAD; a taxonomy query is limited in
// characters, not bytes; a stored document without lists comes back with
// [] and without empty enums.
func TestContractDetails(t *testing.T) {
	e := newEnv(t, nil)
	e.putVacancy(vacancy("v1", employerA, 1012))
	m := want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches?w_skills=11", key: kAM}), 400)
	if !slices.Contains(fieldsOf(m), "w_skills") {
		t.Errorf("weight error names %v", fieldsOf(m))
	}
	want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches?w_skills=0&w_occupation=0&w_branch=0&w_hours=0&w_distance=0&w_language=0&w_education=0", key: kAM}), 400)
	for _, p := range []string{"/healthz", "/metrics", "/openapi.json"} {
		if rec := e.do(req{method: "HEAD", path: p}); rec.Code != 200 {
			t.Errorf("HEAD %s: %d", p, rec.Code)
		}
	}
	want(t, e.do(req{method: "GET", path: "/v1/taxonomy/occupations?q=" + strings.Repeat("%C3%A9", 150), key: kAM}), 200)
	want(t, e.do(req{method: "GET", path: "/v1/taxonomy/occupations?q=" + strings.Repeat("e", 201), key: kAM}), 400)

	body := `{"municipality":"0363","postcode4":1011,"max_travel_km":10,"hours_min":8,"hours_max":16,"perspectief":"werken"}`
	want(t, e.do(req{method: "PUT", path: "/v1/profiles/bare", key: kIngest, body: body}), 201)
	rec := e.do(req{method: "GET", path: "/v1/profiles/bare", key: kIngest})
	want(t, rec, 200)
	s := rec.Body.String()
	if strings.Contains(s, "null") || strings.Contains(s, `"education_level"`) || !strings.Contains(s, `"skills":[]`) {
		t.Errorf("bare profile reads %s", s)
	}
}

// TestCachedAnswerDoesNotOutliveItsDay: a vacancy that closes today is
// matched until midnight in the Netherlands and not after, also when the
// answer before midnight was cached.
func TestCachedAnswerDoesNotOutliveItsDay(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Date(2026, 5, 31, 21, 55, 0, 0, time.UTC).UnixNano()) // 23:55 in Amsterdam
	e := newEnv(t, func(c *api.Config) {
		c.Engine = matcher.NewEngine(matcher.EngineOptions{Locator: geo.New(), Taxonomy: taxonomy.Builtin(), Workers: 1,
			Now: func() time.Time { return time.Unix(0, now.Load()) }})
	})
	e.putProfile(profile("p1", amsterdam, 1011))
	v := vacancy("v1", employerA, 1012)
	v.ClosesAt = "2026-05-31"
	e.putVacancy(v)
	for i := range 2 {
		m := want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches", key: kAM}), 200)
		if n := len(m["results"].([]any)); n != 1 || (i == 1) != (m["cached"] == true) {
			t.Fatalf("before midnight, call %d: %d results, cached %v", i, n, m["cached"])
		}
	}
	now.Store(time.Date(2026, 5, 31, 22, 5, 0, 0, time.UTC).UnixNano()) // 00:05 on 1 June
	m := want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches", key: kAM}), 200)
	if n := len(m["results"].([]any)); n != 0 || m["cached"] == true {
		t.Fatalf("after midnight: %d results, cached %v", n, m["cached"])
	}
}
