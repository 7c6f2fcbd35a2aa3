package bom_test

import (
	"testing"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
)

// TestResolveTransient: resolving every cart configuration without storing
// leaves the store byte for byte as it was, and gives what Resolve gives
// (id, root, nodes, cost, lead time); Resolve afterwards stores them, and
// ResolveTransient then returns the stored variant.
func TestResolveTransient(t *testing.T) {
	db := kv.NewMemory()
	s, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, cartData(), cartModels(t)); err != nil {
		t.Fatal(err)
	}
	before := dumpKV(t, db)
	var transient []*bom.Variant
	for _, c := range allCarts() {
		v, err := s.ResolveTransient(ctx, "CART", c, today)
		if err != nil {
			t.Fatal(err)
		}
		transient = append(transient, v)
	}
	if after := dumpKV(t, db); after != before {
		t.Fatalf("ResolveTransient wrote to the store:\n%s\nthen\n%s", before, after)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Variants != 0 || st.Nodes != 0 {
		t.Fatalf("after transient resolves: %d variants, %d nodes stored", st.Variants, st.Nodes)
	}
	for i, c := range allCarts() {
		tv := transient[i]
		if _, err := s.Variant(ctx, tv.ID); err == nil {
			t.Fatalf("transient variant %s can be looked up", tv.ID)
		}
		v, err := s.Resolve(ctx, "CART", c, today)
		if err != nil {
			t.Fatal(err)
		}
		td, tp := tv.CumulativeLeadTime()
		d, p := v.CumulativeLeadTime()
		if v.ID != tv.ID || v.Root != tv.Root || len(v.Nodes()) != len(tv.Nodes()) || v.Cost(5) != tv.Cost(5) || d != td || len(p) != len(tp) {
			t.Errorf("config %v: Resolve %s root %s, %d nodes, cost %v, lead time %v; transient %s root %s, %d nodes, cost %v, lead time %v",
				c, v.ID, v.Root, len(v.Nodes()), v.Cost(5), d, tv.ID, tv.Root, len(tv.Nodes()), tv.Cost(5), td)
		}
		again, err := s.ResolveTransient(ctx, "CART", c, today)
		if err != nil || again != v {
			t.Errorf("config %v: ResolveTransient after Resolve: %p %v, want the stored %p", c, again, err, v)
		}
	}
	if st, err = s.Stats(ctx); err != nil || st.Variants != len(allCarts()) {
		t.Errorf("after Resolve: %d variants (%v), want %d", st.Variants, err, len(allCarts()))
	}
}
