package plantgen

import (
	"fmt"
	"math"
	"slices"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/mrp"
)

// unitHours is the working time of one unit (machine or person) of a
// generated work center a day: one shift.
const unitHours = 8

// WorkCenters returns the work centers the routings of in name, sorted,
// each with as many units of one 8-hour shift as carry its mean load at
// utilization util (0 < util <= 1): the load the plan of in puts on it
// over the horizon (infinite loading, [mrp.Planner.CapacityLoad]), per
// working day. So a generated plant's capacity is in proportion to its
// orders, as a real plant's roughly is: its busy days overloaded, its
// quiet ones not. With one unit each, the work centers of a 10,000-item
// default plant were overloaded by four orders of magnitude, every order
// of a finite schedule years late. A work center has at most
// bom.MaxUnits units: a plant whose orders need more (deep BOMs whose
// quantities per multiply up) is overloaded there.
func WorkCenters(in *mrp.Input, util float64) ([]mrp.WorkCenter, error) {
	if !(util > 0 && util <= 1) {
		return nil, fmt.Errorf("plantgen: utilization %v not in (0, 1]", util)
	}
	var names []string
	for _, it := range in.Items {
		for _, op := range it.Operations {
			if !slices.Contains(names, op.WorkCenter) {
				names = append(names, op.WorkCenter)
			}
		}
	}
	slices.Sort(names)
	wcs := make([]mrp.WorkCenter, len(names))
	for k, n := range names {
		wcs[k] = mrp.WorkCenter{ID: n, HoursPerDay: unitHours, Units: 1}
	}
	if len(wcs) == 0 {
		return wcs, nil
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		return nil, fmt.Errorf("plantgen: work centers: %w", err)
	}
	c, err := mrp.NewCapacity(wcs, nil)
	if err != nil {
		return nil, fmt.Errorf("plantgen: work centers: %w", err)
	}
	l := p.CapacityLoad(c)
	for k := range wcs {
		var load float64
		days := 0
		for _, b := range l.Days(wcs[k].ID, in.Calendar.Start, in.Calendar.Start.AddDate(0, 0, in.Calendar.Horizon)) {
			load += b.Load
			if b.Available > 0 {
				days++
			}
		}
		if days > 0 {
			u := math.Ceil(load / float64(days) / (unitHours * util))
			wcs[k].Units = int(max(1, min(u, bom.MaxUnits)))
		}
	}
	return wcs, nil
}

// Utilization is the share of its capacity a work center of a plant
// WriteCSV writes is loaded on a mean working day.
const Utilization = 0.85
