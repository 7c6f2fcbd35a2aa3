package hugepage_test

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ctoplan/ctoplan/internal/hugepage"
)

// TestBackground: a goroutine that calls Background runs on a thread of
// nice 19 from then on; the threads of other goroutines keep theirs.
func TestBackground(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	mine, err := unix.Getpriority(unix.PRIO_PROCESS, unix.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	type seen struct {
		ok        bool
		nice, tid int
		err       error
	}
	done := make(chan seen)
	go func() {
		var s seen
		s.ok = hugepage.Background()
		runtime.Gosched() // still on its thread
		s.tid = unix.Gettid()
		// the raw system call returns 20 - nice
		s.nice, s.err = unix.Getpriority(unix.PRIO_PROCESS, s.tid)
		done <- s
	}()
	s := <-done
	if s.err != nil {
		t.Fatal(s.err)
	}
	if !s.ok || 20-s.nice != 19 {
		t.Errorf("after Background: ok %v, nice %d (raw %d), want nice 19", s.ok, 20-s.nice, s.nice)
	}
	if after, err := unix.Getpriority(unix.PRIO_PROCESS, unix.Gettid()); err != nil || after != mine || s.tid == unix.Gettid() {
		t.Errorf("this goroutine's thread: priority %d -> %d (%v), threads %d and %d", mine, after, err, s.tid, unix.Gettid())
	}
}
