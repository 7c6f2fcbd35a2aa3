package kv

import "context"

// DB is a transactional, ordered key-value store.
type DB interface {
	// View runs fn in a read-only transaction over a consistent snapshot.
	View(ctx context.Context, fn func(Txn) error) error
	// Update runs fn in a read-write transaction and commits its writes
	// atomically when fn returns nil; when fn returns an error nothing is
	// written and that error is returned. fn may run more than once (see the
	// package caveats).
	Update(ctx context.Context, fn func(Txn) error) error
	// Close releases the store; later calls return [ErrClosed]. Close waits
	// for running transactions to finish.
	Close() error
}

// Txn is one transaction. It is not safe for concurrent use and is valid only
// inside the function passed to View or Update.
type Txn interface {
	// Get returns a copy of the value stored under key, or [ErrNotFound].
	Get(key []byte) ([]byte, error)
	// Set stores val under key. Both slices are copied.
	Set(key, val []byte) error
	// Delete removes key; deleting a missing key is not an error.
	Delete(key []byte) error
	// Scan calls fn for every key in [start, end) in ascending byte order;
	// a nil end means no upper bound. The slices are valid only during the
	// call. fn returning [ErrStop] ends the scan with a nil error; any other
	// error ends it and is returned.
	Scan(start, end []byte, fn func(k, v []byte) error) error
}

// PrefixEnd returns the smallest key greater than every key that starts with
// prefix, or nil (no bound) when prefix is empty or all 0xff bytes. Use it as
// the end of a Scan over a prefix.
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// ScanPrefix calls fn for every key starting with prefix, in order.
func ScanPrefix(txn Txn, prefix []byte, fn func(k, v []byte) error) error {
	return txn.Scan(prefix, PrefixEnd(prefix), fn)
}

// RunGC reclaims space in stores that need it (Badger's value log) and does
// nothing for others. Servers call it periodically, e.g. every ten minutes.
func RunGC(db DB) error {
	if g, ok := db.(interface{ RunGC() error }); ok {
		return g.RunGC()
	}
	return nil
}

// Check reports whether db is usable: nil, or the error every transaction
// would fail with (a Badger store whose directory vanished: [ErrLost]).
// Stores that cannot fail that way always return nil until closed.
func Check(db DB) error {
	if c, ok := db.(interface{ Check() error }); ok {
		return c.Check()
	}
	return nil
}

// checkWrite is the precondition every implementation's Set and Delete
// share: an open, writable transaction and a non-empty key.
func checkWrite(done, update bool, key []byte) error {
	if done {
		return ErrTxnDone
	}
	if !update {
		return ErrReadOnly
	}
	if len(key) == 0 {
		return ErrEmptyKey
	}
	return nil
}
