// Command benchmarks measures werkmatch against the bars of DESIGN.md in
// one process and one run, each figure beside the baseline it is judged
// by: the ranking core against the Bleve baseline (same scorer, same
// queries, identical top-20 checked), core memory per profile, bulk
// import, restart-to-ready, durable ingest over HTTP, and cached and
// uncached match over HTTP against a bare Gin JSON endpoint of the same
// server.
//
//	go run ./benchmarks -profiles 1000000 -vacancies 500000 -queries 200
//	go run ./benchmarks -smoke           # small, fast, exits 1 on failure
//	go run ./benchmarks -json out.json   # also write every figure as JSON
//
// The method of each section is printed with its figures; the JSON keys
// are documented in benchmarks/README.md.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/matcher"
)

type config struct {
	profiles, vacancies, queries int
	baselineQueries              int
	seed                         int64
	dir                          string
	jsonPath                     string
	cpuProfile, profileSection   string
	httpDuration                 time.Duration
	httpClients                  int
	ingestClients, bulkClients   int
	importWriters, importChunk   int
	pc4File                      string
	smoke                        bool
	skipHTTP                     bool
	memoRestart                  bool
}

func main() {
	var c config
	flag.IntVar(&c.profiles, "profiles", 100000, "profiles in the corpus")
	flag.IntVar(&c.vacancies, "vacancies", 50000, "vacancies in the corpus")
	flag.IntVar(&c.queries, "queries", 200, "match queries per core series")
	flag.IntVar(&c.baselineQueries, "baseline-queries", 0, "queries for the Bleve baseline (0 = same as -queries)")
	flag.Int64Var(&c.seed, "seed", 1, "corpus seed")
	flag.StringVar(&c.dir, "dir", "", "data directory for the Bleve indexes (default: a new temporary directory, removed at the end)")
	flag.StringVar(&c.jsonPath, "json", "", "write every figure as one JSON object to this file (- = stdout)")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of one section (-profile-section) to this file")
	flag.StringVar(&c.profileSection, "profile-section", "core", "section profiled by -cpuprofile: core (15 s of the one-core vacancy->profiles queries, after the timed series), import, baseline, restart, ingest (HTTP) or cached (HTTP)")
	flag.DurationVar(&c.httpDuration, "http-duration", 10*time.Second, "duration of each HTTP load series")
	flag.IntVar(&c.httpClients, "http-clients", 32, "concurrent HTTP clients of the match and bare series")
	flag.IntVar(&c.ingestClients, "ingest-clients", 128, "concurrent HTTP clients of the ingest series")
	flag.IntVar(&c.bulkClients, "bulk-clients", 4, "concurrent HTTP clients of the _bulk ingest series")
	flag.IntVar(&c.importWriters, "import-writers", 2, "concurrent writers of the bulk import")
	flag.IntVar(&c.importChunk, "import-chunk", 2000, "documents per write of the bulk import")
	flag.StringVar(&c.pc4File, "pc4", "", "GeoNames PC4 file (default: the built-in coarse table)")
	flag.BoolVar(&c.smoke, "smoke", false, "small corpus and short series for CI; exits non-zero on any failure")
	flag.BoolVar(&c.skipHTTP, "no-http", false, "skip the HTTP sections")
	flag.BoolVar(&c.memoRestart, "memo-restart", true, "also measure a diagnostic restart with memoised taxonomy resolutions")
	flag.Parse()
	log.SetFlags(0)
	if err := c.check(); err != nil {
		log.Printf("benchmarks: %v", err)
		os.Exit(2)
	}
	if c.smoke {
		c.profiles, c.vacancies, c.queries, c.baselineQueries = 10000, 5000, 40, 20
		c.httpDuration, c.httpClients, c.ingestClients = 1500*time.Millisecond, 16, 32
	}
	if c.baselineQueries <= 0 {
		c.baselineQueries = c.queries
	}
	// The JSON file is opened first, so that a path that cannot be written
	// fails now and not after the run; with -json - the text report goes
	// to stderr and stdout holds the JSON only.
	out := io.Writer(os.Stdout)
	switch c.jsonPath {
	case "":
	case "-":
		out = os.Stderr
	default:
		// can it be written? writeJSON writes a temporary file beside it
		// and renames it over the path, so that is what is tried (an
		// earlier result stays in place until the run succeeds)
		f, err := os.OpenFile(c.jsonPath+".tmp", os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			log.Printf("benchmarks: -json: %v", err)
			os.Exit(2)
		}
		f.Close()
		os.Remove(c.jsonPath + ".tmp")
	}
	// Ctrl-C or a kill: remove the temporary data dir (about 1.7 GB at 1M
	// profiles) before exiting.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sig
		if d := tempDir.Load(); d != nil {
			_ = os.RemoveAll(*d)
		}
		log.Printf("benchmarks: stopped by %v; temporary data removed", s)
		if s == syscall.SIGTERM {
			os.Exit(143)
		}
		os.Exit(130)
	}()
	r, err := run(context.Background(), c, out)
	if err == nil && c.jsonPath != "" {
		err = writeJSON(c.jsonPath, r)
	}
	if err != nil {
		log.Printf("benchmarks: FAIL: %v", err)
		os.Exit(1)
	}
	if len(r.Failures) > 0 {
		log.Printf("benchmarks: FAIL: %s", strings.Join(r.Failures, "; "))
		os.Exit(1)
	}
}

// writeJSON writes the report to path (- = stdout), through a temporary
// file and a rename, so that the file holds either the old result or the
// whole new one.
func writeJSON(path string, r *Report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if path == "-" {
		_, err = os.Stdout.Write(b)
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// tempDir is the temporary data dir of the run, once made.
var tempDir atomic.Pointer[string]

// check refuses flag values no run can use, before anything runs.
func (c *config) check() error {
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: every setting is a flag (see -h)", flag.Args())
	}
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if c.smoke {
		for _, n := range []string{"profiles", "vacancies", "queries", "baseline-queries", "http-duration", "http-clients", "ingest-clients"} {
			if set[n] {
				return fmt.Errorf("-smoke sets its own sizes; leave out -%s, or leave out -smoke", n)
			}
		}
	}
	for _, v := range []struct {
		name string
		n    int
		min  int
	}{
		{"profiles", c.profiles, 1000}, {"vacancies", c.vacancies, 100}, {"queries", c.queries, 1},
		{"baseline-queries", c.baselineQueries, 0}, {"http-clients", c.httpClients, 1},
		{"ingest-clients", c.ingestClients, 1}, {"bulk-clients", c.bulkClients, 1},
		{"import-writers", c.importWriters, 1}, {"import-chunk", c.importChunk, 1},
	} {
		if v.n < v.min {
			return fmt.Errorf("-%s %d: must be at least %d", v.name, v.n, v.min)
		}
	}
	if !c.skipHTTP && c.httpDuration < 100*time.Millisecond {
		return fmt.Errorf("-http-duration %s: must be at least 100ms (or use -no-http)", c.httpDuration)
	}
	switch c.profileSection {
	case "core", "import", "baseline", "restart", "ingest", "cached":
	default:
		return fmt.Errorf("-profile-section %q: must be core, import, baseline, restart, ingest or cached", c.profileSection)
	}
	if c.dir != "" {
		if entries, err := os.ReadDir(c.dir); err == nil && len(entries) > 0 {
			return fmt.Errorf("-dir %s is not empty: the bulk import needs a new index", c.dir)
		}
	}
	return nil
}

// run performs every section in order and returns the report. Failures
// (wrong answers, HTTP errors) are collected in Report.Failures; an error
// means a section could not run at all.
func run(ctx context.Context, c config, out io.Writer) (*Report, error) {
	pr := func(format string, args ...any) { fmt.Fprintf(out, format+"\n", args...) }
	r := &Report{
		Profiles: c.profiles, Vacancies: c.vacancies, Queries: c.queries, BaselineQueries: c.baselineQueries,
		Seed: c.seed, GOMAXPROCS: runtime.GOMAXPROCS(0), NumCPU: runtime.NumCPU(),
		GoVersion: runtime.Version(), Started: time.Now().UTC().Format(time.RFC3339),
		Failures: []string{},
	}
	pr("werkmatch benchmarks: %d profiles, %d vacancies, %d queries; %s, GOMAXPROCS=%d, NumCPU=%d",
		c.profiles, c.vacancies, c.queries, r.GoVersion, r.GOMAXPROCS, r.NumCPU)
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				r.Revision = s.Value
			}
		}
	}
	if r.Revision != "" {
		pr("code: revision %s", r.Revision)
	} else {
		pr("code: revision unknown (go run does not record it; go build -o bench ./benchmarks && ./bench ... does)")
	}

	loc := geo.New()
	if c.pc4File != "" {
		if err := loc.LoadGeoNamesFile(c.pc4File); err != nil {
			return nil, err
		}
	}
	src := newSource(c.seed, loc)
	q := matcher.Query{Limit: 20, Today: src.today}

	// 1. core memory and load
	pr("\n== core: load and memory ==")
	eng, mem := loadCore(src, loc, c.profiles, c.vacancies)
	r.Memory = mem
	pr("method: heap in use after runtime.GC, before and after UpsertProfiles of every profile (generated in chunks of %d and dropped) and Engine.Compact, then of every vacancy", loadChunk)
	pr("core bytes/profile %.0f (%.1f MiB for %d); bytes/vacancy %.0f; load %.1fs + %.1fs",
		mem.BytesPerProfile, mem.ProfilesHeapMiB, c.profiles, mem.BytesPerVacancy, mem.ProfileLoadS, mem.VacancyLoadS)

	// 2. core match series
	vq := queryVacancies(src, c.vacancies, c.queries)
	pq := queryProfiles(src, c.profiles, c.queries)
	pr("\n== core: ranking ==")
	pr("method: %d open vacancies (the first open one from every %d-th of the corpus, as ad-hoc MatchVacancy) and %d profiles (MatchProfile), limit 20;", len(vq), max(1, c.vacancies/len(vq)), len(pq))
	pr("        one core = runtime.GOMAXPROCS(1), queries one after another; all cores = GOMAXPROCS=%d, %d goroutines sharing the queries;", r.GOMAXPROCS, r.GOMAXPROCS)
	pr("        the engine has its default Workers (GOMAXPROCS at construction); under GOMAXPROCS(1) they share the one core")
	coreRes, coreDs, lat, err := seriesV2P(ctx, eng, vq, q, 1)
	if err != nil {
		return nil, err
	}
	// the profile gets its own, longer run of the same queries, so that it
	// holds enough samples (and the timed series is not profiled)
	stopProf, err := c.profile("core")
	if err != nil {
		return nil, err
	}
	if c.cpuProfile != "" && c.profileSection == "core" {
		withProcs(1, func() {
			for i, t := 0, time.Now(); time.Since(t) < 15*time.Second; i++ {
				_, _ = eng.MatchVacancy(ctx, vq[i%len(vq)], q)
			}
		})
	}
	stopProf()
	r.CoreV2P1 = lat
	pr("vacancy->profiles, one core:  %s", lat)
	r.CoreV2PSlowest = slowest(vq, coreRes, coreDs, 3)
	for _, s := range r.CoreV2PSlowest {
		pr("  slow: %s %.3f ms (open hiring %v, considered %d, scored %d)", s.ID, s.Ms, s.OpenHiring, s.Considered, s.Scored)
	}
	if _, _, r.CoreV2PAll, err = seriesV2P(ctx, eng, vq, q, r.GOMAXPROCS); err != nil {
		return nil, err
	}
	pr("vacancy->profiles, all cores: %s", r.CoreV2PAll)
	if r.CoreP2V1, err = seriesP2V(ctx, eng, pq, q, 1); err != nil {
		return nil, err
	}
	pr("profile->vacancies, one core:  %s", r.CoreP2V1)
	if r.CoreP2VAll, err = seriesP2V(ctx, eng, pq, q, r.GOMAXPROCS); err != nil {
		return nil, err
	}
	pr("profile->vacancies, all cores: %s", r.CoreP2VAll)
	var scored float64
	for _, res := range coreRes {
		scored += float64(res.Scored)
	}
	r.CoreMeanScored = scored / float64(len(coreRes))
	pr("mean candidates scored per vacancy query: %.0f", r.CoreMeanScored)

	// 3. bulk import
	dir := c.dir
	if dir == "" {
		d, err := os.MkdirTemp("", "werkmatch-bench-")
		if err != nil {
			return nil, err
		}
		tempDir.Store(&d)
		defer os.RemoveAll(d)
		dir = d
	}
	if fs := fsType(dir); fs != "" {
		pr("WARNING: %s is on %s: the durable-write figures (import, ingest, restart) measure memory, not a disk; give -dir on a disk", dir, fs)
	}
	pr("\n== bulk import ==")
	pr("method: index.PutProfiles / PutVacancies (durable, group-committed) from %d writers, %d documents per call, into a new index in %s", c.importWriters, c.importChunk, dir)
	stopProf, err = c.profile("import")
	if err != nil {
		return nil, err
	}
	ix, imp, err := bulkImport(ctx, dir, loc, src, c)
	stopProf()
	if err != nil {
		return nil, err
	}
	r.Import = imp
	pr("profiles: %d in %.1fs (%.0f/s); vacancies: %d in %.1fs (%.0f/s); on disk %.0f MiB",
		c.profiles, imp.ProfilesS, imp.ProfilesPerS, c.vacancies, imp.VacanciesS, imp.VacanciesPerS, imp.DiskMiB)

	// 4. Bleve baseline vs core
	pr("\n== Bleve baseline vs core (vacancy->profiles, one core) ==")
	maxR := float64(src.maxTravelKm) + 1
	pr("method: index.HardFilterProfiles (one Bleve conjunction: perspectief, geo distance <= %.0f km = the largest max_travel_km + 1, hours overlap, licences, load, available_from; unscored searcher) then engine.RankProfiles over the hits;", maxR)
	pr("        %d vacancies, GOMAXPROCS(1), core pass then (after a GC) baseline pass, a warm-up query each; top-20 (ids and scores) compared for every query", min(c.baselineQueries, len(vq)))
	if stopProf, err = c.profile("baseline"); err != nil {
		return nil, err
	}
	bl, err := baseline(ctx, ix, eng, vq[:min(c.baselineQueries, len(vq))], q, maxR)
	stopProf()
	if err != nil {
		return nil, err
	}
	r.Baseline = bl
	pr("baseline: %s; mean hits %.0f", bl.Baseline, bl.MeanHits)
	pr("core:     %s", bl.Core)
	pr("speed-up baseline/core: p50 %.1fx, p99 %.1fx; core/baseline time: p50 %.4f, p99 %.4f", bl.SpeedupP50, bl.SpeedupP99, ratio(1, bl.SpeedupP50), ratio(1, bl.SpeedupP99))
	pr("identical top-20: %d of %d queries", bl.Identical, bl.Compared)
	if bl.Identical != bl.Compared {
		r.Failures = append(r.Failures, fmt.Sprintf("top-20 differs between core and baseline in %d of %d queries (first: %s)", bl.Compared-bl.Identical, bl.Compared, bl.FirstMismatch))
	}

	// 5. restart to ready
	pr("\n== restart to ready ==")
	pr("method: Close the index, then Open it again and load every stored profile and vacancy into a new engine with Engine.Load (EachProfile/EachVacancy, UpsertProfiles/UpsertVacancies in chunks of %d) and Engine.Compact, as werkmatch serve does before it reports ready; the old engine is dropped first; the HTTP sections use the engine of the last restart", loadChunk)
	eng = nil
	runtime.GC()
	if stopProf, err = c.profile("restart"); err != nil {
		return nil, err
	}
	ix, eng, rs, err := restart(ctx, ix, dir, loc, src, src.tax)
	stopProf()
	if err != nil {
		return nil, err
	}
	r.Restart = rs
	pr("ready after %.1fs (open %.2fs, load %.1fs); %d profiles, %d vacancies", rs.ReadyS, rs.OpenS, rs.LoadS, rs.Profiles, rs.Vacancies)
	if rs.Profiles != c.profiles || rs.Vacancies != c.vacancies {
		r.Failures = append(r.Failures, fmt.Sprintf("restart loaded %d/%d, want %d/%d", rs.Profiles, rs.Vacancies, c.profiles, c.vacancies))
	}
	if c.memoRestart {
		eng = nil
		runtime.GC()
		ix, eng, rs, err = restart(ctx, ix, dir, loc, src, &memoTaxonomy{Taxonomy: src.tax})
		if err != nil {
			return nil, err
		}
		r.RestartMemo = &rs
		pr("diagnostic, not how serve wires it: the same restart with the taxonomy's label resolutions memoised per term:")
		pr("ready after %.1fs (open %.2fs, load %.1fs)", rs.ReadyS, rs.OpenS, rs.LoadS)
	}

	// 6. HTTP
	if !c.skipHTTP {
		pr("\n== HTTP (api.Server on loopback, in-process cache) ==")
		h, fails, err := httpSections(ctx, c, ix, eng, src, pr)
		if err != nil {
			return nil, err
		}
		r.HTTP = h
		r.Failures = append(r.Failures, fails...)
	}
	if err := ix.Close(); err != nil {
		return nil, err
	}

	r.Bars = bars(r)
	pr("\n== bars ==")
	for _, b := range r.Bars {
		met := "not met"
		if b.Met {
			met = "met"
		}
		pr("%-58s %-22s %-28s %s", b.Name, b.Bar, b.Value, met)
	}
	if c.profiles < 1000000 {
		pr("(bars are stated for 1,000,000 profiles and 500,000 vacancies; this run is smaller)")
	}
	r.Finished = time.Now().UTC().Format(time.RFC3339)
	return r, nil
}

// profile starts the CPU profile when section is the one asked for; the
// returned function stops it.
func (c config) profile(section string) (func(), error) {
	if c.cpuProfile == "" || c.profileSection != section {
		return func() {}, nil
	}
	f, err := os.Create(c.cpuProfile)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }, nil
}
