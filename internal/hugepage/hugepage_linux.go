package hugepage

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

var sizeOnce = sync.OnceValue(func() uintptr {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(b), "[never]") {
		return 0
	}
	if b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"); err == nil {
		if n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && n&(n-1) == 0 {
			return uintptr(n)
		}
	}
	return 2 << 20
})

func size() uintptr { return sizeOnce() }

func supported() bool { return size() != 0 }

func advise(lo, hi uintptr) int64 {
	if size() == 0 || lo >= hi {
		return 0
	}
	var n int64
	for _, m := range mappings(lo, hi) {
		n += adviseSpan(m[0], m[1])
	}
	return n
}

// mappings returns the process's anonymous, private, writable mappings
// that overlap [lo, hi), whole (the Go heap's mappings around a span of
// it: the rest of them is heap too, where the next allocations go), or
// [lo, hi) itself if /proc/self/maps cannot be read.
func mappings(lo, hi uintptr) [][2]uintptr {
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return [][2]uintptr{{lo, hi}}
	}
	var out [][2]uintptr
	for l := range strings.Lines(string(b)) {
		// "start-end perms offset dev inode [path]"
		fs := strings.Fields(l)
		if len(fs) != 5 || fs[1] != "rw-p" || fs[4] != "0" {
			continue
		}
		a, z, ok := strings.Cut(fs[0], "-")
		if !ok {
			continue
		}
		x, err1 := strconv.ParseUint(a, 16, 64)
		y, err2 := strconv.ParseUint(z, 16, 64)
		if err1 != nil || err2 != nil || uintptr(x) >= hi || uintptr(y) <= lo {
			continue
		}
		out = append(out, [2]uintptr{uintptr(x), uintptr(y)})
	}
	return out
}

// adviseSpan is advise of one mapping.
func adviseSpan(lo, hi uintptr) int64 {
	hp := size()
	lo = (lo + hp - 1) &^ (hp - 1)
	hi &^= hp - 1
	if lo >= hi {
		return 0
	}
	// the whole span at once: the kernel marks every mapping in it and
	// reports ENOMEM for the holes, which is expected
	_, _, _ = unix.Syscall(unix.SYS_MADVISE, lo, hi-lo, unix.MADV_HUGEPAGE)
	var n int64
	for a := lo; a < hi; a += hp {
		// one huge page at a time: a failure (a hole, no free huge page)
		// stops only its own
		if _, _, e := unix.Syscall(unix.SYS_MADVISE, a, hp, unix.MADV_COLLAPSE); e == 0 {
			n += int64(hp)
		}
	}
	return n
}

func background() bool {
	// never unlocked: the thread ends with the goroutine, and its
	// priority with it
	runtime.LockOSThread()
	return unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), 19) == nil
}
