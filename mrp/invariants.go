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
