// Package kv is ctoplan's small transactional key-value interface: the only
// thing the bom and mrp stores know about persistence. It is public so that an
// embedder can pass its own [DB] (a wrapper that adds metrics, or another
// engine that passes package kvtest) to bom, mrp and server, and can reach
// [RunGC], [Backup], [Restore] and the error values such as [ErrConflict].
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
// Both pass the same conformance suite (package kvtest), and so does the
// etcd implementation in package kv/etcd (a replicated store; see
// docs/deploy.md), which is also what a future TiKV or FoundationDB one
// has to pass.
//
// [Backup] writes a consistent snapshot of any DB to a stream and [Restore]
// loads one; [RunGC] reclaims Badger's value-log space (a no-op elsewhere);
// [Verify] checks a Badger directory end to end; [Check] tells a health
// check whether a store still works. An [Overlay] keeps the writes of many
// transactions in memory and commits them to its base in one.
//
// # Durability and faults
//
// [OpenBadger] checks a directory before Badger sees it and refuses a
// damaged one with [ErrCorrupt], changing nothing: a missing or unreadable
// MANIFEST, a table listed but missing, truncated, or with a block that
// fails its checksum. Reads verify block and value checksums. With
// [Options.SyncWrites] a commit returns after fsync. Each commit checks
// that the directory is still the one opened ([ErrLost] once it was
// deleted or replaced; the store then refuses everything) and that the
// file system keeps [Options.DiskReserve] free ([ErrDiskFull], nothing
// written): Badger writes through memory-mapped sparse files, where a full
// disk is a SIGBUS, not an error.
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
//     [Options.MemTableSize] for bigger atomic imports ([TxnLimit] says
//     what a memtable holds, [MemTableFor] what a transaction needs).
//   - Opening reads every table once to verify it (about 13 ms per MB of
//     tables on a loaded 2-core machine).
//   - The disk reserve is checked before each commit; another program that
//     fills the disk faster than the reserve can still crash the process in
//     a Badger flush or compaction (the files stay consistent; acknowledged
//     commits survive).
//   - A table damaged while the store is open: Get reports [ErrCorrupt] or,
//     where Badger's iterators swallow the checksum error, finds nothing;
//     a Scan may end early. No read returns a wrong value; the next open and
//     [Verify] report the damage.
//   - The memory store serialises writers (one Update at a time), so it never
//     reports a conflict; Badger runs first attempts concurrently with
//     optimistic conflict detection and a retry alone, so a retry cannot
//     lose to another writer of the same process.
//   - A function passed to Update must not call Update on the same store: a
//     Badger retry waiting to run alone would deadlock with it.
package kv
