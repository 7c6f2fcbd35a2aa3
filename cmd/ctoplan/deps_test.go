package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestNoTestingDependency: the ctoplan binary does not link the testing
// package (ctoplan bench times its cases with benchmarks' own harness).
// It asks the go command for the package's dependencies, without its
// tests, as `go list -deps ./cmd/ctoplan` does.
func TestNoTestingDependency(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps .: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/ctoplan/ctoplan/benchmarks") {
		t.Fatalf("go list -deps lists no benchmarks package: is this the ctoplan command?\n%s", out)
	}
	for _, bad := range []string{"testing", "testing/internal/testdeps"} {
		if slices.Contains(deps, bad) {
			t.Errorf("cmd/ctoplan depends on %s; find the import with: go list -deps -f '{{.ImportPath}}: {{.Imports}}' ./cmd/ctoplan | grep -w %s", bad, bad)
		}
	}
}
