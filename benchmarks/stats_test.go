package main

import (
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/matcher"
)

func TestSummariseNearestRank(t *testing.T) {
	ds := make([]time.Duration, 100)
	for i := range ds {
		ds[len(ds)-1-i] = time.Duration(i+1) * time.Millisecond // 100..1 ms, unsorted
	}
	l := summarise(ds, 2*time.Second)
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"p50", l.P50Ms, 50}, {"p95", l.P95Ms, 95}, {"p99", l.P99Ms, 99}, {"max", l.MaxMs, 100}, {"qps", l.QPS, 50}} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if l := summarise(nil, time.Second); l.N != 0 || l.P99Ms != 0 {
		t.Errorf("empty series: %+v", l)
	}
	if l := summarise([]time.Duration{3 * time.Millisecond}, 0); l.P50Ms != 3 || l.P99Ms != 3 || l.QPS != 0 {
		t.Errorf("one sample: %+v", l)
	}
}

func TestSameTop(t *testing.T) {
	r := func(ms ...matcher.Match) *matcher.MatchResult { return &matcher.MatchResult{Results: ms} }
	a := r(matcher.Match{ProfileID: "p1", Score: 0.9}, matcher.Match{ProfileID: "p2", Score: 0.8})
	for _, c := range []struct {
		name string
		b    *matcher.MatchResult
		same bool
	}{
		{"identical", r(matcher.Match{ProfileID: "p1", Score: 0.9}, matcher.Match{ProfileID: "p2", Score: 0.8}), true},
		{"order", r(matcher.Match{ProfileID: "p2", Score: 0.8}, matcher.Match{ProfileID: "p1", Score: 0.9}), false},
		{"score", r(matcher.Match{ProfileID: "p1", Score: 0.9}, matcher.Match{ProfileID: "p2", Score: 0.7}), false},
		{"length", r(matcher.Match{ProfileID: "p1", Score: 0.9}), false},
	} {
		if got := sameTop(a, c.b) == ""; got != c.same {
			t.Errorf("%s: same = %v, want %v (%q)", c.name, got, c.same, sameTop(a, c.b))
		}
	}
}

func TestBarsScaleSmallRuns(t *testing.T) {
	r := &Report{Profiles: 100000, Import: Import{ProfilesS: 40}, Restart: Restart{ReadyS: 5}}
	for _, b := range bars(r) {
		switch b.Name {
		case "bulk import of the profiles":
			if b.Met { // 40 s x10 = 400 s > 300 s
				t.Errorf("import judged met: %+v", b)
			}
		case "restart to ready":
			if !b.Met { // 5 s x10 = 50 s <= 60 s
				t.Errorf("restart judged not met: %+v", b)
			}
		}
	}
}
