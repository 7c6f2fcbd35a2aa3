package etcd

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/ctoplan/ctoplan/kv"
)

// The big-commit protocol: an Update whose writes do not fit one etcd Txn
// (MaxTxnOps, MaxRequestBytes) commits in several, and no reader sees it
// half done. See the package documentation for the argument.
//
//  1. stage:  Put P+"s/ID/NNNNNNNN" chunks holding the encoded writes, and
//     P+"m/alive/ID" bound to a lease the writer keeps alive;
//  2. lock:   one Txn: If(read guards, lock absent) Then(Put P+"m/lock" = ID);
//     the commit is decided here (or fails as a conflict, and the staging
//     is deleted);
//  3. apply:  Txns of at most MaxTxnOps-1 writes, each If(lock == ID);
//  4. unlock: Txn If(lock == ID) Then(Delete lock, DeleteRange staging).
//
// While the lock is held, readers read the revision before the lock (the
// state before the commit), and every other commit fails its lock guard and
// waits. A writer that dies after step 2 leaves a lock whose alive key
// expires with its lease: the next writer (or RunGC) finishes the commit
// from the staged chunks (steps 3 and 4 are idempotent).

// aliveTTL is the lease of a big commit's alive key, in seconds: a writer
// dead for longer is rolled forward by others.
const aliveTTL = 5

func (db *DB) lockKey() string              { return db.opts.Prefix + "m/lock" }
func (db *DB) aliveKey(id string) string    { return db.opts.Prefix + "m/alive/" + id }
func (db *DB) stagePrefix(id string) string { return db.opts.Prefix + "s/" + id + "/" }

// testAfterLock, when set by a test, runs after the lock is taken; an
// error makes commitBig return it at once, as a writer that died there.
var testAfterLock func() error

// rec is one write of a big commit: the etcd key and the stored value
// (tag byte first).
type rec struct{ k, v string }

// encodeChunks packs recs into chunks of at most limit bytes.
func encodeChunks(recs []rec, limit int) [][]byte {
	var out [][]byte
	var cur []byte
	for _, r := range recs {
		n := len(r.k) + len(r.v) + 2*binary.MaxVarintLen64
		if len(cur) > 0 && len(cur)+n > limit {
			out = append(out, cur)
			cur = nil
		}
		cur = binary.AppendUvarint(cur, uint64(len(r.k)))
		cur = append(cur, r.k...)
		cur = binary.AppendUvarint(cur, uint64(len(r.v)))
		cur = append(cur, r.v...)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func decodeChunk(b []byte) ([]rec, error) {
	var out []rec
	for len(b) > 0 {
		var r [2]string
		for i := range r {
			n, w := binary.Uvarint(b)
			if w <= 0 || uint64(len(b)-w) < n {
				return nil, fmt.Errorf("kv/etcd: damaged staging chunk")
			}
			r[i] = string(b[w : w+int(n)])
			b = b[w+int(n):]
		}
		out = append(out, rec{r[0], r[1]})
	}
	return out, nil
}

// call runs one etcd request under the request timeout.
func (db *DB) call(ctx context.Context, f func(context.Context) error) error {
	c, cancel := context.WithTimeout(ctx, db.opts.RequestTimeout)
	defer cancel()
	if err := f(c); err != nil {
		return db.mapErr(ctx, err)
	}
	return nil
}

// commitBig commits recs (sorted by key) guarded by cmps with the
// big-commit protocol.
func (db *DB) commitBig(ctx context.Context, recs []rec, cmps []clientv3.Cmp) (int64, error) {
	var raw [8]byte
	rand.Read(raw[:])
	id := hex.EncodeToString(raw[:])
	chunks := encodeChunks(recs, db.opts.MaxRequestBytes-8<<10)

	// 1. stage
	var lease *clientv3.LeaseGrantResponse
	if err := db.call(ctx, func(c context.Context) (err error) {
		lease, err = db.cli.Grant(c, aliveTTL)
		return err
	}); err != nil {
		return 0, err
	}
	kctx, stopKeepAlive := context.WithCancel(context.WithoutCancel(ctx))
	defer func() {
		stopKeepAlive()
		c, cancel := context.WithTimeout(context.Background(), db.opts.RequestTimeout)
		db.cli.Revoke(c, lease.ID) // best effort: the lease expires anyway
		cancel()
	}()
	ka, err := db.cli.KeepAlive(kctx, lease.ID)
	if err != nil {
		return 0, db.mapErr(ctx, err)
	}
	go func() {
		for range ka {
		}
	}()
	if err := db.call(ctx, func(c context.Context) error {
		_, err := db.cli.Put(c, db.aliveKey(id), "", clientv3.WithLease(lease.ID))
		return err
	}); err != nil {
		return 0, err
	}
	dropStaging := func() {
		c, cancel := context.WithTimeout(context.Background(), db.opts.RequestTimeout)
		db.cli.Delete(c, db.stagePrefix(id), clientv3.WithPrefix())
		cancel()
	}
	for i, ch := range chunks {
		if err := db.call(ctx, func(c context.Context) error {
			_, err := db.cli.Put(c, fmt.Sprintf("%s%08d", db.stagePrefix(id), i), string(ch))
			return err
		}); err != nil {
			dropStaging()
			return 0, err
		}
	}
	if err := ctx.Err(); err != nil {
		dropStaging()
		return 0, err
	}

	// 2. lock: the decision.
	var resp *clientv3.TxnResponse
	if err := db.call(ctx, func(c context.Context) (err error) {
		resp, err = db.cli.Txn(c).If(cmps...).Then(clientv3.OpPut(db.lockKey(), id)).Commit()
		return err
	}); err != nil {
		// Unknown outcome: if the lock is ours, another writer rolls it
		// forward once our lease expires; otherwise the staging is garbage
		// for RunGC.
		return 0, err
	}
	if !resp.Succeeded {
		dropStaging()
		return 0, kv.ErrConflict
	}
	if testAfterLock != nil {
		if err := testAfterLock(); err != nil {
			return 0, err // a writer that dies here: others finish
		}
	}
	// 3 and 4. From here the commit happens; use a context that the
	// caller's cancellation does not stop halfway.
	return db.finish(context.WithoutCancel(ctx), id, recs)
}

// finish applies the writes of the big commit id (recs, or read from its
// staging when nil) and releases the lock. It is idempotent and may run in
// several clients at once.
func (db *DB) finish(ctx context.Context, id string, recs []rec) (int64, error) {
	if recs == nil {
		var resp *clientv3.GetResponse
		if err := db.call(ctx, func(c context.Context) (err error) {
			resp, err = db.cli.Get(c, db.stagePrefix(id), clientv3.WithPrefix())
			return err
		}); err != nil {
			return 0, err
		}
		for _, p := range resp.Kvs {
			rs, err := decodeChunk(p.Value)
			if err != nil {
				return 0, err
			}
			recs = append(recs, rs...)
		}
	}
	owned := clientv3.Compare(clientv3.Value(db.lockKey()), "=", id)
	budget := db.opts.MaxRequestBytes - 8<<10
	for len(recs) > 0 {
		n, size := 0, 0
		for n < len(recs) && n < db.opts.MaxTxnOps-1 {
			s := len(recs[n].k) + len(recs[n].v) + opOverhead
			if n > 0 && size+s > budget {
				break
			}
			size += s
			n++
		}
		ops := make([]clientv3.Op, n)
		for i, r := range recs[:n] {
			ops[i] = clientv3.OpPut(r.k, r.v)
		}
		var resp *clientv3.TxnResponse
		if err := db.call(ctx, func(c context.Context) (err error) {
			resp, err = db.cli.Txn(c).If(owned).Then(ops...).Commit()
			return err
		}); err != nil {
			return 0, err
		}
		if !resp.Succeeded {
			return db.snapshotRev(ctx) // another client finished it
		}
		recs = recs[n:]
	}
	var resp *clientv3.TxnResponse
	if err := db.call(ctx, func(c context.Context) (err error) {
		resp, err = db.cli.Txn(c).If(owned).Then(
			clientv3.OpDelete(db.lockKey()),
			clientv3.OpDelete(db.stagePrefix(id), clientv3.WithPrefix()),
		).Commit()
		return err
	}); err != nil {
		return 0, err
	}
	db.seen(resp.Header.Revision)
	return resp.Header.Revision, nil
}

func (db *DB) snapshotRev(ctx context.Context) (int64, error) {
	rev, _, err := db.snapshotLock(ctx)
	return rev, err
}

// waitUnlock returns once no big commit holds the lock, finishing the
// commit of a writer whose alive key expired; it gives up after
// LockWait with [kv.ErrConflict].
func (db *DB) waitUnlock(ctx context.Context) error {
	deadline := time.Now().Add(db.opts.LockWait)
	for {
		var resp *clientv3.TxnResponse
		if err := db.call(ctx, func(c context.Context) (err error) {
			resp, err = db.cli.Txn(c).Then(clientv3.OpGet(db.lockKey())).Commit()
			return err
		}); err != nil {
			return err
		}
		kvs := resp.Responses[0].GetResponseRange().GetKvs()
		if len(kvs) == 0 {
			return nil
		}
		id := string(kvs[0].Value)
		var alive *clientv3.GetResponse
		if err := db.call(ctx, func(c context.Context) (err error) {
			alive, err = db.cli.Get(c, db.aliveKey(id), clientv3.WithCountOnly())
			return err
		}); err != nil {
			return err
		}
		if alive.Count == 0 {
			if _, err := db.finish(ctx, id, nil); err != nil {
				return err
			}
			continue
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w: a big commit held the lock for %v", kv.ErrConflict, db.opts.LockWait)
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// dropOrphanStaging deletes the staging of big commits whose writer's
// alive key is gone and that do not hold the lock (they died before step 2,
// or their lock Txn failed and the cleanup did not run).
func (db *DB) dropOrphanStaging(ctx context.Context) error {
	pre := db.opts.Prefix + "s/"
	var resp *clientv3.GetResponse
	if err := db.call(ctx, func(c context.Context) (err error) {
		resp, err = db.cli.Get(c, pre, clientv3.WithPrefix(), clientv3.WithKeysOnly())
		return err
	}); err != nil {
		return err
	}
	ids := map[string]bool{}
	for _, p := range resp.Kvs {
		rest := string(p.Key[len(pre):])
		if i := strings.IndexByte(rest, '/'); i > 0 {
			ids[rest[:i]] = true
		}
	}
	for id := range ids {
		// Delete only if, in one Txn, neither the alive key nor any lock
		// exists (a lock naming id must be finished first: waitUnlock).
		if err := db.call(ctx, func(c context.Context) error {
			_, err := db.cli.Txn(c).If(
				clientv3.Compare(clientv3.CreateRevision(db.aliveKey(id)), "=", 0),
				clientv3.Compare(clientv3.CreateRevision(db.lockKey()), "=", 0),
			).Then(clientv3.OpDelete(db.stagePrefix(id), clientv3.WithPrefix())).Commit()
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}
