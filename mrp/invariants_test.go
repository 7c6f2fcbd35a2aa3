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
