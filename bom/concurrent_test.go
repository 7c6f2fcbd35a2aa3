package bom_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
)

// TestConcurrentResolveStress: many goroutines resolve overlapping
// configurations on a fresh store, each in its own order, and read every
// node of every variant they get back. Nothing may be missing and all
// must agree. A configuration is raced only while it is new (afterwards it
// is a cache hit), so every round starts on a fresh store; on the in-memory
// and the Badger store alike. Run it with -race -count=N to shake it.
func TestConcurrentResolveStress(t *testing.T) {
	stores := []struct {
		name   string
		rounds int
		open   func(t *testing.T) kv.DB
	}{
		{"memory", 25, func(t *testing.T) kv.DB { return kv.NewMemory() }},
		{"badger", 4, func(t *testing.T) kv.DB {
			db, err := kv.OpenBadger(t.TempDir(), kv.Options{Logf: func(string, ...any) {}})
			if err != nil {
				t.Fatal(err)
			}
			return db
		}},
	}
	cfgs := allCarts()
	const workers = 8
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			for round := range st.rounds {
				db := st.open(t)
				s, err := bom.Open(ctx, db)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.Import(ctx, cartData(), cartModels(t)); err != nil {
					t.Fatal(err)
				}
				roots := make([][]bom.Hash, workers)
				var wg sync.WaitGroup
				for w := range workers {
					roots[w] = make([]bom.Hash, len(cfgs))
					wg.Add(1)
					go func() {
						defer wg.Done()
						r := rand.New(rand.NewPCG(uint64(round), uint64(w)))
						for _, j := range r.Perm(len(cfgs)) {
							v, err := s.Resolve(ctx, "CART", cfgs[j], today)
							if err != nil {
								t.Errorf("round %d worker %d: %v", round, w, err)
								return
							}
							roots[w][j] = v.Root
							if err := walkNodes(s, v.Root); err != nil {
								t.Errorf("round %d worker %d: %v", round, w, err)
								return
							}
							if _, err := s.Variant(ctx, v.ID); err != nil {
								t.Errorf("round %d worker %d: variant %s: %v", round, w, v.ID, err)
								return
							}
						}
					}()
				}
				wg.Wait()
				if t.Failed() {
					return
				}
				for w := 1; w < workers; w++ {
					for j := range cfgs {
						if roots[w][j] != roots[0][j] {
							t.Fatalf("round %d: workers 0 and %d disagree on configuration %d", round, w, j)
						}
					}
				}
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// walkNodes reads every node below root from the store.
func walkNodes(s *bom.Store, root bom.Hash) error {
	n, err := s.Node(root)
	if err != nil {
		return fmt.Errorf("node %s: %w", root, err)
	}
	for _, l := range n.Lines {
		if !l.Child.IsZero() {
			if err := walkNodes(s, l.Child); err != nil {
				return err
			}
		}
	}
	return nil
}
