package mrp_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestLateDemandsShapes: on generated plants of six shapes (default,
// 12 levels deep, lot sizes on most items, common parts, receipts and
// safety stock on most items, wide BOMs), after random changes of every
// kind, the late demands from the kept findings equal a search from
// scratch, and the exception count a write answers with equals that of
// the plan made afresh from the same inputs.
func TestLateDemandsShapes(t *testing.T) {
	n, steps := 2000, 40
	if testing.Short() || raceEnabled {
		n, steps = 200, 8
	}
	total := 0 // late demands checked
	for k, shape := range []string{"default", "deep", "lots", "common", "recs", "wide"} {
		c := plantgen.Default(n)
		switch shape {
		case "deep":
			c.Levels = 12
			c.FanOutMin, c.FanOutMax = 2, 5
		case "lots":
			c.LotShare = 0.6
		case "common":
			c.Commonality = 0.6
		case "recs":
			c.ReceiptShare, c.SafetyShare, c.StockShare = 0.6, 0.3, 0.6
		case "wide":
			c.FanOutMin, c.FanOutMax, c.Levels = 10, 30, 4
		}
		c.Seed = 11
		in, err := plantgen.Generate(c)
		if err != nil {
			t.Fatal(err)
		}
		p := plan(t, in)
		if k%2 == 0 {
			// net change's notes for the search taken on two
			// goroutines (pegChangedPar), on every other shape
			mrp.SetPegChangedParallelMin(p, 1)
		}
		p.ExceptionCount()
		r := rand.New(rand.NewPCG(5, 9))
		left0, vis0 := mrp.LateSkipped(p), mrp.LateVisited(p)
		nlate := 0
		for step := 1; step <= steps; step++ {
			var ch mrp.Change
			if step%2 == 0 {
				d := in.Demands[r.IntN(len(in.Demands))]
				d.Qty = max(1, d.Qty+int64(r.IntN(21)-10))
				ch = mrp.SetDemand{Demand: d}
			} else {
				ch = randomChange(r, p.Input(), step)
			}
			if _, err := p.Apply(ch); err != nil {
				t.Fatalf("%s step %d: %v", shape, step, err)
			}
			if step%3 == 0 {
				continue
			}
			n := p.ExceptionCount()
			got := lateStrings(p.LateDemands())
			want := lateStrings(mrp.LateDemandsFresh(p))
			if !slices.Equal(got, want) {
				t.Fatalf("%s step %d (%T): %d late from kept, %d fresh", shape, step, ch, len(got), len(want))
			}
			if fn := plan(t, p.Input()).ExceptionCount(); fn != n {
				t.Fatalf("%s step %d (%T): count %d, fresh plan %d", shape, step, ch, n, fn)
			}
			nlate += len(got)
		}
		left, vis := mrp.LateSkipped(p)-left0, mrp.LateVisited(p)-vis0
		if left == 0 {
			t.Errorf("%s: no marked item left out: the test proves little", shape)
		}
		total += nlate
		t.Logf("%s: %d late demands, %d items visited, %d marked ones left out", shape, nlate, vis, left)
	}
	if total == 0 {
		t.Fatal("no late demand in any search: the test proves little")
	}
}
