package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func runBench(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd := newBenchCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func TestBenchJSON(t *testing.T) {
	out, progress, err := runBench(t, "--filter", "^propagate/forklift$", "--benchtime", "1x", "--format", "json")
	if err != nil {
		t.Fatalf("%v\n%s", err, progress)
	}
	var rs []struct {
		Operation, Size, Metric string
		Ours, Baseline          *float64
		Skipped, Error          string
	}
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rs) != 1 || rs[0].Size != "forklift" || rs[0].Error != "" {
		t.Fatalf("results: %+v", rs)
	}
	if rs[0].Skipped == "" && (rs[0].Ours == nil || rs[0].Baseline == nil) {
		t.Errorf("no figures: %s", out)
	}
	if !strings.Contains(progress, "propagate/forklift") {
		t.Errorf("progress on stderr: %q", progress)
	}
}

func TestBenchList(t *testing.T) {
	out, _, err := runBench(t, "--list", "--quick", "--filter", "^mrp-")
	if err != nil {
		t.Fatal(err)
	}
	// the quick set leaves the 50,000-item plants out
	if n := strings.Count(out, "\n"); n != 5 || !strings.Contains(out, "mrp-netchange/items=10000") ||
		!strings.Contains(out, "mrp-run/light-items=10000-demands=10000") || strings.Contains(out, "50000") {
		t.Errorf("list:\n%s", out)
	}
}

func TestBenchBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "xml"}, `--format "xml": want table, json or markdown`},
		{[]string{"--filter", "("}, "--filter: error parsing regexp"},
		{[]string{"--filter", "^nothing$"}, `no case matches --filter "^nothing$"`},
		{[]string{"--benchtime", "soon", "--filter", "^propagate/forklift$"}, `bench time "soon"`},
		{[]string{"extra"}, "unknown command"},
	} {
		_, _, err := runBench(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want it to contain %q", c.args, err, c.want)
		}
	}
}
