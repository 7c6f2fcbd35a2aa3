package bom_test

import (
	"testing"

	"github.com/ctoplan/ctoplan/bom"
)

// TestForklift imports the demo data from its CSV files and resolves a
// random sample of valid configurations: all resolve, identical
// sub-assemblies are shared, and resolving them again adds nothing.
func TestForklift(t *testing.T) {
	ds, ok := forkliftDataset(t)
	if !ok {
		t.Fatal("testdata/forklift has no CSV files (the demo data is part of the repository)")
	}
	s, _ := newStore(t)
	if err := s.ImportDir(ctx, ds.dir, ""); err != nil {
		t.Fatal(err)
	}
	c, err := s.Model(modelOf(ds))
	if err != nil {
		t.Fatal(err)
	}
	n := 60
	if testing.Short() {
		n = 10
	}
	cfgs := randomConfigs(t, c, 5, n)
	ids := map[string]bool{}
	nodes := map[bom.Hash]bool{}
	unshared := 0
	for _, cfg := range cfgs {
		v, err := s.Resolve(ctx, ds.item, cfg, today)
		if err != nil {
			t.Fatal(err)
		}
		if !ids[v.ID] {
			unshared += len(v.Nodes())
		}
		ids[v.ID] = true
		for _, nd := range v.Nodes() {
			nodes[nd.Hash] = true
		}
		if c := v.Cost(1); c.Total() <= 0 || c.Material <= 0 || c.Run <= 0 {
			t.Errorf("implausible truck cost %+v", c)
		}
		if days, path := v.CumulativeLeadTime(); days <= 0 || len(path) < 3 {
			t.Errorf("implausible lead time %v along %v", days, path)
		}
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Variants != len(ids) || st.Nodes != len(nodes) {
		t.Errorf("stored %d variants, %d nodes; resolved %d distinct variants with %d distinct nodes", st.Variants, st.Nodes, len(ids), len(nodes))
	}
	if len(nodes) >= unshared {
		t.Errorf("no sharing: %d distinct nodes for %d node uses", len(nodes), unshared)
	}
	t.Logf("%d configurations: %d variants, %d distinct nodes (%d without sharing), %d node bytes", len(cfgs), len(ids), len(nodes), unshared, st.NodeBytes)
	for _, cfg := range cfgs {
		if _, err := s.Resolve(ctx, ds.item, cfg, today); err != nil {
			t.Fatal(err)
		}
	}
	if again, _ := s.Stats(ctx); again != st {
		t.Errorf("resolving the same configurations again changed the store: %+v -> %+v", st, again)
	}
}
