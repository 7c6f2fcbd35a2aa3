package benchmarks

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// mrpFiniteCases time the whole `ctoplan mrp schedule --data DIR --format
// csv` (read, plan, schedule every production order on finite capacity,
// write them) and `ctoplan mrp whatif` (a rush line of an end item: the
// plan and its schedule, and a copy with the line, planned and scheduled)
// on a generated default plant written as CSV files, its work centers
// sized to their load ([plantgen.WorkCenters]), beside the engine alone:
// the finite schedule of the plan in memory, and the what-if on it.
func mrpFiniteCases() []*Case {
	var cs []*Case
	for _, n := range []int{1000, 10000, 50000} {
		size := fmt.Sprintf("default-items=%d-demands=%d", n, 2*n)
		cs = append(cs,
			&Case{
				Group: "mrp-finite", Op: "mrp schedule --data DIR --format csv, whole command", Size: "schedule-" + size,
				Metric: "ms/run", BaselineName: "engine: FiniteSchedule in memory",
				Small: n == 1000, FullTime: "3x", FullBaselineTime: "3x",
				Setup: func(env Env) (*Fixture, error) { return mrpFinite(env, n, false) },
			})
		if n > 10000 {
			// 5.3 million orders scheduled: the what-if (two schedules)
			// is left to the 10,000-item row
			continue
		}
		cs = append(cs,
			&Case{
				Group: "mrp-finite", Op: "mrp whatif --data DIR (a rush line of an end item), whole command", Size: "whatif-" + size,
				Metric: "ms/run", BaselineName: "engine: WhatIf in memory",
				Small: n == 1000, FullTime: "3x", FullBaselineTime: "3x",
				Setup: func(env Env) (*Fixture, error) { return mrpFinite(env, n, true) },
			})
	}
	return cs
}

// mrpFinite writes a default plant of n items as CSV files and times the
// schedule (or, with whatif, the rush what-if) command on it: env.Command
// as a child process when set, else the same steps in this process (load,
// plan, capacity, schedule or what-if; not the listing).
func mrpFinite(env Env, n int, whatif bool) (*Fixture, error) {
	c := plantgen.Default(n)
	in, err := plantgen.Generate(c)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ctoplan-mrp-finite-")
	if err != nil {
		return nil, err
	}
	if err := plantgen.WriteCSV(dir, in); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	f := &Fixture{Close: func() { os.RemoveAll(dir) }}
	date := c.Start.Format(time.DateOnly)
	// the rush line: 5 of the first end item, due in four weeks
	rush := mrp.Demand{ID: "RUSH", Item: in.Items[0].ID, Qty: 5, Due: c.Start.AddDate(0, 0, 28), Priority: 10}
	args := []string{"mrp", "schedule", "--data", dir, "--date", date, "--format", "csv"}
	if whatif {
		args = []string{"mrp", "whatif", "--data", dir, "--date", date, "--item", rush.Item, "--qty", "5",
			"--due", rush.Due.Format(time.DateOnly), "--priority", "10", "--format", "csv"}
	}
	f.note("%d items, %d sales-order lines; `ctoplan %s`", len(in.Items), len(in.Demands), strings.Join(args, " "))
	var orders int
	var promised string
	var cpuMS, peakMB float64
	how := "in this process (load, plan, capacity, then the schedule or the what-if; not the listing)"
	if env.Command != "" {
		how = "as a child process (peak: its resident set)"
	}
	inProcess := func() error {
		lin, _, err := mrp.LoadDir(context.Background(), dir, mrp.LoadOptions{Start: c.Start})
		if err != nil {
			return err
		}
		p, err := mrp.New(lin, mrp.DefaultOptions())
		if err != nil {
			return err
		}
		capa, err := mrp.ReadCapacity(dir)
		if err != nil {
			return err
		}
		if whatif {
			a, err := p.WhatIf(capa, nil, mrp.Rush{Demand: rush})
			if err != nil {
				return err
			}
			promised = a.Promised.Format(time.DateOnly)
			return nil
		}
		s, err := p.FiniteSchedule(capa)
		if err != nil {
			return err
		}
		orders = s.Len()
		return nil
	}
	f.Ours = func(b B) {
		var lat, cpu latencies
		var peak uint64
		for b.Loop() {
			if env.Command == "" {
				stop := samplePeak()
				c0, t0 := cpuTime(), time.Now()
				if err := inProcess(); err != nil {
					f.fatal(b, err)
				}
				lat = append(lat, time.Since(t0))
				cpu = append(cpu, cpuTime()-c0)
				peak = max(peak, stop())
				continue
			}
			var out, errOut bytes.Buffer
			cmd := exec.Command(env.Command, args...)
			cmd.Stdout, cmd.Stderr = &out, &errOut
			t0 := time.Now()
			err := cmd.Start()
			var hwm uint64
			if err == nil {
				stopPeak := watchChildPeak(cmd.Process.Pid)
				err = cmd.Wait()
				hwm = stopPeak()
			}
			if err != nil {
				f.fatal(b, fmt.Errorf("%s %s: %v: %s", env.Command, strings.Join(args, " "), err, errOut.String()))
			}
			lat = append(lat, time.Since(t0))
			ccpu, rss := childUsage(cmd.ProcessState)
			if hwm > 0 {
				rss = hwm
			}
			cpu = append(cpu, ccpu)
			peak = max(peak, rss)
			if whatif {
				// sales_order,requested,promised,...: the rush line first
				if lines := strings.Split(out.String(), "\n"); len(lines) > 1 {
					if fs := strings.Split(lines[1], ","); len(fs) > 2 && fs[0] == rush.ID {
						promised = fs[2]
					}
				}
			} else {
				orders = bytes.Count(out.Bytes(), []byte{'\n'}) - 1
			}
		}
		cpuMS, peakMB = cpu.quantile(0.5), float64(peak)/(1<<20)
		b.ReportMetric(lat.quantile(0.5), "ms/run")
		b.ReportMetric(cpuMS, "cpu-ms/run")
		b.ReportMetric(peakMB, "MB-peak")
	}
	var p *mrp.Planner
	var capa *mrp.Capacity
	f.Baseline = func(b B) {
		if p == nil {
			lin, _, err := mrp.LoadDir(context.Background(), dir, mrp.LoadOptions{Start: c.Start})
			if err == nil {
				p, err = mrp.New(lin, mrp.DefaultOptions())
			}
			if err == nil {
				capa, err = mrp.ReadCapacity(dir)
			}
			if err != nil {
				f.fatal(b, err)
			}
		}
		var lat latencies
		for b.Loop() {
			t0 := time.Now()
			var err error
			if whatif {
				_, err = p.WhatIf(capa, nil, mrp.Rush{Demand: rush})
			} else {
				_, err = p.FiniteSchedule(capa)
			}
			if err != nil {
				f.fatal(b, err)
			}
			lat = append(lat, time.Since(t0))
		}
		b.ReportMetric(lat.quantile(0.5), "ms/run")
	}
	f.Check = func() error {
		if whatif {
			if promised == "" {
				return fmt.Errorf("mrp whatif gave no promised date for %s", rush.ID)
			}
			f.note("%s promised %s (requested %s)", rush.ID, promised, rush.Due.Format(time.DateOnly))
		} else {
			if orders <= 0 {
				return fmt.Errorf("mrp schedule scheduled no order")
			}
			f.note("%d production orders scheduled", orders)
		}
		f.note("the command %s: %.0f CPU-ms, %.0f MB peak", how, cpuMS, peakMB)
		return nil
	}
	return f, nil
}
