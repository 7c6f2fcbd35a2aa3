package mrp_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/kv/etcd"
	"github.com/ctoplan/ctoplan/kv/etcd/etcdtest"
	"github.com/ctoplan/ctoplan/mrp"
)

// benchBackends opens the stores the replica benchmarks compare: Badger on
// a temp dir and a 3-member etcd cluster on loopback.
func benchBackend(b *testing.B, name string) kv.DB {
	b.Helper()
	switch name {
	case "badger":
		db, err := kv.OpenBadger(b.TempDir(), kv.Options{Logf: func(string, ...any) {}})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	case "etcd":
		c := etcdtest.Start(b, etcdtest.Options{})
		db, err := etcd.Open(context.Background(), etcd.DefaultOptions(c.Endpoints()...))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	}
	b.Fatalf("backend %s", name)
	return nil
}

// changeDemand returns the k-th benchmark change: one sales-order line's
// quantity up, then back.
func changeDemand(in *mrp.Input, k int) mrp.Change {
	d := in.Demands[(k/2*7919)%len(in.Demands)]
	if k%2 == 0 {
		d.Qty += 3
	}
	return mrp.SetDemand{Demand: d}
}

// BenchmarkNetChangeLatency is a durable net change (one changed
// sales-order line, one transaction) on the 10,000-item plant, through
// Badger and through a 3-member etcd cluster on loopback: p50 and p99 of
// the wall time per change.
func BenchmarkNetChangeLatency(b *testing.B) {
	in := benchPlant(b, 10000)
	for _, backend := range []string{"badger", "etcd"} {
		b.Run("store="+backend, func(b *testing.B) {
			db := benchBackend(b, backend)
			ctx := context.Background()
			st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
			if err != nil {
				b.Fatal(err)
			}
			var lat []time.Duration
			k := 0
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				t0 := time.Now()
				if _, err := st.Apply(ctx, changeDemand(in, k)); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
				k++
			}
			slices.Sort(lat)
			pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(pct(0.5), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/netchange")
		})
	}
}

// BenchmarkCatchUp is what a replica does to follow: restart (open the
// snapshot and replay a journal of 100 net changes) and catch up with 100
// net changes another replica wrote, on the forklift plant and on the
// 10,000-item plant, through etcd.
func BenchmarkCatchUp(b *testing.B) {
	const behind = 100
	forklift, _ := loadForklift(b)
	for _, plant := range []struct {
		name string
		in   *mrp.Input
	}{{"forklift", forklift}, {"items=10000", benchPlant(b, 10000)}} {
		in := plant.in
		db := benchBackend(b, "etcd")
		ctx := context.Background()
		writer, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		k := 0
		write := func() {
			for range behind {
				if _, err := writer.Apply(ctx, changeDemand(in, k)); err != nil {
					b.Fatal(err)
				}
				k++
			}
		}
		write()
		b.Run(plant.name+"/restart", func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := mrp.OpenStore(ctx, db); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/restart")
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/restart")
		})
		b.Run(fmt.Sprintf("%s/behind=%d", plant.name, behind), func(b *testing.B) {
			rep, err := mrp.OpenStore(ctx, db)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				write()
				b.StartTimer()
				cpu0 := cpuTime()
				if _, err := rep.CatchUp(ctx); err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - cpu0
				if rep.Revision() != writer.Revision() {
					b.Fatalf("caught up to %d, writer at %d", rep.Revision(), writer.Revision())
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/catchup")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/catchup")
		})
	}
}
