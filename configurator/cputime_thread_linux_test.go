//go:build linux

package configurator_test

import (
	"syscall"
	"time"
	"unsafe"
)

// threadCPU returns the CPU time the calling thread has used so far
// (CLOCK_THREAD_CPUTIME_ID), and true. The caller locks its goroutine to
// its thread. Unlike processCPU it leaves out the garbage collector's
// background workers and other goroutines: a pick on renault-medium takes
// 0.1-0.8 ms on its thread, while a GC cycle that runs beside it adds
// 1-2 ms of process CPU, which is what made that model's process-CPU p99
// (the second-slowest of 160 picks) swing between 0.5 and 3.4 ms.
func threadCPU() (time.Duration, bool) {
	var ts syscall.Timespec
	const clockThreadCPUTimeID = 3
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
