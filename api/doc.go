// Package api is werkmatch's HTTP API (Gin): the routes of the API
// contract v1, API keys and roles, the employer view, RFC 9457
// problem+json errors, request ids, access logs, rate limits and
// Prometheus metrics. It only translates HTTP to calls on the core
// (matcher.Engine), the store and search (matcher.Store and
// matcher.Searcher, the index package) and the result cache
// (matcher.ResultCache), and their answers and errors back to HTTP;
// errors are mapped to statuses in one place (problemOf).
//
// # Keys and roles
//
// Every /v1 route needs "Authorization: Bearer <key>". A keys file lists
// the SHA-256 of each key with its role (ingest, accountmanager, employer,
// admin), an employer key's employer_id and, for accountmanager and
// ingest keys, optional regions (CBS municipality codes; none means
// all). A presented key is hashed and compared in constant time with
// every entry. No or an unknown key is 401, a role the route is not for
// is 403, and a profile outside the key's regions or another employer's
// vacancy is 404, so that ids do not leak; writing a profile of a
// municipality outside the key's regions is 403 (the municipality is in
// the body, not a secret). Admin may use every route.
//
// # The employer view
//
// Employers never receive a profile document. They cannot read or search
// profiles (403); what they learn about candidates comes only from match
// answers for their own vacancies (GET /v1/vacancies/{id}/matches) and
// ad-hoc vacancies (POST /v1/matches): per candidate the pseudonymous
// profile_id, the score and the explanation (matched, partial and missing
// skills, occupation closeness, distance in km, hours overlap, the
// component values and contributions, and for open hiring whether the
// candidate opted in). The open-hiring registration date is removed from
// that explanation for employers. So municipality, postcode4, summary,
// perspectief, banenafspraak, education and language levels, licences,
// availability and registration dates of a profile never reach an
// employer, whatever the vacancy. Profiles with perspectief meedoen never
// appear in any match answer (a hard filter of the core). A test walks
// every employer response and fails on any field outside this view.
//
// # Audit log
//
// Each time an accountmanager or admin key is shown profiles (a profile,
// a profile's matches, the profiles of a match answer, profile search
// hits) one "profile_view" record goes to Config.Audit (default: Logger,
// marked "audit":true): time, request id, the key's fingerprint (first 12
// hex digits of its SHA-256) and name, role, method, route template and
// the profile ids. Never the key, a body, a query string or other profile
// fields.
//
// # Writes
//
// A write is validated (400 with field errors), checked for personal data
// in free text (422 naming the field, never the value), written to the
// store and acknowledged only after it is durable, then applied to the
// core, then cached match answers are invalidated, so the very next match
// sees it. Writes to one document are serialised in this process so that
// store and core agree. GET and PUT answer an ETag (a hash of the stored
// JSON); a PUT or DELETE with If-Match that does not match is 409.
//
// # Bodies
//
// Bodies must be application/json (NDJSON for the bulk route; else 415),
// at most Config.MaxBody (bulk: MaxBulkBody) bytes (413), valid UTF-8,
// nested at most MaxJSONDepth levels, with no unknown fields and nothing
// after the JSON value (400).
//
// # Operations
//
// Each key is rate limited by its role's limit (Config.RateLimits; in
// Redis when the cache is, else in process): 429 with Retry-After. Until
// SetReady(true) (serve loads the core first) every /v1 route and /readyz
// answer 503; a store that cannot write (disk full, closing) is 503 too.
// Before the Server exists (serve opening its data dir, which after an
// upgrade rebuilds the index), Starting answers in its place: /healthz
// 200, /metrics, a /v1 request without a known key 401 (as the Server
// would), everything else 503 with Retry-After; it knows no routes or
// roles, so an unknown path or a key of the wrong role gets its 404 or
// 403 only once the Server answers.
// Every response carries X-Request-ID (the client's when well-formed, else
// a new one), and so does every access-log line; logs hold the method,
// route template, status, duration, size and role, never bodies, query
// strings or keys. /metrics serves Metrics on its own registry,
// /openapi.json the OpenAPI 3.1 description, kept equal to the routes by a
// test.
package api
