package mrp

import (
	"fmt"
	"math"
	"time"
	_ "time/tzdata" // plant time zones resolve without the system's zoneinfo
)

// cal is the compiled calendar: day d (0 = planning date) is index d+pre in
// the arrays, covering [-pre, horizon).
type cal struct {
	start   time.Time // UTC midnight of day 0
	loc     *time.Location
	shift   int // seconds after midnight the working day starts
	horizon int
	pre     int
	work    []bool
	wdOf    []int32 // index in dayOfWd of the latest working day <= d, -1 if none
	dayOfWd []int32 // working day number -> day
	// text[d+pre] is day d as YYYY-MM-DD (see dateText), dates[d+pre]
	// the day itself (see date)
	text  []string
	dates []time.Time
	// past the horizon the weekly rule and the dated overrides decide
	// (before the compiled range every day works: see backBefore)
	weekend [7]bool
	over    map[time.Time]bool
	anyWeek bool // some weekday works (else past the horizon every day does)
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func compileCalendar(c Calendar, maxLT int) (*cal, error) {
	h := c.Horizon
	if h == 0 {
		h = 365
	}
	if h < 1 || h > 20000 {
		return nil, fmt.Errorf("%w: calendar horizon %d days not in [1, 20000]", ErrInvalid, h)
	}
	if c.Start.IsZero() {
		return nil, fmt.Errorf("%w: calendar: no planning date", ErrInvalid)
	}
	weekend := [7]bool{time.Saturday: true, time.Sunday: true}
	if c.Weekend != nil {
		weekend = [7]bool{}
		for _, w := range c.Weekend {
			if w < 0 || w > 6 {
				return nil, fmt.Errorf("%w: calendar: weekday %d", ErrInvalid, w)
			}
			weekend[w] = true
		}
	}
	loc, err := plantZone(c.TimeZone)
	if err != nil {
		return nil, err
	}
	if err := checkStart(dateOf(c.Start), h); err != nil {
		return nil, fmt.Errorf("%w: calendar: %v", ErrInvalid, err)
	}
	shift := 8 * 3600
	if c.ShiftStart != "" {
		t, err := time.Parse("15:04", c.ShiftStart)
		if err != nil {
			return nil, fmt.Errorf("%w: calendar: shift start %q: want HH:MM (24-hour clock)", ErrInvalid, c.ShiftStart)
		}
		shift = t.Hour()*3600 + t.Minute()*60
	}
	seen := make(map[string]bool, len(c.CapacityExceptions))
	for _, x := range c.CapacityExceptions {
		key := x.WorkCenter + "\x00" + dateOf(x.Date).Format(time.DateOnly)
		switch {
		case x.WorkCenter == "" || x.Date.IsZero():
			return nil, fmt.Errorf("%w: calendar: capacity exception without a work center or date", ErrInvalid)
		case !(x.Hours >= 0 && x.Hours <= maxHoursPerDay):
			return nil, fmt.Errorf("%w: calendar: capacity exception %s %s: hours %v not in [0, %d]", ErrInvalid, x.WorkCenter, x.Date.Format(time.DateOnly), x.Hours, maxHoursPerDay)
		case seen[key]:
			return nil, fmt.Errorf("%w: calendar: capacity exception %s %s listed twice", ErrInvalid, x.WorkCenter, x.Date.Format(time.DateOnly))
		}
		seen[key] = true
	}
	pre := 2*maxLT + 60
	k := &cal{start: dateOf(c.Start), loc: loc, shift: shift, horizon: h, pre: pre, weekend: weekend}
	for _, w := range weekend {
		k.anyWeek = k.anyWeek || !w
	}
	n := pre + h
	k.work = make([]bool, n)
	k.text = make([]string, n)
	k.dates = make([]time.Time, n)
	over := make(map[time.Time]bool, len(c.Days))
	for d, w := range c.Days {
		over[dateOf(d)] = w
	}
	k.over = over
	any := false
	for i := range n {
		day := k.start.AddDate(0, 0, i-pre)
		k.text[i], k.dates[i] = day.Format(time.DateOnly), day
		w, ok := over[day]
		if !ok {
			w = !weekend[day.Weekday()]
		}
		k.work[i] = w
		any = any || w
	}
	if !any {
		return nil, fmt.Errorf("%w: calendar has no working day", ErrInvalid)
	}
	k.wdOf = make([]int32, n)
	last := int32(-1)
	for i := range n {
		if k.work[i] {
			k.dayOfWd = append(k.dayOfWd, int32(i-pre))
			last = int32(len(k.dayOfWd) - 1)
		}
		k.wdOf[i] = last
	}
	return k, nil
}

// plantZone is the location of a plant's time zone: an IANA name, ""
// for UTC ("Local", this machine's zone, is no plant's).
func plantZone(tz string) (*time.Location, error) {
	loc, err := time.LoadLocation(tz)
	if err != nil || tz == "Local" {
		return nil, fmt.Errorf("%w: calendar: time zone %q: want an IANA name such as Europe/Berlin (or empty for UTC)", ErrInvalid, tz)
	}
	return loc, nil
}

// Today is the plant's day at the instant now: the date it is then in
// its time zone tz (an IANA name, "" for UTC; see [Calendar.TimeZone]),
// as a plan keeps days, midnight UTC. A plant's "today" is its own
// calendar day, not the UTC one: at 22:25 UTC on 7 December it is
// already 8 December in Asia/Shanghai (UTC+8), and still 7 December in
// America/Chicago. Every default planning or effectivity date ("today")
// is this one; the caller passes its clock's now, so that a test can fix
// the instant.
func Today(now time.Time, tz string) (time.Time, error) {
	loc, err := plantZone(tz)
	if err != nil {
		return time.Time{}, err
	}
	return dateOf(now.In(loc)), nil
}

// lastDay is the last day a plan can name: YYYY-MM-DD has no later one
// (10000-01-01 formats as a date nobody reads back).
var lastDay = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// checkStart says whether a plan can start on start (a date) with a
// horizon of h days: each of its days, and the scheduleSlack days past
// them a finite schedule may push an order to (its late deliveries and
// exceptions are dated there), must be a day up to 9999-12-31.
func checkStart(start time.Time, h int) error {
	if !start.AddDate(0, 0, h+scheduleSlack).After(lastDay) {
		return nil
	}
	return fmt.Errorf("planning date %s is too late: a %d-day horizon and the %d days a finite schedule may run past it end after 9999-12-31; plan on %s or earlier (or on a shorter horizon)",
		start.Format(time.DateOnly), h, scheduleSlack, lastDay.AddDate(0, 0, -(h+scheduleSlack)).Format(time.DateOnly))
}

// day converts a date into a day index (may be < 0 or >= horizon).
func (k *cal) day(t time.Time) int {
	// by Unix seconds: time.Sub saturates ~292 years apart, which put a
	// date of 2500 on a day of 2319
	return int((dateOf(t).Unix() - k.start.Unix()) / 86400)
}

// date is day d's date (UTC midnight), looked up for the days of the
// compiled calendar: every planned order listed holds two.
func (k *cal) date(d int) time.Time {
	if i := d + k.pre; i >= 0 && i < len(k.dates) {
		return k.dates[i]
	}
	return k.start.AddDate(0, 0, d)
}

// dateText is day d as YYYY-MM-DD, formatted once per day of the compiled
// calendar: every planned order's ID holds its due date, and a listing or
// a finite schedule of a 10,000-item plant names a million orders.
func (k *cal) dateText(d int) string {
	if i := d + k.pre; i >= 0 && i < len(k.text) {
		return k.text[i]
	}
	return k.date(d).Format(time.DateOnly)
}

// at is the plant's wall-clock time h working hours after the shift
// starts on day d, in the plant's time zone (wall clock: on a day the
// clocks change, 08:00 is still 08:00).
func (k *cal) at(d int, h float64) time.Time {
	y, m, dd := k.date(d).Date()
	ns := int64(math.Round(h * float64(time.Hour)))
	return time.Date(y, m, dd, 0, 0, k.shift+int(ns/int64(time.Second)), int(ns%int64(time.Second)), k.loc)
}

// backBefore is how far rest hours (> 0) reach back from the day before
// day, a day earlier than the compiled calendar, where every day works
// hpd hours: n days, the earliest holding last hours (in (0, hpd]). An
// operation of millions of years stops at the first day of year 1 (the
// earliest a date prints as RFC 3339 or a protobuf Timestamp) with a
// whole day there: n days back, no more, and last = hpd.
func (k *cal) backBefore(day int, rest, hpd float64) (n int, last float64) {
	d := math.Ceil((rest - 1e-9) / hpd)
	if most := day - k.firstDay(); !(d <= float64(most)) {
		return max(most, 0), hpd
	}
	return int(d), rest - (d-1)*hpd
}

// firstDay is the day of 0001-01-02 (a day's margin for the plant's time
// zone), the earliest an operation is scheduled.
func (k *cal) firstDay() int {
	return -int((k.start.Unix() - time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC).Unix()) / 86400)
}

// release is the day lt working days before due (due itself when lt == 0
// and due is a working day; otherwise the latest working day before).
// Days further back than the compiled range clamp to its first day.
func (k *cal) release(due int32, lt int32) int32 {
	i := int(due) + k.pre
	if i >= len(k.wdOf) {
		i = len(k.wdOf) - 1
	}
	if i < 0 {
		return int32(-k.pre)
	}
	w := k.wdOf[i] - lt
	if w < 0 {
		return int32(-k.pre)
	}
	return k.dayOfWd[w]
}

// releaseFar is release for any due day: past the compiled range it
// counts back the working days there (working) before going on as
// release does within it (where release clamps to the range's last day:
// the pegging's orders are all due within it).
func (k *cal) releaseFar(due int, lt int32) int {
	d := due
	for d+k.pre >= len(k.wdOf) && (lt > 0 || !k.working(d)) {
		if k.working(d) {
			lt--
		}
		d--
	}
	if d+k.pre >= len(k.wdOf) {
		return d
	}
	return int(k.release(int32(d), lt))
}

// wd is day's number among the working days (the last working day's on
// or before day, -1 before any), clamped to the compiled range as release
// clamps: release(due, lt) is releaseWd(wd(due), lt). It never decreases
// as day grows.
func (k *cal) wd(day int32) int32 {
	i := int(day) + k.pre
	if i >= len(k.wdOf) {
		i = len(k.wdOf) - 1
	}
	if i < 0 {
		return -1
	}
	return k.wdOf[i]
}

// releaseWd is release(due, lt) for w = wd(due) (lt >= 0).
func (k *cal) releaseWd(w int32, lt int32) int32 {
	w -= lt
	if w < 0 {
		return int32(-k.pre)
	}
	return k.dayOfWd[w]
}

// addWorking is the day lt working days after d (d itself if lt == 0 and d
// is a working day; the next working day if d is not). Past the horizon it
// counts calendar days.
func (k *cal) addWorking(d int, lt int) int {
	if d < -k.pre {
		d = -k.pre
	}
	for !k.working(d) {
		d++
	}
	for lt > 0 {
		d++
		if k.working(d) {
			lt--
		}
	}
	return d
}

// working reports whether day d is a working day: as compiled within the
// calendar's range; past it by the weekly rule and the dated overrides
// (a lead time or a promise past the horizon counts working days, not
// calendar days); before it, every day.
func (k *cal) working(d int) bool {
	i := d + k.pre
	if i < 0 {
		return true
	}
	if i < len(k.work) {
		return k.work[i]
	}
	day := k.date(d)
	if w, ok := k.over[day]; ok {
		return w
	}
	return !k.anyWeek || !k.weekend[day.Weekday()]
}

// demandDay maps a due day to the day netting sees: the latest working day
// on or before it, never before day 0.
func (k *cal) demandDay(d int) int32 {
	if d < 0 {
		return 0
	}
	if d >= k.horizon {
		return int32(d)
	}
	w := k.wdOf[d+k.pre]
	if w < 0 {
		return 0
	}
	r := k.dayOfWd[w]
	if r < 0 {
		r = 0
	}
	return r
}
