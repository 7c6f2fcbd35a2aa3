package mrp_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestLineOperations: the operations LineOperations schedules for each
// line of EachOrder are those of the same order built by ScanOrders
// (PlannedOrder.Operations), on a generated plant with routings out of
// sequence, items without one, purchases and phantoms, in a plant time
// zone with a shift start; a line not of the plan has none.
func TestLineOperations(t *testing.T) {
	in, _ := finitePlant(t, 11)
	in.Calendar.TimeZone, in.Calendar.ShiftStart = "Europe/Berlin", "06:30"
	shuffled := 0
	for j := range in.Items {
		it := &in.Items[j]
		if j%3 == 0 && len(it.Operations) > 0 {
			it.Operations = append(slices.Clone(it.Operations), mrp.Operation{Seq: 5, WorkCenter: "WC-PRE", SetupHours: 1.5, RunHours: 0.25})
			shuffled++
		}
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var want []mrp.PlannedOrder
	if err := p.ScanOrders(mrp.Pos{}, "", nil, func(_ mrp.Pos, o mrp.PlannedOrder) bool {
		want = append(want, o)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	n, ops := 0, 0
	if err := p.EachOrder(false, false, func(l *mrp.OrderLine) error {
		if n >= len(want) {
			return fmt.Errorf("line %d past the %d orders scanned", n, len(want))
		}
		w := want[n]
		n++
		got := p.LineOperations(l)
		if l.ID() != w.ID || fmt.Sprint(got) != fmt.Sprint(w.Operations) {
			return fmt.Errorf("%s: operations %v, want %s's %v", l.ID(), got, w.ID, w.Operations)
		}
		ops += len(got)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != len(want) || ops < 1000 || shuffled == 0 {
		t.Fatalf("%d lines of %d orders, %d operations, %d routings out of sequence: want all lines, many operations", n, len(want), ops, shuffled)
	}
	if got := p.LineOperations(&mrp.OrderLine{Item: "NO-SUCH", Kind: mrp.Production, Qty: 5}); got != nil {
		t.Errorf("a line not of the plan: %v, want none", got)
	}
}
