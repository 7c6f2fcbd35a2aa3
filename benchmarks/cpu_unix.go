//go:build unix

package benchmarks

import (
	"os"
	"runtime"
	"syscall"
	"time"
)

// cpuMeasured says whether cpuTime and childUsage measure anything here.
const cpuMeasured = true

// cpuTime is the CPU time (user + system) the process has used so far:
// on a loaded machine it says what an operation costs better than the
// wall-clock time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// childUsage is the CPU time (user + system) and peak resident memory of
// a child process that has ended.
func childUsage(ps *os.ProcessState) (time.Duration, uint64) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, 0
	}
	rss := uint64(ru.Maxrss)
	if runtime.GOOS != "darwin" {
		rss *= 1024 // kilobytes elsewhere
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), rss
}
