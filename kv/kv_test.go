package kv_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/kv/kvtest"
)

func TestMemory(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.DB { return kv.NewMemory() })
}

func openBadger(t *testing.T, dir string) *kv.Badger {
	t.Helper()
	db, err := kv.OpenBadger(dir, kv.Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestBadger(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.DB { return openBadger(t, t.TempDir()) })
}

func TestBadgerReopen(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db := openBadger(t, dir)
	err := db.Update(ctx, func(txn kv.Txn) error {
		for i := range 1000 {
			if err := txn.Set(fmt.Appendf(nil, "k%04d", i), fmt.Appendf(nil, "v%d", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := kv.RunGC(db); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openBadger(t, dir)
	defer db.Close()
	n := 0
	err = db.View(ctx, func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error {
			if want := fmt.Sprintf("k%04d=v%d", n, n); string(k)+"="+string(v) != want {
				return fmt.Errorf("got %s=%s, want %s", k, v, want)
			}
			n++
			return nil
		})
	})
	if err != nil || n != 1000 {
		t.Fatalf("after reopen: %d keys, %v", n, err)
	}
}

func TestBadgerLocked(t *testing.T) {
	dir := t.TempDir()
	db := openBadger(t, dir)
	defer db.Close()
	// flock locks belong to the open file, so a second open in the same
	// process is refused exactly like one from another process.
	_, err := kv.OpenBadger(dir, kv.Options{Logf: t.Logf})
	if !errors.Is(err, kv.ErrLocked) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("second open: %v, want ErrLocked naming %s", err, dir)
	}
}

func TestBadgerTxnTooBig(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	// A 1 MiB memtable allows transactions of about 150 KiB.
	db, err := kv.OpenBadger(dir, kv.Options{MemTableSize: 1 << 20, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	val := make([]byte, 1000)
	err = db.Update(ctx, func(txn kv.Txn) error {
		for i := range 1000 {
			if err := txn.Set(fmt.Appendf(nil, "k%04d", i), val); err != nil {
				return err
			}
		}
		return nil
	})
	if !errors.Is(err, kv.ErrTxnTooBig) {
		t.Fatalf("1 MB in one transaction: %v, want ErrTxnTooBig", err)
	}
	n := 0
	db.View(ctx, func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error { n++; return nil })
	})
	if n != 0 {
		t.Fatalf("a transaction that was too big left %d keys", n)
	}
}

// TestBadgerLockedOtherProcess opens a store here and again in a child
// process (this test binary re-run): the child must get ErrLocked.
func TestBadgerLockedOtherProcess(t *testing.T) {
	if dir := os.Getenv("KV_LOCK_CHILD_DIR"); dir != "" {
		_, err := kv.OpenBadger(dir, kv.Options{})
		if errors.Is(err, kv.ErrLocked) {
			fmt.Println("CHILD: locked:", err)
			return
		}
		fmt.Println("CHILD: unexpected:", err)
		os.Exit(3)
	}
	if testing.Short() {
		t.Skip("spawns a process")
	}
	dir := t.TempDir()
	db := openBadger(t, dir)
	defer db.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBadgerLockedOtherProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "KV_LOCK_CHILD_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "CHILD: locked: kv: store directory is locked by another process: "+dir) {
		t.Fatalf("child process: %v\n%s", err, out)
	}
}

// TestBadgerEmptyMemtableFile: a kill right after Badger created a
// memtable's write-ahead log, before it wrote the file's header, leaves a
// zero-byte NNNNN.mem file. Badger reads it back as a new file and refuses
// to open the store ("while opening memtables ... Create a new file"),
// forever. Such a file holds nothing, so the store opens without it, with
// every committed key.
func TestBadgerEmptyMemtableFile(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"00001.mem", "00007.mem"} {
		dir := t.TempDir()
		db := openBadger(t, dir)
		if err := db.Update(ctx, func(txn kv.Txn) error { return txn.Set([]byte("k"), []byte("v")) }); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		db, err := kv.OpenBadger(dir, kv.Options{Logf: t.Logf})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []byte
		err = db.View(ctx, func(txn kv.Txn) error {
			var err error
			got, err = txn.Get([]byte("k"))
			return err
		})
		db.Close()
		if err != nil || string(got) != "v" {
			t.Fatalf("%s: k = %q, %v", name, got, err)
		}
	}
}
