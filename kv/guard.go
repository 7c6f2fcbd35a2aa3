package kv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
)

// guard watches what Badger cannot: that the store's directory is still the
// one it opened, and that its file system has room for the next commit.
//
// Badger keeps its files open and memory-mapped, so a deleted directory
// goes unnoticed (commits succeed into unlinked files and are lost), and it
// writes its write-ahead log, tables and compactions through mmap into
// sparse files, so a full disk shows up as SIGBUS, not as an error. Both
// checks cost two stat calls and a statfs per commit.
type guard struct {
	dir      string
	manifest string      // its MANIFEST's path
	id       os.FileInfo // the directory at open
	readOnly bool
	lost     atomic.Bool

	reserve int64 // fixed part of the reserve; <0: no space check
	withLSM bool  // add the LSM tree's size to reserve
	db      *badger.DB
	freeFn  func(dir string) (int64, bool, error)
}

// numMemtables is how many memtables a store keeps (one taking writes, one
// being flushed).
const numMemtables = 2

func (g *guard) init(dir string, opts Options, db *badger.DB) error {
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	g.dir, g.id, g.db, g.readOnly = dir, fi, db, opts.ReadOnly
	g.manifest = filepath.Join(dir, badger.ManifestFilename)
	g.freeFn = freeBytes
	switch {
	case opts.DiskReserve < 0:
		g.reserve = -1
	case opts.DiskReserve > 0:
		g.reserve = opts.DiskReserve
	default:
		mt := opts.MemTableSize
		if mt <= 0 {
			mt = badger.DefaultOptions("").MemTableSize
		}
		// Every memtable flushed into a level-0 table, that compacted
		// again, and (withLSM) a compaction rewriting the whole tree: an
		// upper bound on what Badger may write between two commits.
		g.reserve, g.withLSM = 2*numMemtables*mt, true
	}
	return nil
}

// lostErr returns the error of a store whose directory vanished, or nil;
// it does not look at the file system.
func (g *guard) lostErr() error {
	if g.lost.Load() {
		return fmt.Errorf("%w (%w): %s was deleted or replaced while the store was open; restart on the directory, or restore a backup",
			ErrLost, ErrClosed, g.dir)
	}
	return nil
}

// check looks whether the directory and its MANIFEST are still there and
// the directory is the one opened; once they are not, the store stays lost.
func (g *guard) check() error {
	if err := g.lostErr(); err != nil {
		return err
	}
	fi, err := os.Stat(g.dir)
	if err == nil && os.SameFile(fi, g.id) {
		if _, err = os.Lstat(g.manifest); err == nil {
			return nil
		}
	}
	g.lost.Store(true)
	return g.lostErr()
}

// room fails with ErrDiskFull unless the file system keeps the reserve
// after a commit of n bytes (counted twice: write-ahead log and value log).
func (g *guard) room(n int64) error {
	if g.reserve < 0 {
		return nil
	}
	free, ok, err := g.freeFn(g.dir)
	if err != nil || !ok {
		return nil // unknown: the directory check reports a vanished store
	}
	need := g.reserve + 2*n
	if g.withLSM {
		need += g.lsmSize()
	}
	if free < need {
		why := "a reserve of 4 x the memtable plus the store's tables, for Badger's flushes and compactions"
		if !g.withLSM {
			why = "the reserve set by Options.DiskReserve, plus twice the commit"
		}
		return fmt.Errorf("%w: %s has %s free, a commit needs %s (%s); nothing was written: free space, move the store, or use a smaller memtable (--memtable-mb)",
			ErrDiskFull, g.dir, mib(free), mib(need), why)
	}
	return nil
}

// lsmSize is the size of the store's tables now.
func (g *guard) lsmSize() int64 {
	var n int64
	for _, l := range g.db.Levels() {
		n += l.Size
	}
	return n
}

func mib(n int64) string { return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20)) }

// errorsIsAny reports whether err matches one of targets.
func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
