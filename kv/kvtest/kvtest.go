// Package kvtest is the conformance suite every [kv.DB] implementation must
// pass: the in-memory and Badger stores run it, and so must any future one.
package kvtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"

	"github.com/ctoplan/ctoplan/kv"
)

// Run runs the suite; open returns a new, empty store for each subtest (the
// suite closes it).
func Run(t *testing.T, open func(t *testing.T) kv.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, kv.DB)
	}{
		{"GetSetDelete", testGetSetDelete},
		{"ScanOrderAndBounds", testScan},
		{"ScanStop", testScanStop},
		{"ReadYourWrites", testReadYourWrites},
		{"Atomicity", testAtomicity},
		{"ReadOnly", testReadOnly},
		{"CopySemantics", testCopies},
		{"Snapshot", testSnapshot},
		{"ConcurrentCounters", testConcurrent},
		{"RandomAgainstMap", testRandom},
		{"Backup", testBackup},
		{"Closed", testClosed},
		{"Context", testContext},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := open(t)
			defer db.Close()
			tc.fn(t, db)
		})
	}
}

var ctx = context.Background()

func set(t *testing.T, db kv.DB, kvs ...string) {
	t.Helper()
	err := db.Update(ctx, func(txn kv.Txn) error {
		for i := 0; i+1 < len(kvs); i += 2 {
			if err := txn.Set([]byte(kvs[i]), []byte(kvs[i+1])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, db kv.DB, k string) (string, error) {
	t.Helper()
	var v []byte
	err := db.View(ctx, func(txn kv.Txn) error {
		var err error
		v, err = txn.Get([]byte(k))
		return err
	})
	return string(v), err
}

func dump(t *testing.T, db kv.DB, start, end []byte) []string {
	t.Helper()
	var out []string
	err := db.View(ctx, func(txn kv.Txn) error {
		return txn.Scan(start, end, func(k, v []byte) error {
			out = append(out, string(k)+"="+string(v))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func testGetSetDelete(t *testing.T, db kv.DB) {
	if _, err := get(t, db, "a"); !errors.Is(err, kv.ErrNotFound) {
		t.Fatalf("Get missing: %v, want ErrNotFound", err)
	}
	set(t, db, "a", "1", "b", "")
	if v, err := get(t, db, "a"); err != nil || v != "1" {
		t.Fatalf("Get a = %q, %v", v, err)
	}
	if v, err := get(t, db, "b"); err != nil || v != "" {
		t.Fatalf("Get b (empty value) = %q, %v", v, err)
	}
	set(t, db, "a", "2")
	if v, _ := get(t, db, "a"); v != "2" {
		t.Fatalf("overwrite: %q", v)
	}
	err := db.Update(ctx, func(txn kv.Txn) error {
		if err := txn.Delete([]byte("a")); err != nil {
			return err
		}
		return txn.Delete([]byte("never-there"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := get(t, db, "a"); !errors.Is(err, kv.ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	err = db.Update(ctx, func(txn kv.Txn) error { return txn.Set(nil, []byte("x")) })
	if !errors.Is(err, kv.ErrEmptyKey) {
		t.Fatalf("empty key: %v", err)
	}
}

func testScan(t *testing.T, db kv.DB) {
	set(t, db, "b", "2", "a", "1", "c", "3", "ab", "x", "b\xff", "y", "c\x00", "z")
	if got, want := fmt.Sprint(dump(t, db, nil, nil)), "[a=1 ab=x b=2 b\xff=y c=3 c\x00=z]"; got != want {
		t.Fatalf("full scan %q, want %q", got, want)
	}
	if got, want := fmt.Sprint(dump(t, db, []byte("ab"), []byte("c"))), "[ab=x b=2 b\xff=y]"; got != want {
		t.Fatalf("range scan %q, want %q", got, want)
	}
	if got := dump(t, db, []byte("c"), []byte("b")); len(got) != 0 {
		t.Fatalf("empty range gave %q", got)
	}
	var got []string
	db.View(ctx, func(txn kv.Txn) error {
		return kv.ScanPrefix(txn, []byte("b"), func(k, v []byte) error {
			got = append(got, string(k))
			return nil
		})
	})
	if fmt.Sprint(got) != "[b b\xff]" {
		t.Fatalf("prefix scan %q", got)
	}
	if e := kv.PrefixEnd([]byte("a\xff\xff")); string(e) != "b" {
		t.Fatalf("PrefixEnd = %q", e)
	}
	if e := kv.PrefixEnd([]byte("\xff")); e != nil {
		t.Fatalf("PrefixEnd(ff) = %q", e)
	}
}

func testScanStop(t *testing.T, db kv.DB) {
	set(t, db, "a", "1", "b", "2", "c", "3")
	n := 0
	err := db.View(ctx, func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error {
			n++
			if n == 2 {
				return kv.ErrStop
			}
			return nil
		})
	})
	if err != nil || n != 2 {
		t.Fatalf("Stop: err %v after %d keys", err, n)
	}
	boom := errors.New("boom")
	err = db.View(ctx, func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error { return boom })
	})
	if !errors.Is(err, boom) {
		t.Fatalf("callback error: %v", err)
	}
}

func testReadYourWrites(t *testing.T, db kv.DB) {
	set(t, db, "a", "1", "c", "3")
	err := db.Update(ctx, func(txn kv.Txn) error {
		if err := txn.Set([]byte("b"), []byte("2")); err != nil {
			return err
		}
		if err := txn.Delete([]byte("c")); err != nil {
			return err
		}
		v, err := txn.Get([]byte("b"))
		if err != nil || string(v) != "2" {
			return fmt.Errorf("own write: %q %v", v, err)
		}
		if _, err := txn.Get([]byte("c")); !errors.Is(err, kv.ErrNotFound) {
			return fmt.Errorf("own delete: %v", err)
		}
		var keys []string
		err = txn.Scan(nil, nil, func(k, v []byte) error {
			keys = append(keys, string(k))
			// Writing while scanning must be allowed.
			return txn.Set(append([]byte("z"), k...), v)
		})
		if err != nil {
			return err
		}
		if fmt.Sprint(keys) != "[a b]" {
			return fmt.Errorf("scan inside update saw %v", keys)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(dump(t, db, nil, nil)); got != "[a=1 b=2 za=1 zb=2]" {
		t.Fatalf("after commit %s", got)
	}
}

func testAtomicity(t *testing.T, db kv.DB) {
	set(t, db, "keep", "1")
	boom := errors.New("boom")
	err := db.Update(ctx, func(txn kv.Txn) error {
		for i := range 100 {
			if err := txn.Set(fmt.Appendf(nil, "k%03d", i), []byte("v")); err != nil {
				return err
			}
		}
		txn.Delete([]byte("keep"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update returned %v, want the function's error", err)
	}
	if got := fmt.Sprint(dump(t, db, nil, nil)); got != "[keep=1]" {
		t.Fatalf("failed Update left %s", got)
	}
}

func testReadOnly(t *testing.T, db kv.DB) {
	err := db.View(ctx, func(txn kv.Txn) error { return txn.Set([]byte("a"), nil) })
	if !errors.Is(err, kv.ErrReadOnly) {
		t.Fatalf("Set in View: %v", err)
	}
	err = db.View(ctx, func(txn kv.Txn) error { return txn.Delete([]byte("a")) })
	if !errors.Is(err, kv.ErrReadOnly) {
		t.Fatalf("Delete in View: %v", err)
	}
	var leaked kv.Txn
	db.View(ctx, func(txn kv.Txn) error { leaked = txn; return nil })
	if _, err := leaked.Get([]byte("a")); !errors.Is(err, kv.ErrTxnDone) {
		t.Fatalf("Get after View returned: %v", err)
	}
}

func testCopies(t *testing.T, db kv.DB) {
	k, v := []byte("key"), []byte("value")
	err := db.Update(ctx, func(txn kv.Txn) error {
		err := txn.Set(k, v)
		k[0], v[0] = 'X', 'X' // the store must have copied
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := get(t, db, "key")
	if err != nil || got != "value" {
		t.Fatalf("Set did not copy: %q %v", got, err)
	}
	db.View(ctx, func(txn kv.Txn) error {
		b, _ := txn.Get([]byte("key"))
		b[0] = 'Y' // the caller owns Get's result
		return nil
	})
	if got, _ := get(t, db, "key"); got != "value" {
		t.Fatalf("Get did not copy: %q", got)
	}
}

func testSnapshot(t *testing.T, db kv.DB) {
	set(t, db, "a", "1")
	started, proceed := make(chan struct{}), make(chan struct{})
	var seen string
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		db.View(ctx, func(txn kv.Txn) error {
			close(started)
			<-proceed
			v, _ := txn.Get([]byte("a"))
			seen = string(v)
			return nil
		})
	}()
	<-started
	set(t, db, "a", "2")
	close(proceed)
	wg.Wait()
	if seen != "1" {
		t.Fatalf("View saw a later commit: %q", seen)
	}
}

func testConcurrent(t *testing.T, db kv.DB) {
	const workers, incs = 4, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range incs {
				err := db.Update(ctx, func(txn kv.Txn) error {
					v, err := txn.Get([]byte("n"))
					if err != nil && !errors.Is(err, kv.ErrNotFound) {
						return err
					}
					n := 0
					fmt.Sscan(string(v), &n)
					return txn.Set([]byte("n"), fmt.Append(nil, n+1))
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if v, _ := get(t, db, "n"); v != fmt.Sprint(workers*incs) {
		t.Fatalf("counter %s, want %d (lost updates)", v, workers*incs)
	}
}

// testRandom applies random transactions (some aborted) to the store and to
// a map, and compares full and range scans.
func testRandom(t *testing.T, db kv.DB) {
	r := rand.New(rand.NewPCG(1, 2))
	model := map[string]string{}
	key := func() string { return fmt.Sprintf("k%02x", r.IntN(200)) }
	for round := range 60 {
		next := map[string]string{}
		for k, v := range model {
			next[k] = v
		}
		abort := r.IntN(4) == 0
		err := db.Update(ctx, func(txn kv.Txn) error {
			for range r.IntN(30) + 1 {
				k := key()
				if r.IntN(3) == 0 {
					delete(next, k)
					if err := txn.Delete([]byte(k)); err != nil {
						return err
					}
				} else {
					v := fmt.Sprint(round, r.Uint32())
					next[k] = v
					if err := txn.Set([]byte(k), []byte(v)); err != nil {
						return err
					}
				}
			}
			if abort {
				return errors.New("abort")
			}
			return nil
		})
		if !abort {
			if err != nil {
				t.Fatal(err)
			}
			model = next
		}
		lo, hi := key(), key()
		if lo > hi {
			lo, hi = hi, lo
		}
		var want []string
		for k, v := range model {
			if k >= lo && k < hi {
				want = append(want, k+"="+v)
			}
		}
		sort.Strings(want)
		got := dump(t, db, []byte(lo), []byte(hi))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("round %d: scan [%s,%s) = %v, want %v", round, lo, hi, got, want)
		}
	}
	if n := len(dump(t, db, nil, nil)); n != len(model) {
		t.Fatalf("%d keys, want %d", n, len(model))
	}
}

func testBackup(t *testing.T, db kv.DB) {
	set(t, db, "a", "1", "b", string(bytes.Repeat([]byte("x"), 5000)), "c\x00", "")
	var buf bytes.Buffer
	if err := kv.Backup(ctx, db, &buf); err != nil {
		t.Fatal(err)
	}
	want := dump(t, db, nil, nil)
	mem := kv.NewMemory()
	defer mem.Close()
	if err := kv.Restore(ctx, mem, bytes.NewReader(buf.Bytes()), 2); err != nil {
		t.Fatal(err)
	}
	if got := dump(t, mem, nil, nil); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("restored %q, want %q", got, want)
	}
	// Damaged streams are refused and leave the target untouched.
	for _, n := range []int{0, 5, buf.Len() / 2, buf.Len() - 1} {
		empty := kv.NewMemory()
		err := kv.Restore(ctx, empty, bytes.NewReader(buf.Bytes()[:n]), 0)
		if !errors.Is(err, kv.ErrBadBackup) {
			t.Errorf("truncated at %d: %v", n, err)
		}
		if got := dump(t, empty, nil, nil); len(got) != 0 {
			t.Errorf("truncated restore wrote %q", got)
		}
		empty.Close()
	}
	flipped := bytes.Clone(buf.Bytes())
	flipped[len(flipped)/2] ^= 1
	if err := kv.Restore(ctx, kv.NewMemory(), bytes.NewReader(flipped), 0); !errors.Is(err, kv.ErrBadBackup) {
		t.Errorf("flipped bit: %v", err)
	}
}

func testClosed(t *testing.T, db kv.DB) {
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.View(ctx, func(kv.Txn) error { return nil }); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("View after Close: %v", err)
	}
	if err := db.Update(ctx, func(kv.Txn) error { return nil }); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("Update after Close: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func testContext(t *testing.T, db kv.DB) {
	c, cancel := context.WithCancel(ctx)
	cancel()
	if err := db.Update(c, func(kv.Txn) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("Update with cancelled context: %v", err)
	}
	c, cancel = context.WithCancel(ctx)
	err := db.Update(c, func(txn kv.Txn) error {
		cancel() // cancelled before commit: nothing written
		return txn.Set([]byte("a"), []byte("1"))
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel before commit: %v", err)
	}
	if _, err := get(t, db, "a"); !errors.Is(err, kv.ErrNotFound) {
		t.Fatalf("cancelled Update wrote: %v", err)
	}
}
