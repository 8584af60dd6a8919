package api

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/werkmatch/werkmatch/cache"
)

// Metrics are werkmatch's Prometheus metrics, registered on their own
// registry (never the global one). Create them before the index is opened
// so that ObserveCommit can be its OnCommit hook.
type Metrics struct {
	reg *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	matchLatency *prometheus.HistogramVec
	considered   *prometheus.CounterVec
	scored       *prometheus.CounterVec
	commitDocs   *prometheus.HistogramVec
	commitDur    *prometheus.HistogramVec
	bulkLines    prometheus.Histogram
	bulkRejected prometheus.Counter
	rateLimited  *prometheus.CounterVec
}

// NewMetrics registers the metrics, the Go and process collectors on reg
// (a new registry when nil).
func NewMetrics(reg *prometheus.Registry) *Metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &Metrics{reg: reg}
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "werkmatch_http_requests_total",
		Help: "HTTP requests answered, by method, route template and status class.",
	}, []string{"method", "route", "status"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "werkmatch_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by method, route template and status class.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"method", "route", "status"})
	m.matchLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "werkmatch_match_duration_seconds",
		Help:    "Time the ranking core took for one match (cache misses only), by direction.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .015, .025, .05, .1, .25, .5, 1},
	}, []string{"direction"})
	m.considered = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "werkmatch_match_candidates_considered_total",
		Help: "Candidates that passed the prefilter of a match, by direction.",
	}, []string{"direction"})
	m.scored = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "werkmatch_match_candidates_scored_total",
		Help: "Candidates that passed every hard filter and were scored, by direction.",
	}, []string{"direction"})
	m.commitDocs = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "werkmatch_index_commit_batch_size",
		Help:    "Writes coalesced into one durable index commit, by kind.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 12),
	}, []string{"kind"})
	m.commitDur = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "werkmatch_index_commit_duration_seconds",
		Help:    "Time one durable index commit took, by kind.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"kind"})
	m.bulkLines = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "werkmatch_ingest_bulk_lines",
		Help:    "Lines in one bulk ingest request.",
		Buckets: prometheus.ExponentialBuckets(1, 4, 10),
	})
	m.bulkRejected = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "werkmatch_ingest_bulk_rejected_lines_total",
		Help: "Bulk ingest lines rejected (invalid, personal data, too long).",
	})
	m.rateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "werkmatch_http_rate_limited_total",
		Help: "Requests answered 429 by the per-key rate limit, by role.",
	}, []string{"role"})
	reg.MustRegister(m.httpRequests, m.httpDuration, m.matchLatency, m.considered, m.scored,
		m.commitDocs, m.commitDur, m.bulkLines, m.bulkRejected, m.rateLimited,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the registry the metrics live on (served on /metrics).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// handler serves the registry on /metrics.
func (m *Metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ObserveCommit records one index commit; pass it as index.Options.OnCommit.
func (m *Metrics) ObserveCommit(kind string, docs int, d time.Duration) {
	m.commitDocs.WithLabelValues(kind).Observe(float64(docs))
	m.commitDur.WithLabelValues(kind).Observe(d.Seconds())
}

// statusClass maps a status code to "2xx" and so on.
func statusClass(code int) string {
	switch {
	case code < 200:
		return "1xx"
	case code < 300:
		return "2xx"
	case code < 400:
		return "3xx"
	case code < 500:
		return "4xx"
	}
	return "5xx"
}

// knownMethod keeps the method label bounded.
func knownMethod(m string) string {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS":
		return m
	}
	return "other"
}

// cacheStatser is implemented by cache.Memory and cache.Redis.
type cacheStatser interface{ Stats() cache.Stats }

// countser is implemented by the index.
type countser interface {
	Counts() (profiles, vacancies uint64, err error)
}

// stateCollector reports the cache counters, index document counts and
// core counts at scrape time.
type stateCollector struct {
	cache  cacheStatser
	index  countser
	engine Engine

	hits, misses, errs, shorted, opens, invalidations, puts *prometheus.Desc
	l1Entries, redisUp, indexDocs, coreDocs                 *prometheus.Desc
}

func newStateCollector(c cacheStatser, ix countser, e Engine) *stateCollector {
	return &stateCollector{
		cache: c, index: ix, engine: e,
		hits:          prometheus.NewDesc("werkmatch_cache_hits_total", "Match-cache lookups answered, by layer (l1 in process, redis).", []string{"layer"}, nil),
		misses:        prometheus.NewDesc("werkmatch_cache_misses_total", "Match-cache lookups not answered (including every lookup while Redis is down).", nil, nil),
		errs:          prometheus.NewDesc("werkmatch_cache_errors_total", "Redis calls that failed (timeout, refused, ...).", nil, nil),
		shorted:       prometheus.NewDesc("werkmatch_cache_short_circuited_total", "Redis calls not made because the circuit breaker was open.", nil, nil),
		opens:         prometheus.NewDesc("werkmatch_cache_breaker_opens_total", "Times the Redis circuit breaker opened (error episodes).", nil, nil),
		invalidations: prometheus.NewDesc("werkmatch_cache_invalidations_total", "Cache invalidations after acknowledged writes.", nil, nil),
		puts:          prometheus.NewDesc("werkmatch_cache_puts_total", "Match results stored in the cache.", nil, nil),
		l1Entries:     prometheus.NewDesc("werkmatch_cache_l1_entries", "Entries in the in-process cache.", nil, nil),
		redisUp:       prometheus.NewDesc("werkmatch_cache_redis_up", "1 when Redis answers, 0 when it is down or failing; absent without Redis.", nil, nil),
		indexDocs:     prometheus.NewDesc("werkmatch_index_documents", "Documents in the durable index, by kind.", []string{"kind"}, nil),
		coreDocs:      prometheus.NewDesc("werkmatch_core_documents", "Documents held by the ranking core, by kind.", []string{"kind"}, nil),
	}
}

func (s *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{s.hits, s.misses, s.errs, s.shorted, s.opens, s.invalidations, s.puts, s.l1Entries, s.redisUp, s.indexDocs, s.coreDocs} {
		ch <- d
	}
}

func (s *stateCollector) Collect(ch chan<- prometheus.Metric) {
	if s.cache != nil {
		st := s.cache.Stats()
		ch <- prometheus.MustNewConstMetric(s.hits, prometheus.CounterValue, float64(st.L1Hits), "l1")
		ch <- prometheus.MustNewConstMetric(s.hits, prometheus.CounterValue, float64(st.RedisHits), "redis")
		ch <- prometheus.MustNewConstMetric(s.misses, prometheus.CounterValue, float64(st.Misses))
		ch <- prometheus.MustNewConstMetric(s.errs, prometheus.CounterValue, float64(st.Errors))
		ch <- prometheus.MustNewConstMetric(s.shorted, prometheus.CounterValue, float64(st.ShortCircuited))
		ch <- prometheus.MustNewConstMetric(s.opens, prometheus.CounterValue, float64(st.BreakerOpens))
		ch <- prometheus.MustNewConstMetric(s.invalidations, prometheus.CounterValue, float64(st.Invalidations))
		ch <- prometheus.MustNewConstMetric(s.puts, prometheus.CounterValue, float64(st.Puts))
		ch <- prometheus.MustNewConstMetric(s.l1Entries, prometheus.GaugeValue, float64(st.L1Entries))
		if st.State != cache.StateDisabled {
			up := 0.0
			if st.State == cache.StateUp {
				up = 1
			}
			ch <- prometheus.MustNewConstMetric(s.redisUp, prometheus.GaugeValue, up)
		}
	}
	if s.index != nil {
		if p, v, err := s.index.Counts(); err == nil {
			ch <- prometheus.MustNewConstMetric(s.indexDocs, prometheus.GaugeValue, float64(p), "profile")
			ch <- prometheus.MustNewConstMetric(s.indexDocs, prometheus.GaugeValue, float64(v), "vacancy")
		}
	}
	if s.engine != nil {
		p, v := s.engine.Counts()
		ch <- prometheus.MustNewConstMetric(s.coreDocs, prometheus.GaugeValue, float64(p), "profile")
		ch <- prometheus.MustNewConstMetric(s.coreDocs, prometheus.GaugeValue, float64(v), "vacancy")
	}
}
