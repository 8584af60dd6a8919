package api_test

import (
	"testing"
)

// TestWriteVersionsAndScope: PUT and DELETE of profiles and vacancies
// share their steps; this pins what each kind answers for If-Match
// (current, stale, on a document that is not stored) and for a document
// that is not the key's.
func TestWriteVersionsAndScope(t *testing.T) {
	e := newEnv(t, nil)
	e.putProfile(profile("p1", amsterdam, 1011))
	e.putProfile(profile("r1", rotterdam, 3011))
	e.putVacancy(vacancy("v1", employerA, 1012))

	type step struct {
		r      req
		status int
	}
	ifm := func(tag string) map[string]string { return map[string]string{"If-Match": tag} }
	etag := func(path, key string) string {
		t.Helper()
		rec := e.do(req{method: "GET", path: path, key: key})
		want(t, rec, 200)
		return rec.Header().Get("ETag")
	}
	pTag, vTag := etag("/v1/profiles/p1", kIngest), etag("/v1/vacancies/v1", kAM)
	steps := []step{
		// stale or unknown version: 409, nothing changes
		{req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: profile("p1", amsterdam, 1013), header: ifm(`"stale"`)}, 409},
		{req{method: "PUT", path: "/v1/vacancies/v1", key: kAM, body: vacancy("v1", employerA, 1013), header: ifm(`"stale"`)}, 409},
		{req{method: "DELETE", path: "/v1/profiles/p1", key: kIngest, header: ifm(`"stale"`)}, 409},
		{req{method: "DELETE", path: "/v1/vacancies/v1", key: kAM, header: ifm(`"stale"`)}, 409},
		// If-Match on a document that is not stored
		{req{method: "PUT", path: "/v1/profiles/p9", key: kIngest, body: profile("p9", amsterdam, 1011), header: ifm("*")}, 409},
		{req{method: "PUT", path: "/v1/vacancies/v9", key: kAM, body: vacancy("v9", employerA, 1011), header: ifm("*")}, 409},
		{req{method: "DELETE", path: "/v1/profiles/p9", key: kIngest, header: ifm("*")}, 409},
		{req{method: "DELETE", path: "/v1/vacancies/v9", key: kAM, header: ifm("*")}, 404},
		{req{method: "DELETE", path: "/v1/vacancies/v9", key: kAM}, 404},
		// not the key's: 404, whatever the version
		{req{method: "PUT", path: "/v1/profiles/r1", key: kIngestAdam, body: profile("r1", amsterdam, 1011)}, 404},
		{req{method: "DELETE", path: "/v1/profiles/r1", key: kIngestAdam, header: ifm("*")}, 404},
		{req{method: "PUT", path: "/v1/vacancies/v1", key: kEmployerB, body: vacancy("v1", "", 1012)}, 404},
		{req{method: "DELETE", path: "/v1/vacancies/v1", key: kEmployerB, header: ifm(vTag)}, 404},
		// the current version: replaced (200), then deleted (204)
		{req{method: "PUT", path: "/v1/profiles/p1", key: kIngest, body: profile("p1", amsterdam, 1014), header: ifm(pTag)}, 200},
		{req{method: "PUT", path: "/v1/vacancies/v1", key: kEmployerA, body: vacancy("v1", "", 1014), header: ifm("W/" + vTag)}, 200},
		{req{method: "DELETE", path: "/v1/vacancies/v1", key: kEmployerA, header: ifm("*")}, 204},
		{req{method: "GET", path: "/v1/vacancies/v1", key: kAM}, 404},
		// a new document: 201
		{req{method: "PUT", path: "/v1/vacancies/v2", key: kEmployerB, body: vacancy("v2", "", 1012)}, 201},
		{req{method: "PUT", path: "/v1/profiles/p2", key: kIngestAdam, body: profile("p2", amsterdam, 1012)}, 201},
	}
	for i, s := range steps {
		rec := e.do(s.r)
		if rec.Code != s.status {
			t.Errorf("step %d %s %s as %s: %d, want %d: %s", i, s.r.method, s.r.path, s.r.key, rec.Code, s.status, truncate(rec.Body.String()))
		}
	}
	if got := e.do(req{method: "GET", path: "/v1/profiles/r1", key: kIngest}); got.Code != 200 {
		t.Errorf("r1 after refused writes: %d", got.Code)
	}
	m := want(t, e.do(req{method: "GET", path: "/v1/profiles/p1", key: kIngest}), 200)
	if m["postcode4"] != float64(1014) {
		t.Errorf("p1 postcode4 %v after the matching PUT, want 1014", m["postcode4"])
	}
}
