package mrp_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestOrderIDsStepAroundHand works out by hand the IDs of a day whose
// derived IDs are partly held: two firm orders and a released order
// (a receipt that kept its ID) on the same day as three planned orders.
func TestOrderIDsStepAroundHand(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Lot: mrp.LotSizing{Max: 10}, Components: []mrp.Component{{Item: "B", QtyPer: 1}}},
			{ID: "B", Kind: mrp.Buy, LeadTime: 1},
		},
		Demands:  []mrp.Demand{dem("a1", "A", 35, 5)},
		Receipts: []mrp.Receipt{{ID: "A#2026-12-05", Item: "A", Qty: 2, Due: day(5), Kind: mrp.ProductionOrder}},
		Firm: []mrp.FirmOrder{
			{ID: "F1", Item: "A", Qty: 4, Due: day(5)},
			{ID: "A#2026-12-05.2", Item: "A", Qty: 3, Due: day(5)},
		},
		Calendar: everyDay(30),
	}
	p, _ := planWindow(t, in, 0)
	// Day 5 (2026-12-05) needs 35: the receipt brings 2, the firm orders
	// 3 + 4, so 26 are short, in lots of at most 10: 10, 10, 6. The firm
	// orders come first on their day, by ID ("A#..." before "F1"); the
	// planned ones take "A#2026-12-05", ".2", ".3", ... skipping the
	// receipt's "A#2026-12-05" and the firm ".2": ".3", ".4", ".5".
	exp := "A#2026-12-05.2 3@5/4 firm, F1 4@5/4 firm, A#2026-12-05.3 10@5/4, A#2026-12-05.4 10@5/4, A#2026-12-05.5 6@5/4"
	wantIDs(t, p, "A", exp)
	sameListings(t, p)
}

// sameListings checks that every way of listing the plan's orders names
// them as Orders does, and that Order finds each by its ID.
func sameListings(t *testing.T, p *mrp.Planner) {
	t.Helper()
	type key struct {
		id   string
		firm bool
		qty  int64
		due  int
	}
	var byItem []key
	for _, item := range p.Items() {
		os, err := p.Orders(item)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			if o.Kind == mrp.PhantomOrder {
				continue
			}
			byItem = append(byItem, key{o.ID, o.Firm, o.Qty, o.DueDay})
			got, err := p.Order(o.ID)
			if err != nil || got.ID != o.ID || got.Qty != o.Qty || got.DueDay != o.DueDay || got.Firm != o.Firm {
				t.Errorf("Order(%q) = %+v, %v; listed as %+v", o.ID, got, err, o)
			}
		}
	}
	var all, each, scan []key
	for _, o := range p.AllOrders() {
		all = append(all, key{o.ID, o.Firm, o.Qty, o.DueDay})
	}
	if err := p.EachOrder(false, false, func(o *mrp.OrderLine) error {
		each = append(each, key{o.ID(), o.Firm, o.Qty, o.DueDay})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := p.ScanOrders(mrp.Pos{}, "", nil, func(_ mrp.Pos, o mrp.PlannedOrder) bool {
		scan = append(scan, key{o.ID, o.Firm, o.Qty, o.DueDay})
		return true
	}); err != nil {
		t.Fatal(err)
	}
	for name, l := range map[string][]key{"AllOrders": all, "EachOrder": each, "ScanOrders": scan} {
		if fmt.Sprint(l) != fmt.Sprint(byItem) {
			t.Errorf("%s lists\n %v\nOrders item by item\n %v", name, l, byItem)
		}
	}
}

// TestOrderIDsProperty checks the orders' IDs against their definition
// ([mrp.PlannedOrder.ID]) on random plants whose days hold many orders,
// firm orders (some with IDs of the derived form) and receipts holding
// derived IDs: a firm order is listed under its own ID; the other orders
// of a day get "ITEM#date" (number 1) and "ITEM#date.n", the smallest
// numbers no receipt or firm order of the item holds, in order; no two
// orders and no order and receipt share an ID.
func TestOrderIDsProperty(t *testing.T) {
	for seed := range uint64(60) {
		r := rand.New(rand.NewPCG(seed, 7))
		in := &mrp.Input{Calendar: everyDay(20)}
		items := []string{"A", "B", "C"}
		for k, id := range items {
			it := mrp.Item{ID: id, Kind: mrp.Make, LeadTime: r.IntN(2), Lot: mrp.LotSizing{Max: int64(2 + r.IntN(6))}}
			if k+1 < len(items) {
				it.Components = []mrp.Component{{Item: items[k+1], QtyPer: float64(1 + r.IntN(2))}}
			} else {
				it.Kind = mrp.Buy
			}
			in.Items = append(in.Items, it)
		}
		date := func(d int) string { return day(d).Format(time.DateOnly) }
		derived := func(item string, d, n int) string {
			if n == 1 {
				return item + "#" + date(d)
			}
			return item + "#" + date(d) + "." + strconv.Itoa(n)
		}
		used := map[string]bool{}
		for k := range 4 + r.IntN(6) {
			in.Demands = append(in.Demands, dem(fmt.Sprint("d", k), "A", int64(1+r.IntN(30)), 2+r.IntN(16)))
		}
		for k := range r.IntN(8) {
			item, d := items[r.IntN(3)], 2+r.IntN(16)
			id := fmt.Sprint("F", k)
			if r.IntN(2) == 0 {
				id = derived(item, d, 1+r.IntN(4))
			}
			if used[id] {
				continue
			}
			used[id] = true
			in.Firm = append(in.Firm, mrp.FirmOrder{ID: id, Item: item, Qty: int64(1 + r.IntN(5)), Due: day(d)})
		}
		for k := range r.IntN(6) {
			item, d := items[r.IntN(3)], 1+r.IntN(18)
			id := fmt.Sprint("R", k)
			if r.IntN(3) > 0 {
				// a released order's ID, of its own day or another
				id = derived(item, 1+r.IntN(18), 1+r.IntN(4))
			}
			if used[id] {
				continue
			}
			used[id] = true
			in.Receipts = append(in.Receipts, mrp.Receipt{ID: id, Item: item, Qty: int64(1 + r.IntN(5)), Due: day(d), Kind: mrp.ProductionOrder})
		}
		opts := mrp.DefaultOptions()
		opts.RescheduleWindow = r.IntN(3)
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		firmOf := map[string]mrp.FirmOrder{}
		for _, f := range in.Firm {
			firmOf[f.ID] = f
		}
		seen := map[string]bool{}
		multi := 0
		for _, item := range items {
			taken := map[string]bool{}
			for _, rc := range in.Receipts {
				if rc.Item == item {
					taken[rc.ID] = true
				}
			}
			for _, f := range in.Firm {
				if f.Item == item {
					taken[f.ID] = true
				}
			}
			os, err := p.Orders(item)
			if err != nil {
				t.Fatal(err)
			}
			nextOf := map[int]int{} // day -> the last number given
			perDay := map[int]int{}
			for _, o := range os {
				if seen[o.ID] || used[o.ID] && !o.Firm {
					t.Errorf("seed %d: %s: ID %s given twice or held by a receipt", seed, item, o.ID)
				}
				seen[o.ID] = true
				perDay[o.DueDay]++
				if perDay[o.DueDay] == 2 {
					multi++
				}
				if o.Firm {
					f, ok := firmOf[o.ID]
					if !ok || f.Item != item || f.Qty != o.Qty || !f.Due.Equal(o.Due) {
						t.Errorf("seed %d: %s: firm order %+v is not the firm order %+v", seed, item, o, f)
					}
					continue
				}
				n := nextOf[o.DueDay] + 1
				for taken[derived(item, o.DueDay, n)] {
					n++
				}
				nextOf[o.DueDay] = n
				if want := derived(item, o.DueDay, n); o.ID != want {
					t.Errorf("seed %d: %s: order due day %d is %s, want %s", seed, item, o.DueDay, o.ID, want)
				}
			}
		}
		for _, f := range in.Firm {
			if !seen[f.ID] {
				t.Errorf("seed %d: firm order %s not listed", seed, f.ID)
			}
		}
		if multi == 0 && seed < 3 {
			t.Logf("seed %d: no day with two orders", seed)
		}
		sameListings(t, p)
		if t.Failed() {
			t.Fatalf("seed %d: %s", seed, strings.Repeat("-", 10))
		}
	}
}
