//go:build !linux

package cputime

import "time"

// ThreadMeasured says whether Thread measures anything on this system:
// not here (no RUSAGE_THREAD).
const ThreadMeasured = false

// Thread is 0 here: a thread's CPU time is not measured on this system.
func Thread() time.Duration { return 0 }
