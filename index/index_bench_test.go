package index

import (
	"context"
	"fmt"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/werkmatch/werkmatch/geo"
	"github.com/werkmatch/werkmatch/matcher"
)

func benchProfile(i int64) *matcher.Profile {
	return &matcher.Profile{
		ID: fmt.Sprintf("b%09d", i), Municipality: "0344", Postcode4: 3500 + int(i%100), MaxTravelKm: 20,
		DesiredOccupations: []string{"magazijnmedewerker"}, Skills: []string{"orderpicken", "heftruck rijden"},
		Branches: []string{"Logistiek"}, HoursMin: 16, HoursMax: 32, EducationLevel: "mbo2", DutchLevel: "B1",
		DrivingLicences: []string{"B"}, Perspectief: "werken", MaxPhysicalLoad: "heavy",
		Summary: "Ervaren orderpicker, werkt graag in ploegendienst in een distributiecentrum", RegisteredAt: "2024-05-01",
	}
}

// BenchmarkPut measures durable single-profile puts from concurrent
// writers (RunParallel with -cpu × parallelism goroutines). Each
// Put returns only after its batch is on disk. Reported: profiles/s and the
// mean commit (batch) latency.
//
//	go test ./index -run '^$' -bench Put -benchtime 2000x
func BenchmarkPut(b *testing.B) {
	{
		for _, par := range []int{1, 8, 32} {
			b.Run(fmt.Sprintf("default/writers=%dxCPU", par), func(b *testing.B) {
				var commits, commitNs, docs atomic.Int64
				ix, err := Open(b.TempDir(), Options{Locator: geo.New(),
					OnCommit: func(_ string, n int, d time.Duration) {
						commits.Add(1)
						docs.Add(int64(n))
						commitNs.Add(int64(d))
					}})
				if err != nil {
					b.Fatal(err)
				}
				defer ix.Close()
				var seq atomic.Int64
				ctx := context.Background()
				b.ReportAllocs()
				b.SetParallelism(par)
				b.ResetTimer()
				start := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if err := ix.PutProfiles(ctx, []*matcher.Profile{benchProfile(seq.Add(1))}); err != nil {
							b.Error(err)
							return
						}
					}
				})
				el := time.Since(start)
				b.StopTimer()
				b.ReportMetric(float64(b.N)/el.Seconds(), "profiles/s")
				if c := commits.Load(); c > 0 {
					b.ReportMetric(float64(commitNs.Load())/float64(c)/1e6, "ms/commit")
					b.ReportMetric(float64(docs.Load())/float64(c), "docs/commit")
				}
			})
		}
	}
}

// BenchmarkPutBulk measures durable puts of 2000-profile requests from 2
// concurrent writers (the bulk import path).
// cpu-µs/profile is the process's CPU time per profile: steadier than
// wall time on a shared machine.
func BenchmarkPutBulk(b *testing.B) {
	{
		b.Run("default", func(b *testing.B) {
			ix, err := Open(b.TempDir(), Options{Locator: geo.New()})
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			const per = 2000
			ctx := context.Background()
			var seq atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(1)
			b.ResetTimer()
			start, cpu0 := time.Now(), cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					ps := make([]*matcher.Profile, per)
					for i := range ps {
						ps[i] = benchProfile(seq.Add(1))
					}
					if err := ix.PutProfiles(ctx, ps); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N*per)/time.Since(start).Seconds(), "profiles/s")
			b.ReportMetric(float64(cpuTime()-cpu0)/1e3/float64(b.N*per), "cpu-µs/profile")
		})
	}
}

// cpuTime is the process's user+system CPU time: on a shared machine it
// is steadier than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
