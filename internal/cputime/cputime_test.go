package cputime

import (
	"runtime"
	"testing"
	"time"
)

// TestProcessGrows: busy work shows up as CPU time where it is measured.
// It spins until 10 ms of CPU time are counted, failing only if that takes
// more than 20 s of wall time: on a busy machine (go test runs packages
// side by side) 50 ms of wall time may get only a few ms of CPU.
func TestProcessGrows(t *testing.T) {
	if !Measured {
		if Process() != 0 {
			t.Fatal("Process is not 0 where CPU time is not measured")
		}
		return
	}
	t0, start := Process(), time.Now()
	x := 0
	for Process()-t0 < 10*time.Millisecond {
		for range 100_000 {
			x++
		}
		if time.Since(start) > 20*time.Second {
			t.Fatalf("%v of busy work measured as %v of CPU (x=%d)", time.Since(start), Process()-t0, x)
		}
	}
}

// TestThreadOwnWork: a locked goroutine's thread time counts its own busy
// work and not that of another goroutine it waits for. Fixed work, not a
// fixed time, so that a busy machine only makes it slower.
func TestThreadOwnWork(t *testing.T) {
	if !ThreadMeasured {
		if Thread() != 0 {
			t.Fatal("Thread is not 0 where it is not measured")
		}
		return
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	spin := func() uint64 {
		x := uint64(1)
		for range 50_000_000 {
			x = x*6364136223846793005 + 1442695040888963407
		}
		return x
	}
	t0, p0 := Thread(), Process()
	x := spin()
	own, all := Thread()-t0, Process()-p0
	if own <= 0 || own < all*3/4 {
		t.Errorf("busy work on this thread measured as %v of its CPU, %v of the process's (x=%d)", own, all, x)
	}
	t1, p1 := Thread(), Process()
	done := make(chan uint64)
	go func() { done <- spin() }()
	x = <-done
	waited, other := Thread()-t1, Process()-p1
	if other <= 0 || waited > other/4 {
		t.Errorf("waiting for %v of another goroutine's work cost %v of this thread's CPU (x=%d)", other, waited, x)
	}
}
