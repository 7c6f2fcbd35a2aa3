package mrp_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/kv"
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

// TestStorePegLimit: a store's peg limit set by SetPegLimit holds when the
// planner is reloaded from the database (DropQuoted rereads it) and
// after a Reset, whose snapshot stores it: a store opened afresh lists
// with it.
func TestStorePegLimit(t *testing.T) {
	ctx := context.Background()
	c := plantgen.Default(150)
	c.Demands = 300
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	db := kv.NewMemory()
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	// the order serving the most demands
	var id string
	most := 0
	st.Planner().EachOrder(false, false, func(o *mrp.OrderLine) error {
		sh, _, err := st.Planner().PeggedDemands(o.ID())
		if err == nil && len(sh) > most {
			id, most = o.ID(), len(sh)
		}
		return nil
	})
	if most < 3 {
		t.Fatalf("at most %d demands an order: the plant does not try the limit", most)
	}
	listed := func(p *mrp.Planner) (int, float64) {
		sh, rest, err := p.PeggedDemands(id)
		if err != nil {
			t.Fatal(err)
		}
		return len(sh), rest
	}
	st.SetPegLimit(2)
	for step, f := range []func() error{
		func() error { return nil },
		func() error { return st.DropQuoted(ctx) },
		func() error { return st.Reset(ctx, in) },
	} {
		if err := f(); err != nil {
			t.Fatal(err)
		}
		if n, rest := listed(st.Planner()); n != 2 || rest <= 0 {
			t.Fatalf("step %d: %s lists %d demands, rest %g; want 2 and a rest", step, id, n, rest)
		}
	}
	again, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := listed(again.Planner()); n != 2 {
		t.Fatalf("reopened: %s lists %d demands, want 2", id, n)
	}
	again.SetPegLimit(-1)
	if n, rest := listed(again.Planner()); n != most || rest != 0 {
		t.Fatalf("no limit: %s lists %d demands, rest %g; want %d, 0", id, n, rest, most)
	}
}
