package bom_test

import (
	"context"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
)

func datasets(b *testing.B) []dataset {
	out := []dataset{}
	if fk, ok := forkliftDataset(b); ok {
		out = append(out, fk)
	}
	return append(out, genDataset(b))
}

// BenchmarkResolveNew resolves configurations never seen before: validate,
// select, evaluate, hash, store (in-memory kv). The configurations are
// drawn before the timed loop; each iteration takes the next one, so every
// iteration is new as long as the draws are distinct.
func BenchmarkResolveNew(b *testing.B) {
	for _, ds := range datasets(b) {
		b.Run(ds.name, func(b *testing.B) {
			s := loadDataset(b, ds)
			c, _ := s.Model(modelOf(ds))
			cfgs := randomConfigs(b, c, 42, 300)
			ctx := context.Background()
			i := 0
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				if i == len(cfgs) {
					// Out of fresh configurations: start over on an empty store.
					b.StopTimer()
					s = loadDataset(b, ds)
					i = 0
					b.StartTimer()
				}
				if _, err := s.Resolve(ctx, ds.item, cfgs[i], today); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "variants/s")
		})
	}
}

func modelOf(ds dataset) string {
	for name := range ds.model {
		for _, it := range ds.data.Items {
			if it.ID == ds.item && it.Model == name {
				return name
			}
		}
	}
	return ""
}

// BenchmarkResolveSeen resolves a configuration that was resolved before:
// the configuration key plus one cache lookup.
func BenchmarkResolveSeen(b *testing.B) {
	for _, ds := range datasets(b) {
		b.Run(ds.name, func(b *testing.B) {
			s := loadDataset(b, ds)
			c, _ := s.Model(modelOf(ds))
			cfg := randomConfigs(b, c, 3, 1)[0]
			ctx := context.Background()
			if _, err := s.Resolve(ctx, ds.item, cfg, today); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Resolve(ctx, ds.item, cfg, today); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "us/op")
		})
	}
}

// BenchmarkResolve1000 resolves 1,000 random valid configurations into an
// empty store and reports how much sharing content addressing buys:
// bytes-stored (distinct nodes and variant records, keys included) against
// bytes-per-variant (each variant's own nodes, no sharing across variants)
// and bytes-flat (each variant as a flat indented BOM: per line level,
// position, item, quantity and child hash, as an ERP keeps an order BOM).
func BenchmarkResolve1000(b *testing.B) {
	for _, ds := range datasets(b) {
		b.Run(ds.name, func(b *testing.B) {
			c, _ := loadDataset(b, ds).Model(modelOf(ds))
			cfgs := randomConfigs(b, c, 1000, 1000)
			ctx := context.Background()
			var st bom.Stats
			var perVariant, flat int64
			distinct := map[string]bool{}
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				s := loadDataset(b, ds)
				perVariant, flat = 0, 0
				clear(distinct)
				b.StartTimer()
				var vs []*bom.Variant
				for _, cfg := range cfgs {
					v, err := s.Resolve(ctx, ds.item, cfg, today)
					if err != nil {
						b.Fatal(err)
					}
					vs = append(vs, v)
				}
				b.StopTimer()
				for _, v := range vs {
					if distinct[v.ID] {
						continue
					}
					distinct[v.ID] = true
					perVariant += int64(v.Size())
					lines, err := v.Explode(1)
					if err != nil {
						b.Fatal(err)
					}
					for _, l := range lines {
						flat += int64(1 + len(l.Position) + len(l.Item) + 8 + 32)
					}
				}
				st, _ = s.Stats(ctx)
				b.StartTimer()
			}
			stored := float64(st.NodeBytes + st.VariantBytes)
			b.ReportMetric(float64(len(distinct)), "variants")
			b.ReportMetric(float64(st.Nodes), "nodes")
			b.ReportMetric(stored, "bytes-stored")
			b.ReportMetric(float64(perVariant), "bytes-per-variant")
			b.ReportMetric(float64(flat), "bytes-flat")
			b.ReportMetric(float64(flat)/stored, "x-flat/stored")
		})
	}
}

// BenchmarkWillems38 is the full explosion, low-level codes and cost
// roll-up of Willems chain 38 (2,025 stages, 16,225 arcs, 559 end items):
// low-level codes of all items, the summarised explosion of one unit of
// every end item at once, and the standard cost of every item.
func BenchmarkWillems38(b *testing.B) {
	d := willemsData(b, willemsDir(b), 38)
	s, _ := newStore(b)
	if err := s.Import(context.Background(), d, nil); err != nil {
		b.Fatal(err)
	}
	demand := map[string]float64{}
	for _, it := range d.Items {
		if len(s.WhereUsed(it.ID)) == 0 {
			demand[it.ID] = 1
		}
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		s.LowLevelCodes()
		reqs, err := s.Explode(demand, today)
		if err != nil {
			b.Fatal(err)
		}
		n = len(reqs)
		s.Costs(today, 1)
	}
	b.ReportMetric(float64(n), "requirements/op")
	b.ReportMetric(float64(len(d.Lines))*float64(b.N)/b.Elapsed().Seconds(), "arcs/s")
}

// BenchmarkWillems38Variants does the same per end item through variants:
// for each of the 559 end items its (already resolved) variant, its
// summarised explosion and its cost, 98,762 requirement lines in all.
func BenchmarkWillems38Variants(b *testing.B) {
	d := willemsData(b, willemsDir(b), 38)
	s, _ := newStore(b)
	ctx := context.Background()
	if err := s.Import(ctx, d, nil); err != nil {
		b.Fatal(err)
	}
	var ends []string
	for _, it := range d.Items {
		if len(s.WhereUsed(it.ID)) == 0 {
			ends = append(ends, it.ID)
		}
	}
	for _, id := range ends {
		if _, err := s.Resolve(ctx, id, nil, today); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	lines := 0
	for b.Loop() {
		lines = 0
		for _, id := range ends {
			v, err := s.Resolve(ctx, id, nil, today)
			if err != nil {
				b.Fatal(err)
			}
			lines += len(v.Summarize(1))
			v.Cost(1)
		}
	}
	b.ReportMetric(float64(lines), "requirements/op")
}

// BenchmarkWillems38Cold is the same on a store that has never resolved
// chain 38: every end item is resolved (hashed and stored) first.
func BenchmarkWillems38Cold(b *testing.B) {
	d := willemsData(b, willemsDir(b), 38)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s, _ := newStore(b)
		if err := s.Import(ctx, d, nil); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		s.LowLevelCodes()
		for _, it := range d.Items {
			if len(s.WhereUsed(it.ID)) > 0 {
				continue
			}
			v, err := s.Resolve(ctx, it.ID, nil, today)
			if err != nil {
				b.Fatal(err)
			}
			v.Summarize(1)
			v.Cost(1)
		}
	}
}

// BenchmarkResolveNewBadger is BenchmarkResolveNew on a Badger store in a
// temporary directory (commits without fsync, Badger's default).
func BenchmarkResolveNewBadger(b *testing.B) {
	ds := datasets(b)[0]
	ctx := context.Background()
	open := func() *bom.Store {
		db, err := kv.OpenBadger(b.TempDir(), kv.Options{Logf: b.Logf})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		s, err := bom.Open(ctx, db)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Import(ctx, ds.data, ds.model); err != nil {
			b.Fatal(err)
		}
		return s
	}
	s := open()
	c, _ := s.Model(modelOf(ds))
	cfgs := randomConfigs(b, c, 42, 300)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if i == len(cfgs) {
			b.StopTimer()
			s, i = open(), 0
			b.StartTimer()
		}
		if _, err := s.Resolve(ctx, ds.item, cfgs[i], today); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "variants/s")
}
