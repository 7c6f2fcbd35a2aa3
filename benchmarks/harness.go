package benchmarks

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// B is what a benchmark case's Ours and Baseline use of their runner: the
// loop, the timer and the reports. *testing.B satisfies it, so `go test
// -bench` runs the cases as Go benchmarks (bench_test.go); `ctoplan bench`
// runs them with [timer], this package's own harness, so that the
// command does not link the testing package.
type B interface {
	// Loop reports whether to run another iteration; see testing.B.Loop.
	Loop() bool
	ReportAllocs()
	// ReportMetric records a value in a unit of the case's domain.
	ReportMetric(n float64, unit string)
	StartTimer()
	StopTimer()
	// Elapsed is the time measured so far (timer stops excluded).
	Elapsed() time.Duration
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// benchTime is how long a case runs: a fixed number of iterations (n > 0,
// written "5x") or a time budget ("1s", "200ms").
type benchTime struct {
	n int
	d time.Duration
}

// parseBenchTime reads a -benchtime value; "" is 1s, as in go test.
func parseBenchTime(s string) (benchTime, error) {
	if s == "" {
		return benchTime{d: time.Second}, nil
	}
	if n, ok := strings.CutSuffix(s, "x"); ok {
		v, err := strconv.Atoi(n)
		if err != nil || v <= 0 {
			return benchTime{}, fmt.Errorf("benchmarks: bench time %q: want a count above 0 before the x", s)
		}
		return benchTime{n: v}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return benchTime{}, fmt.Errorf("benchmarks: bench time %q: want a duration (1s, 200ms) or a count (5x)", s)
	}
	return benchTime{d: d}, nil
}

// maxIterations bounds a time-budget run whose operation takes no
// measurable time.
const maxIterations = 1_000_000_000

// timer is the harness behind `ctoplan bench`: it runs a benchmark
// function once; the function's Loop runs the operation until the bench
// time is used (the count, or the budget of timed time), as testing.B.Loop
// does. It counts the time and the allocations (runtime.MemStats) while
// the timer runs, and keeps the reported metrics.
type timer struct {
	bt       benchTime
	n        int // iterations run
	started  bool
	running  bool
	start    time.Time
	elapsed  time.Duration
	mallocs0 uint64 // at the last StartTimer
	bytes0   uint64
	mallocs  uint64 // counted while running
	bytes    uint64
	extra    map[string]float64
	failed   bool
	msg      string
}

// benchResult is the outcome of one timed run.
type benchResult struct {
	N       int
	T       time.Duration
	Mallocs uint64
	Bytes   uint64
	Extra   map[string]float64
}

// NsPerOp, AllocsPerOp and BytesPerOp are per iteration (0 without one).
func (r benchResult) NsPerOp() int64 {
	if r.N == 0 {
		return 0
	}
	return r.T.Nanoseconds() / int64(r.N)
}

func (r benchResult) AllocsPerOp() int64 {
	if r.N == 0 {
		return 0
	}
	return int64(r.Mallocs) / int64(r.N)
}

func (r benchResult) BytesPerOp() int64 {
	if r.N == 0 {
		return 0
	}
	return int64(r.Bytes) / int64(r.N)
}

// runBench runs fn under a fresh timer for bt. A Fatal in fn ends it with
// an error (fn runs on its own goroutine so that Fatal can stop it, as
// testing does).
func runBench(fn func(B), bt benchTime) (benchResult, error) {
	t := &timer{bt: bt, extra: map[string]float64{}}
	runtime.GC() // as testing does before a run: earlier garbage is not this run's
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(t)
	}()
	<-done
	if t.failed {
		return benchResult{}, fmt.Errorf("%s", t.msg)
	}
	if t.running {
		t.StopTimer()
	}
	if t.n == 0 {
		return benchResult{}, fmt.Errorf("the benchmark never called Loop")
	}
	return benchResult{N: t.n, T: t.elapsed, Mallocs: t.mallocs, Bytes: t.bytes, Extra: t.extra}, nil
}

// Loop starts the timer on its first call (what came before is setup) and
// stops it when the bench time is used, returning false then.
func (t *timer) Loop() bool {
	if !t.started {
		t.started = true
		t.elapsed, t.mallocs, t.bytes = 0, 0, 0
		t.StartTimer()
		return true
	}
	t.n++
	more := false
	if t.bt.n > 0 {
		more = t.n < t.bt.n
	} else {
		timed := t.elapsed
		if t.running {
			timed += time.Since(t.start)
		}
		more = timed < t.bt.d && t.n < maxIterations
	}
	if !more {
		t.StopTimer()
	}
	return more
}

// ReportAllocs is a no-op: the harness always counts allocations.
func (t *timer) ReportAllocs() {}

func (t *timer) ReportMetric(n float64, unit string) { t.extra[unit] = n }

func (t *timer) StartTimer() {
	if t.running {
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.mallocs0, t.bytes0 = ms.Mallocs, ms.TotalAlloc
	t.running = true
	t.start = time.Now()
}

func (t *timer) StopTimer() {
	if !t.running {
		return
	}
	t.elapsed += time.Since(t.start)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.mallocs += ms.Mallocs - t.mallocs0
	t.bytes += ms.TotalAlloc - t.bytes0
	t.running = false
}

func (t *timer) Elapsed() time.Duration {
	if t.running {
		return t.elapsed + time.Since(t.start)
	}
	return t.elapsed
}

// Fatal records the failure and ends the benchmark's goroutine.
func (t *timer) Fatal(args ...any) {
	t.failed, t.msg = true, strings.TrimSuffix(fmt.Sprintln(args...), "\n")
	runtime.Goexit()
}

func (t *timer) Fatalf(format string, args ...any) {
	t.failed, t.msg = true, fmt.Sprintf(format, args...)
	runtime.Goexit()
}
