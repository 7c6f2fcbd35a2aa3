//go:build !unix

package server_test

import "time"

// cpuTime is not measured here: cpu-ms/call reads 0.
func cpuTime() time.Duration { return 0 }
