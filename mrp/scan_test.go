package mrp_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// scanPlan plans a generated plant with demands early enough for past-due
// releases and late demands, phantoms, lot sizing and receipts.
func scanPlan(t *testing.T, seed uint64) *mrp.Planner {
	t.Helper()
	c := plantgen.Default(150)
	c.Seed, c.Demands, c.Days = seed, 200, 90
	c.PhantomShare, c.ReceiptShare, c.LotShare = 0.1, 0.2, 0.3
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	for k := range in.Items {
		if in.Items[k].Kind == mrp.Phantom {
			// a lead time, so that some phantom orders are released
			// before the planning date (and get no message)
			in.Items[k].LeadTime = 1 + k%2
		}
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// scanSeeds is how many of scanPlan's plants the scan tests read: one
// under the race detector (the scans are single reads of one plan, ~20 s
// a test there with three), three otherwise.
func scanSeeds() uint64 {
	if raceEnabled {
		return 1
	}
	return 3
}

// TestScanFromPositions: ScanOrders and ScanExceptions from any position
// they hand out give the rest of AllOrders / Orders(item) / Exceptions.
func TestScanFromPositions(t *testing.T) {
	for seed := uint64(1); seed <= scanSeeds(); seed++ {
		p := scanPlan(t, seed)
		rng := rand.New(rand.NewPCG(seed, 5))
		var pos []mrp.Pos
		var ids []string
		if err := p.ScanOrders(mrp.Pos{}, "", nil, func(at mrp.Pos, o mrp.PlannedOrder) bool {
			pos, ids = append(pos, at), append(ids, o.ID)
			return true
		}); err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, o := range p.AllOrders() {
			all = append(all, o.ID)
		}
		if !slices.Equal(ids, all) {
			t.Fatalf("seed %d: ScanOrders from the start lists %d orders, AllOrders %d", seed, len(ids), len(all))
		}
		for range 20 {
			j := rng.IntN(len(pos))
			var rest []string
			p.ScanOrders(pos[j], "", nil, func(_ mrp.Pos, o mrp.PlannedOrder) bool {
				rest = append(rest, o.ID)
				return true
			})
			if !slices.Equal(rest, all[j:]) {
				t.Errorf("seed %d: from %+v (order %d): %d orders, want %d", seed, pos[j], j, len(rest), len(all)-j)
			}
		}
		// one item's orders, phantoms' included
		for _, it := range p.Input().Items {
			want, _ := p.Orders(it.ID)
			var got []mrp.PlannedOrder
			p.ScanOrders(mrp.Pos{}, it.ID, nil, func(_ mrp.Pos, o mrp.PlannedOrder) bool {
				got = append(got, o)
				return true
			})
			if !slices.EqualFunc(got, want, func(a, b mrp.PlannedOrder) bool { return a.ID == b.ID && a.Qty == b.Qty }) {
				t.Errorf("seed %d, item %s: %d orders scanned, %d listed", seed, it.ID, len(got), len(want))
			}
		}
		if err := p.ScanOrders(mrp.Pos{}, "NO-SUCH-ITEM", nil, func(mrp.Pos, mrp.PlannedOrder) bool { return true }); err == nil {
			t.Error("unknown item: no error")
		}

		var exPos []mrp.Pos
		var ex []string
		p.ScanExceptions(mrp.Pos{}, "", nil, func(at mrp.Pos, e mrp.Exception) bool {
			exPos, ex = append(exPos, at), append(ex, e.String())
			return true
		})
		want := messages(p)
		if !slices.Equal(ex, want) || len(want) < 5 {
			t.Fatalf("seed %d: ScanExceptions lists %d messages, Exceptions %d", seed, len(ex), len(want))
		}
		for j := range exPos {
			var rest []string
			p.ScanExceptions(exPos[j], "", nil, func(_ mrp.Pos, e mrp.Exception) bool {
				rest = append(rest, e.String())
				return true
			})
			if !slices.Equal(rest, want[j:]) {
				t.Errorf("seed %d: exceptions from %+v: %d, want %d", seed, exPos[j], len(rest), len(want)-j)
			}
		}
	}
}

// TestReleasePastDueByDefinition: the release-past-due messages are
// exactly the orders whose release day is before the planning date, one
// each, with the order's ID, release and due dates and quantity, but for
// phantoms' orders, which are never released.
func TestReleasePastDueByDefinition(t *testing.T) {
	n, phantoms := 0, 0
	for seed := uint64(1); seed <= 4; seed++ {
		p := scanPlan(t, seed)
		var want []string
		for _, it := range p.Input().Items {
			os, _ := p.Orders(it.ID)
			for _, o := range os {
				if o.ReleaseDay < 0 && o.Kind == mrp.PhantomOrder {
					phantoms++
				} else if o.ReleaseDay < 0 {
					want = append(want, fmt.Sprintf("%s %s %s %s %d", it.ID, o.ID, o.Release.Format("2006-01-02"), o.Due.Format("2006-01-02"), o.Qty))
				}
			}
		}
		var got []string
		for _, e := range p.Exceptions() {
			if e.Kind == mrp.ReleasePastDue {
				got = append(got, fmt.Sprintf("%s %s %s %s %d", e.Item, e.Ref, e.Date.Format("2006-01-02"), e.To.Format("2006-01-02"), e.Qty))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("seed %d: %d past-due messages, %d orders released before the start\ngot  %.400v\nwant %.400v", seed, len(got), len(want), got, want)
		}
		n += len(want)
	}
	if n == 0 || phantoms == 0 {
		t.Fatalf("%d orders and %d phantom orders released before the planning date: the test proves too little", n, phantoms)
	}
}

// TestScanExceptionsOf: the scan of one kind of messages gives, position
// for position, what ScanExceptions gives less the other kinds, from the
// start and from every position it hands out, for every kind, the whole
// plan and one item's.
func TestScanExceptionsOf(t *testing.T) {
	type at struct {
		pos mrp.Pos
		msg string
	}
	scan := func(p *mrp.Planner, from mrp.Pos, item string, kind int, of bool) []at {
		var out []at
		fn := func(pos mrp.Pos, e mrp.Exception) bool {
			if of || kind < 0 || int(e.Kind) == kind {
				out = append(out, at{pos, e.String()})
			}
			return true
		}
		var err error
		if of {
			var keep func(mrp.ExceptionKind) bool
			if kind >= 0 {
				keep = func(k mrp.ExceptionKind) bool { return int(k) == kind }
			}
			err = p.ScanExceptionsOf(from, item, keep, nil, fn)
		} else {
			err = p.ScanExceptions(from, item, nil, fn)
		}
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	seen := map[mrp.ExceptionKind]int{}
	for seed := uint64(1); seed <= scanSeeds(); seed++ {
		p := scanPlan(t, seed)
		items := []string{""}
		for x, it := range p.Input().Items {
			if x%25 == 0 {
				items = append(items, it.ID)
			}
		}
		for kind := -1; kind <= int(mrp.Late); kind++ {
			for _, item := range items {
				want := scan(p, mrp.Pos{}, item, kind, false)
				got := scan(p, mrp.Pos{}, item, kind, true)
				if !slices.Equal(got, want) {
					t.Fatalf("seed %d, kind %d, item %q: %d messages, want %d\ngot  %.300v\nwant %.300v", seed, kind, item, len(got), len(want), got, want)
				}
				if item == "" && kind >= 0 {
					seen[mrp.ExceptionKind(kind)] += len(want)
				}
				for j := range want {
					if item == "" && j%7 != 0 {
						continue
					}
					rest := scan(p, want[j].pos, item, kind, true)
					if !slices.Equal(rest, want[j:]) {
						t.Fatalf("seed %d, kind %d, item %q, from %+v: %d messages, want %d", seed, kind, item, want[j].pos, len(rest), len(want)-j)
					}
				}
			}
		}
	}
	for _, k := range []mrp.ExceptionKind{mrp.ReleasePastDue, mrp.Late, mrp.RescheduleIn} {
		if seen[k] == 0 {
			t.Errorf("no %s message in the plants: the test proves little", k)
		}
	}
	t.Logf("messages by kind: %v", seen)
}

// TestPhantomNoPastDueHand: a phantom between a past-due order and its
// component's. Day 0 is 2026-11-30, every day works. E (lead time 2)
// needs 5 on day 1: its order is due day 1, released day -1: past due.
// Its requirement of P on day -1 is counted on day 0, so the phantom P
// (lead time 1) has an order of 5 due day 0, released day -1: past due
// too, but a phantom's order is blown through, never released: no
// message. C (2 per P, lead time 1) needs 10 on day 0 (P's release, -1,
// counted on day 0): due day 0, released day -1: a message. And e1 is
// late: C bought from day 0 arrives day 1, P (lead time 1) day 2, E
// (lead time 2) day 4, limited by C.
func TestPhantomNoPastDueHand(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "E", Kind: mrp.Make, LeadTime: 2, Components: []mrp.Component{{Item: "P", QtyPer: 1}}},
			{ID: "P", Kind: mrp.Phantom, LeadTime: 1, Components: []mrp.Component{{Item: "C", QtyPer: 2}}},
			{ID: "C", Kind: mrp.Buy, LeadTime: 1},
		},
		Demands:  []mrp.Demand{dem("e1", "E", 5, 1), dem("e2", "E", 5, 6)},
		Calendar: everyDay(30),
	}
	p := plan(t, in)
	wantIDs(t, p, "P", "P#2026-11-30 5@0/-1, P#2026-12-04 5@4/3")
	got := messages(p)
	exp := []string{
		"release-past-due E E#2026-12-01 2026-11-29 qty 5 -> 2026-12-01",
		"release-past-due C C#2026-11-30 2026-11-29 qty 10 -> 2026-11-30",
		"late E e1 2026-12-01 qty 5 -> 2026-12-04 limited by C",
	}
	if !slices.Equal(got, exp) {
		t.Errorf("exceptions\n got  %q\n want %q", got, exp)
	}
	var scanned []string
	if err := p.ScanExceptionsOf(mrp.Pos{}, "", func(k mrp.ExceptionKind) bool { return k == mrp.ReleasePastDue }, nil, func(_ mrp.Pos, e mrp.Exception) bool {
		scanned = append(scanned, e.String())
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(scanned, exp[:2]) {
		t.Errorf("ScanExceptionsOf(release-past-due)\n got  %q\n want %q", scanned, exp)
	}
}
