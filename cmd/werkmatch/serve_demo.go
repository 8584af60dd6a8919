package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/werkmatch/werkmatch/api"
	"github.com/werkmatch/werkmatch/corpus"
	"github.com/werkmatch/werkmatch/index"
	"github.com/werkmatch/werkmatch/matcher"
	"github.com/werkmatch/werkmatch/taxonomy"
)

// demoOwned is the number of demo vacancies owned by demo-employer-a and
// demo-employer-b (alternating), out of --demo-vacancies.
const demoOwned = 40

// generateDemo writes a deterministic demo corpus into an empty store:
// --demo-profiles profiles and --demo-vacancies vacancies, demoOwned of
// them owned by the two demo employers. Dates are relative to today, so
// that availability and closing dates make sense on the day it is made.
func generateDemo(ctx context.Context, cfg *serveConfig, log *slog.Logger, ix *index.Index, tax *taxonomy.Taxonomy) error {
	t0 := time.Now()
	g := corpus.New(corpus.Options{Seed: 1, Taxonomy: tax, Today: time.Now().UTC()})
	owned := min(demoOwned, cfg.demoVacancies)
	log.Info("demo: generating a demo corpus into the empty data dir",
		"profiles", cfg.demoProfiles, "vacancies", cfg.demoVacancies, "demo_employer_vacancies", owned)
	const batch = 1000
	prog := newProgress(log, "demo: writing profiles", cfg.demoProfiles)
	ps := make([]*matcher.Profile, 0, batch)
	for i := range cfg.demoProfiles {
		ps = append(ps, g.Profile(i))
		if len(ps) == batch || i == cfg.demoProfiles-1 {
			if err := ix.PutProfiles(ctx, ps); err != nil {
				return err
			}
			prog.add(len(ps))
			ps = ps[:0]
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	var vs []*matcher.Vacancy
	for i := range owned {
		vs = append(vs, g.DemoVacancy(i))
	}
	for i := range cfg.demoVacancies - owned {
		vs = append(vs, g.Vacancy(i))
	}
	for len(vs) > 0 {
		n := min(batch, len(vs))
		if err := ix.PutVacancies(ctx, vs[:n]); err != nil {
			return err
		}
		vs = vs[n:]
	}
	log.Info("demo: corpus written", "profiles", cfg.demoProfiles, "vacancies", cfg.demoVacancies,
		"took", time.Since(t0).Round(time.Millisecond).String())
	return nil
}

// printDemoKeys tells the user the demo keys and one request to try.
func printDemoKeys(out io.Writer, addr string) {
	host := addr
	if h, port, err := net.SplitHostPort(addr); err == nil && (h == "" || h == "::" || h == "0.0.0.0") {
		host = "localhost:" + port
	}
	fmt.Fprintf(out, `
werkmatch demo mode: these fixed keys are accepted (never outside --demo):
  %-22s ingest: PUT/DELETE /v1/profiles/{id}, POST /v1/profiles/_bulk
  %-22s accountmanager, all regions: profiles, matches, search
  %-22s employer %s: its own vacancies (demo-v0000, demo-v0002, ...)
  %-22s employer %s: its own vacancies (demo-v0001, demo-v0003, ...)
  %-22s admin: everything
try:
  curl -H 'Authorization: Bearer %s' 'http://%s/v1/vacancies/demo-v0000/matches?limit=5'

`, api.DemoIngest, api.DemoAccountmanager, api.DemoEmployerA, corpus.DemoEmployerA, api.DemoEmployerB, corpus.DemoEmployerB, api.DemoAdmin, api.DemoEmployerA, host)
}
