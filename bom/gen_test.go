package bom_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
)

// genModelSrc is a generated truck-like model: twelve four-valued
// characteristics, one integer, one multi, and a few rules.
func genModelSrc() string {
	var b strings.Builder
	b.WriteString("model gen {\n  version \"1\"\n")
	for i := range 12 {
		fmt.Fprintf(&b, "  char c%02d single { default v0 value v0 value v1 value v2 value v3 }\n", i)
	}
	b.WriteString("  char n0 int 1..4 { default 1 }\n")
	b.WriteString("  char opts multi { value o1 value o2 value o3 }\n")
	b.WriteString("  rule r1 { c00 = v3 -> c01 != v0 }\n")
	b.WriteString("  rule r2 { c02 = v1 -> n0 >= 2 }\n")
	b.WriteString("  rule r3 { has(opts, o3) -> c03 in {v2, v3} }\n")
	b.WriteString("}\n")
	return b.String()
}

// genData is a six-level super BOM of about 1,300 items under TRUCK (model
// gen): modules chosen by c00..c05, assemblies and sub-assemblies whose
// parts are selected by c06..c11, a phantom kit per module, parts shared
// from a common pool, quantity formulas, routings with conditions.
func genData() *bom.Data {
	r := rand.New(rand.NewPCG(7, 7))
	d := &bom.Data{WorkCenters: []*bom.WorkCenter{
		{ID: "WELD", RatePerHour: 65}, {ID: "PAINT", RatePerHour: 55}, {ID: "MAST", RatePerHour: 60},
		{ID: "FINAL", RatePerHour: 50}, {ID: "TEST", RatePerHour: 70},
	}}
	wcs := []string{"WELD", "PAINT", "MAST", "FINAL", "TEST"}
	item := func(id string, k bom.Kind) {
		d.Items = append(d.Items, &bom.Item{ID: id, UOM: "pc", Kind: k, LeadTimeDays: float64(1 + r.IntN(15)), UnitCost: float64(r.IntN(2000)) / 10})
	}
	line := func(p, c string, q float64, cond string) {
		d.Lines = append(d.Lines, &bom.Line{Parent: p, Component: c, Qty: q, Condition: cond, Position: fmt.Sprintf("%04d", len(d.Lines)%10000)})
	}
	ops := func(id string) {
		for s := range 1 + r.IntN(2) {
			o := &bom.Op{Item: id, Seq: 10 * (s + 1), WorkCenter: wcs[r.IntN(len(wcs))], SetupHours: float64(r.IntN(4)), RunHours: float64(1+r.IntN(8)) / 8}
			if r.IntN(4) == 0 {
				o.Condition = fmt.Sprintf("c%02d != v%d", 6+r.IntN(6), r.IntN(4))
			}
			d.Ops = append(d.Ops, o)
		}
	}
	const pool = 1000
	for i := range pool {
		item(fmt.Sprintf("P%04d", i), bom.Buy)
	}
	part := func() string { return fmt.Sprintf("P%04d", r.IntN(pool)) }
	item("TRUCK", bom.Make)
	d.Items[len(d.Items)-1].Model = "gen"
	ops("TRUCK")
	for m := range 6 {
		mod := fmt.Sprintf("MOD%d", m)
		item(mod, bom.Make)
		ops(mod)
		line("TRUCK", mod, 1, "")
		kit := fmt.Sprintf("KIT%d", m)
		item(kit, bom.Phantom)
		line(mod, kit, 1, "")
		for range 5 {
			line(kit, part(), float64(1+r.IntN(6)), "")
		}
		for v := range 4 {
			s := fmt.Sprintf("S%d%d", m, v)
			item(s, bom.Make)
			ops(s)
			line(mod, s, 1, fmt.Sprintf("c%02d = v%d", m, v))
			for j := range 3 {
				a := fmt.Sprintf("A%d%d%d", m, v, j)
				item(a, bom.Make)
				ops(a)
				line(s, a, float64(1+r.IntN(2)), "")
				for k := range 2 {
					bb := fmt.Sprintf("B%d%d%d%d", m, v, j, k)
					item(bb, bom.Make)
					ops(bb)
					line(a, bb, 1, "")
					for range 6 {
						cond := ""
						if r.IntN(2) == 0 {
							cond = fmt.Sprintf("c%02d in {v%d, v%d}", 6+r.IntN(6), r.IntN(4), r.IntN(4))
						}
						line(bb, part(), float64(1+r.IntN(4)), cond)
					}
				}
				for range 4 {
					line(a, part(), float64(1+r.IntN(10)), "")
				}
			}
		}
	}
	d.Lines = append(d.Lines, &bom.Line{Parent: "MOD0", Component: "P0001", QtyExpr: "n0 * 2", Position: "9999"})
	d.Lines = append(d.Lines, &bom.Line{Parent: "TRUCK", Component: "P0002", Qty: 1, Condition: "has(opts, o1)", Position: "9998"})
	return d
}

// dataset is a configurable product to resolve in tests and benchmarks.
type dataset struct {
	name  string
	item  string
	data  *bom.Data
	model map[string]*configurator.Model
	dir   string // CSV directory when read from files
}

func genDataset(t testing.TB) dataset {
	return dataset{name: "generated", item: "TRUCK", data: genData(),
		model: map[string]*configurator.Model{"gen": parseModel(t, "gen", genModelSrc())}}
}

// forkliftDataset is the demo data in testdata/forklift, when present.
func forkliftDataset(t testing.TB) (dataset, bool) {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "testdata", "forklift")
	if _, err := os.Stat(filepath.Join(dir, "bom.csv")); err != nil {
		return dataset{}, false
	}
	d, err := bom.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	models, err := bom.LoadModels(dir)
	if err != nil {
		t.Fatal(err)
	}
	top := ""
	for _, it := range d.Items {
		if it.Model == "forklift" && top == "" {
			top = it.ID
		}
	}
	if top == "" {
		t.Fatalf("%s: no item with model forklift", dir)
	}
	return dataset{name: "forklift", item: top, data: d, model: models, dir: dir}, true
}

// randomConfigs draws n valid configurations: characteristics in random
// order each get a random value (multi: a random subset) when Check says it
// still fits, then Complete fills in the rest.
func randomConfigs(t testing.TB, c *configurator.Compiled, seed uint64, n int) []configurator.Configuration {
	r := rand.New(rand.NewPCG(seed, 1))
	m := c.Model()
	out := make([]configurator.Configuration, 0, n)
	ctx := context.Background()
	for len(out) < n {
		var picks []configurator.Pick
		for _, i := range r.Perm(len(m.Chars)) {
			ch := m.Chars[i]
			dom := ch.Domain()
			if len(dom) == 0 || r.IntN(5) == 0 {
				continue
			}
			var try []configurator.Pick
			if ch.Kind == configurator.Multi {
				for _, v := range dom {
					try = append(try, configurator.Pick{Char: ch.Name, Value: v, Exclude: r.IntN(2) == 0})
				}
			} else {
				try = []configurator.Pick{{Char: ch.Name, Value: dom[r.IntN(len(dom))]}}
			}
			res, err := c.Check(ctx, append(append([]configurator.Pick(nil), picks...), try...))
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid {
				picks = append(picks, try...)
			}
		}
		cfg, err := c.Complete(ctx, picks)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cfg)
	}
	return out
}

func loadDataset(t testing.TB, ds dataset) *bom.Store {
	s, _ := newStore(t)
	if err := s.Import(context.Background(), ds.data, ds.model); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestGeneratedDatasetResolves(t *testing.T) {
	ds := genDataset(t)
	s := loadDataset(t, ds)
	c, err := s.Model("gen")
	if err != nil {
		t.Fatal(err)
	}
	n := 60
	if testing.Short() {
		n = 15
	}
	for _, cfg := range randomConfigs(t, c, 1, n) {
		v, err := s.Resolve(ctx, ds.item, cfg, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Summarize(1)) < 100 {
			t.Fatalf("suspiciously small variant: %d items", len(v.Summarize(1)))
		}
	}
}

// TestReuseMatchesScratch: with sub-assembly reuse and every cache warm,
// Resolve gives exactly the root a from-scratch resolution gives, for the
// generated model and (when present) the forklift, over many random
// configurations in one store.
func TestReuseMatchesScratch(t *testing.T) {
	sets := []dataset{genDataset(t)}
	if fk, ok := forkliftDataset(t); ok {
		sets = append(sets, fk)
	}
	n := 80
	if testing.Short() {
		n = 20
	}
	for _, ds := range sets {
		s := loadDataset(t, ds)
		c, _ := s.Model(modelOf(ds))
		for i, cfg := range randomConfigs(t, c, 11, n) {
			v, err := s.Resolve(ctx, ds.item, cfg, today)
			if err != nil {
				t.Fatal(err)
			}
			want, err := bom.ResolveUncached(ctx, s, ds.item, cfg, today)
			if err != nil {
				t.Fatal(err)
			}
			if v.Root != want {
				t.Fatalf("%s configuration %d: reused resolution %s, from scratch %s", ds.name, i, v.Root, want)
			}
		}
	}
}
