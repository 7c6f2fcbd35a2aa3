//go:build ignore

// copy.go refreshes forklift/ from ../../testdata/forklift: run it with
// `go generate ./internal/demodata`.
package main

import (
	"log"
	"os"
	"path/filepath"
)

func main() {
	const src, dst = "../../testdata/forklift", "forklift"
	entries, err := os.ReadDir(src)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.RemoveAll(dst); err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		log.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || !wanted(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// wanted: the demo needs the model, the CSVs and the README, not tests'
// golden files.
func wanted(name string) bool {
	switch filepath.Ext(name) {
	case ".ctm", ".csv", ".md":
		return true
	}
	return false
}
