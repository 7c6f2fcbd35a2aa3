package main

import (
	"strings"
	"testing"
)

// TestMRPRecordDatedPartChange is the repro: bom.csv replaces
// DISPLAY-STD-LCD by DISPLAY-STD-LCD2 from 2027-02-15, so the old display
// has no requirement from that day on and the new one gets them.
func TestMRPRecordDatedPartChange(t *testing.T) {
	dates := func(item string) []string {
		out, errOut, err := runCmd(t, newMRPCmd(), "record", "--data", "../../testdata/forklift", "--date", "2026-12-01", item, "--format", "csv")
		if err != nil {
			t.Fatalf("%s: %v\n%s", item, err, errOut)
		}
		var ds []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
			f := strings.Split(l, ",")
			if f[1] != "0" { // gross
				ds = append(ds, f[0])
			}
		}
		return ds
	}
	old, nw := dates("DISPLAY-STD-LCD"), dates("DISPLAY-STD-LCD2")
	for _, d := range old {
		if d >= "2027-02-15" {
			t.Errorf("DISPLAY-STD-LCD required on %s, after it was replaced", d)
		}
	}
	for _, d := range nw {
		if d < "2027-02-15" {
			t.Errorf("DISPLAY-STD-LCD2 required on %s, before it is in force", d)
		}
	}
	if len(old) == 0 || len(nw) == 0 {
		t.Errorf("requirements: LCD %v, LCD2 %v; the demo's orders need both", old, nw)
	}
}
