// Package redistest finds or starts a Redis server for tests.
//
// URL returns REDIS_URL when it is set and reachable, else the URL of a
// throwaway redis-server started on a free loopback port (stopped when the
// test ends), else it skips the test, or fails it when
// WERKMATCH_REQUIRE_REDIS=1 (as in CI). Start always starts an own
// throwaway server that a fault test may stop, restart, pause and resume.
//
// Throwaway servers keep nothing on disk (--save "" --appendonly no). Tests
// sharing a server must use their own key prefix; never flush a shared one.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// RequireEnv is the environment variable that turns a skip for a missing
// Redis into a test failure.
const RequireEnv = "WERKMATCH_REQUIRE_REDIS"

const startTimeout = 5 * time.Second

// URL returns a Redis URL for the test; see the package doc.
func URL(t testing.TB) string {
	t.Helper()
	if u := os.Getenv("REDIS_URL"); u != "" {
		err := pingURL(u, time.Second)
		if err == nil {
			return u
		}
		t.Logf("redistest: REDIS_URL is set but unreachable (%v); trying a throwaway redis-server", err)
	}
	return Start(t).URL()
}

// Server is a throwaway redis-server owned by one test.
type Server struct {
	t    testing.TB
	bin  string
	dir  string
	port int

	mu     sync.Mutex
	cmd    *exec.Cmd
	done   chan struct{} // closed when cmd has been reaped
	paused bool
}

// Start starts a throwaway redis-server on a free loopback port, stopped in
// t.Cleanup. It skips (or fails under WERKMATCH_REQUIRE_REDIS=1) when no
// redis-server binary is on PATH.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		missing(t, "no redis-server binary on PATH and REDIS_URL is unset or unreachable; install redis-server or set REDIS_URL=redis://host:port/db to run the Redis tests")
	}
	s := &Server{t: t, bin: bin, dir: t.TempDir()}
	var lastErr error
	for range 5 { // a free port can be taken between probe and bind
		s.port, lastErr = freePort()
		if lastErr != nil {
			continue
		}
		if lastErr = s.start(); lastErr == nil {
			t.Cleanup(s.stop)
			return s
		}
	}
	t.Fatalf("redistest: cannot start redis-server: %v", lastErr)
	return nil
}

func missing(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("redistest: %s (%s=1)", msg, RequireEnv)
	}
	t.Skipf("redistest: %s", msg)
}

// Addr is host:port of the server.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// URL is the redis:// URL of the server.
func (s *Server) URL() string { return "redis://" + s.Addr() + "/0" }

// Stop kills the server (as a crash would: no shutdown save). Stopping a
// stopped server does nothing.
func (s *Server) Stop() {
	s.t.Helper()
	s.stop()
}

// Start restarts a stopped server on the same port, with an empty data set.
func (s *Server) Start() {
	s.t.Helper()
	s.mu.Lock()
	running := s.cmd != nil
	s.mu.Unlock()
	if running {
		return
	}
	var err error
	for range 20 { // the old socket may linger briefly
		if err = s.start(); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("redistest: cannot restart redis-server on port %d: %v", s.port, err)
}

// Pause freezes the server (SIGSTOP): connections stay open but nothing is
// answered, as with a Redis that hangs. Resume undoes it.
func (s *Server) Pause() { s.signal(syscall.SIGSTOP, true) }

// Resume continues a paused server (SIGCONT).
func (s *Server) Resume() { s.signal(syscall.SIGCONT, false) }

func (s *Server) signal(sig syscall.Signal, paused bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(sig)
	s.paused = paused
}

func (s *Server) start() error {
	cmd := exec.Command(s.bin,
		"--port", strconv.Itoa(s.port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", s.dir,
		"--logfile", "",
		"--loglevel", "warning",
		"--daemonize", "no",
	)
	// Die with the test binary even if it is killed before cleanup runs.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	deadline := time.Now().Add(startTimeout)
	for ping(s.Addr(), 200*time.Millisecond) != nil {
		select {
		case <-done:
			return fmt.Errorf("redis-server exited at start on port %d", s.port)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			return fmt.Errorf("redis-server on port %d not ready after %s", s.port, startTimeout)
		}
	}
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	return nil
}

func (s *Server) stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd, s.done = nil, nil
	if cmd != nil {
		if s.paused {
			_ = cmd.Process.Signal(syscall.SIGCONT)
			s.paused = false
		}
		_ = cmd.Process.Kill()
	}
	s.mu.Unlock()
	if done != nil {
		<-done
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// pingURL checks a redis:// URL with a raw PING (AUTH and SELECT are not
// needed to answer PING on most servers; a NOAUTH reply still proves the
// server is there).
func pingURL(raw string, timeout time.Duration) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	host := u.Host
	if host == "" {
		return fmt.Errorf("no host in REDIS_URL")
	}
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "6379")
	}
	return ping(host, timeout)
}

func ping(addr string, timeout time.Duration) error {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.HasPrefix(line, "+PONG") || strings.HasPrefix(line, "-NOAUTH") {
		return nil
	}
	return fmt.Errorf("unexpected PING reply")
}
