package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/benchmarks"
	"github.com/ctoplan/ctoplan/internal/cputime"
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

// TestBenchOutsideClone runs bench as an installed binary does, from a
// directory with no go.mod above it: the demo cases run on the embedded
// copy of testdata/forklift, and --data names the public data.
func TestBenchOutsideClone(t *testing.T) {
	data, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "data"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(data); err != nil {
		t.Fatalf("the public data ../shared/data beside the clone: %v", err)
	}
	t.Chdir(t.TempDir())
	out, progress, err := runBench(t, "--filter", "^(propagate/forklift|propagate/renault-medium)$", "--benchtime", "1x", "--format", "json", "--data", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress)
	}
	if !strings.Contains(progress, "embedded copy") {
		t.Errorf("progress does not say the demo data is embedded: %q", progress)
	}
	var rs []struct {
		Size           string
		Ours           *float64
		Skipped, Error string
	}
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rs) != 2 {
		t.Fatalf("results: %+v", rs)
	}
	for _, r := range rs {
		if r.Skipped != "" || r.Error != "" || r.Ours == nil {
			t.Errorf("%s: skipped %q, error %q", r.Size, r.Skipped, r.Error)
		}
	}
	if _, _, err := runBench(t, "--filter", "^propagate/forklift$", "--data", filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("--data naming no directory: no error")
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
		{[]string{"--format", "xml"}, `invalid argument "xml" for "--format" flag: want one of table, json, csv, markdown`},
		{[]string{"--filter", "("}, "--filter: error parsing regexp"},
		{[]string{"--filter", "^nothing$"}, `no case matches --filter "^nothing$"`},
		{[]string{"--benchtime", "soon", "--filter", "^propagate/forklift$"}, `bench time "soon"`},
		{[]string{"extra"}, "model files go after --model"},
	} {
		_, _, err := runBench(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want it to contain %q", c.args, err, c.want)
		}
	}
}

// --model measures a model file outside the registry; --baseline fails the
// command when a figure got worse than in an earlier run's JSON, and
// passes it when none did.
func TestBenchModelBaseline(t *testing.T) {
	model := filepath.Join("..", "..", "testdata", "forklift", "forklift.ctm")
	out, progress, err := runBench(t, "--model", model, "--benchtime", "1x", "--format", "json")
	if err != nil {
		t.Fatalf("%v\n%s", err, progress)
	}
	var rs []struct {
		Group, Size string
		Metrics     map[string]float64
	}
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rs) != 1 || rs[0].Group != "model" || rs[0].Size != "forklift.ctm" {
		t.Fatalf("results: %s", out)
	}
	keys := []string{"ms/load", "ms/compile", "ms/propagate", "ms/pick", "ms/pick-p99"}
	if cputime.Measured {
		keys = append(keys, "cpu-ms/pick", "cpu-ms/pick-p99")
	}
	for _, k := range keys {
		if _, ok := rs[0].Metrics[k]; !ok {
			t.Errorf("no %s in %s", k, out)
		}
	}
	dir := t.TempDir()
	write := func(name string, scale float64) string {
		m := map[string]float64{}
		for k, v := range rs[0].Metrics {
			m[k] = v * scale
		}
		// every time 1000 ms lower or higher than measured, far beyond
		// any jitter and the 0.5 ms floor
		for k := range m {
			if strings.HasPrefix(k, "ms/") || strings.HasPrefix(k, "cpu-ms/") {
				m[k] = max(0, rs[0].Metrics[k]+1000*(scale-1))
			}
		}
		b, _ := json.Marshal([]map[string]any{{"group": "model", "size": "forklift.ctm", "metrics": m}})
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fast := write("fast.json", 0) // the baseline was far faster: now a regression
	slow := write("slow.json", 2) // the baseline was far slower: no regression
	_, _, err = runBench(t, "--model", model, "--benchtime", "1x", "--baseline", fast, "--max-regression", "20%")
	if err == nil || !strings.Contains(err.Error(), "worse than in") || !strings.Contains(err.Error(), "ms/propagate") {
		t.Errorf("against a faster baseline: err = %v, want the regressions listed", err)
	}
	if _, progress, err := runBench(t, "--model", model, "--benchtime", "1x", "--baseline", slow); err != nil || !strings.Contains(progress, "no figure worse") {
		t.Errorf("against a slower baseline: err = %v, progress %q", err, progress)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--model", "nope.ctm"}, "no such file"},
		{[]string{"--model", model, "--baseline", "nope.json"}, "--baseline"},
		{[]string{"--model", model, "--max-regression", "lots"}, "--max-regression"},
		{[]string{"stray.ctm"}, "model files go after --model"},
	} {
		if _, _, err := runBench(t, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want it to contain %q", c.args, err, c.want)
		}
	}
}

// TestBenchClaspChild runs the analyze-vs-clasp row on automotive01 with
// the whole command as a child process, as `ctoplan bench` does (this test
// binary, re-executed as ctoplan: a .test binary is not taken as the
// command by bench itself): the child's `model analyze --format json`
// answer agrees with clasp and with the published counts (100 core, 195
// dead), and the figures compared are the CPU times of both children.
func TestBenchClaspChild(t *testing.T) {
	if _, err := exec.LookPath("clasp"); err != nil {
		t.Fatalf("the analyze-vs-clasp rows need clasp on the PATH (apt-get install clasp): %v", err)
	}
	env, err := benchmarks.FindEnv("")
	if err != nil {
		t.Fatal(err)
	}
	env.Command = os.Args[0]
	t.Setenv(asCommandEnv, "1")
	rs, err := benchmarks.Run(benchmarks.Options{Env: env, BenchTime: "1x", Filter: regexp.MustCompile(`^analyze-vs-clasp/automotive01$`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Fatalf("%d results, want 1", len(rs))
	}
	r := rs[0]
	if r.Err != "" || r.Skipped != "" {
		t.Fatalf("err %q, skipped %q", r.Err, r.Skipped)
	}
	if r.Metric != "cpu-ms/analyze" || !(r.Ours > 0 && r.Baseline > 0) || r.Ratio != r.Baseline/r.Ours {
		t.Errorf("metric %q: ours %v, clasp %v, ratio %v: want CPU times above 0 and their ratio", r.Metric, r.Ours, r.Baseline, r.Ratio)
	}
	notes := strings.Join(r.Notes, "\n")
	for _, want := range []string{"agree: 100 core, 195 dead", "as a child process", "wall time: ours"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}
