package mrp_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// ids renders an item's orders as "ID qty@due/release[ firm]".
func ids(t *testing.T, p *mrp.Planner, item string) string {
	t.Helper()
	os, err := p.Orders(item)
	if err != nil {
		t.Fatal(err)
	}
	var b []string
	for _, o := range os {
		s := fmt.Sprintf("%s %d@%d/%d", o.ID, o.Qty, o.DueDay, o.ReleaseDay)
		if o.Firm {
			s += " firm"
		}
		b = append(b, s)
	}
	return strings.Join(b, ", ")
}

func wantIDs(t *testing.T, p *mrp.Planner, item, exp string) {
	t.Helper()
	if got := ids(t, p, item); got != exp {
		t.Errorf("%s: orders\n got  %s\n want %s", item, got, exp)
	}
}

// TestStableIDsFirmRelease works a plan by hand through a net change, a
// firm planned order and a release; every step equals a regenerative run.
func TestStableIDsFirmRelease(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Lot: mrp.LotSizing{Max: 10}, Components: []mrp.Component{{Item: "B", QtyPer: 2}}},
			{ID: "B", Kind: mrp.Buy, LeadTime: 1},
		},
		Demands:  []mrp.Demand{dem("a1", "A", 5, 3), dem("a2", "A", 15, 5)},
		Calendar: everyDay(30),
	}
	// no reschedule window: a released order stays on its date
	p, opts := planWindow(t, in, 0)
	same := func(t *testing.T, p *mrp.Planner) { t.Helper(); sameOpts(t, p, opts) }
	// Day 0 is 2026-11-30. A: 5 due day 3; 15 due day 5 split by the
	// maximum 10 into 10 and 5, the second one ".2".
	wantIDs(t, p, "A", "A#2026-12-03 5@3/2, A#2026-12-05 10@5/4, A#2026-12-05.2 5@5/4")

	// An earlier demand adds an order; the others keep their IDs.
	if _, err := p.Apply(mrp.SetDemand{Demand: dem("a0", "A", 4, 2)}); err != nil {
		t.Fatal(err)
	}
	wantIDs(t, p, "A", "A#2026-12-02 4@2/1, A#2026-12-03 5@3/2, A#2026-12-05 10@5/4, A#2026-12-05.2 5@5/4")
	same(t, p)
	if o, err := p.Order("A#2026-12-05.2"); err != nil || o.Qty != 5 || o.DueDay != 5 {
		t.Errorf("Order(A#2026-12-05.2) = %+v, %v", o, err)
	}

	// The planner firms A#2026-12-03 at 8 units due on day 4. MRP does not
	// move it: day 3 needs 5 and the firm order only comes on day 4, so a
	// planned order of 5 takes day 3 (its derived ID A#2026-12-03 is held
	// by the firm order: ".2"). Day 4: +8 -> 8. Day 5: 15 - 8 = 7 short ->
	// one order of 7 (A#2026-12-05; the old ".2" is gone).
	c, err := p.Firm("A#2026-12-03", 8, day(4))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(c); err != nil {
		t.Fatal(err)
	}
	wantIDs(t, p, "A", "A#2026-12-02 4@2/1, A#2026-12-03.2 5@3/2, A#2026-12-03 8@4/3 firm, A#2026-12-05 7@5/4")
	// B, 2 per A on A's release day: 8 on day 1, 10 on day 2, 16 on day 3
	// (the firm order explodes like any planned order), 14 on day 4.
	want(t, p, "B", "8@1/0 10@2/1 16@3/2 14@4/3")
	// The firm order is first needed on day 5 (balance 8 on day 4, 0 on
	// day 5 with it, -8 without): reschedule out 4 -> 5.
	ex, _ := p.ItemExceptions("A")
	if len(ex) != 1 || ex[0].Kind != mrp.RescheduleOut || ex[0].Ref != "A#2026-12-03" || !ex[0].Date.Equal(day(4)) || !ex[0].To.Equal(day(5)) {
		t.Errorf("exceptions of A: %v, want the firm order rescheduled out from day 4 to 5", ex)
	}
	same(t, p)

	// Release A#2026-12-05: a production order with the same ID, quantity
	// and date, counted on day 5 (no reschedule window): the plan of A
	// stays, the order is a receipt now; B no longer needs the 14 on day 4.
	cs, err := p.Release("A#2026-12-05")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(cs...); err != nil {
		t.Fatal(err)
	}
	wantIDs(t, p, "A", "A#2026-12-02 4@2/1, A#2026-12-03.2 5@3/2, A#2026-12-03 8@4/3 firm")
	want(t, p, "B", "8@1/0 10@2/1 16@3/2")
	var rec *mrp.Receipt
	for _, r := range p.Input().Receipts {
		if r.ID == "A#2026-12-05" {
			rec = &r
		}
	}
	if rec == nil || rec.Qty != 7 || !rec.Due.Equal(day(5)) || rec.Kind != mrp.ProductionOrder || rec.Item != "A" {
		t.Errorf("released receipt %+v", rec)
	}
	same(t, p)

	// Releasing the firm order removes it as a firm order.
	cs, err = p.Release("A#2026-12-03")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(cs...); err != nil {
		t.Fatal(err)
	}
	if len(p.Input().Firm) != 0 {
		t.Errorf("firm orders left: %+v", p.Input().Firm)
	}
	same(t, p)

	// Errors: unknown orders, a receipt ID taken, a firm order's bad data.
	if _, err := p.Release("A#2026-12-03"); !errors.Is(err, mrp.ErrNotFound) {
		t.Errorf("release of a released order: %v", err)
	}
	for _, id := range []string{"A#1", "A#2027-13-01", "NOPE#2026-12-02", "A#2026-12-02.9", "A"} {
		if _, err := p.Order(id); !errors.Is(err, mrp.ErrNotFound) {
			t.Errorf("Order(%q): %v", id, err)
		}
	}
	for _, f := range []mrp.FirmOrder{{ID: "", Item: "A", Qty: 1, Due: day(3)}, {ID: "F", Item: "A", Qty: 0, Due: day(3)},
		{ID: "F", Item: "A", Qty: 1}, {ID: "F", Item: "NOPE", Qty: 1, Due: day(3)}, {ID: "B#2026-12-03", Item: "A", Qty: 1, Due: day(3)}} {
		if _, err := p.Apply(mrp.SetFirm{Order: f}); err == nil {
			t.Errorf("SetFirm %+v accepted", f)
		}
	}
	if _, err := p.Apply(mrp.RemoveFirm{ID: "F"}); !errors.Is(err, mrp.ErrNotFound) {
		t.Errorf("RemoveFirm of none: %v", err)
	}
}

// TestFirmInPlaceOfPlanned: a firm order of the same day and quantity as
// the planned order it takes the place of leaves the item's days and
// quantities as they were, but not its orders: the planned one is gone,
// the firm one has its own ID. The net change counts the item as changed,
// and the plan's digest (kept per item) equals a fresh plan's. (Found by
// TestCatchUpReplicas with other seeds: the kept hash went stale.)
func TestFirmInPlaceOfPlanned(t *testing.T) {
	in := chain(1, 1, 40)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	os, err := p.Orders("L1")
	if err != nil || len(os) != 1 || os[0].Firm {
		t.Fatalf("L1's orders %+v (%v), want one planned", os, err)
	}
	_ = p.Digest() // kept from here on
	o := os[0]
	res, err := p.Apply(mrp.SetFirm{Order: mrp.FirmOrder{ID: "F1", Item: "L1", Qty: o.Qty, Due: o.Due}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := p.Orders("L1"); len(got) != 1 || got[0].ID != "F1" || !got[0].Firm || got[0].Qty != o.Qty {
		t.Fatalf("L1's orders after firming %+v, want F1 of %d alone", got, o.Qty)
	}
	if !slices.Contains(res.Changed(), "L1") {
		t.Errorf("changed %v, want L1 among them", res.Changed())
	}
	q, err := mrp.New(p.Input(), mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if a, b := p.Digest(), q.Digest(); a != b {
		t.Errorf("digest %s after firming in place, a fresh plan's %s", a, b)
	}
}

// TestFirmReceiptOneID: a firm planned order and a scheduled receipt of
// one ID are refused, given together and as changes (nothing changes), but
// releasing a firm order turns it into the receipt of its ID.
func TestFirmReceiptOneID(t *testing.T) {
	base := func() *mrp.Input {
		return &mrp.Input{
			Items:    []mrp.Item{{ID: "A", Kind: mrp.Buy, LeadTime: 1}},
			Demands:  []mrp.Demand{dem("a1", "A", 5, 3)},
			Receipts: []mrp.Receipt{{ID: "R", Item: "A", Qty: 2, Due: day(2)}},
			Firm:     []mrp.FirmOrder{{ID: "F", Item: "A", Qty: 3, Due: day(3)}},
			Calendar: everyDay(30),
		}
	}
	in := base()
	in.Firm = append(in.Firm, mrp.FirmOrder{ID: "R", Item: "A", Qty: 1, Due: day(4)})
	if _, err := mrp.New(in, mrp.DefaultOptions()); !errors.Is(err, mrp.ErrInvalid) || !strings.Contains(err.Error(), "R is the ID of a firm planned order and of a scheduled receipt") {
		t.Errorf("New with firm order R and receipt R: %v", err)
	}
	p, err := mrp.New(base(), mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	before := planText(p)
	for _, c := range []mrp.Change{
		mrp.SetFirm{Order: mrp.FirmOrder{ID: "R", Item: "A", Qty: 1, Due: day(4)}},
		mrp.SetReceipt{Receipt: mrp.Receipt{ID: "F", Item: "A", Qty: 1, Due: day(4)}},
	} {
		if _, err := p.Apply(c); !errors.Is(err, mrp.ErrInvalid) {
			t.Errorf("%+v: %v, want refused", c, err)
		}
		if got := planText(p); got != before {
			t.Errorf("a refused %T changed the plan:\n%s\nwant\n%s", c, got, before)
		}
	}
	cs, err := p.Release("F")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Apply(cs...); err != nil {
		t.Fatalf("releasing the firm order F: %v", err)
	}
}

// TestFirmOnHoliday: F is bought in 2 working days; SO1 wants 5 on
// Wednesday 2027-01-13, a holiday, so it is netted on Tuesday 01-12. The
// planner's firm order of 5 due on the holiday is counted on the working
// day before too (its release, 2 working days before 01-12, is Friday
// 01-08): it covers SO1, with no new order and no cancel message. Before,
// it was counted on 01-13, after the need: cancelled, and 5 more bought.
func TestFirmOnHoliday(t *testing.T) {
	start := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC) // a Monday
	holiday := start.AddDate(0, 0, 9)
	in := &mrp.Input{
		Items:    []mrp.Item{{ID: "F", Kind: mrp.Buy, LeadTime: 2}},
		Demands:  []mrp.Demand{{ID: "SO1", Item: "F", Qty: 5, Due: holiday}},
		Firm:     []mrp.FirmOrder{{ID: "F#2027-01-13", Item: "F", Qty: 5, Due: holiday}},
		Calendar: mrp.Calendar{Start: start, Horizon: 30, Days: map[time.Time]bool{holiday: false}},
	}
	p := plan(t, in)
	wantIDs(t, p, "F", "F#2027-01-13 5@8/4 firm")
	if ex := p.Exceptions(); len(ex) != 0 {
		t.Errorf("exceptions %+v, want none", ex)
	}
	// a second firm order on the holiday is the day's second: cancelled
	in.Firm = append(in.Firm, mrp.FirmOrder{ID: "F-EXTRA", Item: "F", Qty: 5, Due: holiday})
	p = plan(t, in)
	wantIDs(t, p, "F", "F#2027-01-13 5@8/4 firm, F-EXTRA 5@8/4 firm")
	ex := p.Exceptions()
	if len(ex) != 1 || ex[0].Kind != mrp.Cancel || ex[0].Ref != "F-EXTRA" || !ex[0].Date.Equal(holiday) {
		t.Errorf("exceptions %+v, want a cancel of F-EXTRA dated 2027-01-13", ex)
	}
}

// TestReceiptTakesNoOrderID: a receipt of B named A#2027-01-13 would take
// the ID of A's planned order of that day, which could then never be
// released ("a scheduled receipt A#2027-01-13 exists already") or firmed:
// refused, from a net change as from the input. "PO#4711" names no
// item: fine.
func TestReceiptTakesNoOrderID(t *testing.T) {
	in := &mrp.Input{
		Items:    []mrp.Item{{ID: "A", Kind: mrp.Buy, LeadTime: 1}, {ID: "B", Kind: mrp.Buy, LeadTime: 1}},
		Demands:  []mrp.Demand{dem("SO1", "A", 5, 3)},
		Calendar: everyDay(30),
	}
	p := plan(t, in)
	bad := mrp.Receipt{ID: "A#2026-12-03", Item: "B", Qty: 5, Due: day(3)}
	if _, err := p.Apply(mrp.SetReceipt{Receipt: bad}); !errors.Is(err, mrp.ErrInvalid) || !strings.Contains(err.Error(), "names the orders of item A") {
		t.Errorf("receipt of B named A#...: %v", err)
	}
	for _, id := range []string{"B#2026-12-03", "PO#4711"} { // its own item's, or no item's
		if _, err := p.Apply(mrp.SetReceipt{Receipt: mrp.Receipt{ID: id, Item: "B", Qty: 5, Due: day(3)}}); err != nil {
			t.Errorf("receipt of B named %s: %v", id, err)
		}
	}
	in.Receipts = []mrp.Receipt{bad}
	if _, err := mrp.New(in, mrp.DefaultOptions()); !errors.Is(err, mrp.ErrInvalid) {
		t.Errorf("input with a receipt of B named A#...: %v", err)
	}
	// from CSV: at its row
	dir := t.TempDir()
	for name, text := range map[string]string{
		"items.csv":    "item,description,uom,kind,lead_time_days,unit_cost\nA,a,pc,buy,1,0\nB,b,pc,buy,1,0\n",
		"receipts.csv": "id,item,qty,due_date\nPO#4711,B,5,2027-01-12\nA#2027-01-13,B,5,2027-01-13\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := mrp.LoadDir(context.Background(), dir, mrp.LoadOptions{Start: day(0)})
	if err == nil || !strings.Contains(err.Error(), "receipts.csv:3: id: ") || strings.Contains(err.Error(), "PO#4711") {
		t.Errorf("receipts.csv with a receipt of B named A#...: %v", err)
	}
}
