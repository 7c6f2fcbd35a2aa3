package mrp_test

import (
	"fmt"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// BenchmarkNetChangeAnatomy takes BenchmarkNetChange's steps on the 50k
// default plant (-benchtime 40x or so: each step copies the whole plan
// twice) and reports what a change amounts to: the requirement changes
// passed on, the ones left after summing per item and day, the order-days
// of the plan that really changed (the plan before and after compared
// item by item), and for the lot-sized items replanned in full, how many
// net requirements they lot-sized again against how many days of their
// orders changed: the recomputed-but-equal share.
func BenchmarkNetChangeAnatomy(b *testing.B) {
	in, err := plantgen.Generate(plantgen.Default(50000))
	if err != nil {
		b.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	var steps, emitted, days, real, realLot, realBuy, realLFL int
	var an mrp.Anatomy
	k := 0
	for b.Loop() {
		ch := changeDemand(in, k)
		k++
		b.StopTimer()
		before := mrp.SnapshotPlan(p)
		e0, a0 := mrp.NetChangeRequirementChanges(p), mrp.NetChangeAnatomy(p)
		b.StartTimer()
		res, err := p.Apply(ch)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		steps++
		emitted += mrp.NetChangeRequirementChanges(p) - e0
		a := mrp.NetChangeAnatomy(p).Sub(a0)
		an = an.Add(a)
		days += a.RunDays
		for _, id := range res.Touched() {
			n, lot, buy := mrp.ChangedOrderDays(p, before, id)
			real += n
			if lot {
				realLot += n
			} else {
				realLFL += n
			}
			if buy {
				realBuy += n
			}
		}
		b.StartTimer()
	}
	f := func(n int) float64 { return float64(n) / float64(steps) }
	b.ReportMetric(f(emitted), "req-changes/op")
	b.ReportMetric(f(days), "req-changes-summed/op")
	b.ReportMetric(f(real), "order-days-changed/op")
	b.ReportMetric(f(realLot), "order-days-changed-lotsized/op")
	b.ReportMetric(f(realLFL), "order-days-changed-lfl/op")
	b.ReportMetric(f(realBuy), "order-days-changed-bought/op")
	b.ReportMetric(f(an.LotItems), "lot-items-full/op")
	b.ReportMetric(f(an.LotSame), "lot-items-full-unchanged/op")
	b.ReportMetric(f(an.LotReqs), "lot-net-reqs-sized/op")
	b.ReportMetric(f(an.LotOrders), "lot-orders-made/op")
	b.ReportMetric(f(an.LotDiff), "lot-days-differing/op")

}

// TestNetChangeAnatomyHand checks BenchmarkNetChangeAnatomy's counts on
// one change of a three-item plant worked by hand.
func TestNetChangeAnatomyHand(t *testing.T) {
	var ds []mrp.Demand
	for k, q := range []int64{8, 4, 7, 6, 9, 5} { // days 2, 4, ..., 12
		ds = append(ds, dem(fmt.Sprintf("P%d", k), "P", q, 2+2*k))
	}
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "P", Kind: mrp.Make, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.PeriodQty, Periods: 3},
				Components: []mrp.Component{{Item: "C", QtyPer: 2}}},
			{ID: "C", Kind: mrp.Buy, LeadTime: 1},
		},
		Demands:  ds,
		Stock:    map[string]int64{"P": 5},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	// on hand 5: day 2 nets 3, later days net to themselves; 3-period
	// lots: days 2-4 (3+4), 6-8 (7+6), 10-12 (9+5); C takes twice each
	// a day earlier
	want(t, p, "P", "7@2/1 13@6/5 14@10/9")
	want(t, p, "C", "14@1/0 26@5/4 28@9/8")
	before := mrp.SnapshotPlan(p)
	e0, a0 := mrp.NetChangeRequirementChanges(p), mrp.NetChangeAnatomy(p)
	// day 6 becomes 10 (+3): P's lot of days 6-8 becomes 16, C's order
	// of day 5 32; nothing else changes
	res, err := p.Apply(mrp.SetDemand{Demand: dem("P2", "P", 10, 6)})
	if err != nil {
		t.Fatal(err)
	}
	want(t, p, "P", "7@2/1 16@6/5 14@10/9")
	want(t, p, "C", "14@1/0 32@5/4 28@9/8")
	// P receives one requirement change (+3 on day 6) and passes one on
	// (+6 to C on day 5), which C receives. P is replanned in a window
	// from its order of day 2: 4 net requirements (days 2 to 8) lot-sized
	// into 2 orders, of which one day differs; on day 10 the lots are in
	// step again (ordered 7+16 = 23, the old 7+13 plus 3), and its net
	// requirements and order are left alone.
	a := mrp.NetChangeAnatomy(p).Sub(a0)
	wantA := mrp.Anatomy{RunDays: 2, LotReqs: 4, LotOrders: 2, LotDiff: 1, LotItems: 1, LotSame: 0}
	if a != wantA {
		t.Errorf("anatomy %+v, want %+v", a, wantA)
	}
	if n := mrp.NetChangeRequirementChanges(p) - e0; n != 1 {
		t.Errorf("%d requirement changes passed on, want 1", n)
	}
	got := map[string]int{}
	for _, id := range res.Touched() {
		n, _, _ := mrp.ChangedOrderDays(p, before, id)
		got[id] = n
	}
	if got["P"] != 1 || got["C"] != 1 || len(got) != 2 {
		t.Errorf("order-days changed %v, want P and C 1 each", got)
	}
}
