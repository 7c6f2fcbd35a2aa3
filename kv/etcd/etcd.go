package etcd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/ctoplan/ctoplan/kv"
)

// Options configure [Open]. The zero value of every field but Endpoints
// means its default.
type Options struct {
	// Endpoints are the client URLs of the cluster's members
	// ("127.0.0.1:2379" or "http://127.0.0.1:2379").
	Endpoints []string
	// Prefix is the namespace of this DB in the cluster: every key it
	// writes starts with it. It ends in "/". Default "ctoplan/".
	Prefix string
	// DialTimeout bounds connecting at Open. Default 5 s.
	DialTimeout time.Duration
	// RequestTimeout bounds each etcd request; past it the request fails
	// with [kv.ErrUnavailable]. Default 5 s.
	RequestTimeout time.Duration
	// MaxTxnOps and MaxRequestBytes must not exceed the cluster's
	// --max-txn-ops and --max-request-bytes (defaults 128 and 1.5 MiB,
	// which are the defaults here too). An Update with more writes or
	// bytes commits with the big-commit protocol (see the package
	// documentation); one value larger than MaxRequestBytes less 8 KiB
	// fails with [kv.ErrTxnTooBig] before anything is written.
	MaxTxnOps       int
	MaxRequestBytes int
	// MaxCommitBytes bounds one big commit (keys and values); a larger
	// Update fails with [kv.ErrTxnTooBig] and writes nothing. Default
	// 512 MiB.
	MaxCommitBytes int
	// LockWait bounds how long an Update waits for a big commit of
	// another writer to finish before it returns [kv.ErrConflict].
	// Default 2 minutes.
	LockWait time.Duration
	// Retries is how often Update reruns its function after a conflict
	// before it returns [kv.ErrConflict]. Default 32.
	Retries int
}

// DefaultOptions returns the defaults for endpoints.
func DefaultOptions(endpoints ...string) Options {
	return Options{
		Endpoints:       endpoints,
		Prefix:          "ctoplan/",
		DialTimeout:     5 * time.Second,
		RequestTimeout:  5 * time.Second,
		MaxTxnOps:       128,
		MaxRequestBytes: 1536 << 10,
		MaxCommitBytes:  512 << 20,
		LockWait:        2 * time.Minute,
		Retries:         32,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions(o.Endpoints...)
	if o.Prefix == "" {
		o.Prefix = d.Prefix
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = d.DialTimeout
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = d.RequestTimeout
	}
	if o.MaxTxnOps <= 0 {
		o.MaxTxnOps = d.MaxTxnOps
	}
	if o.MaxRequestBytes <= 0 {
		o.MaxRequestBytes = d.MaxRequestBytes
	}
	if o.MaxCommitBytes <= 0 {
		o.MaxCommitBytes = d.MaxCommitBytes
	}
	if o.LockWait <= 0 {
		o.LockWait = d.LockWait
	}
	if o.Retries <= 0 {
		o.Retries = d.Retries
	}
	return o
}

// Validate reports what is wrong with o (after defaults).
func (o Options) Validate() error {
	if len(o.Endpoints) == 0 {
		return errors.New("kv/etcd: no endpoints")
	}
	for _, e := range o.Endpoints {
		if strings.TrimSpace(e) == "" {
			return fmt.Errorf("kv/etcd: empty endpoint in %q", o.Endpoints)
		}
	}
	if !strings.HasSuffix(o.Prefix, "/") {
		// "a" would hold the keys of "ad/" as its own ("a"+"d"+...).
		return fmt.Errorf("kv/etcd: Prefix %q: want one ending in /", o.Prefix)
	}
	if o.MaxTxnOps < 3 {
		return fmt.Errorf("kv/etcd: MaxTxnOps %d: want at least 3", o.MaxTxnOps)
	}
	if o.MaxRequestBytes < 64<<10 {
		return fmt.Errorf("kv/etcd: MaxRequestBytes %d: want at least 64 KiB", o.MaxRequestBytes)
	}
	return nil
}

// DB is a [kv.DB] on an etcd cluster. It is safe for concurrent use.
type DB struct {
	opts Options
	cli  *clientv3.Client
	data string // Prefix + "d": every user key k is stored as data+k
	gc   string // Prefix + "m/gc": bumped by every tombstone removal
	rev  atomic.Int64

	mu     sync.RWMutex // held shared by transactions, exclusively by Close
	closed bool
}

// Value encoding: one tag byte, then the value. A deleted key keeps a
// tombstone until [DB.RunGC], so that a delete changes the key's mod
// revision like any write and the range compares of the commit protocol
// see it (see the package documentation).
const (
	tagLive = 'v'
	tagTomb = 't'
)

// Open connects to the cluster and checks that a quorum answers; an
// unreachable cluster is [kv.ErrUnavailable].
func Open(ctx context.Context, o Options) (*DB, error) {
	o = o.withDefaults()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:          o.Endpoints,
		DialTimeout:        o.DialTimeout,
		Logger:             zap.NewNop(),
		MaxCallSendMsgSize: max(o.MaxRequestBytes+64<<10, 2<<20),
		Context:            context.WithoutCancel(ctx),
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", kv.ErrUnavailable, strings.Join(o.Endpoints, ","), err)
	}
	db := &DB{opts: o, cli: cli, data: o.Prefix + "d", gc: o.Prefix + "m/gc"}
	if _, err := db.snapshot(ctx); err != nil {
		cli.Close()
		return nil, err
	}
	return db, nil
}

// Revision is the highest etcd revision this DB has seen: the revision of
// its last commit or snapshot.
func (db *DB) Revision() int64 { return db.rev.Load() }

func (db *DB) seen(rev int64) {
	for {
		cur := db.rev.Load()
		if rev <= cur || db.rev.CompareAndSwap(cur, rev) {
			return
		}
	}
}

func (db *DB) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	db.mu.RLock()
	if db.closed {
		db.mu.RUnlock()
		return kv.ErrClosed
	}
	return nil
}

// Close implements [kv.DB]: it waits for running transactions, then closes
// the client. Closing twice is not an error.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.closed {
		return nil
	}
	db.closed = true
	if err := db.cli.Close(); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("kv/etcd: closing client: %w", err)
	}
	return nil
}

// Check implements the health check of [kv.Check]: nil when a quorum
// answers a linearizable read.
func (db *DB) Check() error {
	if err := db.begin(context.Background()); err != nil {
		return err
	}
	defer db.mu.RUnlock()
	_, err := db.snapshot(context.Background())
	return err
}

// snapshot returns the revision transactions read: the current one, read
// with a linearizable (quorum) read, or while a big commit holds the lock,
// the one before the lock was taken (the state before that commit).
func (db *DB) snapshot(ctx context.Context) (int64, error) {
	rev, _, err := db.snapshotLock(ctx)
	return rev, err
}

func (db *DB) snapshotLock(ctx context.Context) (rev int64, locked bool, err error) {
	c, cancel := context.WithTimeout(ctx, db.opts.RequestTimeout)
	defer cancel()
	resp, err := db.cli.Get(c, db.lockKey())
	if err != nil {
		return 0, false, db.mapErr(ctx, err)
	}
	db.seen(resp.Header.Revision)
	if len(resp.Kvs) > 0 {
		return resp.Kvs[0].CreateRevision - 1, true, nil
	}
	return resp.Header.Revision, false, nil
}

// mapErr turns a client error into the kv error a caller can act on.
func (db *DB) mapErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	switch {
	case errors.Is(err, rpctypes.ErrTooManyOps), errors.Is(err, rpctypes.ErrRequestTooLarge):
		return fmt.Errorf("%w: etcd refused it: %v", kv.ErrTxnTooBig, err)
	case errors.Is(err, rpctypes.ErrCompacted):
		return fmt.Errorf("%w: snapshot compacted: %v", kv.ErrConflict, err)
	case errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, rpctypes.ErrNoLeader), errors.Is(err, rpctypes.ErrTimeout),
		errors.Is(err, rpctypes.ErrTimeoutDueToLeaderFail), errors.Is(err, rpctypes.ErrTimeoutDueToConnectionLost),
		errors.Is(err, rpctypes.ErrLeaderChanged), errors.Is(err, rpctypes.ErrNotCapable):
		return fmt.Errorf("%w: %s: %v", kv.ErrUnavailable, strings.Join(db.opts.Endpoints, ","), err)
	}
	if s, ok := status.FromError(err); ok {
		switch s.Code() {
		case codes.Unknown:
			// A request timeout can come back as an Unknown status that
			// only says so in its message.
			if strings.Contains(s.Message(), context.DeadlineExceeded.Error()) {
				return fmt.Errorf("%w: %s: %v", kv.ErrUnavailable, strings.Join(db.opts.Endpoints, ","), err)
			}
		case codes.Unavailable, codes.DeadlineExceeded:
			return fmt.Errorf("%w: %s: %v", kv.ErrUnavailable, strings.Join(db.opts.Endpoints, ","), err)
		case codes.ResourceExhausted:
			return fmt.Errorf("%w: %v", kv.ErrTxnTooBig, err)
		}
	}
	return fmt.Errorf("kv/etcd: %w", err)
}

// View implements [kv.DB]: fn reads one etcd revision, fixed when View
// starts (one quorum read).
func (db *DB) View(ctx context.Context, fn func(kv.Txn) error) error {
	if err := db.begin(ctx); err != nil {
		return err
	}
	defer db.mu.RUnlock()
	rev, err := db.snapshot(ctx)
	if err != nil {
		return err
	}
	t := &txn{db: db, ctx: ctx, rev: rev}
	defer func() { t.done = true }()
	return fn(t)
}

// Update implements [kv.DB] with optimistic concurrency (see the package
// documentation for the protocol).
func (db *DB) Update(ctx context.Context, fn func(kv.Txn) error) error {
	_, err := db.UpdateRev(ctx, fn)
	return err
}

// UpdateRev is [DB.Update] that also returns the etcd revision of the
// commit (the snapshot revision for an Update that wrote nothing): a
// replica that has applied that revision has seen the write.
func (db *DB) UpdateRev(ctx context.Context, fn func(kv.Txn) error) (int64, error) {
	if err := db.begin(ctx); err != nil {
		return 0, err
	}
	defer db.mu.RUnlock()
	backoff := time.Millisecond
	for attempt := 0; ; attempt++ {
		t := &txn{db: db, ctx: ctx, update: true, writes: map[string]write{}}
		err := fn(t)
		t.done = true
		if err == nil {
			if err = ctx.Err(); err != nil {
				return 0, err
			}
			var rev int64
			rev, err = t.commit()
			if err == nil {
				return rev, nil
			}
		}
		if !errors.Is(err, kv.ErrConflict) {
			return 0, err
		}
		// A big commit holds the lock: wait for it (not an attempt).
		if err := db.waitUnlock(ctx); err != nil {
			return 0, err
		}
		if attempt >= db.opts.Retries {
			return 0, fmt.Errorf("%w (after %d attempts)", err, attempt+1)
		}
		// Jittered exponential backoff, capped at 100 ms.
		sleep := time.Duration(rand.Int64N(int64(backoff))) + backoff/2
		backoff = min(2*backoff, 100*time.Millisecond)
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

type write struct {
	v   []byte
	del bool
}

// span is a key range [start, end) read by a transaction; end == nil is
// the end of the DB's data, point reads have end = start+"\x00".
type span struct{ start, end string }

type txn struct {
	db     *DB
	ctx    context.Context
	rev    int64 // snapshot revision; 0 until the first read of an Update
	update bool
	done   bool
	writes map[string]write
	reads  []span
}

var _ kv.Txn = (*txn)(nil)

func (t *txn) check() error {
	if t.done {
		return kv.ErrTxnDone
	}
	return nil
}

// get runs one range read at the snapshot, fixing the snapshot at the
// first read of an Update.
func (t *txn) get(key, end string, limit int64) (*clientv3.GetResponse, error) {
	if t.rev == 0 {
		rev, err := t.db.snapshot(t.ctx)
		if err != nil {
			return nil, err
		}
		t.rev = rev
	}
	c, cancel := context.WithTimeout(t.ctx, t.db.opts.RequestTimeout)
	defer cancel()
	ops := []clientv3.OpOption{clientv3.WithLimit(limit), clientv3.WithRev(t.rev)}
	if end != "" {
		ops = append(ops, clientv3.WithRange(end))
	}
	resp, err := t.db.cli.Get(c, key, ops...)
	if err != nil {
		return nil, t.db.mapErr(t.ctx, err)
	}
	return resp, nil
}

func (t *txn) Get(key []byte) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	if w, ok := t.writes[string(key)]; ok {
		if w.del {
			return nil, kv.ErrNotFound
		}
		return bytes.Clone(w.v), nil
	}
	if len(key) == 0 {
		return nil, kv.ErrNotFound
	}
	k := string(key)
	resp, err := t.get(t.db.data+k, "", 1)
	if err != nil {
		return nil, err
	}
	if t.update {
		t.reads = append(t.reads, span{k, k + "\x00"})
	}
	if len(resp.Kvs) == 0 {
		return nil, kv.ErrNotFound
	}
	v := resp.Kvs[0].Value
	if len(v) == 0 || v[0] != tagLive {
		return nil, kv.ErrNotFound
	}
	return bytes.Clone(v[1:]), nil
}

func (t *txn) checkWrite(key []byte) error {
	if t.done {
		return kv.ErrTxnDone
	}
	if !t.update {
		return kv.ErrReadOnly
	}
	if len(key) == 0 {
		return kv.ErrEmptyKey
	}
	return nil
}

func (t *txn) Set(key, val []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	t.writes[string(key)] = write{v: bytes.Clone(val)}
	return nil
}

func (t *txn) Delete(key []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	t.writes[string(key)] = write{del: true}
	return nil
}

// scanPage is how many keys one range request of a Scan fetches.
const scanPage = 512

func (t *txn) Scan(start, end []byte, fn func(k, v []byte) error) error {
	if err := t.check(); err != nil {
		return err
	}
	if end != nil && bytes.Compare(start, end) >= 0 {
		return nil
	}
	s := string(start)
	var e string
	if end != nil {
		e = string(end)
	}
	// The pending writes in range, as of now: writes made during the scan
	// are not visited.
	var pend []string
	for k := range t.writes {
		if k >= s && (end == nil || k < e) {
			pend = append(pend, k)
		}
	}
	slices.Sort(pend)
	if t.update {
		t.reads = append(t.reads, span{s, e})
	}
	rangeEnd := t.db.data + e
	if end == nil {
		rangeEnd = string(kv.PrefixEnd([]byte(t.db.data)))
	}
	from := t.db.data + s
	emit := func(k string, v []byte) error {
		err := fn([]byte(k), v)
		if errors.Is(err, kv.ErrStop) {
			return errStop
		}
		return err
	}
	more := true
	var page []*mvccpb.KeyValue
	for {
		if len(page) == 0 && more {
			resp, err := t.get(from, rangeEnd, scanPage)
			if err != nil {
				return err
			}
			page, more = resp.Kvs, resp.More
			if len(page) > 0 {
				from = string(page[len(page)-1].Key) + "\x00"
			}
		}
		if len(page) == 0 && len(pend) == 0 {
			return nil
		}
		var err error
		switch {
		case len(page) > 0 && (len(pend) == 0 || string(page[0].Key[len(t.db.data):]) < pend[0]):
			p := page[0]
			page = page[1:]
			if len(p.Value) > 0 && p.Value[0] == tagLive {
				err = emit(string(p.Key[len(t.db.data):]), p.Value[1:])
			}
		default:
			k := pend[0]
			pend = pend[1:]
			if len(page) > 0 && string(page[0].Key[len(t.db.data):]) == k {
				page = page[1:] // overridden by the pending write
			}
			if w := t.writes[k]; !w.del {
				err = emit(k, w.v)
			}
		}
		if err == errStop {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

var errStop = errors.New("stop")

// commit writes t's writes in one etcd Txn guarded by its reads (a failed
// guard is [kv.ErrConflict]), or with the big-commit protocol when they do
// not fit one.
func (t *txn) commit() (int64, error) {
	if len(t.writes) == 0 {
		return t.rev, nil
	}
	o := t.db.opts
	keys := make([]string, 0, len(t.writes))
	for k := range t.writes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	recs := make([]rec, 0, len(keys))
	size, chunk := 0, o.MaxRequestBytes-8<<10
	for _, k := range keys {
		w := t.writes[k]
		v := make([]byte, 1+len(w.v))
		v[0] = tagLive
		if w.del {
			v[0] = tagTomb
		}
		copy(v[1:], w.v)
		r := rec{t.db.data + k, string(v)}
		if n := len(r.k) + len(r.v) + opOverhead; n > chunk {
			return 0, fmt.Errorf("%w: key %q: %d bytes, etcd takes at most %d in one request (--max-request-bytes, less 8 KiB)", kv.ErrTxnTooBig, k, n, chunk)
		}
		recs = append(recs, r)
		size += len(r.k) + len(r.v) + opOverhead
	}
	if size > o.MaxCommitBytes {
		return 0, fmt.Errorf("%w: about %d bytes, one commit takes at most %d (MaxCommitBytes)", kv.ErrTxnTooBig, size, o.MaxCommitBytes)
	}
	cmps := t.compares(o.MaxTxnOps)
	for i := range cmps {
		c := &cmps[i]
		size += len(c.KeyBytes()) + len(c.GetCompare().GetRangeEnd()) + opOverhead
	}
	if len(recs) > o.MaxTxnOps || size > chunk {
		return t.db.commitBig(t.ctx, recs, cmps)
	}
	ops := make([]clientv3.Op, len(recs))
	for i, r := range recs {
		ops[i] = clientv3.OpPut(r.k, r.v)
	}
	c, cancel := context.WithTimeout(t.ctx, o.RequestTimeout)
	defer cancel()
	resp, err := t.db.cli.Txn(c).If(cmps...).Then(ops...).Commit()
	if err != nil {
		return 0, t.db.mapErr(t.ctx, err)
	}
	t.db.seen(resp.Header.Revision)
	if !resp.Succeeded {
		return 0, kv.ErrConflict
	}
	return resp.Header.Revision, nil
}

// opOverhead is a generous bound on the protobuf framing of one operation
// or comparison in a Txn request.
const opOverhead = 32

// compares returns the guards of the commit: no big commit holds the lock,
// and no key in any read span (and not the tombstone-GC key) has changed
// since the snapshot, i.e. every mod
// revision there is at most t.rev. When there are more spans than etcd
// takes, adjacent spans are merged into covering ranges: a wider guard can
// only add spurious conflicts, never miss one.
func (t *txn) compares(limit int) []clientv3.Cmp {
	// No big commit holds the lock (see big.go).
	lock := clientv3.Compare(clientv3.CreateRevision(t.db.lockKey()), "=", 0)
	if len(t.reads) == 0 {
		return []clientv3.Cmp{lock}
	}
	spans := mergeSpans(t.reads, limit-2)
	cmps := make([]clientv3.Cmp, 0, len(spans)+2)
	cmps = append(cmps, lock, clientv3.Compare(clientv3.ModRevision(t.db.gc), "<", t.rev+1))
	for _, s := range spans {
		c := clientv3.Compare(clientv3.ModRevision(t.db.data+s.start), "<", t.rev+1)
		switch {
		case s.end == "":
			c = c.WithRange(string(kv.PrefixEnd([]byte(t.db.data))))
		case s.end != s.start+"\x00":
			c = c.WithRange(t.db.data + s.end)
		}
		cmps = append(cmps, c)
	}
	return cmps
}

// mergeSpans sorts spans, joins overlapping ones, and then merges the pairs
// with the smallest gaps (in sort order) until at most n remain.
func mergeSpans(in []span, n int) []span {
	s := slices.Clone(in)
	slices.SortFunc(s, func(a, b span) int { return strings.Compare(a.start, b.start) })
	less := func(a, b string) bool { // end order; "" is +inf
		if a == "" {
			return false
		}
		return b == "" || a < b
	}
	out := s[:0]
	for _, x := range s {
		if len(out) > 0 {
			last := &out[len(out)-1]
			if last.end == "" || x.start <= last.end {
				if less(last.end, x.end) {
					last.end = x.end
				}
				continue
			}
		}
		out = append(out, x)
	}
	// Too many: join every k consecutive spans (a gap between them is read
	// as a range too).
	if len(out) > n {
		k := (len(out) + n - 1) / n
		var joined []span
		for i := 0; i < len(out); i += k {
			j := min(i+k, len(out)) - 1
			joined = append(joined, span{out[i].start, out[j].end})
		}
		out = joined
	}
	return out
}

// RunGC removes tombstones (the traces deletes leave, see the package
// documentation) older than the current revision, in batches of at most
// MaxTxnOps-1. Each batch bumps the GC key, so transactions that read
// before it retry once.
func (db *DB) RunGC() error {
	ctx := context.Background()
	if err := db.begin(ctx); err != nil {
		return err
	}
	defer db.mu.RUnlock()
	// Finish a big commit whose writer died, then drop staging left by
	// writers that died before they took the lock.
	if err := db.waitUnlock(ctx); err != nil {
		return err
	}
	if err := db.dropOrphanStaging(ctx); err != nil {
		return err
	}
	t := &txn{db: db, ctx: ctx}
	var batch []*mvccpb.KeyValue
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		cmps := make([]clientv3.Cmp, 0, len(batch))
		ops := make([]clientv3.Op, 0, len(batch)+1)
		for _, p := range batch {
			cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(string(p.Key)), "=", p.ModRevision))
			ops = append(ops, clientv3.OpDelete(string(p.Key)))
		}
		ops = append(ops, clientv3.OpPut(db.gc, ""))
		batch = batch[:0]
		c, cancel := context.WithTimeout(ctx, db.opts.RequestTimeout)
		defer cancel()
		// A tombstone rewritten meanwhile fails the guard: skip the batch,
		// the next run gets it.
		if _, err := db.cli.Txn(c).If(cmps...).Then(ops...).Commit(); err != nil {
			return db.mapErr(ctx, err)
		}
		return nil
	}
	from, end := db.data, string(kv.PrefixEnd([]byte(db.data)))
	for {
		resp, err := t.get(from, end, scanPage)
		if err != nil {
			return err
		}
		for _, p := range resp.Kvs {
			if len(p.Value) == 1 && p.Value[0] == tagTomb {
				batch = append(batch, p)
				if len(batch) == db.opts.MaxTxnOps-1 {
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
		if !resp.More || len(resp.Kvs) == 0 {
			return flush()
		}
		from = string(resp.Kvs[len(resp.Kvs)-1].Key) + "\x00"
	}
}

// Event is one write seen by [DB.Watch].
type Event struct {
	Key     []byte // the key as the kv user wrote it
	Value   []byte // nil for a delete
	Deleted bool
}

// Watch calls fn once per commit that wrote a key starting with prefix, in
// commit order, from revision fromRev on (fromRev <= 0: from now on),
// until ctx ends or fn returns an error (which Watch returns). rev is the
// commit's revision: that of its etcd Txn, or for a big commit that of its
// unlock, when readers start to see it; evs are its writes under prefix in
// key order. Start from a revision at which no big commit was running,
// such as the snapshot of a View plus one ([DB.Revision] after it). A
// fromRev older than etcd's compaction fails with [kv.ErrConflict]: read
// a fresh snapshot and watch from its revision + 1.
func (db *DB) Watch(ctx context.Context, prefix []byte, fromRev int64, fn func(rev int64, evs []Event) error) error {
	if err := db.begin(ctx); err != nil {
		return err
	}
	defer db.mu.RUnlock()
	opts := []clientv3.OpOption{clientv3.WithPrefix()}
	if fromRev > 0 {
		opts = append(opts, clientv3.WithRev(fromRev))
	}
	wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
	defer cancel()
	data := db.data + string(prefix)
	var (
		locked bool    // inside a big commit
		big    []Event // its writes so far
		cur    []Event // the writes of the small commit at rev
		rev    int64
	)
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		evs := cur
		cur = nil
		return fn(rev, evs)
	}
	for resp := range db.cli.Watch(wctx, db.opts.Prefix, opts...) {
		if err := resp.Err(); err != nil {
			return db.mapErr(ctx, err)
		}
		for _, ev := range resp.Events {
			if ev.Kv.ModRevision != rev {
				if err := flush(); err != nil {
					return err
				}
				rev = ev.Kv.ModRevision
			}
			k := string(ev.Kv.Key)
			switch {
			case k == db.lockKey() && ev.Type == clientv3.EventTypePut:
				locked, big = true, nil
			case k == db.lockKey():
				locked = false
				if len(big) > 0 {
					if err := fn(rev, sortEvents(big)); err != nil {
						return err
					}
				}
				big = nil
			case strings.HasPrefix(k, data) && ev.Type == clientv3.EventTypePut:
				v := ev.Kv.Value
				e := Event{Key: ev.Kv.Key[len(db.data):]}
				if len(v) > 0 && v[0] == tagLive {
					e.Value = v[1:]
				} else {
					e.Deleted = true
				}
				if locked {
					big = append(big, e)
				} else {
					cur = append(cur, e)
				}
			}
			// Anything else: a tombstone removed by RunGC (no change), the
			// protocol's own keys, or keys outside prefix.
		}
		if err := flush(); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// sortEvents sorts a big commit's writes by key, keeping the last write of
// a key that the apply step wrote twice (a finish that ran in two clients).
func sortEvents(evs []Event) []Event {
	slices.SortStableFunc(evs, func(a, b Event) int { return bytes.Compare(a.Key, b.Key) })
	out := evs[:0]
	for i, e := range evs {
		if i+1 < len(evs) && bytes.Equal(evs[i+1].Key, e.Key) {
			continue
		}
		out = append(out, e)
	}
	return out
}
