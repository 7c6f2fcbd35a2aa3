package mrp_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// capacityPlant is the hand-worked capacity case: a week from Monday
// 2026-11-30 (day 0; Saturday and Sunday off), 8 working hours a day.
//
//	A (make, lead time 2): op 10 on WC1, setup 1 h, run 0.5 h/unit
//	                       op 20 on WC2, setup 0 h, run 1 h/unit
//	B (make, lead time 1): op 10 on WC1, run 1 h/unit
//	SO1: 10 A due Wednesday (day 2); released production order MO-B:
//	4 B due Friday (day 4).
func capacityPlant(t *testing.T) *mrp.Planner {
	t.Helper()
	return plan(t, &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 2, Operations: []mrp.Operation{
				{Seq: 20, WorkCenter: "WC2", RunHours: 1},
				{Seq: 10, WorkCenter: "WC1", SetupHours: 1, RunHours: 0.5},
			}},
			{ID: "B", Kind: mrp.Make, LeadTime: 1, Operations: []mrp.Operation{{Seq: 10, WorkCenter: "WC1", RunHours: 1}}},
		},
		Demands:  []mrp.Demand{dem("SO1", "A", 10, 2)},
		Receipts: []mrp.Receipt{{ID: "MO-B", Item: "B", Qty: 4, Due: day(4), Kind: mrp.ProductionOrder}},
		Calendar: mrp.Calendar{Start: monday, Horizon: 7},
	})
}

func capacityOf(t *testing.T) *mrp.Capacity {
	t.Helper()
	c, err := mrp.NewCapacity([]mrp.WorkCenter{
		{ID: "WC1"}, // 8 h x 1 x 100% = 8 h
		{ID: "WC2", HoursPerDay: 4, Units: 2, Efficiency: 0.75}, // 4 h x 2 x 75% = 6 h
	}, []mrp.CapacityException{
		{WorkCenter: "WC1", Date: day(1), Hours: 4, Reason: "maintenance"}, // Tuesday: half a day
		{WorkCenter: "WC2", Date: day(5), Hours: 3, Reason: "Saturday shift"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func bucketLines(bs []mrp.LoadBucket) string {
	var b []string
	for _, x := range bs {
		b = append(b, fmt.Sprintf("%s %s %g/%g", x.WorkCenter, x.Date.Format("01-02"), x.Load, x.Available))
	}
	return strings.Join(b, "\n")
}

// TestCapacityLoadHandWorked: the order of A (10 units due Wednesday)
// backwards from the end of Wednesday:
//
//	op 20: 0 + 1 x 10 = 10 h on WC2: Wednesday 8 h (the whole day), then
//	       2 h at the end of Tuesday (6 h of Tuesday left before it)
//	op 10: 1 + 0.5 x 10 = 6 h on WC1: the remaining 6 h of Tuesday
//
// The released order MO-B (4 B due Friday): op 10: 4 x 1 = 4 h on WC1 on
// Friday. Capacity: WC1 8 h a day but 4 h on Tuesday (exception); WC2
// 4 h x 2 units x 75% = 6 h a day, 0 on the weekend but 3 h on Saturday
// (exception). Overloads: WC1 Tuesday 6 > 4 (A's order), WC2 Wednesday
// 8 > 6 (A's order).
func TestCapacityLoadHandWorked(t *testing.T) {
	p := capacityPlant(t)
	l := p.CapacityLoad(capacityOf(t))
	got := bucketLines(l.Days("", time.Time{}, time.Time{}))
	want := strings.Join([]string{
		"WC1 11-30 0/8", "WC1 12-01 6/4", "WC1 12-02 0/8", "WC1 12-03 0/8", "WC1 12-04 4/8", "WC1 12-05 0/0", "WC1 12-06 0/0",
		"WC2 11-30 0/6", "WC2 12-01 2/6", "WC2 12-02 8/6", "WC2 12-03 0/6", "WC2 12-04 0/6", "WC2 12-05 0/3", "WC2 12-06 0/0",
	}, "\n")
	if got != want {
		t.Errorf("daily load\n got:\n%s\nwant:\n%s", got, want)
	}
	// One week, Monday 11-30: WC1 6 + 4 = 10 h of 8 x 4 + 4 = 36 h;
	// WC2 2 + 8 = 10 h of 6 x 5 + 3 = 33 h.
	if got, want := bucketLines(l.Weeks("", time.Time{}, time.Time{})), "WC1 11-30 10/36\nWC2 11-30 10/33"; got != want {
		t.Errorf("weekly load\n got:\n%s\nwant:\n%s", got, want)
	}
	if got, want := bucketLines(l.Days("WC2", day(2), day(2))), "WC2 12-02 8/6"; got != want {
		t.Errorf("one work center, one day: got %q, want %q", got, want)
	}
	var over []string
	for _, o := range l.Overloads() {
		var os []string
		for _, x := range o.Orders {
			os = append(os, fmt.Sprintf("%s:%g", x.Order, x.Hours))
		}
		over = append(over, fmt.Sprintf("%s %s %g/%g %s", o.WorkCenter, o.Date.Format("01-02"), o.Load, o.Available, strings.Join(os, ";")))
	}
	if got, want := strings.Join(over, "\n"), "WC1 12-01 6/4 A#2026-12-02:6\nWC2 12-02 8/6 A#2026-12-02:8"; got != want {
		t.Errorf("overloads\n got:\n%s\nwant:\n%s", got, want)
	}
}

// TestCapacityLoadOracle compares the load with a sum over the orders'
// own backward-scheduled operations (PlannedOrder.Operations: each
// operation's hours spread over its days, its work center's hours per day
// (workcenters.csv; 8 when unset) from the shift start) on the forklift
// plant.
func TestCapacityLoadOracle(t *testing.T) {
	in := forkliftInput(t)
	// released production orders are covered by the hand-worked case
	in.Receipts = slices.DeleteFunc(in.Receipts, func(r mrp.Receipt) bool { return r.Kind == mrp.ProductionOrder })
	p := plan(t, in)
	c, err := mrp.ReadCapacity(forkliftDir)
	if err != nil {
		t.Fatal(err)
	}
	checkLoadOracle(t, p, c, forkliftStart)
}

// TestCapacityLoadOracleGenerated is the oracle on a generated plant
// (deep BOMs, large past-due orders spanning many days).
func TestCapacityLoadOracleGenerated(t *testing.T) {
	g := plantgen.Default(80)
	in, err := plantgen.Generate(g)
	if err != nil {
		t.Fatal(err)
	}
	in.Receipts = slices.DeleteFunc(in.Receipts, func(r mrp.Receipt) bool { return r.Kind == mrp.ProductionOrder })
	p := plan(t, in)
	c, err := mrp.NewCapacity(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkLoadOracle(t, p, c, dateOfT(in.Calendar.Start))
}

func checkLoadOracle(t *testing.T, p *mrp.Planner, c *mrp.Capacity, start time.Time) {
	t.Helper()
	l := p.CapacityLoad(c)
	want := map[string]float64{}
	total := 0.0
	// a work center's day (one machine) is its hours per day from 08:00
	hpd := map[string]time.Duration{}
	for _, w := range c.WorkCenters() {
		if w.HoursPerDay > 0 {
			hpd[w.ID] = time.Duration(w.HoursPerDay * float64(time.Hour))
		}
	}
	for _, o := range p.AllOrders() {
		for _, op := range o.Operations {
			day := 8 * time.Hour
			if h, ok := hpd[op.WorkCenter]; ok {
				day = h
			}
			// hours per working day from the op's wall-clock start and
			// end, for the days after the planning date; the rest (the
			// planning date and any past-due hours) on the planning date
			rest := op.Hours
			for d := o.Due; d.After(start) && !d.Before(dateOfT(op.Start)); d = d.AddDate(0, 0, -1) {
				from := d.Add(8 * time.Hour)
				a, b := maxT(from, op.Start), minT(from.Add(day), op.End)
				// only working days have working hours (a multi-day
				// operation's wall-clock span covers nights and weekends)
				if b.After(a) && p.ReleaseDate(d, 0).Equal(d) {
					want[op.WorkCenter+" "+d.Format(time.DateOnly)] += b.Sub(a).Hours()
					rest -= b.Sub(a).Hours()
				}
			}
			want[op.WorkCenter+" "+start.Format(time.DateOnly)] += rest
			total += op.Hours
		}
	}
	if total == 0 {
		t.Fatal("plant has no operations")
	}
	n := 0
	for _, b := range l.Days("", time.Time{}, time.Time{}) {
		k := b.WorkCenter + " " + b.Date.Format(time.DateOnly)
		if d := b.Load - want[k]; d > 1e-6*max(1, want[k]) || d < -1e-6*max(1, want[k]) {
			t.Errorf("%s: load %g, oracle %g", k, b.Load, want[k])
		}
		delete(want, k)
		n++
	}
	for k, h := range want {
		if h > 1e-9 {
			t.Errorf("%s: oracle %g h not in the load", k, h)
		}
	}
	if n == 0 {
		t.Fatal("no buckets")
	}
}

func dateOfT(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
func maxT(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
func minT(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func TestReadCapacityErrors(t *testing.T) {
	for _, tc := range []struct{ wcs, exc, want string }{
		{"work_center,capacity_hours_per_day\nW,25\n", "", "workcenters.csv:2: capacity_hours_per_day: 25: want a number in [0, 24]"},
		{"work_center,units\nW,x\n", "", `workcenters.csv:2: units: "x" is not a number`},
		{"work_center,capacity_hours_per_day\nW,0x8\n", "", `workcenters.csv:2: capacity_hours_per_day: "0x8" is not a decimal number`},
		{"work_center\nW\n", "work_center,date,hours\nW,2026-12-01,1_0\n", `capacity_exceptions.csv:2: hours: "1_0" is not a decimal number (write it without separators: 10)`},
		{"work_center\nW\nW\n", "", "workcenters.csv:3: work_center: W listed again (first on row 2)"},
		{"work_center\nW\n", "work_center,date,hours\nV,2026-12-01,4\n", "capacity_exceptions.csv:2: work_center: V is not in workcenters.csv"},
		{"work_center\nW\n", "work_center,date,hours\nW,2026-13-01,4\n", `capacity_exceptions.csv:2: date: "2026-13-01" is not a date`},
		{"work_center\nW\n", "work_center,date,hours\nW,2026-12-01,\n", "capacity_exceptions.csv:2: hours: empty"},
		{"work_center\nW\n", "work_center,date,hours\nW,2026-12-01,1\nW,2026-12-01,2\n", "capacity_exceptions.csv:3: date: W 2026-12-01 listed again (first on row 2)"},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, mrp.WorkCentersFile), []byte(tc.wcs), 0o644); err != nil {
			t.Fatal(err)
		}
		if tc.exc != "" {
			if err := os.WriteFile(filepath.Join(dir, mrp.CapacityExceptionsFile), []byte(tc.exc), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, err := mrp.ReadCapacity(dir)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q / %q: got %v, want %q", tc.wcs, tc.exc, err, tc.want)
		}
	}
	if _, err := mrp.NewCapacity([]mrp.WorkCenter{{ID: "W", Efficiency: -1}}, nil); !errors.Is(err, mrp.ErrInvalid) {
		t.Errorf("negative efficiency: %v", err)
	}
}

var forkliftCache struct {
	sync.Once
	p   *mrp.Planner
	err error
}

// forkliftInput is the forklift plant's planning input, loaded once per
// test binary (loading resolves every configured order: seconds under
// -race); every call returns a copy of its own.
func forkliftInput(t testing.TB) *mrp.Input {
	t.Helper()
	forkliftCache.Do(func() {
		in, _ := loadForklift(t)
		forkliftCache.p, forkliftCache.err = mrp.New(in, mrp.DefaultOptions())
	})
	if forkliftCache.err != nil {
		t.Fatal(forkliftCache.err)
	}
	return forkliftCache.p.Input()
}

// TestOverloadsAddUp: every overloaded bucket names the orders that load
// it, their hours adding up to its load (all its load comes from them),
// each order once, the most hours first (then by ID). A generated plant
// (fan-out 4-12, receipts, released production orders among them) on
// work centers of one 8-hour unit, overloaded on most days.
func TestOverloadsAddUp(t *testing.T) {
	cf := plantgen.Default(300)
	in, err := plantgen.Generate(cf)
	if err != nil {
		t.Fatal(err)
	}
	for k := range in.Receipts {
		if k%3 == 0 && in.Receipts[k].Kind == mrp.PurchaseOrder {
			if x := in.Items[itemIndex(in, in.Receipts[k].Item)]; x.Kind == mrp.Make && len(x.Operations) > 0 {
				in.Receipts[k].Kind = mrp.ProductionOrder
			}
		}
	}
	p := plan(t, in)
	var wcs []mrp.WorkCenter
	for _, it := range in.Items {
		for _, op := range it.Operations {
			if !slices.ContainsFunc(wcs, func(w mrp.WorkCenter) bool { return w.ID == op.WorkCenter }) {
				wcs = append(wcs, mrp.WorkCenter{ID: op.WorkCenter})
			}
		}
	}
	c, err := mrp.NewCapacity(wcs, nil)
	if err != nil {
		t.Fatal(err)
	}
	os := p.CapacityLoad(c).Overloads()
	if len(os) < 10 {
		t.Fatalf("%d overloads: the plant should overload its work centers", len(os))
	}
	for _, o := range os {
		var sum float64
		seen := map[string]bool{}
		for k, x := range o.Orders {
			sum += x.Hours
			if seen[x.Order] {
				t.Fatalf("%s %s: order %s twice", o.WorkCenter, o.Date.Format(time.DateOnly), x.Order)
			}
			seen[x.Order] = true
			if k > 0 {
				if y := o.Orders[k-1]; y.Hours < x.Hours || y.Hours == x.Hours && y.Order > x.Order {
					t.Fatalf("%s %s: %v before %v", o.WorkCenter, o.Date.Format(time.DateOnly), y, x)
				}
			}
		}
		if math.Abs(sum-o.Load) > 1e-6*max(1, o.Load) {
			t.Fatalf("%s %s: orders' hours %g, load %g", o.WorkCenter, o.Date.Format(time.DateOnly), sum, o.Load)
		}
	}
}

func itemIndex(in *mrp.Input, id string) int {
	return slices.IndexFunc(in.Items, func(x mrp.Item) bool { return x.ID == id })
}
