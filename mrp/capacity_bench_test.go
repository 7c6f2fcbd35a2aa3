package mrp_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// BenchmarkCapacityLoad adds up the load of every production order of
// the default plant (plantgen: one operation per make item on one of 20
// work centers) per work center and day (target: 50,000 items <= 200 ms).
func BenchmarkCapacityLoad(b *testing.B) {
	for _, n := range []int{10000, 50000} {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			p := benchPlanner(b, n)
			c, err := mrp.NewCapacity(nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			orders := p.Stats().Orders
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				p.CapacityLoad(c)
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/load")
			b.ReportMetric(float64(orders), "orders")
		})
	}
}

// BenchmarkFiniteScheduleForklift schedules every production order of the
// forklift plant finitely, pegging included (target <= 50 ms).
func BenchmarkFiniteScheduleForklift(b *testing.B) {
	_, p, c, s := forkliftSchedule(b)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := p.FiniteSchedule(c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/schedule")
	b.ReportMetric(float64(s.Len()), "orders")
}

// BenchmarkFiniteSchedulePlant schedules every production order of a
// generated default plant of 1,000 items (fan-out 4-12, 2,000 lines:
// ~100k orders) finitely, its pegging included: what mrp schedule and
// capable-to-promise do first, on work centers sized to their load
// ([plantgen.WorkCenters]). Walking every line's supply tree took 37 s
// here; the single-level pegging once, under a second.
func BenchmarkFiniteSchedulePlant(b *testing.B) {
	in, p := plannedPlant(b, plantgen.Default(1000))
	// work centers sized to their load (85% on a mean day), as the
	// plant's CSV files have them: with one 8-hour unit each, every
	// order would be years late, and the scheduler's searches short
	wcs, err := plantgen.WorkCenters(in, plantgen.Utilization)
	if err != nil {
		b.Fatal(err)
	}
	c, err := mrp.NewCapacity(wcs, nil)
	if err != nil {
		b.Fatal(err)
	}
	orders := 0
	b.ReportAllocs()
	for b.Loop() {
		s, err := p.FiniteSchedule(c)
		if err != nil {
			b.Fatal(err)
		}
		orders = s.Len()
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/schedule")
	b.ReportMetric(float64(orders)/(b.Elapsed().Seconds()/float64(b.N)), "orders/s")
}

// BenchmarkScheduleJobs schedules 100,000 orders of 1-4 operations (1-8
// hours each) on 200 work centers of 16 hours a day, due over a year
// (target <= 2 s).
func BenchmarkScheduleJobs(b *testing.B) {
	n, wcs := 100_000, 200
	r := rand.New(rand.NewPCG(1, 2))
	jobs := make([]mrp.Job, n)
	names := make([]string, wcs)
	for w := range names {
		names[w] = fmt.Sprintf("WC%03d", w)
	}
	for j := range jobs {
		jb := mrp.Job{ID: fmt.Sprintf("MO-%06d", j), Priority: r.IntN(3), Due: r.IntN(365)}
		for range 1 + r.IntN(4) {
			jb.Ops = append(jb.Ops, mrp.JobOp{WorkCenter: names[r.IntN(wcs)], Hours: 1 + float64(r.IntN(15))/2})
		}
		jobs[j] = jb
	}
	avail := func(_ string, d int) float64 {
		if d%7 >= 5 {
			return 0
		}
		return 16
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	var late int
	for b.Loop() {
		pl, err := mrp.ScheduleJobs(jobs, 365+730, avail)
		if err != nil {
			b.Fatal(err)
		}
		late = 0
		for _, x := range pl {
			if x.Late > 0 {
				late++
			}
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/schedule")
	b.ReportMetric(float64(late), "late-orders")
}

// BenchmarkWhatIfForklift answers one rush order on the forklift plant
// (the current plan's finite schedule given; target <= 20 ms).
func BenchmarkWhatIfForklift(b *testing.B) {
	in, p, c, base := forkliftSchedule(b)
	truck := demandOf(b, in, "SO-27-0011")
	rush := mrp.Rush{Demand: mrp.Demand{ID: "RUSH-1", Item: truck.Item, Qty: 20, Due: truck.Due.AddDate(0, 0, -14), Priority: 10}}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := p.WhatIf(c, base, rush); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/what-if")
}

// BenchmarkConfirm applies one confirmation of a released production
// order of the forklift plant, net change included (target <= 5 ms):
// the same confirmation sent again with 1 unit of scrap and with none in
// turn, so that every step changes the receipt (10 <-> 9 units) and
// replans what it feeds.
func BenchmarkConfirm(b *testing.B) {
	in, _ := loadForklift(b)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	const order = "MO-26-0913" // 10 STR-AXLE-B, op 10 on ASSY-SUB
	b.ReportAllocs()
	cpu0 := cpuTime()
	n, touched := 0, 0
	for b.Loop() {
		n++
		res, err := p.Confirm(mrp.Confirmation{ID: "C1", Order: order, Seq: 10, Scrap: int64(n % 2), Hours: 0.1})
		if err != nil {
			b.Fatal(err)
		}
		touched += res.NumTouched()
	}
	if touched == 0 {
		b.Fatal("no net change")
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/confirmation")
	b.ReportMetric(float64(touched)/float64(b.N), "items-replanned")
}

// BenchmarkStoreConfirm is BenchmarkConfirm through a Store (in-memory
// kv): one SetConfirmation per Store.Apply, journaled, net change
// included (target <= 5 ms).
func BenchmarkStoreConfirm(b *testing.B) {
	in, _ := loadForklift(b)
	ctx := context.Background()
	st, err := mrp.CreateStore(ctx, kv.NewMemory(), in, mrp.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	const order = "MO-26-0913"
	b.ReportAllocs()
	cpu0 := cpuTime()
	n, touched := 0, 0
	for b.Loop() {
		n++
		res, err := st.Apply(ctx, mrp.SetConfirmation{Confirmation: mrp.Confirmation{ID: "C1", Order: order, Seq: 10, Scrap: int64(n % 2), Hours: 0.1}})
		if err != nil {
			b.Fatal(err)
		}
		touched += res.NumTouched()
	}
	if touched == 0 {
		b.Fatal("no net change")
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/confirmation")
	b.ReportMetric(float64(touched)/float64(b.N), "items-replanned")
}

// BenchmarkPromiseCapacityForklift is capable to promise on capacity: 20
// of a forklift sales order's truck wanted two weeks before its due
// date, on the forklift plant's work centers; "schedule=reused" passes
// the plan's finite schedule (as a caller answering several promises of
// one plan version does), "schedule=computed" lets Promise compute it,
// "capacity=none" is material and lead times only.
func BenchmarkPromiseCapacityForklift(b *testing.B) {
	in, p, c, base := forkliftSchedule(b)
	truck := demandOf(b, in, "SO-27-0011")
	for _, bc := range []struct {
		name string
		req  mrp.PromiseRequest
	}{
		{"capacity=none", mrp.PromiseRequest{}},
		{"schedule=reused", mrp.PromiseRequest{Capacity: c, Schedule: base}},
		{"schedule=computed", mrp.PromiseRequest{Capacity: c}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := bc.req
			req.Item, req.Qty, req.Date = truck.Item, 20, truck.Due.AddDate(0, 0, -14)
			ctx := context.Background()
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := p.Promise(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/promise")
		})
	}
}

// forkliftSchedule is the forklift plant planned, its work centers'
// capacity and the plan's finite schedule: the setup of the forklift
// capacity benchmarks.
func forkliftSchedule(b *testing.B) (*mrp.Input, *mrp.Planner, *mrp.Capacity, *mrp.Schedule) {
	b.Helper()
	in, _ := loadForklift(b)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	c, err := mrp.ReadCapacity(forkliftDir)
	if err != nil {
		b.Fatal(err)
	}
	s, err := p.FiniteSchedule(c)
	if err != nil {
		b.Fatal(err)
	}
	return in, p, c, s
}

// demandOf is the sales-order line id of in (a benchmark without it fails).
func demandOf(b *testing.B, in *mrp.Input, id string) mrp.Demand {
	b.Helper()
	for _, d := range in.Demands {
		if d.ID == id {
			return d
		}
	}
	b.Fatalf("no sales-order line %s in the forklift plant", id)
	return mrp.Demand{}
}
