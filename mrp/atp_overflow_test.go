package mrp_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestPromiseHugeQuantity: a promise quantity above MaxQty is refused like a
// demand's, and the largest allowed one, exploded through a deep BOM at the
// largest quantity per, is never promised earlier than a small one (its
// needs used to wrap around int64 to negative: "available at once").
func TestPromiseHugeQuantity(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "B", QtyPer: mrp.MaxQtyPer}}},
			{ID: "B", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "C", QtyPer: mrp.MaxQtyPer}}},
			{ID: "C", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "D", QtyPer: mrp.MaxQtyPer, ScrapPct: 10}}},
			{ID: "D", Kind: mrp.Buy, LeadTime: 20},
		},
		Stock:    map[string]int64{"D": mrp.MaxQty},
		Calendar: everyDay(60),
	}
	p := plan(t, in)
	for _, q := range []int64{3_000_000_000_000_000_000, mrp.MaxQty + 1, 0, -5} {
		if _, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: "A", Qty: q, Date: day(0)}); !errors.Is(err, mrp.ErrInvalid) {
			t.Errorf("qty %d: %v, want ErrInvalid", q, err)
		}
	}
	// 1 A needs 1e18 x 1.1 D: more than the 1e12 in stock, so D is bought
	// (20 days), then C, B, A made (1 day each): day 23.
	for _, q := range []int64{1, 1000, 9_223_372, mrp.MaxQty} {
		pr, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: "A", Qty: q, Date: day(0)})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Day != 23 || pr.ATP || pr.Limit != "D" {
			t.Errorf("qty %d: day %d atp %v limit %q, want day 23, made, limited by D", q, pr.Day, pr.ATP, pr.Limit)
		}
	}
}
