package main

import (
	"fmt"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// clock is the commands' clock, read for what day "today" is (mrp.Today:
// the day in the plant's time zone); a test fixes the instant.
var clock = time.Now

// wireDay reads a date flag or a date of a request as every plant date is
// read, a server's too (mrp.ParseDay: YYYY-MM-DD, from 1900 on), its error
// naming the flag or, as the server's, the field.
func wireDay(name, s string) (time.Time, error) {
	t, err := mrp.ParseDay(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// planDay reads --date, the planning date of a plant in time zone tz
// planned over horizon days (0: 365): "" is today in tz ("" UTC), a date
// as mrp.ParseStart reads it (from 1900 on, and early enough for the plan
// and its finite schedule to end by 9999-12-31).
func planDay(s, tz string, horizon int) (time.Time, error) {
	if s == "" {
		return mrp.Today(clock(), tz)
	}
	t, err := mrp.ParseStart(s, horizon)
	if err != nil {
		return time.Time{}, fmt.Errorf("--date: %w", err)
	}
	return t, nil
}
