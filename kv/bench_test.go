package kv_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/ctoplan/ctoplan/kv"
)

// BenchmarkBadgerCommit measures one small write transaction (two keys,
// 240 bytes: about what UpsertDemands of one demand writes) with and
// without an fsync per commit (the cost of --sync-writes), from one writer
// and from eight at once (Badger then shares an fsync among the commits
// waiting for it).
func BenchmarkBadgerCommit(b *testing.B) {
	for _, sync := range []bool{false, true} {
		b.Run(fmt.Sprint("sync=", sync, "/writers=8"), func(b *testing.B) {
			db, err := kv.OpenBadger(b.TempDir(), kv.Options{SyncWrites: sync, Logf: b.Logf})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			val := make([]byte, 200)
			var next atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(4) // 4 x GOMAXPROCS (2 here) = 8 writers
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1)
					err := db.Update(ctx, func(txn kv.Txn) error {
						if err := txn.Set(fmt.Appendf(nil, "demand/%08d", i), val); err != nil {
							return err
						}
						return txn.Set(fmt.Appendf(nil, "index/%08d", i), []byte("x"))
					})
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
		})
		b.Run(fmt.Sprint("sync=", sync, "/writers=1"), func(b *testing.B) {
			db, err := kv.OpenBadger(b.TempDir(), kv.Options{SyncWrites: sync, Logf: b.Logf})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			val := make([]byte, 200)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				i++
				err := db.Update(ctx, func(txn kv.Txn) error {
					if err := txn.Set(fmt.Appendf(nil, "demand/%08d", i), val); err != nil {
						return err
					}
					return txn.Set(fmt.Appendf(nil, "index/%08d", i), []byte("x"))
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
		})
	}
}
