package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/configurator/internal/formats"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// joinNowOpt compiles with the default adaptive search and its second
// solver joining at the first target.
var joinNowOpt = Option(func(o *Options) { o.knobs = cfgtune.Knobs{JoinNow: true} })

// oneSolverOpt compiles with the search on one solver.
var oneSolverOpt = Option(func(o *Options) { o.Solvers = 1 })

// atLeastTwoProcs lets the adaptive search use two solvers for the test.
func atLeastTwoProcs(t *testing.T) {
	if n := runtime.GOMAXPROCS(0); n < 2 {
		runtime.GOMAXPROCS(2)
		t.Cleanup(func() { runtime.GOMAXPROCS(n) })
	}
}

func plantedModel(t *testing.T, r *rand.Rand, n int) ([][]int, *Compiled, *Compiled, *Compiled) {
	t.Helper()
	cls := plantedChunkCNF(r, n, 3.0+3*r.Float64())
	text := modeltest.DIMACS(n, cls)
	var cs []*Compiled
	for _, opt := range []Option{joinNowOpt, oneSolverOpt, WithOptions(Options{})} {
		m, err := formats.ReadDIMACS("planted.dimacs", strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compile(m, opt)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	return cls, cs[0], cs[1], cs[2]
}

// checkOneCallEach compares d with one solver call per value.
func checkOneCallEach(t *testing.T, what string, d *Domains, want map[string]bool) {
	t.Helper()
	if !d.Valid {
		t.Fatalf("%s: invalid, the planted assignment satisfies the picks", what)
	}
	for _, cd := range d.Chars {
		for _, v := range cd.Values {
			key := cd.Char + "=" + v.Value
			if got := v.Status != Excluded; got != want[key] {
				t.Fatalf("%s: %s possible %v, one call per value says %v", what, key, got, want[key])
			}
		}
	}
}

// Property: the adaptive search with its second solver joining at once
// gives the same domains as the search on one solver, as the default
// (which on these small models stays on one solver), and as one solver
// call per value, on random planted CNFs with many backbone literals;
// with nothing picked and then under picks, answered from the solver that
// got the second solver's dead values as units. Over the rounds the
// second solver decides targets of its own.
func TestSearchAdaptiveProperty(t *testing.T) {
	atLeastTwoProcs(t)
	var taken [2]int
	testDone = func(sh *workShare) { taken[0] += sh.taken[0]; taken[1] += sh.taken[1] }
	t.Cleanup(func() { testDone = nil })
	ctx := context.Background()
	r := rand.New(rand.NewPCG(14, 2))
	rounds := 40
	if testing.Short() || raceEnabled {
		rounds = 12
	}
	for round := range rounds {
		n := 40 + r.IntN(160)
		cls, joined, one, def := plantedModel(t, r, n)
		want := possibleOneCallEach(n, cls, nil)
		for i, c := range []*Compiled{joined, one, def} {
			d, err := c.Propagate(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkOneCallEach(t, fmt.Sprintf("round %d (%d vars, %d clauses), compiled %d, nothing picked", round, n, len(cls), i), d, want)
		}
		gl, _ := joined.globalInfo(ctx)
		if gl.solvers != 2 {
			t.Fatalf("round %d: the search ran on %d solvers with the join forced, want 2", round, gl.solvers)
		}
		if gl, _ := one.globalInfo(ctx); gl.solvers != 0 {
			t.Fatalf("round %d: Solvers 1 ran %d solvers", round, gl.solvers)
		}
		// Picks at possible values, on the joined model.
		var picks []Pick
		var assume []int
		for step := range 3 {
			d, err := joined.Propagate(ctx, picks)
			if err != nil {
				t.Fatal(err)
			}
			want := possibleOneCallEach(n, cls, assume)
			checkOneCallEach(t, fmt.Sprintf("round %d step %d picks %v", round, step, picks), d, want)
			var possible []string
			for k, ok := range want {
				if ok {
					possible = append(possible, k)
				}
			}
			slices.Sort(possible)
			p := possible[r.IntN(len(possible))]
			pk, v := boolPick(p)
			picks, assume = append(picks, pk), append(assume, v)
		}
	}
	if taken[1] == 0 {
		t.Fatalf("over %d rounds the second solver took no target (first: %d); the property does not exercise it", rounds, taken[0])
	}
	t.Logf("targets taken over %d rounds: first solver %d, second %d", rounds, taken[0], taken[1])
}

// A join in the middle of the search (the budget lowered so that it falls
// after the first targets): same answers as one call per value.
func TestSearchAdaptiveLateJoin(t *testing.T) {
	atLeastTwoProcs(t)
	defer func(f, m, q int64) { joinFirst, joinMin, joinRatio = f, m, q }(joinFirst, joinMin, joinRatio)
	joinFirst, joinMin, joinRatio = 1<<62, 1, 0
	late := 0
	testDone = func(sh *workShare) {
		if sh.joined && sh.joinAt > 0 {
			late++
		}
	}
	t.Cleanup(func() { testDone = nil })
	ctx := context.Background()
	r := rand.New(rand.NewPCG(14, 3))
	for round := range 20 {
		n := 60 + r.IntN(140)
		cls, _, _, def := plantedModel(t, r, n)
		d, err := def.Propagate(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkOneCallEach(t, fmt.Sprintf("round %d (%d vars)", round, n), d, possibleOneCallEach(n, cls, nil))
	}
	if late == 0 {
		t.Fatal("no search joined after its first target")
	}
}

// A propagation cancelled while both solvers search returns the context's
// error, and only after the second solver stopped: no goroutine is left.
func TestSearchAdaptiveCancel(t *testing.T) {
	atLeastTwoProcs(t)
	r := rand.New(rand.NewPCG(14, 4))
	_, joined, _, _ := plantedModel(t, r, 400)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	testJoined = func(*workShare) { cancel() }
	t.Cleanup(func() { testJoined = nil })
	_, err := joined.Propagate(ctx, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled after the join: err %v, want context.Canceled", err)
	}
	// Nothing waits for: the second solver was waited for before the
	// error came back; allow the runtime a moment for its own goroutines.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after the cancelled propagation, %d before", n, before)
	}
	// The model still answers afterwards, with both solvers.
	d, err := joined.Propagate(context.Background(), nil)
	if err != nil || !d.Valid {
		t.Fatal(err)
	}
}
