package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

func init() {
	subcommands["healthcheck"] = subcommand{"ask a running server's /healthz; exit 0 on 200 (container health checks)", runHealthcheck}
}

// runHealthcheck asks a running werkmatch for /healthz and fails unless it
// answers 200. It exists for container health checks in images without
// curl or wget (the distroless image of the Dockerfile).
func runHealthcheck(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("werkmatch healthcheck", flag.ContinueOnError)
	url := fs.String("url", defaultHealthURL(os.Getenv(envName("addr"))), "health URL to ask (default from WERKMATCH_ADDR)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: werkmatch healthcheck [flags]\n\nExits 0 when the server answers 200 on /healthz, 1 otherwise.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", *url, resp.Status)
	}
	return nil
}

// defaultHealthURL turns a listen address (":8080", "0.0.0.0:9000",
// "[::]:8080", "10.0.0.5:8080") into a URL on the loopback interface
// where the listener is a wildcard.
func defaultHealthURL(addr string) string {
	if addr == "" {
		addr = ":8080"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://127.0.0.1:8080/healthz"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz"
}
