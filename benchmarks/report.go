package main

import "fmt"

// Report is every figure of one run; its JSON form is documented in
// README.md and its keys are stable.
type Report struct {
	Profiles        int    `json:"profiles"`
	Vacancies       int    `json:"vacancies"`
	Queries         int    `json:"queries"`
	BaselineQueries int    `json:"baseline_queries"`
	Seed            int64  `json:"seed"`
	GOMAXPROCS      int    `json:"gomaxprocs"`
	NumCPU          int    `json:"num_cpu"`
	GoVersion       string `json:"go_version"`
	Revision        string `json:"revision,omitempty"`
	Started         string `json:"started"`
	Finished        string `json:"finished"`

	Memory         Memory  `json:"core_memory"`
	CoreV2P1       Latency `json:"core_vacancy_to_profiles_1cpu"`
	CoreV2PSlowest []Slow  `json:"core_vacancy_to_profiles_slowest"`
	CoreV2PAll     Latency `json:"core_vacancy_to_profiles_allcpu"`
	CoreP2V1       Latency `json:"core_profile_to_vacancies_1cpu"`
	CoreP2VAll     Latency `json:"core_profile_to_vacancies_allcpu"`
	CoreMeanScored float64 `json:"core_mean_scored"`

	Import   Import        `json:"bulk_import"`
	Baseline BaselineStats `json:"baseline"`
	Restart  Restart       `json:"restart"`
	// RestartMemo is a diagnostic restart with the taxonomy's label
	// resolutions memoised per term (not how serve wires the engine).
	RestartMemo *Restart   `json:"restart_memoised_taxonomy,omitempty"`
	HTTP        *HTTPStats `json:"http,omitempty"`

	Bars     []Bar    `json:"bars"`
	Failures []string `json:"failures"`
}

// Memory is the heap held by the ranking core.
type Memory struct {
	BytesPerProfile float64 `json:"bytes_per_profile"`
	BytesPerVacancy float64 `json:"bytes_per_vacancy"`
	ProfilesHeapMiB float64 `json:"profiles_heap_mib"`
	ProfileLoadS    float64 `json:"profile_load_s"`
	VacancyLoadS    float64 `json:"vacancy_load_s"`
}

// Import is the bulk import into a new index.
type Import struct {
	ProfilesS     float64 `json:"profiles_s"`
	ProfilesPerS  float64 `json:"profiles_per_s"`
	VacanciesS    float64 `json:"vacancies_s"`
	VacanciesPerS float64 `json:"vacancies_per_s"`
	DiskMiB       float64 `json:"disk_mib"`
}

// BaselineStats compares the Bleve baseline with the core.
type BaselineStats struct {
	Baseline      Latency `json:"baseline_1cpu"`
	Core          Latency `json:"core_1cpu"`
	SpeedupP50    float64 `json:"speedup_p50"` // baseline p50 / core p50
	SpeedupP99    float64 `json:"speedup_p99"`
	MeanHits      float64 `json:"mean_hits"` // ids returned by the Bleve query
	Compared      int     `json:"compared"`
	Identical     int     `json:"identical_top20"`
	FirstMismatch string  `json:"first_mismatch,omitempty"`
}

// Restart is the restart-to-ready time.
type Restart struct {
	ReadyS    float64 `json:"ready_s"`
	OpenS     float64 `json:"open_s"`
	LoadS     float64 `json:"load_s"`
	Profiles  int     `json:"profiles"`
	Vacancies int     `json:"vacancies"`
}

// HTTPStats are the HTTP series; each Load is measured with the same Go
// load generator against the same server.
type HTTPStats struct {
	Clients   int     `json:"clients"`
	DurationS float64 `json:"duration_s"`
	Bare      Load    `json:"bare_gin"`
	Cached    Load    `json:"cached_match"`
	Uncached  Load    `json:"uncached_match"`
	// UncachedRepeats counts uncached-series requests that asked a
	// vacancy again (the series outran the corpus): those may have been
	// answered from the cache, so the figure is too high by up to that
	// share.
	UncachedRepeats int     `json:"uncached_repeats"`
	CachedOverBare  float64 `json:"cached_over_bare"`
	IngestClients   int     `json:"ingest_clients"`
	Ingest          Load    `json:"ingest_put"`
	IngestProfilesS float64 `json:"ingest_profiles_per_s"`
	IngestCommits   Commits `json:"ingest_put_commits"`
	BulkCommits     Commits `json:"ingest_bulk_commits"`
	BulkClients     int     `json:"bulk_clients"`
	Bulk            Load    `json:"ingest_bulk"` // requests of 500 NDJSON lines
	BulkProfilesS   float64 `json:"ingest_bulk_profiles_per_s"`
}

// Load is one HTTP load series.
type Load struct {
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	RPS      float64 `json:"rps"`
	P50Ms    float64 `json:"p50_ms"`
	P99Ms    float64 `json:"p99_ms"`
	MaxMs    float64 `json:"max_ms"`
}

// Bar is one line of DESIGN.md's bars table, judged on this run.
type Bar struct {
	Name  string `json:"name"`
	Bar   string `json:"bar"`
	Value string `json:"value"`
	Met   bool   `json:"met"`
}

func (l Latency) String() string {
	return fmt.Sprintf("p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms, %.0f q/s (n=%d)", l.P50Ms, l.P95Ms, l.P99Ms, l.MaxMs, l.QPS, l.N)
}

func (l Load) String() string {
	return fmt.Sprintf("%.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms (%d requests, %d errors)", l.RPS, l.P50Ms, l.P99Ms, l.MaxMs, l.Requests, l.Errors)
}

// bars judges the run against DESIGN.md's bars table.
func bars(r *Report) []Bar {
	// import and restart bars are for 1M profiles; a smaller run is
	// judged on its time scaled linearly (and says so)
	scale := 1e6 / float64(max(1, r.Profiles))
	b := []Bar{
		{"core v->p top-20 p50, one core", "<= 5 ms", fmt.Sprintf("%.2f ms", r.CoreV2P1.P50Ms), r.CoreV2P1.P50Ms <= 5},
		{"core v->p top-20 p99, one core", "<= 15 ms", fmt.Sprintf("%.2f ms", r.CoreV2P1.P99Ms), r.CoreV2P1.P99Ms <= 15},
		{"core vs Bleve baseline (p50 and p99), identical top-20", ">= 20x, identical",
			fmt.Sprintf("%.0fx / %.0fx, %d/%d identical", r.Baseline.SpeedupP50, r.Baseline.SpeedupP99, r.Baseline.Identical, r.Baseline.Compared),
			r.Baseline.SpeedupP50 >= 20 && r.Baseline.SpeedupP99 >= 20 && r.Baseline.Compared > 0 && r.Baseline.Identical == r.Baseline.Compared},
		{"core memory", "<= 300 B/profile", fmt.Sprintf("%.0f B/profile", r.Memory.BytesPerProfile), r.Memory.BytesPerProfile <= 300},
		{"reverse match p50 (profile->vacancies), one core", "<= 5 ms", fmt.Sprintf("%.2f ms", r.CoreP2V1.P50Ms), r.CoreP2V1.P50Ms <= 5},
		scaled("bulk import of the profiles", "1M <= 300 s", r.Import.ProfilesS, scale, 300),
		scaled("restart to ready", "1M <= 60 s", r.Restart.ReadyS, scale, 60),
	}
	if h := r.HTTP; h != nil {
		b = append(b,
			Bar{"durable ingest over HTTP, concurrent clients (PUT)", ">= 3000 profiles/s", fmt.Sprintf("%.0f profiles/s (%d clients)", h.IngestProfilesS, h.IngestClients), h.IngestProfilesS >= 3000},
			Bar{"durable ingest over HTTP, concurrent clients (_bulk)", ">= 3000 profiles/s", fmt.Sprintf("%.0f profiles/s (%d clients)", h.BulkProfilesS, h.BulkClients), h.BulkProfilesS >= 3000},
			Bar{"cached match over HTTP vs bare Gin", ">= 0.3x", fmt.Sprintf("%.2fx (%.0f vs %.0f req/s)", h.CachedOverBare, h.Cached.RPS, h.Bare.RPS), h.CachedOverBare >= 0.3},
		)
	}
	return b
}

// scaled judges a time bar stated for 1M profiles.
func scaled(name, bar string, s, scale, limit float64) Bar {
	if scale <= 1 {
		return Bar{name, bar, fmt.Sprintf("%.1f s", s), s <= limit}
	}
	return Bar{name, bar, fmt.Sprintf("%.1f s (x%.0f = %.0f s)", s, scale, s*scale), s*scale <= limit}
}
