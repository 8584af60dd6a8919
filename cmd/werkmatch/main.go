// Command werkmatch is the werkmatch server and its tools. Subcommands
// register themselves, with a one-line summary for the usage text, in
// subcommands (serve in serve.go, the others in their own files), so that
// adding one never touches this file.
//
//	werkmatch serve [flags]     run the HTTP API (see werkmatch serve -h)
//	werkmatch gen [flags]       write a synthetic corpus as NDJSON
//	werkmatch import ...        import profiles, vacancies or ESCO
//	werkmatch healthcheck       exit 0 when a running server answers /healthz
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"syscall"
	_ "time/tzdata" // "today" is the Dutch date, also where the system has no zone data
)

// subcommand is one command of werkmatch: what it does, in one line for
// the usage text, and its entry point. ctx is cancelled on SIGINT or
// SIGTERM. run returns flag.ErrHelp after printing its own usage.
type subcommand struct {
	summary string
	run     func(ctx context.Context, args []string) error
}

// subcommands maps a subcommand name to its subcommand.
var subcommands = map[string]subcommand{}

func usage(w io.Writer) {
	names := make([]string, 0, len(subcommands))
	for n := range subcommands {
		names = append(names, n)
	}
	slices.Sort(names)
	fmt.Fprintf(w, "usage: werkmatch <command> [flags]\n\ncommands:\n")
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, subcommands[n].summary)
	}
	fmt.Fprintf(w, "\nwerkmatch <command> -h shows the flags of a command.\n")
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(os.Stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := subcommands[args[0]]
	if !ok {
		fmt.Fprintf(os.Stderr, "werkmatch: unknown command %q\n\n", args[0])
		usage(os.Stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// SIGHUP reloads nothing (the keys file is read at start only), and by
	// default it would kill the process without draining requests.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for range hup {
			slog.Warn("SIGHUP ignored: werkmatch reloads nothing; restart it (SIGTERM) to read the keys file again")
		}
	}()
	if err := cmd.run(ctx, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(os.Stderr, "werkmatch %s: %v\n", args[0], err)
		return 1
	}
	return 0
}
