package kv_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/kv"
)

// TestFaultDiskFullTmpfs fills a real 8 MiB tmpfs (Badger used to die there with
// SIGBUS, writing through mmap into sparse files) with commits of
// incompressible data until the store refuses one with ErrDiskFull; every
// acknowledged commit must then read back, after a reopen on the full disk
// too. It needs root to mount; TestFaultDiskFullReserve covers the same logic
// with a simulated file system everywhere.
func TestFaultDiskFullTmpfs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root; TestFaultDiskFullReserve covers the check without it")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Fatalf("mount: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	for _, prefill := range []int64{0, 5 << 20} {
		t.Run(fmt.Sprint("prefilled=", prefill>>20, "MiB"), func(t *testing.T) {
			dir := filepath.Join(mnt, "store")
			os.RemoveAll(dir)
			os.Remove(filepath.Join(mnt, "other"))
			if prefill > 0 {
				// Another program took most of the disk before the store opened.
				if err := os.WriteFile(filepath.Join(mnt, "other"), randBytes(int(prefill)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			opts := kv.Options{Logf: t.Logf, MemTableSize: 1 << 20, SyncWrites: true}
			db, err := kv.OpenBadger(dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			acked := 0
			var full error
			var fullAt time.Time
			// Write until the disk is full, then go on trying for a second
			// and a half while Badger flushes and compacts in the
			// background (which frees space, or takes it): every commit is
			// acknowledged or refused, none crashes the process.
			for i := 0; i < 5000; i++ {
				if full != nil {
					if time.Since(fullAt) > 1500*time.Millisecond {
						break
					}
					time.Sleep(5 * time.Millisecond)
				}
				err := db.Update(context.Background(), func(txn kv.Txn) error {
					for j := range 20 {
						if err := txn.Set(fmt.Appendf(nil, "k%04d-%02d", i, j), randBytes(2000)); err != nil {
							return err
						}
					}
					return nil
				})
				switch {
				case err == nil:
					acked++
				case errors.Is(err, kv.ErrDiskFull):
					if full == nil {
						full, fullAt = err, time.Now()
					}
				default:
					t.Fatalf("commit %d: %v", i, err)
				}
			}
			if full == nil {
				t.Fatal("5000 commits of 40 KB fit on an 8 MiB disk")
			}
			t.Logf("%d commits acknowledged, first refusal: %v", acked, full)
			count := func(db kv.DB) int {
				n := 0
				err := db.View(context.Background(), func(txn kv.Txn) error {
					return txn.Scan(nil, nil, func(k, v []byte) error { n++; return nil })
				})
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			if got := count(db); got != 20*acked {
				t.Fatalf("%d keys before reopen, want %d", got, 20*acked)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			db, err = kv.OpenBadger(dir, opts)
			if err != nil {
				t.Fatalf("reopen on the full disk: %v", err)
			}
			defer db.Close()
			if got := count(db); got != 20*acked {
				t.Fatalf("%d keys after reopen, want %d", got, 20*acked)
			}
		})
	}
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rand.N(256))
	}
	return b
}
