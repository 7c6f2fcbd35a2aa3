package mrp_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// datedPlant writes a generated plant (plantgen) as CSV files into a new
// directory and rewrites its bom.csv with dated changes: about a third of
// the lines change their quantity on a random day of the horizon (the old
// line valid to the day before, the new one from that day), some lines
// end on a random day, and some start on one. The plant's planning date
// is returned with the directory.
func datedPlant(t *testing.T, c plantgen.Config) (string, mrp.LoadOptions) {
	t.Helper()
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := plantgen.WriteCSV(dir, in); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(c.Seed, 12))
	day := func() string { return c.Start.AddDate(0, 0, 1+r.IntN(c.Days)).Format("2006-01-02") }
	dayBefore := func(d string) string {
		x, err := timeParse(d)
		if err != nil {
			t.Fatal(err)
		}
		return x.AddDate(0, 0, -1).Format("2006-01-02")
	}
	var b strings.Builder
	b.WriteString("parent,component,qty_per,scrap_pct,valid_from,valid_to\n")
	for _, it := range in.Items {
		for _, cp := range it.Components {
			scrap := ""
			if cp.ScrapPct != 0 {
				scrap = fmt.Sprint(cp.ScrapPct)
			}
			switch r.IntN(9) {
			case 0, 1, 2: // the quantity changes on day d
				d := day()
				fmt.Fprintf(&b, "%s,%s,%v,%s,,%s\n", it.ID, cp.Item, cp.QtyPer, scrap, dayBefore(d))
				fmt.Fprintf(&b, "%s,%s,%v,%s,%s,\n", it.ID, cp.Item, cp.QtyPer+1, scrap, d)
			case 3: // the line ends
				fmt.Fprintf(&b, "%s,%s,%v,%s,,%s\n", it.ID, cp.Item, cp.QtyPer, scrap, day())
			case 4: // the line starts
				fmt.Fprintf(&b, "%s,%s,%v,%s,%s,\n", it.ID, cp.Item, cp.QtyPer, scrap, day())
			default:
				fmt.Fprintf(&b, "%s,%s,%v,%s,,\n", it.ID, cp.Item, cp.QtyPer, scrap)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "bom.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, mrp.LoadOptions{Start: c.Start, Horizon: c.Days + 70}
}

// TestResolveStandardMatchesOneByOne: the planning input built by
// resolving the standard items in batches on all cores
// (bom.Store.ResolveStandard, what FromBOM does) equals the one built by
// resolving them one store transaction at a time, as before, on generated
// plants with dated BOM changes (dozens of effectivity epochs): the same
// items with the same components and BOM changes, the same resolved node
// per item and epoch, the same orders for every item. The batches' store
// holds every variant and node: a new Store on the same DB resolves every
// standard item to the same node without writing, and reads every node.
func TestResolveStandardMatchesOneByOne(t *testing.T) {
	ctx := context.Background()
	light, def := 700, 300
	if raceEnabled {
		light, def = 250, 120 // 40 -> 10 s under the race detector
	}
	for _, c := range []plantgen.Config{
		func() plantgen.Config { c := plantgen.Light(light, light*4/7); c.Seed = 3; return c }(),
		func() plantgen.Config { c := plantgen.Default(def); c.Seed = 5; c.Demands = def * 2 / 3; return c }(),
	} {
		t.Run(fmt.Sprintf("seed=%d-items=%d", c.Seed, c.Items), func(t *testing.T) {
			dir, o := datedPlant(t, c)
			open := func() (*bom.Store, kv.DB) {
				db := kv.NewMemory()
				s, err := bom.Open(ctx, db)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.ImportDir(ctx, dir, ""); err != nil {
					t.Fatal(err)
				}
				return s, db
			}
			pl, err := mrp.ReadPlant(dir)
			if err != nil {
				t.Fatal(err)
			}
			sNew, dbNew := open()
			sOld, _ := open()
			inNew, srcNew, err := mrp.FromBOM(ctx, sNew, pl, o)
			if err != nil {
				t.Fatal(err)
			}
			inOld, srcOld, err := mrp.FromBOMOneByOne(ctx, sOld, pl, o)
			if err != nil {
				t.Fatal(err)
			}
			epochs := srcNew.Epochs()
			if len(epochs) < 10 {
				t.Fatalf("only %d effectivity epochs: the plant should change its BOMs often", len(epochs))
			}
			if !slices.EqualFunc(epochs, srcOld.Epochs(), func(a, b timeT) bool { return a.Equal(b) }) {
				t.Fatalf("epochs differ:\n%v\n%v", epochs, srcOld.Epochs())
			}
			if !reflect.DeepEqual(inNew.Items, inOld.Items) {
				t.Fatalf("items differ")
			}
			changed := 0
			for _, it := range inNew.Items {
				changed += len(it.BOMChanges)
				for _, d := range epochs {
					hn, okn := srcNew.NodeOn(it.ID, d)
					ho, oko := srcOld.NodeOn(it.ID, d)
					if hn != ho || okn != oko {
						t.Fatalf("%s on %s: node %v (%v), one by one %v (%v)", it.ID, d.Format("2006-01-02"), hn, okn, ho, oko)
					}
				}
			}
			if changed == 0 {
				t.Fatal("no item has a BOM change")
			}
			pNew, err := mrp.New(inNew, mrp.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			pOld, err := mrp.New(inOld, mrp.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			orders := 0
			for _, it := range inNew.Items {
				on, err := pNew.Orders(it.ID)
				if err != nil {
					t.Fatal(err)
				}
				oo, err := pOld.Orders(it.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(on, oo) {
					t.Fatalf("%s: %d orders, one by one %d:\n%+v\n%+v", it.ID, len(on), len(oo), on, oo)
				}
				orders += len(on)
			}
			if orders == 0 {
				t.Fatal("no orders planned")
			}
			// what the batches stored: a fresh Store on the same DB
			re, err := bom.Open(ctx, dbNew)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range inNew.Items {
				for k, d := range epochs {
					h, ok := srcNew.NodeOn(it.ID, d)
					if !ok {
						continue
					}
					if !strings.Contains(it.ID, "@") { // a standard item, not a sub-assembly node
						v, err := re.ResolveTransient(ctx, it.ID, nil, d)
						if err != nil {
							t.Fatal(err)
						}
						if v.Root != h {
							t.Fatalf("%s in epoch %d: stored root %v, planned %v", it.ID, k, v.Root, h)
						}
					}
					if _, err := re.Node(h); err != nil {
						t.Fatalf("%s in epoch %d: node %v not stored: %v", it.ID, k, h, err)
					}
				}
			}
			t.Logf("%d items, %d epochs, %d BOM changes, %d orders", len(inNew.Items), len(epochs), changed, orders)
		})
	}
}

type timeT = time.Time

func timeParse(s string) (time.Time, error) { return time.Parse("2006-01-02", s) }
