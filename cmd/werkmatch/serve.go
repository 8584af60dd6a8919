package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/cache"
	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/matcher"
	"github.com/werkmatch/werkmatch/taxonomy"
)

func init() {
	subcommands["serve"] = subcommand{"run the HTTP API", serveMain}
}

// serveConfig is everything serve reads from flags and WERKMATCH_* env.
type serveConfig struct {
	addr, data, keys, redisURL, pc4, esco string
	demo                                  bool
	demoProfiles, demoVacancies           int
	maxBody, maxBulkBody                  int64
	rates                                 map[string]*rateFlag
	cacheEntries                          int
	cacheTTL                              time.Duration
	logLevel                              string
	auditLog                              string
	shutdownTimeout                       time.Duration
}

// rateFlag is a per-role rate limit: "RATE/PERIOD" or "RATE/PERIOD,BURST"
// (e.g. "200/1s,400"), or "off".
type rateFlag struct{ l cache.Limit }

func (r *rateFlag) String() string {
	if r == nil || r.l.Rate <= 0 || r.l.Per <= 0 {
		return "off"
	}
	s := strconv.Itoa(r.l.Rate) + "/" + r.l.Per.String()
	if r.l.Burst > 0 {
		s += "," + strconv.Itoa(r.l.Burst)
	}
	return s
}

func (r *rateFlag) Set(s string) error {
	s = strings.TrimSpace(s)
	if s == "off" || s == "0" {
		r.l = cache.Limit{}
		return nil
	}
	spec, burst, hasBurst := strings.Cut(s, ",")
	rate, per, ok := strings.Cut(spec, "/")
	n, err := strconv.Atoi(rate)
	if !ok || err != nil || n <= 0 {
		return errors.New(`want RATE/PERIOD[,BURST] such as "200/1s,400", or "off"`)
	}
	d, err := time.ParseDuration(per)
	if err != nil || d <= 0 {
		return errors.New(`want RATE/PERIOD[,BURST] such as "200/1s,400", or "off"`)
	}
	l := cache.Limit{Rate: n, Per: d}
	if hasBurst {
		b, err := strconv.Atoi(burst)
		if err != nil || b <= 0 {
			return errors.New("burst must be a positive integer")
		}
		l.Burst = b
	}
	r.l = l
	return nil
}

// envName is the environment twin of a flag: --redis-url is
// WERKMATCH_REDIS_URL.
func envName(flagName string) string {
	return "WERKMATCH_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func parseServeFlags(args []string) (*serveConfig, error) {
	c := &serveConfig{rates: map[string]*rateFlag{}}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", ":8080", "listen address")
	fs.StringVar(&c.data, "data", "./data", "data directory (Bleve indexes)")
	fs.StringVar(&c.keys, "keys", "", "API keys file: JSON array of {key_sha256, role, employer_id?, regions?}")
	fs.StringVar(&c.redisURL, "redis-url", "", "Redis URL for the shared match cache and rate limits (unset: in-process only)")
	fs.StringVar(&c.pc4, "pc4", "", "GeoNames postal-code file (NL) for fine PC4 centroids (unset: built-in coarse table)")
	fs.StringVar(&c.esco, "esco", "", "ESCO CSV export folder (unset: built-in vocabulary)")
	fs.BoolVar(&c.demo, "demo", false, "demo mode: generate a demo corpus into an empty data dir and accept the fixed demo keys")
	fs.IntVar(&c.demoProfiles, "demo-profiles", 20000, "profiles in a generated demo corpus")
	fs.IntVar(&c.demoVacancies, "demo-vacancies", 3000, "vacancies in a generated demo corpus")
	fs.Int64Var(&c.maxBody, "max-body", api.DefaultMaxBody, "largest single-document request body, bytes")
	fs.Int64Var(&c.maxBulkBody, "max-bulk-body", api.DefaultMaxBulkBody, "largest bulk (NDJSON) request body, bytes")
	for _, role := range api.Roles {
		rf := &rateFlag{l: api.DefaultRateLimits[role]}
		c.rates[role] = rf
		fs.Var(rf, "rate-"+role, "rate limit per "+role+" key: RATE/PERIOD[,BURST] or off")
	}
	fs.IntVar(&c.cacheEntries, "cache-entries", cache.DefaultEntries, "in-process match cache entries (the L1 in front of Redis)")
	fs.DurationVar(&c.cacheTTL, "cache-ttl", 10*time.Minute, "backstop expiry of a cached match")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.auditLog, "audit-log", "", "file the audit records of profile views are appended to (unset: the main log, marked \"audit\":true)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 30*time.Second, "how long shutdown waits for in-flight requests")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: werkmatch serve [flags]\n\nEvery flag has an environment twin: --redis-url is %s, and so on; a flag on the command line wins.\n\n", envName("redis-url"))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || envErr != nil {
			return
		}
		if v := os.Getenv(envName(f.Name)); v != "" { // an empty variable counts as unset
			if err := fs.Set(f.Name, v); err != nil {
				envErr = fmt.Errorf("%s: %w", envName(f.Name), err)
			}
		}
	})
	if envErr != nil {
		return nil, envErr
	}
	if c.maxBody <= 0 || c.maxBulkBody < c.maxBody {
		return nil, errors.New("--max-body must be > 0 and --max-bulk-body at least --max-body")
	}
	if c.keys == "" && !c.demo {
		return nil, errors.New("no API keys: give --keys FILE (or " + envName("keys") + "), or run with --demo")
	}
	return c, nil
}

func newLogger(level string, w io.Writer) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}

func serveMain(ctx context.Context, args []string) error {
	cfg, err := parseServeFlags(args)
	if err != nil {
		return err
	}
	log, err := newLogger(cfg.logLevel, os.Stderr)
	if err != nil {
		return err
	}
	slog.SetDefault(log)
	return serve(ctx, cfg, log, os.Stdout)
}

// serve runs the server until ctx is cancelled, then shuts down cleanly:
// in-flight requests finish, the index is closed.
func serve(ctx context.Context, cfg *serveConfig, log *slog.Logger, out io.Writer) error {
	keys, err := loadKeys(cfg)
	if err != nil {
		return err
	}
	if keys.Len() == 0 {
		log.Warn("the keys file holds no key: every /v1 request will be answered 401", "file", cfg.keys)
	} else {
		log.Info("keys loaded", "keys", keys.Len(), "demo", cfg.demo)
	}

	locator, err := loadLocator(cfg.pc4)
	if err != nil {
		return err
	}
	if cfg.pc4 != "" {
		log.Info("PC4 centroids loaded", "file", cfg.pc4, "entries", locator.Len())
	}
	if err := index.CheckFree(cfg.data); err != nil {
		return fmt.Errorf("--data %s: %w", cfg.data, err)
	}
	// Listen first: /healthz answers while the taxonomy loads and the data
	// dir opens (a rebuild after an upgrade takes minutes), and every other
	// route says that werkmatch is starting.
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("--addr: %w", err)
	}
	metrics := api.NewMetrics(nil)
	handler := &swapHandler{}
	handler.set(api.Starting(metrics, keys))
	hs := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		// generous enough for a bulk body of --max-bulk-body on a slow
		// link, short enough that a stalled client cannot hold a
		// connection for ever
		ReadTimeout:    5 * time.Minute,
		WriteTimeout:   10 * time.Minute,
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	defer hs.Close() // on an error before the shutdown below
	serveErr := make(chan error, 1)
	go func() { serveErr <- hs.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "demo", cfg.demo)

	t0 := time.Now()
	tax, err := loadTaxonomy(cfg.esco)
	if err != nil {
		return err
	}
	if cfg.esco != "" {
		occ, sk := tax.Stats()
		c := tax.ImportCounts()
		log.Info("ESCO taxonomy loaded, with the built-in vocabulary laid over it", "dir", cfg.esco, "occupations", occ, "skills", sk,
			"vocabulary_occupations_merged", c["vocabulary_occupations_merged"], "vocabulary_occupations_added", c["vocabulary_occupations_added"],
			"vocabulary_skills_merged", c["vocabulary_skills_merged"], "vocabulary_skills_added", c["vocabulary_skills_added"],
			"took", time.Since(t0).String())
		if c["skills_file"] == 0 {
			log.Warn("the ESCO folder has no skills_nl.csv: ESCO skills come only from its skill collection files, and everyday skills only from the built-in vocabulary",
				"skills_from_collections", c["skills_from_collections"])
		}
	}

	audit, closeAudit, err := openAuditLog(cfg.auditLog)
	if err != nil {
		return err
	}
	defer closeAudit()

	opts := indexOptions(locator, tax)
	opts.OnCommit, opts.Logger = metrics.ObserveCommit, log
	beforeIndexOpen()
	ix, err := index.OpenContext(ctx, cfg.data, opts)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			log.Info("stopped while opening the data dir", "dir", cfg.data)
			return nil
		}
		return fmt.Errorf("open index in %s: %w", cfg.data, err)
	}
	defer func() {
		if err := ix.Close(); err != nil {
			log.Error("index close", "error", err.Error())
		} else {
			log.Info("index closed")
		}
	}()
	engine := matcher.NewEngine(matcher.EngineOptions{Locator: locator, Taxonomy: tax})

	var rc matcher.ResultCache
	var limiter cache.Limiter
	if cfg.redisURL != "" {
		cache.RouteRedisLogs(log)
		r, err := cache.NewRedis(ctx, cfg.redisURL, cache.RedisOptions{L1Entries: cfg.cacheEntries, DefaultTTL: cfg.cacheTTL, Logger: log})
		if err != nil {
			return fmt.Errorf("--redis-url: %w", err)
		}
		defer r.Close()
		rc, limiter = r, r.Limiter()
		log.Info("match cache: Redis with in-process L1", "state", r.State())
	} else {
		rc, limiter = cache.NewMemory(cfg.cacheEntries), cache.NewLocalLimiter()
		log.Info("match cache: in-process only")
	}
	limits := map[string]cache.Limit{}
	for role, rf := range cfg.rates {
		limits[role] = rf.l
	}
	srv := api.New(api.Config{
		Store: ix, Searcher: ix, Engine: engine, Cache: rc, CacheTTL: cfg.cacheTTL,
		Limiter: limiter, RateLimits: limits, Taxonomy: tax, Keys: keys, Logger: log, Audit: audit,
		Metrics: metrics, MaxBody: cfg.maxBody, MaxBulkBody: cfg.maxBulkBody, NotReady: true,
	})

	handler.set(srv)
	if cfg.demo {
		printDemoKeys(out, ln.Addr().String())
	}

	loadErr := make(chan error, 1)
	go func() { loadErr <- load(ctx, cfg, log, ix, engine, tax) }()

	var runErr error
	select {
	case err := <-loadErr:
		if err != nil {
			runErr = err
			break
		}
		srv.SetReady(true)
		log.Info("ready")
		select {
		case <-ctx.Done():
		case err := <-serveErr:
			runErr = err
		}
	case err := <-serveErr:
		runErr = err
	case <-ctx.Done():
		<-loadErr // the load stops at ctx
	}
	srv.SetReady(false)
	log.Info("shutting down: finishing in-flight requests", "timeout", cfg.shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		log.Error("shutdown", "error", err.Error())
		_ = hs.Close()
	}
	if runErr != nil && !errors.Is(runErr, http.ErrServerClosed) && !errors.Is(runErr, context.Canceled) {
		return runErr
	}
	log.Info("http server stopped")
	return nil
}

// loadLocator is the PC4 table of --pc4: the GeoNames file, or the
// built-in coarse table when there is none. import uses it too, so that
// it opens the data dir the way serve does.
func loadLocator(pc4 string) (*geo.Table, error) {
	locator := geo.New()
	if pc4 != "" {
		if err := locator.LoadGeoNamesFile(pc4); err != nil {
			return nil, fmt.Errorf("--pc4: %w", err)
		}
	}
	return locator, nil
}

// indexOptions are the index options that decide the indexed form of a
// document, the same for serve and import: a data dir written by one is
// read by the other without a rebuild, and searches meet the same terms.
func indexOptions(locator matcher.Locator, tax *taxonomy.Taxonomy) index.Options {
	return index.Options{Locator: locator, Synonyms: tax.SynonymSets(), Decompound: tax.CompoundParts}
}

// loadTaxonomy is the taxonomy of --esco: the ESCO CSV folder with the
// built-in vocabulary laid over it, or the built-in vocabulary alone when
// there is none.
func loadTaxonomy(esco string) (*taxonomy.Taxonomy, error) {
	if esco == "" {
		return taxonomy.Builtin(), nil
	}
	tax, err := taxonomy.LoadESCOWithBuiltin(esco)
	if err != nil {
		return nil, fmt.Errorf("--esco: %w", err)
	}
	return tax, nil
}

// openAuditLog opens the --audit-log file for appending (created 0600:
// it names who looked at which profiles). Its records are JSON at level
// info whatever --log-level says. No file: nil, and the api writes the
// records to the main log.
func openAuditLog(path string) (*slog.Logger, func(), error) {
	if path == "" {
		return nil, func() {}, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("--audit-log: %w", err)
	}
	// An existing file keeps its mode when opened: make it 0600 too.
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("--audit-log: %w", err)
	}
	return slog.New(slog.NewJSONHandler(f, nil)), func() { _ = f.Close() }, nil
}

func loadKeys(cfg *serveConfig) (*api.Keys, error) {
	var keys *api.Keys
	if cfg.keys != "" {
		k, err := api.LoadKeys(cfg.keys)
		if err != nil {
			return nil, err
		}
		keys = k
	}
	if cfg.demo {
		demo, err := api.NewKeys(api.DemoKeyEntries())
		if err != nil {
			return nil, err
		}
		if keys, err = api.Merge(keys, demo); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// load fills the core from the store (after generating the demo corpus
// into an empty store in demo mode), with a progress line every two
// seconds.
func load(ctx context.Context, cfg *serveConfig, log *slog.Logger, ix *index.Index, engine *matcher.Engine, tax *taxonomy.Taxonomy) error {
	if cfg.demo {
		p, v, err := ix.Counts()
		if err != nil {
			return err
		}
		if p == 0 && v == 0 {
			if err := generateDemo(ctx, cfg, log, ix, tax); err != nil {
				return fmt.Errorf("demo corpus: %w", err)
			}
		} else {
			log.Info("demo: data dir already holds documents; not generating", "profiles", p, "vacancies", v)
		}
	}
	t0 := time.Now()
	total, _, err := ix.Counts()
	if err != nil {
		return err
	}
	prog := newProgress(log, "loading profiles into the core", int(total))
	err = engine.Load(ctx, ix, 10000, func(kind string, n int) {
		if kind == "profile" {
			prog.add(n)
		}
	})
	if err != nil {
		return err
	}
	// Fold the load's pending changes into fresh bases, so that queries
	// start from the leanest tables and exact skill weights.
	engine.Compact()
	np, nv := engine.Counts()
	log.Info("core loaded", "profiles", np, "vacancies", nv, "took", time.Since(t0).Round(time.Millisecond).String())
	return nil
}

// progress logs "done of total" at most every two seconds.
type progress struct {
	log         *slog.Logger
	what        string
	total, n    int
	start, last time.Time
}

func newProgress(log *slog.Logger, what string, total int) *progress {
	now := time.Now()
	return &progress{log: log, what: what, total: total, start: now, last: now}
}

func (p *progress) add(n int) {
	p.n += n
	if now := time.Now(); now.Sub(p.last) >= 2*time.Second {
		p.last = now
		p.log.Info(p.what, "done", p.n, "total", p.total, "elapsed", now.Sub(p.start).Round(time.Millisecond).String())
	}
}

// beforeIndexOpen lets a test hold serve while it opens the data dir.
var beforeIndexOpen = func() {}

// swapHandler serves api.Starting until the api.Server is built.
type swapHandler struct{ h atomic.Pointer[http.Handler] }

func (s *swapHandler) set(h http.Handler) { s.h.Store(&h) }

func (s *swapHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*s.h.Load()).ServeHTTP(w, r)
}
