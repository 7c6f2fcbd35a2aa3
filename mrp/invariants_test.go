package mrp_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestNetChangeInvariantCatchesBrokenPlan: the net-change invariant
// (checked after every Apply under -race or -tags invariants) passes on a
// sound plan and panics, naming the item, on a plan that a net change bug
// left different from a regenerative run.
func TestNetChangeInvariantCatchesBrokenPlan(t *testing.T) {
	p, err := mrp.New(smallPlant(t, 3, 40), mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	mrp.CheckNetChange(p) // sound: must not panic
	broken := ""
	for _, id := range p.Items() {
		if mrp.BreakPlan(p, id) {
			broken = id
			break
		}
	}
	if broken == "" {
		t.Fatal("the test plant has no planned orders")
	}
	msg := func() (msg string) {
		defer func() { msg = fmt.Sprint(recover()) }()
		mrp.CheckNetChange(p)
		return "no panic"
	}()
	if !strings.Contains(msg, "net change differs from a regenerative run") || !strings.Contains(msg, "item "+broken+":") {
		t.Errorf("broken plan of %s: got %q", broken, msg)
	}
}

// TestPromiseInvariantCatchesWrongDay: the promise invariant (checked
// after every Promise under -race or -tags invariants) passes on the
// answer of TestPromiseCapacityHandWorked's second case (2 P wanted
// Tuesday, day 1: day 7 with capacity, day 1 without) and panics on a day
// that is not feasible (day 6: no free hours from day 0 to 6 but Monday's
// 4) or not the earliest (day 8: day 7 is feasible).
func TestPromiseInvariantCatchesWrongDay(t *testing.T) {
	p := plan(t, &mrp.Input{
		Items:    []mrp.Item{{ID: "P", Kind: mrp.Make, LeadTime: 1, Operations: []mrp.Operation{{Seq: 10, WorkCenter: "WC", RunHours: 4}}}},
		Demands:  []mrp.Demand{dem("SO1", "P", 9, 4)},
		Calendar: mrp.Calendar{Start: monday, Horizon: 14},
	})
	c, err := mrp.NewCapacity([]mrp.WorkCenter{{ID: "WC", HoursPerDay: 8}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	check := func(c *mrp.Capacity, day int) (msg string) {
		defer func() {
			if r := recover(); r != nil {
				msg = fmt.Sprint(r)
			}
		}()
		if err := mrp.CheckPromiseEarliest(p, c, "P", 2, 1, day); err != nil {
			t.Fatal(err)
		}
		return ""
	}
	for _, tc := range []struct {
		c    *mrp.Capacity
		day  int
		want string
	}{
		{c, 7, ""},
		{nil, 1, ""},
		{c, 6, "day 6 is not feasible"},
		{c, 8, "day 8 is not the earliest (day 7 is feasible)"},
		{nil, 2, "day 2 is not the earliest (day 1 is feasible)"},
	} {
		if got := check(tc.c, tc.day); (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("capacity %v, day %d: got %q, want %q", tc.c != nil, tc.day, got, tc.want)
		}
	}
}
