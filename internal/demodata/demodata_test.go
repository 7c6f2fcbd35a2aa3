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
// was not regenerated. The demo data is still being written by its own
// generator, so the check runs only with CTOPLAN_CHECK_DEMODATA=1 (release
// checks); a stale copy is still a complete, consistent demo (the demo test
// runs on it: cmd/ctoplan TestDemoFacts/embedded).
func TestCopyIsFresh(t *testing.T) {
	if os.Getenv("CTOPLAN_CHECK_DEMODATA") == "" {
		t.Skip("set CTOPLAN_CHECK_DEMODATA=1 to compare the embedded copy with testdata/forklift")
	}
	const src = "../../testdata/forklift"
	if _, err := os.Stat(src); err != nil {
		t.Skipf("no %s: %v", src, err)
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
