package benchmarks

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestSmallCases runs every case marked Small once (ours, baseline, then
// the correctness check), as CI's cheap stand-in for the quick set: a
// disagreement between ours and the baseline, or with the published
// reference counts, fails it.
func TestSmallCases(t *testing.T) {
	env, err := FindEnv("")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Env: env, Small: true, BenchTime: "1x"}
	if raceEnabled {
		// the finite-schedule commands and drawing 100 new forklift
		// configurations take 15-20 s each under it: the plain run has them
		opts.Filter = regexp.MustCompile(`^(propagate|propagate-session|propagate-pick|bom-willems|story|atp|mrp-regenerative|mrp-netchange|mrp-run)/|^bom-resolve/forklift-seen$`)
	}
	rs, err := Run(opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) == 0 {
		t.Fatal("no small case")
	}
	for _, r := range rs {
		switch {
		case r.Skipped != "":
			t.Logf("%s/%s skipped: %s", r.Group, r.Size, r.Skipped)
		case r.N != 1 || r.BaselineName != "" && r.BaselineN != 1:
			t.Errorf("%s/%s: ran %d and %d iterations, want 1 each", r.Group, r.Size, r.N, r.BaselineN)
		case math.IsNaN(r.Ours) || r.Ours <= 0:
			t.Errorf("%s/%s: ours = %v %s, want a positive figure", r.Group, r.Size, r.Ours, r.Metric)
		}
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rs); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", buf.String())
}

// TestCheckFailureIsAnError: a case whose check fails gives an error from
// Run's case runner, whatever its speed.
func TestCheckFailureIsAnError(t *testing.T) {
	c := &Case{
		Group: "test", Op: "op", Size: "tiny", Metric: "ms/op", BaselineName: "base",
		Targets: []Target{{Metric: "ms/op", Op: "<=", Value: 1e9}},
		Setup: func(Env) (*Fixture, error) {
			op := func(b B) {
				var lat latencies
				for b.Loop() {
					t0 := time.Now()
					lat = append(lat, time.Since(t0))
				}
				lat.report(b, "ms/op")
			}
			return &Fixture{Ours: op, Baseline: op, Check: func() error { return errors.New("answers differ") }}, nil
		},
	}
	r := runCase(c, Options{BenchTime: "3x"})
	if !strings.Contains(r.Err, "answers differ") {
		t.Fatalf("Err = %q, want the check's error", r.Err)
	}
	if r.N != 3 || r.BaselineN != 3 {
		t.Errorf("N = %d, %d, want 3, 3", r.N, r.BaselineN)
	}
	if row := r.Row(); row[6] != "FAILED" {
		t.Errorf("row %q: met? column should say FAILED", row)
	}
}

// TestRunFailureIsAnError: a benchmark that stops with an error is
// reported with that error, not as a figure.
func TestRunFailureIsAnError(t *testing.T) {
	c := &Case{
		Group: "test", Op: "op", Size: "tiny", Metric: "ms/op",
		Setup: func(Env) (*Fixture, error) {
			f := &Fixture{}
			f.Ours = func(b B) {
				for b.Loop() {
					f.fatal(b, errors.New("engine said no"))
				}
			}
			return f, nil
		},
	}
	r := runCase(c, Options{BenchTime: "1x"})
	if !strings.Contains(r.Err, "engine said no") {
		t.Fatalf("Err = %q, want the run's error", r.Err)
	}
}

func TestSkip(t *testing.T) {
	env := EnvAt(t.TempDir())
	if env.Data != "" {
		t.Fatalf("Data = %q in an empty dir", env.Data)
	}
	for _, c := range Cases() {
		if c.Group != "propagate" || c.Size != "megane" {
			continue
		}
		r := runCase(c, Options{Env: env, BenchTime: "1x"})
		if r.Skipped == "" || r.Err != "" {
			t.Fatalf("without data: skipped %q, err %q", r.Skipped, r.Err)
		}
		return
	}
	t.Fatal("no megane case")
}

func TestQuantile(t *testing.T) {
	var l latencies
	for i := 100; i >= 1; i-- {
		l = append(l, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct{ q, want float64 }{{0.5, 50}, {0.99, 99}, {1, 100}, {0, 1}} {
		if got := l.quantile(c.q); got != c.want {
			t.Errorf("quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
	if !math.IsNaN(latencies(nil).quantile(0.5)) {
		t.Error("quantile of nothing should be NaN")
	}
}

func TestFormats(t *testing.T) {
	rs := []Result{
		{Op: "propagate", Size: "forklift", Metric: "ms/propagate", Ours: 0.5, Baseline: 12, BaselineName: "naive", Ratio: 24,
			Metrics: map[string]float64{"ms/propagate-p99": 0.9, "baseline ms/propagate-p99": 20},
			Targets: []Target{{Metric: "ms/propagate", Op: "<=", Value: 2}}, Met: []bool{true}},
		{Op: "regen", Size: "items=10", Metric: "items/s", HigherIsBetter: true, Ours: 2.5e6, Baseline: math.NaN(), Ratio: math.NaN()},
		{Op: "x", Size: "y", Metric: "ms/x", Ours: math.NaN(), Baseline: math.NaN(), Ratio: math.NaN(), Skipped: "no data"},
	}
	row := rs[0].Row()
	want := []string{"propagate", "forklift", "0.5 ms/propagate (p99 0.9)", "12.0 ms/propagate (p99 20.0) (naive)", "24.0x", "ms/propagate <= 2", "yes", ""}
	if strings.Join(row, "|") != strings.Join(want, "|") {
		t.Errorf("row\n got %q\nwant %q", row, want)
	}
	if got := rs[1].Row()[2]; got != "2.50M items/s" {
		t.Errorf("ours = %q", got)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rs); err != nil {
		t.Fatal(err)
	}
	var back []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if len(back) != 3 || back[1]["baseline"] != nil || back[0]["met"] != true {
		t.Errorf("json:\n%s", buf.String())
	}
	buf.Reset()
	if err := WriteMarkdown(&buf, rs); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(buf.String()), "\n"); len(lines) != 5 || !strings.HasPrefix(lines[1], "|---|") {
		t.Errorf("markdown:\n%s", buf.String())
	}
}

func TestSelect(t *testing.T) {
	all := Select(Options{})
	quick := Select(Options{Quick: true})
	if len(quick) == 0 || len(quick) >= len(all) {
		t.Errorf("quick set has %d of %d cases", len(quick), len(all))
	}
	only := Select(Options{Filter: regexp.MustCompile(`^mrp-netchange/`)})
	if len(only) != 5 {
		t.Errorf("filter mrp-netchange: %d cases, want 5", len(only))
	}
	seen := map[string]bool{}
	for _, c := range all {
		if seen[c.Name()] {
			t.Errorf("duplicate case %s", c.Name())
		}
		seen[c.Name()] = true
		if c.Quick && c.QuickTime == "" {
			t.Errorf("%s: quick without a quick bench time", c.Name())
		}
	}
}

// TestPlanPrint: the plan fingerprint used by the MRP checks sees a
// changed plan, and equal plans are equal.
func TestPlanPrint(t *testing.T) {
	in, err := plant(300)
	if err != nil {
		t.Fatal(err)
	}
	a, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	b, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if d := fingerprint(a).diff(fingerprint(b)); d != "" {
		t.Fatalf("same input, plans differ: %s", d)
	}
	dem := in.Demands[0]
	dem.Qty += 1000
	if _, err := b.Apply(mrp.SetDemand{Demand: dem}); err != nil {
		t.Fatal(err)
	}
	if d := fingerprint(a).diff(fingerprint(b)); d == "" {
		t.Fatal("a demand up by 1000 left the fingerprint unchanged")
	}
}

// TestGroupsHaveBenchmarks: every group of the registry is run by a
// Benchmark function of bench_test.go, so go test -bench sees every case.
func TestGroupsHaveBenchmarks(t *testing.T) {
	src, err := os.ReadFile("bench_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range Groups() {
		if !strings.Contains(string(src), `runGroup(b, "`+g+`")`) {
			t.Errorf("group %q has no Benchmark function in bench_test.go", g)
		}
	}
}

func TestCompareRegressions(t *testing.T) {
	old := map[string]map[string]float64{
		"model/a": {"ms/propagate": 10, "ms/pick-p99": 2, "ms/load": 0.1, "items/s": 1000, "allocs/op": 5,
			"cpu-ms/pick": 1, "cpu-ms/pick-p99": 2},
	}
	rs := []Result{
		// propagate 10 -> 12.5 (+25%, 2.5 ms): worse; p99 2 -> 2.3 (+15%):
		// within 20%; load 0.1 -> 0.3 (+200% but 0.2 ms, under the 0.5 ms
		// floor); items/s 1000 -> 800 (1000/1.2 = 833 > 800): worse;
		// allocs are not compared; CPU times like wall times: cpu-ms/pick
		// 1 -> 1.4 (+40% but 0.4 ms, under the floor), cpu-ms/pick-p99
		// 2 -> 3 (+50%, 1 ms): worse.
		{Group: "model", Size: "a", Metrics: map[string]float64{"ms/propagate": 12.5, "ms/pick-p99": 2.3, "ms/load": 0.3, "items/s": 800, "allocs/op": 50,
			"cpu-ms/pick": 1.4, "cpu-ms/pick-p99": 3}},
		// not in old: not compared
		{Group: "model", Size: "b", Metrics: map[string]float64{"ms/propagate": 1e6}},
	}
	regs := Compare(old, rs, 0.2)
	var got []string
	for _, r := range regs {
		got = append(got, r.Metric)
	}
	if strings.Join(got, " ") != "cpu-ms/pick-p99 items/s ms/propagate" {
		t.Errorf("regressions %v, want cpu-ms/pick-p99, items/s and ms/propagate", regs)
	}
	if regs := Compare(old, rs, 0.5); len(regs) != 0 {
		t.Errorf("with 50%% allowed: %v", regs)
	}
}

func TestParseRegression(t *testing.T) {
	for in, want := range map[string]float64{"20%": 0.2, "0.2": 0.2, " 5% ": 0.05, "0": 0} {
		if got, err := ParseRegression(in); err != nil || math.Abs(got-want) > 1e-12 {
			t.Errorf("ParseRegression(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "-5%", "20%%"} {
		if _, err := ParseRegression(in); err == nil {
			t.Errorf("ParseRegression(%q) accepted", in)
		}
	}
}

func TestReadResultsRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	rs := []Result{{Group: "model", Size: "a", Ours: 1, Baseline: math.NaN(), Ratio: math.NaN(), Metrics: map[string]float64{"ms/propagate": 1.5}},
		{Group: "model", Size: "skipped", Skipped: "no data"}}
	if err := WriteJSON(&buf, rs); err != nil {
		t.Fatal(err)
	}
	old, err := ReadResults(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(old) != 1 || old["model/a"]["ms/propagate"] != 1.5 {
		t.Errorf("read back %v", old)
	}
	if _, err := ReadResults(strings.NewReader("{}")); err == nil {
		t.Error("a JSON object that is not a results array was accepted")
	}
}

// TestPickCPUFigures: the forklift's pick rows report the CPU time per
// call beside the wall time where CPU time is measured, with the 1 ms
// target on its p99, and the figures are CPU times in milliseconds: no
// call can use more CPU than the machine's cores give it over its wall
// time (plus the staleness of other threads' accounting, at most a few
// scheduler ticks), so each quantile of the CPU times is bounded by
// NumCPU times the same quantile of the wall times.
func TestPickCPUFigures(t *testing.T) {
	env, err := FindEnv("")
	if err != nil {
		t.Fatal(err)
	}
	bt := "40x"
	if raceEnabled {
		bt = "10x" // each call about ten times as long
	}
	rs, err := Run(Options{Env: env, BenchTime: bt, Filter: regexp.MustCompile(`^propagate-(session|pick)/forklift$`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("%d results, want the session and the pick row of forklift", len(rs))
	}
	const slackMS = 25 // a few scheduler ticks of other threads' unaccounted CPU
	for _, r := range rs {
		if r.Err != "" || r.Skipped != "" {
			t.Fatalf("%s/%s: %s%s", r.Group, r.Size, r.Err, r.Skipped)
		}
		p50, ok50 := r.Metrics["cpu-ms/propagate"]
		p99, ok99 := r.Metrics["cpu-ms/propagate-p99"]
		var target bool
		for _, tg := range r.Targets {
			target = target || tg.Metric == "cpu-ms/propagate-p99" && tg.Op == "<=" && tg.Value == 1
		}
		if !cpuMeasured {
			if ok50 || ok99 || target {
				t.Errorf("%s/%s: CPU figures or target where CPU time is not measured", r.Group, r.Size)
			}
			continue
		}
		if !ok50 || !ok99 || !target {
			t.Fatalf("%s/%s: cpu-ms/propagate %v, p99 %v, target %v: want all three (metrics %v)", r.Group, r.Size, ok50, ok99, target, r.Metrics)
		}
		if !(p50 >= 0 && p50 <= p99 && p99 > 0) {
			t.Errorf("%s/%s: cpu-ms/propagate p50 %v, p99 %v", r.Group, r.Size, p50, p99)
		}
		n := float64(runtime.NumCPU())
		for _, q := range []struct{ cpu, wall string }{{"cpu-ms/propagate", "ms/propagate"}, {"cpu-ms/propagate-p99", "ms/propagate-p99"}} {
			if c, w := r.Metrics[q.cpu], r.Metrics[q.wall]; c > n*w+slackMS {
				t.Errorf("%s/%s: %s %v ms exceeds %v cores times %s %v ms", r.Group, r.Size, q.cpu, c, n, q.wall, w)
			}
		}
		if _, ok := r.Metrics["baseline cpu-ms/propagate"]; !ok {
			t.Errorf("%s/%s: no CPU figure for the naive baseline", r.Group, r.Size)
		}
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rs); err != nil {
		t.Fatal(err)
	}
	if cpuMeasured && !strings.Contains(buf.String(), "in CPU time") {
		t.Errorf("the table's notes do not give the CPU figures:\n%s", buf.String())
	}
}
