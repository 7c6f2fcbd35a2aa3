package benchmarks

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/ctoplan/ctoplan/configurator"
)

// The clasp baseline: clasp (Potassco's answer-set solver, which reads
// DIMACS CNF; `apt-get install clasp`) computes the cautious consequences
// (true in every model: core) and the brave ones (true in some model: what
// is not dead) of a feature model, two runs of `clasp --enum-mode=cautious
// | brave -n 0`. Our side is the whole job a user runs: load, compile and
// propagate with nothing picked, as `ctoplan model analyze` does. The case
// is skipped with a note when clasp is not on the PATH.

// claspConsequences runs clasp in mode (cautious or brave) on path and
// returns the variables of the last consequence set, and the wall time.
func claspConsequences(ctx context.Context, clasp, path, mode string) (map[int]bool, time.Duration, error) {
	cmd := exec.CommandContext(ctx, clasp, "--enum-mode="+mode, "-n", "0", "--quiet=1,0", path)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	err := cmd.Run()
	d := time.Since(t0)
	// clasp exits 10 (SAT) or 20 (UNSAT) when it completes.
	if ee, ok := err.(*exec.ExitError); ok && (ee.ExitCode() == 10 || ee.ExitCode() == 30) {
		err = nil
	}
	if err != nil {
		return nil, d, fmt.Errorf("clasp --enum-mode=%s %s: %v: %s", mode, path, err, strings.TrimSpace(errb.String()))
	}
	vars := map[int]bool{}
	sat := false
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "s SATISFIABLE"):
			sat = true
		case strings.HasPrefix(line, "v "):
			for _, f := range strings.Fields(line[2:]) {
				x, err := strconv.Atoi(f)
				if err != nil {
					return nil, d, fmt.Errorf("clasp output: bad literal %q", f)
				}
				if x > 0 {
					vars[x] = true
				}
			}
		}
	}
	if !sat {
		return nil, d, fmt.Errorf("clasp --enum-mode=%s %s: no SATISFIABLE answer", mode, path)
	}
	return vars, d, nil
}

// claspCase compares the whole analysis of a DIMACS feature model with
// clasp's cautious + brave consequences.
func claspCase(s modelSpec, quick bool) *Case {
	return &Case{
		Group: "analyze-vs-clasp", Op: "load + compile + propagate, nothing picked", Size: s.size,
		Metric: "ms/analyze", BaselineName: "clasp cautious+brave",
		Quick: quick, QuickTime: "1x", QuickBaselineTime: "1x", FullTime: "5x", FullBaselineTime: "3x",
		Setup: func(env Env) (*Fixture, error) { return analyzeVsClasp(env, s) },
	}
}

func analyzeVsClasp(env Env, s modelSpec) (*Fixture, error) {
	clasp, err := exec.LookPath("clasp")
	if err != nil {
		return nil, skipf("clasp is not on the PATH (apt-get install clasp)")
	}
	path, err := env.dataFile(s.path)
	if err != nil {
		return nil, err
	}
	f := &Fixture{}
	var ours *configurator.Domains
	var cautious, brave map[int]bool
	f.Ours = func(b B) {
		ctx := context.Background()
		var lat latencies
		b.ReportAllocs()
		for b.Loop() {
			t0 := time.Now()
			m, err := configurator.LoadFile(path)
			if err != nil {
				f.fatal(b, err)
			}
			c, err := configurator.Compile(m)
			if err != nil {
				f.fatal(b, err)
			}
			d, err := c.Propagate(ctx, nil)
			if err != nil {
				f.fatal(b, err)
			}
			lat = append(lat, time.Since(t0))
			ours = d
		}
		lat.report(b, "ms/analyze")
	}
	f.Baseline = func(b B) {
		ctx := context.Background()
		var lat latencies
		for b.Loop() {
			var d1, d2 time.Duration
			var err error
			if cautious, d1, err = claspConsequences(ctx, clasp, path, "cautious"); err != nil {
				f.fatal(b, err)
			}
			if brave, d2, err = claspConsequences(ctx, clasp, path, "brave"); err != nil {
				f.fatal(b, err)
			}
			lat = append(lat, d1+d2)
		}
		lat.report(b, "ms/analyze")
	}
	f.Check = func() error {
		if ours == nil || cautious == nil || brave == nil {
			return fmt.Errorf("%s: nothing to check (a run did not finish)", s.size)
		}
		// Variable i of the DIMACS file is characteristic i-1.
		core, dead := 0, 0
		for i, cd := range ours.Chars {
			v := i + 1
			st, ok := statusOf(cd, "true")
			if !ok {
				return fmt.Errorf("%s: %s has no value true", s.size, cd.Char)
			}
			if (st == configurator.Forced) != cautious[v] {
				return fmt.Errorf("%s: %s (variable %d): ours %v, clasp cautious consequence %v", s.size, cd.Char, v, st, cautious[v])
			}
			if (st == configurator.Excluded) != !brave[v] {
				return fmt.Errorf("%s: %s (variable %d): ours %v, clasp brave consequence %v", s.size, cd.Char, v, st, brave[v])
			}
			if st == configurator.Forced {
				core++
			}
			if st == configurator.Excluded {
				dead++
			}
		}
		f.note("ours and clasp agree: %d core, %d dead", core, dead)
		return nil
	}
	return f, nil
}

func statusOf(cd configurator.CharDomain, value string) (configurator.Status, bool) {
	for _, v := range cd.Values {
		if v.Value == value {
			return v.Status, true
		}
	}
	return 0, false
}
