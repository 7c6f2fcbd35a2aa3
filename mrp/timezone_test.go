package mrp_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestPlantTimeZone schedules operations in the plant's zone across the
// change to summer time: Europe/Berlin moves from +01:00 to +02:00 on
// Sunday 2027-03-28.
func TestPlantTimeZone(t *testing.T) {
	start := time.Date(2027, 3, 22, 0, 0, 0, 0, time.UTC) // a Monday
	in := &mrp.Input{
		Items: []mrp.Item{{ID: "A", Kind: mrp.Make, LeadTime: 2, Operations: []mrp.Operation{
			{Seq: 20, WorkCenter: "ASSY", SetupHours: 2, RunHours: 0.25},
			{Seq: 10, WorkCenter: "WELD", SetupHours: 1, RunHours: 0.5},
		}}},
		Demands:  []mrp.Demand{{ID: "s", Item: "A", Qty: 8, Due: time.Date(2027, 3, 29, 0, 0, 0, 0, time.UTC)}},
		Calendar: mrp.Calendar{Start: start, Horizon: 30, TimeZone: "Europe/Berlin", ShiftStart: "06:30"},
	}
	p := plan(t, in)
	os, _ := p.Orders("A")
	if len(os) != 1 || len(os[0].Operations) != 2 {
		t.Fatalf("orders %+v", os)
	}
	// Monday 2027-03-29 works 06:30-14:30 (8 hours) at +02:00. Op 20: 2 +
	// 8 x 0.25 = 4 h, 10:30-14:30. Op 10: 1 + 8 x 0.5 = 5 h before 10:30:
	// 06:30-10:30 on Monday and 1 h before, on Friday 2027-03-26 (the
	// weekend does not work) at +01:00: 13:30-14:30.
	got := os[0].Operations
	for k, w := range [][2]string{
		{"2027-03-26T13:30:00+01:00", "2027-03-29T10:30:00+02:00"},
		{"2027-03-29T10:30:00+02:00", "2027-03-29T14:30:00+02:00"},
	} {
		if s, e := got[k].Start.Format(time.RFC3339), got[k].End.Format(time.RFC3339); s != w[0] || e != w[1] {
			t.Errorf("operation %d: %s - %s, want %s - %s", got[k].Seq, s, e, w[0], w[1])
		}
	}
	// Without a zone: UTC and 08:00, as before.
	in.Calendar.TimeZone, in.Calendar.ShiftStart = "", ""
	os, _ = plan(t, in).Orders("A")
	if s := os[0].Operations[1].Start.Format(time.RFC3339); s != "2027-03-29T12:00:00Z" {
		t.Errorf("UTC operation 20 starts %s, want 2027-03-29T12:00:00Z", s)
	}

	for _, c := range []mrp.Calendar{
		{Start: start, TimeZone: "Mars/Olympus_Mons"},
		{Start: start, TimeZone: "Local"},
		{Start: start, ShiftStart: "25:00"},
		{Start: start, ShiftStart: "8"},
	} {
		in.Calendar = c
		if _, err := mrp.New(in, mrp.DefaultOptions()); !errors.Is(err, mrp.ErrInvalid) {
			t.Errorf("calendar %+v: got %v, want ErrInvalid", c, err)
		}
	}
}

// TestLongOperationBeforeCalendar: an operation running back past the
// compiled calendar is placed as the definition says, in time linear in
// the operations, not in the days they span. A needs 10 h a unit on W; an
// order of 1,000 due Monday 2027-03-29 (day 7 from Monday 2027-03-22) is
// 10,000 h at 8 h a day. The compiled calendar reaches back 2 x 30 + 60 =
// 120 days (lead times count as 30 at least), to Sunday 2026-11-22, with
// weekends off: Monday 2026-11-23 to Monday 2027-03-29 are 18 weeks and a
// day, 91 working days, 728 h. Before it every day works: the other 9,272
// h are 1,159 whole days back from Saturday 2026-11-21, the first of them
// 2023-09-20 (1,158 days earlier: 365 + 365 + 366 to 2023-11-21, then
// 62). The order starts there at 08:00 and ends on 2027-03-29 at 16:00.
// An order of 1,001 is 10 h more: 1,160 whole days (back to 2023-09-19)
// and 2 h of the day before them, 2023-09-18 from 14:00.
func TestLongOperationBeforeCalendar(t *testing.T) {
	start := time.Date(2027, 3, 22, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		qty   int64
		start string
	}{{1000, "2023-09-20T08:00:00Z"}, {1001, "2023-09-18T14:00:00Z"}} {
		in := &mrp.Input{
			Items:    []mrp.Item{{ID: "A", Kind: mrp.Make, LeadTime: 2, Operations: []mrp.Operation{{Seq: 10, WorkCenter: "W", RunHours: 10}}}},
			Demands:  []mrp.Demand{{ID: "s", Item: "A", Qty: c.qty, Due: time.Date(2027, 3, 29, 0, 0, 0, 0, time.UTC)}},
			Calendar: mrp.Calendar{Start: start, Horizon: 30},
		}
		os, err := plan(t, in).Orders("A")
		if err != nil || len(os) != 1 || len(os[0].Operations) != 1 {
			t.Fatalf("orders %+v, %v", os, err)
		}
		op := os[0].Operations[0]
		if s, e := op.Start.Format(time.RFC3339), op.End.Format(time.RFC3339); s != c.start || e != "2027-03-29T16:00:00Z" {
			t.Errorf("%d units: operation %s - %s, want %s - 2027-03-29T16:00:00Z", c.qty, s, e, c.start)
		}
	}
}
