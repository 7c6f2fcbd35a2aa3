//go:build !unix

// Package cputime reads the CPU time the process has used, the figure
// that says what an operation costs on a shared machine better than the
// wall clock. Benchmarks, tests and `mrp run`'s phase line share it.
package cputime

import "time"

// Measured says whether Process measures anything on this system: not
// here (no getrusage).
const Measured = false

// Process is 0 here: CPU time is not measured on this system.
func Process() time.Duration { return 0 }
