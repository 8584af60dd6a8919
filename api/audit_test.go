package api_test

import (
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/internal/syncbuf"
)

// auditRecords parses the JSON lines of a log and returns the
// profile_view records.
func auditRecords(t *testing.T, log string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, line)
		}
		if m["event"] == api.AuditEvent {
			out = append(out, m)
		}
	}
	return out
}

func recordIDs(m map[string]any) []string {
	var ids []string
	xs, _ := m["profile_ids"].([]any)
	for _, x := range xs {
		s, _ := x.(string)
		ids = append(ids, s)
	}
	return ids
}

// TestAuditProfileViews: every route that shows an accountmanager (or
// admin) key profiles writes one profile_view record with the key's
// fingerprint, the role, the route template, the request id and the
// profile ids shown; never the key, its full hash or profile text.
func TestAuditProfileViews(t *testing.T) {
	audit := &syncbuf.Buffer{}
	e := newEnv(t, func(c *api.Config) {
		c.Audit = slog.New(slog.NewJSONHandler(audit, nil))
	})
	p1, p2 := profile("p1", amsterdam, 1011), profile("p2", amsterdam, 1012)
	p2.Summary = "Zoekt een baan in de buurt van huis."
	e.putProfile(p1)
	e.putProfile(p2)
	e.putVacancy(vacancy("v1", employerA, 1012))
	if got := auditRecords(t, audit.String()); len(got) != 0 {
		t.Fatalf("writes made audit records: %v", got)
	}

	cases := []struct {
		method, path, route string
		body                any
		want                []string // ids that must be in the record
		exact               bool     // and no others
	}{
		{"GET", "/v1/profiles/p1", "/v1/profiles/:id", nil, []string{"p1"}, true},
		{"GET", "/v1/profiles/p2/matches", "/v1/profiles/:id/matches", nil, []string{"p2"}, true},
		{"GET", "/v1/vacancies/v1/matches", "/v1/vacancies/:id/matches", nil, []string{"p1", "p2"}, true},
		// the same question again comes from the cache: still audited
		{"GET", "/v1/vacancies/v1/matches", "/v1/vacancies/:id/matches", nil, []string{"p1", "p2"}, true},
		{"POST", "/v1/matches", "/v1/matches", vacancy("", employerA, 1011), []string{"p1", "p2"}, true},
		{"GET", "/v1/search/profiles?q=team", "/v1/search/profiles", nil, []string{"p1"}, false},
	}
	for i, tc := range cases {
		for _, key := range []string{kAM, kAdmin} {
			before := len(auditRecords(t, audit.String()))
			rec := e.do(req{method: tc.method, path: tc.path, key: key, body: tc.body})
			want(t, rec, 200)
			recs := auditRecords(t, audit.String())
			if len(recs) != before+1 {
				t.Fatalf("case %d %s %s as %s: %d new audit records, want 1", i, tc.method, tc.path, key, len(recs)-before)
			}
			r := recs[len(recs)-1]
			role := api.RoleAccountmanager
			if key == kAdmin {
				role = api.RoleAdmin
			}
			if r["role"] != role || r["route"] != tc.route || r["method"] != tc.method || r["audit"] != true {
				t.Errorf("case %d as %s: record %v", i, key, r)
			}
			if r["key_id"] != api.HashKey(key)[:12] {
				t.Errorf("case %d: key_id %v, want the first 12 hex digits of the key's sha256", i, r["key_id"])
			}
			if r["request_id"] != rec.Header().Get("X-Request-ID") || r["time"] == nil {
				t.Errorf("case %d: record without the request id or time: %v", i, r)
			}
			ids := recordIDs(r)
			for _, id := range tc.want {
				if !slices.Contains(ids, id) {
					t.Errorf("case %d: profile_ids %v lack %s", i, ids, id)
				}
			}
			if tc.exact && len(ids) != len(tc.want) {
				t.Errorf("case %d: profile_ids %v, want %v", i, ids, tc.want)
			}
		}
	}

	// Nothing but what is needed: no key, no full hash, no profile text,
	// no query string, no body.
	log := audit.String()
	for _, bad := range []string{kAM, kAdmin, api.HashKey(kAM), api.HashKey(kAdmin),
		p1.Summary, p2.Summary, "orderpicken", "Orderpicker magazijn", "q=team", "Bearer"} {
		if strings.Contains(log, bad) {
			t.Errorf("the audit log contains %q", bad)
		}
	}
	for _, r := range auditRecords(t, log) {
		for k := range r {
			if !slices.Contains([]string{"time", "level", "msg", "audit", "event", "request_id", "key_id", "key_name", "role", "method", "route", "profile_ids"}, k) {
				t.Errorf("audit record has field %q: %v", k, r)
			}
		}
	}
}

// TestAuditOnlyProfileViews: no record for employers, ingest, refused
// requests, answers without profiles, or accountmanager reads of
// vacancies.
func TestAuditOnlyProfileViews(t *testing.T) {
	audit := &syncbuf.Buffer{}
	e := newEnv(t, func(c *api.Config) {
		c.Audit = slog.New(slog.NewJSONHandler(audit, nil))
	})
	e.putProfile(profile("p1", amsterdam, 1011))
	e.putProfile(profile("r1", rotterdam, 3011))
	e.putVacancy(vacancy("v1", employerA, 1012))
	for _, r := range []struct {
		req
		status int
	}{
		{req{method: "GET", path: "/v1/vacancies/v1/matches", key: kEmployerA}, 200},
		{req{method: "POST", path: "/v1/matches", key: kEmployerA, body: vacancy("", employerA, 1011)}, 200},
		{req{method: "GET", path: "/v1/profiles/p1", key: kIngest}, 200},
		{req{method: "GET", path: "/v1/profiles/p1", key: kEmployerA}, 403},
		{req{method: "GET", path: "/v1/profiles/r1", key: kAMAdam}, 404},
		{req{method: "GET", path: "/v1/profiles/r1/matches", key: kAMAdam}, 404},
		{req{method: "GET", path: "/v1/profiles/nobody", key: kAM}, 404},
		{req{method: "GET", path: "/v1/profiles/p1?limit=x", key: "wrong"}, 401},
		{req{method: "GET", path: "/v1/search/profiles?q=team&municipality=" + rotterdam, key: kAMAdam}, 200},
		{req{method: "GET", path: "/v1/search/profiles?q=xyzzyplugh", key: kAM}, 200},
		{req{method: "GET", path: "/v1/vacancies/v1", key: kAM}, 200},
		{req{method: "GET", path: "/v1/search/vacancies", key: kAM}, 200},
	} {
		want(t, e.do(r.req), r.status)
	}
	if got := auditRecords(t, audit.String()); len(got) != 0 {
		t.Errorf("unexpected audit records: %v", got)
	}
	// a region-bound key sees (and is audited for) its region only
	m := want(t, e.do(req{method: "GET", path: "/v1/vacancies/v1/matches", key: kAMAdam}), 200)
	recs := auditRecords(t, audit.String())
	if len(recs) != 1 || !slices.Equal(recordIDs(recs[0]), matchIDs(m)) || slices.Contains(recordIDs(recs[0]), "r1") {
		t.Errorf("region-bound match: records %v, answer ids %v", recs, matchIDs(m))
	}
}

// TestAuditDefaultsToLogger: without Config.Audit the records go to the
// main log, marked "audit":true.
func TestAuditDefaultsToLogger(t *testing.T) {
	e := newEnv(t, nil)
	e.putProfile(profile("p1", amsterdam, 1011))
	rec := e.do(req{method: "GET", path: "/v1/profiles/p1", key: kAM})
	want(t, rec, 200)
	recs := auditRecords(t, e.logs.String())
	if len(recs) != 1 || recs[0]["audit"] != true || !slices.Equal(recordIDs(recs[0]), []string{"p1"}) {
		t.Fatalf("main log audit records: %v", recs)
	}
	keyID := api.HashKey(kAM)[:12]
	found := false
	for _, line := range strings.Split(e.logs.String(), "\n") {
		if strings.Contains(line, `"msg":"request"`) && strings.Contains(line, `"audit"`) {
			t.Errorf("an access-log line is marked audit: %s", line)
		}
		// the access log names the key by its fingerprint, never itself
		if strings.Contains(line, `"msg":"request"`) && strings.Contains(line, `"key_id":"`+keyID+`"`) {
			found = true
		}
		if strings.Contains(line, kAM) {
			t.Errorf("a log line holds the key: %s", line)
		}
	}
	if !found {
		t.Errorf("no access-log line names key %s", keyID)
	}
}
