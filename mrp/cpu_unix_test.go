//go:build unix

package mrp_test

import (
	"syscall"
	"time"
)

// cpuTime is the process's user + system CPU time: benchmarks report it
// beside wall time because the benchmark machine is shared.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
