package etcd_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

var fullFootprint = flag.Bool("footprint.full", false,
	"TestFootprint at the sizes docs/deploy.md quotes (1,000 variants, 10,000 items; about 15 s of CPU)")

// footprint counts the keys of db and the bytes of their keys and values,
// and logs the largest value (it must fit one etcd request).
func footprint(t testing.TB, db kv.DB) (keys, bytes int) {
	t.Helper()
	big, bigKey := 0, ""
	if err := db.View(ctx, func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error {
			keys++
			bytes += len(k) + len(v)
			if len(v) > big {
				big, bigKey = len(v), string(k)
			}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	t.Logf("largest value: %d bytes (%q)", big, bigKey)
	return keys, bytes
}

// etcdBytes is what n keys of b bytes take as etcd keys and values under
// the default prefix: "ctoplan/d" before each key and the tag byte before
// each value (MVCC history and etcd's own index come on top; see
// docs/deploy.md).
func etcdBytes(n, b int) int { return b + n*(len("ctoplan/d")+1) }

// TestFootprint measures what the stores write (docs/deploy.md, sizing):
// the forklift BOM and 1,000 resolved variants, and a generated plant of
// 10,000 items, written through bom.Store and mrp.Store into a memory
// store. It checks that resolving the same configurations again writes
// nothing (variants are content-addressed) and that every new variant
// wrote something.
func TestFootprint(t *testing.T) {
	dir := "../../testdata/forklift"
	d, err := bom.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	models, err := bom.LoadModels(dir)
	if err != nil {
		t.Fatal(err)
	}
	db := kv.NewMemory()
	defer db.Close()
	s, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, d, models); err != nil {
		t.Fatal(err)
	}
	k0, b0 := footprint(t, db)
	top := ""
	for _, it := range d.Items {
		if it.Model == "forklift" && top == "" {
			top = it.ID
		}
	}
	c, err := s.Model("forklift")
	if err != nil {
		t.Fatal(err)
	}
	nVariants, nItems := footprintVariants, footprintItems
	if *fullFootprint {
		nVariants, nItems = 1000, 10000
	}
	cfgs := drawConfigs(t, c, nVariants)
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ids := map[string]bool{}
	for _, cfg := range cfgs {
		v, err := s.Resolve(ctx, top, cfg, at)
		if err != nil {
			t.Fatal(err)
		}
		ids[v.ID] = true
	}
	k1, b1 := footprint(t, db)
	for _, cfg := range cfgs {
		if _, err := s.Resolve(ctx, top, cfg, at); err != nil {
			t.Fatal(err)
		}
	}
	if k2, b2 := footprint(t, db); k2 != k1 || b2 != b1 {
		t.Fatalf("resolving the same configurations again wrote %d keys, %d bytes", k2-k1, b2-b1)
	}
	if k1-k0 < len(ids) {
		t.Fatalf("%d distinct variants wrote only %d keys", len(ids), k1-k0)
	}
	per := func(x, n int) float64 { return float64(x) * 1000 / float64(n) }
	t.Logf("forklift master data: %d keys, %d bytes (%d in etcd)", k0, b0, etcdBytes(k0, b0))
	t.Logf("%d distinct variants of %d configurations: %d keys, %d bytes; per 1,000 variants: %.0f keys, %.0f bytes (%.0f in etcd)",
		len(ids), len(cfgs), k1-k0, b1-b0, per(k1-k0, len(ids)), per(b1-b0, len(ids)), per(etcdBytes(k1-k0, b1-b0), len(ids)))

	in, err := plantgen.Generate(plantgen.Default(nItems))
	if err != nil {
		t.Fatal(err)
	}
	pdb := kv.NewMemory()
	defer pdb.Close()
	if _, err := mrp.CreateStore(ctx, pdb, in, mrp.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	pk, pb := footprint(t, pdb)
	if pk < nItems {
		t.Fatalf("a plant of %d items stored %d keys", nItems, pk)
	}
	byKind := map[string]int{}
	pdb.View(ctx, func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error {
			p := string(k)
			if i := strings.LastIndexByte(p, '/'); i >= 0 {
				p = p[:i]
			}
			byKind[p]++
			return nil
		})
	})
	t.Logf("plant of %d items (%d demands, %d receipts): %d keys, %d bytes (%d in etcd); per 10,000 items: %.0f keys, %.0f bytes; keys by prefix %v",
		nItems, len(in.Demands), len(in.Receipts), pk, pb, etcdBytes(pk, pb), float64(pk)*1e4/float64(nItems), float64(pb)*1e4/float64(nItems), byKind)
}

// drawConfigs draws up to n valid configurations of c: characteristics in
// random order each get a random value when Check says it still fits,
// then Complete fills in the rest.
func drawConfigs(t testing.TB, c *configurator.Compiled, n int) []configurator.Configuration {
	r := rand.New(rand.NewPCG(7, 1))
	m := c.Model()
	var out []configurator.Configuration
	for len(out) < n {
		var picks []configurator.Pick
		for _, i := range r.Perm(len(m.Chars)) {
			ch := m.Chars[i]
			dom := ch.Domain()
			if len(dom) == 0 || ch.Kind == configurator.Multi || r.IntN(4) == 0 {
				continue
			}
			try := append(picks[:len(picks):len(picks)], configurator.Pick{Char: ch.Name, Value: dom[r.IntN(len(dom))]})
			res, err := c.Check(ctx, try)
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid {
				picks = try
			}
		}
		cfg, err := c.Complete(ctx, picks)
		if err != nil {
			t.Fatal(fmt.Errorf("complete %v: %w", picks, err))
		}
		out = append(out, cfg)
	}
	return out
}
