//go:build unix

package benchmarks

import (
	"os"
	"runtime"
	"syscall"
	"time"

	"github.com/ctoplan/ctoplan/internal/cputime"
)

// cpuMeasured says whether cpuTime and childUsage measure anything here.
const cpuMeasured = true

// cpuTime is the process's CPU time so far (internal/cputime).
var cpuTime = cputime.Process

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
