package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/server"
)

// TestPlantTimeZone: operation times are RFC 3339 with the plant's offset
// from its time zone and shift start, set on import and changed by Run.
func TestPlantTimeZone(t *testing.T) {
	p := protocols[0]
	ctx := context.Background()
	e := start(t)
	importTiny(t, e, p)
	c := e.mrp(p)
	opTimes := func() []string {
		var out []string
		for _, o := range orders(t, c, &mrpv1.ListPlannedOrdersRequest{}) {
			for _, op := range o.GetOperations() {
				out = append(out, op.GetStart(), op.GetEnd())
			}
		}
		if len(out) == 0 {
			t.Fatal("the tiny plant has no scheduled operation")
		}
		return out
	}
	if _, err := c.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: tinyPlant, Date: "2026-12-01",
		TimeZone: "Europe/Berlin", ShiftStart: "06:00"})); err != nil {
		t.Fatal(err)
	}
	for _, s := range opTimes() {
		// winter time in Berlin: +01:00; the shift starts at 06:00
		if !strings.HasSuffix(s, "+01:00") || s[11:16] < "06:00" {
			t.Errorf("operation time %s: want Berlin winter time from 06:00", s)
		}
	}
	st, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil || st.Msg.GetTimeZone() != "Europe/Berlin" || st.Msg.GetShiftStart() != "06:00" {
		t.Errorf("stats: %v %v", st, err)
	}
	if _, err := c.Run(ctx, connect.NewRequest(&mrpv1.RunRequest{TimeZone: "America/Chicago"})); err != nil {
		t.Fatal(err)
	}
	for _, s := range opTimes() {
		if !strings.HasSuffix(s, "-06:00") {
			t.Errorf("operation time %s: want Chicago winter time", s)
		}
	}
	for _, r := range []*mrpv1.RunRequest{{TimeZone: "Mars/Olympus_Mons"}, {ShiftStart: "8 am"}} {
		_, err := c.Run(ctx, connect.NewRequest(r))
		var ce *connect.Error
		if !errors.As(err, &ce) || ce.Code() != connect.CodeInvalidArgument {
			t.Errorf("run %v: got %v, want InvalidArgument", r, err)
		}
	}
}

// TestTodayIsThePlantsDay: a date left out is today in the plant's time
// zone, at the server's clock (Options.Now): at 22:25 UTC on 7 December
// it is 8 December in Shanghai. ImportPlant plans on the day in the zone
// it imports; an effectivity date left out is the day in the stored
// plan's zone (UTC without a plan). Before, every "today" was the UTC
// date: the plan started on 7 December in Shanghai and the BOM took the
// part that ended that day.
func TestTodayIsThePlantsDay(t *testing.T) {
	p := protocols[0]
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 22, 25, 0, 0, time.UTC)
	e := start(t, func(o *server.Options) { o.Now = func() time.Time { return at } })
	if _, err := e.bom(p).Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{
		{Name: "items.csv", Text: "item,description,uom,kind,lead_time_days,unit_cost\nBIKE,Bike,pc,make,1,0\nOLD,Old fork,pc,buy,1,5\nNEW,New fork,pc,buy,1,6\n"},
		{Name: "bom.csv", Text: "parent,component,qty_per,valid_from,valid_to\nBIKE,OLD,1,,2026-12-07\nBIKE,NEW,1,2026-12-08,\n"},
	}})); err != nil {
		t.Fatal(err)
	}
	m := e.mrp(p)
	// part is the fork an explosion of BIKE without a date takes
	part := func() string {
		t.Helper()
		s, err := e.bom(p).Explode(ctx, connect.NewRequest(&bomv1.ExplodeRequest{Target: &bomv1.Target{Item: "BIKE"}, Summarised: true}))
		if err != nil {
			t.Fatal(err)
		}
		var forks []string
		for _, r := range collect(t, s) {
			for _, l := range r.GetLines() {
				if l.GetItem() != "BIKE" {
					forks = append(forks, l.GetItem())
				}
			}
		}
		if len(forks) != 1 {
			t.Fatalf("BIKE explodes into %v", forks)
		}
		return forks[0]
	}
	planDate := func() (string, string) {
		t.Helper()
		st, err := m.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		return st.Msg.GetDate(), st.Msg.GetTimeZone()
	}
	if got := part(); got != "OLD" {
		t.Errorf("without a plan (UTC: 2026-12-07) BIKE takes %s, want OLD", got)
	}
	plant := []*mrpv1.CSVFile{{Name: "stock.csv", Text: "item,qty\nOLD,1\n"}}
	res, err := m.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: plant, TimeZone: "Asia/Shanghai"}))
	if err != nil {
		t.Fatal(err)
	}
	if d := res.Msg.GetRun().GetDate(); d != "2026-12-08" {
		t.Errorf("ImportPlant in Asia/Shanghai at %v planned on %s, want 2026-12-08", at, d)
	}
	if d, tz := planDate(); d != "2026-12-08" || tz != "Asia/Shanghai" {
		t.Errorf("GetPlanStats: %s %s, want 2026-12-08 Asia/Shanghai", d, tz)
	}
	if got := part(); got != "NEW" {
		t.Errorf("with the plant in Shanghai (2026-12-08) BIKE takes %s, want NEW", got)
	}
	// Run keeps the planning date; the effectivity date follows the
	// plant's zone: 12:25 on 7 December in Honolulu
	if _, err := m.Run(ctx, connect.NewRequest(&mrpv1.RunRequest{TimeZone: "Pacific/Honolulu"})); err != nil {
		t.Fatal(err)
	}
	if d, _ := planDate(); d != "2026-12-08" {
		t.Errorf("Run with a new zone moved the planning date to %s", d)
	}
	if got := part(); got != "OLD" {
		t.Errorf("with the plant in Honolulu (2026-12-07) BIKE takes %s, want OLD", got)
	}
	res, err = m.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: plant, TimeZone: "Pacific/Kiritimati"}))
	if err != nil || res.Msg.GetRun().GetDate() != "2026-12-08" {
		t.Errorf("ImportPlant in Pacific/Kiritimati: %v %v, want 2026-12-08", res, err)
	}
	if res, err = m.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: plant})); err != nil || res.Msg.GetRun().GetDate() != "2026-12-07" {
		t.Errorf("ImportPlant in UTC: %v %v, want 2026-12-07", res, err)
	}
	_, err = m.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: plant, TimeZone: "Mars/Olympus_Mons"}))
	wantCode(t, err, connect.CodeInvalidArgument)
}

// TestPlanningDateTooLate: a planning date whose plan and finite schedule
// (730 days past the horizon) would run past 9999-12-31 is refused at the
// field; 9999-12-31 was planned and listed late deliveries on
// 10000-03-10.
func TestPlanningDateTooLate(t *testing.T) {
	p := protocols[0]
	ctx := context.Background()
	e := start(t)
	importTiny(t, e, p)
	m := e.mrp(p)
	for _, r := range []*mrpv1.ImportPlantRequest{
		{Csv: tinyPlant, Date: "9999-12-31"},
		{Csv: tinyPlant, Date: "9997-01-01"},
		{Csv: tinyPlant, Date: "9996-12-31", Horizon: 366},
	} {
		_, err := m.ImportPlant(ctx, connect.NewRequest(r))
		wantField(t, err, "date", "9999-12-31")
	}
	if _, err := m.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: tinyPlant, Date: "9996-12-31"})); err != nil {
		t.Fatalf("the latest planning date for 365 days: %v", err)
	}
	_, err := m.Run(ctx, connect.NewRequest(&mrpv1.RunRequest{Date: "9997-01-01"}))
	wantField(t, err, "date", "plan on 9996-12-31 or earlier")
	// a longer horizon on the kept date: the calendar refuses it
	_, err = m.Run(ctx, connect.NewRequest(&mrpv1.RunRequest{Horizon: 400}))
	wantCode(t, err, connect.CodeInvalidArgument)
	_, err = m.Run(ctx, connect.NewRequest(&mrpv1.RunRequest{Date: "2026-12-01", Horizon: 400}))
	if err != nil {
		t.Fatal(err)
	}
}
