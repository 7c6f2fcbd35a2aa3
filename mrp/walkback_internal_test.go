package mrp

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestWalkBackLongOperation: walkBack reports the hours of an order whose
// operations run back past the compiled calendar (TestLongOperation-
// BeforeCalendar's item, 1,001 units of 10 h, then a second operation of
// 3 h a unit before it) in full and ending where scheduleBack starts each
// operation, with few calls however many days they span.
func TestWalkBackLongOperation(t *testing.T) {
	in := &Input{
		Items: []Item{{ID: "A", Kind: Make, LeadTime: 2, Operations: []Operation{
			{Seq: 10, WorkCenter: "V", RunHours: 3}, {Seq: 20, WorkCenter: "W", RunHours: 10}}}},
		Demands:  []Demand{{ID: "s", Item: "A", Qty: 1001, Due: time.Date(2027, 3, 29, 0, 0, 0, 0, time.UTC)}},
		Calendar: Calendar{Start: time.Date(2027, 3, 22, 0, 0, 0, 0, time.UTC), Horizon: 30},
	}
	p, err := New(in, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	it := &p.items[0]
	if len(it.due) != 1 {
		t.Fatalf("orders %v", it.due)
	}
	sched := p.scheduleBack(it, int(it.due[0]), it.qty[0])
	sum := make([]float64, 2)
	first := []int{math.MaxInt, math.MaxInt}
	calls := 0
	p.walkBack(routing(it), int(it.due[0]), it.qty[0], func(op, day int, hours float64) {
		sum[op] += hours
		first[op] = min(first[op], day)
		calls++
	})
	for op, want := range []float64{3 * 1001, 10 * 1001} {
		if math.Abs(sum[op]-want) > 1e-6 {
			t.Errorf("operation %d: %v h reported, want %v", op, sum[op], want)
		}
		if d := p.cal.date(first[op]); !d.Equal(time.Date(sched[op].Start.Year(), sched[op].Start.Month(), sched[op].Start.Day(), 0, 0, 0, 0, time.UTC)) {
			t.Errorf("operation %d: first day reported %s, scheduleBack starts it %s", op, d.Format(time.DateOnly), sched[op].Start)
		}
	}
	if calls > 400 {
		t.Errorf("%d calls for %d days", calls, it.due[0]-int32(first[0]))
	}
}

// TestOperationStopsAtYearOne: an operation longer than the days back to
// year 1 (1,000 h a unit for 10^9 units: 10^12 hours, ~342 million years
// of 8-hour days) starts at the shift start of 0001-01-02 (the earliest a
// date prints as RFC 3339 or a protobuf Timestamp) instead of a date that
// wrapped around (it started in the year -342,236,349, and a longer one in
// the year 242,315,675,407, after its end); walkBack still reports all its
// hours, the earliest on that day.
func TestOperationStopsAtYearOne(t *testing.T) {
	in := &Input{
		Items:    []Item{{ID: "A", Kind: Make, LeadTime: 2, Operations: []Operation{{Seq: 10, WorkCenter: "W", RunHours: 1000}}}},
		Demands:  []Demand{{ID: "s", Item: "A", Qty: 1_000_000_000, Due: time.Date(2027, 3, 29, 0, 0, 0, 0, time.UTC)}},
		Calendar: Calendar{Start: time.Date(2027, 3, 22, 0, 0, 0, 0, time.UTC), Horizon: 30},
	}
	p, err := New(in, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	it := &p.items[0]
	sched := p.scheduleBack(it, int(it.due[0]), it.qty[0])
	if s, e := sched[0].Start.Format(time.RFC3339), sched[0].End.Format(time.RFC3339); s != "0001-01-02T08:00:00Z" || e != "2027-03-29T16:00:00Z" || sched[0].Hours != 1e12 {
		t.Errorf("operation %s - %s, %v h; want 0001-01-02T08:00:00Z - 2027-03-29T16:00:00Z, 1e12 h", s, e, sched[0].Hours)
	}
	var sum float64
	first := math.MaxInt
	p.walkBack(routing(it), int(it.due[0]), it.qty[0], func(_, day int, hours float64) {
		sum += hours
		first = min(first, day)
	})
	if math.Abs(sum-1e12) > 1 || p.cal.date(first).Format(time.DateOnly) != "0001-01-02" {
		t.Errorf("walkBack: %v h from %s, want 1e12 h from 0001-01-02", sum, p.cal.date(first).Format(time.DateOnly))
	}
	// an operation of 10^9 hours a unit is refused, as bom refuses it
	in.Items[0].Operations[0].RunHours = MaxOpHours
	if _, err := New(in, DefaultOptions()); err == nil || !strings.Contains(err.Error(), "operation 10: hours setup 0 run 1e+09 not in [0, 1e+09)") {
		t.Errorf("run hours 1e9: %v", err)
	}
}
