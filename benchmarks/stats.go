package main

import (
	"slices"
	"time"
)

// Latency summarises the durations of one measured series.
type Latency struct {
	N     int     `json:"n"`
	P50Ms float64 `json:"p50_ms"`
	P95Ms float64 `json:"p95_ms"`
	P99Ms float64 `json:"p99_ms"`
	MaxMs float64 `json:"max_ms"`
	QPS   float64 `json:"qps"` // completed operations per second of wall time
}

// summarise computes nearest-rank percentiles of ds; wall is the wall time
// the series took (for QPS).
func summarise(ds []time.Duration, wall time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	pct := func(p float64) float64 {
		i := int(p*float64(len(s))+0.999999) - 1
		i = max(0, min(i, len(s)-1))
		return ms(s[i])
	}
	l := Latency{N: len(s), P50Ms: pct(0.50), P95Ms: pct(0.95), P99Ms: pct(0.99), MaxMs: ms(s[len(s)-1])}
	if wall > 0 {
		l.QPS = float64(len(s)) / wall.Seconds()
	}
	return l
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
