package mrp_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// smallPlant is a random plant small enough to replan from scratch after
// every change, with every feature switched on, of 3 to 6 levels.
func smallPlant(t testing.TB, seed uint64, items int) *mrp.Input {
	return smallPlantLevels(t, seed, items, 3+int(seed%4))
}

// smallPlantLevels is smallPlant with the given number of BOM levels.
func smallPlantLevels(t testing.TB, seed uint64, items, levels int) *mrp.Input {
	c := plantgen.Default(items)
	c.Seed = seed
	c.Levels = levels
	c.EndItems = 2 + int(seed%3)
	c.FanOutMin, c.FanOutMax = 1, 5
	c.Demands = 3 * items
	c.Days = 60
	c.Commonality = 0.3
	c.PhantomShare = 0.1
	c.StockShare, c.ReceiptShare, c.SafetyShare, c.LotShare, c.ScrapShare = 0.4, 0.2, 0.2, 0.3, 0.2
	c.LeadTimeMax = 6
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	for k := range in.Demands {
		if k%7 == 3 && in.Demands[k].Item == in.Items[0].ID {
			in.Demands[k].Forecast = true
			in.Demands[k].Qty *= 3
		}
	}
	datedChanges(in, seed)
	if seed%2 == 0 {
		// a holiday in the first weeks
		in.Calendar.Days = map[time.Time]bool{c.Start.AddDate(0, 0, 9): false, c.Start.AddDate(0, 0, 12): true}
	}
	return in
}

// fingerprint renders the whole plan: every item's orders and every
// exception message.
func fingerprint(t testing.TB, p *mrp.Planner) string {
	return fingerprintX(t, p, true)
}

// fingerprintX renders every item's orders and exceptions, and the late
// demands (found by pegging: slower) when late is set.
func fingerprintX(t testing.TB, p *mrp.Planner, late bool) string {
	// strconv, not fmt: the property tests fingerprint every step (fmt was
	// a third of TestNetChangeWindow under -race)
	var b []byte
	for _, id := range p.Items() {
		os, err := p.Orders(id)
		if err != nil {
			t.Fatal(err)
		}
		if len(os) == 0 {
			continue
		}
		b = append(b, id...)
		for _, o := range os {
			b = append(append(append(b, ' '), o.ID...), ':')
			b = append(strconv.AppendInt(b, o.Qty, 10), '@')
			b = append(strconv.AppendInt(b, int64(o.DueDay), 10), '/')
			b = strconv.AppendInt(b, int64(o.ReleaseDay), 10)
			if o.Firm {
				b = append(b, 'F')
			}
		}
		b = append(b, '\n')
	}
	var ex []mrp.Exception
	if late {
		ex = p.Exceptions()
	} else {
		for _, id := range p.Items() {
			e, _ := p.ItemExceptions(id)
			ex = append(ex, e...)
		}
	}
	for _, e := range ex {
		b = append(append(b, e.String()...), '\n')
	}
	return string(b)
}

// randomChange draws one change against the current inputs.
func randomChange(r *rand.Rand, in *mrp.Input, step int) mrp.Change {
	start := in.Calendar.Start
	anyItem := func() string { return in.Items[r.IntN(len(in.Items))].ID }
	if r.IntN(12) == 0 { // firm planned orders
		if len(in.Firm) > 0 && r.IntN(3) == 0 {
			return mrp.RemoveFirm{ID: in.Firm[r.IntN(len(in.Firm))].ID}
		}
		it := in.Items[r.IntN(len(in.Items))]
		if it.Kind != mrp.Phantom {
			return mrp.SetFirm{Order: mrp.FirmOrder{ID: fmt.Sprintf("F%d", r.IntN(step/3+1)), Item: it.ID, Qty: int64(1 + r.IntN(50)), Due: start.AddDate(0, 0, r.IntN(45)-3)}}
		}
	}
	switch k := r.IntN(100); {
	case k < 35 && len(in.Demands) > 0: // quantity change
		d := in.Demands[r.IntN(len(in.Demands))]
		d.Qty = max(1, d.Qty+int64(r.IntN(21)-10))
		return mrp.SetDemand{Demand: d}
	case k < 45 && len(in.Demands) > 0: // move
		d := in.Demands[r.IntN(len(in.Demands))]
		d.Due = d.Due.AddDate(0, 0, r.IntN(21)-10)
		d.Priority = r.IntN(3)
		return mrp.SetDemand{Demand: d}
	case k < 58: // new sales-order line, usually on a top item
		item := in.Items[r.IntN(min(4, len(in.Items)))].ID
		if r.IntN(4) == 0 {
			item = anyItem()
		}
		return mrp.SetDemand{Demand: mrp.Demand{ID: fmt.Sprintf("N%d", step), Item: item, Qty: int64(1 + r.IntN(30)), Due: start.AddDate(0, 0, r.IntN(70)-3), Forecast: r.IntN(6) == 0}}
	case k < 66 && len(in.Demands) > 0:
		return mrp.RemoveDemand{ID: in.Demands[r.IntN(len(in.Demands))].ID}
	case k < 72:
		return mrp.SetReceipt{Receipt: mrp.Receipt{ID: fmt.Sprintf("R%d", r.IntN(step+1)), Item: anyItem(), Qty: int64(1 + r.IntN(100)), Due: start.AddDate(0, 0, r.IntN(40)-3)}}
	case k < 75 && len(in.Receipts) > 0:
		return mrp.RemoveReceipt{ID: in.Receipts[r.IntN(len(in.Receipts))].ID}
	case k < 82:
		return mrp.SetStock{Item: anyItem(), Qty: int64(r.IntN(300))}
	case k >= 82: // item parameters or BOM
		j := r.IntN(len(in.Items))
		it := in.Items[j]
		it.Components = append([]mrp.Component(nil), it.Components...)
		switch r.IntN(8) {
		case 6: // drop the dated BOM changes
			it.BOMChanges = nil
		case 7: // move the BOM changes by a few days
			it.BOMChanges = slices.Clone(it.BOMChanges)
			shift := r.IntN(11) - 5
			for k := range it.BOMChanges {
				it.BOMChanges[k].From = it.BOMChanges[k].From.AddDate(0, 0, shift)
			}
		case 0:
			if it.Kind != mrp.Phantom {
				it.LeadTime = r.IntN(7)
			}
		case 1:
			it.SafetyStock = int64(r.IntN(20))
		case 2:
			it.Lot = []mrp.LotSizing{{}, {Policy: mrp.FixedQty, Qty: 25}, {Policy: mrp.PeriodQty, Periods: 3},
				{Policy: mrp.WagnerWhitin, SetupCost: 100, HoldingCost: 0.5}, {Min: 10, Multiple: 4}, {Max: 30}}[r.IntN(6)]
		case 3:
			it.ScrapPct = float64(r.IntN(3) * 5)
		case 4: // remove a component
			if len(it.Components) > 0 {
				c := r.IntN(len(it.Components))
				it.Components = append(it.Components[:c], it.Components[c+1:]...)
			}
		case 5: // add a component from further down (items are in level order)
			if j+1 < len(in.Items) {
				c := in.Items[j+1+r.IntN(len(in.Items)-j-1)].ID
				dup := false
				for _, x := range it.Components {
					dup = dup || x.Item == c
				}
				if !dup {
					it.Components = append(it.Components, mrp.Component{Item: c, QtyPer: float64(1 + r.IntN(3)), ScrapPct: float64(r.IntN(2) * 10)})
				}
			}
		}
		return mrp.SetItem{Item: it}
	}
	return mrp.SetStock{Item: anyItem(), Qty: int64(r.IntN(300))}
}

// datedChanges gives about one item in four with components a dated BOM:
// one or two changes within the first weeks (one of them sometimes before
// the planning date) that change a quantity, drop a component or add one
// from further down (items are in level order, so no cycle).
func datedChanges(in *mrp.Input, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 7))
	start := in.Calendar.Start
	for j := range in.Items {
		it := &in.Items[j]
		if len(it.Components) == 0 || r.IntN(4) != 0 {
			continue
		}
		from := r.IntN(20) - 2
		for range 1 + r.IntN(2) {
			cs := it.Components
			if n := len(it.BOMChanges); n > 0 {
				cs = it.BOMChanges[n-1].Components
			}
			cs = append([]mrp.Component(nil), cs...)
			switch k := r.IntN(3); {
			case k == 0 && len(cs) > 0:
				cs[r.IntN(len(cs))].QtyPer += float64(1 + r.IntN(2))
			case k == 1 && len(cs) > 1:
				c := r.IntN(len(cs))
				cs = append(cs[:c], cs[c+1:]...)
			case j+1 < len(in.Items):
				c := in.Items[j+1+r.IntN(len(in.Items)-j-1)].ID
				if !slices.ContainsFunc(cs, func(x mrp.Component) bool { return x.Item == c }) {
					cs = append(cs, mrp.Component{Item: c, QtyPer: float64(1 + r.IntN(3))})
				}
			}
			it.BOMChanges = append(it.BOMChanges, mrp.BOMChange{From: start.AddDate(0, 0, from), Components: cs})
			from += 1 + r.IntN(25)
		}
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// TestNetChangeEqualsRegenerative applies long random change sequences to
// random plants and compares the net-change plan with a regenerative run
// on the same inputs after every step. MRP_NETCHANGE_STEPS scales it. The
// last plants are deep ones (10 to 14 levels, as a plant with long
// sub-assembly chains), where a change runs through many levels in turn.
func TestNetChangeEqualsRegenerative(t *testing.T) {
	plants, deep, steps := 12, 3, 250
	if testing.Short() || raceEnabled {
		plants, deep, steps = 6, 2, 150
	}
	if raceEnabled {
		// the deep plants' quantities multiply to millions, and each
		// order's demand shares reach most demands: the pegging check
		// after every change (invariants) takes minutes on them
		deep = 0
	}
	steps = envInt("MRP_NETCHANGE_STEPS", steps)
	total, touched, refused := 0, 0, 0
	var paths [3]int
	parLevels, msgs, deepLevels, dense := 0, 0, 0, 0
	for seed := uint64(1); seed <= uint64(plants+deep); seed++ {
		in := smallPlant(t, seed, 25+int(seed*7)%40)
		if seed > uint64(plants) {
			in = smallPlantLevels(t, seed, 60+int(seed*7)%40, 10+int(seed%5))
		}
		opts := mrp.DefaultOptions()
		opts.RescheduleWindow = int(seed % 12)
		// a maximum lot size on a deep item whose quantities multiply
		// to billions splits into millions of orders (with other seeds a
		// plant reached 1.2 million, and each step's regenerative run
		// and fingerprint took seconds): refused beyond 100,000
		opts.MaxSplitOrders = 100_000
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		if seed%2 == 1 {
			// levels of two or more queued items are spread over the
			// workers (on the big plants, levels of 256)
			mrp.SetNetChangeParallelMin(p, 2)
		}
		r := rand.New(rand.NewPCG(seed, 99))
		for step := range steps {
			cur := p.Input()
			n := 1
			if r.IntN(10) == 0 {
				n = 2 + r.IntN(4) // a batch in one Apply
			}
			cs := randomBatch(r, cur, step, n)
			res, err := p.Apply(cs...)
			if refusedSplits(err) {
				// a maximum lot size on a deep item whose quantities
				// multiply to billions: refused, nothing changed (the
				// comparison below still runs)
				refused++
				res = &mrp.ChangeResult{}
			} else if err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			// the ends the delta path guesses from (due0, dueN) are
			// checked here too, not only under invariants: a stale one
			// shows only when a later change falls beyond it
			if msg := mrp.OrderEndsError(p); msg != "" {
				t.Fatalf("seed %d step %d after %#v: %s", seed, step, cs, msg)
			}
			total++
			touched += res.NumTouched()
			q, err := mrp.New(p.Input(), opts)
			if err != nil {
				t.Fatalf("seed %d step %d: regenerate: %v", seed, step, err)
			}
			late := step%10 == 9
			if a, b := fingerprintX(t, p, late), fingerprintX(t, q, late); a != b {
				t.Fatalf("seed %d step %d after %#v: net change differs from regenerative\n%s", seed, step, cs, diff(a, b))
			}
		}
		if seed > uint64(plants) {
			for _, id := range p.Items() {
				l, err := p.LowLevelCode(id)
				if err != nil {
					t.Fatal(err)
				}
				deepLevels = max(deepLevels, l+1)
			}
		}
		d, dr, f := mrp.NetChangePaths(p)
		paths[0], paths[1], paths[2] = paths[0]+d, paths[1]+dr, paths[2]+f
		parLevels += mrp.NetChangeParallelLevels(p)
		msgs += mrp.NetChangeDeltaMessages(p)
		dense += mrp.NetChangeDenseRuns(p)
	}
	t.Logf("%d net changes (%d refused for their lots' splits), %.1f items touched on average; by delta %d (with receipts %d; below-safety-stock messages moved %d), in full %d; %d levels in parallel; %d items' requirement changes summed densely",
		total, refused, float64(touched)/float64(total), paths[0], paths[1], msgs, paths[2], parLevels, dense)
	// every path must have been taken, or the comparison proves nothing about it
	if paths[0] == 0 || paths[1] == 0 || paths[2] == 0 || parLevels == 0 || msgs == 0 {
		t.Errorf("net-change paths not all exercised: by delta %d, with receipts %d, messages moved %d, in full %d, parallel levels %d", paths[0], paths[1], msgs, paths[2], parLevels)
	}
	if deep > 0 && dense == 0 {
		t.Errorf("no item's requirement changes were summed densely (sumByDay): the deep plants should give some")
	}
	if deep > 0 && deepLevels < 10 {
		t.Errorf("the deep plants have %d levels at most, want 10 or more", deepLevels)
	}
}

// refusedSplits reports whether err refuses a change whose maximum lot
// sizes could split the plan's lots into more orders than
// Options.MaxSplitOrders allows.
func refusedSplits(err error) bool {
	return errors.Is(err, mrp.ErrInvalid) && strings.Contains(err.Error(), "more than a plan holds") && strings.Contains(err.Error(), "maximum lot size")
}

func diff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for k := 0; k < max(len(x), len(y)); k++ {
		var l, m string
		if k < len(x) {
			l = x[k]
		}
		if k < len(y) {
			m = y[k]
		}
		if l != m {
			out = append(out, "net:   "+l, "regen: "+m)
		}
		if len(out) > 20 {
			break
		}
	}
	return strings.Join(out, "\n")
}

// TestApplyInvalidLeavesPlan: a batch with a bad change changes nothing.
func TestApplyInvalidLeavesPlan(t *testing.T) {
	in := smallPlant(t, 3, 30)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	before := fingerprint(t, p)
	d := in.Demands[0]
	d.Qty += 100
	it := in.Items[len(in.Items)-1]
	it.Components = []mrp.Component{{Item: in.Items[0].ID, QtyPer: 1}} // a cycle
	cases := [][]mrp.Change{
		{mrp.SetDemand{Demand: d}, mrp.SetStock{Item: "nope", Qty: 1}},
		{mrp.SetDemand{Demand: d}, mrp.RemoveDemand{ID: "nope"}},
		{mrp.SetStock{Item: in.Items[1].ID, Qty: 77}, mrp.SetItem{Item: it}},
		{mrp.SetItem{Item: mrp.Item{ID: "NEW", Kind: mrp.Buy}}, mrp.SetDemand{Demand: mrp.Demand{ID: "x", Item: "NEW", Qty: 0, Due: in.Calendar.Start}}},
	}
	for k, cs := range cases {
		if _, err := p.Apply(cs...); err == nil {
			t.Fatalf("case %d: no error", k)
		}
		if after := fingerprint(t, p); after != before {
			t.Fatalf("case %d: plan changed by a failed Apply\n%s", k, diff(after, before))
		}
		q, _ := mrp.New(p.Input(), mrp.DefaultOptions())
		if fingerprint(t, q) != before {
			t.Fatalf("case %d: inputs changed by a failed Apply", k)
		}
	}
	if _, err := p.Apply(mrp.SetItem{Item: it}); !errors.Is(err, mrp.ErrCycle) {
		t.Fatalf("cycle: %v", err)
	}
}

// TestSetItemLongLeadTime: a lead time longer than the calendar was
// compiled for (twice the longest at load, 30 days at least) extends it;
// the plan still equals a regenerative run, also after further changes.
func TestSetItemLongLeadTime(t *testing.T) {
	in := smallPlant(t, 5, 40)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string) {
		t.Helper()
		q, err := mrp.New(p.Input(), mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if a, b := fingerprint(t, p), fingerprint(t, q); a != b {
			t.Fatalf("%s: net change differs from regenerative\n%s", what, diff(a, b))
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	for k, lt := range []int{45, 120, 400} {
		it := in.Items[r.IntN(len(in.Items))]
		for it.Kind == mrp.Phantom {
			it = in.Items[r.IntN(len(in.Items))]
		}
		it.LeadTime = lt
		if _, err := p.Apply(mrp.SetItem{Item: it}); err != nil {
			t.Fatalf("lead time %d: %v", lt, err)
		}
		check(fmt.Sprintf("lead time %d on %s", lt, it.ID))
		for step := range 20 {
			if _, err := p.Apply(randomChange(r, p.Input(), 1000*k+step)); err != nil {
				t.Fatal(err)
			}
			check(fmt.Sprintf("lead time %d, step %d", lt, step))
		}
	}
}

// TestParallelRegenerate: a plant large enough for parallel levels plans
// the same with 1 and 4 workers, and net change on it equals regeneration.
func TestParallelRegenerate(t *testing.T) {
	c := plantgen.Default(1500)
	c.Seed = 77
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	o1, o4 := mrp.DefaultOptions(), mrp.DefaultOptions()
	o1.Workers, o4.Workers = 1, 4
	p1, err := mrp.New(in, o1)
	if err != nil {
		t.Fatal(err)
	}
	p4, err := mrp.New(in, o4)
	if err != nil {
		t.Fatal(err)
	}
	if fingerprintFast(t, p1) != fingerprintFast(t, p4) {
		t.Fatal("1 and 4 workers plan differently")
	}
	r := rand.New(rand.NewPCG(77, 1))
	steps := 6
	if testing.Short() || raceEnabled {
		steps = 2
	}
	for step := range steps {
		ch := randomChange(r, p4.Input(), step)
		if _, err := p4.Apply(ch); err != nil {
			t.Fatal(err)
		}
		q, err := mrp.New(p4.Input(), o4)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := fingerprintFast(t, p4), fingerprintFast(t, q); a != b {
			t.Fatalf("step %d after %#v: net change differs\n%s", step, ch, diff(a, b))
		}
	}
}

// fingerprintFast renders every item's time-phased record and exceptions
// (planned quantity and balance per day: the orders without building
// their operations).
func fingerprintFast(t testing.TB, p *mrp.Planner) string {
	var b []byte
	for _, id := range p.Items() {
		r, err := p.Record(id)
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, id...)
		for _, d := range r.Days {
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(d.Day), 10)
			b = append(b, ':')
			b = strconv.AppendInt(b, d.Planned, 10)
			b = append(b, '/')
			b = strconv.AppendInt(b, d.Balance, 10)
		}
		b = append(b, '\n')
		ex, _ := p.ItemExceptions(id)
		for _, e := range ex {
			b = append(b, e.String()...)
			b = append(b, '\n')
		}
	}
	return string(b)
}

// randomBatch draws n random changes of cur for one Apply; a batch removes
// an ID at most once.
func randomBatch(r *rand.Rand, cur *mrp.Input, step, n int) []mrp.Change {
	var cs []mrp.Change
	removed := map[string]bool{}
	for len(cs) < n {
		c := randomChange(r, cur, step)
		id := ""
		switch c := c.(type) {
		case mrp.RemoveDemand:
			id = "d" + c.ID
		case mrp.RemoveReceipt:
			id = "r" + c.ID
		case mrp.RemoveFirm:
			id = "f" + c.ID
		}
		if id != "" {
			if removed[id] {
				continue
			}
			removed[id] = true
		}
		cs = append(cs, c)
	}
	return cs
}
