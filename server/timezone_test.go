package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"connectrpc.com/connect"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
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
