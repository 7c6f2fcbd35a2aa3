package benchmarks

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"time"

	"github.com/ctoplan/ctoplan/internal/mrprun"
	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// mrpRunCases time the whole `ctoplan mrp run --data DIR --format csv`
// (reading and checking the CSV files, building the planning input,
// planning, pegging, writing every order) on generated plants written as
// CSV files, beside the engine alone: planning the same plant from its
// in-memory input, with the pegging of every order when the command
// prints it. The light plants are issue 12's (5 levels, fan-out 2-4, every
// item lot-for-lot), also 12 levels deep; the default ones (6 levels,
// fan-out 4-12, lot sizing, safety stock), with pegging (pegged_to lists at
// most mrp.DefaultPegLimit demands an order: a deep component's daily
// order serves a hundred sales orders) and without (`--no-pegging`).
func mrpRunCases() []*Case {
	type size struct {
		name           string
		items, demands int
		levels         int // 0: the plant's own
		light, peg     bool
		quick, small   bool
		format         string // "": csv
		targets        []Target
	}
	var cs []*Case
	for _, s := range []size{
		{name: "light-items=1000-demands=1000", items: 1000, demands: 1000, light: true, peg: true, small: true},
		{name: "light-items=10000-demands=10000", items: 10000, demands: 10000, light: true, peg: true, quick: true,
			targets: []Target{{Metric: "ms/run", Op: "<=", Value: 1000}, {Metric: "MB-peak", Op: "<=", Value: 300}}},
		{name: "light-items=50000-demands=100000", items: 50000, demands: 100000, light: true, peg: true,
			targets: []Target{{Metric: "ms/run", Op: "<=", Value: 5000}, {Metric: "MB-peak", Op: "<=", Value: 1024}}},
		{name: "light-levels=12-items=10000-demands=10000", items: 10000, demands: 10000, levels: 12, light: true, peg: true},
		{name: "default-items=10000-demands=10000", items: 10000, demands: 10000, peg: true},
		{name: "default-items=10000-demands=10000-nopeg", items: 10000, demands: 10000},
		{name: "default-items=50000-demands=100000", items: 50000, demands: 100000, peg: true},
		{name: "default-items=50000-demands=100000-nopeg", items: 50000, demands: 100000},
		// the default format, a table: its column widths depend on every
		// row, so it is written in two passes (memory of the csv listing)
		{name: "light-items=10000-demands=10000-table", items: 10000, demands: 10000, light: true, peg: true, format: "table"},
		{name: "light-items=50000-demands=100000-table", items: 50000, demands: 100000, light: true, peg: true, format: "table"},
	} {
		format := cmp.Or(s.format, "csv")
		op := "mrp run --data DIR --format " + format + ", whole command"
		base := "engine: plan + pegging in memory"
		if !s.peg {
			op += " --no-pegging"
			base = "engine: plan in memory"
		}
		cs = append(cs, &Case{
			Group: "mrp-run", Op: op, Size: s.name,
			Metric: "ms/run", BaselineName: base, Targets: s.targets,
			Quick: s.quick, QuickTime: "1x", QuickBaselineTime: "1x", Small: s.small,
			FullTime: "3x", FullBaselineTime: "3x",
			Setup: func(env Env) (*Fixture, error) {
				c := plantgen.Default(s.items)
				if s.light {
					c = plantgen.Light(s.items, s.demands)
				}
				c.Demands = s.demands
				if s.levels > 0 {
					c.Levels = s.levels
				}
				return mrpRun(env, c, s.peg, format)
			},
		})
	}
	return cs
}

// mrpRun writes the plant of c as CSV files into a temporary directory and
// times the command on it: env.Command run as a child process when set
// (its own CPU time and peak resident memory), else the command's code in
// this process (peak memory: the growth of the Go runtime's memory over
// what it held before, returned to the system first).
func mrpRun(env Env, c plantgen.Config, peg bool, format string) (*Fixture, error) {
	in, err := plantgen.Generate(c)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ctoplan-mrp-run-")
	if err != nil {
		return nil, err
	}
	if err := plantgen.WriteCSV(dir, in); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	var size int64
	for _, e := range must(os.ReadDir(dir)) {
		if fi, err := e.Info(); err == nil {
			size += fi.Size()
		}
	}
	f := &Fixture{Close: func() { os.RemoveAll(dir) }}
	f.note("%d items, %d sales-order lines, %.1f MB of CSV files", len(in.Items), len(in.Demands), float64(size)/1e6)
	var rows, orders int64
	var cpuMS, peakMB float64 // of the command, for the notes
	how := "in this process (peak: growth of the Go runtime's memory)"
	if env.Command != "" {
		how = "as a child process (peak: its resident set)"
	}
	f.Ours = func(b B) {
		var lat, cpu latencies
		var peak uint64
		b.ReportAllocs()
		for b.Loop() {
			if env.Command != "" {
				args := []string{"mrp", "run", "--data", dir, "--format", format, "--date", c.Start.Format(time.DateOnly)}
				if !peg {
					args = append(args, "--no-pegging")
				}
				// the listing goes to /dev/null, as a planner timing the
				// command would send it (through a pipe to this process
				// the copy competes for the 2 cores: +2 s of wall on the
				// 50k plant); the orders planned are on stderr, the rows
				// are counted by the in-process runs (go test)
				null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
				if err != nil {
					f.fatal(b, err)
				}
				cmd := exec.Command(env.Command, args...)
				var errOut bytes.Buffer
				cmd.Stdout, cmd.Stderr = null, &errOut
				t0 := time.Now()
				err = cmd.Start()
				var hwm uint64
				if err == nil {
					stopPeak := watchChildPeak(cmd.Process.Pid)
					err = cmd.Wait()
					hwm = stopPeak()
				}
				null.Close()
				if err != nil {
					f.fatal(b, fmt.Errorf("%s %s: %v: %s", env.Command, strings.Join(args, " "), err, errOut.String()))
				}
				lat = append(lat, time.Since(t0))
				ccpu, rss := childUsage(cmd.ProcessState)
				if hwm > 0 {
					rss = hwm // the child's own peak (see watchChildPeak)
				}
				cpu = append(cpu, ccpu)
				peak = max(peak, rss)
				// "planned on DATE: N orders in ..." on stderr
				orders = 0
				if _, after, ok := strings.Cut(errOut.String(), "planned on "); ok {
					if _, n, ok := strings.Cut(after, ": "); ok {
						fmt.Sscan(n, &orders)
					}
				}
				rows = -1
				continue
			}
			stop := samplePeak()
			c0, t0 := cpuTime(), time.Now()
			p, _, err := mrprun.PlanDir(context.Background(), dir, mrp.LoadOptions{Start: c.Start}, mrp.DefaultOptions(), nil)
			if err != nil {
				f.fatal(b, err)
			}
			cw := &countWriter{}
			if err := mrprun.WriteOrders(cw, p, format, peg, nil); err != nil {
				f.fatal(b, err)
			}
			lat = append(lat, time.Since(t0))
			cpu = append(cpu, cpuTime()-c0)
			peak = max(peak, stop())
			rows = cw.lines - 1
			orders = int64(p.Stats().Orders)
		}
		cpuMS, peakMB = cpu.quantile(0.5), float64(peak)/(1<<20)
		b.ReportMetric(lat.quantile(0.5), "ms/run")
		b.ReportMetric(cpuMS, "cpu-ms/run")
		b.ReportMetric(peakMB, "MB-peak")
		b.ReportMetric(float64(max(rows, orders)), "orders")
	}
	f.Baseline = func(b B) {
		var lat, cpu latencies
		var peak uint64
		b.ReportAllocs()
		for b.Loop() {
			stop := samplePeak()
			c0, t0 := cpuTime(), time.Now()
			p, err := mrp.New(in, mrp.DefaultOptions())
			if err != nil {
				f.fatal(b, err)
			}
			if peg {
				if err := p.EachOrder(false, true, func(*mrp.OrderLine) error { return nil }); err != nil {
					f.fatal(b, err)
				}
			}
			lat = append(lat, time.Since(t0))
			cpu = append(cpu, cpuTime()-c0)
			peak = max(peak, stop())
		}
		b.ReportMetric(lat.quantile(0.5), "ms/run")
		b.ReportMetric(cpu.quantile(0.5), "cpu-ms/run")
		b.ReportMetric(float64(peak)/(1<<20), "MB-peak")
	}
	f.Check = func() error {
		if rows == 0 || orders == 0 {
			return fmt.Errorf("mrp run wrote no order (%d rows, %d orders planned)", rows, orders)
		}
		if rows > 0 {
			f.note("%d orders written (phantom orders not listed; %d in the plan)", rows, orders)
		} else {
			f.note("%d orders planned (written to /dev/null)", orders)
		}
		f.note("the command %s: %.0f CPU-ms, %.0f MB peak", how, cpuMS, peakMB)
		return nil
	}
	return f, nil
}

func must[T any](v T, _ error) T { return v }

// countWriter counts the bytes and lines written to it.
type countWriter struct{ n, lines int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	w.lines += int64(bytes.Count(p, []byte{'\n'}))
	return len(p), nil
}

// samplePeak collects the garbage, returns the free memory to the system
// and then samples the memory the Go runtime holds (mapped less released:
// heap, stacks, metadata, what the process's resident size follows) every
// 2 ms until the returned function is called, which returns the peak
// growth over what it held at the start: the memory of the work between
// the two calls, not of what the process did before.
func samplePeak() func() uint64 {
	debug.FreeOSMemory()
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	held := func() uint64 {
		metrics.Read(s)
		return s[0].Value.Uint64() - s[1].Value.Uint64()
	}
	base := held()
	var mu sync.Mutex
	var peak uint64
	read := func() {
		h := held()
		mu.Lock()
		peak = max(peak, h-min(h, base))
		mu.Unlock()
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				read()
			}
		}
	}()
	return func() uint64 {
		read()
		close(done)
		<-finished
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

var _ io.Writer = (*countWriter)(nil)
