package benchmarks

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/mrp"
)

// The demo story: the forklift plant in testdata/forklift, planned from
// forkliftStart; storyOrder is the order of 100 identical configured trucks.
var forkliftStart = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

const (
	storyOrder = "SO-26-1187"
	storyItem  = "FL-TRUCK"
)

func storyCases() []*Case {
	return []*Case{{
		Group: "story", Op: "order of 100 identical configured trucks: resolve + plan", Size: "forklift",
		Metric: "ms/order", BaselineName: "regenerative",
		Targets: []Target{{Metric: "ms/order", Op: "<=", Value: 50}},
		Quick:   true, QuickTime: "200ms", QuickBaselineTime: "20x", Small: true,
		Setup: func(env Env) (*Fixture, error) { return story(env) },
	}, {
		Group: "atp", Op: "ATP/CTP: 5 configured trucks in a month", Size: "forklift",
		Metric:  "ms/promise",
		Targets: []Target{{Metric: "ms/promise", Op: "<=", Value: 5}},
		Quick:   true, QuickTime: "200ms", Small: true,
		Setup: func(env Env) (*Fixture, error) { return promise(env) },
	}}
}

// storyPlant is the demo plant planned without the story order, with the
// order's line and configuration set aside.
type storyPlant struct {
	p      *mrp.Planner
	src    *mrp.BOMSource
	order  mrp.Demand
	config configurator.Configuration
	close  func()
}

func loadStoryPlant(env Env) (*storyPlant, error) {
	s, closeStore, err := forkliftStore(env)
	if err != nil {
		return nil, err
	}
	dir := env.Forklift
	ctx := context.Background()
	pl, err := mrp.ReadPlant(dir)
	if err != nil {
		closeStore()
		return nil, err
	}
	k := slices.IndexFunc(pl.Demands, func(d mrp.Demand) bool { return d.ID == storyOrder })
	if k < 0 {
		closeStore()
		return nil, fmt.Errorf("%s: no sales order %s in demands.csv", dir, storyOrder)
	}
	sp := &storyPlant{order: pl.Demands[k], config: pl.Configs[storyOrder], close: closeStore}
	pl.Demands = slices.Delete(pl.Demands, k, k+1)
	delete(pl.Configs, storyOrder)
	in, src, err := mrp.FromBOM(ctx, s, pl, mrp.LoadOptions{Start: forkliftStart})
	if err != nil {
		closeStore()
		return nil, err
	}
	if sp.p, err = mrp.New(in, mrp.DefaultOptions()); err != nil {
		closeStore()
		return nil, err
	}
	sp.src = src
	return sp, nil
}

// add resolves the story order's configuration (new the first time, a
// lookup after) and adds its new variant items and the order line.
func (sp *storyPlant) add(ctx context.Context) (string, error) {
	id, added, err := sp.src.Variant(ctx, storyItem, sp.config)
	if err != nil {
		return "", err
	}
	cs := make([]mrp.Change, 0, len(added)+1)
	for _, it := range added {
		cs = append(cs, mrp.SetItem{Item: it})
	}
	d := sp.order
	d.Item = id
	cs = append(cs, mrp.SetDemand{Demand: d})
	_, err = sp.p.Apply(cs...)
	return id, err
}

// story times the demo's order of 100 identical trucks: resolve its
// configuration and plan it by net change; the baseline resolves it the
// same way and replans regeneratively. The order is taken back out between
// iterations (untimed).
func story(env Env) (*Fixture, error) {
	ours, err := loadStoryPlant(env)
	if err != nil {
		return nil, err
	}
	base, err := loadStoryPlant(env)
	if err != nil {
		ours.close()
		return nil, err
	}
	ctx := context.Background()
	f := &Fixture{Close: func() { ours.close(); base.close() }}
	remove := func(b B, sp *storyPlant) {
		b.StopTimer()
		if _, err := sp.p.Apply(mrp.RemoveDemand{ID: storyOrder}); err != nil {
			f.fatal(b, fmt.Errorf("remove %s: %w", storyOrder, err))
		}
		b.StartTimer()
	}
	f.Ours = func(b B) {
		var lat latencies
		b.ReportAllocs()
		for b.Loop() {
			t0 := time.Now()
			if _, err := ours.add(ctx); err != nil {
				f.fatal(b, fmt.Errorf("story order: %w", err))
			}
			lat = append(lat, time.Since(t0))
			remove(b, ours)
		}
		lat.report(b, "ms/order")
		b.ReportMetric(float64(lat[0].Microseconds())/1000, "ms/first-order")
	}
	f.Baseline = func(b B) {
		var lat latencies
		b.ReportAllocs()
		for b.Loop() {
			t0 := time.Now()
			id, added, err := base.src.Variant(ctx, storyItem, base.config)
			if err != nil {
				f.fatal(b, fmt.Errorf("story order: %w", err))
			}
			el := time.Since(t0)
			b.StopTimer()
			cs := []mrp.Change{}
			for _, it := range added {
				cs = append(cs, mrp.SetItem{Item: it})
			}
			d := base.order
			d.Item = id
			if _, err := base.p.Apply(append(cs, mrp.SetDemand{Demand: d})...); err != nil {
				f.fatal(b, fmt.Errorf("story order: %w", err))
			}
			b.StartTimer()
			t0 = time.Now()
			base.p.Regenerate()
			lat = append(lat, el+time.Since(t0))
			remove(b, base)
		}
		lat.report(b, "ms/order")
	}
	f.Check = func() error {
		id, err := ours.add(ctx)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(id, storyItem+"@") {
			return fmt.Errorf("the story order resolved to item %q, want a variant of %s", id, storyItem)
		}
		again, added, err := ours.src.Variant(ctx, storyItem, ours.config)
		if err != nil {
			return err
		}
		if again != id || len(added) != 0 {
			return fmt.Errorf("the same configuration again gave %s (+%d items), want %s (+0)", again, len(added), id)
		}
		tree, err := ours.p.SupplyTree(storyOrder)
		if err != nil {
			return err
		}
		if len(tree) == 0 {
			return fmt.Errorf("the story order has no supply tree")
		}
		fresh, err := mrp.New(ours.p.Input(), mrp.DefaultOptions())
		if err != nil {
			return err
		}
		if d := fingerprint(ours.p).diff(fingerprint(fresh)); d != "" {
			return fmt.Errorf("after the story order the net-change plan differs from a regenerative one: %s", d)
		}
		st := ours.p.Stats()
		f.note("100 trucks are one variant item %s; plant of %d planning items, %d planned orders", id, st.Items, st.Orders)
		return nil
	}
	return f, nil
}

// promise times ATP/CTP for 5 more trucks of the story's configuration,
// wanted a month after the planning date, against the planned demo plant.
func promise(env Env) (*Fixture, error) {
	sp, err := loadStoryPlant(env)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	id, err := sp.add(ctx)
	if err != nil {
		sp.close()
		return nil, err
	}
	req := mrp.PromiseRequest{Item: id, Qty: 5, Date: forkliftStart.AddDate(0, 1, 0)}
	before := fingerprint(sp.p)
	f := &Fixture{Close: sp.close}
	var last *mrp.Promise
	f.Ours = func(b B) {
		var lat latencies
		b.ReportAllocs()
		for b.Loop() {
			t0 := time.Now()
			pr, err := sp.p.Promise(ctx, req)
			lat = append(lat, time.Since(t0))
			if err != nil {
				f.fatal(b, fmt.Errorf("promise: %w", err))
			}
			last = pr
		}
		lat.report(b, "ms/promise")
	}
	f.Check = func() error {
		if last == nil {
			return fmt.Errorf("nothing to check (the run did not finish)")
		}
		if last.Date.Before(req.Date) {
			return fmt.Errorf("promised %s, before the requested %s", last.Date.Format(time.DateOnly), req.Date.Format(time.DateOnly))
		}
		if d := before.diff(fingerprint(sp.p)); d != "" {
			return fmt.Errorf("promising changed the plan: %s", d)
		}
		how := "CTP"
		if last.ATP {
			how = "ATP"
		}
		f.note("5 trucks wanted %s: %s %s (limit %q)", req.Date.Format(time.DateOnly), how, last.Date.Format(time.DateOnly), last.Limit)
		return nil
	}
	return f, nil
}
