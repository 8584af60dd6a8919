package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestUsageListsCommands: the top-level usage names every subcommand with
// its one-line summary.
func TestUsageListsCommands(t *testing.T) {
	var buf bytes.Buffer
	usage(&buf)
	out := buf.String()
	for _, name := range []string{"gen", "healthcheck", "import", "serve"} {
		sc, ok := subcommands[name]
		if !ok {
			t.Fatalf("subcommand %s is not registered", name)
		}
		if strings.TrimSpace(sc.summary) == "" {
			t.Errorf("subcommand %s has no summary", name)
		}
		if !strings.Contains(out, name) || !strings.Contains(out, sc.summary) {
			t.Errorf("usage does not list %s with its summary:\n%s", name, out)
		}
	}
}
