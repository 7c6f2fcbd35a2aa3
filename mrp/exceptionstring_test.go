package mrp_test

import (
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestExceptionString pins the message's text by hand: kind, item, ref,
// date, quantity, then the date to move to and the limit when set.
func TestExceptionString(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 12, day, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		e    mrp.Exception
		want string
	}{
		{mrp.Exception{Kind: mrp.Cancel, Item: "X", Ref: "R2", Date: d(4), Qty: 10}, "cancel X R2 2026-12-04 qty 10"},
		{mrp.Exception{Kind: mrp.RescheduleOut, Item: "X", Ref: "R1", Date: d(2), Qty: -3, To: d(6)}, "reschedule-out X R1 2026-12-02 qty -3 -> 2026-12-06"},
		{mrp.Exception{Kind: mrp.Late, Item: "FL", Ref: "SO-1", Date: d(1), Qty: 2, To: d(9), Limit: "MAST"}, "late FL SO-1 2026-12-01 qty 2 -> 2026-12-09 limited by MAST"},
		{mrp.Exception{Kind: mrp.Late, Item: "", Ref: "", Date: d(31), Qty: 0}, "late   2026-12-31 qty 0"},
	} {
		if got := tc.e.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.e, got, tc.want)
		}
	}
}
