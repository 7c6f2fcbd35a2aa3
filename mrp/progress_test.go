package mrp_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestConfirmHandWorked confirms MO-B (4 B, op 10 on WC1 at 1 h/unit,
// due Friday) of the capacity case:
//
//	C1: 1 good, 1 scrap, 1.5 h: the receipt drops to 4 - 1 = 3; op 10
//	    has started: 1 h x (3 - 1 good) = 2 h left on WC1 Friday.
//	C2: 2 good, done: op 10 is finished: nothing left on WC1; 1 of 1
//	    operations done.
func TestConfirmHandWorked(t *testing.T) {
	p := capacityPlant(t)
	c := capacityOf(t)
	friday := func() float64 {
		return p.CapacityLoad(c).Days("WC1", day(4), day(4))[0].Load
	}
	if got := friday(); got != 4 {
		t.Fatalf("WC1 Friday before: %g h, want 4", got)
	}
	res, err := p.Confirm(mrp.Confirmation{ID: "C1", Order: "MO-B", Seq: 10, Good: 1, Scrap: 1, Hours: 1.5})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(res.Touched(), "B") {
		t.Errorf("net change touched %v, want B", res.Touched())
	}
	if r := receiptQty(p, "MO-B"); r != 3 {
		t.Errorf("MO-B quantity %d after 1 scrapped, want 3", r)
	}
	if got := friday(); got != 2 {
		t.Errorf("WC1 Friday after C1: %g h, want 2", got)
	}
	if _, err := p.Confirm(mrp.Confirmation{ID: "C2", Order: "MO-B", Seq: 10, Good: 2, Done: true}); err != nil {
		t.Fatal(err)
	}
	if got := friday(); got != 0 {
		t.Errorf("WC1 Friday after C2: %g h, want 0", got)
	}
	pr, err := p.OrderProgress("MO-B")
	if err != nil || len(pr) != 1 || pr[0] != (mrp.OpProgress{Seq: 10, WorkCenter: "WC1", Good: 3, Scrap: 1, Hours: 1.5, Done: true}) {
		t.Errorf("progress %+v %v", pr, err)
	}
	s, err := p.FiniteSchedule(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Order("MO-B"); ok {
		t.Error("a finished released order is still scheduled")
	}
	for _, bad := range []mrp.Confirmation{
		{ID: "X", Order: "NOPE", Seq: 10},
		{ID: "X", Order: "MO-B", Seq: 99},
		{ID: "X", Order: "MO-B", Seq: 10, Good: -1},
		{Order: "MO-B", Seq: 10},
	} {
		if _, err := p.Confirm(bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
	if n := len(p.Confirmations()); n != 2 {
		t.Errorf("%d confirmations after the refused ones, want 2", n)
	}
	// all units scrapped: the receipt is gone
	if _, err := p.Confirm(mrp.Confirmation{ID: "C3", Order: "MO-B", Seq: 10, Scrap: 3}); err != nil {
		t.Fatal(err)
	}
	if r := receiptQty(p, "MO-B"); r != 0 {
		t.Errorf("MO-B still has %d", r)
	}
}

// TestSetReceiptAfterConfirmation changes the quantity of a confirmed
// order (MO-B, 4 B of the capacity case) and checks that later scrap
// counts from the new quantity, without taking earlier scrap twice:
//
//	C1: 1 scrap: the receipt is 4 - 1 = 3 (first quantity 4 recorded).
//	SetReceipt 10: the receipt is 10; the recorded quantity becomes
//	    10 + 1 scrap so far = 11.
//	C2: 2 scrap: the receipt is 11 - (1 + 2) = 8. Without the reset it
//	    would be 4 - 3 = 1, undoing the new quantity.
//
// Undone with the failing Apply, the reset is undone too.
func TestSetReceiptAfterConfirmation(t *testing.T) {
	p := capacityPlant(t)
	if _, err := p.Confirm(mrp.Confirmation{ID: "C1", Order: "MO-B", Seq: 10, Scrap: 1}); err != nil {
		t.Fatal(err)
	}
	if r := receiptQty(p, "MO-B"); r != 3 {
		t.Fatalf("MO-B %d after 1 scrapped, want 3", r)
	}
	rc := receiptOf(t, p, "MO-B")
	rc.Qty = 10
	if _, err := p.Apply(mrp.SetReceipt{Receipt: rc}); err != nil {
		t.Fatal(err)
	}
	// a failing batch with a SetReceipt of 20 first leaves everything as is
	rc20 := rc
	rc20.Qty = 20
	if _, err := p.Apply(mrp.SetReceipt{Receipt: rc20}, mrp.RemoveReceipt{ID: "NOPE"}); err == nil {
		t.Fatal("a batch removing an unknown receipt applied")
	}
	if r := receiptQty(p, "MO-B"); r != 10 {
		t.Fatalf("MO-B %d after SetReceipt 10 (and a failed 20), want 10", r)
	}
	if _, err := p.Confirm(mrp.Confirmation{ID: "C2", Order: "MO-B", Seq: 10, Scrap: 2}); err != nil {
		t.Fatal(err)
	}
	if r := receiptQty(p, "MO-B"); r != 8 {
		t.Errorf("MO-B %d after 2 more scrapped, want 11 - 3 = 8", r)
	}
}

func receiptOf(t *testing.T, p *mrp.Planner, id string) mrp.Receipt {
	t.Helper()
	for _, r := range p.Input().Receipts {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no receipt %s", id)
	return mrp.Receipt{}
}

func receiptQty(p *mrp.Planner, id string) int64 {
	for _, r := range p.Input().Receipts {
		if r.ID == id {
			return r.Qty
		}
	}
	return 0
}

// TestConfirmAnyOrder applies the same random confirmations of the
// forklift plant's released production orders in different orders, one by
// one, and checks that the plan, the progress and the load come out the
// same.
func TestConfirmAnyOrder(t *testing.T) {
	in := forkliftInput(t)
	c, err := mrp.ReadCapacity(forkliftDir)
	if err != nil {
		t.Fatal(err)
	}
	base := plan(t, in)
	var orders []mrp.Receipt
	routing := map[string][]int{}
	for _, r := range in.Receipts {
		if r.Kind != mrp.ProductionOrder {
			continue
		}
		for _, it := range in.Items {
			if it.ID == r.Item && len(it.Operations) > 0 {
				orders = append(orders, r)
				for _, op := range it.Operations {
					routing[r.ID] = append(routing[r.ID], op.Seq)
				}
			}
		}
	}
	if len(orders) < 2 {
		t.Fatalf("forklift has %d released production orders with a routing", len(orders))
	}
	runs := 6
	if raceEnabled {
		runs = 2
	}
	r := rand.New(rand.NewPCG(3, 4))
	var cs []mrp.Confirmation
	for k := range 12 {
		o := orders[r.IntN(len(orders))]
		seqs := routing[o.ID]
		cs = append(cs, mrp.Confirmation{ID: fmt.Sprintf("C%02d", k), Order: o.ID, Seq: seqs[r.IntN(len(seqs))],
			Good: int64(r.IntN(3)), Scrap: int64(r.IntN(2)), Hours: float64(r.IntN(9)) / 3, Done: r.IntN(3) == 0})
	}
	state := func(p *mrp.Planner) string {
		var b strings.Builder
		b.Write(planBytes(t, p))
		for _, o := range orders {
			pr, err := p.OrderProgress(o.ID)
			fmt.Fprintf(&b, "%v %v\n", pr, err)
		}
		for _, x := range p.CapacityLoad(c).Days("", time.Time{}, time.Time{}) {
			fmt.Fprintf(&b, "%s %g\n", x.WorkCenter, x.Load)
		}
		return b.String()
	}
	var want string
	for run := range runs {
		p := plan(t, in)
		perm := r.Perm(len(cs))
		for _, k := range perm {
			if _, err := p.Confirm(cs[k]); err != nil {
				t.Fatal(err)
			}
		}
		got := state(p)
		if run == 0 {
			want = got
			if got == state(base) {
				t.Fatal("the confirmations changed nothing")
			}
			continue
		}
		if got != want {
			t.Fatalf("order %v gives another state", perm)
		}
	}
}

// TestStatusHandWorked: SO1's supply tree is A's order (2 operations, none
// confirmed). With WC2 closed on Monday and Tuesday the order finishes on
// Thursday (TestFiniteScheduleHandWorked): at risk, one day, WC2.
func TestStatusHandWorked(t *testing.T) {
	p := capacityPlant(t)
	c, err := mrp.NewCapacity([]mrp.WorkCenter{{ID: "WC1"}, {ID: "WC2", HoursPerDay: 4, Units: 2, Efficiency: 0.75}},
		[]mrp.CapacityException{{WorkCenter: "WC2", Date: day(0)}, {WorkCenter: "WC2", Date: day(1)}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.FiniteSchedule(c)
	if err != nil {
		t.Fatal(err)
	}
	st, err := p.Status(s, "SO1")
	if err != nil {
		t.Fatal(err)
	}
	if st.OpsDone != 0 || st.OpsTotal != 2 || st.Latest != "A#2026-12-02" || st.LatestFinish != day(3) ||
		st.Promised != day(2) || st.Expected != day(3) || !st.AtRisk || st.LateDays != 1 || !strings.Contains(st.Reason, "WC2") {
		t.Errorf("status %+v", st)
	}
	if _, err := p.Status(s, "NOPE"); err == nil {
		t.Error("unknown sales order: no error")
	}
}

func TestReadConfirmations(t *testing.T) {
	cs, err := mrp.ReadConfirmations("confirmations.csv", strings.NewReader(
		"id,order,op_seq,good_qty,scrap_qty,hours,done\nC1,MO-1,10,5,1,2.5,1\nC2,MO-1,20,,,,\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []mrp.Confirmation{{ID: "C1", Order: "MO-1", Seq: 10, Good: 5, Scrap: 1, Hours: 2.5, Done: true}, {ID: "C2", Order: "MO-1", Seq: 20}}
	if !slices.Equal(cs, want) {
		t.Errorf("got %+v", cs)
	}
	for _, tc := range []struct{ in, want string }{
		{"id,order\nC1,MO-1\n", "confirmations.csv:1: op_seq: missing column"},
		{"id,order,op_seq\nC1,MO-1,x\n", `confirmations.csv:2: op_seq: "x" is not an integer`},
		{"id,order,op_seq,good_qty\nC1,MO-1,10,-1\n", "confirmations.csv:2: good_qty: -1: want >= 0"},
		{"id,order,op_seq,done\nC1,MO-1,10,maybe\n", `confirmations.csv:2: done: "maybe": want 1 or 0`},
		{"id,order,op_seq\nC1,MO-1,10\nC1,MO-1,20\n", "confirmations.csv:3: id: C1 used again (first on row 2)"},
	} {
		if _, err := mrp.ReadConfirmations("confirmations.csv", strings.NewReader(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.in, err, tc.want)
		}
	}
}
