package mrp_test

import (
	"math/rand/v2"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestExceptionCount: the count equals the number of messages on random
// plants (receipts, safety stock, lot sizes, late demands), at first and
// after net changes of demands, stock and receipts, and after random
// changes of every kind (items and BOMs too), several of them piling up
// between some counts, and regenerative runs: the count of the items'
// messages kept between counts is redone for the items touched since.
func TestExceptionCount(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 21))
	kinds := map[mrp.ExceptionKind]bool{}
	for seed := uint64(1); seed <= 10; seed++ {
		in := smallPlant(t, seed, 120)
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		for step := range 40 {
			if step%4 != 3 {
				got := p.ExceptionCount() // before the messages are listed
				ex := p.Exceptions()
				if got != len(ex) {
					t.Fatalf("seed %d step %d: ExceptionCount %d, Exceptions %d", seed, step, got, len(ex))
				}
				for _, e := range ex {
					kinds[e.Kind] = true
				}
			}
			if step%13 == 12 {
				p.Regenerate()
				continue
			}
			if step >= 5 {
				if _, err := p.Apply(randomChange(r, p.Input(), step)); err != nil {
					t.Fatal(err)
				}
				continue
			}
			d := in.Demands[r.IntN(len(in.Demands))]
			d.Qty = 1 + r.Int64N(3*d.Qty+5)
			d.Due = in.Calendar.Start.AddDate(0, 0, r.IntN(40)-5)
			cs := []mrp.Change{mrp.SetDemand{Demand: d}}
			if len(in.Receipts) > 0 {
				rc := in.Receipts[r.IntN(len(in.Receipts))]
				rc.Due = in.Calendar.Start.AddDate(0, 0, r.IntN(60)-10)
				cs = append(cs, mrp.SetReceipt{Receipt: rc})
			}
			if _, err := p.Apply(cs...); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(kinds) < 3 {
		t.Fatalf("only %d kinds of message met: %v", len(kinds), kinds)
	}
}

// TestSize: Size agrees with Stats, and Stats' demand and receipt counts
// with the plan's inputs, also after some are removed.
func TestSize(t *testing.T) {
	in := smallPlant(t, 4, 150)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	items, orders := p.Size()
	if st := p.Stats(); items != st.Items || orders != st.Orders || orders == 0 {
		t.Fatalf("Size %d items, %d orders; Stats %d, %d", items, orders, st.Items, st.Orders)
	}
	if len(in.Receipts) == 0 {
		t.Fatal("the plant has no receipts")
	}
	for step := range 2 {
		st, pin := p.Stats(), p.Input()
		if st.Demands != len(pin.Demands) || st.Receipts != len(pin.Receipts) || st.Demands == 0 {
			t.Fatalf("step %d: Stats %d demands, %d receipts; inputs %d, %d", step, st.Demands, st.Receipts, len(pin.Demands), len(pin.Receipts))
		}
		if _, err := p.Apply(mrp.RemoveDemand{ID: pin.Demands[0].ID}, mrp.RemoveReceipt{ID: pin.Receipts[0].ID}); err != nil {
			t.Fatal(err)
		}
		if st2 := p.Stats(); st2.Demands != st.Demands-1 || st2.Receipts != st.Receipts-1 {
			t.Fatalf("step %d: after removing one of each, Stats %d demands, %d receipts (before %d, %d)", step, st2.Demands, st2.Receipts, st.Demands, st.Receipts)
		}
	}
}
