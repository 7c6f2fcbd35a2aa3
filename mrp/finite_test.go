package mrp_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

func finiteLines(s *mrp.Schedule) string {
	var b []string
	for _, o := range s.Orders() {
		l := fmt.Sprintf("%s %d-%d late %d", o.ID, o.StartDay, o.FinishDay, o.LateDays)
		if o.Forward {
			l += " forward"
		}
		for _, op := range o.Ops {
			var ds []string
			for _, d := range op.Days {
				ds = append(ds, fmt.Sprintf("%d:%g", d.Day, d.Hours))
			}
			l += fmt.Sprintf(" %d@%s[%s]", op.Seq, op.WorkCenter, strings.Join(ds, " "))
		}
		b = append(b, l)
	}
	return strings.Join(b, "\n")
}

// TestFiniteScheduleHandWorked schedules the capacity case of
// TestCapacityLoadHandWorked finitely. A's order (due day 2) goes first:
//
//	op 20, 10 h on WC2 (6 h a day) backwards: 6 h on day 2, 4 h on day 1
//	op 10, 6 h on WC1 (4 h on day 1 by exception): 4 h on day 1, 2 h on
//	day 0 -> days 0-2, on time (infinite loading overloaded both).
//
// MO-B (due day 4): 4 h on WC1 on day 4. SO1 is delivered on time.
//
// With WC2 closed on days 0 and 1: op 20 finds only day 2's 6 h before
// its due date, so A's order goes forwards from day 0: op 10 6 h on WC1
// on day 0; op 20 from day 0: closed, closed, 6 h on day 2, 4 h on day 3
// -> days 0-3, one day late, and SO1 with it (Thursday 12-03), limited
// by A's order on WC2.
func TestFiniteScheduleHandWorked(t *testing.T) {
	p := capacityPlant(t)
	s, err := p.FiniteSchedule(capacityOf(t))
	if err != nil {
		t.Fatal(err)
	}
	want := "A#2026-12-02 0-2 late 0 10@WC1[0:2 1:4] 20@WC2[1:4 2:6]\nMO-B 4-4 late 0 10@WC1[4:4]"
	if got := finiteLines(s); got != want {
		t.Errorf("schedule\n got:\n%s\nwant:\n%s", got, want)
	}
	if d, err := s.Delivery("SO1"); err != nil || d.LateDays != 0 || d.ExpectedDay != 2 || d.Limit != "" {
		t.Errorf("SO1 delivery %+v, %v", d, err)
	}
	if o, ok := s.Order("MO-B"); !ok || !o.Released {
		t.Errorf("MO-B: %+v %v", o, ok)
	}

	c, err := mrp.NewCapacity([]mrp.WorkCenter{{ID: "WC1"}, {ID: "WC2", HoursPerDay: 4, Units: 2, Efficiency: 0.75}},
		[]mrp.CapacityException{{WorkCenter: "WC2", Date: day(0)}, {WorkCenter: "WC2", Date: day(1)}})
	if err != nil {
		t.Fatal(err)
	}
	s, err = p.FiniteSchedule(c)
	if err != nil {
		t.Fatal(err)
	}
	want = "A#2026-12-02 0-3 late 1 forward 10@WC1[0:6] 20@WC2[2:6 3:4]\nMO-B 4-4 late 0 10@WC1[4:4]"
	if got := finiteLines(s); got != want {
		t.Errorf("schedule, WC2 closed\n got:\n%s\nwant:\n%s", got, want)
	}
	d, err := s.Delivery("SO1")
	if err != nil || d.LateDays != 1 || d.Expected.Format("01-02") != "12-03" || d.Limit != "A#2026-12-02" || !strings.Contains(d.Reason, "WC2") {
		t.Errorf("SO1 delivery %+v, %v", d, err)
	}
	if _, err := s.Delivery("nope"); err == nil {
		t.Error("unknown sales order: no error")
	}
}

// TestFiniteScheduleForklift schedules the forklift plant finitely and
// checks the definition: no work center above its capacity on any day,
// each order's operations in sequence with all their hours, and every
// sales order delivered no earlier than requested.
func TestFiniteScheduleForklift(t *testing.T) {
	in := forkliftInput(t)
	p := plan(t, in)
	c, err := mrp.ReadCapacity(forkliftDir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.FiniteSchedule(c)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() == 0 {
		t.Fatal("no production orders")
	}
	load := map[string]float64{}
	for _, o := range s.Orders() {
		if o.Unscheduled != "" {
			t.Errorf("%s unscheduled: %s", o.ID, o.Unscheduled)
			continue
		}
		prev := 0
		for _, op := range o.Ops {
			if op.StartDay < prev {
				t.Errorf("%s op %d starts on day %d before the one before finishes (%d)", o.ID, op.Seq, op.StartDay, prev)
			}
			sum := 0.0
			for _, d := range op.Days {
				sum += d.Hours
				load[fmt.Sprint(op.WorkCenter, "/", d.Day)] += d.Hours
			}
			if x := sum - op.Hours; x > 1e-6 || x < -1e-6 {
				t.Errorf("%s op %d: %g of %g h placed", o.ID, op.Seq, sum, op.Hours)
			}
			prev = op.FinishDay
		}
	}
	for k, h := range load {
		i := strings.LastIndexByte(k, '/')
		var d int
		fmt.Sscan(k[i+1:], &d)
		working := p.ReleaseDate(p.Date(d), 0).Equal(p.Date(d)) || d >= p.Horizon()
		if a := c.Available(k[:i], p.Date(d), working); h > a+1e-6 {
			t.Errorf("%s day %d: %g h above capacity %g h", k[:i], d, h, a)
		}
	}
	late := 0
	for _, dm := range in.Demands {
		if dm.Forecast {
			continue
		}
		d, err := s.Delivery(dm.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.ExpectedDay < d.DueDay || (d.LateDays > 0) != (d.Reason != "") {
			t.Errorf("%s: %+v", dm.ID, d)
		}
		if d.LateDays > 0 {
			late++
		}
		t.Logf("%s due %s expected %s late %d %s %s", dm.ID, d.Due.Format("2006-01-02"), d.Expected.Format("2006-01-02"), d.LateDays, d.Limit, d.Reason)
	}
}

// TestFiniteScheduleWhyLate: truck T (op on WCT, 1 h a unit) is made of
// component C (op on WCC, 1 h a unit); SO1 wants 4 T on day 3.
// MRP: T's order is due day 3 and starts day 2, C's is due day 2 and
// starts day 1. WCC is closed on days 0-3, so C's 4 h cannot go backwards
// from day 2 and go forwards: 4 h on day 4, two days late. T waits for
// it: 4 h on WCT on day 4 (free all week), one day late. SO1 is late
// because T waits for C, which waits for WCC: not for WCT's capacity.
//
// With WCC open and WCT closed on days 0-3 instead, C is on time (4 h
// on day 2) and T is late on WCT: T's wait for C is no reason.
func TestFiniteScheduleWhyLate(t *testing.T) {
	p := plan(t, &mrp.Input{
		Items: []mrp.Item{
			{ID: "T", Kind: mrp.Make, LeadTime: 1, Operations: []mrp.Operation{{Seq: 10, WorkCenter: "WCT", RunHours: 1}},
				Components: []mrp.Component{{Item: "C", QtyPer: 1}}},
			{ID: "C", Kind: mrp.Make, LeadTime: 1, Operations: []mrp.Operation{{Seq: 10, WorkCenter: "WCC", RunHours: 1}}},
		},
		Demands:  []mrp.Demand{dem("SO1", "T", 4, 3)},
		Calendar: mrp.Calendar{Start: monday, Horizon: 7},
	})
	closed := func(wc string, more ...mrp.CapacityException) *mrp.Capacity {
		ex := more
		for d := range 4 {
			ex = append(ex, mrp.CapacityException{WorkCenter: wc, Date: day(d)})
		}
		c, err := mrp.NewCapacity([]mrp.WorkCenter{{ID: "WCT"}, {ID: "WCC"}}, ex)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	s, err := p.FiniteSchedule(closed("WCC"))
	if err != nil {
		t.Fatal(err)
	}
	want := "T#2026-12-03 4-4 late 1 forward 10@WCT[4:4]\nC#2026-12-02 4-4 late 2 forward 10@WCC[4:4]"
	if got := finiteLines(s); got != want {
		t.Fatalf("schedule\n got:\n%s\nwant:\n%s", got, want)
	}
	d, err := s.Delivery("SO1")
	wantWhy := "order T#2026-12-03 finishes on 2026-12-04 (due 2026-12-03): it waits for component order C#2026-12-02 (finishing on 2026-12-04); " +
		"order C#2026-12-02 finishes on 2026-12-04 (due 2026-12-02): capacity of WCC"
	if err != nil || d.LateDays != 1 || d.Limit != "T#2026-12-03" || d.Reason != wantWhy {
		t.Errorf("SO1 delivery %+v, %v\nwant reason %s", d, err, wantWhy)
	}

	// WCT closed on Friday too: T waits for C, and then for WCT, open
	// again on Monday (day 7).
	if s, err = p.FiniteSchedule(closed("WCC", mrp.CapacityException{WorkCenter: "WCT", Date: day(4)})); err != nil {
		t.Fatal(err)
	}
	d, err = s.Delivery("SO1")
	wantWhy = "order T#2026-12-03 finishes on 2026-12-07 (due 2026-12-03): it waits for component order C#2026-12-02 (finishing on 2026-12-04), then capacity of WCT; " +
		"order C#2026-12-02 finishes on 2026-12-04 (due 2026-12-02): capacity of WCC"
	if err != nil || d.LateDays != 4 || d.Reason != wantWhy {
		t.Errorf("SO1 delivery, WCT closed on Friday %+v, %v\nwant reason %s\n%s", d, err, wantWhy, finiteLines(s))
	}

	if s, err = p.FiniteSchedule(closed("WCT")); err != nil {
		t.Fatal(err)
	}
	want = "T#2026-12-03 4-4 late 1 forward 10@WCT[4:4]\nC#2026-12-02 2-2 late 0 10@WCC[2:4]"
	if got := finiteLines(s); got != want {
		t.Fatalf("schedule, WCT closed\n got:\n%s\nwant:\n%s", got, want)
	}
	d, err = s.Delivery("SO1")
	wantWhy = "order T#2026-12-03 finishes on 2026-12-04 (due 2026-12-03): capacity of WCT"
	if err != nil || d.LateDays != 1 || d.Reason != wantWhy {
		t.Errorf("SO1 delivery, WCT closed %+v, %v\nwant reason %s", d, err, wantWhy)
	}
}

// TestFiniteScheduleWhyLateMaterial: T (1 h a unit on WCT) needs P,
// bought with a lead time of 3 working days: bought today (Monday), P
// arrives on Thursday (day 3), after T's release day (Wednesday, day 2),
// and T, due Thursday, goes forwards from Thursday: 4 h that day, on
// time. Wanted on Wednesday instead (due day 2), T is one day late
// because P arrives on Thursday, not for WCT's capacity.
func TestFiniteScheduleWhyLateMaterial(t *testing.T) {
	for _, tc := range []struct {
		due  int
		late int
		why  string
	}{
		{3, 0, ""},
		{2, 1, "order T#2026-12-02 finishes on 2026-12-03 (due 2026-12-02): its purchased components arrive on 2026-12-03"},
	} {
		p := plan(t, &mrp.Input{
			Items: []mrp.Item{
				{ID: "T", Kind: mrp.Make, LeadTime: 1, Operations: []mrp.Operation{{Seq: 10, WorkCenter: "WCT", RunHours: 1}},
					Components: []mrp.Component{{Item: "P", QtyPer: 1}}},
				{ID: "P", Kind: mrp.Buy, LeadTime: 3},
			},
			Demands:  []mrp.Demand{dem("SO1", "T", 4, tc.due)},
			Calendar: mrp.Calendar{Start: monday, Horizon: 7},
		})
		c, err := mrp.NewCapacity([]mrp.WorkCenter{{ID: "WCT"}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := p.FiniteSchedule(c)
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.Delivery("SO1")
		if err != nil || d.LateDays != tc.late || d.Reason != tc.why {
			t.Errorf("due day %d: SO1 delivery %+v, %v\nwant late %d, reason %q\n%s", tc.due, d, err, tc.late, tc.why, finiteLines(s))
		}
	}
}
