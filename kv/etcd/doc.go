// Package etcd is a [kv.DB] on an etcd v3 cluster (go.etcd.io/etcd/client/v3),
// so that several ctoplan processes can share one replicated store. It
// passes the conformance suite (package kvtest) on a real 3-member cluster
// (package etcdtest starts one).
//
// # Basics
//
// [Open] connects and checks that a quorum answers; [ParseURL] reads the
// etcd://HOST:PORT[,HOST:PORT...][/PREFIX] form that `ctoplan serve --store`
// takes. Every key k of the DB is stored as PREFIX+"d"+k with a one-byte tag
// before its value ('v' a value, 't' a tombstone); PREFIX+"m/..." and
// PREFIX+"s/..." hold the protocol's own keys. [DB.Revision] is the highest
// etcd revision the DB has seen, [DB.UpdateRev] returns the revision of a
// commit, and [DB.Watch] follows the writes under a key prefix from a
// revision on: what a replica needs to apply changes in commit order.
//
// # Transactions
//
// [DB.View] reads one etcd revision R, fixed by a linearizable read when it
// starts (every Get and Scan is a range read WithRev(R); Scans page 512 keys
// at a time).
//
// [DB.Update] is optimistic. Its first read fixes the snapshot revision R
// the same way; the function's writes stay in memory (read-your-writes);
// every Get and Scan records the key range it read. The commit is one etcd
// Txn:
//
//	If(  CreateRevision(PREFIX+"m/lock") == 0           -- no big commit running
//	     ModRevision(PREFIX+"m/gc") < R+1               -- no tombstone removed since R
//	     ModRevision([start, end)) < R+1  for each read  -- nothing read has changed)
//	Then( Put(PREFIX+"d"+k, tag+value) for each write )
//
// A compare with a range end holds when every key in the range satisfies
// it, so "every mod revision in [start, end) is at most R" says that no key
// read was changed or created after the snapshot. A delete writes a
// tombstone instead of deleting the key, so it changes the range's mod
// revisions too: without tombstones a scan raced by a delete would commit
// on data that no longer exists. Point reads are ranges of one key. When
// there are more ranges than MaxTxnOps allows, adjacent ones are merged
// into covering ranges (more spurious conflicts, never a missed one). A
// failed compare reruns the function after a jittered backoff (1 ms
// doubling to 100 ms), Retries times (default 32), then returns
// [kv.ErrConflict]. [DB.RunGC] removes tombstones; each batch bumps
// PREFIX+"m/gc", which makes transactions that read before it retry once
// (removing a tombstone changes no value, but it does make a later delete
// of that key invisible to the range compare).
//
// # Big commits
//
// etcd refuses a Txn of more than --max-txn-ops operations (default 128) or
// --max-request-bytes (default 1.5 MiB). An Update whose writes do not fit
// commits in several Txns that no reader sees half done:
//
//  1. stage: the writes, encoded, into PREFIX+"s/ID/NNNNNNNN" chunks (not
//     data keys: invisible), and PREFIX+"m/alive/ID" under a 5 s lease the
//     writer keeps alive;
//  2. lock: one Txn with the guards above that puts PREFIX+"m/lock" = ID.
//     This is the decision: a failed guard is a conflict (the staging is
//     deleted and the function reruns);
//  3. apply: the writes in Txns of at most MaxTxnOps-1 operations, each
//     guarded by lock == ID;
//  4. unlock: one Txn, guarded by lock == ID, deletes the lock and the
//     staging; the Update returns its revision.
//
// While the lock exists, every snapshot (View and Update) is the revision
// just before the lock was created, so readers see the state before the
// commit until step 4 and the state after it from then on; every other
// commit fails its lock guard and waits for the unlock (at most LockWait,
// default 2 min) without using up its retries. A writer that dies after
// step 2 leaves the lock and its staging; once its lease expires, the next
// writer that meets the lock, or RunGC, finishes steps 3 and 4 from the
// staged chunks (both are idempotent). Staging of a writer that died before
// step 2 is deleted by RunGC. A single value larger than MaxRequestBytes
// less 8 KiB, or a commit larger than MaxCommitBytes (default 512 MiB),
// fails with [kv.ErrTxnTooBig] and writes nothing.
//
// In etcd's own watch a big commit is the lock's put, the data writes over
// several revisions, and the lock's delete; [DB.Watch] hands them over as
// one commit at the delete's revision.
//
// # Caveats
//
//   - Without a quorum (2 of 3 members down, or none reachable) every
//     request fails with [kv.ErrUnavailable] after RequestTimeout (default
//     5 s); the server maps it to Unavailable. For a commit the outcome is
//     then unknown: the lone member may have logged the write, and Raft can
//     still commit it once a quorum is back.
//   - Every transaction that reads costs one extra round trip (the
//     linearizable read that fixes its snapshot and checks the lock).
//   - A big commit stops all other writers of the same PREFIX for its
//     duration; readers are not blocked.
//   - etcd's history compaction (--auto-compaction-*) must keep the
//     revisions of running transactions: a View whose snapshot was
//     compacted fails with [kv.ErrConflict], an Update retries.
//   - etcd keeps all data in memory-mapped bbolt (--quota-backend-bytes,
//     2 GiB by default, 8 GiB suggested maximum); docs/deploy.md has the
//     sizing.
package etcd
