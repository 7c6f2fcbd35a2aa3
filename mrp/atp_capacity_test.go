package mrp_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestPromiseCapacityHandWorked: capable to promise on free capacity.
// Two weeks from Monday 2026-11-30 (day 0; weekends off). P is made (lead
// time 1, no components): op 10 on WC, 4 h/unit; WC works 8 h a day.
// Existing load: SO1, 9 P due Friday (day 4), one planned order of
// 9 x 4 = 36 h, which the finite schedule places backwards from Friday:
// Friday, Thursday, Wednesday, Tuesday 8 h each, and the last 4 h of
// Monday. Free: 4 h on Monday, then nothing until Monday 12-07 (day 7).
//
//	1 P wanted Tuesday: 4 h; backwards from the end of Tuesday (full)
//	    the 4 free hours of Monday: it starts Monday (day 0, today) and
//	    is ready Tuesday: on time. (Lead time alone: start Monday too.)
//	2 P wanted Tuesday: 8 h; by Tuesday only Monday's 4 h are free, and
//	    every day up to Sunday (day 6) adds none; from Monday 12-07 its
//	    8 h fit that day: promised Monday 12-07 (day 7), late, limited by
//	    P on WC. Without capacity: lead time 1 from Monday: Tuesday.
//	2 P wanted Wednesday 12-09 (day 9): fits on that day: on time.
//	6 P wanted Tuesday: 24 h: Monday 4 h + three days of the second week
//	    (12-07, 12-08, 12-09 at 8 h = 24 h from day 7 on: 8 + 8 + 8):
//	    backwards from day 9: 9, 8, 7 (8 h each): promised Wednesday
//	    12-09 (day 9); one day earlier (day 8) leaves 8 + 8 + Monday's 4
//	    = 20 h < 24.
func TestPromiseCapacityHandWorked(t *testing.T) {
	p := plan(t, &mrp.Input{
		Items:    []mrp.Item{{ID: "P", Kind: mrp.Make, LeadTime: 1, Operations: []mrp.Operation{{Seq: 10, WorkCenter: "WC", RunHours: 4}}}},
		Demands:  []mrp.Demand{dem("SO1", "P", 9, 4)},
		Calendar: mrp.Calendar{Start: monday, Horizon: 14},
	})
	c, err := mrp.NewCapacity([]mrp.WorkCenter{{ID: "WC", HoursPerDay: 8}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := p.FiniteSchedule(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		qty           int64
		want, got     int
		limit, wc     string
		infiniteDay   int
		reuseSchedule bool
	}{
		{qty: 1, want: 1, got: 1, infiniteDay: 1},
		{qty: 2, want: 1, got: 7, limit: "P", wc: "WC", infiniteDay: 1},
		{qty: 2, want: 9, got: 9, infiniteDay: 9, reuseSchedule: true},
		{qty: 6, want: 1, got: 9, limit: "P", wc: "WC", infiniteDay: 1, reuseSchedule: true},
	} {
		t.Run(fmt.Sprintf("%d_by_day_%d", tc.qty, tc.want), func(t *testing.T) {
			req := mrp.PromiseRequest{Item: "P", Qty: tc.qty, Date: day(tc.want), Capacity: c}
			if tc.reuseSchedule {
				req.Schedule = sc
			}
			pr, err := p.Promise(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if pr.Day != tc.got || !pr.Date.Equal(day(tc.got)) || pr.Late != (tc.got > tc.want) || pr.Limit != tc.limit || pr.WorkCenter != tc.wc || pr.ATP {
				t.Errorf("with capacity: %+v, want day %d limit %q work center %q", pr, tc.got, tc.limit, tc.wc)
			}
			req.Capacity, req.Schedule = nil, nil
			pr, err = p.Promise(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if pr.Day != tc.infiniteDay || pr.WorkCenter != "" {
				t.Errorf("without capacity: %+v, want day %d", pr, tc.infiniteDay)
			}
		})
	}
	// A plan with no room at all within the schedule's days: WC closed.
	closed, err := mrp.NewCapacity([]mrp.WorkCenter{{ID: "WC", HoursPerDay: 8, Efficiency: 1e-9}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := p.Promise(ctx, mrp.PromiseRequest{Item: "P", Qty: 1, Date: day(1), Capacity: closed})
	if err != nil {
		t.Fatal(err)
	}
	if !pr.Late || pr.WorkCenter != "WC" || pr.Day < 14+365 {
		t.Errorf("no capacity: %+v, want a day past the schedule on WC", pr)
	}
	// a cancelled context stops the promise
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := p.Promise(cctx, mrp.PromiseRequest{Item: "P", Qty: 1, Date: day(1), Capacity: c}); err == nil {
		t.Error("a cancelled context: no error")
	}
}
