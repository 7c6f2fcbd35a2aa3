//go:build !unix

package mrprun

import "time"

// cpuTime is 0 where getrusage is missing: the phases then give wall
// times only.
func cpuTime() time.Duration { return 0 }
