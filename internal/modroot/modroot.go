// Package modroot finds the root of the ctoplan module checkout that a
// command, test or benchmark runs in, and the public benchmark data
// beside it (../shared/data).
package modroot

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// Path is the module path whose go.mod marks the root.
const Path = "github.com/ctoplan/ctoplan"

// Find walks up from dir ("" for the working directory) to the directory
// holding the go.mod of module Path, and returns it. It fails when dir is
// not inside such a checkout.
func Find(dir string) (string, error) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", fmt.Errorf("module root: %w", err)
		}
		dir = wd
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("module root: %w", err)
	}
	for d := dir; ; {
		if IsRoot(d) {
			return d, nil
		}
		up := filepath.Dir(d)
		if up == d {
			return "", fmt.Errorf("no go.mod of module %s in %s or above it: run from inside a clone", Path, dir)
		}
		d = up
	}
}

// IsRoot reports whether dir holds the go.mod of module Path.
func IsRoot(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) == 2 && string(f[0]) == "module" && string(f[1]) == Path {
			return true
		}
	}
	return false
}

// SharedData returns ../shared/data/rel beside the module root found from
// the working directory, and fails when the root or that path is missing:
// a test or benchmark without its data fails, it does not skip (see
// ../shared/data/README.md).
func SharedData(rel string) (string, error) {
	root, err := Find("")
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, "..", "shared", "data", rel)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("shared benchmark data not found at %s (see ../shared/data/README.md): %w", p, err)
	}
	return p, nil
}
