package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMRPFirmRelease firms and releases planned orders through the CLI on
// a kept store: the IDs stay, the firm order is planned as firmed, the
// released one is a receipt.
func TestMRPFirmRelease(t *testing.T) {
	data := writeFiles(t, tinyPlant(), nil)
	store := filepath.Join(t.TempDir(), "store")
	if _, errOut, err := runCmd(t, newMRPCmd(), "run", "--store", store, "--data", data, "--date", "2026-12-01"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	// STEEL#2027-01-08 (1160 kg) firmed at 1200 on 2027-01-06.
	_, errOut, err := runCmd(t, newMRPCmd(), "firm", "STEEL#2027-01-08", "--qty", "1200", "--due", "2027-01-06", "--store", store, "--format", "csv")
	if err != nil || !strings.Contains(errOut, "STEEL#2027-01-08 firm: STEEL 1200 due 2027-01-06") {
		t.Fatalf("firm: %v\n%s", err, errOut)
	}
	out, _, err := runCmd(t, newMRPCmd(), "run", "--store", store, "--item", "STEEL", "--format", "csv")
	if err != nil || !strings.Contains(out, "STEEL#2027-01-08,STEEL,purchase,1200,") || !strings.Contains(out, ",2027-01-06,") {
		t.Errorf("steel after firming: %v\n%s", err, out)
	}
	// Released: a purchase order STEEL#2027-01-08; FRAME's order too.
	_, errOut, err = runCmd(t, newMRPCmd(), "release", "STEEL#2027-01-08", "FRAME#2027-01-13", "--store", store, "--format", "csv")
	if err != nil || !strings.Contains(errOut, "STEEL#2027-01-08 released: purchase order of 1200 STEEL due 2027-01-06") ||
		!strings.Contains(errOut, "FRAME#2027-01-13 released: production order of 10 FRAME due 2027-01-13") {
		t.Fatalf("release: %v\n%s", err, errOut)
	}
	out, _, err = runCmd(t, newMRPCmd(), "record", "STEEL", "--store", store, "--format", "csv")
	if err != nil || !strings.Contains(out, "2027-01-06,0,1200,") {
		t.Errorf("steel record after the release: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"firm", "NOPE#2027-01-01", "--store", store}, "NOPE#2027-01-01"},
		{[]string{"firm", "STEEL#2027-01-08", "--unfirm", "--qty", "3", "--store", store}, "--unfirm"},
		{[]string{"release", "STEEL#2027-01-08", "--store", store}, "STEEL#2027-01-08"},
		{[]string{"firm", "--store", store}, "arg"},
	} {
		_, _, err := runCmd(t, newMRPCmd(), tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
}
