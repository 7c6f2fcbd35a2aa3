package benchmarks

import (
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Case is one headline benchmark.
type Case struct {
	// Group is the benchmark group ("propagate", "mrp-netchange", ...):
	// go test runs each group as one Benchmark function.
	Group string
	// Op is the operation in words; Size the model or plant it runs on.
	Op, Size string
	// Metric is the unit of the domain metric shown as "ours" and
	// "baseline", as reported with B.ReportMetric.
	Metric string
	// HigherIsBetter is true for rates (items/s, variants/s).
	HigherIsBetter bool
	// BaselineName says what the baseline is ("" when there is none).
	BaselineName string
	// Targets are the goals from the issues; empty when none is set.
	Targets []Target
	// Quick puts the case in the quick set; QuickTime is its -benchtime
	// there (e.g. "5x", "200ms"); QuickBaselineTime the baseline's.
	Quick                        bool
	QuickTime, QuickBaselineTime string
	// FullTime and FullBaselineTime, when set, replace the default 1s of
	// a full run (e.g. "10x" so that a slow operation still gives a median
	// over several samples).
	FullTime, FullBaselineTime string
	// Small marks the cases the unit test runs (one iteration each).
	Small bool
	// Setup loads the inputs. It returns a *SkipError when they are absent.
	Setup func(env Env) (*Fixture, error)
}

// Name is the case's benchmark name below its group: the size.
func (c *Case) Name() string { return c.Group + "/" + c.Size }

// Target is one goal: Metric compared to Value with Op ("<=" or ">=").
type Target struct {
	Metric string
	Op     string
	Value  float64
}

func (t Target) String() string {
	return fmt.Sprintf("%s %s %s", t.Metric, t.Op, strconv.FormatFloat(t.Value, 'g', -1, 64))
}

// met reports whether v satisfies t.
func (t Target) met(v float64) bool {
	if t.Op == ">=" {
		return v >= t.Value
	}
	return v <= t.Value
}

// Fixture is a case ready to run.
type Fixture struct {
	// Ours times our implementation, Baseline (nil if none) the baseline.
	// Both report the case's metric with b.ReportMetric.
	Ours, Baseline func(b B)
	// Check verifies the answers after the runs (nil: nothing to check).
	Check func() error
	// Notes are facts worth printing beside the figures (sizes, counts).
	Notes []string
	// Close releases what the fixture holds (nil: nothing).
	Close func()

	mu   sync.Mutex
	errs []error
}

// fatal records err (so Run can report it) and stops the benchmark.
func (f *Fixture) fatal(b B, err error) {
	f.mu.Lock()
	f.errs = append(f.errs, err)
	f.mu.Unlock()
	b.Fatal(err)
}

func (f *Fixture) err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return errors.Join(f.errs...)
}

// note appends a note.
func (f *Fixture) note(format string, args ...any) {
	f.Notes = append(f.Notes, fmt.Sprintf(format, args...))
}

// SkipError says a case cannot run here (its data is absent).
type SkipError struct{ Reason string }

func (e *SkipError) Error() string { return "skipped: " + e.Reason }

func skipf(format string, args ...any) error {
	return &SkipError{Reason: fmt.Sprintf(format, args...)}
}

// Result is the outcome of one case.
type Result struct {
	Group, Op, Size string
	Metric          string
	HigherIsBetter  bool
	// Ours and Baseline are the metric's values (NaN when not measured).
	Ours, Baseline float64
	BaselineName   string
	// Ratio is how many times better ours is than the baseline (NaN
	// without a baseline).
	Ratio float64
	// Metrics holds every metric of both runs: "ns/op", "allocs/op",
	// "B/op" and the reported ones, prefixed "baseline " for the baseline.
	Metrics map[string]float64
	// Targets and, for each, whether it was met.
	Targets []Target
	Met     []bool
	// Iterations of ours and of the baseline.
	N, BaselineN int
	Notes        []string
	// Skipped holds the reason a case did not run; Err a failed
	// correctness check or a failed run.
	Skipped string
	Err     string
}

// AllMet reports whether every target was met (false without targets).
func (r *Result) AllMet() bool {
	if len(r.Targets) == 0 {
		return false
	}
	for _, m := range r.Met {
		if !m {
			return false
		}
	}
	return true
}

// Options control Run.
type Options struct {
	Env Env
	// Quick runs only the quick set with its short bench times.
	Quick bool
	// Small runs only the cases marked Small (the unit test's set).
	Small bool
	// Filter, when set, keeps the cases whose Group/Size matches it.
	Filter *regexp.Regexp
	// BenchTime overrides every case's -benchtime ("" keeps the default:
	// 1s, or the quick times).
	BenchTime string
	// Progress, when set, receives a line per case as it runs.
	Progress io.Writer
	// Models, when set, replaces the registry by one ModelCase per file.
	Models []string
}

// Select returns the cases Run would run with opts, in registry order.
func Select(opts Options) []*Case {
	var out []*Case
	all := Cases()
	if len(opts.Models) > 0 {
		all = nil
		for _, p := range opts.Models {
			all = append(all, ModelCase(p))
		}
		if opts.Quick {
			for _, c := range all {
				c.Quick = true
			}
		}
	}
	for _, c := range all {
		if opts.Quick && !c.Quick || opts.Small && !c.Small {
			continue
		}
		if opts.Filter != nil && !opts.Filter.MatchString(c.Name()) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// Run runs the selected cases one after another and returns their
// results. The error joins every failed correctness check and failed run;
// speed never makes it non-nil. Skipped cases have Result.Skipped set.
func Run(opts Options) ([]Result, error) {
	if opts.BenchTime != "" {
		if _, err := parseBenchTime(opts.BenchTime); err != nil {
			return nil, err
		}
	}
	var results []Result
	var errs []error
	for _, c := range Select(opts) {
		if opts.Progress != nil {
			fmt.Fprintf(opts.Progress, "bench: %s ...\n", c.Name())
		}
		t0 := time.Now()
		r := runCase(c, opts)
		if opts.Progress != nil {
			status := "ok"
			switch {
			case r.Err != "":
				status = "FAILED: " + r.Err
			case r.Skipped != "":
				status = "skipped: " + r.Skipped
			}
			fmt.Fprintf(opts.Progress, "bench: %s %s (%.1fs)\n", c.Name(), status, time.Since(t0).Seconds())
		}
		if r.Err != "" {
			errs = append(errs, fmt.Errorf("%s: %s", c.Name(), r.Err))
		}
		results = append(results, r)
		runtime.GC()
	}
	return results, errors.Join(errs...)
}

func runCase(c *Case, opts Options) Result {
	r := Result{
		Group: c.Group, Op: c.Op, Size: c.Size, Metric: c.Metric,
		HigherIsBetter: c.HigherIsBetter, BaselineName: c.BaselineName,
		Ours: math.NaN(), Baseline: math.NaN(), Ratio: math.NaN(),
		Targets: c.Targets, Metrics: map[string]float64{},
	}
	f, err := c.Setup(opts.Env)
	if err != nil {
		var skip *SkipError
		if errors.As(err, &skip) {
			r.Skipped = skip.Reason
		} else {
			r.Err = "setup: " + err.Error()
		}
		return r
	}
	if f.Close != nil {
		defer f.Close()
	}
	oursTime, baseTime := opts.BenchTime, opts.BenchTime
	if opts.BenchTime == "" {
		oursTime, baseTime = c.FullTime, c.FullBaselineTime
		if opts.Quick {
			oursTime, baseTime = c.QuickTime, c.QuickBaselineTime
		}
		if baseTime == "" {
			baseTime = oursTime
		}
	}
	run := func(fn func(B), d string, prefix string) (float64, int, error) {
		bt, err := parseBenchTime(d)
		if err != nil {
			return math.NaN(), 0, err
		}
		res, err := runBench(fn, bt)
		if ferr := f.err(); ferr != nil {
			return math.NaN(), 0, ferr
		}
		if err != nil {
			return math.NaN(), 0, err
		}
		r.Metrics[prefix+"ns/op"] = float64(res.NsPerOp())
		r.Metrics[prefix+"allocs/op"] = float64(res.AllocsPerOp())
		r.Metrics[prefix+"B/op"] = float64(res.BytesPerOp())
		for k, v := range res.Extra {
			r.Metrics[prefix+k] = v
		}
		v, ok := res.Extra[c.Metric]
		if !ok {
			v = math.NaN()
		}
		return v, res.N, nil
	}
	r.Ours, r.N, err = run(f.Ours, oursTime, "")
	if err != nil {
		r.Err = "ours: " + err.Error()
		return r
	}
	if f.Baseline != nil {
		r.Baseline, r.BaselineN, err = run(f.Baseline, baseTime, "baseline ")
		if err != nil {
			r.Err = "baseline: " + err.Error()
			return r
		}
		if r.HigherIsBetter {
			r.Ratio = r.Ours / r.Baseline
		} else {
			r.Ratio = r.Baseline / r.Ours
		}
	}
	if f.Check != nil {
		if err := f.Check(); err != nil {
			r.Err = "check: " + err.Error()
		}
	}
	for _, t := range c.Targets {
		v, ok := r.Metrics[t.Metric]
		r.Met = append(r.Met, ok && t.met(v))
	}
	for _, n := range f.Notes {
		r.Notes = append(r.Notes, c.Name()+": "+n)
	}
	return r
}

// latencies collects per-operation times inside a benchmark loop.
type latencies []time.Duration

// quantile returns the q-quantile (nearest rank) in milliseconds.
func (l latencies) quantile(q float64) float64 {
	if len(l) == 0 {
		return math.NaN()
	}
	s := slices.Clone(l)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	i = max(0, min(i, len(s)-1))
	return float64(s[i].Nanoseconds()) / 1e6
}

// report reports the median as unit and the 99th percentile as unit-p99.
func (l latencies) report(b B, unit string) {
	b.ReportMetric(l.quantile(0.5), unit)
	b.ReportMetric(l.quantile(0.99), unit+"-p99")
}

// reportCPU reports per-operation CPU times like [latencies.report]
// (median as unit, 99th percentile as unit-p99) where CPU time is
// measured; elsewhere it reports nothing. Each time is the process's CPU
// time (getrusage) across the operation: every thread, so the engine's
// helper goroutines and the garbage collector's work meanwhile count, the
// benchmark's other goroutines being idle. Unlike the wall time it hardly
// grows when other processes load the machine: it is the figure to hold
// a target against on a shared machine.
func reportCPU(b B, cpu latencies, unit string) {
	if cpuMeasured && len(cpu) > 0 {
		cpu.report(b, unit)
	}
}

// Groups returns the distinct groups of the registry, in order.
func Groups() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range Cases() {
		if !seen[c.Group] {
			seen[c.Group] = true
			out = append(out, c.Group)
		}
	}
	return out
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
