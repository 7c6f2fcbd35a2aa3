package configurator_test

import (
	"time"

	"github.com/ctoplan/ctoplan/internal/cputime"
)

// processCPU returns the CPU time (user and system) the process has used
// so far, and whether it is measured here.
func processCPU() (time.Duration, bool) { return cputime.Process(), cputime.Measured }
