package benchmarks

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
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
//
// The figure compared is CPU time (user + system), not wall time: on a
// loaded machine the wall time of either side swings tenfold (clasp alone
// from 100 ms to 2 s) while its CPU time holds. clasp's is the rusage of
// its two processes; ours is the rusage of `ctoplan model analyze
// --format json FILE` run the same way as a child process when
// Env.Command is set (process start and printing included, as for
// clasp), else the CPU time this process spends on LoadFile + Compile +
// Propagate. The wall times go to the notes.

// claspRun is one clasp run: the variables of the last consequence set,
// and its wall and CPU time.
type claspRun struct {
	vars      map[int]bool
	wall, cpu time.Duration
}

// claspConsequences runs clasp in mode (cautious or brave) on path.
func claspConsequences(ctx context.Context, clasp, path, mode string) (claspRun, error) {
	cmd := exec.CommandContext(ctx, clasp, "--enum-mode="+mode, "-n", "0", "--quiet=1,0", path)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	err := cmd.Run()
	r := claspRun{wall: time.Since(t0)}
	if cmd.ProcessState != nil {
		r.cpu, _ = childUsage(cmd.ProcessState) // not its ru_maxrss: see watchChildPeak
	}
	// clasp exits 10 (SAT) or 20 (UNSAT) when it completes.
	if ee, ok := err.(*exec.ExitError); ok && (ee.ExitCode() == 10 || ee.ExitCode() == 30) {
		err = nil
	}
	if err != nil {
		return r, fmt.Errorf("clasp --enum-mode=%s %s: %v: %s", mode, path, err, strings.TrimSpace(errb.String()))
	}
	r.vars = map[int]bool{}
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
					return r, fmt.Errorf("clasp output: bad literal %q", f)
				}
				if x > 0 {
					r.vars[x] = true
				}
			}
		}
	}
	if !sat {
		return r, fmt.Errorf("clasp --enum-mode=%s %s: no SATISFIABLE answer", mode, path)
	}
	return r, nil
}

// claspCase compares the whole analysis of a DIMACS feature model with
// clasp's cautious + brave consequences, in CPU time.
func claspCase(s modelSpec, quick bool) *Case {
	return &Case{
		Group: "analyze-vs-clasp", Op: "load + compile + propagate, nothing picked", Size: s.size,
		Metric: "cpu-ms/analyze", BaselineName: "clasp cautious+brave",
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
	return claspFixture(env.Command, clasp, s.size, path)
}

// analysis is what the check compares: the characteristics forced true
// (core) and the ones that can never be true (dead), by name.
type analysis struct {
	core, dead map[string]bool
}

// claspFixture times the analysis of the DIMACS file path against clasp
// (the binary clasp): `command model analyze` as a child process when
// command is not "", else the library calls in this process.
func claspFixture(command, clasp, name, path string) (*Fixture, error) {
	// the names of the characteristics, in the order of the DIMACS
	// variables (variable i is characteristic i-1), for the check
	m, err := configurator.LoadFile(path)
	if err != nil {
		return nil, err
	}
	chars := make([]string, len(m.Chars))
	for i, c := range m.Chars {
		chars[i] = c.Name
	}
	f := &Fixture{}
	var ours *analysis
	var cautious, brave map[int]bool
	var oursWall, claspWall float64 // medians, ms, for the notes
	how := "LoadFile + Compile + Propagate in this process"
	if command != "" {
		how = "`ctoplan model analyze --format json` as a child process"
	}
	f.Ours = func(b B) {
		ctx := context.Background()
		var lat, cpu latencies
		b.ReportAllocs()
		for b.Loop() {
			if command != "" {
				a, wall, c, err := analyzeCommand(ctx, command, path)
				if err != nil {
					f.fatal(b, err)
				}
				lat, cpu, ours = append(lat, wall), append(cpu, c), a
				continue
			}
			c0, t0 := cpuTime(), time.Now()
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
			lat, cpu = append(lat, time.Since(t0)), append(cpu, cpuTime()-c0)
			ours = analysisOf(d)
		}
		oursWall = lat.quantile(0.5)
		lat.report(b, "ms/analyze")
		if cpuMeasured {
			cpu.report(b, "cpu-ms/analyze")
		}
	}
	f.Baseline = func(b B) {
		ctx := context.Background()
		var lat, cpu latencies
		for b.Loop() {
			c, err := claspConsequences(ctx, clasp, path, "cautious")
			if err != nil {
				f.fatal(b, err)
			}
			br, err := claspConsequences(ctx, clasp, path, "brave")
			if err != nil {
				f.fatal(b, err)
			}
			cautious, brave = c.vars, br.vars
			lat, cpu = append(lat, c.wall+br.wall), append(cpu, c.cpu+br.cpu)
		}
		claspWall = lat.quantile(0.5)
		lat.report(b, "ms/analyze")
		if cpuMeasured {
			cpu.report(b, "cpu-ms/analyze")
		}
	}
	f.Check = func() error {
		if ours == nil || cautious == nil || brave == nil {
			return fmt.Errorf("%s: nothing to check (a run did not finish)", name)
		}
		for _, set := range []map[string]bool{ours.core, ours.dead} {
			for c := range set {
				if m.Char(c) == nil {
					return fmt.Errorf("%s: ours names %q, not a characteristic of the model", name, c)
				}
			}
		}
		for i, c := range chars {
			v := i + 1
			if ours.core[c] != cautious[v] {
				return fmt.Errorf("%s: %s (variable %d): ours core %v, clasp cautious consequence %v", name, c, v, ours.core[c], cautious[v])
			}
			if ours.dead[c] != !brave[v] {
				return fmt.Errorf("%s: %s (variable %d): ours dead %v, clasp brave consequence %v", name, c, v, ours.dead[c], brave[v])
			}
		}
		f.note("ours and clasp agree: %d core, %d dead", len(ours.core), len(ours.dead))
		if cpuMeasured {
			f.note("CPU time (user + system) against CPU time: ours %s, clasp its two processes; wall time: ours %.1f ms, clasp %.1f ms (%.3gx), which depends on the load", how, oursWall, claspWall, claspWall/oursWall)
		} else {
			f.note("CPU time is not measured on this system, so no ratio (ours %s); wall time: ours %.1f ms, clasp %.1f ms (%.3gx)", how, oursWall, claspWall, claspWall/oursWall)
		}
		return nil
	}
	return f, nil
}

// analysisOf reads the core and the dead characteristics off d: the ones
// whose value true is forced, and excluded.
func analysisOf(d *configurator.Domains) *analysis {
	a := &analysis{core: map[string]bool{}, dead: map[string]bool{}}
	for _, cd := range d.Chars {
		for _, v := range cd.Values {
			if v.Value != "true" {
				continue
			}
			switch v.Status {
			case configurator.Forced:
				a.core[cd.Char] = true
			case configurator.Excluded:
				a.dead[cd.Char] = true
			}
		}
	}
	return a
}

// analyzeCommand runs `command model analyze --format json path` and
// returns its core and dead, its wall time and its CPU time (user +
// system, from its rusage).
func analyzeCommand(ctx context.Context, command, path string) (*analysis, time.Duration, time.Duration, error) {
	args := []string{"model", "analyze", "--format", "json", path}
	cmd := exec.CommandContext(ctx, command, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	t0 := time.Now()
	err := cmd.Run()
	wall := time.Since(t0)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%s %s: %v: %s", command, strings.Join(args, " "), err, strings.TrimSpace(errOut.String()))
	}
	cpu, _ := childUsage(cmd.ProcessState)
	var res struct {
		Valid      bool
		Core, Dead []string
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return nil, 0, 0, fmt.Errorf("%s %s: output: %v", command, strings.Join(args, " "), err)
	}
	if !res.Valid {
		return nil, 0, 0, fmt.Errorf("%s %s: the model has no valid configuration", command, strings.Join(args, " "))
	}
	a := &analysis{core: map[string]bool{}, dead: map[string]bool{}}
	for _, c := range res.Core {
		a.core[c] = true
	}
	for _, c := range res.Dead {
		a.dead[c] = true
	}
	return a, wall, cpu, nil
}
