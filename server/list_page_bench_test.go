package server

import (
	"slices"
	"testing"
	"time"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/internal/cputime"
	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// BenchmarkListPage answers one page of 100 planned orders (the first and
// the one after it, from the first page's token) and one page of
// exception messages from a plan of the 50k-item plant mrp run is timed
// on (light: 5 levels, fan-out 2-4, 100k sales-order lines, 6.4 M
// orders), under the read lock as the RPCs do, without the wire. A page
// should cost its own size, not the plan's.
func BenchmarkListPage(b *testing.B) {
	c := plantgen.Light(50000, 100000)
	c.Demands = 100000
	in, err := plantgen.Generate(c)
	if err != nil {
		b.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	const rev = 1
	first, tok, err := plannedOrders(p, &mrpv1.ListPlannedOrdersRequest{PageSize: 100}, rev, 0)
	if err != nil || len(first) != 100 || tok == "" {
		b.Fatalf("first page: %d orders, token %q, %v", len(first), tok, err)
	}
	for _, run := range []struct {
		name string
		req  *mrpv1.ListPlannedOrdersRequest
	}{
		{"orders/first", &mrpv1.ListPlannedOrdersRequest{PageSize: 100}},
		{"orders/next", &mrpv1.ListPlannedOrdersRequest{PageSize: 100, PageToken: tok}},
		{"orders/next-pegged", &mrpv1.ListPlannedOrdersRequest{PageSize: 100, PageToken: tok, WithPegging: true}},
		{"orders/item", &mrpv1.ListPlannedOrdersRequest{PageSize: 100, Item: first[0].GetItem()}},
	} {
		b.Run(run.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				msgs, _, err := plannedOrders(p, run.req, rev, 0)
				if err != nil {
					b.Fatal(err)
				}
				n += len(msgs)
			}
			b.ReportMetric(float64(n)/float64(b.N), "orders/page")
		})
	}
	// the late demands kept for the plan version, as the server does
	var cache lateCache
	lc := func() []mrp.Exception { return cache.get(p, rev) }
	b.Run("exceptions/first", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			ex, _, err := exceptionsPage(p, &mrpv1.ListExceptionsRequest{PageSize: 100}, rev, time.Time{}, time.Time{}, lc)
			if err != nil {
				b.Fatal(err)
			}
			n += len(ex)
		}
		b.ReportMetric(float64(n)/float64(b.N), "messages/page")
	})
	b.Run("exceptions/late-demands", func(b *testing.B) {
		// finding the late demands on the whole plan: once per plan
		// version (the server keeps them)
		b.ReportAllocs()
		for b.Loop() {
			p.LateDemands()
		}
	})
	b.Run("exceptions/late", func(b *testing.B) {
		// the worst page: the late demands come after every item's
		// messages (skipped by the filter), kept for the plan version
		lc()
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			ex, _, err := exceptionsPage(p, &mrpv1.ListExceptionsRequest{PageSize: 100, Kind: mrpv1.ExceptionKind_EXCEPTION_KIND_LATE}, rev, time.Time{}, time.Time{}, lc)
			if err != nil {
				b.Fatal(err)
			}
			n += len(ex)
		}
		b.ReportMetric(float64(n)/float64(b.N), "messages/page")
	})
	b.Run("exceptions/late-after-change", func(b *testing.B) {
		// the first kind=LATE page after a net change of one sales-order
		// line (not timed): the late demands of the new plan version
		// are found, then kept (the plan changes: this runs last)
		var lat, cpu []time.Duration
		v := uint64(rev)
		for k := 0; b.Loop(); k++ {
			b.StopTimer()
			d := in.Demands[(k*7919)%len(in.Demands)]
			d.Qty += int64(k + 1)
			if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
				b.Fatal(err)
			}
			v++
			b.StartTimer()
			t0, c0 := time.Now(), cputime.Process()
			ex, _, err := exceptionsPage(p, &mrpv1.ListExceptionsRequest{PageSize: 100, Kind: mrpv1.ExceptionKind_EXCEPTION_KIND_LATE}, v, time.Time{}, time.Time{},
				func() []mrp.Exception { return cache.get(p, v) })
			lat, cpu = append(lat, time.Since(t0)), append(cpu, cputime.Process()-c0)
			if err != nil || len(ex) == 0 {
				b.Fatalf("%d late messages, %v", len(ex), err)
			}
		}
		b.ReportMetric(medianMS(lat), "ms/page")
		b.ReportMetric(medianMS(cpu), "cpu-ms/page")
	})
}

// medianMS is the median of l in milliseconds.
func medianMS(l []time.Duration) float64 {
	s := slices.Clone(l)
	slices.Sort(s)
	return float64(s[len(s)/2].Microseconds()) / 1000
}
