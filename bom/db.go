package bom

import "github.com/ctoplan/ctoplan/kv"

// DB is the transactional, ordered key-value store a [Store] keeps its data
// in. An mrp.Store and the RPC server (package server) live in one too, and
// may share the BOM store's. Open one with [OpenDB] (on disk) or
// [NewMemoryDB]; close it after the stores that use it.
type DB = kv.DB

// DBOptions tune [OpenDB]: fsync on every commit, the memtable size (one
// transaction may hold about 15% of it: raise it for larger atomic
// imports), where Badger's warnings go, retries after a write conflict.
type DBOptions = kv.Options

// Errors of a [DB], for errors.Is.
var (
	// ErrDBLocked: another process has the directory open.
	ErrDBLocked = kv.ErrLocked
	// ErrDBClosed: the DB was closed.
	ErrDBClosed = kv.ErrClosed
	// ErrTxnTooBig: one import or change did not fit in a transaction;
	// nothing was written.
	ErrTxnTooBig = kv.ErrTxnTooBig
)

// OpenDB opens, creating it if needed, the persistent DB (Badger) in dir.
// When another process holds dir the error wraps [ErrDBLocked] and names
// it.
func OpenDB(dir string, opts DBOptions) (DB, error) {
	db, err := kv.OpenBadger(dir, opts)
	if err != nil {
		return nil, err
	}
	return db, nil
}

// NewMemoryDB returns an empty DB held in memory (an ordered B-tree), for
// tests and short-lived work.
func NewMemoryDB() DB { return kv.NewMemory() }
