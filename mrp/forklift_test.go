package mrp_test

import (
	"context"

	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

const forkliftDir = "../testdata/forklift"

var forkliftStart = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

func loadForklift(t testing.TB) (*mrp.Input, *mrp.BOMSource) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(forkliftDir, "items.csv")); err != nil {
		t.Fatal("forklift demo data missing (testdata/forklift is part of the repository)")
	}
	in, src, err := mrp.LoadDir(context.Background(), forkliftDir, mrp.LoadOptions{Start: forkliftStart})
	if err != nil {
		t.Fatal(err)
	}
	return in, src
}

// TestForklift plans the demo plant: configured sales orders resolve to
// their variants, whose nodes are items of their own, and the story's order
// of 100 identical trucks is one variant item with one planned order stream.
func TestForklift(t *testing.T) {
	in, src := loadForklift(t)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var so mrp.Demand
	for _, d := range in.Demands {
		if d.ID == "SO-26-1187" {
			so = d
		}
	}
	if so.Qty != 100 || !strings.HasPrefix(so.Item, "FL-TRUCK@") {
		t.Fatalf("story order resolved to %+v", so)
	}
	os, _ := p.Orders(so.Item)
	var q int64
	for _, o := range os {
		q += o.Qty
		if o.Kind != mrp.Production {
			t.Errorf("truck order %s is %v", o.ID, o.Kind)
		}
		if len(o.Operations) == 0 {
			t.Errorf("truck order %s has no operations", o.ID)
		}
		for k := 1; k < len(o.Operations); k++ {
			if o.Operations[k].Start.Before(o.Operations[k-1].End) {
				t.Errorf("%s: operation %d starts before %d ends", o.ID, o.Operations[k].Seq, o.Operations[k-1].Seq)
			}
		}
	}
	if q != 100 {
		t.Errorf("truck variant planned %d, want 100", q)
	}
	tree, err := p.SupplyTree(so.ID)
	if err != nil || len(tree) == 0 || len(tree[0].Children) == 0 {
		t.Fatalf("supply tree of the story order: %v %v", tree, err)
	}
	// resolving the same configuration again adds nothing
	cfg := mustConfig(t, so.ID)
	id, added, err := src.Variant(context.Background(), "FL-TRUCK", cfg)
	if err != nil || id != so.Item || len(added) != 0 {
		t.Fatalf("same configuration again: %s (+%d) %v", id, len(added), err)
	}
	pr, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: so.Item, Qty: 10, Date: forkliftStart.AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if pr.ATP || pr.Day < 20 {
		t.Errorf("10 more trucks in a month: %+v", pr)
	}
}

func mustConfig(t testing.TB, demand string) map[string][]string {
	pl, err := mrp.ReadPlant(forkliftDir)
	if err != nil {
		t.Fatal(err)
	}
	return pl.Configs[demand]
}

// TestLoadDirErrors: a bad row in the plant files fails the load with
// file:row: column: problem.
func TestLoadDirErrors(t *testing.T) {
	if _, err := os.Stat(filepath.Join(forkliftDir, "items.csv")); err != nil {
		t.Fatal("forklift demo data missing (testdata/forklift is part of the repository)")
	}
	dir := t.TempDir()
	for _, f := range []string{"items.csv", "bom.csv", "routings.csv", "workcenters.csv", "forklift.ctm", "stock.csv", "receipts.csv"} {
		b, err := os.ReadFile(filepath.Join(forkliftDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct{ demands, want string }{
		{"id,item,qty,due_date\nA,NOPE,1,2026-12-01\n", "demands.csv:2: item: mrp: unknown item NOPE"},
		{"id,item,qty,due_date\nA,FL-TRUCK,1,2026-12-01\n", "demands.csv:2: config: FL-TRUCK is configurable"},
		{"id,item,qty,due_date\nA,FL-TRUCK,x,2026-12-01\n", `demands.csv:2: qty: "x" is not a number`},
		{"id,item,qty\n", "demands.csv:1: due_date: missing column"},
		{"id,item,qty,due_date,config\nA,FL-TRUCK,1,2026-12-01,capacity=t99\n", "demands.csv:2: config:"},
		{"id,item,qty,due_date,config\nA,CHG-EXT-48-100A,1,2026-12-01,capacity=t25\n", "demands.csv:2: config: CHG-EXT-48-100A is not a configurable item"},
		// the configurator quotes an unknown name whole: shortened
		{"id,item,qty,due_date,config\nA,FL-TRUCK,1,2026-12-01," + strings.Repeat("c", 100000) + "=t25\n",
			`demands.csv:2: config: bom: FL-TRUCK: configurator: bad pick: unknown characteristic "` + strings.Repeat("c", 40) + `"… (100000 bytes)`},
	}
	for _, c := range cases {
		if err := os.WriteFile(filepath.Join(dir, "demands.csv"), []byte(c.demands), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := mrp.LoadDir(context.Background(), dir, mrp.LoadOptions{Start: forkliftStart})
		if err == nil || !strings.Contains(err.Error(), c.want) || len(err.Error()) > 1000 {
			t.Errorf("%.100q: err %.1000v, want %q", c.demands, err, c.want)
		}
	}
}

// BenchmarkStoryOrder is the story's order of 100 identical configured
// trucks against the planned demo plant: resolve the configuration
// (a cache lookup after the first time), add its new nodes and the order
// line, replan by net change, then take the order back out.
func BenchmarkStoryOrder(b *testing.B) {
	in, src := loadForklift(b)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	cfg := mustConfig(b, "SO-26-1162")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		id, added, err := src.Variant(ctx, "FL-TRUCK", cfg)
		if err != nil {
			b.Fatal(err)
		}
		var cs []mrp.Change
		for _, it := range added {
			cs = append(cs, mrp.SetItem{Item: it})
		}
		cs = append(cs, mrp.SetDemand{Demand: mrp.Demand{ID: "STORY", Item: id, Qty: 100, Due: forkliftStart.AddDate(0, 3, 0)}})
		if _, err := p.Apply(cs...); err != nil {
			b.Fatal(err)
		}
		if _, err := p.Apply(mrp.RemoveDemand{ID: "STORY"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/order")
}

// BenchmarkPromiseTruck is ATP/CTP for 5 configured trucks.
func BenchmarkPromiseTruck(b *testing.B) {
	in, _ := loadForklift(b)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	idx := slices.IndexFunc(in.Demands, func(d mrp.Demand) bool { return d.ID == "SO-26-1187" })
	item := in.Demands[idx].Item
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: item, Qty: 5, Date: forkliftStart.AddDate(0, 1, 0)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/promise")
}

// TestForkliftNewVariantNetChange: a configuration not seen before adds
// its variant's nodes as items by net change; the plan equals a
// regenerative run.
func TestForkliftNewVariantNetChange(t *testing.T) {
	if _, err := os.Stat(filepath.Join(forkliftDir, "items.csv")); err != nil {
		t.Fatal("forklift demo data missing (testdata/forklift is part of the repository)")
	}
	// the plant without sales order SO-26-1171
	dir := t.TempDir()
	ents, err := os.ReadDir(forkliftDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(forkliftDir, e.Name()))
		if err != nil || e.IsDir() {
			continue
		}
		if e.Name() == "demands.csv" {
			var keep []string
			for _, l := range strings.Split(string(b), "\n") {
				if !strings.HasPrefix(l, "SO-26-1171,") {
					keep = append(keep, l)
				}
			}
			b = []byte(strings.Join(keep, "\n"))
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	in, src, err := mrp.LoadDir(ctx, dir, mrp.LoadOptions{Start: forkliftStart})
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	// PlanningItem names the variant's planning item without adding it;
	// Variant then adds it under that name.
	before := len(src.Items())
	named, err := src.PlanningItem(ctx, "FL-TRUCK", mustConfig(t, "SO-26-1171"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(src.Items()); n != before {
		t.Errorf("PlanningItem added %d items", n-before)
	}
	if _, ok := src.Item(named); ok {
		t.Errorf("PlanningItem: %s already planned before the order", named)
	}
	id, added, err := src.Variant(ctx, "FL-TRUCK", mustConfig(t, "SO-26-1171"))
	if err != nil {
		t.Fatal(err)
	}
	if id != named {
		t.Errorf("Variant names the order's item %s, PlanningItem %s", id, named)
	}
	if len(added) == 0 || added[len(added)-1].ID != id {
		t.Fatalf("new variant %s added %d items", id, len(added))
	}
	var cs []mrp.Change
	for _, it := range added {
		cs = append(cs, mrp.SetItem{Item: it})
	}
	cs = append(cs, mrp.SetDemand{Demand: mrp.Demand{ID: "SO-26-1171", Item: id, Qty: 6, Due: time.Date(2027, 3, 26, 0, 0, 0, 0, time.UTC)}})
	res, err := p.Apply(cs...)
	if err != nil {
		t.Fatal(err)
	}
	if res.NumTouched() < len(added) {
		t.Errorf("touched %d items, fewer than the %d new ones", res.NumTouched(), len(added))
	}
	q, err := mrp.New(p.Input(), mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if a, b := fingerprint(t, p), fingerprint(t, q); a != b {
		t.Fatalf("net change with a new variant differs from regenerative\n%s", diff(a, b))
	}
}

// BenchmarkStoryOrderNewConfig is the story's order of 100 trucks in a
// configuration the plant has not seen: resolve it (new variant nodes),
// add them and the order line, replan by net change. The plant is loaded
// outside the timer for every iteration.
func BenchmarkStoryOrderNewConfig(b *testing.B) {
	dir := b.TempDir()
	ents, err := os.ReadDir(forkliftDir)
	if err != nil {
		b.Fatal("forklift demo data missing (testdata/forklift is part of the repository)")
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(forkliftDir, e.Name()))
		if err != nil || e.IsDir() {
			continue
		}
		if e.Name() == "demands.csv" {
			var keep []string
			for _, l := range strings.Split(string(data), "\n") {
				if !strings.HasPrefix(l, "SO-26-1187,") {
					keep = append(keep, l)
				}
			}
			data = []byte(strings.Join(keep, "\n"))
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	cfg := mustConfig(b, "SO-26-1187")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		in, src, err := mrp.LoadDir(ctx, dir, mrp.LoadOptions{Start: forkliftStart})
		if err != nil {
			b.Fatal(err)
		}
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		id, added, err := src.Variant(ctx, "FL-TRUCK", cfg)
		if err != nil {
			b.Fatal(err)
		}
		if len(added) == 0 {
			b.Fatal("configuration was not new")
		}
		var cs []mrp.Change
		for _, it := range added {
			cs = append(cs, mrp.SetItem{Item: it})
		}
		cs = append(cs, mrp.SetDemand{Demand: mrp.Demand{ID: "STORY", Item: id, Qty: 100, Due: forkliftStart.AddDate(0, 3, 0)}})
		if _, err := p.Apply(cs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/order")
}
