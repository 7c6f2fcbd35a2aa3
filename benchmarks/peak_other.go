//go:build !linux

package benchmarks

// watchChildPeak has no per-process high-water mark to read here; the
// child's rusage (childUsage) is used instead.
func watchChildPeak(int) (stop func() uint64) { return func() uint64 { return 0 } }
