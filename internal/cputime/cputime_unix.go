//go:build unix

// Package cputime reads the CPU time the process has used, the figure
// that says what an operation costs on a shared machine better than the
// wall clock. Benchmarks, tests and `mrp run`'s phase line share it.
package cputime

import (
	"syscall"
	"time"
)

// Measured says whether Process measures anything on this system.
const Measured = true

// Process is the CPU time (user + system) the process has used so far,
// or 0 when getrusage fails.
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
