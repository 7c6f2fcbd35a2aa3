package cputime

import (
	"syscall"
	"time"
)

// ThreadMeasured says whether Thread measures anything on this system.
const ThreadMeasured = true

// rusageThread is RUSAGE_THREAD (linux/include/uapi/linux/resource.h),
// which package syscall does not name.
const rusageThread = 1

// Thread is the CPU time (user + system) the calling OS thread has used
// so far, or 0 when getrusage fails. It means something only in a
// goroutine locked to its thread (runtime.LockOSThread): it is the CPU
// time of what that goroutine ran, not of the goroutines it waits for.
func Thread() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
