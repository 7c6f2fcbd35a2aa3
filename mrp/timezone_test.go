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
