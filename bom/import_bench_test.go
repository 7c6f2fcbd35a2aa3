package bom_test

import (
	"testing"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
)

// BenchmarkImport imports each dataset (master data and its models):
// "fresh" into an empty in-memory store (validate, compile the models,
// write), "again" the same data and models once more into the same store
// (a new revision; the models' texts are unchanged). Reports items/s.
func BenchmarkImport(b *testing.B) {
	for _, ds := range datasets(b) {
		items := float64(len(ds.data.Items))
		b.Run(ds.name+"/fresh", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				db := kv.NewMemory()
				s, err := bom.Open(ctx, db)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Import(ctx, ds.data, ds.model); err != nil {
					b.Fatal(err)
				}
				db.Close()
			}
			b.ReportMetric(items*float64(b.N)/b.Elapsed().Seconds(), "items/s")
		})
		b.Run(ds.name+"/again", func(b *testing.B) {
			b.ReportAllocs()
			s, _ := newStore(b)
			if err := s.Import(ctx, ds.data, ds.model); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if err := s.Import(ctx, ds.data, ds.model); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(items*float64(b.N)/b.Elapsed().Seconds(), "items/s")
		})
	}
}
