package benchmarks

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ctoplan/ctoplan/configurator"
)

// ModelCase measures any model file the way the registry measures the
// configurator's: load (read, parse, validate), compile, propagation with
// nothing picked on the freshly compiled model, and Session.Pick over
// seeded random salesperson walks (up to 20 picks each, a new session per
// walk). One iteration does all of it; the medians over the iterations are
// reported as ms/load, ms/compile, ms/propagate, and ms/pick with its p99
// (over every pick of every iteration); where CPU time is measured, also
// cpu-ms/pick and cpu-ms/pick-p99, the process's CPU time per pick, which
// a loaded machine inflates far less than the wall time. The walks depend only on the model
// and the iteration number, so two runs on the same file time the same
// picks.
func ModelCase(path string) *Case {
	size := filepath.Base(path)
	return &Case{
		Group: "model", Op: "load, compile, propagate; Session.Pick p50/p99", Size: size,
		Metric: "ms/propagate", QuickTime: "3x", FullTime: "5x",
		Setup: func(Env) (*Fixture, error) { return modelFixture(path) },
	}
}

// modelWalks is the number of random walks per iteration.
const modelWalks = 3

func modelFixture(path string) (*Fixture, error) {
	// Load once outside the timed loop so that a bad file fails Setup
	// with its own message.
	if _, err := configurator.LoadFile(path); err != nil {
		return nil, err
	}
	f := &Fixture{}
	var valid bool
	var forced, excluded int
	var summary string
	f.Ours = func(b B) {
		ctx := context.Background()
		var load, compile, prop, pick, pickCPU latencies
		iter := 0
		b.ReportAllocs()
		for b.Loop() {
			t0 := time.Now()
			m, err := configurator.LoadFile(path)
			if err != nil {
				f.fatal(b, err)
			}
			t1 := time.Now()
			c, err := configurator.Compile(m)
			if err != nil {
				f.fatal(b, fmt.Errorf("%s: %w", path, err))
			}
			t2 := time.Now()
			d, err := c.Propagate(ctx, nil)
			if err != nil {
				f.fatal(b, fmt.Errorf("%s: propagate: %w", path, err))
			}
			t3 := time.Now()
			load, compile, prop = append(load, t1.Sub(t0)), append(compile, t2.Sub(t1)), append(prop, t3.Sub(t2))
			valid = d.Valid
			forced, excluded = countStatus(d)
			if !d.Valid {
				continue
			}
			for w := range modelWalks {
				r := rand.New(rand.NewPCG(uint64(iter), uint64(w)))
				s := c.NewSession()
				cur := d
				for range 20 {
					p, ok := randomPick(r, cur)
					if !ok {
						break
					}
					c0, t0 := cpuTime(), time.Now()
					next, err := s.Pick(ctx, p)
					pick, pickCPU = append(pick, time.Since(t0)), append(pickCPU, cpuTime()-c0)
					if err != nil {
						f.fatal(b, fmt.Errorf("%s: pick %v: %w", path, p, err))
					}
					if !next.Valid {
						f.fatal(b, fmt.Errorf("%s: pick %v of a possible value made the picks %v invalid", path, p, s.Picks()))
					}
					cur = next
				}
			}
			iter++
		}
		summary = fmt.Sprintf("load %s ms, compile %s ms, propagate %s ms (medians); Session.Pick p50 %s ms, p99 %s ms over %d picks",
			formatValue(load.quantile(0.5)), formatValue(compile.quantile(0.5)), formatValue(prop.quantile(0.5)),
			formatValue(pick.quantile(0.5)), formatValue(pick.quantile(0.99)), len(pick))
		if cpuMeasured && len(pickCPU) > 0 {
			summary += fmt.Sprintf("; in CPU time (the process's per pick) p50 %s ms, p99 %s ms",
				formatValue(pickCPU.quantile(0.5)), formatValue(pickCPU.quantile(0.99)))
		}
		b.ReportMetric(load.quantile(0.5), "ms/load")
		b.ReportMetric(compile.quantile(0.5), "ms/compile")
		b.ReportMetric(prop.quantile(0.5), "ms/propagate")
		if len(pick) > 0 {
			pick.report(b, "ms/pick")
			reportCPU(b, pickCPU, "cpu-ms/pick")
		}
	}
	f.Check = func() error {
		f.note("%s", summary)
		if !valid {
			f.note("the model has no valid configuration: no picks timed")
			return nil
		}
		f.note("%d forced, %d excluded values with nothing picked", forced, excluded)
		return nil
	}
	return f, nil
}

// Regression is a figure that got worse than in a baseline run.
type Regression struct {
	Case, Metric string
	Old, New     float64
}

func (r Regression) String() string {
	return fmt.Sprintf("%s: %s %s -> %s (%+.0f%%)", r.Case, r.Metric, formatValue(r.Old), formatValue(r.New), 100*(r.New/r.Old-1))
}

// regressionFloorMS: a time figure counts as worse only when it also grew
// by at least this much, so that sub-millisecond jitter is not reported.
const regressionFloorMS = 0.5

// ReadResults reads what WriteJSON wrote: the figures per case, keyed by
// group/size, for Compare.
func ReadResults(r io.Reader) (map[string]map[string]float64, error) {
	var rs []jsonResult
	if err := json.NewDecoder(r).Decode(&rs); err != nil {
		return nil, fmt.Errorf("not a `ctoplan bench --format json` output: %w", err)
	}
	out := map[string]map[string]float64{}
	for _, j := range rs {
		if j.Skipped != "" || j.Err != "" {
			continue
		}
		out[j.Group+"/"+j.Size] = j.Metrics
	}
	return out, nil
}

// Compare returns the figures of rs that are worse than in old by more
// than maxRegression (0.2: 20%): every time in milliseconds ("ms/..."
// wall and "cpu-ms/..." CPU metrics, lower is better; and at least 0.5 ms
// worse) and every rate
// ("/s" metrics of ours, higher is better). Cases or metrics absent from
// old are not compared.
func Compare(old map[string]map[string]float64, rs []Result, maxRegression float64) []Regression {
	var out []Regression
	for _, r := range rs {
		if r.Skipped != "" || r.Err != "" {
			continue
		}
		name := r.Group + "/" + r.Size
		prev, ok := old[name]
		if !ok {
			continue
		}
		keys := make([]string, 0, len(r.Metrics))
		for k := range r.Metrics {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			o, ok := prev[k]
			n := r.Metrics[k]
			if !ok || math.IsNaN(n) || strings.HasPrefix(k, "baseline ") {
				continue
			}
			switch {
			case strings.HasPrefix(k, "ms/") || strings.HasPrefix(k, "cpu-ms/"):
				if n > o*(1+maxRegression) && n-o >= regressionFloorMS {
					out = append(out, Regression{Case: name, Metric: k, Old: o, New: n})
				}
			case strings.HasSuffix(k, "/s"):
				if n < o/(1+maxRegression) {
					out = append(out, Regression{Case: name, Metric: k, Old: o, New: n})
				}
			}
		}
	}
	return out
}

// ParseRegression reads a --max-regression value: "20%" or "0.2".
func ParseRegression(s string) (float64, error) {
	t := strings.TrimSpace(s)
	pct := strings.HasSuffix(t, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
	if err != nil || v < 0 || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q: want a percentage such as 20%% or a fraction such as 0.2", s)
	}
	if pct {
		v /= 100
	}
	return v, nil
}
