package benchmarks

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
)

func resolveCases() []*Case {
	return []*Case{{
		Group: "bom-resolve", Op: "resolve a new forklift configuration", Size: "forklift-new",
		Metric: "ms/resolve", BaselineName: "empty-store",
		Targets: []Target{{Metric: "ms/resolve", Op: "<=", Value: 1}},
		Quick:   true, QuickTime: "200ms", QuickBaselineTime: "10x", FullBaselineTime: "50x", Small: true,
		Setup: func(env Env) (*Fixture, error) { return resolveNew(env) },
	}, {
		Group: "bom-resolve", Op: "resolve a configuration seen before", Size: "forklift-seen",
		Metric: "us/resolve", BaselineName: "empty-store",
		Targets: []Target{{Metric: "us/resolve", Op: "<=", Value: 10}},
		Quick:   true, QuickTime: "100ms", QuickBaselineTime: "10x", FullBaselineTime: "50x", Small: true,
		Setup: func(env Env) (*Fixture, error) { return resolveSeen(env) },
	}, {
		Group: "bom-variants", Op: "resolve and store 1,000 ordered trucks", Size: "forklift-1000",
		Metric: "variants/s", HigherIsBetter: true, BaselineName: "flat-per-unit",
		Quick: true, QuickTime: "2x", QuickBaselineTime: "2x",
		Setup: func(env Env) (*Fixture, error) { return resolveUnits(env, 1000) },
	}}
}

var resolveAt = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// forkliftStore imports the demo's master data and models into a new
// in-memory store.
func forkliftStore(env Env) (*bom.Store, func(), error) {
	if _, err := env.forkliftFile("bom.csv"); err != nil {
		return nil, nil, err
	}
	dir := env.Forklift
	data, err := bom.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	models, err := bom.LoadModels(dir)
	if err != nil {
		return nil, nil, err
	}
	ctx := context.Background()
	db := kv.NewMemory()
	s, err := bom.Open(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	if err := s.Import(ctx, data, models); err != nil {
		db.Close()
		return nil, nil, err
	}
	return s, func() { db.Close() }, nil
}

// drawConfigs draws up to n distinct full valid configurations: a random
// number of picks, each a possible value of a characteristic that still
// has a choice, then Complete (which prefers defaults).
func drawConfigs(ctx context.Context, c *configurator.Compiled, seed uint64, n int) ([]configurator.Configuration, error) {
	r := rand.New(rand.NewPCG(seed, 0xc0f1))
	seen := map[string]bool{}
	var out []configurator.Configuration
	for tries := 0; len(out) < n && tries < 4*n; tries++ {
		var picks []configurator.Pick
		for range 2 + r.IntN(14) {
			d, err := c.Propagate(ctx, picks)
			if err != nil {
				return nil, err
			}
			p, ok := randomPick(r, d)
			if !ok {
				break
			}
			picks = append(picks, p)
		}
		cfg, err := c.Complete(ctx, picks)
		if err != nil {
			return nil, fmt.Errorf("complete %v: %w", picks, err)
		}
		key, err := c.Key(cfg)
		if err != nil {
			return nil, err
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, cfg)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no configuration drawn")
	}
	return out, nil
}

func forkliftConfigs(s *bom.Store, n int) ([]configurator.Configuration, error) {
	c, err := s.Model("forklift")
	if err != nil {
		return nil, err
	}
	return drawConfigs(context.Background(), c, 7, n)
}

// fromScratch returns a baseline that resolves cfgs in turn, each in a
// new empty store (created untimed): no variant cache, no reuse of
// sub-assemblies resolved before. It reports unit ("ms/resolve" or
// "us/resolve") and stores the variant IDs in ids.
func fromScratch(f *Fixture, env Env, cfgs []configurator.Configuration, ids []string, unit string) func(b B) {
	return func(b B) {
		ctx := context.Background()
		var lat latencies
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			s, closeStore, err := forkliftStore(env)
			if err != nil {
				f.fatal(b, err)
			}
			k := i % len(cfgs)
			i++
			b.StartTimer()
			t0 := time.Now()
			v, err := s.Resolve(ctx, storyItem, cfgs[k], resolveAt)
			lat = append(lat, time.Since(t0))
			if err != nil {
				f.fatal(b, fmt.Errorf("resolve %v: %w", cfgs[k], err))
			}
			b.StopTimer()
			ids[k] = v.ID
			closeStore()
			b.StartTimer()
		}
		scale := 1.0
		if unit == "us/resolve" {
			scale = 1000
		}
		b.ReportMetric(lat.quantile(0.5)*scale, unit)
		b.ReportMetric(lat.quantile(0.99)*scale, unit+"-p99")
	}
}

// resolveNew times resolving configurations the store has not seen: each
// iteration takes the next of 100 drawn ones; when they run out the store
// starts over empty (untimed), so every timed resolve is new.
func resolveNew(env Env) (*Fixture, error) {
	s, closeStore, err := forkliftStore(env)
	if err != nil {
		return nil, err
	}
	cfgs, err := forkliftConfigs(s, 100)
	if err != nil {
		closeStore()
		return nil, err
	}
	ctx := context.Background()
	f := &Fixture{Close: func() { closeStore() }}
	f.note("%d distinct configurations drawn", len(cfgs))
	ids := make([]string, len(cfgs))
	scratch := make([]string, len(cfgs))
	f.Baseline = fromScratch(f, env, cfgs, scratch, "ms/resolve")
	f.Ours = func(b B) {
		var lat latencies
		i := 0
		b.ReportAllocs()
		for b.Loop() {
			if i == len(cfgs) {
				b.StopTimer()
				closeStore()
				if s, closeStore, err = forkliftStore(env); err != nil {
					f.fatal(b, err)
				}
				i = 0
				b.StartTimer()
			}
			t0 := time.Now()
			v, err := s.Resolve(ctx, storyItem, cfgs[i], resolveAt)
			lat = append(lat, time.Since(t0))
			if err != nil {
				f.fatal(b, fmt.Errorf("resolve %v: %w", cfgs[i], err))
			}
			ids[i] = v.ID
			i++
		}
		lat.report(b, "ms/resolve")
	}
	f.Check = func() error {
		// The same configurations resolved in a new store give the same
		// variants, and resolving them again there is a lookup to the same.
		s2, close2, err := forkliftStore(env)
		if err != nil {
			return err
		}
		defer close2()
		for i, cfg := range cfgs {
			if ids[i] == "" {
				continue
			}
			if scratch[i] != "" && scratch[i] != ids[i] {
				return fmt.Errorf("configuration %d resolved to %s with reuse and %s from scratch", i, ids[i], scratch[i])
			}
			for range 2 {
				v, err := s2.Resolve(ctx, storyItem, cfg, resolveAt)
				if err != nil {
					return err
				}
				if v.ID != ids[i] {
					return fmt.Errorf("configuration %d resolved to %s in one store and %s in another", i, ids[i], v.ID)
				}
			}
		}
		return nil
	}
	return f, nil
}

// resolveSeen times resolving a configuration resolved before.
func resolveSeen(env Env) (*Fixture, error) {
	s, closeStore, err := forkliftStore(env)
	if err != nil {
		return nil, err
	}
	cfgs, err := forkliftConfigs(s, 1)
	if err != nil {
		closeStore()
		return nil, err
	}
	ctx := context.Background()
	first, err := s.Resolve(ctx, storyItem, cfgs[0], resolveAt)
	if err != nil {
		closeStore()
		return nil, err
	}
	f := &Fixture{Close: closeStore}
	scratch := make([]string, 1)
	f.Baseline = fromScratch(f, env, cfgs, scratch, "us/resolve")
	var last *bom.Variant
	f.Ours = func(b B) {
		var lat latencies
		b.ReportAllocs()
		for b.Loop() {
			t0 := time.Now()
			v, err := s.Resolve(ctx, storyItem, cfgs[0], resolveAt)
			lat = append(lat, time.Since(t0))
			if err != nil {
				f.fatal(b, err)
			}
			last = v
		}
		b.ReportMetric(lat.quantile(0.5)*1000, "us/resolve")
		b.ReportMetric(lat.quantile(0.99)*1000, "us/resolve-p99")
	}
	f.Check = func() error {
		if last == nil || last.ID != first.ID {
			return fmt.Errorf("a seen configuration resolved to %v, first to %s", last, first.ID)
		}
		if scratch[0] != "" && scratch[0] != first.ID {
			return fmt.Errorf("the configuration resolved to %s in a warm store and %s from scratch", first.ID, scratch[0])
		}
		return nil
	}
	return f, nil
}

// resolveUnits times resolving and storing the BOMs of n ordered trucks
// (drawn with repeats from 100 distinct configurations, as orders repeat
// popular ones) into an empty store: content addressing stores each
// distinct assembly once. The baseline does what an order-BOM system
// does: the same resolution, then each unit's BOM exploded and stored
// flat under its own key.
func resolveUnits(env Env, n int) (*Fixture, error) {
	s, closeStore, err := forkliftStore(env)
	if err != nil {
		return nil, err
	}
	pool, err := forkliftConfigs(s, 100)
	closeStore()
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(11, 0x1000))
	units := make([]configurator.Configuration, n)
	for i := range units {
		units[i] = pool[r.IntN(len(pool))]
	}
	ctx := context.Background()
	f := &Fixture{}
	var oursVariants, baseVariants map[string]bool
	var stored, flat float64
	f.Ours = func(b B) {
		var st bom.Stats
		b.ReportAllocs()
		iters := 0
		for b.Loop() {
			iters++
			b.StopTimer()
			s, closeStore, err := forkliftStore(env)
			if err != nil {
				f.fatal(b, err)
			}
			ids := map[string]bool{}
			b.StartTimer()
			for _, cfg := range units {
				v, err := s.Resolve(ctx, storyItem, cfg, resolveAt)
				if err != nil {
					f.fatal(b, err)
				}
				ids[v.ID] = true
			}
			b.StopTimer()
			if st, err = s.Stats(ctx); err != nil {
				f.fatal(b, err)
			}
			closeStore()
			oursVariants = ids
			b.StartTimer()
		}
		stored = float64(st.NodeBytes + st.VariantBytes)
		b.ReportMetric(float64(n)*float64(iters)/b.Elapsed().Seconds(), "variants/s")
		b.ReportMetric(float64(len(oursVariants)), "distinct-variants")
		b.ReportMetric(float64(st.Nodes), "nodes")
		b.ReportMetric(stored, "bytes-stored")
	}
	f.Baseline = func(b B) {
		b.ReportAllocs()
		iters := 0
		for b.Loop() {
			iters++
			b.StopTimer()
			s, closeStore, err := forkliftStore(env)
			if err != nil {
				f.fatal(b, err)
			}
			orders := kv.NewMemory()
			ids := map[string]bool{}
			var bytes float64
			b.StartTimer()
			for u, cfg := range units {
				v, err := s.Resolve(ctx, storyItem, cfg, resolveAt)
				if err != nil {
					f.fatal(b, err)
				}
				ids[v.ID] = true
				lines, err := v.Explode(1)
				if err != nil {
					f.fatal(b, err)
				}
				val := flatBOM(lines)
				bytes += float64(len(val))
				err = orders.Update(ctx, func(tx kv.Txn) error {
					return tx.Set(fmt.Appendf(nil, "orderbom/%06d", u), val)
				})
				if err != nil {
					f.fatal(b, err)
				}
			}
			b.StopTimer()
			closeStore()
			orders.Close()
			baseVariants, flat = ids, bytes
			b.StartTimer()
		}
		b.ReportMetric(float64(n)*float64(iters)/b.Elapsed().Seconds(), "variants/s")
		b.ReportMetric(flat, "bytes-stored")
	}
	f.Check = func() error {
		if oursVariants == nil || baseVariants == nil {
			return fmt.Errorf("nothing to check (a run did not finish)")
		}
		if len(oursVariants) != len(baseVariants) {
			return fmt.Errorf("%d distinct variants, the baseline's resolution %d", len(oursVariants), len(baseVariants))
		}
		f.note("%d units of %d distinct configurations: %d distinct variants; %.0f KiB stored shared, %.0f KiB as flat order BOMs (%.1fx)",
			n, len(pool), len(oursVariants), stored/1024, flat/1024, flat/math.Max(stored, 1))
		return nil
	}
	return f, nil
}

// flatBOM encodes an indented explosion as an order-BOM record: per line
// its level, position, item and quantity.
func flatBOM(lines []bom.ExplodedLine) []byte {
	var out []byte
	for _, l := range lines {
		out = binary.AppendUvarint(out, uint64(l.Level))
		out = binary.AppendUvarint(out, uint64(len(l.Position)))
		out = append(out, l.Position...)
		out = binary.AppendUvarint(out, uint64(len(l.Item)))
		out = append(out, l.Item...)
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(l.Qty))
	}
	return out
}
