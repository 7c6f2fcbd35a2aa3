package kv_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/ctoplan/ctoplan/kv"
)

func FuzzRestore(f *testing.F) {
	src := kv.NewMemory()
	src.Update(context.Background(), func(txn kv.Txn) error {
		txn.Set([]byte("a"), []byte("1"))
		return txn.Set([]byte("b\x00"), nil)
	})
	var buf bytes.Buffer
	if err := kv.Backup(context.Background(), src, &buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("ctoplan-kv-backup 1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		db := kv.NewMemory()
		defer db.Close()
		err := kv.Restore(context.Background(), db, bytes.NewReader(b), 0)
		if err != nil && !errors.Is(err, kv.ErrBadBackup) {
			t.Fatalf("error not ErrBadBackup: %v", err)
		}
	})
}
