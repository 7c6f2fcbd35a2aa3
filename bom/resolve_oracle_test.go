package bom_test

import (
	"math"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
)

// resolveOracle explodes a configured item straight from the super BOM as
// read from the CSV files, by the documented rules and nothing else: a
// line is in force on day d when valid_from <= d <= valid_to (either
// empty: open); its condition, parsed with the model and evaluated on the
// configuration, must hold; a quantity formula is evaluated the same way
// (0 drops the line); a component's need is the parent's need x (1 + the
// parent's assembly scrap) x qty_per x (1 + line scrap); a phantom is
// never built: its lines count as its parent's, with the phantom line's
// quantity and scrap carried into them. The answer is the total need of
// every item that is not a phantom, per unit of the top.
type resolveOracle struct {
	t     *testing.T
	items map[string]*bom.Item
	lines map[string][]*bom.Line
	model *configurator.Model
	conds map[string]configurator.Expr
	qtys  map[string]configurator.IntExpr
}

func newResolveOracle(t *testing.T, d *bom.Data, m *configurator.Model) *resolveOracle {
	o := &resolveOracle{t: t, items: map[string]*bom.Item{}, lines: map[string][]*bom.Line{}, model: m,
		conds: map[string]configurator.Expr{}, qtys: map[string]configurator.IntExpr{}}
	for _, it := range d.Items {
		o.items[it.ID] = it
	}
	for _, l := range d.Lines {
		o.lines[l.Parent] = append(o.lines[l.Parent], l)
	}
	return o
}

func (o *resolveOracle) cond(src string) configurator.Expr {
	e, ok := o.conds[src]
	if !ok {
		var err error
		if e, err = configurator.ParseExpr(o.model, configurator.Pos{}, src); err != nil {
			o.t.Fatalf("condition %q: %v", src, err)
		}
		o.conds[src] = e
	}
	return e
}

func (o *resolveOracle) qty(src string) configurator.IntExpr {
	e, ok := o.qtys[src]
	if !ok {
		var err error
		if e, err = configurator.ParseIntExpr(o.model, configurator.Pos{}, src); err != nil {
			o.t.Fatalf("quantity %q: %v", src, err)
		}
		o.qtys[src] = e
	}
	return e
}

func (o *resolveOracle) explode(item string, cfg configurator.Configuration, day bom.Date) map[string]float64 {
	tot := map[string]float64{}
	var walk func(parent string, q float64, af float64)
	walk = func(parent string, q, af float64) {
		for _, l := range o.lines[parent] {
			if (l.ValidFrom != 0 && day < l.ValidFrom) || (l.ValidTo != 0 && day > l.ValidTo) {
				continue
			}
			if l.Condition != "" {
				ok, err := configurator.Eval(o.cond(l.Condition), cfg)
				if err != nil {
					o.t.Fatal(err)
				}
				if !ok {
					continue
				}
			}
			per := l.Qty
			if l.QtyExpr != "" {
				v, err := configurator.EvalInt(o.qty(l.QtyExpr), cfg)
				if err != nil {
					o.t.Fatal(err)
				}
				if v == 0 {
					continue
				}
				per = float64(v)
			}
			need := q * af * per * (1 + l.ScrapPct/100)
			c := o.items[l.Component]
			if c.Kind == bom.Phantom {
				walk(c.ID, need, 1) // its lines are the parent's
				continue
			}
			tot[c.ID] += need
			walk(c.ID, need, 1+c.ScrapPct/100)
		}
	}
	tot[item] = 1
	walk(item, 1, 1+o.items[item].ScrapPct/100)
	return tot
}

// TestResolveOracle resolves random valid forklift configurations on days
// before and after the demo data's dated part changes and compares every
// item's total need with the oracle's.
func TestResolveOracle(t *testing.T) {
	ds, ok := forkliftDataset(t)
	if !ok {
		t.Fatal("testdata/forklift has no CSV files (the demo data is part of the repository)")
	}
	d, err := bom.ReadDir(ds.dir)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newStore(t) // the engine reads the same files
	if err := s.ImportDir(ctx, ds.dir, ""); err != nil {
		t.Fatal(err)
	}
	c, err := s.Model(modelOf(ds))
	if err != nil {
		t.Fatal(err)
	}
	o := newResolveOracle(t, d, c.Model())
	// The dated changes of the demo data, a day either side of each.
	days := map[bom.Date]bool{bom.DateOf(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)): true}
	for _, l := range d.Lines {
		for _, x := range []bom.Date{l.ValidFrom, l.ValidTo} {
			if x != 0 {
				days[x-1], days[x], days[x+1] = true, true, true
			}
		}
	}
	if len(days) < 4 {
		t.Fatalf("only %d days: the demo data has no dated change to check", len(days))
	}
	n := 40
	if testing.Short() || raceEnabled {
		n = 10
	}
	checked := 0
	for _, cfg := range randomConfigs(t, c, 7, n) {
		for day := range days {
			v, err := s.Resolve(ctx, ds.item, cfg, day.Time())
			if err != nil {
				t.Fatal(err)
			}
			want := o.explode(ds.item, cfg, day)
			got := map[string]float64{}
			for _, r := range v.Summarize(1) {
				got[r.Item] = r.Qty
			}
			for id, q := range want {
				if g := got[id]; math.Abs(g-q) > 1e-9*math.Max(1, q) {
					t.Fatalf("%s on %s, configuration %v: %s needs %v, oracle %v", ds.item, day, cfg, id, g, q)
				}
			}
			for id, g := range got {
				if _, ok := want[id]; !ok {
					t.Fatalf("%s on %s, configuration %v: %s (%v) is not in the oracle's explosion", ds.item, day, cfg, id, g)
				}
			}
			checked++
		}
	}
	t.Logf("%d (configuration, day) pairs checked on %d days", checked, len(days))
}
