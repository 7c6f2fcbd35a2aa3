// Package hugepage asks the operating system to back long-lived memory
// with huge pages (2 MB on x86-64 and arm64 Linux instead of 4 KB).
//
// A plan of tens of thousands of items keeps its orders in hundreds of MB
// of small lists, and net change and supply trees read them scattered:
// with 4 KB pages nearly every such read also misses the processor's
// address translation cache (a few MB of reach), and a page-table walk
// comes on top of the cache miss. Go's heap gets huge pages only where
// transparent huge pages are "always" on; under "madvise" (the default of
// Debian and Ubuntu) a program has to ask for them, which this package
// does for a given span of the heap.
package hugepage

// Supported reports whether [Advise] can do anything here: Linux with
// transparent huge pages not "never".
func Supported() bool { return supported() }

// Advise marks the anonymous private mappings that overlap [lo, hi) (the
// Go heap's, for a span of it), whole, for huge pages (future faults in
// them and the kernel's background merging take huge pages), then merges
// what is in them into huge pages now, one huge page at a time (Linux's
// MADV_COLLAPSE), and returns how many bytes are on huge pages then. Huge
// pages that cannot be merged (the kernel has none free) are skipped. It
// changes no memory's contents: the kernel copies pages under the
// process's feet, so the memory may be in use meanwhile. It takes system
// time (~0.1-1 s for 300 MB); callers run it on a goroutine of their own.
// Elsewhere than on Linux it does nothing and returns 0.
func Advise(lo, hi uintptr) int64 { return advise(lo, hi) }

// Size is the huge page size Advise works in (0 where it does nothing).
func Size() uintptr { return size() }

// Background gives the calling goroutine a thread of its own at the
// lowest CPU priority (Linux: nice 19 for that thread only) for the rest
// of the goroutine's life, which then ends the thread: Advise merges pages
// in the kernel on its caller's thread (seconds of CPU after a large
// plan's rebuild), and at the lowest priority the requests served beside
// it take the cores first. Call it first on a goroutine of its own that
// ends after its work. It reports whether the priority was lowered.
// Elsewhere than on Linux it does nothing and reports false.
func Background() bool { return background() }
