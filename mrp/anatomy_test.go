package mrp_test

import (
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
		d := in.Demands[(k/2*7919)%len(in.Demands)]
		if k%2 == 0 {
			d.Qty += 3
		}
		k++
		b.StopTimer()
		before := mrp.SnapshotPlan(p)
		e0, a0 := mrp.NetChangeRequirementChanges(p), mrp.NetChangeAnatomy(p)
		b.StartTimer()
		res, err := p.Apply(mrp.SetDemand{Demand: d})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		steps++
		emitted += mrp.NetChangeRequirementChanges(p) - e0
		a := mrp.NetChangeAnatomy(p).Sub(a0)
		an = an.Add(a)
		days += a.RunDays
		for _, id := range res.Touched {
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
