package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// Options configure [OpenBadger]. The zero value is usable.
type Options struct {
	// SyncWrites makes every commit wait for fsync, so that an acknowledged
	// write survives a power cut or an OS crash, not only a crash of the
	// process. Off in the zero value (the library's default); ctoplan serve
	// turns it on.
	SyncWrites bool
	// MemTableSize in bytes (default 64 MiB). One transaction may hold about
	// 15% of it; raise it for larger atomic imports.
	MemTableSize int64
	// MustExist refuses a directory that holds no store ([ErrNoStore])
	// instead of creating one: for backup, verify and other commands that
	// only make sense on existing data.
	MustExist bool
	// ReadOnly opens the store without writing to it (Update returns
	// [ErrReadOnly]); another read-only opener may share the directory.
	ReadOnly bool
	// DiskReserve is the free space (bytes) the store's file system must
	// keep: a commit that would leave less fails with [ErrDiskFull] and
	// writes nothing. Zero means the default, four times MemTableSize plus
	// the size of the LSM tree (room to flush both memtables, compact what
	// they become and compact the whole tree: Badger writes all of that
	// through memory-mapped files, where a full disk would crash the
	// process with SIGBUS). Negative turns the check off.
	DiskReserve int64
	// Logf receives Badger's warnings and errors; nil sends them to the
	// standard logger. Badger's info and debug messages are dropped.
	Logf func(format string, args ...any)
	// Retries is how often Update retries after a write conflict (default 16).
	Retries int
}

// Badger is a persistent [DB] on Badger v4.
type Badger struct {
	db      *badger.DB
	dir     string
	retries int
	// writers: first attempts of Update hold it shared, retries alone.
	writers  sync.RWMutex
	life     lifetime
	guard    guard
	memTable int64
}

// OpenBadger opens (creating if needed) the Badger store in dir. When another
// process holds the directory the error wraps [ErrLocked] and names dir.
//
// Before Badger sees the directory, OpenBadger checks it: the MANIFEST must
// be readable and every table it lists present and intact (block checksums
// verified), and a directory with store files but no MANIFEST is refused;
// each of these fails with [ErrCorrupt] and leaves the files untouched.
// Reads verify block and value checksums too.
func OpenBadger(dir string, opts Options) (*Badger, error) {
	bo := badgerOptions(dir, opts)
	pre, err := preflight(dir, bo, true, false)
	if err != nil {
		return nil, err
	}
	if len(pre.problems) > 0 {
		return nil, fmt.Errorf("%w: %s: %s (restore it from a backup into a new directory; ctoplan store verify %s lists every problem)",
			ErrCorrupt, dir, pre.problems[0], dir)
	}
	if !pre.exists && (opts.MustExist || opts.ReadOnly) {
		return nil, fmt.Errorf("%w: %s (no MANIFEST: not a ctoplan store, or a typo?)", ErrNoStore, dir)
	}
	if !opts.ReadOnly {
		if err := dropEmptyLogs(dir); err != nil {
			return nil, fmt.Errorf("kv: open %s: %w", dir, err)
		}
	}
	db, err := openRecovered(bo)
	if err != nil {
		if strings.Contains(err.Error(), "Cannot acquire directory lock") {
			return nil, fmt.Errorf("%w: %s (stop the other ctoplan process, or use another directory)", ErrLocked, dir)
		}
		if strings.Contains(err.Error(), "anifest") {
			return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, dir, err)
		}
		return nil, fmt.Errorf("kv: open %s: %w", dir, err)
	}
	r := opts.Retries
	if r <= 0 {
		r = 16
	}
	b := &Badger{db: db, dir: dir, retries: r, memTable: bo.MemTableSize}
	if err := b.guard.init(dir, opts, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("kv: open %s: %w", dir, err)
	}
	return b, nil
}

// dropEmptyLogs removes the zero-byte memtable logs (NNNNN.mem) and value
// logs (NNNNNN.vlog) a kill can leave when it lands after Badger created the
// file and before it grew it and wrote the file's header (Badger creates a
// new value log at every open, so a kill while a store opens is enough).
// Such a file holds no write (entries follow the header), but Badger takes
// it for a file it has just created and refuses to open the store ("while
// opening memtables ... Create a new file", or "During db.vlog.open ...
// Open existing file ... Create a new file"). For a .mem that is every
// time; for a .vlog the failed open writes a header into the file, so the
// open after it would succeed: the store still must open at the first try.
// Upstream: dgraph-io/badger issue #2207 (open fix: pull request #2331,
// which skips such files in Badger itself); drop this once it lands.
func dropEmptyLogs(dir string) error {
	names, err := emptyLogs(dir)
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// emptyLogs lists the zero-byte .mem and .vlog files in dir (see
// [dropEmptyLogs]).
func emptyLogs(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".mem") || strings.HasSuffix(e.Name(), ".vlog")) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			return nil, err
		}
		if fi.Size() == 0 {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

func badgerOptions(dir string, opts Options) badger.Options {
	bo := badger.DefaultOptions(dir).
		WithSyncWrites(opts.SyncWrites).
		WithReadOnly(opts.ReadOnly).
		WithLogger(logger{opts.Logf}).
		WithMetricsEnabled(false).
		// Whole tables are verified by preflight (Badger would skip a bad
		// one at open and lose its keys); blocks and values on every read.
		WithChecksumVerificationMode(options.OnBlockRead).
		WithVerifyValueChecksum(true).
		// One memtable taking writes and one being flushed (Badger's
		// default is five): what may be flushed and compacted at once
		// bounds the disk reserve (guard.go).
		WithNumMemtables(numMemtables)
	if opts.MemTableSize > 0 {
		bo = bo.WithMemTableSize(opts.MemTableSize)
		if maxBatch := opts.MemTableSize * 15 / 100; bo.ValueThreshold > maxBatch {
			bo = bo.WithValueThreshold(maxBatch)
		}
	}
	return bo
}

// openRecovered calls badger.Open, turning a panic in the calling goroutine
// into an error.
func openRecovered(bo badger.Options) (db *badger.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s", ErrCorrupt, firstLine(fmt.Sprint(r)))
		}
	}()
	return badger.Open(bo)
}

// View implements [DB].
func (b *Badger) View(ctx context.Context, fn func(Txn) error) error {
	if err := b.life.begin(ctx); err != nil {
		return err
	}
	defer b.life.end()
	if err := b.guard.lostErr(); err != nil {
		return err
	}
	txn := b.db.NewTransaction(false)
	defer txn.Discard()
	t := &badgerTxn{txn: txn}
	defer func() { t.done = true }()
	return fn(t)
}

// Update implements [DB]. It retries fn after a write conflict, up to
// [Options.Retries] times. First attempts run side by side (Badger detects
// conflicts optimistically); a retry runs alone, after every transaction
// begun before it has ended and with no other one begun meanwhile, so it
// cannot lose to another writer of this process again. Without that,
// writers hammering one key can make one of them lose every retry (seen
// with four goroutines incrementing one counter under the race detector).
func (b *Badger) Update(ctx context.Context, fn func(Txn) error) error {
	if err := b.life.begin(ctx); err != nil {
		return err
	}
	defer b.life.end()
	b.writers.RLock()
	err := b.update(ctx, fn)
	b.writers.RUnlock()
	for attempt := 1; errors.Is(err, ErrConflict) && attempt <= b.retries; attempt++ {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		b.writers.Lock()
		err = b.update(ctx, fn)
		b.writers.Unlock()
	}
	return err
}

func (b *Badger) update(ctx context.Context, fn func(Txn) error) error {
	if b.guard.readOnly {
		return ErrReadOnly
	}
	if err := b.guard.check(); err != nil {
		return err
	}
	txn := b.db.NewTransaction(true)
	defer txn.Discard()
	t := &badgerTxn{txn: txn, update: true}
	err := fn(t)
	t.done = true
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.bytes == 0 {
		return nil // nothing to write
	}
	if err := b.guard.room(t.bytes); err != nil {
		return err
	}
	if err := mapErr(txn.Commit()); err != nil {
		return err
	}
	// A commit into a directory deleted meanwhile went into unlinked files:
	// it is lost, so it must not be acknowledged.
	return b.guard.check()
}

// Close implements [DB]. It waits for running transactions; closing twice
// is not an error.
func (b *Badger) Close() error {
	return b.life.close(func() error {
		if err := b.guard.check(); err != nil {
			// Badger's Close flushes the memtable and retries a failing
			// flush forever; with the directory gone it would never
			// return. Leave its files to the exiting process.
			return err
		}
		return b.db.Close()
	})
}

// verifyTables checks every block of every table against its checksum
// ([ErrCorrupt] for the first that fails). Badger's iterators end quietly
// at a damaged block, so a backup verifies first rather than copy a store
// with keys silently missing.
func (b *Badger) verifyTables() (err error) {
	if err := b.life.begin(context.Background()); err != nil {
		return err
	}
	defer b.life.end()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s: a block fails its checksum or cannot be read: %s", ErrCorrupt, b.dir, firstLine(fmt.Sprint(r)))
		}
	}()
	if err := b.db.VerifyChecksum(); err != nil {
		return fmt.Errorf("%w: %s: %s", ErrCorrupt, b.dir, firstLine(err.Error()))
	}
	return nil
}

// Check reports whether the store is usable: nil, or the error that makes
// every transaction fail ([ErrLost] once the directory vanished, [ErrClosed]
// after Close). Health checks call it.
func (b *Badger) Check() error {
	if err := b.life.begin(context.Background()); err != nil {
		return err
	}
	defer b.life.end()
	return b.guard.check()
}

// RunGC rewrites value-log files that are at least half garbage until none
// is left; see [RunGC].
func (b *Badger) RunGC() error {
	if err := b.life.begin(context.Background()); err != nil {
		return err
	}
	defer b.life.end()
	for {
		err := b.db.RunValueLogGC(0.5)
		if errors.Is(err, badger.ErrNoRewrite) || errors.Is(err, badger.ErrRejected) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("kv: value-log gc: %w", err)
		}
	}
}

// Dir is the directory the store lives in.
func (b *Badger) Dir() string { return b.dir }

func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, badger.ErrKeyNotFound):
		return ErrNotFound
	case errors.Is(err, badger.ErrConflict):
		return ErrConflict
	case errors.Is(err, badger.ErrTxnTooBig):
		return fmt.Errorf("%w (raise the memtable size: ctoplan --memtable-mb, kv.Options.MemTableSize; nothing was written)", ErrTxnTooBig)
	case errors.Is(err, badger.ErrDBClosed):
		return ErrClosed
	case errors.Is(err, badger.ErrEmptyKey):
		return ErrEmptyKey
	case errors.Is(err, badger.ErrReadOnlyTxn):
		return ErrReadOnly
	case isOurs(err):
		return err
	case strings.Contains(err.Error(), "checksum") || strings.Contains(err.Error(), "CHECKSUM"):
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return fmt.Errorf("kv: badger: %w", err)
}

type badgerTxn struct {
	txn    *badger.Txn
	update bool
	done   bool
	bytes  int64 // written: keys and values
}

// corrupt turns a panic inside Badger while reading (a damaged block that
// fails before its checksum is checked) into an [ErrCorrupt] error.
func corrupt(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: reading: %s", ErrCorrupt, firstLine(fmt.Sprint(r)))
	}
}

func (t *badgerTxn) Get(key []byte) (_ []byte, err error) {
	defer corrupt(&err)
	if t.done {
		return nil, ErrTxnDone
	}
	if len(key) == 0 {
		return nil, ErrEmptyKey
	}
	it, err := t.txn.Get(key)
	if err != nil {
		return nil, mapErr(err)
	}
	v, err := it.ValueCopy(nil)
	return v, mapErr(err)
}

func (t *badgerTxn) write(key []byte) error { return checkWrite(t.done, t.update, key) }

func (t *badgerTxn) Set(key, val []byte) error {
	if err := t.write(key); err != nil {
		return err
	}
	// Badger keeps references to both slices until commit.
	buf := make([]byte, len(key)+len(val))
	copy(buf, key)
	copy(buf[len(key):], val)
	t.bytes += int64(len(buf))
	return mapErr(t.txn.Set(buf[:len(key):len(key)], buf[len(key):]))
}

func (t *badgerTxn) Delete(key []byte) error {
	if err := t.write(key); err != nil {
		return err
	}
	t.bytes += int64(len(key))
	return mapErr(t.txn.Delete(bytes.Clone(key)))
}

func (t *badgerTxn) Scan(start, end []byte, fn func(k, v []byte) error) (err error) {
	if t.done {
		return ErrTxnDone
	}
	if end != nil && bytes.Compare(start, end) >= 0 {
		return nil
	}
	// A panic in fn is the caller's and goes on; one in Badger's reading
	// becomes ErrCorrupt.
	inFn := false
	defer func() {
		if inFn {
			return
		}
		corrupt(&err)
	}()
	opts := badger.IteratorOptions{PrefetchValues: false}
	if end != nil {
		opts.Prefix = commonPrefix(start, end)
	}
	it := t.txn.NewIterator(opts)
	defer it.Close()
	for it.Seek(start); it.Valid(); it.Next() {
		item := it.Item()
		k := item.Key()
		if end != nil && bytes.Compare(k, end) >= 0 {
			break
		}
		var fnErr error
		verr := item.Value(func(v []byte) error {
			inFn = true
			fnErr = fn(k, v)
			inFn = false
			return fnErr
		})
		if fnErr == ErrStop {
			return nil
		}
		if fnErr != nil {
			return fnErr
		}
		if verr != nil {
			return mapErr(verr)
		}
	}
	return nil
}

func commonPrefix(a, b []byte) []byte {
	n := min(len(a), len(b))
	i := 0
	for i < n && a[i] == b[i] {
		i++
	}
	return a[:i]
}

// isOurs reports whether err is one of this package's sentinels (or wraps
// one), which mapErr passes through unchanged.
func isOurs(err error) bool {
	return errorsIsAny(err, ErrNotFound, ErrConflict, ErrClosed, ErrTxnTooBig, ErrReadOnly, ErrEmptyKey,
		ErrTxnDone, ErrCorrupt, ErrLost, ErrDiskFull, ErrStop)
}

type logger struct{ logf func(string, ...any) }

func (l logger) out(prefix, format string, args ...any) {
	if l.logf != nil {
		l.logf(prefix+format, args...)
		return
	}
	log.Printf(prefix+format, args...)
}

func (l logger) Errorf(f string, a ...any)   { l.out("badger: error: ", f, a...) }
func (l logger) Warningf(f string, a ...any) { l.out("badger: warning: ", f, a...) }
func (logger) Infof(string, ...any)          {}
func (logger) Debugf(string, ...any)         {}
