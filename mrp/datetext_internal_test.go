package mrp

import (
	"testing"
	"time"
)

// TestDateText: the calendar's day names are the days' dates as
// YYYY-MM-DD (time.Format of the calendar's date) inside the compiled
// range and past both of its ends, with a plant time zone and across a
// year's end; its dates (looked up inside the range) are the planning
// date's day plus d days, at UTC midnight.
func TestDateText(t *testing.T) {
	for _, c := range []Calendar{
		{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Horizon: 60},
		{Start: time.Date(2027, 3, 26, 0, 0, 0, 0, time.UTC), Horizon: 10, TimeZone: "Europe/Berlin"},
		{Start: time.Date(2028, 2, 27, 17, 30, 0, 0, time.FixedZone("X", -5*3600)), Horizon: 5},
	} {
		k, err := compileCalendar(c, 5)
		if err != nil {
			t.Fatal(err)
		}
		for d := -k.pre - 40; d < k.horizon+40; d++ {
			if got, want := k.dateText(d), c.Start.AddDate(0, 0, d).Format(time.DateOnly); got != want {
				t.Fatalf("start %s, day %d: %q, want %q", c.Start.Format(time.DateOnly), d, got, want)
			}
			y, m, dd := c.Start.Date()
			want := time.Date(y, m, dd+d, 0, 0, 0, 0, time.UTC)
			if got := k.date(d); got != want {
				t.Fatalf("start %s, day %d: date %v, want %v", c.Start, d, got, want)
			}
		}
	}
}
