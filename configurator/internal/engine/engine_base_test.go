package engine

import (
	"context"
	"fmt"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/model"
)

// The first propagation with nothing picked solves the base solver in
// place; queries after it, fresh copies and a model without valid
// configurations (whose solver is not kept) still get a never-solved base.
func TestTakeBase(t *testing.T) {
	ctx := context.Background()
	c, err := Compile(chainModel())
	if err != nil {
		t.Fatal(err)
	}
	f := c.fresh()
	d, err := c.Propagate(ctx, nil)
	if err != nil || !d.Valid {
		t.Fatal(err, d.Conflict)
	}
	if c.base != nil || c.strong == nil {
		t.Fatalf("after the first propagation: base taken %v, strong kept %v", c.base == nil, c.strong != nil)
	}
	// A fresh copy of c after the base was taken rebuilds it from the
	// clauses; its answers are the same.
	g := c.fresh()
	for _, x := range []*Compiled{f, g} {
		e, err := x.Propagate(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(e.Valid, e.Chars) != fmt.Sprint(d.Valid, d.Chars) {
			t.Fatalf("fresh copy answers %v, the original %v", e.Chars, d.Chars)
		}
		res, err := x.Check(ctx, []Pick{{Char: "a", Value: "2"}})
		if err != nil || res.Valid {
			t.Fatalf("a=2 is dead, Check says valid %v (%v)", res.Valid, err)
		}
	}

	// No valid configuration: chainModel plus a table allowing a=2 only
	// (a=2 is dead). The propagation's unsat solver is not kept; Check
	// after it needs the base rebuilt.
	m := chainModel()
	m.AddTable("only2", model.Allowed, "a").AddRowValues("2")
	u, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		d, err := u.Propagate(ctx, nil)
		if err != nil || d.Valid || d.Conflict == nil {
			t.Fatalf("unsatisfiable model: valid %v, conflict %v, %v", d.Valid, d.Conflict, err)
		}
		res, err := u.Check(ctx, nil)
		if err != nil || res.Valid || res.Conflict == nil {
			t.Fatalf("unsatisfiable model: Check valid %v, %v", res.Valid, err)
		}
	}
	if u.strong != nil {
		t.Fatal("an unsatisfiable model keeps a strong solver")
	}
}
