package mrp

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/internal/csvtext"
)

// File names read by [ReadCapacity].
const (
	WorkCentersFile        = "workcenters.csv"
	CapacityExceptionsFile = "capacity_exceptions.csv"
)

// WorkCenter is the capacity of a work center: on a working day of the
// plan's calendar it offers HoursPerDay x Units x Efficiency hours.
type WorkCenter struct {
	ID string
	// HoursPerDay is the working time of one machine or person per working
	// day (hours per shift times shifts); 0 means 8.
	HoursPerDay float64
	// Units is the number of machines or people (at most bom.MaxUnits); 0
	// means 1.
	Units int
	// Efficiency scales the available hours (1 is 100%); 0 means 1.
	Efficiency float64
}

// Daily is the available hours of a working day.
func (w WorkCenter) Daily() float64 {
	h, u, e := w.HoursPerDay, w.Units, w.Efficiency
	if h == 0 {
		h = 8
	}
	if u == 0 {
		u = 1
	}
	if e == 0 {
		e = 1
	}
	return h * float64(u) * e
}

// CapacityException sets the available hours of one work center on one
// date, replacing what the work center and the calendar give: 0 closes it
// (a breakdown, maintenance), more opens a non-working day or adds a shift.
type CapacityException struct {
	WorkCenter string
	Date       time.Time // only the date counts
	Hours      float64
	Reason     string
}

// Capacity is the available capacity of a plant's work centers. A work
// center a routing names but Capacity does not know gets the default
// ([WorkCenter.Daily] of the zero value: 8 hours).
type Capacity struct {
	wcs []WorkCenter // sorted by ID
	ix  map[string]int
	exc []map[time.Time]float64 // by work center index
}

// maxHoursPerDay bounds a work center's daily hours (24 h x bom.MaxUnits).
const maxHoursPerDay = 24 * bom.MaxUnits

// NewCapacity validates the work centers and exceptions and returns the
// plant's capacity.
func NewCapacity(wcs []WorkCenter, exc []CapacityException) (*Capacity, error) {
	c := &Capacity{ix: make(map[string]int, len(wcs))}
	c.wcs = slices.Clone(wcs)
	slices.SortFunc(c.wcs, func(a, b WorkCenter) int { return cmp.Compare(a.ID, b.ID) })
	for k, w := range c.wcs {
		bad := func(format string, a ...any) error {
			return fmt.Errorf("%w: work center %s: "+format, append([]any{ErrInvalid, w.ID}, a...)...)
		}
		switch {
		case w.ID == "":
			return nil, fmt.Errorf("%w: work center with empty id", ErrInvalid)
		case k > 0 && c.wcs[k-1].ID == w.ID:
			return nil, bad("listed twice")
		case !(w.HoursPerDay >= 0 && w.HoursPerDay <= 24):
			return nil, bad("hours per day %v not in [0, 24]", w.HoursPerDay)
		case w.Units < 0 || w.Units > bom.MaxUnits:
			return nil, bad("units %d not in [0, %d]", w.Units, bom.MaxUnits)
		case !(w.Efficiency >= 0 && w.Efficiency <= 10):
			return nil, bad("efficiency %v not in [0, 10]", w.Efficiency)
		}
		c.ix[w.ID] = k
	}
	c.exc = make([]map[time.Time]float64, len(c.wcs))
	for _, x := range exc {
		k, ok := c.ix[x.WorkCenter]
		if !ok {
			return nil, fmt.Errorf("%w: capacity exception %s: unknown work center %q", ErrInvalid, x.Date.Format(time.DateOnly), x.WorkCenter)
		}
		if !(x.Hours >= 0 && x.Hours <= maxHoursPerDay) || x.Date.IsZero() {
			return nil, fmt.Errorf("%w: capacity exception %s %s: hours %v not in [0, %d]", ErrInvalid, x.WorkCenter, x.Date.Format(time.DateOnly), x.Hours, maxHoursPerDay)
		}
		if c.exc[k] == nil {
			c.exc[k] = map[time.Time]float64{}
		}
		d := dateOf(x.Date)
		if _, dup := c.exc[k][d]; dup {
			return nil, fmt.Errorf("%w: capacity exception %s %s listed twice", ErrInvalid, x.WorkCenter, d.Format(time.DateOnly))
		}
		c.exc[k][d] = x.Hours
	}
	return c, nil
}

// WorkCenters returns the known work centers, sorted by ID.
func (c *Capacity) WorkCenters() []WorkCenter { return slices.Clone(c.wcs) }

// Available is the available hours of work center wc on date, a working
// day or not (the plan's calendar says which), exceptions applied.
func (c *Capacity) Available(wc string, date time.Time, working bool) float64 {
	k, ok := c.ix[wc]
	if !ok {
		if working {
			return WorkCenter{}.Daily()
		}
		return 0
	}
	if m := c.exc[k]; m != nil {
		if h, ok := m[dateOf(date)]; ok {
			return h
		}
	}
	if !working {
		return 0
	}
	return c.wcs[k].Daily()
}

// index is wc's index, len(c.wcs) for an unknown (default) one.
func (c *Capacity) index(wc string) int {
	if k, ok := c.ix[wc]; ok {
		return k
	}
	return len(c.wcs)
}

// availAt is Available for work center index k ([Capacity.index]).
func (c *Capacity) availAt(k int, date time.Time, working bool) float64 {
	if k < len(c.wcs) {
		if m := c.exc[k]; m != nil {
			if h, ok := m[date]; ok {
				return h
			}
		}
	}
	if !working {
		return 0
	}
	if k < len(c.wcs) {
		return c.wcs[k].Daily()
	}
	return WorkCenter{}.Daily()
}

// ReadCapacity reads the capacity of a plant directory: workcenters.csv
// (work_center, capacity_hours_per_day, and the optional units and
// efficiency_pct) and the optional capacity_exceptions.csv
// (work_center,date,hours[,reason]). A directory without workcenters.csv
// has only default work centers. Errors say file:row: column: problem.
func ReadCapacity(dir string) (*Capacity, error) {
	c, exc, _, err := readCapacity(dirFS(dir), "")
	if err != nil || c != nil {
		return c, err
	}
	// only default work centers: an exception names an unknown one
	return NewCapacity(nil, exc)
}

// readCapacity reads the capacity files of fsys, returning the
// exceptions too; found reports whether there was one. Without
// workcenters.csv the capacity is nil and the exceptions' work centers
// are not checked.
func readCapacity(fsys fs.FS, prefix string) (_ *Capacity, _ []CapacityException, found bool, _ error) {
	var wcs []WorkCenter
	haveWCs := false
	var exc []CapacityException
	var errs []error
	wcRows := map[string]int{}
	read := func(name string, fn func(c *csvReader, r io.Reader)) {
		readFS(fsys, prefix, &errs, name, func(file string, r io.Reader) error {
			found = true
			c := newCSVReader(file, r)
			fn(c, r)
			return errors.Join(c.errs...)
		})
	}
	read(WorkCentersFile, func(c *csvReader, r io.Reader) {
		haveWCs = true
		// the columns bom reads (description, rate_per_hour) are known too
		c.rows(r, []string{"work_center"}, []string{"work_center", "description", "rate_per_hour", "capacity_hours_per_day", "units", "efficiency_pct"}, func(row int, get func(string) string) {
			w := WorkCenter{ID: c.name(row, "work_center", get("work_center"))}
			w.HoursPerDay = c.hours(row, "capacity_hours_per_day", get("capacity_hours_per_day"), 24)
			if v := get("units"); v != "" {
				w.Units = int(c.qty(row, "units", v, true))
				if w.Units > bom.MaxUnits {
					c.fail(row, "units", "%d: want at most %d", w.Units, bom.MaxUnits)
				}
			}
			w.Efficiency = c.hours(row, "efficiency_pct", get("efficiency_pct"), 1000) / 100
			if prev, dup := wcRows[w.ID]; dup && w.ID != "" {
				c.fail(row, "work_center", "%s listed again (first on row %d)", w.ID, prev)
				return
			}
			wcRows[w.ID] = row
			wcs = append(wcs, w)
		})
	})
	read(CapacityExceptionsFile, func(c *csvReader, r io.Reader) {
		seen := map[string]int{}
		c.rows(r, []string{"work_center", "date", "hours"}, []string{"work_center", "date", "hours", "reason"}, func(row int, get func(string) string) {
			x := CapacityException{WorkCenter: c.name(row, "work_center", get("work_center")), Reason: get("reason")}
			x.Date = c.date(row, "date", get("date"))
			x.Hours = c.hours(row, "hours", get("hours"), maxHoursPerDay)
			if get("hours") == "" {
				c.fail(row, "hours", "empty")
			}
			if _, ok := wcRows[x.WorkCenter]; haveWCs && !ok && x.WorkCenter != "" {
				c.fail(row, "work_center", "%s is not in %s", x.WorkCenter, WorkCentersFile)
			}
			key := x.WorkCenter + "\x00" + x.Date.Format(time.DateOnly)
			if prev, dup := seen[key]; dup {
				c.fail(row, "date", "%s %s listed again (first on row %d)", x.WorkCenter, x.Date.Format(time.DateOnly), prev)
			}
			seen[key] = row
			exc = append(exc, x)
		})
	})
	if err := errors.Join(errs...); err != nil {
		return nil, nil, found, err
	}
	if !haveWCs {
		return nil, exc, found, nil
	}
	c, err := NewCapacity(wcs, exc)
	return c, exc, found, err
}

// hours parses an optional number of hours (or percent) in [0, limit];
// empty is 0.
func (c *csvReader) hours(row int, col, v string, limit float64) float64 {
	if v == "" {
		return 0
	}
	f, err := csvtext.Number(v)
	if err != nil {
		c.fail(row, col, "%v", err)
		return 0
	}
	if f < 0 || f > limit {
		c.fail(row, col, "%v: want a number in [0, %v]", f, limit)
		return 0
	}
	return f
}
