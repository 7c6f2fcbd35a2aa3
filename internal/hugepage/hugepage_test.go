package hugepage

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// anonHuge returns the AnonHugePages of the mappings of /proc/self/smaps
// that overlap [lo, hi), in bytes, and whether the file could be read.
func anonHuge(t *testing.T, lo, hi uintptr) (int64, bool) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	var n int64
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		fs := strings.Fields(l)
		if len(fs) == 0 {
			continue
		}
		if a, b, ok := strings.Cut(fs[0], "-"); ok && !strings.HasSuffix(l, ":") && !strings.Contains(l, "kB") {
			x, err1 := strconv.ParseUint(a, 16, 64)
			y, err2 := strconv.ParseUint(b, 16, 64)
			in = err1 == nil && err2 == nil && uintptr(x) < hi && uintptr(y) > lo
			continue
		}
		if in && strings.HasPrefix(l, "AnonHugePages:") {
			kb, err := strconv.ParseInt(strings.Fields(l)[1], 10, 64)
			if err != nil {
				t.Fatalf("smaps: %q: %v", l, err)
			}
			n += kb << 10
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n, true
}

// TestAdvise: 64 MB of the heap, written with a pattern, advised: where
// huge pages are supported, what Advise reports is on huge pages
// afterwards (the kernel's own count in smaps), and the contents are
// those written; elsewhere Advise does nothing.
func TestAdvise(t *testing.T) {
	const n = 64 << 20
	buf := make([]uint64, n/8)
	for i := range buf {
		buf[i] = uint64(i) * 0x9e3779b97f4a7c15
	}
	lo := uintptr(unsafe.Pointer(&buf[0]))
	hi := lo + n
	before, _ := anonHuge(t, lo, hi)
	got := Advise(lo, hi)
	for i := range buf {
		if buf[i] != uint64(i)*0x9e3779b97f4a7c15 {
			t.Fatalf("word %d changed by Advise", i)
		}
	}
	if !Supported() {
		if got != 0 || Size() != 0 {
			t.Fatalf("Advise = %d, Size = %d where huge pages are not supported", got, Size())
		}
		return
	}
	if runtime.GOOS != "linux" {
		t.Fatalf("Supported on %s", runtime.GOOS)
	}
	hp := int64(Size())
	// the heap mapping the span lies in, whole: at least the span's 31
	// or 32 whole huge pages
	if got < n-2*hp {
		t.Fatalf("Advise put %d bytes on huge pages for a %d-byte span (huge page %d)", got, n, hp)
	}
	after, ok := anonHuge(t, lo, hi)
	if !ok {
		t.Fatal("no /proc/self/smaps on Linux")
	}
	if after-before < got-hp {
		t.Fatalf("smaps counts %d bytes of huge pages more after Advise, which reports %d", after-before, got)
	}
	runtime.KeepAlive(buf)
}

var text = "read-only data of the program, not heap"

// TestAdviseNotHeap: a reversed span, or one in the program's read-only
// data (a mapping of its file), is left alone.
func TestAdviseNotHeap(t *testing.T) {
	x := make([]byte, 64)
	lo := uintptr(unsafe.Pointer(&x[0]))
	if got := Advise(lo+64, lo); got != 0 {
		t.Fatalf("Advise of a reversed span = %d", got)
	}
	ro := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	if got := Advise(ro, ro+uintptr(len(text))); got != 0 {
		t.Fatalf("Advise of read-only data = %d", got)
	}
}
