package main

import (
	"strings"
	"testing"
)

// TestMRPTimeZone: --tz and --shift-start put operation times in the
// plant's zone, RFC 3339 with its offset.
func TestMRPTimeZone(t *testing.T) {
	data := writeFiles(t, tinyPlant(), nil)
	out, errOut, err := runCmd(t, newMRPCmd(), "run", "--data", data, "--date", "2026-12-01", "--tz", "Asia/Shanghai", "--shift-start", "07:30", "--format", "json")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(out, `"start":"`) || strings.Contains(out, `Z"`) || !strings.Contains(out, `T15:30:00+08:00"`) {
		t.Errorf("operation times not in Shanghai time (shift 07:30-15:30):\n%s", out)
	}
	if _, _, err := runCmd(t, newMRPCmd(), "run", "--data", data, "--date", "2026-12-01", "--tz", "Nowhere/Land"); err == nil || !strings.Contains(err.Error(), "Nowhere/Land") {
		t.Errorf("bad zone: %v", err)
	}
}
