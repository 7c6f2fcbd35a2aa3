//go:build !windows && !plan9 && !js && !wasip1 && !aix

package kv

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockDir takes the lock Badger takes on a store directory (flock on the
// directory: exclusive, or shared for a read-only open) without waiting,
// so that preflight never reads the files of a store another process is
// writing (its compactions delete tables: that would look like damage).
// The caller releases it before Badger opens the directory.
func lockDir(dir string, readOnly bool) (release func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_EX | syscall.LOCK_NB
	if readOnly {
		how = syscall.LOCK_SH | syscall.LOCK_NB
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s (stop the other ctoplan process, or use another directory)", ErrLocked, dir)
		}
		return nil, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
