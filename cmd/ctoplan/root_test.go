package main

import (
	"path/filepath"
	"regexp"
	"slices"
	"testing"
)

// TestTopLevelNames: the table newRootCmdFor picks a subtree from names
// every top-level command of the whole tree, by the name its constructor
// gives it.
func TestTopLevelNames(t *testing.T) {
	var names []string
	for _, c := range newRootCmd().Commands() {
		names = append(names, c.Name())
	}
	var table []string
	for _, tl := range topLevel {
		table = append(table, tl.name)
		if got := tl.build().Name(); got != tl.name {
			t.Errorf("topLevel names %q, its constructor builds %q", tl.name, got)
		}
	}
	slices.Sort(names)
	slices.Sort(table)
	if !slices.Equal(names, table) {
		t.Errorf("the whole tree has %v, topLevel %v", names, table)
	}
}

// TestRootForArgs: a command line that starts with a top-level command
// builds that command alone under the root, and runs and prints as the
// whole tree does; any other command line gets the whole tree.
func TestRootForArgs(t *testing.T) {
	for _, tl := range topLevel {
		var got []string
		for _, c := range newRootCmdFor([]string{tl.name, "x"}).Commands() {
			got = append(got, c.Name())
		}
		if !slices.Equal(got, []string{tl.name}) {
			t.Errorf("for %q: children %v, want only %s", tl.name, got, tl.name)
		}
	}
	for _, args := range [][]string{nil, {}, {"--help"}, {"help", "model"}, {"modle", "analyze"}, {"completion", "bash"}, {"--cpuprofile", "x", "model"}} {
		if got, want := len(newRootCmdFor(args).Commands()), len(topLevel); got != want {
			t.Errorf("%q: %d top-level commands, want the whole tree's %d", args, got, want)
		}
	}
	// The same output from either tree: help, an analysis (its times
	// blanked), a usage error.
	times := regexp.MustCompile(`"(elapsed|load|compile|total)_ms": [0-9.e+-]+`)
	bike := filepath.Join(engineTestdata, "bike.ctm")
	for _, args := range [][]string{
		{"model", "--help"},
		{"model", "analyze", "--help"},
		{"model", "analyze", "--format", "json", bike},
		{"model", "analyze"},
		{"bom", "explode", "--help"},
		{"mrp", "nope"},
	} {
		wantOut, wantErr, wantE := runCmd(t, newRootCmd(), args...)
		gotOut, gotErr, gotE := runCmd(t, newRootCmdFor(args), args...)
		wantOut, gotOut = times.ReplaceAllString(wantOut, "$1"), times.ReplaceAllString(gotOut, "$1")
		if gotOut != wantOut || gotErr != wantErr || (gotE == nil) != (wantE == nil) || gotE != nil && gotE.Error() != wantE.Error() {
			t.Errorf("%q: the one-command tree printed\n%s\n%s\n(err %v); the whole tree\n%s\n%s\n(err %v)", args, gotOut, gotErr, gotE, wantOut, wantErr, wantE)
		}
		if len(gotOut)+len(gotErr) == 0 && gotE == nil {
			t.Errorf("%q printed nothing", args)
		}
	}
}
