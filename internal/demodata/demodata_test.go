package demodata_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/ctoplan/ctoplan/internal/demodata"
)

// TestCopyIsFresh fails when testdata/forklift changed and the embedded copy
// was not regenerated (go generate ./internal/demodata).
func TestCopyIsFresh(t *testing.T) {
	const src = "../../testdata/forklift"
	if _, err := os.Stat(src); err != nil {
		t.Fatalf("no %s (the demo data is part of the repository): %v", src, err)
	}
	embedded := demodata.FS()
	n := 0
	err := fs.WalkDir(embedded, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		got, err := fs.ReadFile(embedded, path)
		if err != nil {
			return err
		}
		want, err := os.ReadFile(filepath.Join(src, path))
		if err != nil {
			t.Errorf("%s is embedded but not in %s: run go generate ./internal/demodata", path, src)
			return nil
		}
		if !bytes.Equal(got, want) {
			t.Errorf("embedded %s differs from %s: run go generate ./internal/demodata", path, src)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch filepath.Ext(e.Name()) {
		case ".ctm", ".csv", ".md":
			if _, err := fs.Stat(embedded, e.Name()); err != nil {
				t.Errorf("%s/%s is not embedded: run go generate ./internal/demodata", src, e.Name())
			}
		}
	}
	if n == 0 {
		t.Error("nothing embedded")
	}
}
