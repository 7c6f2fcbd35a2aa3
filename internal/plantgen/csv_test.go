package plantgen_test

import (
	"context"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestWriteCSV writes generated plants as CSV files, loads them as the
// command does (master data through a bom store, phantoms blown through)
// and checks that every item gets the same planned orders as planning the
// generated input directly. The plants have no phantoms: imported, a
// phantom is blown through into its parents, so stock the generator put on
// a phantom is used directly but not after the import.
func TestWriteCSV(t *testing.T) {
	light, def, deep := plantgen.Light(400, 500), plantgen.Default(300), plantgen.Default(300)
	light.PhantomShare, def.PhantomShare, deep.PhantomShare = 0, 0, 0
	// 12 levels: quantities per multiply up, and so does the load, past
	// the most units a work center may have (written as that many)
	deep.Levels, deep.FanOutMin, deep.FanOutMax = 12, 2, 5
	for _, c := range []plantgen.Config{light, def, deep} {
		in, err := plantgen.Generate(c)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := plantgen.WriteCSV(dir, in); err != nil {
			t.Fatal(err)
		}
		back, _, err := mrp.LoadDir(context.Background(), dir, mrp.LoadOptions{Start: c.Start, Horizon: in.Calendar.Horizon})
		if err != nil {
			t.Fatal(err)
		}
		if len(back.Demands) != len(in.Demands) || len(back.Receipts) != len(in.Receipts) || len(back.Stock) != len(in.Stock) {
			t.Fatalf("read back %d demands, %d receipts, %d stock records; wrote %d, %d, %d",
				len(back.Demands), len(back.Receipts), len(back.Stock), len(in.Demands), len(in.Receipts), len(in.Stock))
		}
		direct, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		loaded, err := mrp.New(back, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		compared := 0
		for _, it := range in.Items {
			if it.Kind == mrp.Phantom {
				continue
			}
			a, err := direct.Orders(it.ID)
			if err != nil {
				t.Fatal(err)
			}
			b, err := loaded.Orders(it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(a) != len(b) {
				t.Fatalf("%s: %d orders planned directly, %d from the CSV files", it.ID, len(a), len(b))
			}
			for k := range a {
				if a[k].Qty != b[k].Qty || a[k].DueDay != b[k].DueDay || a[k].ReleaseDay != b[k].ReleaseDay {
					t.Fatalf("%s order %d: %+v directly, %+v from the CSV files", it.ID, k, a[k], b[k])
				}
			}
			compared += len(a)
		}
		if compared == 0 {
			t.Fatal("no order compared")
		}
	}
}
