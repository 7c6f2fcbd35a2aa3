package mrp_test

import (
	"math/rand/v2"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestSupplyTreeParallel: a supply tree whose levels are built on several
// goroutines (chunks of a level taken by whichever is free, their nodes
// put back in chunk order) and put in depth-first order on several
// (chunks cut where the parent changes) equals the tree built on one, node for node
// (every field of the flat nodes, parents and levels included), with the
// same error and (without one) the same counts of requirements placed by
// day and by position, on random plants after random net changes (so cold trees,
// whose running totals the goroutines compute side by side, as well as
// warm ones) and on a default generated plant, for random goroutine
// counts, chunk sizes and narrowest parallel levels. The parallel build
// is compared first on each plan version, so it meets the totals not yet
// computed.
func TestSupplyTreeParallel(t *testing.T) {
	plants, steps, defItems, defSteps := 6, 24, 400, 3
	if testing.Short() || raceEnabled {
		plants, steps, defItems, defSteps = 3, 9, 150, 1
	}
	var trees, nodes, par, pre int
	check := func(r *rand.Rand, seed uint64, step int, p *mrp.Planner, in *mrp.Input) {
		t.Helper()
		for j := step + 1; j < len(in.Demands); j += 1 + len(in.Demands)/10 {
			d := in.Demands[max(j, 0)]
			nw, parMin, chunk := 2+r.IntN(3), 1+r.IntN(6), 1+r.IntN(5)
			got, gd, gp, gs, pl, pp, gerr := mrp.SupplyTreeWith(p, d.ID, nw, parMin, chunk)
			want, wd, wp, ws, _, _, werr := mrp.SupplyTreeWith(p, d.ID, 1, 0, 0)
			if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
				t.Fatalf("seed %d step %d demand %s: %d goroutines (chunk %d, from %d nodes): error %v, one goroutine: %v", seed, step, d.ID, nw, chunk, parMin, gerr, werr)
			}
			if got != want {
				t.Fatalf("seed %d step %d demand %s: %d goroutines (chunk %d, from %d nodes) give\n%s\none goroutine gives\n%s", seed, step, d.ID, nw, chunk, parMin, got, want)
			}
			if werr == nil && (gd != wd || gp != wp || gs != ws) {
				t.Fatalf("seed %d step %d demand %s: placed by day/position/from start %d/%d/%d on %d goroutines, %d/%d/%d on one", seed, step, d.ID, gd, gp, gs, nw, wd, wp, ws)
			}
			trees++
			nodes += countLines(got)
			par += pl
			pre += pp
		}
	}
	for seed := uint64(1); seed <= uint64(plants); seed++ {
		in := smallPlant(t, seed, 30+int(seed*11)%50)
		opts := mrp.DefaultOptions()
		opts.RescheduleWindow = int(seed % 9)
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(seed, 99))
		check(r, seed, -1, p, in)
		for step := range steps {
			if _, err := p.Apply(randomChange(r, p.Input(), step)); err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			check(r, seed, step, p, p.Input())
		}
	}
	// a default generated plant: wide levels, lot sizing, safety stock
	in, err := plantgen.Generate(plantgen.Default(defItems))
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(0, 99))
	check(r, 0, -1, p, in)
	for step := range defSteps {
		d := in.Demands[(step*7919)%len(in.Demands)]
		d.Qty += int64(step + 1)
		if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
			t.Fatal(err)
		}
		check(r, 0, step, p, p.Input())
	}
	t.Logf("%d trees (%d nodes), %d levels built on several goroutines, %d put in depth-first order on several", trees, nodes, par, pre)
	if trees < 50 || nodes < 10*trees || par < trees || pre < trees {
		t.Errorf("%d trees, %d nodes, %d levels built and %d ordered on several goroutines: want the parallel build used on deep trees", trees, nodes, par, pre)
	}
}

func countLines(s string) int {
	n := 0
	for _, c := range s {
		if c == '\n' {
			n++
		}
	}
	return n
}

// TestSupplyTreeParallelConcurrent: several cold supply trees built at
// once on one plan version, each of them on several goroutines (so that
// up to nine goroutines compute the same items' running totals and supply
// sequences side by side, each publishing prefixes the others read), after
// each of a run of random net changes, equal the trees built afterwards on
// one goroutine, node for node. Run it with -race: the prefixes are read
// without the lock.
func TestSupplyTreeParallelConcurrent(t *testing.T) {
	plants, steps := 3, 10
	if testing.Short() || raceEnabled {
		plants, steps = 2, 6
	}
	var trees, par int
	for seed := uint64(1); seed <= uint64(plants); seed++ {
		in := smallPlant(t, 40+seed, 40+int(seed*13)%40)
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		mrp.SetTotalsAhead(p, 1+int(seed%3)) // short prefixes: readers extend them
		r := rand.New(rand.NewPCG(seed, 7))
		for step := range steps {
			if _, err := p.Apply(randomChange(r, p.Input(), step)); err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			ds := p.Input().Demands
			type result struct {
				id, nodes string
				par       int
				err       error
			}
			const nb = 3
			out := make(chan []result, nb)
			for b := range nb {
				nw, parMin, chunk := 2+r.IntN(2), 1+r.IntN(3), 1+r.IntN(3)
				go func() {
					var rs []result
					// each goroutine from its own start, so that they
					// meet on the same items
					for j := range min(len(ds), 30) {
						d := ds[(j*7+b*len(ds)/nb)%len(ds)]
						nodes, _, _, _, pl, _, err := mrp.SupplyTreeWith(p, d.ID, nw, parMin, chunk)
						rs = append(rs, result{d.ID, nodes, pl, err})
					}
					out <- rs
				}()
			}
			for range nb {
				for _, x := range <-out {
					want, _, _, _, _, _, werr := mrp.SupplyTreeWith(p, x.id, 1, 0, 0)
					if (x.err == nil) != (werr == nil) || x.err != nil && x.err.Error() != werr.Error() {
						t.Fatalf("seed %d step %d demand %s: built concurrently: error %v, alone: %v", seed, step, x.id, x.err, werr)
					}
					if x.nodes != want {
						t.Fatalf("seed %d step %d demand %s: built concurrently\n%s\nalone\n%s", seed, step, x.id, x.nodes, want)
					}
					trees++
					par += x.par
				}
			}
		}
	}
	t.Logf("%d trees, %d levels built on several goroutines", trees, par)
	if par < trees/2 {
		t.Errorf("%d levels built on several goroutines in %d trees: want the parallel build used", par, trees)
	}
}
