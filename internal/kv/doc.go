// Package kv is ctoplan's small transactional key-value interface: the only
// thing the bom and mrp stores know about persistence.
//
// # Basics
//
// A [DB] runs read-only transactions with [DB.View] and read-write ones with
// [DB.Update]. Inside, a [Txn] gets, sets and deletes keys and scans an
// ordered half-open key range [start, end). A transaction sees a consistent
// snapshot plus its own writes; an Update commits all its writes or none.
//
// Two implementations come with the package:
//   - [OpenBadger]: an embedded, persistent store on Badger v4 (one process per
//     directory; a second opener gets [ErrLocked]).
//   - [NewMemory]: an in-memory store on a copy-on-write B-tree
//     (github.com/google/btree), for tests and embedding.
//
// Both pass the same conformance suite (package kvtest), which is also what a
// future distributed implementation (TiKV, FoundationDB) has to pass.
//
// [Backup] writes a consistent snapshot of any DB to a stream and [Restore]
// loads one; [RunGC] reclaims Badger's value-log space (a no-op elsewhere).
//
// # Caveats
//
//   - Update may call its function more than once when Badger reports a write
//     conflict ([ErrConflict] after the last retry): the function must have no
//     effects outside the transaction.
//   - Keys must be non-empty; Badger limits keys to 65,000 bytes.
//   - Byte slices passed to Scan's callback are valid only during the call;
//     copy them to keep them. Get returns a slice the caller owns.
//   - A Badger transaction is bounded in size (about 15% of the memtable
//     size, 64 MiB by default, i.e. about 9.6 MiB or ~100k entries). A larger
//     Update fails with [ErrTxnTooBig] and writes nothing; raise
//     [Options.MemTableSize] for bigger atomic imports.
//   - The memory store serialises writers (one Update at a time), so it never
//     reports a conflict; Badger runs them concurrently with optimistic
//     conflict detection.
package kv
