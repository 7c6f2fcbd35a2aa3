package kv

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"

	"github.com/google/btree"
)

// Overlay is a [DB] over a base DB that keeps its own writes in memory: its
// transactions read the base through the writes made so far, and nothing
// reaches the base until [Overlay.Commit] writes all of them in one base
// transaction. A command that makes several writes (several RPCs, say) runs
// on an Overlay and commits at the end, so that it stores all of them or,
// when it fails halfway, none.
//
// The base must not change while the Overlay is in use (nothing else writes
// to it): the Overlay does not detect conflicts with the base. Writers are
// serialised, as in [Memory].
type Overlay struct {
	base    DB
	life    lifetime
	mu      sync.Mutex // serialises writers and Commit
	pending atomic.Pointer[btree.BTreeG[oentry]]
}

// oentry is a pending write: a value, or a deletion (del).
type oentry struct {
	k, v []byte
	del  bool
}

func lessOEntry(a, b oentry) bool { return bytes.Compare(a.k, b.k) < 0 }

// NewOverlay returns an Overlay with no pending writes over base.
func NewOverlay(base DB) *Overlay {
	o := &Overlay{base: base}
	o.pending.Store(btree.NewG(32, lessOEntry))
	return o
}

// Check reports whether the base is usable (see [Check]).
func (o *Overlay) Check() error { return Check(o.base) }

// Pending is the number of keys written (set or deleted) and not committed.
func (o *Overlay) Pending() int { return o.pending.Load().Len() }

// View implements [DB].
func (o *Overlay) View(ctx context.Context, fn func(Txn) error) error {
	if err := o.life.begin(ctx); err != nil {
		return err
	}
	defer o.life.end()
	tree := o.pending.Load()
	return o.base.View(ctx, func(bt Txn) error {
		t := &overlayTxn{base: bt, tree: tree}
		defer func() { t.done = true }()
		return fn(t)
	})
}

// Update implements [DB]: fn's writes join the pending ones when it
// succeeds; the base is only read.
func (o *Overlay) Update(ctx context.Context, fn func(Txn) error) error {
	if err := o.life.begin(ctx); err != nil {
		return err
	}
	defer o.life.end()
	o.mu.Lock()
	defer o.mu.Unlock()
	t := &overlayTxn{tree: o.pending.Load().Clone(), update: true}
	err := o.base.View(ctx, func(bt Txn) error {
		t.base = bt
		defer func() { t.done = true }()
		return fn(t)
	})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	o.pending.Store(t.tree)
	return nil
}

// Commit writes the pending writes to the base in one transaction (all or
// nothing) and, when that succeeded, forgets them. A base that cannot hold
// them in one transaction fails with [ErrTxnTooBig] and keeps its data.
func (o *Overlay) Commit(ctx context.Context) error {
	return o.CommitTo(ctx, o.base)
}

// CommitTo is [Overlay.Commit] into db instead of the base: the same store
// reopened (with a larger memtable, say) after the base was closed.
func (o *Overlay) CommitTo(ctx context.Context, db DB) error {
	if err := o.life.begin(ctx); err != nil {
		return err
	}
	defer o.life.end()
	o.mu.Lock()
	defer o.mu.Unlock()
	tree := o.pending.Load()
	if tree.Len() == 0 {
		return nil
	}
	err := db.Update(ctx, func(bt Txn) error {
		var err error
		tree.Ascend(func(e oentry) bool {
			if e.del {
				err = bt.Delete(e.k)
			} else {
				err = bt.Set(e.k, e.v)
			}
			return err == nil
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("kv: committing %d pending writes: %w", tree.Len(), err)
	}
	o.pending.Store(btree.NewG(32, lessOEntry))
	return nil
}

// Close implements [DB]: it drops the pending writes. It does not close the
// base.
func (o *Overlay) Close() error {
	return o.life.close(func() error {
		o.pending.Store(btree.NewG(2, lessOEntry))
		return nil
	})
}

type overlayTxn struct {
	base   Txn
	tree   *btree.BTreeG[oentry]
	update bool
	done   bool
}

func (t *overlayTxn) Get(key []byte) ([]byte, error) {
	if t.done {
		return nil, ErrTxnDone
	}
	if len(key) == 0 {
		return nil, ErrEmptyKey
	}
	if e, ok := t.tree.Get(oentry{k: key}); ok {
		if e.del {
			return nil, ErrNotFound
		}
		return bytes.Clone(e.v), nil
	}
	return t.base.Get(key)
}

func (t *overlayTxn) write(key []byte) error { return checkWrite(t.done, t.update, key) }

func (t *overlayTxn) Set(key, val []byte) error {
	if err := t.write(key); err != nil {
		return err
	}
	t.tree.ReplaceOrInsert(oentry{k: bytes.Clone(key), v: append(make([]byte, 0, len(val)), val...)})
	return nil
}

func (t *overlayTxn) Delete(key []byte) error {
	if err := t.write(key); err != nil {
		return err
	}
	t.tree.ReplaceOrInsert(oentry{k: bytes.Clone(key), del: true})
	return nil
}

// Scan merges the base's keys with the pending writes: a pending value
// replaces the base's, a pending deletion hides it.
func (t *overlayTxn) Scan(start, end []byte, fn func(k, v []byte) error) error {
	if t.done {
		return ErrTxnDone
	}
	if end != nil && bytes.Compare(start, end) >= 0 {
		return nil
	}
	tree := t.tree
	if t.update {
		tree = tree.Clone() // fn may write to the transaction
	}
	next, stop := iter.Pull(func(yield func(oentry) bool) {
		if end == nil {
			tree.AscendGreaterOrEqual(oentry{k: start}, yield)
		} else {
			tree.AscendRange(oentry{k: start}, oentry{k: end}, yield)
		}
	})
	defer stop()
	cur, ok := next()
	stopped := false
	// emit passes a pending entry on (deletions are skipped).
	emit := func(e oentry) error {
		if e.del {
			return nil
		}
		return fn(e.k, e.v)
	}
	err := t.base.Scan(start, end, func(k, v []byte) error {
		for ok && bytes.Compare(cur.k, k) < 0 {
			if err := emit(cur); err != nil {
				stopped = true
				return err
			}
			cur, ok = next()
		}
		if ok && bytes.Equal(cur.k, k) {
			e := cur
			cur, ok = next()
			if err := emit(e); err != nil {
				stopped = true
				return err
			}
			return nil
		}
		if err := fn(k, v); err != nil {
			stopped = true
			return err
		}
		return nil
	})
	if err != nil || stopped {
		return err
	}
	for ; ok; cur, ok = next() {
		if err := emit(cur); err != nil {
			if err == ErrStop {
				return nil
			}
			return err
		}
	}
	return nil
}
