package mrp

import (
	"math"
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
