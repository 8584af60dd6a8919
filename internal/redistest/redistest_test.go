package redistest

import (
	"testing"
	"time"
)

func TestStartStopStart(t *testing.T) {
	s := Start(t)
	if err := ping(s.Addr(), time.Second); err != nil {
		t.Fatalf("fresh server: %v", err)
	}
	s.Stop()
	if err := ping(s.Addr(), 200*time.Millisecond); err == nil {
		t.Fatal("stopped server still answers")
	}
	s.Start()
	if err := ping(s.Addr(), time.Second); err != nil {
		t.Fatalf("restarted server: %v", err)
	}
	s.Pause()
	if err := ping(s.Addr(), 100*time.Millisecond); err == nil {
		t.Fatal("paused server answers")
	}
	s.Resume()
	if err := ping(s.Addr(), time.Second); err != nil {
		t.Fatalf("resumed server: %v", err)
	}
}

func TestURL(t *testing.T) {
	u := URL(t)
	if err := pingURL(u, time.Second); err != nil {
		t.Fatalf("URL %q unreachable: %v", u, err)
	}
}
