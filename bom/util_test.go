package bom_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/kv"
)

// dumpKV renders the whole store as text, to compare before and after.
func dumpKV(t testing.TB, db kv.DB) string {
	t.Helper()
	var b strings.Builder
	err := db.View(ctx, func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error {
			fmt.Fprintf(&b, "%q=%q\n", k, v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func writeFile(t testing.TB, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
