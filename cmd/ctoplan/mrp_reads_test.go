package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPlantReadsOnePath: pegging, exceptions, record and atp print the
// same bytes offline on a --store (mrp.BOMPlan in this process) as a
// server serving that store, and offline on --data as on the --store the
// same data was planned into (csv: JSON carries the plan revision, which
// the two stores need not share).
func TestPlantReadsOnePath(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "forklift")
	store := filepath.Join(t.TempDir(), "store")
	if _, _, err := runCmd(t, newMRPRunCmd(), "--data", dir, "--date", "2026-12-01", "--store", store, "--format", "csv"); err != nil {
		t.Fatal(err)
	}
	// a planned order of the first sales order's tree, for pegging --order
	pegs, _, err := runCmd(t, newMRPCmd(), "pegging", "SO-26-1187", "--store", store, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	var order string
	for _, row := range strings.Split(pegs, "\n") {
		if f := strings.Split(row, ","); len(f) == 7 && f[3] == "planned" {
			order = f[2]
			break
		}
	}
	if order == "" {
		t.Fatalf("no planned order in the supply tree of SO-26-1187:\n%s", pegs)
	}
	url, stop := serveFor(t, "--store", store)
	storeCopy := filepath.Join(t.TempDir(), "copy")
	if _, _, err := runCmd(t, newMRPRunCmd(), "--data", dir, "--date", "2026-12-01", "--store", storeCopy, "--format", "csv"); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if log, err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, log)
		}
	}()
	for _, args := range [][]string{
		{"pegging", "SO-26-1187"},
		{"pegging", "SO-26-1187", "--format", "json"},
		{"pegging", "--order", order, "--format", "csv"},
		{"exceptions", "--format", "csv"},
		{"exceptions", "--item", "OIL-HEES46", "--format", "json"},
		{"record", "HARN-BATT-48", "--format", "csv"},
		{"record", "HARN-BATT-48", "--format", "json"},
		{"atp", "HARN-BATT-48", "--qty", "3", "--want", "2026-12-10", "--format", "csv"},
		{"atp", "FL-TRUCK", "--qty", "2", "--want", "2027-02-01", "--pick", "capacity=t25", "--pick", "mast=triplex", "--format", "json"},
	} {
		want, _, err := runCmd(t, newMRPCmd(), append(args, "--store", storeCopy)...)
		if err != nil || strings.Count(want, "\n") < 2 {
			t.Fatalf("%v --store: %v\n%s", args, err, want)
		}
		got, _, err := runCmd(t, newMRPCmd(), append(args, "--server", url)...)
		if err != nil {
			t.Fatalf("%v --server: %v", args, err)
		}
		if got != want {
			t.Errorf("%v: --server printed\n%s\n--store printed\n%s", args, got, want)
		}
		if !strings.Contains(strings.Join(args, " "), "csv") {
			continue
		}
		data, _, err := runCmd(t, newMRPCmd(), append(args, "--data", dir, "--date", "2026-12-01")...)
		if err != nil {
			t.Fatalf("%v --data: %v", args, err)
		}
		if data != want {
			t.Errorf("%v: --data printed\n%s\n--store printed\n%s", args, data, want)
		}
	}
}
