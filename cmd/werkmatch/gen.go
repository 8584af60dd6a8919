package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/werkmatch/werkmatch/corpus"
	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/taxonomy"
)

func init() {
	subcommands["gen"] = subcommand{"write a deterministic synthetic corpus (profiles and vacancies) as NDJSON", runGen}
}

// genConfig is what werkmatch gen was asked to write.
type genConfig struct {
	profiles, vacancies, demoVacancies int
	seed                               int64
	out, today, esco, pc4              string
	uris                               bool
}

func parseGenFlags(args []string, stderr io.Writer) (*genConfig, error) {
	c := &genConfig{}
	fs := flag.NewFlagSet("werkmatch gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.profiles, "profiles", 20000, "number of profiles (ids p0000000…)")
	fs.IntVar(&c.vacancies, "vacancies", 3000, "number of vacancies (ids v0000000…)")
	fs.IntVar(&c.demoVacancies, "demo-vacancies", 0, "also append this many vacancies of demo-employer-a/-b (ids demo-v0000…)")
	fs.Int64Var(&c.seed, "seed", 1, "random seed: the same seed, counts and -today give the same files")
	fs.StringVar(&c.out, "out", ".", "directory to write profiles.ndjson and vacancies.ndjson into")
	fs.StringVar(&c.today, "today", "", "reference date YYYY-MM-DD for availability, registration and closing dates (default: today, UTC)")
	fs.StringVar(&c.esco, "esco", "", "draw occupations and skills from this ESCO CSV folder instead of the built-in vocabulary")
	fs.StringVar(&c.pc4, "pc4", "", "GeoNames postal-code file (NL): draw postcodes and municipality codes from it instead of the built-in regions")
	fs.BoolVar(&c.uris, "uris", false, "write occupations and skills as taxonomy URIs instead of Dutch labels")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: werkmatch gen [flags]\n\nWrites a deterministic synthetic corpus as NDJSON: DIR/profiles.ndjson and DIR/vacancies.ndjson.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.profiles < 0 || c.vacancies < 0 || c.demoVacancies < 0 {
		return nil, errors.New("counts must not be negative")
	}
	if c.profiles > 9_999_999 || c.vacancies > 9_999_999 || c.demoVacancies > 9999 {
		return nil, errors.New("at most 9,999,999 profiles or vacancies and 9,999 demo vacancies")
	}
	return c, nil
}

func runGen(ctx context.Context, args []string) error {
	c, err := parseGenFlags(args, os.Stderr)
	if err != nil {
		return err
	}
	return gen(ctx, c, os.Stderr)
}

func gen(ctx context.Context, c *genConfig, out io.Writer) error {
	opts := corpus.Options{Seed: c.seed, URIs: c.uris}
	if c.today == "" {
		opts.Today = time.Now().UTC()
	} else {
		t, err := time.Parse("2006-01-02", c.today)
		if err != nil {
			return fmt.Errorf("-today: want YYYY-MM-DD: %w", err)
		}
		opts.Today = t
	}
	if c.esco != "" {
		tax, err := taxonomy.LoadESCOWithBuiltin(c.esco)
		if err != nil {
			return err
		}
		opts.Taxonomy = tax
	}
	if c.pc4 != "" {
		table := geo.New()
		if err := table.LoadGeoNamesFile(c.pc4); err != nil {
			return fmt.Errorf("-pc4: %w", err)
		}
		pcs, err := pc4List(c.pc4)
		if err != nil {
			return fmt.Errorf("-pc4: %w", err)
		}
		if len(pcs) == 0 {
			return fmt.Errorf("-pc4: %s holds no postcode area", c.pc4)
		}
		opts.PC4, opts.Municipality = pcs, table.Municipality
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	g := corpus.New(opts)
	fmt.Fprintf(out, "werkmatch gen: seed %d, today %s\n", c.seed, opts.Today.Format("2006-01-02"))

	profiles := filepath.Join(c.out, "profiles.ndjson")
	if err := writeFile(ctx, out, profiles, "profiles", c.profiles, func(w io.Writer) error {
		return corpus.WriteNDJSON(w, c.profiles, func(i int) any { return g.Profile(i) })
	}); err != nil {
		return err
	}
	vacancies := filepath.Join(c.out, "vacancies.ndjson")
	return writeFile(ctx, out, vacancies, "vacancies", c.vacancies+c.demoVacancies, func(w io.Writer) error {
		if err := corpus.WriteNDJSON(w, c.vacancies, func(i int) any { return g.Vacancy(i) }); err != nil {
			return err
		}
		return corpus.WriteNDJSON(w, c.demoVacancies, func(i int) any { return g.DemoVacancy(i) })
	})
}

// pc4List returns the distinct PC4 areas of a GeoNames postal-code file
// (the second tab-separated column), sorted.
func pc4List(path string) ([]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	seen := map[int]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.SplitN(sc.Text(), "\t", 3)
		if len(fields) < 2 {
			continue
		}
		code := strings.TrimSpace(fields[1])
		if len(code) > 4 {
			code = code[:4] // "1011 AB" forms
		}
		if n, err := strconv.Atoi(code); err == nil && n >= 1000 && n <= 9999 {
			seen[n] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	slices.Sort(out)
	return out, nil
}

// ctxWriter fails writes once ctx is done, so that Ctrl-C stops a long
// generation.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// writeFile writes to a temporary file beside path and renames it into
// place, so an interrupted run never leaves a truncated corpus behind.
func writeFile(ctx context.Context, out io.Writer, path, what string, n int, write func(io.Writer) error) error {
	t0 := time.Now()
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(ctxWriter{ctx, tmp}); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d := time.Since(t0)
	fmt.Fprintf(out, "wrote %d %s to %s in %s (%.0f/s)\n", n, what, path, d.Round(time.Millisecond), float64(n)/max(d.Seconds(), 1e-9))
	return nil
}
