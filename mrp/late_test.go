package mrp_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// lates renders the late-demand exceptions as "demand limit to-day" terms.
func lates(p *mrp.Planner) []string {
	var out []string
	for _, e := range p.Exceptions() {
		if e.Kind == mrp.Late {
			out = append(out, e.Ref+" "+e.Limit+" "+e.To.Format("2006-01-02"))
		}
	}
	return out
}

// TestLateRoundedLot: a minimum lot rounds a past-due order up, and its
// surplus covers a later requirement. The order arrives long before that
// requirement, so only the first demand is late.
func TestLateRoundedLot(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "C", QtyPer: 1}}},
			{ID: "C", Kind: mrp.Buy, LeadTime: 5, Lot: mrp.LotSizing{Min: 5}},
		},
		Demands:  []mrp.Demand{dem("s1", "A", 1, 2), dem("s2", "A", 1, 30)},
		Calendar: everyDay(60),
	}
	p := plan(t, in)
	// A: 1@2 released 1, 1@30 released 29. C gross: day 1: 1, day 29: 1.
	// Day 1: need 1 -> min 5, due 1, released 1-5 = -4 (past due); it can
	// arrive on day 0+5 = 5. Its surplus of 4 covers day 29: no second order.
	want(t, p, "A", "1@2/1 1@30/29")
	want(t, p, "C", "5@1/-4")
	// s1: C arrives day 5, A starts then and is done day 6 (due 2).
	// s2: A#2 needs C on day 29; C#1 is there from day 5: on time.
	if got, exp := lates(p), []string{"s1 C " + day(6).Format("2006-01-02")}; !slices.Equal(got, exp) {
		t.Errorf("late demands %v, want %v", got, exp)
	}
	// The pegging itself is unchanged: C#1 covers both of A's orders.
	pg, err := p.Pegging("C")
	if err != nil {
		t.Fatal(err)
	}
	if len(pg) != 2 || pg[1].Req.ParentOrder != "A#2026-12-30" || pg[1].Supply.ID != "C#2026-12-01" {
		t.Errorf("pegging of C: %+v", pg)
	}
}

// TestLateDelayChain: lateness travels up through the levels by dates: a
// past-due component delays its parent's order, and the parent's rounded
// surplus covers a later demand on time while the first one is late.
func TestLateDelayChain(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 2, Lot: mrp.LotSizing{Min: 3}, Components: []mrp.Component{{Item: "B", QtyPer: 1}}},
			{ID: "B", Kind: mrp.Make, LeadTime: 2, Components: []mrp.Component{{Item: "C", QtyPer: 1}}},
			{ID: "C", Kind: mrp.Buy, LeadTime: 4},
		},
		Demands:  []mrp.Demand{dem("s1", "A", 1, 5), dem("s2", "A", 1, 12), dem("s3", "A", 1, 20)},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	// A: day 5 need 1 -> min 3 due 5 released 3; surplus 2 covers 12 and 20.
	want(t, p, "A", "3@5/3")
	// B: 3@3 released 1. C: 3@1 released -3 (past due), arrives day 4.
	want(t, p, "B", "3@3/1")
	want(t, p, "C", "3@1/-3")
	// B can start day 4, done day 6; A starts 6, done day 8 (> 5: s1 late,
	// by the chain from C); s2 (12) and s3 (20) are covered on time.
	if got, exp := lates(p), []string{"s1 C " + day(8).Format("2006-01-02")}; !slices.Equal(got, exp) {
		t.Errorf("late demands %v, want %v", got, exp)
	}
}

// TestLateSearchLeavesOut works by hand which items a late-demand search
// after a net change visits again (planPeg.lateNeeds): an item whose last
// visit read none of what changed (its orders up to the one after its
// past-due ones and its delayed ones; its requirements due before its
// delayed orders' latest arrival) is left out, its findings kept.
func TestLateSearchLeavesOut(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "B", QtyPer: 1}}},
			{ID: "B", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "C", QtyPer: 1}}},
			{ID: "C", Kind: mrp.Buy, LeadTime: 5},
		},
		Demands:  []mrp.Demand{dem("s1", "A", 1, 3), dem("s2", "A", 1, 20), dem("s3", "A", 1, 40)},
		Calendar: everyDay(60),
	}
	p := plan(t, in)
	want(t, p, "A", "1@3/2 1@20/19 1@40/39")
	want(t, p, "B", "1@2/1 1@19/18 1@39/38")
	want(t, p, "C", "1@1/-4 1@18/13 1@38/33")
	// C#1 is past due: it arrives on day 5 (due 1). B#1 waits for it and
	// is done on day 6 (due 2), A#1 on day 7: s1 is late. The visits
	// read: C, its orders 1 and 2 (is the second past due too?) and its
	// requirements before day 5; B and A, their first orders (delayed
	// by their components) and their requirements before days 6 and 7.
	late := []string{"s1 C " + day(7).Format("2006-01-02")}
	steps := []struct {
		demand string
		qty    int64
		left   int // items left out by the search after the change
		reason string
		late   []string
	}{
		// A's demand changed: A is visited. B's and C's third orders
		// changed, after what their visits read; their requirements
		// from the orders after A's and B's second ones (released on
		// days 19 and 18), after days 6 and 5: both left out.
		{"s3", 2, 2, "the third orders", late},
		// the first orders changed: all three visited
		{"s1", 2, 0, "the first orders", late},
		// B's second order changed, after its first, but its
		// requirements may have from the release of A's first order
		// (day 2, before day 6): visited; C's second order is one its
		// visit read
		{"s2", 2, 0, "the second orders", late},
	}
	if got := lates(p); !slices.Equal(got, late) {
		t.Fatalf("late demands %v, want %v", got, late)
	}
	for _, st := range steps {
		d := dem(st.demand, "A", st.qty, map[string]int{"s1": 3, "s2": 20, "s3": 40}[st.demand])
		if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
			t.Fatal(err)
		}
		n0 := mrp.LateSkipped(p)
		got := lates(p)
		if left := mrp.LateSkipped(p) - n0; left != st.left {
			t.Errorf("%s changed (%s): %d items left out, want %d", st.demand, st.reason, left, st.left)
		}
		if !slices.Equal(got, st.late) {
			t.Errorf("%s changed: late demands %v, want %v", st.demand, got, st.late)
		}
		if fresh := lates(plan(t, p.Input())); !slices.Equal(got, fresh) {
			t.Errorf("%s changed: late demands %v, planned afresh %v", st.demand, got, fresh)
		}
	}
}

// TestLateSearchReceipts works by hand the rule for an item with
// receipts: its visit also reads the days netting counts its receipts on
// (its pull-in messages), so it is left out only when those stayed too.
func TestLateSearchReceipts(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "C", QtyPer: 1}}},
			{ID: "C", Kind: mrp.Buy, LeadTime: 5},
		},
		Demands:  []mrp.Demand{dem("s1", "A", 1, 3), dem("s2", "A", 1, 20), dem("s3", "A", 1, 30), dem("s4", "A", 1, 50)},
		Receipts: []mrp.Receipt{{ID: "R1", Item: "C", Qty: 2, Due: day(45)}},
		Calendar: everyDay(60),
	}
	p := plan(t, in)
	// C's requirements on days 2, 19, 29 and 49; R1 (day 45) is more
	// than the 10-day reschedule window after the first three: orders,
	// the first past due (arriving on day 5, so that A#1 is done on day
	// 6); R1 covers day 49.
	want(t, p, "A", "1@3/2 1@20/19 1@30/29 1@50/49")
	want(t, p, "C", "1@2/-3 1@19/14 1@29/24")
	late := []string{"s1 C " + day(6).Format("2006-01-02")}
	if got := lates(p); !slices.Equal(got, late) {
		t.Fatalf("late demands %v, want %v", got, late)
	}
	steps := []struct {
		d      mrp.Demand
		left   int
		reason string
		orders string // C's, after the change
	}{
		// 2 on day 49, both from R1: C's orders stay, its requirements
		// changed after day 29 (the release of A's third order), long
		// after day 5, and nothing is pulled in: left out
		{dem("s4", "A", 2, 50), 1, "R1 covers the change", "1@2/-3 1@19/14 1@29/24"},
		// the requirement on day 29 moves to day 37: R1 is pulled in
		// to it (a new pull-in message) and an order covers day 49;
		// C's changed orders and requirements are after what its visit
		// read, but its receipts' days are not: visited
		{dem("s3", "A", 1, 38), 0, "R1 pulled in", "1@2/-3 1@19/14 1@49/44"},
	}
	for _, st := range steps {
		if _, err := p.Apply(mrp.SetDemand{Demand: st.d}); err != nil {
			t.Fatal(err)
		}
		want(t, p, "C", st.orders)
		n0 := mrp.LateSkipped(p)
		got := lates(p)
		if left := mrp.LateSkipped(p) - n0; left != st.left {
			t.Errorf("%s changed (%s): %d items left out, want %d", st.d.ID, st.reason, left, st.left)
		}
		if !slices.Equal(got, late) {
			t.Errorf("%s changed: late demands %v, want %v", st.d.ID, got, late)
		}
		if fresh := lates(plan(t, p.Input())); !slices.Equal(got, fresh) {
			t.Errorf("%s changed: late demands %v, planned afresh %v", st.d.ID, got, fresh)
		}
	}
}

// TestForkliftMinLotNotLate is the demo-data report: with a minimum order
// quantity of 5 on the counterweight castings, SO-27-0020 (due 2027-04-09)
// is covered by the surplus of a past-due casting order that arrives in
// time, so it is not late (the castings' stock is taken away so that
// orders cover them).
func TestForkliftMinLotNotLate(t *testing.T) {
	in, _ := loadForklift(t)
	for k := range in.Items {
		if strings.HasPrefix(in.Items[k].ID, "CWT-CAST-") {
			in.Items[k].Lot.Min = 5
			// without stock, so that the lot covers the demands
			delete(in.Stock, in.Items[k].ID)
		}
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lates(p) {
		if strings.HasPrefix(l, "SO-27-0020 ") {
			t.Errorf("SO-27-0020 reported late: %s", l)
		}
	}
	// SO-26-1150 (due 2027-01-22) needs a casting that cannot come in time.
	if l := lates(p); !slices.ContainsFunc(l, func(s string) bool { return strings.HasPrefix(s, "SO-26-1150 ") }) {
		t.Errorf("late demands %v: want SO-26-1150", l)
	}
	pg, err := p.Pegging("CWT-CAST-T20-STD")
	if err != nil {
		t.Fatal(err)
	}
	if len(pg) != 2 || pg[0].Supply.ID != pg[1].Supply.ID {
		t.Errorf("CWT-CAST-T20-STD: one rounded lot should cover both needs: %+v", pg)
	}
}

// TestLateOracle checks the late demands of random plants against a slow
// top-down walk of each demand's supply tree (the engine's pegging, which
// peg_test checks on its own; release days and arrivals come from the
// oracle's calendar and the definition of a lead time): a supply arrives on its day
// (stock on day 0); a planned order starts on its release, or on day 0 if
// that is past, or when the last supply pegged to its components arrives
// if that is later, and then arrives its lead time (working days) after
// its start, never before its due day. A demand is late when a supply
// pegged to it arrives after its day; the new date is the latest arrival.
func TestLateOracle(t *testing.T) {
	seeds := 30
	if testing.Short() {
		seeds = 10
	}
	nlate := 0
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		in := smallPlant(t, seed, 20+int(seed*11)%50)
		if seed%3 != 0 {
			// minimum lots: rounded-up past-due orders whose surplus
			// covers later requirements
			for k := range in.Items {
				if k%3 == int(seed%3) && in.Items[k].Kind != mrp.Phantom {
					in.Items[k].Lot.Min = int64(100 + 70*(k%5))
				}
			}
		}
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		o := &oracle{in: in, start: in.Calendar.Start, h: in.Calendar.Horizon}
		lt := map[string]int{}
		for _, it := range in.Items {
			lt[it.ID] = it.LeadTime
		}
		// arrival is the day an order started on day s arrives, by the
		// definition of a lead time of n working days: work begins on the
		// first working day on or after s and ends on the earliest day a
		// such that (begin, a] holds n working days. Days past the horizon
		// have no calendar and all count. Each candidate day is counted
		// from scratch: slow and plain.
		counts := func(d int) bool { return d >= o.h || o.working(d) }
		arrival := func(s, n int) int {
			begin := s
			for !counts(begin) {
				begin++
			}
			for a := begin; ; a++ {
				k := 0
				for d := begin + 1; d <= a; d++ {
					if counts(d) {
						k++
					}
				}
				if k >= n {
					return a
				}
			}
		}
		var arrive func(nd *mrp.PegNode) int
		arrive = func(nd *mrp.PegNode) int {
			if nd.Supply.Kind != mrp.FromPlanned {
				return nd.Supply.Day
			}
			po, err := p.Order(nd.Supply.ID)
			if err != nil {
				t.Fatal(err)
			}
			// The release day from the oracle's calendar, not the engine's.
			rel := o.release(po.DueDay, lt[nd.Item])
			start := max(rel, 0)
			for _, c := range nd.Children {
				start = max(start, arrive(c))
			}
			if start == rel {
				return po.DueDay
			}
			return max(po.DueDay, arrival(start, lt[nd.Item]))
		}
		var want []string
		for _, d := range p.Input().Demands {
			day := o.dayOf(d.Due)
			if day >= o.h {
				continue
			}
			day = max(o.latestWorking(day), 0)
			tree, err := p.SupplyTree(d.ID)
			if err != nil {
				t.Fatal(err)
			}
			arr := -1
			for _, nd := range tree {
				arr = max(arr, arrive(nd))
			}
			if arr > day {
				want = append(want, d.ID+" "+o.start.AddDate(0, 0, arr).Format("2006-01-02"))
			}
		}
		var got []string
		for _, e := range p.Exceptions() {
			if e.Kind == mrp.Late {
				got = append(got, e.Ref+" "+e.To.Format("2006-01-02"))
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: late demands\n got  %v\n want %v", seed, got, want)
		}
		nlate += len(got)
	}
	if nlate == 0 {
		t.Fatal("no late demand in any plant: the test proves nothing")
	}
	t.Logf("%d late demands checked", nlate)
}

// lateStrings renders late-demand messages in full.
func lateStrings(es []mrp.Exception) []string {
	out := make([]string, len(es))
	for k, e := range es {
		out[k] = e.String()
	}
	return out
}

// TestLateDemandsNetChange: after every step of random net changes on
// random plants (minimum lots on some items, so that rounded past-due
// orders cover later requirements), the late demands equal those of a
// plan made afresh from the same inputs and those of the reference
// search over whole single-level peggings (mrp.LateDemandsRef); every
// few steps two searches run side by side (one of them without the kept
// scratch); on half the plants the levels are searched on several
// goroutines.
func TestLateDemandsNetChange(t *testing.T) {
	plants, steps := 40, 100
	if testing.Short() || raceEnabled {
		plants, steps = 6, 30
	}
	nlate, nchecked, parLevels := 0, 0, 0
	visited, full := 0, 0 // items visited, and in searches from scratch
	// items a change marked whose visit was left out (it would have read
	// nothing that changed: planPeg.lateNeeds)
	skipped := 0
	for seed := uint64(1); seed <= uint64(plants); seed++ {
		in := smallPlant(t, seed, 25+int(seed*13)%50)
		for k := range in.Items {
			if k%4 == int(seed%4) && in.Items[k].Kind != mrp.Phantom {
				in.Items[k].Lot.Min = int64(60 + 40*(k%5))
			}
		}
		opts := mrp.DefaultOptions()
		opts.RescheduleWindow = int(seed % 5)
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		if seed%2 == 1 {
			// levels of two or more items on 2-4 goroutines, in chunks
			// of 1-3 items (on the big plants: levels of 256)
			par := opts
			par.Workers = 2 + int(seed/2)%3
			if p, err = mrp.New(in, par); err != nil {
				t.Fatal(err)
			}
			mrp.SetLateParallel(p, 2, 1+int(seed/2)%3)
			// and net change's notes for the search on two
			// goroutines (pegChangedPar)
			mrp.SetPegChangedParallelMin(p, 1)
		}
		r := rand.New(rand.NewPCG(seed, 7))
		for step := range steps {
			if step > 0 {
				if _, err := p.Apply(randomChange(r, p.Input(), step)); err != nil {
					t.Fatalf("seed %d step %d: %v", seed, step, err)
				}
			}
			if step%3 == 2 {
				continue // changes pile up between some searches
			}
			var got, side []string
			if step%5 == 4 {
				var wg sync.WaitGroup
				wg.Add(1)
				go func() {
					defer wg.Done()
					side = lateStrings(p.LateDemands())
				}()
				got = lateStrings(p.LateDemands())
				wg.Wait()
				if !slices.Equal(got, side) {
					t.Fatalf("seed %d step %d: two searches side by side differ\n%v\n%v", seed, step, got, side)
				}
			} else {
				got = lateStrings(p.LateDemands())
			}
			if ref := lateStrings(mrp.LateDemandsRef(p)); !slices.Equal(got, ref) {
				t.Fatalf("seed %d step %d: late demands\n got %v\n reference %v", seed, step, got, ref)
			}
			q, err := mrp.New(p.Input(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if fresh := lateStrings(q.LateDemands()); !slices.Equal(got, fresh) {
				t.Fatalf("seed %d step %d: late demands after net change\n got %v\n planned afresh %v", seed, step, got, fresh)
			}
			nlate += len(got)
			nchecked++
			full += len(p.Items())
		}
		parLevels += mrp.LateParallelLevels(p)
		visited += mrp.LateVisited(p)
		skipped += mrp.LateSkipped(p)
	}
	if parLevels == 0 {
		t.Fatal("no level searched on several goroutines: the test proves nothing about them")
	}
	if visited*10 > full*9 {
		t.Fatalf("the searches visited %d items, %d in full: the test proves little about searches after a change", visited, full)
	}
	if skipped == 0 {
		t.Fatal("no marked item's visit was left out: the test proves nothing about leaving them out")
	}
	if nlate < nchecked {
		t.Fatalf("%d late demands in %d searches: too few for the test to prove much", nlate, nchecked)
	}
	t.Logf("%d searches, %d late demands, %d levels on several goroutines; %d items visited, %d in full, %d marked ones left out", nchecked, nlate, parLevels, visited, full, skipped)
}

// TestLateDemandsNetChangePlant: on a generated default plant, after
// each of a series of sales-order line changes, the late demands found
// from the kept findings (leaving out the items whose visit would read
// nothing that changed) equal those of a search from scratch.
func TestLateDemandsNetChangePlant(t *testing.T) {
	n, changes := 20000, 40
	if testing.Short() || raceEnabled {
		n, changes = 3000, 15
	}
	in, err := plantgen.Generate(plantgen.Default(n))
	if err != nil {
		t.Fatal(err)
	}
	p := plan(t, in)
	p.LateDemands()
	nlate, left := 0, mrp.LateSkipped(p)
	for k := range changes {
		d := in.Demands[(k*7919)%len(in.Demands)]
		d.Qty = max(1, d.Qty+int64(k%5)-2)
		if k%3 == 1 {
			d.Due = d.Due.AddDate(0, 0, k%7-3)
		}
		if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
			t.Fatal(err)
		}
		if k%2 == 0 {
			// a write's summary counts them first (ExceptionCount)
			n := mrp.LateCount(p)
			if fresh := len(mrp.LateDemandsFresh(p)); n != fresh {
				t.Fatalf("change %d (%s): %d late demands counted from kept findings, %d from scratch", k, d.ID, n, fresh)
			}
		}
		got := lateStrings(p.LateDemands())
		if want := lateStrings(mrp.LateDemandsFresh(p)); !slices.Equal(got, want) {
			t.Fatalf("change %d (%s): %d late demands from kept findings, %d from scratch", k, d.ID, len(got), len(want))
		}
		nlate += len(got)
	}
	left = mrp.LateSkipped(p) - left
	if nlate == 0 || left == 0 {
		t.Fatalf("%d late demands, %d items left out: the test proves little", nlate, left)
	}
	t.Logf("%d changes, %d late demands, %d marked items left out", changes, nlate, left)
}

// TestLateDatedAsOrdered: s1 wants A on Saturday 12-05 (netted on Friday
// 12-04); A is bought in 10 working days, there on 12-14: the late
// message names the customer's date, 12-05, not the netting day.
func TestLateDatedAsOrdered(t *testing.T) {
	p := plan(t, &mrp.Input{
		Items:    []mrp.Item{{ID: "A", Kind: mrp.Buy, LeadTime: 10}},
		Demands:  []mrp.Demand{dem("s1", "A", 1, 5)},
		Calendar: mrp.Calendar{Start: monday, Horizon: 60},
	})
	var got []string
	for _, e := range p.Exceptions() {
		if e.Kind == mrp.Late {
			got = append(got, e.String())
		}
	}
	if exp := []string{"late A s1 2026-12-05 qty 1 -> 2026-12-14 limited by A"}; !slices.Equal(got, exp) {
		t.Errorf("late %q, want %q", got, exp)
	}
}
