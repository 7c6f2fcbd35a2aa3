package mrp_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestCatchUpReplicas runs random changes on three Stores of one database
// (replicas), each write on a random one after it caught up (as a server
// does), with a checkpoint and a reset by other replicas in between: every
// replica that caught up holds the plan of a single planner that applied
// the same changes in order (equal digests), and so does a fresh open.
func TestCatchUpReplicas(t *testing.T) {
	ctx := context.Background()
	steps := 150
	if testing.Short() || raceEnabled {
		steps = 50
	}
	db := kv.NewMemory()
	in := smallPlant(t, 33, 40)
	ref, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	first, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	reps := []*mrp.Store{first}
	for range 2 {
		st, err := mrp.OpenStore(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, st)
	}
	r := rand.New(rand.NewPCG(33, 1))
	for step := range steps {
		st := reps[r.IntN(len(reps))]
		c := randomChange(r, ref.Input(), step)
		// A stale replica's write fails with ErrStale, and after
		// catching up it succeeds.
		if _, err := st.Apply(ctx, c); errors.Is(err, mrp.ErrStale) {
			if _, err := st.CatchUp(ctx); err != nil {
				t.Fatalf("step %d: catch up: %v", step, err)
			}
			_, err = st.Apply(ctx, c)
			if errors.Is(err, mrp.ErrStale) {
				t.Fatalf("step %d: still stale after catching up", step)
			}
		}
		if _, err := ref.Apply(c); err != nil {
			// invalid changes fail alike; the store stays as it was
			continue
		}
		switch step {
		case steps / 3:
			if _, err := reps[1].CatchUp(ctx); err != nil {
				t.Fatal(err)
			}
			if err := reps[1].Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
		case 2 * steps / 3:
			if _, err := reps[2].CatchUp(ctx); err != nil {
				t.Fatal(err)
			}
			if err := reps[2].Reset(ctx, ref.Input()); err != nil {
				t.Fatal(err)
			}
			if ref, err = mrp.New(ref.Input(), mrp.DefaultOptions()); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := ref.Digest()
	fresh, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if got := fresh.Planner().Digest(); got != want {
		t.Fatalf("reopened store's digest %s, want %s", got, want)
	}
	for k, st := range reps {
		if _, err := st.CatchUp(ctx); err != nil {
			t.Fatalf("replica %d: %v", k, err)
		}
		if st.Revision() != fresh.Revision() {
			t.Fatalf("replica %d at revision %d, store at %d", k, st.Revision(), fresh.Revision())
		}
		if got := st.Planner().Digest(); got != want {
			t.Fatalf("replica %d: digest %s, want %s", k, got, want)
		}
		if changed, err := st.CatchUp(ctx); err != nil || changed {
			t.Fatalf("replica %d: second catch-up changed=%v err=%v", k, changed, err)
		}
	}
	// The digest sees a change of one item's orders: stock that covers
	// all of them on an item with planned orders not firmed (with other
	// seeds the last item had none, and its stock changed no order)
	before := reps[0].Planner().Digest()
	var covered string
	for _, it := range reps[0].Planner().Input().Items {
		os, err := reps[0].Planner().Orders(it.ID)
		if err == nil && it.Kind != mrp.Phantom && slices.ContainsFunc(os, func(o mrp.PlannedOrder) bool { return !o.Firm }) {
			covered = it.ID
		}
	}
	if covered == "" {
		t.Fatal("no item has planned orders")
	}
	if _, err := reps[0].Apply(ctx, mrp.SetStock{Item: covered, Qty: 1 << 30}); err != nil {
		t.Fatal(err)
	}
	if reps[0].Planner().Digest() == before {
		t.Fatalf("digest unchanged by stock covering every order of %s", covered)
	}
}

// TestStaleReplicaRefusal: a replica behind the store refuses a change
// that only the newer plan makes valid (removing a firm order another
// replica made) as stale, not as not found: after catching up it goes
// through. (Found by TestCatchUpReplicas with other seeds: the stale
// replica's "not found" left it and the store's other writers apart.)
func TestStaleReplicaRefusal(t *testing.T) {
	ctx := context.Background()
	db := kv.NewMemory()
	in := chain(1, 1, 40)
	a, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	b, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Apply(ctx, mrp.SetFirm{Order: mrp.FirmOrder{ID: "F1", Item: "L1", Qty: 5, Due: in.Calendar.Start.AddDate(0, 0, 20)}}); err != nil {
		t.Fatal(err)
	}
	_, err = b.Apply(ctx, mrp.RemoveFirm{ID: "F1"})
	if !errors.Is(err, mrp.ErrStale) || errors.Is(err, mrp.ErrNotFound) {
		t.Fatalf("removing F1 on the replica behind: %v, want ErrStale", err)
	}
	if _, err := b.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Apply(ctx, mrp.RemoveFirm{ID: "F1"}); err != nil {
		t.Fatalf("after catching up: %v", err)
	}
	// a change invalid in the newest plan too is refused as such
	if _, err := b.Apply(ctx, mrp.RemoveFirm{ID: "F9"}); !errors.Is(err, mrp.ErrNotFound) || errors.Is(err, mrp.ErrStale) {
		t.Fatalf("removing F9, which no plan holds: %v, want ErrNotFound", err)
	}
}
