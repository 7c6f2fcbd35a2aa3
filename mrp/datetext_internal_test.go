package mrp

import (
	"testing"
	"time"
)

// TestDateText: the calendar's day names are the days' dates as
// YYYY-MM-DD (time.Format of the calendar's date) inside the compiled
// range and past both of its ends, with a plant time zone and across a
// year's end.
func TestDateText(t *testing.T) {
	for _, c := range []Calendar{
		{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Horizon: 60},
		{Start: time.Date(2027, 3, 26, 0, 0, 0, 0, time.UTC), Horizon: 10, TimeZone: "Europe/Berlin"},
	} {
		k, err := compileCalendar(c, 5)
		if err != nil {
			t.Fatal(err)
		}
		for d := -k.pre - 40; d < k.horizon+40; d++ {
			if got, want := k.dateText(d), c.Start.AddDate(0, 0, d).Format(time.DateOnly); got != want {
				t.Fatalf("start %s, day %d: %q, want %q", c.Start.Format(time.DateOnly), d, got, want)
			}
		}
	}
}
