package benchmarks

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ctoplan/ctoplan/internal/demodata"
	"github.com/ctoplan/ctoplan/internal/modroot"
)

// ModulePath is the module whose root FindEnv looks for.
const ModulePath = modroot.Path

// Env says where the benchmarks find their inputs.
type Env struct {
	// Root is the module root (testdata/forklift is below it); "" outside a
	// clone (see [BuiltinEnv]).
	Root string
	// Forklift is the directory of the demo data: testdata/forklift below
	// Root, or the binary's embedded copy extracted by [BuiltinEnv].
	Forklift string
	// Data is the public benchmark data directory (../shared/data from the
	// root, or --data); "" when it does not exist.
	Data string
	// Command is a ctoplan binary (`ctoplan bench` sets its own): the
	// whole-command cases run it as a child process and take its CPU time
	// and peak resident memory from getrusage. "" runs them in this
	// process, peak memory then being the growth of the Go runtime's.
	Command string
}

// FindEnv walks up from dir ("" for the working directory) to the root of
// module ModulePath and returns the environment found there.
func FindEnv(dir string) (Env, error) {
	root, err := modroot.Find(dir)
	if err != nil {
		return Env{}, fmt.Errorf("benchmarks: %w", err)
	}
	return EnvAt(root), nil
}

// EnvAt returns the environment of the module root root.
func EnvAt(root string) Env {
	e := Env{Root: root, Forklift: filepath.Join(root, "testdata", "forklift")}
	data := filepath.Join(root, "..", "shared", "data")
	if st, err := os.Stat(data); err == nil && st.IsDir() {
		e.Data = filepath.Clean(data)
	}
	return e
}

// BuiltinEnv is the environment of an installed binary run outside a clone:
// the demo data is the embedded copy of testdata/forklift, written to a new
// directory below dir (the caller removes it), and data, when not "", is the
// public benchmark data directory (cases that need it are skipped with a
// note otherwise).
func BuiltinEnv(dir, data string) (Env, error) {
	fk, err := os.MkdirTemp(dir, "ctoplan-bench-forklift-")
	if err != nil {
		return Env{}, fmt.Errorf("benchmarks: %w", err)
	}
	if err := os.CopyFS(fk, demodata.FS()); err != nil {
		os.RemoveAll(fk)
		return Env{}, fmt.Errorf("benchmarks: extracting the embedded demo data: %w", err)
	}
	return Env{Forklift: fk, Data: data}, nil
}

// dataFile returns the path of rel below the data directory, or a
// *SkipError when the data or the file is absent.
func (e Env) dataFile(rel string) (string, error) {
	if e.Data == "" {
		return "", skipf("public data directory ../shared/data not found beside the module root %s", e.Root)
	}
	p := filepath.Join(e.Data, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", skipf("%s not found", p)
		}
		return "", err
	}
	return p, nil
}

// forkliftFile returns the path of the demo file name, or a *SkipError
// when it is absent.
func (e Env) forkliftFile(name string) (string, error) {
	if e.Forklift == "" {
		return "", skipf("no demo data (testdata/forklift) in this environment")
	}
	p := filepath.Join(e.Forklift, name)
	if _, err := os.Stat(p); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", skipf("%s not found", p)
		}
		return "", err
	}
	return p, nil
}
