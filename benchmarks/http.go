package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/cache"
	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/matcher"
)

// bareGin is the reference endpoint: a Gin engine with one JSON route and
// no middleware, served by the same http.Server as the api.
func bareGin() http.Handler {
	g := gin.New()
	g.GET("/bench/bare", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"status": "ok", "service": "werkmatch"})
	})
	return g
}

// httpSections starts the api on loopback beside the bare endpoint and
// runs the HTTP series with one Go load generator.
func httpSections(ctx context.Context, c config, ix *index.Index, eng *matcher.Engine, src *source, pr func(string, ...any)) (*HTTPStats, []string, error) {
	gin.SetMode(gin.ReleaseMode)
	keys, err := api.NewKeys(api.DemoKeyEntries())
	if err != nil {
		return nil, nil, err
	}
	srv := api.New(api.Config{
		Store: ix, Searcher: ix, Engine: eng, Keys: keys,
		Cache: cache.NewMemory(0),
		// no rate limits: the load generator is one key per role
		RateLimits: map[string]cache.Limit{api.RoleIngest: {}, api.RoleAccountmanager: {}},
	})
	mux := http.NewServeMux()
	mux.Handle("/bench/bare", bareGin())
	mux.Handle("/", srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: max(c.httpClients, c.ingestClients), DisableCompression: true,
	}}

	h := &HTTPStats{Clients: c.httpClients, DurationS: c.httpDuration.Seconds(), IngestClients: c.ingestClients}
	var fails []string
	pr("method: one in-process http.Server on 127.0.0.1 serving the api.Server (auth, rate-limit check with")
	pr("        unlimited limits, metrics, in-process match cache) and, on /bench/bare, a Gin engine with one")
	pr("        c.JSON route and no middleware; a Go load generator in the same process (it shares the %d cores)", runtime.NumCPU())
	pr("        keeps %d clients busy for %s per series over keep-alive connections; latency per request;", c.httpClients, c.httpDuration)
	pr("        bare and cached alternate in 4 rounds of %s windows each", c.httpDuration/4)

	get := func(path, key string) func(int) (*http.Request, error) {
		return func(int) (*http.Request, error) {
			req, err := http.NewRequest(http.MethodGet, base+path, nil)
			if err == nil && key != "" {
				req.Header.Set("Authorization", "Bearer "+key)
			}
			return req, err
		}
	}
	// cached: a small set of vacancies with candidates, each answered once
	// before the series
	const hot = 64
	hotIDs := make([]string, 0, hot)
	for i := 0; i < c.vacancies && len(hotIDs) < hot; i++ {
		id := src.Vacancy(i).ID
		if r, err := eng.MatchVacancyID(ctx, id, matcher.Query{Limit: 20}); err == nil && len(r.Results) > 0 {
			hotIDs = append(hotIDs, id)
		}
	}
	if len(hotIDs) == 0 {
		return nil, nil, errors.New("no vacancy with candidates for the cached series")
	}
	for _, id := range hotIDs {
		req, _ := get("/v1/vacancies/"+id+"/matches?limit=20", api.DemoAccountmanager)(0)
		if err := expect(client, req, http.StatusOK, true); err != nil {
			return nil, nil, fmt.Errorf("warm cache: %w", err)
		}
	}
	stopProf, err := c.profile("cached")
	if err != nil {
		return nil, nil, err
	}
	// bare and cached alternate in rounds of windows, so that both see the
	// same changes in the machine's load
	const rounds = 4
	win := c.httpDuration / rounds
	h.Bare, h.Cached = alternate(rounds, func() sample {
		return loadSample(ctx, client, c.httpClients, win, get("/bench/bare", ""), nil, http.StatusOK)
	}, func() sample {
		return loadSample(ctx, client, c.httpClients, win, func(i int) (*http.Request, error) {
			return get("/v1/vacancies/"+hotIDs[i%len(hotIDs)]+"/matches?limit=20", api.DemoAccountmanager)(i)
		}, nil, http.StatusOK)
	})
	stopProf()
	pr("bare Gin JSON:    %s", h.Bare)
	pr("cached match:     %s  (GET /v1/vacancies/{id}/matches?limit=20 over %d warmed vacancies)", h.Cached, len(hotIDs))
	h.CachedOverBare = ratio(h.Cached.RPS, h.Bare.RPS)
	pr("cached/bare requests/s: %.2f", h.CachedOverBare)

	// uncached: every request a vacancy not asked before
	var next atomic.Int64
	next.Store(int64(len(hotIDs)))
	h.Uncached = load(ctx, client, c.httpClients, c.httpDuration, func(int) (*http.Request, error) {
		i := int(next.Add(1)-1) % c.vacancies
		return get("/v1/vacancies/"+src.Vacancy(i).ID+"/matches?limit=20", api.DemoAccountmanager)(0)
	}, http.StatusOK)
	pr("uncached match:   %s  (each vacancy asked once)", h.Uncached)
	if n := int(next.Load()); n > c.vacancies {
		h.UncachedRepeats = n - c.vacancies
		pr("                  WARNING: %d of %d requests asked a vacancy again (the corpus has %d): they may have been cached, so this figure is too high; use more -vacancies or a shorter -http-duration",
			h.UncachedRepeats, n-len(hotIDs), c.vacancies)
	}

	// durable ingest: new profiles, PUT one per request
	var seq atomic.Int64
	if stopProf, err = c.profile("ingest"); err != nil {
		return nil, nil, err
	}
	commits.reset()
	h.Ingest = load(ctx, client, c.ingestClients, c.httpDuration, func(int) (*http.Request, error) {
		p := src.Profile(c.profiles + int(seq.Add(1)-1))
		body, err := json.Marshal(p)
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequest(http.MethodPut, base+"/v1/profiles/"+p.ID, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Authorization", "Bearer "+api.DemoIngest)
			req.Header.Set("Content-Type", "application/json")
		}
		return req, err
	}, http.StatusCreated, http.StatusOK)
	stopProf()
	h.IngestProfilesS = h.Ingest.RPS
	h.IngestCommits = commits.summary()
	pr("durable ingest:   %s  (PUT /v1/profiles/{id}, new profiles, %d clients; answered after fsync)", h.Ingest, c.ingestClients)
	pr("                  index: %s", h.IngestCommits)

	// durable bulk ingest: NDJSON of bulkLines new profiles per request
	const bulkLines = 500
	var bseq atomic.Int64
	commits.reset()
	bseq.Store(1 << 30) // far beyond the ids of the PUT series
	h.Bulk = loadCheck(ctx, client, c.bulkClients, c.httpDuration, func(int) (*http.Request, error) {
		var body bytes.Buffer
		enc := json.NewEncoder(&body)
		first := int(bseq.Add(bulkLines) - bulkLines)
		for i := range bulkLines {
			if err := enc.Encode(src.Profile(first + i)); err != nil {
				return nil, err
			}
		}
		req, err := http.NewRequest(http.MethodPost, base+"/v1/profiles/_bulk", &body)
		if err == nil {
			req.Header.Set("Authorization", "Bearer "+api.DemoIngest)
			req.Header.Set("Content-Type", "application/x-ndjson")
		}
		return req, err
	}, func(b []byte) error {
		var a api.BulkAnswer
		if err := json.Unmarshal(b, &a); err != nil {
			return err
		}
		if a.Accepted != bulkLines {
			return fmt.Errorf("bulk: %d of %d lines accepted", a.Accepted, bulkLines)
		}
		return nil
	}, http.StatusOK)
	h.BulkClients, h.BulkProfilesS = c.bulkClients, h.Bulk.RPS*bulkLines
	h.BulkCommits = commits.summary()
	pr("durable bulk:     %.0f profiles/s: %s  (POST /v1/profiles/_bulk, %d lines per request, %d clients)", h.BulkProfilesS, h.Bulk, bulkLines, c.bulkClients)
	pr("                  index: %s", h.BulkCommits)

	for _, s := range []struct {
		name string
		l    Load
	}{{"bare", h.Bare}, {"cached", h.Cached}, {"uncached", h.Uncached}, {"ingest", h.Ingest}, {"bulk", h.Bulk}} {
		if s.l.Errors > 0 || s.l.Requests == 0 {
			fails = append(fails, fmt.Sprintf("http %s: %d errors in %d requests", s.name, s.l.Errors, s.l.Requests))
		}
	}
	return h, fails, nil
}

// expect sends req and checks the status (and, when results is set, that
// the answer holds a non-empty results array).
func expect(client *http.Client, req *http.Request, status int, results bool) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != status {
		return fmt.Errorf("%s %s: status %d: %.300s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	if results {
		var a struct {
			Results []json.RawMessage `json:"results"`
		}
		if err := json.Unmarshal(b, &a); err != nil || len(a.Results) == 0 {
			return fmt.Errorf("%s %s: no results: %.300s", req.Method, req.URL.Path, b)
		}
	}
	return nil
}

// load keeps clients goroutines sending requests for d and summarises
// them. A request whose status is not among ok counts as an error.
func load(ctx context.Context, client *http.Client, clients int, d time.Duration, mk func(i int) (*http.Request, error), ok ...int) Load {
	return loadSample(ctx, client, clients, d, mk, nil, ok...).load()
}

// loadCheck is load with a check of every answer's body (nil: none).
func loadCheck(ctx context.Context, client *http.Client, clients int, d time.Duration, mk func(i int) (*http.Request, error), check func([]byte) error, ok ...int) Load {
	return loadSample(ctx, client, clients, d, mk, check, ok...).load()
}

// sample is the raw outcome of one or more load windows.
type sample struct {
	ds   []time.Duration
	wall time.Duration
	errs int
}

func (s *sample) add(o sample) {
	s.ds = append(s.ds, o.ds...)
	s.wall += o.wall
	s.errs += o.errs
}

func (s sample) load() Load {
	l := summarise(s.ds, s.wall)
	return Load{Requests: len(s.ds), Errors: s.errs, RPS: l.QPS, P50Ms: l.P50Ms, P99Ms: l.P99Ms, MaxMs: l.MaxMs}
}

// alternate runs the series a and b in rounds alternating windows of d
// each, so that both see the same changes in the machine's load.
func alternate(rounds int, a, b func() sample) (Load, Load) {
	var sa, sb sample
	for range rounds {
		sa.add(a())
		sb.add(b())
	}
	return sa.load(), sb.load()
}

// loadSample keeps clients goroutines sending requests for d.
func loadSample(ctx context.Context, client *http.Client, clients int, d time.Duration, mk func(i int) (*http.Request, error), check func([]byte) error, ok ...int) sample {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		all      []time.Duration
		errs     int
		firstErr error
		n        atomic.Int64
	)
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ds := make([]time.Duration, 0, 4096)
			e := 0
			var fe error
			for ctx.Err() == nil {
				req, err := mk(int(n.Add(1) - 1))
				if err != nil {
					e++
					fe = err
					continue
				}
				t := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					if check != nil {
						var b []byte
						if b, err = io.ReadAll(resp.Body); err == nil {
							err = check(b)
						}
					} else {
						_, err = io.Copy(io.Discard, resp.Body)
					}
					resp.Body.Close()
					if err == nil && !contains(ok, resp.StatusCode) {
						err = fmt.Errorf("%s %s: status %d", req.Method, req.URL.Path, resp.StatusCode)
					}
				}
				el := time.Since(t)
				if err != nil {
					e++
					fe = err
					continue
				}
				ds = append(ds, el)
			}
			mu.Lock()
			all = append(all, ds...)
			errs += e
			if firstErr == nil {
				firstErr = fe
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	if firstErr != nil {
		fmt.Printf("  first error: %v\n", firstErr)
	}
	return sample{ds: all, wall: wall, errs: errs}
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
