//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package kv

// freeBytes cannot tell the free space here: the disk-space guard is off.
func freeBytes(string) (int64, bool, error) { return 0, false, nil }
