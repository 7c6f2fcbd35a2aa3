package mrp_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestWorkCenterHoursHandWorked schedules operations backwards on work
// centers with their own hours per day: WC1 the plan's 8 h (08:00-16:00),
// WC2 16 h (08:00-24:00). Week from Monday 2026-11-30 (day 0).
//
//	A: 10 due Wednesday. op 20 on WC2, 1 h/unit = 10 h: Wednesday
//	   14:00-24:00 (16 - 10 = 6 h of Wednesday left before it). op 10 on
//	   WC1, 1 + 0.5 x 10 = 6 h: the 6 h of WC1's Wednesday before 14:00,
//	   08:00-14:00. (At 8 h/day everywhere op 20 took all of Wednesday
//	   and 2 h of Tuesday, and op 10 the other 6 h of Tuesday.)
//	C: 1 due Thursday. op 20 on WC2, 4 h: Thursday 20:00-24:00. op 10 on
//	   WC1, 3 h: WC1's day ends at 16:00, before 20:00: 13:00-16:00.
//	D: 1 due Friday. op 10 on WC2, 40 h: Friday 08:00-24:00 (16 h),
//	   Thursday (16 h) and the last 8 h of Wednesday: 16:00-24:00.
//
// Load: WC1 Wednesday 6, Thursday 3; WC2 Wednesday 10 + 8 = 18,
// Thursday 4 + 16 = 20, Friday 16. Against 16 h on WC2 (and 8 on WC1)
// WC2 is overloaded on Wednesday (A 10, D 8) and Thursday (D 16, C 4).
func TestWorkCenterHoursHandWorked(t *testing.T) {
	p := plan(t, &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 2, Operations: []mrp.Operation{
				{Seq: 20, WorkCenter: "WC2", RunHours: 1, HoursPerDay: 16},
				{Seq: 10, WorkCenter: "WC1", SetupHours: 1, RunHours: 0.5},
			}},
			{ID: "C", Kind: mrp.Make, LeadTime: 1, Operations: []mrp.Operation{
				{Seq: 10, WorkCenter: "WC1", RunHours: 3},
				{Seq: 20, WorkCenter: "WC2", RunHours: 4, HoursPerDay: 16},
			}},
			{ID: "D", Kind: mrp.Make, LeadTime: 3, Operations: []mrp.Operation{
				{Seq: 10, WorkCenter: "WC2", RunHours: 40, HoursPerDay: 16},
			}},
		},
		Demands:  []mrp.Demand{dem("SO1", "A", 10, 2), dem("SO2", "C", 1, 3), dem("SO3", "D", 1, 4)},
		Calendar: mrp.Calendar{Start: monday, Horizon: 7},
	})
	var got []string
	for _, o := range p.AllOrders() {
		for _, op := range o.Operations {
			got = append(got, fmt.Sprintf("%s %d %s %s-%s", o.Item, op.Seq, op.WorkCenter,
				op.Start.Format("Mon 15:04"), op.End.Format("Mon 15:04")))
		}
	}
	want := []string{
		"A 10 WC1 Wed 08:00-Wed 14:00",
		"A 20 WC2 Wed 14:00-Thu 00:00",
		"C 10 WC1 Thu 13:00-Thu 16:00",
		"C 20 WC2 Thu 20:00-Fri 00:00",
		"D 10 WC2 Wed 16:00-Sat 00:00",
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("operations\n got:\n%s\nwant:\n%s", g, w)
	}
	c, err := mrp.NewCapacity([]mrp.WorkCenter{{ID: "WC1"}, {ID: "WC2", HoursPerDay: 16}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l := p.CapacityLoad(c)
	if g, w := bucketLines(l.Days("", day(2), day(4))), strings.Join([]string{
		"WC1 12-02 6/8", "WC1 12-03 3/8", "WC1 12-04 0/8",
		"WC2 12-02 18/16", "WC2 12-03 20/16", "WC2 12-04 16/16",
	}, "\n"); g != w {
		t.Errorf("load\n got:\n%s\nwant:\n%s", g, w)
	}
	var over []string
	for _, o := range l.Overloads() {
		var os []string
		for _, x := range o.Orders {
			os = append(os, fmt.Sprintf("%s:%g", x.Item, x.Hours))
		}
		over = append(over, fmt.Sprintf("%s %s %s", o.WorkCenter, o.Date.Format("01-02"), strings.Join(os, ";")))
	}
	if g, w := strings.Join(over, "\n"), "WC2 12-02 A:10;D:8\nWC2 12-03 D:16;C:4"; g != w {
		t.Errorf("overloads\n got:\n%s\nwant:\n%s", g, w)
	}
	// An operation's hours per day are checked like its other hours.
	_, err = mrp.New(&mrp.Input{Items: []mrp.Item{{ID: "X", Kind: mrp.Make, Operations: []mrp.Operation{{Seq: 10, WorkCenter: "W", HoursPerDay: 25}}}},
		Calendar: mrp.Calendar{Start: monday, Horizon: 7}}, mrp.DefaultOptions())
	if err == nil || !strings.Contains(err.Error(), "hours per day 25") {
		t.Errorf("25 hours a day: %v", err)
	}
	_ = time.Time{}
}
