package modroot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	tmp := t.TempDir()
	root := filepath.Join(tmp, "clone")
	deep := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	// A go.mod of another module below the root is walked past.
	if err := os.WriteFile(filepath.Join(root, "a", "go.mod"), []byte("module example.com/other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Find(deep); err == nil || !strings.Contains(err.Error(), Path) {
		t.Fatalf("Find outside a clone: %v, want an error naming %s", err, Path)
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("// c\nmodule "+Path+"\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Find(deep)
	if err != nil || got != root {
		t.Fatalf("Find(%s) = %q, %v; want %q", deep, got, err, root)
	}
	// A module path that only starts with Path is another module.
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module "+Path+"/v2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if IsRoot(root) {
		t.Fatalf("IsRoot: %s/v2 taken for %s", Path, Path)
	}
}

func TestSharedDataHere(t *testing.T) {
	// This package runs inside the checkout; the data beside it is
	// required by the tests that use it, and so here.
	p, err := SharedData("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	if _, err := SharedData("no/such/file"); err == nil {
		t.Fatal("SharedData of a missing path: no error")
	}
}
