package mrp_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestPeggedDemandsAt: the pegging of the order at a scan's position is
// that of the order by its ID, for every order of a generated plant (peg
// limit 3, so that rests show); a position off the plan is not found.
func TestPeggedDemandsAt(t *testing.T) {
	in, _ := finitePlant(t, 5)
	o := mrp.DefaultOptions()
	o.PegLimit = 3
	p, err := mrp.New(in, o)
	if err != nil {
		t.Fatal(err)
	}
	n, rests := 0, 0
	if err := p.ScanOrders(mrp.Pos{}, "", nil, func(at mrp.Pos, o mrp.PlannedOrder) bool {
		sh, rest, err1 := p.PeggedDemandsAt(at)
		want, wrest, err2 := p.PeggedDemands(o.ID)
		if err1 != nil || err2 != nil || fmt.Sprint(sh) != fmt.Sprint(want) || rest != wrest {
			t.Fatalf("%s at %v: %v %v %v, by ID %v %v %v", o.ID, at, sh, rest, err1, want, wrest, err2)
		}
		n++
		if rest > 0 {
			rests++
		}
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if n < 1000 || rests == 0 {
		t.Fatalf("%d orders, %d with a rest: too few", n, rests)
	}
	for _, at := range []mrp.Pos{{Item: -1}, {Item: len(in.Items)}, {Item: 0, K: -1}, {Item: 0, K: 1 << 20}} {
		if _, _, err := p.PeggedDemandsAt(at); !errors.Is(err, mrp.ErrNotFound) {
			t.Errorf("position %v: %v, want ErrNotFound", at, err)
		}
	}
}
