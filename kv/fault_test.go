package kv_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/kv"
)

// filledStore writes n keys in batches and closes the store, so that they
// end up in a table (.sst); it returns the directory.
func filledStore(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	db := openBadger(t, dir)
	for b := 0; b < n; b += 1000 {
		err := db.Update(context.Background(), func(txn kv.Txn) error {
			for i := b; i < min(b+1000, n); i++ {
				if err := txn.Set(key(i), val(i)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func key(i int) []byte { return fmt.Appendf(nil, "key%06d", i) }
func val(i int) []byte { return fmt.Appendf(nil, "value of %d: %s", i, strings.Repeat("x", i%50)) }

// checkAll fails unless db holds exactly keys 0..n-1 with their values.
func checkAll(t *testing.T, db kv.DB, n int) {
	t.Helper()
	i := 0
	err := db.View(context.Background(), func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error {
			if string(k) != string(key(i)) || string(v) != string(val(i)) {
				return fmt.Errorf("pair %d: %q=%q", i, k, v)
			}
			i++
			return nil
		})
	})
	if err != nil || i != n {
		t.Fatalf("scan: %v after %d of %d keys", err, i, n)
	}
}

// snapshot maps each file of dir to its SHA-256.
func snapshot(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = sha256.Sum256(b)
	}
	return out
}

func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	if out, err := exec.Command("cp", "-a", from+"/.", to).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	return to
}

func sstOf(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*.sst"))
	if len(m) != 1 {
		t.Fatalf("want one table in %s, have %v", dir, m)
	}
	return m[0]
}

// TestFaultOpenDamaged damages a store in each way a disk or an operator can and
// checks that opening fails with ErrCorrupt, names the file, and changes no
// byte of the directory (today's Badger would open an empty store, delete
// the tables, panic, or skip the table).
func TestFaultOpenDamaged(t *testing.T) {
	const n = 20000
	clean := filledStore(t, n)
	sst := filepath.Base(sstOf(t, clean))
	fi, err := os.Stat(filepath.Join(clean, sst))
	if err != nil {
		t.Fatal(err)
	}
	size := fi.Size()
	type damage struct {
		name string
		file string // expected in the message
		do   func(dir string) error
	}
	damages := []damage{
		{"manifest deleted", "MANIFEST", func(d string) error { return os.Remove(filepath.Join(d, "MANIFEST")) }},
		{"manifest garbage", "MANIFEST", func(d string) error { return overwrite(filepath.Join(d, "MANIFEST"), 10, []byte("garbage!")) }},
		{"manifest empty", "MANIFEST", func(d string) error { return os.Truncate(filepath.Join(d, "MANIFEST"), 0) }},
		{"table deleted", sst, func(d string) error { return os.Remove(filepath.Join(d, sst)) }},
		{"table empty", sst, func(d string) error { return os.Truncate(filepath.Join(d, sst), 0) }},
		{"table truncated to half", sst, func(d string) error { return os.Truncate(filepath.Join(d, sst), size/2) }},
		{"table loses its last byte", sst, func(d string) error { return os.Truncate(filepath.Join(d, sst), size-1) }},
	}
	// One changed byte at 17 places spread over the table, from its first
	// block to its index and checksum trailer.
	for i := range 17 {
		off := int64(i) * (size - 1) / 16
		damages = append(damages, damage{fmt.Sprintf("table byte %d changed", off), sst, func(d string) error {
			return flip(filepath.Join(d, sst), off)
		}})
	}
	for _, dm := range damages {
		t.Run(dm.name, func(t *testing.T) {
			dir := copyDir(t, clean)
			if err := dm.do(dir); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			db, err := kv.OpenBadger(dir, kv.Options{Logf: t.Logf})
			if err == nil {
				db.Close()
				t.Fatal("opened a damaged store")
			}
			if !errors.Is(err, kv.ErrCorrupt) || !strings.Contains(err.Error(), dm.file) {
				t.Fatalf("error %q: want ErrCorrupt naming %s", err, dm.file)
			}
			after := snapshot(t, dir)
			if fmt.Sprint(before) != fmt.Sprint(after) {
				t.Fatalf("opening changed the directory:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
	// The undamaged original still opens with every key.
	db := openBadger(t, clean)
	checkAll(t, db, n)
	db.Close()
}

func overwrite(path string, off int64, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteAt(b, off); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func flip(path string, off int64) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return overwrite(path, off, []byte{b[off] ^ 0x5a})
}

// TestFaultLostDirectory deletes (and replaces) the directory of an open store:
// every transaction then fails with ErrLost, which is also ErrClosed, and
// Close returns at once instead of retrying a flush forever.
func TestFaultLostDirectory(t *testing.T) {
	for _, replace := range []bool{false, true} {
		t.Run(fmt.Sprint("replaced=", replace), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			db := openBadger(t, dir)
			put(t, db, "a", "1")
			if err := db.Check(); err != nil {
				t.Fatalf("Check on a healthy store: %v", err)
			}
			if err := os.RemoveAll(dir); err != nil {
				t.Fatal(err)
			}
			if replace {
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			err := db.Update(context.Background(), func(txn kv.Txn) error { return txn.Set([]byte("b"), []byte("2")) })
			if !errors.Is(err, kv.ErrLost) || !errors.Is(err, kv.ErrClosed) || !strings.Contains(err.Error(), dir) {
				t.Fatalf("Update after the directory vanished: %v", err)
			}
			if err := db.View(context.Background(), func(kv.Txn) error { return nil }); !errors.Is(err, kv.ErrLost) {
				t.Fatalf("View: %v", err)
			}
			if err := db.Check(); !errors.Is(err, kv.ErrLost) {
				t.Fatalf("Check: %v", err)
			}
			done := make(chan error, 1)
			go func() { done <- db.Close() }()
			select {
			case err := <-done:
				if !errors.Is(err, kv.ErrLost) {
					t.Fatalf("Close: %v, want ErrLost", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("Close hangs on a vanished directory")
			}
		})
	}
}

func put(t *testing.T, db kv.DB, k, v string) {
	t.Helper()
	if err := db.Update(context.Background(), func(txn kv.Txn) error { return txn.Set([]byte(k), []byte(v)) }); err != nil {
		t.Fatal(err)
	}
}

// TestFaultDiskFullReserve runs the store on a file system whose free space the
// test sets: a commit that would eat into the reserve fails with
// ErrDiskFull and writes nothing; with room again writes go on.
func TestFaultDiskFullReserve(t *testing.T) {
	dir := t.TempDir()
	db, err := kv.OpenBadger(dir, kv.Options{Logf: t.Logf, DiskReserve: 4 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	free := int64(100 << 20)
	kv.SetFreeSpace(db, func(string) (int64, bool, error) { return free, true, nil })
	put(t, db, "a", "1")
	// Reserve 4 MiB + 2 x (1 byte key + 1 MiB value) + the tables > 5 MiB.
	free = 5 << 20
	big := make([]byte, 1<<20)
	err = db.Update(context.Background(), func(txn kv.Txn) error { return txn.Set([]byte("b"), big) })
	if !errors.Is(err, kv.ErrDiskFull) || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("Update on a full disk: %v", err)
	}
	err = db.View(context.Background(), func(txn kv.Txn) error {
		_, err := txn.Get([]byte("b"))
		return err
	})
	if !errors.Is(err, kv.ErrNotFound) {
		t.Fatalf("the refused write is there: %v", err)
	}
	// A read-only Update writes nothing and needs no room.
	if err := db.Update(context.Background(), func(txn kv.Txn) error { _, err := txn.Get([]byte("a")); return err }); err != nil {
		t.Fatal(err)
	}
	free = 100 << 20
	put(t, db, "b", "2")
}

// TestMustExist: backup and verify refuse a directory without a store
// (a typo) instead of creating an empty one.
func TestMustExist(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo")
	for _, o := range []kv.Options{{MustExist: true}, {ReadOnly: true}} {
		_, err := kv.OpenBadger(dir, o)
		if !errors.Is(err, kv.ErrNoStore) {
			t.Fatalf("%+v: %v, want ErrNoStore", o, err)
		}
		if _, serr := os.Stat(dir); serr == nil {
			t.Fatalf("%+v created %s", o, dir)
		}
	}
	clean := filledStore(t, 10)
	db, err := kv.OpenBadger(clean, kv.Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	checkAll(t, db, 10)
	db.Close()
}

// TestFaultCorruptionOnRead changes a table under an open store (after the open
// verified it). No read may return a wrong value: a Get of a key in the
// damaged block fails (ErrCorrupt) or, where Badger's table iterator
// swallows the checksum error, finds nothing; the next open refuses the
// store.
func TestFaultCorruptionOnRead(t *testing.T) {
	const n = 20000
	dir := filledStore(t, n)
	sst := sstOf(t, dir)
	db := openBadger(t, dir)
	fi, _ := os.Stat(sst)
	if err := flip(sst, fi.Size()/3); err != nil {
		t.Fatal(err)
	}
	missing := 0
	for i := range n {
		err := db.View(context.Background(), func(txn kv.Txn) error {
			v, err := txn.Get(key(i))
			if err == nil && string(v) != string(val(i)) {
				t.Fatalf("key %d: wrong value %q with no error", i, v)
			}
			return err
		})
		switch {
		case err == nil:
		case errors.Is(err, kv.ErrCorrupt), errors.Is(err, kv.ErrNotFound):
			missing++
		default:
			t.Fatal(err)
		}
	}
	if missing == 0 || missing == n {
		t.Fatalf("%d of %d keys unreadable, want the damaged block's only", missing, n)
	}
	t.Logf("%d of %d keys (the damaged block) unreadable", missing, n)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := kv.OpenBadger(dir, kv.Options{Logf: t.Logf}); !errors.Is(err, kv.ErrCorrupt) {
		t.Fatalf("reopen: %v, want ErrCorrupt", err)
	}
}

// TestVerify: a clean store verifies with every key counted; a damaged one
// lists each damaged table, not only the first; a missing directory is an
// error, not an empty store.
func TestVerify(t *testing.T) {
	ctx := context.Background()
	dir := filledStore(t, 20000)
	r, err := kv.Verify(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || r.Keys != 20000 || r.Tables != 1 {
		t.Fatalf("clean store: %+v", r)
	}
	// A copy taken while the store is open looks like one after a crash:
	// not damaged, its write-ahead log is replayed at the next open.
	open := openBadger(t, dir)
	put(t, open, "after", "the flush")
	crashed := copyDir(t, dir)
	open.Close()
	r, err = kv.Verify(ctx, crashed)
	if err != nil || !r.OK() || len(r.Notes) == 0 {
		t.Fatalf("store copied while open: %v %+v", err, r)
	}
	sst := filepath.Join(dir, "000001.sst") // the 20,000 keys
	fi, _ := os.Stat(sst)
	if err := flip(sst, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "MANIFEST")); err != nil {
		t.Fatal(err)
	}
	r, err = kv.Verify(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || !strings.Contains(fmt.Sprint(r.Problems), "MANIFEST") {
		t.Fatalf("store without MANIFEST: %+v", r)
	}
	if _, err := kv.Verify(ctx, filepath.Join(dir, "typo")); !errors.Is(err, kv.ErrNoStore) {
		t.Fatalf("missing directory: %v", err)
	}
	// Two tables, both damaged: both are reported.
	dir2 := t.TempDir()
	db := openBadger(t, dir2)
	for b := range 2 {
		err := db.Update(ctx, func(txn kv.Txn) error {
			for i := range 5000 {
				if err := txn.Set(fmt.Appendf(nil, "t%d-%05d", b, i), val(i)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if b == 0 {
			// Reopen so that the first batch is flushed to its own table.
			db.Close()
			db = openBadger(t, dir2)
		}
	}
	db.Close()
	ssts, _ := filepath.Glob(filepath.Join(dir2, "*.sst"))
	if len(ssts) != 2 {
		t.Fatalf("want two tables, have %v", ssts)
	}
	for _, f := range ssts {
		fi, _ := os.Stat(f)
		if err := flip(f, fi.Size()/4); err != nil {
			t.Fatal(err)
		}
	}
	r, err = kv.Verify(ctx, dir2)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 2 {
		t.Fatalf("two damaged tables, problems %q", r.Problems)
	}
	for i, f := range ssts {
		if !strings.Contains(r.Problems[i], filepath.Base(f)) {
			t.Fatalf("problem %d %q does not name %s", i, r.Problems[i], filepath.Base(f))
		}
	}
}

// TestLockedBeforePreflight: a second opener of a store in use gets
// ErrLocked, never a diagnosis of damage from files the owner is changing;
// so does store verification.
func TestLockedBeforePreflight(t *testing.T) {
	dir := filledStore(t, 2000)
	db := openBadger(t, dir)
	defer db.Close()
	for _, o := range []kv.Options{{}, {ReadOnly: true}} {
		if _, err := kv.OpenBadger(dir, o); !errors.Is(err, kv.ErrLocked) {
			t.Fatalf("%+v: second open: %v, want ErrLocked", o, err)
		}
	}
	if _, err := kv.Verify(context.Background(), dir); !errors.Is(err, kv.ErrLocked) {
		t.Fatalf("Verify of a store in use: %v, want ErrLocked", err)
	}
}

// TestFaultBackupOfDamagedStore: a table damaged under an open store makes
// Backup fail with ErrCorrupt before it writes anything, instead of
// copying a store whose scan ends quietly at the damaged block.
func TestFaultBackupOfDamagedStore(t *testing.T) {
	dir := filledStore(t, 20000)
	db := openBadger(t, dir)
	defer db.Close()
	sst := sstOf(t, dir)
	fi, _ := os.Stat(sst)
	if err := flip(sst, fi.Size()/3); err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	err := kv.Backup(context.Background(), db, &buf)
	if !errors.Is(err, kv.ErrCorrupt) || buf.Len() != 0 {
		t.Fatalf("backup of a damaged store: %v, %d bytes written", err, buf.Len())
	}
}
