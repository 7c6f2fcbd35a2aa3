package mrp_test

import (
	"encoding/json"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// planBytes is everything the plan says, serialized.
func planBytes(t *testing.T, p *mrp.Planner) []byte {
	t.Helper()
	b, err := json.Marshal(struct {
		Orders     []mrp.PlannedOrder
		Exceptions []mrp.Exception
		Input      *mrp.Input
	}{p.AllOrders(), p.Exceptions(), p.Input()})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestWhatIfHandWorked: the capacity case with WC2 closed on Monday
// (day 0). Without the rush order A's order for SO1 (10 units due
// Wednesday) fits backwards: op 20 WC2 6 h Wednesday + 4 h Tuesday, op 10
// WC1 4 h Tuesday (its exception) + 2 h Monday: SO1 on 12-02.
//
// Rush: 4 A due Tuesday, priority 9: its order goes first: op 20 4 h on
// WC2 Tuesday (2 h left), op 10 1 + 0.5 x 4 = 3 h on WC1 Tuesday (1 h
// left): promised Tuesday, on time. SO1's order then: op 20 10 h on WC2
// backwards: 6 h Wednesday, 2 h Tuesday, Monday closed: does not fit;
// forwards from Monday: op 10 6 h on WC1 Monday, op 20 2 h Tuesday, 6 h
// Wednesday, 2 h Thursday: SO1 on 12-03, one day later (and late).
func TestWhatIfHandWorked(t *testing.T) {
	p := capacityPlant(t)
	c, err := mrp.NewCapacity([]mrp.WorkCenter{{ID: "WC1"}, {ID: "WC2", HoursPerDay: 4, Units: 2, Efficiency: 0.75}},
		[]mrp.CapacityException{{WorkCenter: "WC1", Date: day(1), Hours: 4}, {WorkCenter: "WC2", Date: day(0)}})
	if err != nil {
		t.Fatal(err)
	}
	before := planBytes(t, p)
	rush := mrp.Rush{Demand: mrp.Demand{ID: "RUSH", Item: "A", Qty: 4, Due: day(1), Priority: 9}}
	a, err := p.WhatIf(c, nil, rush)
	if err != nil {
		t.Fatal(err)
	}
	if string(planBytes(t, p)) != string(before) {
		t.Fatal("what-if changed the plan")
	}
	if a.Promised != day(1) || a.LateDays != 0 {
		t.Errorf("promised %v late %d, want %v on time", a.Promised, a.LateDays, day(1))
	}
	if len(a.Delayed) != 1 || a.Delayed[0] != (mrp.Delay{Demand: "SO1", Before: day(2), After: day(3), Days: 1, LateBefore: 0, Late: 1}) {
		t.Errorf("delayed %+v", a.Delayed)
	}
	// accept: the plan's own finite schedule now says what the what-if said
	if _, err := p.Apply(a.Accept()...); err != nil {
		t.Fatal(err)
	}
	s, err := p.FiniteSchedule(c)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]int{"RUSH": 1, "SO1": 3} {
		if d, err := s.Delivery(id); err != nil || d.ExpectedDay != want {
			t.Errorf("after accepting: %s %+v %v, want day %d", id, d, err, want)
		}
	}
	if _, err := p.WhatIf(c, nil, rush); err == nil {
		t.Error("a rush order with an existing ID: no error")
	}
}

// TestWhatIfForklift asks for 20 more of the story's truck two weeks
// before its order is due, at a high priority, and checks the plan is
// untouched.
func TestWhatIfForklift(t *testing.T) {
	in := forkliftInput(t)
	p := plan(t, in)
	c, err := mrp.ReadCapacity(forkliftDir)
	if err != nil {
		t.Fatal(err)
	}
	var truck mrp.Demand
	for _, d := range in.Demands {
		if d.ID == "SO-27-0011" {
			truck = d
		}
	}
	before := planBytes(t, p)
	a, err := p.WhatIf(c, nil, mrp.Rush{Demand: mrp.Demand{ID: "RUSH-1", Item: truck.Item, Qty: 20, Due: truck.Due.AddDate(0, 0, -14), Priority: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if string(planBytes(t, p)) != string(before) {
		t.Fatal("what-if changed the plan")
	}
	if a.Promised.Before(a.Requested) || (a.LateDays > 0) != a.Promised.After(a.Requested) {
		t.Errorf("answer %+v", a)
	}
	t.Logf("promised %s (requested %s, late %d: %s); delayed %+v", a.Promised.Format("2006-01-02"), a.Requested.Format("2006-01-02"), a.LateDays, a.Reason, a.Delayed)
}
