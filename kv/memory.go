package kv

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"

	"github.com/google/btree"
)

type entry struct{ k, v []byte }

func lessEntry(a, b entry) bool { return bytes.Compare(a.k, b.k) < 0 }

// Memory is an in-memory [DB] on a copy-on-write B-tree. Readers work on an
// immutable snapshot and never block; writers are serialised, and an Update
// publishes its tree only when its function succeeds, so a failed Update
// leaves nothing behind.
type Memory struct {
	life lifetime
	mu   sync.Mutex // serialises writers
	tree atomic.Pointer[btree.BTreeG[entry]]
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	m := &Memory{}
	m.tree.Store(btree.NewG(32, lessEntry))
	return m
}

// View implements [DB].
func (m *Memory) View(ctx context.Context, fn func(Txn) error) error {
	if err := m.life.begin(ctx); err != nil {
		return err
	}
	defer m.life.end()
	t := &memTxn{tree: m.tree.Load()}
	defer func() { t.done = true }()
	return fn(t)
}

// Update implements [DB].
func (m *Memory) Update(ctx context.Context, fn func(Txn) error) error {
	if err := m.life.begin(ctx); err != nil {
		return err
	}
	defer m.life.end()
	m.mu.Lock()
	defer m.mu.Unlock()
	t := &memTxn{tree: m.tree.Load().Clone(), update: true}
	err := fn(t)
	t.done = true
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.tree.Store(t.tree)
	return nil
}

// Close implements [DB]. It waits for running transactions; closing twice
// is not an error.
func (m *Memory) Close() error {
	return m.life.close(func() error {
		m.tree.Store(btree.NewG(2, lessEntry))
		return nil
	})
}

type memTxn struct {
	tree   *btree.BTreeG[entry]
	update bool
	done   bool
}

func (t *memTxn) Get(key []byte) ([]byte, error) {
	if t.done {
		return nil, ErrTxnDone
	}
	if len(key) == 0 {
		return nil, ErrEmptyKey
	}
	e, ok := t.tree.Get(entry{k: key})
	if !ok {
		return nil, ErrNotFound
	}
	return bytes.Clone(e.v), nil
}

func (t *memTxn) write() error {
	if t.done {
		return ErrTxnDone
	}
	if !t.update {
		return ErrReadOnly
	}
	return nil
}

func (t *memTxn) Set(key, val []byte) error {
	if err := t.write(); err != nil {
		return err
	}
	if len(key) == 0 {
		return ErrEmptyKey
	}
	v := make([]byte, len(val))
	copy(v, val)
	t.tree.ReplaceOrInsert(entry{k: bytes.Clone(key), v: v})
	return nil
}

func (t *memTxn) Delete(key []byte) error {
	if err := t.write(); err != nil {
		return err
	}
	if len(key) == 0 {
		return ErrEmptyKey
	}
	t.tree.Delete(entry{k: key})
	return nil
}

func (t *memTxn) Scan(start, end []byte, fn func(k, v []byte) error) error {
	if t.done {
		return ErrTxnDone
	}
	tree := t.tree
	if t.update {
		// Iterate over a frozen copy so fn may write to the transaction.
		tree = t.tree.Clone()
	}
	var err error
	visit := func(e entry) bool {
		if err = fn(e.k, e.v); err != nil {
			return false
		}
		return true
	}
	if end == nil {
		tree.AscendGreaterOrEqual(entry{k: start}, visit)
	} else if bytes.Compare(start, end) < 0 {
		tree.AscendRange(entry{k: start}, entry{k: end}, visit)
	}
	if err == ErrStop {
		return nil
	}
	return err
}
