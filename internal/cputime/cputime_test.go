package cputime

import (
	"testing"
	"time"
)

// TestProcessGrows: busy work shows up as CPU time where it is measured.
func TestProcessGrows(t *testing.T) {
	if !Measured {
		if Process() != 0 {
			t.Fatal("Process is not 0 where CPU time is not measured")
		}
		return
	}
	t0 := Process()
	x := 0
	for start := time.Now(); time.Since(start) < 50*time.Millisecond; {
		x++
	}
	if d := Process() - t0; d < 10*time.Millisecond {
		t.Errorf("50 ms of busy work measured as %v of CPU (x=%d)", d, x)
	}
}
