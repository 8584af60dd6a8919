//go:build linux

package taxonomy

import (
	"runtime"
	"sort"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// threadCPU returns the CPU time the calling OS thread has used
// (CLOCK_THREAD_CPUTIME_ID), so that latency can be told apart from time
// spent waiting for a core on a loaded machine.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTime = 3
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}

// BenchmarkSearchOccupationsCPU reports the p50/p99 of on-CPU time per
// query on the full ESCO occupation set, next to wall-clock p99.
func BenchmarkSearchOccupationsCPU(b *testing.B) {
	t := benchESCO(b)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu := make([]time.Duration, 0, b.N)
	wall := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0, w0 := threadCPU(), time.Now()
		t.SearchOccupations(benchQueries[i%len(benchQueries)], 10)
		cpu = append(cpu, threadCPU()-c0)
		wall = append(wall, time.Since(w0))
	}
	b.StopTimer()
	sort.Slice(cpu, func(i, j int) bool { return cpu[i] < cpu[j] })
	sort.Slice(wall, func(i, j int) bool { return wall[i] < wall[j] })
	b.ReportMetric(float64(cpu[len(cpu)/2].Microseconds()), "cpu-p50-µs")
	b.ReportMetric(float64(cpu[len(cpu)*99/100].Microseconds()), "cpu-p99-µs")
	b.ReportMetric(float64(wall[len(wall)*99/100].Microseconds()), "wall-p99-µs")
}
