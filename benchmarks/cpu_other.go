//go:build !unix

package benchmarks

import (
	"os"
	"time"

	"github.com/ctoplan/ctoplan/internal/cputime"
)

// cpuMeasured says whether cpuTime and childUsage measure anything here.
const cpuMeasured = false

// cpuTime is the process's CPU time so far (internal/cputime).
var cpuTime = cputime.Process

// childUsage is not measured here (see cpu_unix.go).
func childUsage(*os.ProcessState) (time.Duration, uint64) { return 0, 0 }
