//go:build !unix

package benchmarks

import (
	"os"
	"time"
)

// cpuMeasured says whether cpuTime and childUsage measure anything here.
const cpuMeasured = false

// cpuTime is not measured here (see cpu_unix.go).
func cpuTime() time.Duration { return 0 }

// childUsage is not measured here (see cpu_unix.go).
func childUsage(*os.ProcessState) (time.Duration, uint64) { return 0, 0 }
