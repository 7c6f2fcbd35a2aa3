package mrp_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// forkliftConfirmations draws n random confirmations of the forklift
// plant's released production orders (with a routing).
func forkliftConfirmations(t *testing.T, in *mrp.Input, r *rand.Rand, n int) ([]mrp.Confirmation, []string) {
	t.Helper()
	var orders []string
	routing := map[string][]int{}
	for _, rc := range in.Receipts {
		if rc.Kind != mrp.ProductionOrder {
			continue
		}
		for _, it := range in.Items {
			if it.ID == rc.Item && len(it.Operations) > 0 {
				orders = append(orders, rc.ID)
				for _, op := range it.Operations {
					routing[rc.ID] = append(routing[rc.ID], op.Seq)
				}
			}
		}
	}
	if len(orders) < 2 {
		t.Fatalf("forklift has %d released production orders with a routing", len(orders))
	}
	var cs []mrp.Confirmation
	for k := range n {
		o := orders[r.IntN(len(orders))]
		seqs := routing[o]
		cs = append(cs, mrp.Confirmation{ID: fmt.Sprintf("C%02d", k), Order: o, Seq: seqs[r.IntN(len(seqs))],
			Good: int64(r.IntN(3)), Scrap: int64(r.IntN(2)), Hours: float64(r.IntN(9)) / 3, Done: r.IntN(3) == 0})
	}
	return cs, orders
}

// progressState is everything confirmations change: the plan, every
// confirmation and each order's progress.
func progressState(t *testing.T, p *mrp.Planner, orders []string) string {
	var b strings.Builder
	b.Write(planBytes(t, p))
	fmt.Fprintf(&b, "%v\n", p.Confirmations())
	for _, o := range orders {
		pr, err := p.OrderProgress(o)
		fmt.Fprintf(&b, "%v %v\n", pr, err)
	}
	return b.String()
}

// TestStoreConfirmationsAnyOrder applies the same confirmations through a
// Store in different orders, with a checkpoint halfway and a reopen at the
// end: the stored state equals the in-memory planner's, whatever the order,
// and a confirmation after the reopen still counts from the order's
// original quantity.
func TestStoreConfirmationsAnyOrder(t *testing.T) {
	ctx := context.Background()
	in := forkliftInput(t)
	r := rand.New(rand.NewPCG(17, 2))
	cs, orders := forkliftConfirmations(t, in, r, 10)
	ref := plan(t, in)
	if _, err := ref.Confirm(cs...); err != nil {
		t.Fatal(err)
	}
	want := progressState(t, ref, orders)
	if want == progressState(t, plan(t, in), orders) {
		t.Fatal("the confirmations changed nothing")
	}
	runs := 3
	if raceEnabled {
		runs = 2
	}
	for run := range runs {
		db := kv.NewMemory()
		st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		perm := r.Perm(len(cs))
		for k, i := range perm {
			if _, err := st.Apply(ctx, mrp.SetConfirmation{Confirmation: cs[i]}); err != nil {
				t.Fatal(err)
			}
			if k == len(perm)/2 {
				if err := st.Checkpoint(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := progressState(t, st.Planner(), orders); got != want {
			t.Fatalf("run %d, order %v: another state\n%s", run, perm, diff(got, want))
		}
		st, err = mrp.OpenStore(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if got := progressState(t, st.Planner(), orders); got != want {
			t.Fatalf("run %d, order %v: another state after reopening\n%s", run, perm, diff(got, want))
		}
		if run == 0 {
			checkScrapAfterReopen(t, ctx, st, ref, cs[0])
		}
	}
}

// checkScrapAfterReopen confirms one more scrapped unit of c's order on the
// reopened store and on the in-memory reference: both must agree (the
// receipt is the original quantity less all scrap, not the reduced
// quantity less it again).
func checkScrapAfterReopen(t *testing.T, ctx context.Context, st *mrp.Store, ref *mrp.Planner, c mrp.Confirmation) {
	t.Helper()
	x := mrp.Confirmation{ID: "AFTER", Order: c.Order, Seq: c.Seq, Scrap: 1}
	before := receiptQty(ref, c.Order)
	_, err1 := ref.Confirm(x)
	_, err2 := st.Apply(ctx, mrp.SetConfirmation{Confirmation: x})
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("in memory %v, stored %v", err1, err2)
	}
	if err1 == nil && before > 0 && receiptQty(ref, c.Order) != before-1 {
		t.Errorf("%s: %d after one more scrapped unit, want %d", c.Order, receiptQty(ref, c.Order), before-1)
	}
	if a, b := receiptQty(ref, c.Order), receiptQty(st.Planner(), c.Order); a != b {
		t.Errorf("%s: %d in memory, %d stored", c.Order, a, b)
	}
}

// TestStoreConfirmationRefused: an invalid confirmation leaves store and
// journal as they were.
func TestStoreConfirmationRefused(t *testing.T) {
	ctx := context.Background()
	in := forkliftInput(t)
	db := kv.NewMemory()
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rev := st.Revision()
	if _, err := st.Apply(ctx, mrp.SetConfirmation{Confirmation: mrp.Confirmation{ID: "X", Order: "NOPE", Seq: 10}}); err == nil {
		t.Fatal("confirmation of an unknown order: no error")
	}
	if st.Revision() != rev || len(st.Planner().Confirmations()) != 0 {
		t.Errorf("revision %d (was %d), %d confirmations", st.Revision(), rev, len(st.Planner().Confirmations()))
	}
}
