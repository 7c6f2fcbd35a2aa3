package mrp_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// phantomPlant is a hand-worked plant with a phantom kit: P (make, lead
// time 3) takes 2 K; K is a phantom of 3 Z (buy, lead time 2). Ten P due
// 2027-03-12 start on 03-09 and need 20 K there, blown through: 60 Z
// on 03-09, bought from 03-05.
var phantomPlant = map[string]string{
	"items.csv":   "item,description,uom,kind,lead_time_days,unit_cost\nP,top,pc,make,3,0\nK,kit,pc,phantom,0,0\nZ,kit part,pc,buy,2,1\n",
	"bom.csv":     "parent,component,qty_per\nP,K,2\nK,Z,3\n",
	"demands.csv": "id,item,qty,due_date\nS1,P,10,2027-03-12\n",
}

var phantomStart = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)

func writePlant(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestPhantomBlownThrough: planned from master data, a phantom is blown
// through into its parents' BOMs; plant data that names it (stock,
// demands, receipts, firm orders: which would never be used or exploded)
// is refused at its row, and a change naming it says why.
func TestPhantomBlownThrough(t *testing.T) {
	ctx := context.Background()
	in, _, err := mrp.LoadDir(ctx, writePlant(t, phantomPlant), mrp.LoadOptions{Start: phantomStart})
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	z, err := p.Orders("Z")
	if err != nil {
		t.Fatal(err)
	}
	if len(z) != 1 || z[0].Qty != 60 || z[0].Due.Format(time.DateOnly) != "2027-03-09" || z[0].Release.Format(time.DateOnly) != "2027-03-05" {
		t.Errorf("orders of Z: %+v, want 60 due 2027-03-09 from 2027-03-05", z)
	}
	if _, err := p.Orders("K"); !errors.Is(err, mrp.ErrUnknownItem) {
		t.Errorf("orders of the phantom K: %v, want it unknown to the plan", err)
	}

	for file, c := range map[string]struct{ text, want string }{
		"stock.csv":    {"item,qty\nZ,4\nK,5\n", "stock.csv:3: item: "},
		"demands.csv":  {phantomPlant["demands.csv"] + "S9,K,8,2027-03-10\n", "demands.csv:3: item: "},
		"receipts.csv": {"id,item,qty,due_date\nR1,K,3,2027-03-04\n", "receipts.csv:2: item: "},
		"firm.csv":     {"id,item,qty,due_date\nF1,K,3,2027-03-04\n", "firm.csv:2: item: "},
	} {
		files := map[string]string{file: c.text}
		for name, text := range phantomPlant {
			if _, ok := files[name]; !ok {
				files[name] = text
			}
		}
		_, _, err := mrp.LoadDir(ctx, writePlant(t, files), mrp.LoadOptions{Start: phantomStart})
		if err == nil || !errors.Is(err, mrp.ErrInvalid) || !strings.Contains(err.Error(), c.want+"ctoplan: invalid input: K is a phantom, blown through") {
			t.Errorf("%s naming the phantom: %v, want an error at %q", file, err, c.want)
		}
	}

	// a change naming the phantom, through a stored plan
	db := kv.NewMemory()
	bs, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	dir := writePlant(t, phantomPlant)
	if err := bs.ImportDir(ctx, dir, ""); err != nil {
		t.Fatal(err)
	}
	pl, err := mrp.ReadPlant(dir)
	if err != nil {
		t.Fatal(err)
	}
	bp, err := mrp.OpenBOMPlan(ctx, db, bs)
	if err != nil {
		t.Fatal(err)
	}
	if err := bp.Rebuild(ctx, pl, mrp.LoadOptions{Start: phantomStart}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []mrp.Change{
		mrp.SetStock{Item: "K", Qty: 5},
		mrp.SetDemand{Demand: mrp.Demand{ID: "S9", Item: "K", Qty: 8, Due: phantomStart.AddDate(0, 0, 9)}},
		mrp.SetReceipt{Receipt: mrp.Receipt{ID: "R1", Item: "K", Qty: 3, Due: phantomStart.AddDate(0, 0, 3)}},
	} {
		_, _, err := bp.Update(ctx, func(tx *mrp.Tx) (*mrp.ChangeResult, error) { return tx.Apply(c) })
		var ie *mrp.ItemError
		if !errors.As(err, &ie) || ie.Item != "K" || !errors.Is(err, mrp.ErrInvalid) || !strings.Contains(err.Error(), "K is a phantom, blown through") {
			t.Errorf("%T naming the phantom: %v, want an item error saying it is a phantom", c, err)
		}
	}
	// a promise of the phantom says why there is none (it said "unknown
	// item")
	_, _, err = bp.Promise(ctx, mrp.PromiseRequest{Item: "K", Qty: 1, Date: phantomStart.AddDate(0, 0, 9)}, nil)
	if pie := (*mrp.ItemError)(nil); !errors.As(err, &pie) || !strings.Contains(err.Error(), "K is a phantom, blown through") {
		t.Errorf("promise of the phantom: %v, want it said to be a phantom", err)
	}
	// a stored plan's inputs (a rebuild after a master-data change: no
	// rows) that name a phantom, written before phantoms were refused:
	// left out, not an error that would fail every later call
	stored := &mrp.Plant{Stock: map[string]int64{"K": 5, "Z": 1}, Demands: []mrp.Demand{
		{ID: "S1", Item: "P", Qty: 10, Due: phantomStart.AddDate(0, 0, 11)}, {ID: "S9", Item: "K", Qty: 8, Due: phantomStart.AddDate(0, 0, 9)}}}
	in2, _, err := mrp.FromBOM(ctx, bs, stored, mrp.LoadOptions{Start: phantomStart})
	if err != nil {
		t.Fatalf("a stored plant naming a phantom: %v", err)
	}
	if _, ok := in2.Stock["K"]; ok || in2.Stock["Z"] != 1 || len(in2.Demands) != 1 || in2.Demands[0].ID != "S1" {
		t.Errorf("stored plant: stock %v, demands %v; want K's stock and demand left out", in2.Stock, in2.Demands)
	}
	// a change naming an item that does not exist stays unknown
	_, _, err = bp.Update(ctx, func(tx *mrp.Tx) (*mrp.ChangeResult, error) { return tx.Apply(mrp.SetStock{Item: "NOPE", Qty: 1}) })
	if !errors.Is(err, mrp.ErrUnknownItem) {
		t.Errorf("stock of an unknown item: %v", err)
	}
}
