package kv

import "errors"

var (
	// ErrNotFound is returned by [Txn.Get] for a missing key.
	ErrNotFound = errors.New("kv: key not found")
	// ErrConflict is returned by [DB.Update] when a concurrent transaction
	// wrote what this one read, and retrying did not help.
	ErrConflict = errors.New("kv: transaction conflict")
	// ErrClosed is returned when the DB has been closed.
	ErrClosed = errors.New("kv: store closed")
	// ErrLocked is returned by [OpenBadger] when another process (or another
	// open DB in this process) holds the directory.
	ErrLocked = errors.New("kv: store directory is locked by another process")
	// ErrTxnTooBig is returned by [DB.Update] when a transaction exceeds the
	// store's size limit; nothing of it was written.
	ErrTxnTooBig = errors.New("kv: transaction too big")
	// ErrReadOnly is returned by Set and Delete inside [DB.View].
	ErrReadOnly = errors.New("kv: write in a read-only transaction")
	// ErrEmptyKey is returned for a nil or empty key.
	ErrEmptyKey = errors.New("kv: empty key")
	// ErrTxnDone is returned when a Txn is used after its function returned.
	ErrTxnDone = errors.New("kv: transaction already finished")
	// ErrBadBackup is returned by [Restore] for a stream that is not a
	// complete, intact backup.
	ErrBadBackup = errors.New("kv: bad backup stream")

	// ErrCorrupt is returned when a store's files are damaged: a missing
	// or unreadable MANIFEST, a truncated table, a checksum mismatch. The
	// store is not opened (or the read fails); restore it from a backup.
	ErrCorrupt = errors.New("kv: store is corrupt")
	// ErrLost is returned (together with [ErrClosed]) once the directory of
	// an open Badger store was deleted or replaced: the store refuses every
	// transaction, since what it wrote could no longer be found.
	ErrLost = errors.New("kv: store directory vanished")
	// ErrDiskFull is returned by [DB.Update] when the store's file system
	// has less free space than the store's reserve; nothing was written.
	ErrDiskFull = errors.New("kv: disk full")
	// ErrUnavailable is returned when a networked store (package kv/etcd)
	// cannot reach a quorum of its cluster within its request timeout. For
	// a commit the outcome is then unknown only if the cluster lost quorum
	// after accepting the request; read again before retrying.
	ErrUnavailable = errors.New("kv: store unavailable (no quorum reachable)")
	// ErrNoStore is returned by [OpenBadger] with [Options.MustExist] for a
	// directory that does not hold a store.
	ErrNoStore = errors.New("kv: no store in directory")

	// ErrStop, returned by a Scan callback, ends the scan early; Scan then
	// returns nil.
	ErrStop = errors.New("kv: stop scan")
)
