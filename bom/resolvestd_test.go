package bom_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
)

// capDB is a kv.DB whose Update fails with kv.ErrTxnTooBig, writing
// nothing, when its function sets more than max keys: a store that cannot
// take a batch of variants in one transaction.
type capDB struct {
	kv.DB
	max   int
	fails int
}

type countTxn struct {
	kv.Txn
	n int
}

func (t *countTxn) Set(k, v []byte) error { t.n++; return t.Txn.Set(k, v) }

func (d *capDB) Update(c context.Context, fn func(kv.Txn) error) error {
	return d.DB.Update(c, func(txn kv.Txn) error {
		ct := &countTxn{Txn: txn}
		if err := fn(ct); err != nil {
			return err
		}
		if ct.n > d.max {
			d.fails++
			return kv.ErrTxnTooBig
		}
		return nil
	})
}

// stdData is the cart data plus n standard assemblies STD<k>, each built
// of the previous one (a chain), a SHEET and a WHEELASM: more items than
// one batch of ResolveStandard, sharing sub-assembly parts; and 300
// assemblies WIDE<k> of STD0010 (one level, more than one batch).
func stdData(n int) *bom.Data {
	d := cartData()
	for k := range n {
		id := fmt.Sprintf("STD%04d", k)
		d.Items = append(d.Items, &bom.Item{ID: id, UOM: "pc", Kind: bom.Make, LeadTimeDays: 1})
		d.Lines = append(d.Lines,
			&bom.Line{Parent: id, Component: "SHEET", Qty: float64(1 + k%3)},
			&bom.Line{Parent: id, Component: "WHEELASM", Qty: 2})
		if k > 0 {
			d.Lines = append(d.Lines, &bom.Line{Parent: id, Component: fmt.Sprintf("STD%04d", k-1), Qty: 1})
		}
	}
	// a wide level: 300 assemblies on top of STD0010
	for k := range 300 {
		id := fmt.Sprintf("WIDE%03d", k)
		d.Items = append(d.Items, &bom.Item{ID: id, UOM: "pc", Kind: bom.Make, LeadTimeDays: 1})
		d.Lines = append(d.Lines,
			&bom.Line{Parent: id, Component: "STD0010", Qty: float64(1 + k)},
			&bom.Line{Parent: id, Component: "SHEET", Qty: 1})
	}
	return d
}

// TestResolveStandardEqualsResolve: ResolveStandard of many items gives,
// item by item, what Resolve gives on a store of its own (the same root
// node, the same kind of error for a configurable or unknown item), and
// leaves the store holding exactly what resolving them one at a time
// stores (key for key); a second call is served from what the first
// stored. On a store that rejects every batch as too big, each item is
// stored in a transaction of its own instead, with the same result.
func TestResolveStandardEqualsResolve(t *testing.T) {
	items := []string{"CART", "NOPE", "HANDLE"}
	for k := 599; k >= 0; k-- {
		items = append(items, fmt.Sprintf("STD%04d", k))
	}
	for k := range 300 {
		items = append(items, fmt.Sprintf("WIDE%03d", k))
	}
	items = append(items, "BODY-S", "WHEELASM", "SHEET", "STD0007") // STD0007 twice
	for _, c := range []struct {
		name string
		max  int // keys per transaction the store takes (0: no limit)
	}{{"memory", 0}, {"batches too big", 3}} {
		t.Run(c.name, func(t *testing.T) {
			open := func(max int) (*bom.Store, kv.DB, *capDB) {
				var db kv.DB = kv.NewMemory()
				var cd *capDB
				if max > 0 {
					cd = &capDB{DB: db, max: 1 << 30} // the import is one transaction
					db = cd
				}
				s, err := bom.Open(ctx, db)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Import(ctx, stdData(600), cartModels(t)); err != nil {
					t.Fatal(err)
				}
				if cd != nil {
					cd.max = max
				}
				return s, db, cd
			}
			s, db, cd := open(c.max)
			one, oneDB, _ := open(0)
			vs, errs := s.ResolveStandard(ctx, items, today)
			if len(vs) != len(items) || len(errs) != len(items) {
				t.Fatalf("%d variants and %d errors for %d items", len(vs), len(errs), len(items))
			}
			for k, id := range items {
				want, werr := one.Resolve(ctx, id, nil, today)
				switch {
				case werr != nil:
					if errs[k] == nil || vs[k] != nil {
						t.Fatalf("%s: got %v, %v; Resolve fails: %v", id, vs[k], errs[k], werr)
					}
					for _, e := range []error{bom.ErrNotFound, bom.ErrNotConfigurable} {
						if errors.Is(werr, e) != errors.Is(errs[k], e) {
							t.Fatalf("%s: error %v, Resolve's %v", id, errs[k], werr)
						}
					}
				case errs[k] != nil:
					t.Fatalf("%s: %v; Resolve gives %v", id, errs[k], want.Root)
				case vs[k].Root != want.Root || vs[k].ID != want.ID:
					t.Fatalf("%s: variant %s root %v, Resolve's %s root %v", id, vs[k].ID, vs[k].Root, want.ID, want.Root)
				}
			}
			if c.max > 0 && cd.fails == 0 {
				t.Fatal("no batch was too big: the fallback was not exercised")
			}
			if got, want := dumpKV(t, db), dumpKV(t, oneDB); got != want {
				t.Fatalf("the store holds other keys than resolving one by one stores (%d vs %d bytes of dump)", len(got), len(want))
			}
			// stored and cached: a second call writes nothing
			before := dumpKV(t, db)
			vs2, errs2 := s.ResolveStandard(ctx, items, today)
			for k := range items {
				if (errs2[k] == nil) != (errs[k] == nil) || (vs[k] != nil && vs2[k].Root != vs[k].Root) {
					t.Fatalf("%s: second call %v, %v; first %v, %v", items[k], vs2[k], errs2[k], vs[k], errs[k])
				}
			}
			if dumpKV(t, db) != before {
				t.Fatal("the second call wrote to the store")
			}
			// what was stored serves a new Store on the same DB
			re, err := bom.Open(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range vs {
				if v == nil {
					continue
				}
				for _, n := range v.Nodes() {
					if _, err := re.Node(n.Hash); err != nil {
						t.Fatalf("%s: node %v: %v", items[k], n.Hash, err)
					}
				}
			}
		})
	}
}

// TestVariantOnStoredSubassemblies: a variant resolved on sub-assemblies
// stored before (ResolveStandard bottom up: each STD<k> on STD<k-1>'s
// node) holds the nodes below them only once read; read from several
// goroutines at once, its nodes, explosion, size and cumulative lead time
// equal those of the same item resolved alone on a fresh store.
func TestVariantOnStoredSubassemblies(t *testing.T) {
	open := func() *bom.Store {
		s, err := bom.Open(ctx, kv.NewMemory())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Import(ctx, stdData(60), cartModels(t)); err != nil {
			t.Fatal(err)
		}
		return s
	}
	s, one := open(), open()
	items := []string{"STD0059", "STD0030", "WIDE007", "STD0001", "WHEELASM"}
	var all []string
	for k := range 60 {
		all = append(all, fmt.Sprintf("STD%04d", k))
	}
	all = append(all, items...)
	vs, errs := s.ResolveStandard(ctx, all, today)
	text := func(v *bom.Variant) string {
		var b strings.Builder
		for _, n := range v.Nodes() {
			fmt.Fprintf(&b, "%s %s %d\n", n.Hash, n.Item, len(n.Lines))
		}
		lines, err := v.Explode(2)
		if err != nil {
			t.Error(err)
		}
		fmt.Fprintf(&b, "%v\n%d\n", lines, v.Size())
		d, path := v.CumulativeLeadTime()
		fmt.Fprintf(&b, "%v %v\n", d, path)
		return b.String()
	}
	for k, id := range all[60:] {
		k += 60
		if errs[k] != nil {
			t.Fatalf("%s: %v", id, errs[k])
		}
		want, err := one.Resolve(ctx, id, nil, today)
		if err != nil {
			t.Fatal(err)
		}
		w := text(want)
		got := make([]string, 4)
		var wg sync.WaitGroup
		for g := range got {
			wg.Add(1)
			go func() { defer wg.Done(); got[g] = text(vs[k]) }()
		}
		wg.Wait()
		for _, g := range got {
			if g != w {
				t.Fatalf("%s: read on stored sub-assemblies:\n%.600s\nresolved alone:\n%.600s", id, g, w)
			}
		}
		if id == "STD0059" && strings.Count(w, "\n") < 60 {
			t.Fatalf("%s: %d lines: the chain is not below it", id, strings.Count(w, "\n"))
		}
	}
}
