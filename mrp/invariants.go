package mrp

import (
	"fmt"
	"slices"
)

// checkNetChangeMaxSize bounds the plans (items plus demands) whose every
// net change is checked against a regenerative run when invariants are
// enabled: the check costs a full [New] per change, so a test that grows a
// plan by thousands of writes (the disk-full fault test under -race) would
// otherwise turn quadratic.
const checkNetChangeMaxSize = 2000

// checkNetChange panics when the plan after a net change differs from a
// regenerative run of the same inputs ([Planner.Apply] promises they are
// equal). It is called only when invariants are enabled (-race or -tags
// invariants); a difference is a bug in net change, never bad input.
func (p *Planner) checkNetChange() {
	q, err := New(p.Input(), p.opts)
	if err != nil {
		panic("mrp: invariant: the inputs after a net change do not plan: " + err.Error())
	}
	if msg := planDiff(p, q); msg != "" {
		panic("mrp: invariant: net change differs from a regenerative run: " + msg)
	}
}

// planDiff describes the first item whose planned orders (due days and
// quantities) differ between p and q, or returns "".
func planDiff(p, q *Planner) string {
	if len(p.items) != len(q.items) {
		return fmt.Sprintf("%d items, regenerative %d", len(p.items), len(q.items))
	}
	for i := range p.items {
		a := &p.items[i]
		k, ok := q.index[a.in.ID]
		if !ok {
			return fmt.Sprintf("item %s missing from the regenerative plan", a.in.ID)
		}
		b := &q.items[k]
		if !slices.Equal(a.due, b.due) || !slices.Equal(a.qty, b.qty) {
			return fmt.Sprintf("item %s: orders due %v qty %v, regenerative due %v qty %v", a.in.ID, a.due, a.qty, b.due, b.qty)
		}
	}
	return ""
}

// checkEarliest panics unless day is the earliest day from want on by
// which q of the request's top item can be had: feasible on day, and not
// on the day before (when that is want or later). The binary search of
// [Planner.Promise] keeps exactly these two facts about its bounds, so a
// failure is a bug in the search or in feasible (an answer that depends on
// the tests before it: tentative capacity not given back, a free-supply
// table changed by a test), never bad input. It is called only when
// invariants are enabled (-race or -tags invariants).
func (c *ctp) checkEarliest(r *request, q int64, want, day int) {
	name := c.p.items[r.order[0]].in.ID
	if ok, _ := c.feasible(r, q, day); !ok {
		panic(fmt.Sprintf("mrp: invariant: promise of %d %s: day %d is not feasible on a second test", q, name, day))
	}
	if day > want {
		if ok, _ := c.feasible(r, q, day-1); ok {
			panic(fmt.Sprintf("mrp: invariant: promise of %d %s: day %d is not the earliest (day %d is feasible)", q, name, day, day-1))
		}
	}
}
