package mrp

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/ctoplan/ctoplan/internal/hugepage"
)

// hugeMinSize is the least plan memory [Planner.AdviseHugePages] advises
// (order lists, requirement lists and BOM links): below it they about fit
// the reach of the processor's address translation cache with ordinary
// pages.
var hugeMinSize uintptr = 16 << 20

var (
	// hugeMu runs one advice at a time: a plan reread twice in a row
	// would otherwise have two goroutines merging one heap
	hugeMu sync.Mutex
	// hugeStarted counts the advices started (for tests)
	hugeStarted atomic.Int64
)

// AdviseHugePages asks the operating system to back the plan's memory with
// huge pages (2 MB, on Linux: see internal/hugepage), for a planner kept
// for many changes and queries, such as a server's. Net change and supply
// trees read the orders of thousands of items scattered over hundreds of
// MB; with 4 KB pages most of those reads also miss the processor's
// address translation cache. On the 50,000-item default plant (runs
// alternated with and without) it took net change's p50 from 6.47 to
// 5.99 ms and a supply tree right after a change from 6.02 to 5.52 ms
// (docs/benchmarks.md).
//
// It finds where the plan's lists lie now, marks the heap mappings
// holding them for huge pages and merges them on a goroutine of its own
// (~0.1-1 s of system time for 300 MB, while the planner stays in use:
// the kernel copies pages under its feet), and sends how many bytes are
// on huge pages on the returned channel, which is then closed. Lists the
// plan makes later in those mappings get huge pages as they are first
// touched; mappings the heap grows into later do not: call it again after
// a rebuild.
// Resident memory grows a little: the kernel fills the unused 4 KB pages
// of each huge page (+5% on the 50k plant). A plan of less than 16 MB,
// or a system without transparent huge pages, sends 0 at once.
//
// Like a query, it must not run beside [Planner.Apply]; the merging it
// starts may.
func (p *Planner) AdviseHugePages() <-chan int64 {
	out := make(chan int64, 1)
	lo, hi, n := p.memSpan()
	if n < hugeMinSize || !hugepage.Supported() {
		out <- 0
		close(out)
		return out
	}
	hugeStarted.Add(1)
	go func() {
		// at the lowest priority: requests served meanwhile go first
		hugepage.Background()
		hugeMu.Lock()
		n := hugepage.Advise(lo, hi)
		hugeMu.Unlock()
		out <- n
		close(out)
	}()
	return out
}

// memSpan returns the lowest and highest address of the plan's order
// lists, requirement lists and BOM links (0, 0 for none), and their size.
func (p *Planner) memSpan() (lo, hi, size uintptr) {
	lo = ^uintptr(0)
	add := func(ptr unsafe.Pointer, n uintptr) {
		if ptr == nil || n == 0 {
			return
		}
		a := uintptr(ptr)
		lo, hi = min(lo, a), max(hi, a+n)
		size += n
	}
	if len(p.items) > 0 {
		add(unsafe.Pointer(&p.items[0]), uintptr(len(p.items))*unsafe.Sizeof(p.items[0]))
	}
	for i := range p.items {
		it := &p.items[i]
		add(unsafe.Pointer(unsafe.SliceData(it.due)), uintptr(cap(it.due))*4)
		add(unsafe.Pointer(unsafe.SliceData(it.qty)), uintptr(cap(it.qty))*8)
		add(unsafe.Pointer(unsafe.SliceData(it.gd)), uintptr(cap(it.gd))*4)
		add(unsafe.Pointer(unsafe.SliceData(it.gq)), uintptr(cap(it.gq))*8)
		add(unsafe.Pointer(unsafe.SliceData(it.comps)), uintptr(cap(it.comps))*unsafe.Sizeof(edge{}))
		add(unsafe.Pointer(unsafe.SliceData(it.parents)), uintptr(cap(it.parents))*unsafe.Sizeof(edge{}))
	}
	if hi == 0 {
		return 0, 0, 0
	}
	return lo, hi, size
}
