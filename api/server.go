package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash/fnv"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/werkmatch/werkmatch/cache"
	"github.com/werkmatch/werkmatch/matcher"
)

func init() {
	if os.Getenv(gin.EnvGinMode) == "" {
		gin.SetMode(gin.ReleaseMode)
	}
}

// Engine is what the api needs of the ranking core; *matcher.Engine
// implements it.
type Engine interface {
	UpsertProfile(p *matcher.Profile)
	UpsertProfiles(ps []*matcher.Profile)
	DeleteProfile(id string) bool
	UpsertVacancy(v *matcher.Vacancy)
	DeleteVacancy(id string) bool
	Counts() (profiles, vacancies int)
	VacancyEmployer(id string) (employerID string, ok bool)
	ProfileMunicipality(id string) (municipality string, ok bool)
	MatchVacancyID(ctx context.Context, id string, q matcher.Query) (*matcher.MatchResult, error)
	MatchVacancy(ctx context.Context, v *matcher.Vacancy, q matcher.Query) (*matcher.MatchResult, error)
	MatchProfileID(ctx context.Context, id string, q matcher.Query) (*matcher.MatchResult, error)
	// Today is the date answers are computed for (YYYY-MM-DD): part of
	// every cache key, so that no answer outlives its day.
	Today() string
}

// Config wires a Server. Store, Searcher, Engine and Keys are required.
type Config struct {
	Store    matcher.Store
	Searcher matcher.Searcher
	Engine   Engine
	// Cache holds match results; nil means an in-process cache.Memory.
	Cache matcher.ResultCache
	// CacheTTL is the backstop expiry of a cached match (default 10m);
	// invalidation on writes is what keeps results fresh.
	CacheTTL time.Duration
	// Limiter enforces RateLimits per key; nil means a cache.LocalLimiter.
	Limiter cache.Limiter
	// RateLimits per role; a role missing from the map gets
	// DefaultRateLimits' entry, a zero Limit means unlimited.
	RateLimits map[string]cache.Limit
	// Taxonomy answers /v1/taxonomy look-ups; nil answers them empty.
	Taxonomy TermSearcher
	Keys     *Keys
	Logger   *slog.Logger
	// Audit receives one "profile_view" record (level Info) each time an
	// accountmanager or admin key is shown profiles: GET /v1/profiles/{id},
	// GET /v1/profiles/{id}/matches, the profile ids of
	// GET /v1/vacancies/{id}/matches and POST /v1/matches, and the hits of
	// GET /v1/search/profiles. nil means Logger. Every record carries
	// "audit":true.
	Audit *slog.Logger
	// Metrics; nil creates them on a new registry.
	Metrics *Metrics
	// MaxBody bounds a single-document body (default DefaultMaxBody),
	// MaxBulkBody a bulk body (default DefaultMaxBulkBody).
	MaxBody, MaxBulkBody int64
	// NotReady starts the server answering 503 on /v1 and /readyz until
	// SetReady(true) (serve sets it while it loads the core).
	NotReady bool
}

// DefaultRateLimits are generous per-key limits that stop a runaway
// client, not normal use; deployments tune them per role.
var DefaultRateLimits = map[string]cache.Limit{
	RoleIngest:         {Rate: 20000, Per: time.Second, Burst: 40000},
	RoleAccountmanager: {Rate: 2000, Per: time.Second, Burst: 4000},
	RoleEmployer:       {Rate: 200, Per: time.Second, Burst: 400},
	RoleAdmin:          {},
}

// Server is the HTTP API. It is an http.Handler.
type Server struct {
	cfg     Config
	g       *gin.Engine
	m       *Metrics
	log     *slog.Logger
	audit   *slog.Logger
	cache   matcher.ResultCache
	limiter cache.Limiter
	limits  map[string]cache.Limit
	ready   atomic.Bool
	locks   [256]sync.Mutex
	routes  []routeInfo
	// how the write handlers treat each kind of document
	profiles  *docKind[*matcher.Profile]
	vacancies *docKind[*matcher.Vacancy]
	encoded   *lru.Cache[encodedKey, []byte] // see answer
}

// encodedEntries bounds the kept encodings of cached match answers.
const encodedEntries = 2048

type routeInfo struct {
	method, path string
	roles        []string
}

// New builds the server and its routes.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Audit == nil {
		cfg.Audit = cfg.Logger
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics(nil)
	}
	if cfg.Cache == nil {
		cfg.Cache = cache.NewMemory(0)
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = 10 * time.Minute
	}
	if cfg.Limiter == nil {
		cfg.Limiter = cache.NewLocalLimiter()
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.MaxBulkBody <= 0 {
		cfg.MaxBulkBody = DefaultMaxBulkBody
	}
	limits := map[string]cache.Limit{}
	for r, l := range DefaultRateLimits {
		limits[r] = l
	}
	for r, l := range cfg.RateLimits {
		limits[r] = l
	}
	s := &Server{cfg: cfg, m: cfg.Metrics, log: cfg.Logger, audit: cfg.Audit.With("audit", true), cache: cfg.Cache, limiter: cfg.Limiter, limits: limits}
	s.ready.Store(!cfg.NotReady)
	s.profiles, s.vacancies = s.profileKind(), s.vacancyKind()
	s.encoded, _ = lru.New[encodedKey, []byte](encodedEntries)

	var cs cacheStatser
	if x, ok := cfg.Cache.(cacheStatser); ok {
		cs = x
	}
	var ix countser
	if x, ok := cfg.Store.(countser); ok {
		ix = x
	}
	s.m.reg.MustRegister(newStateCollector(cs, ix, cfg.Engine))

	g := gin.New()
	g.HandleMethodNotAllowed = true
	g.RedirectTrailingSlash = false
	g.RedirectFixedPath = false
	g.ContextWithFallback = true
	g.Use(s.requestIDs, s.observe, s.recoverer)
	g.NoRoute(func(c *gin.Context) {
		writeProblem(c, newProblem(http.StatusNotFound, "no such route"))
	})
	g.NoMethod(func(c *gin.Context) {
		p := newProblem(http.StatusMethodNotAllowed, "this route does not take "+c.Request.Method)
		p.allow = c.Writer.Header().Get("Allow")
		writeProblem(c, p)
	})
	s.g = g
	s.registerRoutes()
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.g.ServeHTTP(w, r) }

// SetReady switches readiness: while false, /readyz and every /v1 route
// answer 503.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// Metrics returns the server's metrics.
func (s *Server) Metrics() *Metrics { return s.m }

// anyRole is the role list of routes open to every key.
var anyRole = []string{RoleIngest, RoleAccountmanager, RoleEmployer}

func (s *Server) registerRoutes() {
	g := s.g
	metrics := gin.WrapH(s.m.handler())
	openapi := func(c *gin.Context) { c.Data(http.StatusOK, "application/json", openapiJSON) }
	for _, add := range []func(string, ...gin.HandlerFunc) gin.IRoutes{g.GET, g.HEAD} {
		// HEAD as well, for probes and monitors that ask with it.
		add("/healthz", s.healthz)
		add("/readyz", s.readyz)
		add("/metrics", metrics)
		add("/openapi.json", openapi)
	}
	s.routes = append(s.routes,
		routeInfo{"GET", "/healthz", nil}, routeInfo{"GET", "/readyz", nil},
		routeInfo{"GET", "/metrics", nil}, routeInfo{"GET", "/openapi.json", nil})

	s.handle("PUT", "/v1/profiles/:id", s.putProfile, RoleIngest)
	s.handle("GET", "/v1/profiles/:id", s.getProfile, RoleIngest, RoleAccountmanager)
	s.handle("DELETE", "/v1/profiles/:id", s.deleteProfile, RoleIngest)
	s.handle("POST", "/v1/profiles/_bulk", s.bulkProfiles, RoleIngest)
	s.handle("GET", "/v1/profiles/:id/matches", s.profileMatches, RoleAccountmanager)

	s.handle("PUT", "/v1/vacancies/:id", s.putVacancy, RoleEmployer, RoleAccountmanager)
	s.handle("GET", "/v1/vacancies/:id", s.getVacancy, RoleEmployer, RoleAccountmanager)
	s.handle("DELETE", "/v1/vacancies/:id", s.deleteVacancy, RoleEmployer, RoleAccountmanager)
	s.handle("GET", "/v1/vacancies/:id/matches", s.vacancyMatches, RoleEmployer, RoleAccountmanager)

	s.handle("POST", "/v1/matches", s.adhocMatches, RoleEmployer, RoleAccountmanager)

	s.handle("GET", "/v1/search/profiles", s.searchProfiles, RoleAccountmanager)
	s.handle("GET", "/v1/search/vacancies", s.searchVacancies, RoleAccountmanager, RoleEmployer)

	s.handle("GET", "/v1/taxonomy/occupations", s.taxonomyOccupations, anyRole...)
	s.handle("GET", "/v1/taxonomy/skills", s.taxonomySkills, anyRole...)
}

// reply is a handler's answer; one place (handle) writes it.
type reply struct {
	status int
	body   any    // nil: no body
	raw    []byte // the body already encoded as JSON (instead of body)
	etag   string
	// viewed are the profile ids the answer shows, set only when the
	// principal is audited (see audited); handle writes the audit record.
	viewed []string
}

type handlerFunc func(c *gin.Context, p *Principal) (*reply, error)

// handle registers a /v1 route: authentication (401), role (403), rate
// limit (429), readiness (503), then the handler, whose value or error is
// written here.
func (s *Server) handle(method, path string, h handlerFunc, roles ...string) {
	s.routes = append(s.routes, routeInfo{method, path, roles})
	s.g.Handle(method, path, func(c *gin.Context) {
		// answers are per key and may describe people: no shared caches
		c.Header("Cache-Control", "no-store")
		p, err := s.authenticate(c)
		if err == nil && !p.is(roles...) {
			err = problem(http.StatusForbidden, "this route is for the roles "+strings.Join(roles, ", ")+" (and admin)")
		}
		if err == nil {
			err = s.rateLimit(c, p)
		}
		if err == nil && !s.ready.Load() {
			pr := newProblem(http.StatusServiceUnavailable, "werkmatch is starting: the ranking core is being loaded")
			pr.retryAfter = 5 * time.Second
			err = &apiError{pr}
		}
		var r *reply
		if err == nil {
			r, err = h(c, p)
		}
		if err != nil {
			s.fail(c, err)
			return
		}
		s.auditView(c, p, r.viewed)
		if r.etag != "" {
			c.Header("ETag", r.etag)
		}
		if r.raw != nil {
			c.Header("X-Content-Type-Options", "nosniff")
			c.Data(r.status, "application/json", r.raw)
			return
		}
		if r.body == nil {
			c.Status(r.status)
			c.Writer.WriteHeaderNow()
			return
		}
		writeJSON(c, r.status, "application/json", r.body)
	})
}

// fail writes the problem for err; a 500 is logged with its cause.
func (s *Server) fail(c *gin.Context, err error) {
	p := problemOf(err)
	if p.Status >= 500 && p.Status != http.StatusServiceUnavailable {
		s.reqLog(c).Error("request failed", "error", err.Error())
	} else if p.Status == http.StatusServiceUnavailable {
		s.reqLog(c).Warn("request unavailable", "error", err.Error())
	}
	writeProblem(c, p)
}

// authenticate reads the bearer key.
func (s *Server) authenticate(c *gin.Context) (*Principal, error) {
	p, err := bearer(s.cfg.Keys, c.GetHeader("Authorization"))
	if err != nil {
		return nil, err
	}
	c.Set(ctxRole, p.Role)
	c.Set(ctxKeyID, p.keyID)
	return p, nil
}

// bearer is the principal of an Authorization header, or its 401: the
// one key check of the Server and of Starting.
func bearer(keys *Keys, header string) (*Principal, error) {
	scheme, secret, ok := strings.Cut(header, " ")
	if header == "" || !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, problem(http.StatusUnauthorized, "send Authorization: Bearer <key>")
	}
	p, err := keys.lookup(strings.TrimSpace(secret))
	if err != nil {
		return nil, problem(http.StatusUnauthorized, "unknown API key")
	}
	return p, nil
}

// rateLimit applies the role's limit to the key.
func (s *Server) rateLimit(c *gin.Context, p *Principal) error {
	l := s.limits[p.Role]
	if l.Rate <= 0 || l.Per <= 0 {
		return nil
	}
	ok, after := s.limiter.Allow(c.Request.Context(), "rl:"+p.limitKey, l)
	if ok {
		return nil
	}
	s.m.rateLimited.WithLabelValues(p.Role).Inc()
	pr := newProblem(http.StatusTooManyRequests, "this key is over its rate limit; retry after the time in Retry-After")
	pr.retryAfter = max(after, time.Second)
	return &apiError{pr}
}

// writeJSON marshals v and writes it; a value that cannot be marshalled is
// a bug and answered 500.
func writeJSON(c *gin.Context, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"type":"` + problemBase + `internal","title":"Internal server error","status":500}`)
		status, contentType = http.StatusInternalServerError, ProblemContentType
	}
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(status, contentType, b)
}

// etagOf is the entity tag of a stored document: a hash of its JSON.
func etagOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return etagOfJSON(b)
}

func etagOfJSON(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// docReply answers with a document and its ETag, encoding the document
// once for both. One that cannot be encoded is left to writeJSON (500).
func docReply(status int, v any) *reply {
	b, err := json.Marshal(v)
	if err != nil {
		return &reply{status: status, body: v}
	}
	return &reply{status: status, raw: b, etag: etagOfJSON(b)}
}

// ifMatch checks an If-Match header against the current ETag (cur is ""
// when the document does not exist). No header: always true.
func ifMatch(c *gin.Context, cur string) error {
	h := c.GetHeader("If-Match")
	if h == "" {
		return nil
	}
	if cur != "" {
		// A weak tag (W/"…") is compared as if strong: the ETags are
		// strong, and a proxy that compresses answers weakens them on
		// the way out, so a client would otherwise never match again.
		for _, t := range strings.Split(h, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == cur {
				return nil
			}
		}
	}
	return matcher.ErrConflict
}

// lock serialises writes to one document (kind and id) so that the store
// and the core see them in the same order. It returns the unlock.
func (s *Server) lock(kind, id string) func() {
	m := &s.locks[shard(kind, id)]
	m.Lock()
	return m.Unlock
}

// lockMany locks the shards of several ids, in shard order.
func (s *Server) lockMany(kind string, ids []string) func() {
	var idx []int
	for _, id := range ids {
		idx = append(idx, shard(kind, id))
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	for _, i := range idx {
		s.locks[i].Lock()
	}
	return func() {
		for _, i := range idx {
			s.locks[i].Unlock()
		}
	}
}

func shard(kind, id string) int {
	h := fnv.New32a()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(id))
	return int(h.Sum32() % 256)
}

// durable returns a context for a write that must not be cut off half-way
// when the client goes away: store and core must both see it.
func durable(c *gin.Context) context.Context {
	return context.WithoutCancel(c.Request.Context())
}

// pathID returns the validated :id parameter.
func pathID(c *gin.Context) (string, error) {
	id := c.Param("id")
	if !matcher.ValidID(id) {
		return "", fieldError("id", "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'")
	}
	return id, nil
}

func (s *Server) healthz(c *gin.Context) {
	writeJSON(c, http.StatusOK, "application/json", map[string]string{"status": "ok"})
}

func (s *Server) readyz(c *gin.Context) {
	checks := map[string]string{"core": "loaded", "index": "open", "cache": cache.StateDisabled}
	ok := true
	if !s.ready.Load() {
		checks["core"] = "loading"
		ok = false
	}
	var profiles, vacancies uint64
	if ix, isIx := s.cfg.Store.(countser); isIx {
		var err error
		if profiles, vacancies, err = ix.Counts(); err != nil {
			checks["index"] = "unavailable"
			ok = false
		}
	}
	if st, isSt := s.cache.(interface{ State() string }); isSt {
		checks["cache"] = st.State()
	}
	if !ok {
		p := newProblem(http.StatusServiceUnavailable, "not ready")
		p.Checks = checks
		p.retryAfter = time.Second
		writeProblem(c, p)
		return
	}
	writeJSON(c, http.StatusOK, "application/json", map[string]any{
		"status": "ready", "checks": checks, "profiles": profiles, "vacancies": vacancies,
	})
}
