package kv_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// TestBadgerRetryRunsAlone has eight writers increment one counter with a
// single retry each: the retry runs alone, so no increment may fail or be
// lost even though first attempts conflict all the time.
func TestBadgerRetryRunsAlone(t *testing.T) {
	db, err := kv.OpenBadger(t.TempDir(), kv.Options{Retries: 1, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	const workers, incs = 8, 50
	var calls atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range incs {
				err := db.Update(ctx, func(txn kv.Txn) error {
					calls.Add(1)
					v, err := txn.Get([]byte("n"))
					if err != nil && !errors.Is(err, kv.ErrNotFound) {
						return err
					}
					runtime.Gosched() // let the others commit meanwhile
					n, _ := strconv.Atoi(string(v))
					return txn.Set([]byte("n"), strconv.AppendInt(nil, int64(n+1), 10))
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
		t.Fatalf("an increment failed: %v", err)
	}
	var got []byte
	db.View(ctx, func(txn kv.Txn) error { got, _ = txn.Get([]byte("n")); return nil })
	if string(got) != strconv.Itoa(workers*incs) {
		t.Fatalf("counter %s, want %d", got, workers*incs)
	}
	if calls.Load() == workers*incs {
		t.Fatalf("no attempt conflicted: the test did not exercise a retry")
	}
	t.Logf("%d attempts for %d increments", calls.Load(), workers*incs)
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

// verifyEmptyLog checks that store verify, which opens read-only and so
// cannot remove the zero-byte log file name in dir, reports the store as
// not closed cleanly rather than damaged (Badger's read-only open fails
// growing the file: "truncate ...: invalid argument"), and leaves the file.
func verifyEmptyLog(t *testing.T, dir, name string) {
	t.Helper()
	r, err := kv.Verify(context.Background(), dir)
	if err != nil || !r.OK() || !strings.Contains(fmt.Sprint(r.Notes), name+" empty") {
		t.Fatalf("verify with an empty %s: %v %+v", name, err, r)
	}
	if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() != 0 {
		t.Fatalf("verify changed %s: %v", name, err)
	}
}

// TestBadgerEmptyValueLogFile: every open of a store creates a new value
// log file (NNNNNN.vlog, the next number) by creating it and then growing it
// to its mapped size; a kill between the two leaves a zero-byte file.
// TestFaultKillDuringImport (cmd/ctoplan) hit it about 1 kill in 100 that
// landed while the child opened a new store: 000001.vlog of 0 bytes beside
// the MANIFEST, KEYREGISTRY, DISCARD and 00001.mem. Badger reads such a file
// back as one it has just created and fails ("During db.vlog.open ... Open
// existing file ... Create a new file"), after writing a header into it and
// growing it to 2 GiB, so that only the second open succeeds. The file
// holds no value (values follow the 20-byte header), so the store opens
// without it, at the first attempt, with every committed key; the value
// over Badger's 1 MiB value threshold lives in the previous value log file
// and must survive.
func TestBadgerEmptyValueLogFile(t *testing.T) {
	ctx := context.Background()
	big := bytes.Repeat([]byte("v"), 2<<20)
	for _, tc := range []struct {
		name  string
		store bool // a committed store before the kill
		file  string
	}{
		{"new store", false, "000001.vlog"},
		// The committed store's writes are in 000001.vlog; its next open
		// creates 000002.vlog.
		{"existing store", true, "000002.vlog"},
	} {
		dir := t.TempDir()
		if tc.store {
			db := openBadger(t, dir)
			if err := db.Update(ctx, func(txn kv.Txn) error {
				if err := txn.Set([]byte("k"), []byte("v")); err != nil {
					return err
				}
				return txn.Set([]byte("big"), big)
			}); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(dir, "000001.vlog")); err != nil {
				t.Fatalf("%s: the committed store has no first value log: %v", tc.name, err)
			}
			if _, err := os.Stat(filepath.Join(dir, tc.file)); err == nil {
				t.Fatalf("%s: %s exists before the simulated kill", tc.name, tc.file)
			}
		} else {
			// What the killed child left: a MANIFEST (so the directory is
			// a store) and the zero-byte value log. Opening and closing
			// the store once makes the other files; then the value log
			// goes back to zero bytes.
			db := openBadger(t, dir)
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, tc.file), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		verifyEmptyLog(t, dir, tc.file)
		db, err := kv.OpenBadger(dir, kv.Options{Logf: t.Logf})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := map[string]int{}
		err = db.View(ctx, func(txn kv.Txn) error {
			return txn.Scan(nil, nil, func(k, v []byte) error {
				got[string(k)] = len(v)
				return nil
			})
		})
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		want := map[string]int{}
		if tc.store {
			want = map[string]int{"k": 1, "big": len(big)}
		}
		if err != nil || !maps.Equal(got, want) {
			t.Fatalf("%s: keys (name: value length) %v, %v; want %v", tc.name, got, err, want)
		}
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
		verifyEmptyLog(t, dir, name)
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
