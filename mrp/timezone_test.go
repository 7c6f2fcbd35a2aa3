package mrp_test

import (
	"errors"
	"strings"
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

// TestToday: a plant's "today" is the date in its own time zone at the
// instant given, not the UTC one. 22:25 UTC on 7 December is already 8
// December in Shanghai (+08:00) and Kiritimati (+14:00), still 7 December
// in UTC and Honolulu (-10:00); 09:30 UTC on 8 December is 7 December in
// Honolulu.
func TestToday(t *testing.T) {
	late := time.Date(2026, 12, 7, 22, 25, 0, 0, time.UTC)
	early := time.Date(2026, 12, 8, 9, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		now        time.Time
		tz, want   string
		wantErrMsg bool
	}{
		{late, "Asia/Shanghai", "2026-12-08", false},
		{late, "Pacific/Kiritimati", "2026-12-08", false},
		{late, "", "2026-12-07", false},
		{late, "UTC", "2026-12-07", false},
		{late, "Pacific/Honolulu", "2026-12-07", false},
		{early, "Pacific/Honolulu", "2026-12-07", false},
		{early, "Asia/Shanghai", "2026-12-08", false},
		// the instant's own location does not count, only the zone's
		{late.In(time.FixedZone("X", -12*3600)), "Asia/Shanghai", "2026-12-08", false},
		{late, "Mars/Olympus_Mons", "", true},
		{late, "Local", "", true},
	} {
		got, err := mrp.Today(c.now, c.tz)
		if c.wantErrMsg {
			if !errors.Is(err, mrp.ErrInvalid) {
				t.Errorf("Today(%v, %q): %v, want ErrInvalid", c.now, c.tz, err)
			}
			continue
		}
		if err != nil || got.Format(time.DateOnly) != c.want || got.Location() != time.UTC || got.Hour() != 0 {
			t.Errorf("Today(%v, %q) = %v, %v; want %s (midnight UTC)", c.now, c.tz, got, err, c.want)
		}
	}
}

// TestLatePlanningDate: a planning date whose plan (horizon) and finite
// schedule (730 days past it) would run past 9999-12-31 is refused, by
// ParseStart and by the calendar: 9999-12-31 planned printed late
// deliveries on 10000-03-10, a date no reader takes back.
func TestLatePlanningDate(t *testing.T) {
	for _, c := range []struct {
		date    string
		horizon int
		ok      bool
	}{
		{"9996-12-31", 0, true}, // + 365 + 730 days = 9999-12-31
		{"9997-01-01", 0, false},
		{"9996-12-31", 365, true},
		{"9996-12-31", 366, false},
		{"9999-12-31", 1, false},
		{"9943-03-30", 20000, true},
		{"9943-03-31", 20000, false},
		{"2026-12-01", 20000, true},
	} {
		d, err := mrp.ParseStart(c.date, c.horizon)
		if (err == nil) != c.ok {
			t.Errorf("ParseStart(%s, %d): %v, want ok %v", c.date, c.horizon, err, c.ok)
		}
		if !c.ok {
			if err == nil || !strings.Contains(err.Error(), "9999-12-31") {
				t.Errorf("ParseStart(%s, %d): %v, want it to say why", c.date, c.horizon, err)
			}
			d, _ = time.Parse(time.DateOnly, c.date)
		}
		in := &mrp.Input{Items: []mrp.Item{{ID: "A", Kind: mrp.Buy, LeadTime: 2}},
			Calendar: mrp.Calendar{Start: d, Horizon: c.horizon}}
		if _, err := mrp.New(in, mrp.DefaultOptions()); (err == nil) != c.ok || (err != nil && !errors.Is(err, mrp.ErrInvalid)) {
			t.Errorf("New on %s, horizon %d: %v, want ok %v", c.date, c.horizon, err, c.ok)
		}
	}
	for _, bad := range []string{"0001-01-01", "1899-12-31", "10000-01-01", "2026-13-01", ""} {
		if _, err := mrp.ParseStart(bad, 0); err == nil {
			t.Errorf("ParseStart(%q) accepted", bad)
		}
	}
}
