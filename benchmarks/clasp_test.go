package benchmarks

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestClaspRowCPU runs the analyze-vs-clasp row in this process on the
// engine's small DIMACS model (variables root, a, b, c; clauses root,
// a -> root, not (a and b), a): root and a are forced by their unit
// clauses, b is then dead, c is free, so 2 core and 1 dead, which clasp's
// cautious (root a) and brave (root a c) consequences must confirm. The
// figure compared, and the ratio, are CPU time against CPU time; the wall
// times are kept beside them.
func TestClaspRowCPU(t *testing.T) {
	clasp, err := exec.LookPath("clasp")
	if err != nil {
		t.Fatalf("the analyze-vs-clasp rows need clasp on the PATH (apt-get install clasp): %v", err)
	}
	path := filepath.Join("..", "configurator", "testdata", "engine", "small.dimacs")
	c := claspCase(modelSpec{size: "small"}, false)
	c.Setup = func(Env) (*Fixture, error) { return claspFixture("", clasp, "small", path) }
	r := runCase(c, Options{BenchTime: "3x"})
	if r.Err != "" || r.Skipped != "" {
		t.Fatalf("err %q, skipped %q", r.Err, r.Skipped)
	}
	if r.Metric != "cpu-ms/analyze" || r.N != 3 || r.BaselineN != 3 {
		t.Fatalf("metric %q, %d and %d iterations: want cpu-ms/analyze, 3 and 3", r.Metric, r.N, r.BaselineN)
	}
	m := r.Metrics
	if r.Ours != m["cpu-ms/analyze"] || r.Baseline != m["baseline cpu-ms/analyze"] {
		t.Errorf("ours %v, baseline %v: not the CPU medians %v, %v", r.Ours, r.Baseline, m["cpu-ms/analyze"], m["baseline cpu-ms/analyze"])
	}
	if !(r.Ours > 0 && r.Baseline > 0) {
		t.Fatalf("CPU times %v and %v ms: want both above 0", r.Ours, r.Baseline)
	}
	if want := r.Baseline / r.Ours; r.Ratio != want {
		t.Errorf("ratio %v, want clasp's CPU over ours, %v", r.Ratio, want)
	}
	// clasp runs on one thread: the CPU time of each run is at most the
	// wall time around it (start and wait included), and so is the median.
	if w, ok := m["baseline ms/analyze"]; !ok || r.Baseline > w {
		t.Errorf("clasp: %v CPU-ms against %v wall-ms (present: %v): the CPU time is not the child's", r.Baseline, w, ok)
	}
	if _, ok := m["ms/analyze"]; !ok {
		t.Errorf("ours: no wall time in %v", m)
	}
	notes := strings.Join(r.Notes, "\n")
	for _, want := range []string{"agree: 2 core, 1 dead", "CPU time (user + system)", "in this process", "wall time: ours"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}
