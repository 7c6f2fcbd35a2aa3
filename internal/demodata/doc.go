// Package demodata embeds a copy of testdata/forklift (the demo's model,
// super BOM and plant CSVs), so that `ctoplan demo` works from an installed
// binary too, not only inside a clone of the repository.
//
// # Basics
//
// [FS] holds the files under forklift/. The copy is made by `go generate
// ./internal/demodata` (which runs copy.go) from ../../testdata/forklift.
//
// # Caveats
//
// The copy goes stale when testdata/forklift changes: run `go generate
// ./internal/demodata` after changing the demo data (and before a release:
// `CTOPLAN_CHECK_DEMODATA=1 go test ./internal/demodata` compares the two).
// Inside a clone, `ctoplan demo` reads testdata/forklift itself.
package demodata

import (
	"embed"
	"io/fs"
)

//go:generate go run copy.go

//go:embed forklift
var files embed.FS

// FS returns the embedded demo files, rooted at the forklift directory.
func FS() fs.FS {
	sub, err := fs.Sub(files, "forklift")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}
