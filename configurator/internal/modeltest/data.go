package modeltest

import (
	"os"
	"path/filepath"
	"testing"
)

// DataDir returns the configurator's public reference data,
// ../shared/data/configurator beside the module root (the directory
// holding go.mod above the working directory). It fails tb when either is
// missing: a reference test or benchmark without its data fails, it does
// not skip (see ../shared/data/README.md).
func DataDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("module root (go.mod) not found above the working directory")
		}
		dir = parent
	}
	d := filepath.Join(dir, "..", "shared", "data", "configurator")
	if _, err := os.Stat(d); err != nil {
		tb.Fatalf("shared reference data not found at %s (see ../shared/data/README.md): %v", d, err)
	}
	return d
}
