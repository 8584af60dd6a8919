package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/werkmatch/werkmatch/taxonomy"
)

func init() {
	subcommands["import"] = subcommand{"import profiles or vacancies (NDJSON or CSV) into the data dir, or read an ESCO export", runImport}
}

const importUsage = `usage:
  werkmatch import profiles FILE [flags]    upsert profiles from NDJSON or CSV into the data dir
  werkmatch import vacancies FILE [flags]   the same for vacancies
  werkmatch import esco DIR                 load an ESCO CSV export and report what it holds

FILE is NDJSON (one JSON object per line, the API's document shape) or CSV
(a header row of the same field names; list fields separated by ';').
Every line is validated and checked for personal data; a bad line never
stops the import: it goes to FILE.rejects.ndjson with its line number and
field errors (never the value). Batches are durable before they count; an
interrupted import (Ctrl-C, crash) continues where it stopped when the same
command is run again. The server must not be running on the data dir.

flags:
`

// importConfig is what werkmatch import was asked to do.
type importConfig struct {
	kind, file      string
	data, pc4, esco string
	format, rejects string
	batch           int
	restart, quiet  bool
}

// parseImportArgs accepts flags before, between and after the positional
// arguments (werkmatch import profiles FILE --data DIR).
func parseImportArgs(args []string, stderr io.Writer) (*importConfig, error) {
	c := &importConfig{}
	fs := flag.NewFlagSet("werkmatch import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.data, "data", envOr(envName("data"), "./data"), "data directory (Bleve indexes), as for serve; env WERKMATCH_DATA")
	fs.StringVar(&c.pc4, "pc4", os.Getenv(envName("pc4")), "GeoNames postal-code file, as given to serve (geo points are indexed); env WERKMATCH_PC4")
	fs.StringVar(&c.esco, "esco", os.Getenv(envName("esco")), "ESCO CSV folder, as given to serve (synonyms are indexed); env WERKMATCH_ESCO")
	fs.StringVar(&c.format, "format", "", "ndjson or csv (default: from the file name; .csv is CSV, anything else NDJSON)")
	fs.StringVar(&c.rejects, "rejects", "", "reject file (default FILE.rejects.ndjson)")
	fs.IntVar(&c.batch, "batch", 1000, "documents per durable batch")
	fs.BoolVar(&c.restart, "restart", false, "ignore an earlier checkpoint of this file and import it from the start")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress bar")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), importUsage)
		fs.PrintDefaults()
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != 2 {
		fs.Usage()
		return nil, errors.New("want a kind (profiles, vacancies or esco) and a FILE or DIR")
	}
	c.kind, c.file = pos[0], pos[1]
	switch c.kind {
	case "profiles", "vacancies", "esco":
	default:
		fs.Usage()
		return nil, fmt.Errorf("unknown kind %q: want profiles, vacancies or esco", c.kind)
	}
	switch c.format {
	case "":
		c.format = "ndjson"
		if strings.HasSuffix(strings.ToLower(c.file), ".csv") {
			c.format = "csv"
		}
	case "ndjson", "jsonl", "csv":
	default:
		return nil, fmt.Errorf("-format %q: want ndjson or csv", c.format)
	}
	if c.format == "jsonl" {
		c.format = "ndjson"
	}
	if c.batch < 1 || c.batch > 100000 {
		return nil, errors.New("-batch must be between 1 and 100000")
	}
	if c.rejects == "" {
		c.rejects = c.file + ".rejects.ndjson"
	}
	return c, nil
}

func envOr(name, dflt string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return dflt
}

func runImport(ctx context.Context, args []string) error {
	c, err := parseImportArgs(args, os.Stderr)
	if err != nil {
		return err
	}
	if c.kind == "esco" {
		return importESCO(c.file, os.Stdout)
	}
	var progress io.Writer = os.Stderr
	if c.quiet {
		progress = nil
	}
	sum, err := importFile(ctx, c, progress, nil)
	if sum != nil {
		sum.print(os.Stdout, c)
	}
	if err == nil && sum.Interrupted {
		err = errors.New("interrupted before the end of the file")
	}
	return err
}

// importESCO loads an ESCO export the way serve --esco does (with the
// built-in vocabulary laid over it) and reports what it holds. Nothing is copied: serve reads the folder at start.
func importESCO(dir string, out io.Writer) error {
	t0 := time.Now()
	tax, err := taxonomy.LoadESCOWithBuiltin(dir)
	if err != nil {
		return err
	}
	occ, sk := tax.Stats()
	fmt.Fprintf(out, "ESCO export %s loaded in %s\n", dir, time.Since(t0).Round(time.Millisecond))
	fmt.Fprintf(out, "  occupations      %d\n  skills           %d\n  synonym sets     %d\n", occ, sk, len(tax.SynonymSets()))
	counts := tax.ImportCounts()
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fmt.Fprintf(out, "  %-30s %d\n", n, counts[n])
	}
	fmt.Fprintf(out, "Nothing was copied. Start the server with --esco %s (or WERKMATCH_ESCO) to use it;\n", dir)
	fmt.Fprintf(out, "give import the same --esco so that the indexed synonyms match.\n%s\n", taxonomy.Attribution)
	return nil
}
