package kv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// Options configure [OpenBadger]. The zero value is usable.
type Options struct {
	// SyncWrites makes every commit wait for fsync. Off by default: a crash
	// may lose the last commits but never corrupts the store.
	SyncWrites bool
	// MemTableSize in bytes (default 64 MiB). One transaction may hold about
	// 15% of it; raise it for larger atomic imports.
	MemTableSize int64
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
	life    lifetime
}

// OpenBadger opens (creating if needed) the Badger store in dir. When another
// process holds the directory the error wraps [ErrLocked] and names dir.
func OpenBadger(dir string, opts Options) (*Badger, error) {
	bo := badger.DefaultOptions(dir).
		WithSyncWrites(opts.SyncWrites).
		WithLogger(logger{opts.Logf}).
		WithMetricsEnabled(false)
	if opts.MemTableSize > 0 {
		bo = bo.WithMemTableSize(opts.MemTableSize)
		if maxBatch := opts.MemTableSize * 15 / 100; bo.ValueThreshold > maxBatch {
			bo = bo.WithValueThreshold(maxBatch)
		}
	}
	db, err := badger.Open(bo)
	if err != nil {
		if strings.Contains(err.Error(), "Cannot acquire directory lock") {
			return nil, fmt.Errorf("%w: %s (stop the other ctoplan process, or use another directory)", ErrLocked, dir)
		}
		return nil, fmt.Errorf("kv: open %s: %w", dir, err)
	}
	r := opts.Retries
	if r <= 0 {
		r = 16
	}
	return &Badger{db: db, dir: dir, retries: r}, nil
}

// View implements [DB].
func (b *Badger) View(ctx context.Context, fn func(Txn) error) error {
	if err := b.life.begin(ctx); err != nil {
		return err
	}
	defer b.life.end()
	txn := b.db.NewTransaction(false)
	defer txn.Discard()
	t := &badgerTxn{txn: txn}
	defer func() { t.done = true }()
	return fn(t)
}

// Update implements [DB]. It retries fn after a write conflict, with a short
// growing pause, up to [Options.Retries] times.
func (b *Badger) Update(ctx context.Context, fn func(Txn) error) error {
	if err := b.life.begin(ctx); err != nil {
		return err
	}
	defer b.life.end()
	for attempt := 0; ; attempt++ {
		err := b.update(ctx, fn)
		if !errors.Is(err, ErrConflict) || attempt >= b.retries {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 50 * time.Microsecond):
		}
	}
}

func (b *Badger) update(ctx context.Context, fn func(Txn) error) error {
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
	return mapErr(txn.Commit())
}

// Close implements [DB]. It waits for running transactions; closing twice
// is not an error.
func (b *Badger) Close() error {
	return b.life.close(b.db.Close)
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
		return fmt.Errorf("%w (raise kv.Options.MemTableSize; nothing was written)", ErrTxnTooBig)
	case errors.Is(err, badger.ErrDBClosed):
		return ErrClosed
	case errors.Is(err, badger.ErrEmptyKey):
		return ErrEmptyKey
	case errors.Is(err, badger.ErrReadOnlyTxn):
		return ErrReadOnly
	}
	return fmt.Errorf("kv: badger: %w", err)
}

type badgerTxn struct {
	txn    *badger.Txn
	update bool
	done   bool
}

func (t *badgerTxn) Get(key []byte) ([]byte, error) {
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

func (t *badgerTxn) write(key []byte) error {
	if t.done {
		return ErrTxnDone
	}
	if !t.update {
		return ErrReadOnly
	}
	if len(key) == 0 {
		return ErrEmptyKey
	}
	return nil
}

func (t *badgerTxn) Set(key, val []byte) error {
	if err := t.write(key); err != nil {
		return err
	}
	// Badger keeps references to both slices until commit.
	buf := make([]byte, len(key)+len(val))
	copy(buf, key)
	copy(buf[len(key):], val)
	return mapErr(t.txn.Set(buf[:len(key):len(key)], buf[len(key):]))
}

func (t *badgerTxn) Delete(key []byte) error {
	if err := t.write(key); err != nil {
		return err
	}
	return mapErr(t.txn.Delete(bytes.Clone(key)))
}

func (t *badgerTxn) Scan(start, end []byte, fn func(k, v []byte) error) error {
	if t.done {
		return ErrTxnDone
	}
	if end != nil && bytes.Compare(start, end) >= 0 {
		return nil
	}
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
		err := item.Value(func(v []byte) error { return fn(k, v) })
		if err == ErrStop {
			return nil
		}
		if err != nil {
			return err
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
