package mrp_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// benchPlant is the benchmark plant of n items: 6 levels, fan-out 4-12,
// 2 sales-order lines per item (100,000 for 50,000 items).
func benchPlant(b *testing.B, n int) *mrp.Input {
	b.Helper()
	c := plantgen.Default(n)
	in, err := plantgen.Generate(c)
	if err != nil {
		b.Fatal(err)
	}
	return in
}

var plants sync.Map // n -> *mrp.Planner

func benchPlanner(b *testing.B, n int) *mrp.Planner {
	if p, ok := plants.Load(n); ok {
		return p.(*mrp.Planner)
	}
	p, err := mrp.New(benchPlant(b, n), mrp.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	plants.Store(n, p)
	return p
}

// BenchmarkRegenerative is a full regenerative run (warm: the planner's
// order storage is reused).
func BenchmarkRegenerative(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			p := benchPlanner(b, n)
			st := p.Stats()
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				p.Regenerate()
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/run")
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(n)/sec, "items/s")
			b.ReportMetric(sec*1000, "ms/run")
			b.ReportMetric(float64(st.Orders), "orders")
		})
	}
}

// BenchmarkNewManyLines is mrp.New (load, check, regenerative plan) of a
// 10,000-item light plant with 1,000,000 sales-order lines, a large ERP
// export: loading puts every line into its item's timeline (sorted per
// item first, see loadDemandTimelines). ns/line is the time per line.
func BenchmarkNewManyLines(b *testing.B) {
	in, err := plantgen.Generate(plantgen.Light(10000, 1_000_000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mrp.New(in, mrp.DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(sec*1000, "ms/new")
	b.ReportMetric(sec*1e9/float64(len(in.Demands)), "ns/line")
}

// BenchmarkNetChange changes the quantity of one sales-order line per
// step (alternating up and back) and reports the median and 99th
// percentile latency, on the default plant (10% lot-sized items, 5% with
// receipts, 5% with safety stock), on a lot-for-lot plant without
// receipts or safety stock (the setting of ../shared/notes/mrp-netting.md)
// on a light plant (default mix, fan-out 2-4), on the default plant
// with a dated BOM change on every tenth item with components and on a
// deep one (the default mix in 10 levels instead of 6). The
// planner asks for huge pages first, as the server's does
// ([mrp.Planner.AdviseHugePages]; MB-on-huge-pages says what it got).
func BenchmarkNetChange(b *testing.B) {
	for _, plant := range []string{"default", "lfl", "lfl-rec", "light", "dated", "deep"} {
		for _, n := range []int{1000, 10000, 50000} {
			b.Run(fmt.Sprintf("plant=%s/items=%d", plant, n), func(b *testing.B) {
				c := plantgen.Default(n)
				switch plant {
				case "lfl":
					c.LotShare, c.ReceiptShare, c.SafetyShare = 0, 0, 0
				case "lfl-rec":
					// the plant: stock and receipts, every
					// item lot-for-lot
					c.LotShare, c.SafetyShare = 0, 0
				case "light":
					c.FanOutMin, c.FanOutMax = 2, 4
				case "deep":
					// 10 levels: a change reaches nearly every item,
					// millions of requirement changes passed on
					c.Levels = 10
				}
				in, err := plantgen.Generate(c)
				if err != nil {
					b.Fatal(err)
				}
				if plant == "dated" {
					// default mix, every tenth item with components gets
					// a dated BOM change: from a day in the year on, its
					// first component takes one more per unit
					for j := range in.Items {
						it := &in.Items[j]
						if j%10 == 0 && len(it.Components) > 0 {
							cs := slices.Clone(it.Components)
							cs[0].QtyPer++
							it.BOMChanges = []mrp.BOMChange{{From: in.Calendar.Start.AddDate(0, 0, 30+j%300), Components: cs}}
						}
					}
				}
				p, err := mrp.New(in, mrp.DefaultOptions())
				if err != nil {
					b.Fatal(err)
				}
				// a planner kept for many changes, as the server's:
				// its memory on huge pages where the system has them
				huge := <-p.AdviseHugePages()
				// wall and process CPU time of each change: on a shared
				// machine the CPU percentiles are the ones to compare.
				// The calling goroutine is not locked to its thread, as a
				// server's or a program's is not: locked, its thread is
				// parked and woken at every level's join, ~1 ms of wall
				// at p50 and more at p99 (BenchmarkNetChangeCaller); the
				// serial CPU is measured locked in BenchmarkNetChangeTail.
				var lat, cpuLat []time.Duration
				touched := 0
				k := 0
				b.ReportAllocs()
				_, _, full0 := mrp.NetChangePaths(p)
				win0 := mrp.NetChangeWindowed(p)
				rsync0, cut0 := mrp.NetChangeResynced(p)
				par0 := mrp.NetChangeParallelLevels(p)
				emit0 := mrp.NetChangeRequirementChanges(p)
				cpu0 := cpuTime()
				for b.Loop() {
					// even steps raise a line by 3, odd steps put it back:
					// every step is a real change.
					ch := changeDemand(in, k)
					k++
					t0, c0 := time.Now(), cpuTime()
					res, err := p.Apply(ch)
					lat = append(lat, time.Since(t0))
					cpuLat = append(cpuLat, cpuTime()-c0)
					if err != nil {
						b.Fatal(err)
					}
					touched += res.NumTouched()
				}
				b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(lat)), "cpu-ms/netchange")
				b.ReportMetric(b.Elapsed().Seconds()*1000/float64(len(lat)), "ms/netchange")
				slices.Sort(lat)
				slices.Sort(cpuLat)
				ms := func(l []time.Duration, q float64) float64 {
					return float64(l[int(q*float64(len(l)-1))].Nanoseconds()) / 1e6
				}
				b.ReportMetric(ms(lat, 0.5), "ms/netchange-p50")
				b.ReportMetric(ms(lat, 0.99), "ms/netchange-p99")
				b.ReportMetric(ms(cpuLat, 0.5), "cpu-ms/netchange-p50")
				b.ReportMetric(ms(cpuLat, 0.99), "cpu-ms/netchange-p99")
				b.ReportMetric(float64(touched)/float64(len(lat)), "items-touched/op")
				b.ReportMetric(float64(huge>>20), "MB-on-huge-pages")
				_, _, full := mrp.NetChangePaths(p)
				b.ReportMetric(float64(full-full0)/float64(len(lat)), "items-replanned-in-full/op")
				// of them, lot-sized items replanned from their first
				// requirement change on
				b.ReportMetric(float64(mrp.NetChangeWindowed(p)-win0)/float64(len(lat)), "items-replanned-in-window/op")
				// of them, stopped where their lots fell back in step with
				// the old ones, and the net requirements they left alone
				rsync, cut := mrp.NetChangeResynced(p)
				b.ReportMetric(float64(rsync-rsync0)/float64(len(lat)), "items-window-resynced/op")
				b.ReportMetric(float64(cut-cut0)/float64(len(lat)), "net-reqs-left-by-resync/op")
				b.ReportMetric(float64(mrp.NetChangeParallelLevels(p)-par0)/float64(len(lat)), "levels-in-parallel/op")
				// what the plan change amounts to: lot-sized items turn
				// one requirement change into many order changes
				b.ReportMetric(float64(mrp.NetChangeRequirementChanges(p)-emit0)/float64(len(lat)), "req-changes/op")
			})
		}
	}
}

// BenchmarkPromise is ATP/CTP for an end item of a generated plant (a deep
// capable-to-promise walk through its whole BOM when nothing is free).
func BenchmarkPromise(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			p := benchPlanner(b, n)
			start := p.Date(0)
			ids := p.Items()
			k := 0
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: ids[k%(n/100)], Qty: 5, Date: start.AddDate(0, 0, 30)}); err != nil {
					b.Fatal(err)
				}
				k++
			}
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/promise")
		})
	}
}

// BenchmarkStoreApply is a durable net change: one changed sales-order line
// applied through a Badger-backed Store (one transaction each).
func BenchmarkStoreApply(b *testing.B) {
	in := benchPlant(b, 10000)
	db, err := kv.OpenBadger(b.TempDir(), kv.Options{Logf: func(string, ...any) {}})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	k := 0
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		ch := changeDemand(in, k)
		k++
		if _, err := st.Apply(ctx, ch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/netchange")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/netchange")
}
