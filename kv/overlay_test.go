package kv_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/kv/kvtest"
)

func TestOverlayOnMemory(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.DB { return kv.NewOverlay(kv.NewMemory()) })
}

// TestOverlayOnBadgerHalfCommitted runs the suite on an overlay over
// Badger that commits after every second Update, so that the suite's keys
// are split between base and pending writes and every scan merges both.
func TestOverlayOnBadgerHalfCommitted(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.DB {
		base := openBadger(t, t.TempDir())
		t.Cleanup(func() { base.Close() })
		return &halfCommitted{Overlay: kv.NewOverlay(base)}
	})
}

type halfCommitted struct {
	*kv.Overlay
	n atomic.Int64
}

func (h *halfCommitted) Update(ctx context.Context, fn func(kv.Txn) error) error {
	if err := h.Overlay.Update(ctx, fn); err != nil {
		return err
	}
	if h.n.Add(1)%2 == 0 {
		return h.Commit(ctx)
	}
	return nil
}

// TestOverlayCommit: the base sees nothing before Commit and everything
// (sets and deletions) after; a dropped overlay leaves the base as it was.
func TestOverlayCommit(t *testing.T) {
	ctx := context.Background()
	base := kv.NewMemory()
	put(t, base, "a", "base-a")
	put(t, base, "b", "base-b")
	put(t, base, "d", "base-d")
	o := kv.NewOverlay(base)
	if err := o.Update(ctx, func(txn kv.Txn) error {
		if err := txn.Set([]byte("a"), []byte("new-a")); err != nil {
			return err
		}
		if err := txn.Set([]byte("c"), []byte("new-c")); err != nil {
			return err
		}
		return txn.Delete([]byte("b"))
	}); err != nil {
		t.Fatal(err)
	}
	// A failed Update adds nothing.
	boom := errors.New("boom")
	if err := o.Update(ctx, func(txn kv.Txn) error {
		txn.Set([]byte("e"), []byte("never"))
		return boom
	}); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if got, want := scanAll(t, o), "[a=new-a c=new-c d=base-d]"; got != want {
		t.Fatalf("overlay reads %s, want %s", got, want)
	}
	if got, want := scanAll(t, base), "[a=base-a b=base-b d=base-d]"; got != want {
		t.Fatalf("base before Commit %s, want %s", got, want)
	}
	if o.Pending() != 3 {
		t.Fatalf("Pending = %d, want 3", o.Pending())
	}
	if err := o.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := scanAll(t, base), "[a=new-a c=new-c d=base-d]"; got != want {
		t.Fatalf("base after Commit %s, want %s", got, want)
	}
	if o.Pending() != 0 {
		t.Fatalf("Pending after Commit = %d", o.Pending())
	}
	put(t, o, "z", "dropped")
	o.Close()
	if got, want := scanAll(t, base), "[a=new-a c=new-c d=base-d]"; got != want {
		t.Fatalf("base after a dropped overlay %s, want %s", got, want)
	}
}

// TestOverlayCommitTooBig: pending writes beyond one Badger transaction
// fail to commit with ErrTxnTooBig and leave the base unchanged.
func TestOverlayCommitTooBig(t *testing.T) {
	ctx := context.Background()
	base, err := kv.OpenBadger(t.TempDir(), kv.Options{MemTableSize: 1 << 20, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer base.Close()
	put(t, base, "keep", "1")
	o := kv.NewOverlay(base)
	// 1 MiB memtable: one transaction holds ~157 KB; write 400 KB in steps.
	for b := range 40 {
		if err := o.Update(ctx, func(txn kv.Txn) error {
			for i := range 10 {
				if err := txn.Set(fmt.Appendf(nil, "k%02d%02d", b, i), make([]byte, 1000)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.Commit(ctx); !errors.Is(err, kv.ErrTxnTooBig) {
		t.Fatalf("Commit: %v, want ErrTxnTooBig", err)
	}
	if got, want := scanAll(t, base), "[keep=1]"; got != want {
		t.Fatalf("base after a failed Commit %s, want %s", got, want)
	}
}

func scanAll(t *testing.T, db kv.DB) string {
	t.Helper()
	var out []string
	err := db.View(context.Background(), func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error {
			out = append(out, string(k)+"="+string(v))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(out)
}

// TestMemTableFor: the memtable MemTableFor chooses takes the transaction
// (Badger's own check decides), and not one three times as big (so the
// estimate is not far too generous).
func TestMemTableFor(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ entries, valueLen int }{{5000, 10}, {20000, 10}, {2000, 3000}} {
		mt := kv.MemTableFor(tc.entries, int64(tc.entries*(10+tc.valueLen)))
		maxEntries, maxBytes := kv.TxnLimit(mt)
		if maxEntries < int64(tc.entries) || maxBytes < int64(tc.entries*(10+tc.valueLen)) {
			t.Fatalf("%+v: %d MiB holds %d entries / %d bytes", tc, mt>>20, maxEntries, maxBytes)
		}
		db, err := kv.OpenBadger(t.TempDir(), kv.Options{MemTableSize: mt, Logf: t.Logf})
		if err != nil {
			t.Fatal(err)
		}
		val := make([]byte, tc.valueLen)
		write := func(n int) error {
			return db.Update(ctx, func(txn kv.Txn) error {
				for i := range n {
					if err := txn.Set(fmt.Appendf(nil, "key%07d", i), val); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err := write(tc.entries); err != nil {
			t.Fatalf("%+v with a %d MiB memtable: %v", tc, mt>>20, err)
		}
		if err := write(3 * tc.entries); !errors.Is(err, kv.ErrTxnTooBig) {
			t.Fatalf("%+v: three times as much in a %d MiB memtable: %v", tc, mt>>20, err)
		}
		db.Close()
	}
}
