// Command mrporder plans the forklift plant in an mrp.Store and orders a
// configured truck as a sales-order line: one call resolves the
// configuration to its variant, adds the variant's planning items and the
// demand, and journals them as one change. Then it quotes another
// configuration (a what-if: nothing stored, no planned order changes).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

func main() {
	data := flag.String("data", "../testdata/forklift", "plant directory (master data, models, stock, demands, receipts, calendar)")
	flag.Parse()
	if err := run(context.Background(), *data); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, data string) error {
	db := kv.NewMemory()
	defer db.Close()
	bs, err := bom.Open(ctx, db)
	if err != nil {
		return err
	}
	if err := bs.ImportDir(ctx, data, ""); err != nil {
		return err
	}
	pl, err := mrp.ReadPlant(data)
	if err != nil {
		return err
	}
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	in, src, err := mrp.FromBOM(ctx, bs, pl, mrp.LoadOptions{Start: start})
	if err != nil {
		return err
	}
	// the zero Options are the defaults
	st, err := mrp.CreateStore(ctx, db, in, mrp.Options{})
	if err != nil {
		return err
	}
	p := st.Planner()
	fmt.Printf("planned %d items, %d orders at revision %d\n", p.Stats().Items, p.Stats().Orders, st.Revision())

	m, err := bs.Model("forklift")
	if err != nil {
		return err
	}
	cfg, err := m.Complete(ctx, []configurator.Pick{{Char: "capacity", Value: "t35"}, {Char: "battery", Value: "lfp"}})
	if err != nil {
		return err
	}
	order := mrp.Demand{ID: "SO-EX-1", Product: "FL-TRUCK", Config: cfg, Qty: 3, Due: start.AddDate(0, 3, 0), Priority: 1}
	res, planned, err := st.OrderConfigured(ctx, src, order)
	if err != nil {
		return err
	}
	fmt.Printf("ordered %s: variant item %s, %d items replanned, now revision %d\n", order.ID, planned[0].Item, res.NumTouched(), st.Revision())
	d, _ := p.Demand(order.ID)
	fmt.Printf("the demand keeps its configuration: %s, capacity %v\n", d.Product, d.Config["capacity"])

	// a what-if: another configuration, never ordered
	other, err := m.Complete(ctx, []configurator.Pick{{Char: "capacity", Value: "t15"}})
	if err != nil {
		return err
	}
	before := p.Stats().Orders
	pr, err := st.Quote(ctx, src, "FL-TRUCK", other, mrp.PromiseRequest{Qty: 2, Date: start.AddDate(0, 0, 14)})
	if err != nil {
		return err
	}
	fmt.Printf("quote for 2 x t15 wanted %s: promised %s (late %v, limited by %q); orders %d -> %d, revision %d\n",
		start.AddDate(0, 0, 14).Format(time.DateOnly), pr.Date.Format(time.DateOnly), pr.Late, pr.Limit, before, p.Stats().Orders, st.Revision())
	return nil
}
