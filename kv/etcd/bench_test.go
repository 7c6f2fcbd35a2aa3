package etcd_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/kv/etcd/etcdtest"
)

// BenchmarkCommit measures the latency of one small read-modify-write
// transaction (read a counter, write it and a 200-byte record: about what
// UpsertDemands of one demand does) from one writer, on a 3-member etcd
// cluster on loopback and on Badger with an fsync per commit (serve's
// default), and reports the median and 99th percentile per commit.
func BenchmarkCommit(b *testing.B) {
	b.Run("store=etcd3", func(b *testing.B) {
		c := etcdtest.Start(b, etcdtest.Options{})
		benchCommit(b, open(b, c, "bench/", nil))
	})
	b.Run("store=badger-sync", func(b *testing.B) {
		db, err := kv.OpenBadger(b.TempDir(), kv.Options{SyncWrites: true, Logf: b.Logf})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		benchCommit(b, db)
	})
}

func benchCommit(b *testing.B, db kv.DB) {
	val := make([]byte, 200)
	var lat []time.Duration
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		start := time.Now()
		err := db.Update(ctx, func(txn kv.Txn) error {
			if _, err := txn.Get([]byte("counter")); err != nil && err != kv.ErrNotFound {
				return err
			}
			if err := txn.Set([]byte("counter"), fmt.Append(nil, i)); err != nil {
				return err
			}
			return txn.Set(fmt.Appendf(nil, "demand/%08d", i), val)
		})
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	ms := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / 1e6 }
	b.ReportMetric(ms(0.5), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}
