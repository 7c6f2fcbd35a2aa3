//go:build linux || darwin || freebsd || netbsd || openbsd

package kv

import "syscall"

// freeBytes is the space available to this (unprivileged) process on the
// file system that holds dir.
func freeBytes(dir string) (int64, bool, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, false, err
	}
	return int64(st.Bavail) * int64(st.Bsize), true, nil //nolint:unconvert // field types differ by OS
}
