package mrp_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// failDB is a kv.DB whose Update fails to commit while fail is set (a
// full disk): fn runs, its writes are dropped.
type failDB struct {
	kv.DB
	fail bool
}

var errDiskFull = errors.New("disk full")

func (d *failDB) Update(ctx context.Context, fn func(kv.Txn) error) error {
	return d.DB.Update(ctx, func(txn kv.Txn) error {
		if err := fn(txn); err != nil {
			return err
		}
		if d.fail {
			return errDiskFull
		}
		return nil
	})
}

func planText(p *mrp.Planner) string {
	return fmt.Sprint(p.AllOrders(), p.Exceptions(), p.Input().Demands)
}

// TestStoreFailedWrite: when the journal write fails, Apply returns the
// error and the planner handed out before (the same *Planner) holds the
// plan as stored, not the unsaved change; the revision stays. The next
// write works and a reopen sees exactly the stored changes.
func TestStoreFailedWrite(t *testing.T) {
	ctx := context.Background()
	in := smallPlant(t, 5, 40)
	db := &failDB{DB: kv.NewMemory()}
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	p := st.Planner()
	before, rev := planText(p), st.Revision()
	end := in.Demands[0].Item
	big := mrp.SetDemand{Demand: mrp.Demand{ID: "NEW-1", Item: end, Qty: 500, Due: in.Calendar.Start.AddDate(0, 0, 20)}}

	db.fail = true
	if _, err := st.Apply(ctx, big); !errors.Is(err, errDiskFull) {
		t.Fatalf("Apply on a failing store: %v, want %v", err, errDiskFull)
	}
	if _, ok := p.Demand("NEW-1"); ok {
		t.Fatal("the planner kept the demand whose write failed")
	}
	if got := planText(p); got != before {
		t.Fatalf("the planner's plan changed although the write failed:\n%s\n%s", before, got)
	}
	if st.Planner() != p || st.Revision() != rev {
		t.Fatalf("planner replaced (%v) or revision moved (%d -> %d)", st.Planner() != p, rev, st.Revision())
	}

	db.fail = false
	if _, err := st.Apply(ctx, big); err != nil {
		t.Fatal(err)
	}
	if st.Revision() != rev+1 {
		t.Errorf("revision %d after one change, want %d", st.Revision(), rev+1)
	}
	ref, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ref.Apply(big); err != nil {
		t.Fatal(err)
	}
	re, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := planText(ref), planText(re.Planner()); a != b {
		t.Fatalf("reopened plan differs from the one change applied in memory:\n%s\n%s", a, b)
	}
	if re.Revision() != st.Revision() {
		t.Errorf("reopened revision %d, want %d", re.Revision(), st.Revision())
	}
}

// TestStoreUpdateJoins: Update commits the caller's own key and the plan
// change in one transaction; when the caller's part fails, neither is
// stored and the plan is as before.
func TestStoreUpdateJoins(t *testing.T) {
	ctx := context.Background()
	in := smallPlant(t, 6, 30)
	db := kv.NewMemory()
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	p := st.Planner()
	before := planText(p)
	c := mrp.SetStock{Item: in.Demands[0].Item, Qty: 7}
	boom := errors.New("caller failed")
	err = st.Update(ctx, func(tx *mrp.Tx) error {
		if _, err := tx.Apply(c); err != nil {
			return err
		}
		if err := tx.Set([]byte("app/key"), []byte("v")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update: %v, want %v", err, boom)
	}
	if got := planText(p); got != before || st.Revision() != 1 {
		t.Fatalf("failed Update left the plan changed (%v) or revision %d", got != before, st.Revision())
	}
	err = st.Update(ctx, func(tx *mrp.Tx) error {
		if _, err := tx.Apply(c); err != nil {
			return err
		}
		return tx.Set([]byte("app/key"), []byte("v"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.View(ctx, func(txn kv.Txn) error {
		_, err := txn.Get([]byte("app/key"))
		return err
	}); err != nil {
		t.Fatalf("the caller's key: %v", err)
	}
	re, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := planText(p), planText(re.Planner()); a != b || re.Revision() != 2 {
		t.Fatalf("reopened: revision %d (want 2), plan equal %v", re.Revision(), a == b)
	}
}

// TestStoreRevision: CreateStore is revision 1, every Apply one more, a
// Checkpoint none, a Reset one; a second store on the same database that
// falls behind gets a conflict instead of writing.
func TestStoreRevision(t *testing.T) {
	ctx := context.Background()
	in := smallPlant(t, 7, 30)
	db := kv.NewMemory()
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions(), mrp.WithBasis(42))
	if err != nil {
		t.Fatal(err)
	}
	other, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	want := uint64(1)
	check := func(what string) {
		t.Helper()
		if st.Revision() != want {
			t.Fatalf("%s: revision %d, want %d", what, st.Revision(), want)
		}
	}
	check("create")
	item := in.Demands[0].Item
	for q := range int64(3) {
		if _, err := st.Apply(ctx, mrp.SetStock{Item: item, Qty: q + 1}); err != nil {
			t.Fatal(err)
		}
		want++
		check("apply")
	}
	if err := st.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	check("checkpoint")
	if st.Basis() != 42 {
		t.Errorf("basis %d, want 42", st.Basis())
	}
	if err := st.Reset(ctx, st.Planner().Input(), mrp.WithBasis(43)); err != nil {
		t.Fatal(err)
	}
	want++
	check("reset")
	if st.Basis() != 43 {
		t.Errorf("basis %d after reset, want 43", st.Basis())
	}
	if _, err := other.Apply(ctx, mrp.SetStock{Item: item, Qty: 9}); !errors.Is(err, mrp.ErrStale) {
		t.Fatalf("a stale second store's Apply: %v, want ErrStale", err)
	}
	re, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if re.Revision() != want || re.Basis() != 43 {
		t.Fatalf("reopened: revision %d basis %d, want %d 43", re.Revision(), re.Basis(), want)
	}
}

// TestStoreQuoteThenOrder: a quote of a configuration nobody ordered
// changes no planned order and writes nothing; ordering it afterwards
// journals the quoted items with the demand, so a reopen plans the same.
func TestStoreQuoteThenOrder(t *testing.T) {
	ctx := context.Background()
	in, src := loadForklift(t)
	db := kv.NewMemory()
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	orders := fmt.Sprint(st.Planner().AllOrders())
	cfg := mustConfig(t, "SO-26-1171")
	cfg["fork_length"] = []string{"1200"} // a configuration the plant has not seen
	pr, err := st.Quote(ctx, src, "FL-TRUCK", cfg, mrp.PromiseRequest{Qty: 2, Date: forkliftStart})
	if err != nil {
		t.Fatal(err)
	}
	if st.Quoted() == 0 {
		t.Fatalf("the quote of a new configuration added no items (item %s)", pr.Item)
	}
	if got := fmt.Sprint(st.Planner().AllOrders()); got != orders {
		t.Fatal("a quote changed the planned orders")
	}
	if st.Revision() != 1 {
		t.Fatalf("a quote wrote revision %d", st.Revision())
	}
	due := time.Date(2027, 3, 26, 0, 0, 0, 0, time.UTC)
	_, ds, err := st.OrderConfigured(ctx, src, mrp.Demand{ID: "SO-Q", Qty: 2, Due: due, Product: "FL-TRUCK", Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if ds[0].Item != pr.Item {
		t.Errorf("ordered on %s, quoted on %s", ds[0].Item, pr.Item)
	}
	if st.Quoted() != 0 {
		t.Errorf("%d items still only quoted after the order", st.Quoted())
	}
	re, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := planText(st.Planner()), planText(re.Planner()); a != b {
		t.Fatal("reopened plan differs after quote then order")
	}
	d, ok := re.Planner().Demand("SO-Q")
	if !ok || d.Product != "FL-TRUCK" || fmt.Sprint(d.Config) != fmt.Sprint(cfg) {
		t.Fatalf("stored demand %+v lost its configuration", d)
	}
}

// TestStoreEarlierLayout: a store written before revisions (calendar and
// options in mrp/meta, journal entries a bare array of changes) opens to
// the same plan and keeps working.
func TestStoreEarlierLayout(t *testing.T) {
	ctx := context.Background()
	in := smallPlant(t, 8, 30)
	db := kv.NewMemory()
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Apply(ctx, mrp.SetStock{Item: in.Demands[0].Item, Qty: 11}); err != nil {
		t.Fatal(err)
	}
	want := planText(st.Planner())
	// rewrite to the earlier layout
	if err := db.Update(ctx, func(txn kv.Txn) error {
		var m map[string]any
		b, err := txn.Get([]byte("mrp/meta"))
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		gen := fmt.Sprintf("mrp/g/%016x/meta", int(m["Gen"].(float64)))
		gb, err := txn.Get([]byte(gen))
		if err != nil {
			return err
		}
		var g map[string]any
		if err := json.Unmarshal(gb, &g); err != nil {
			return err
		}
		m["Calendar"], m["Options"] = g["Calendar"], g["Options"]
		delete(m, "Rev")
		if err := txn.Delete([]byte(gen)); err != nil {
			return err
		}
		nb, _ := json.Marshal(m)
		if err := txn.Set([]byte("mrp/meta"), nb); err != nil {
			return err
		}
		var keys, vals [][]byte
		if err := kv.ScanPrefix(txn, []byte("mrp/j/"), func(k, v []byte) error {
			var e struct{ Changes json.RawMessage }
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			keys, vals = append(keys, append([]byte(nil), k...)), append(vals, e.Changes)
			return nil
		}); err != nil {
			return err
		}
		if len(keys) != 1 {
			return fmt.Errorf("%d journal entries, want 1", len(keys))
		}
		return txn.Set(keys[0], vals[0])
	}); err != nil {
		t.Fatal(err)
	}
	re, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if got := planText(re.Planner()); got != want {
		t.Fatal("the earlier layout opens to another plan")
	}
	if _, err := re.Apply(ctx, mrp.SetStock{Item: in.Demands[0].Item, Qty: 12}); err != nil {
		t.Fatal(err)
	}
	if _, err := mrp.OpenStore(ctx, db); err != nil {
		t.Fatal(err)
	}
}

// brokenDB fails every write while broken is set (its function runs,
// its writes are dropped) and, from the first such failure on, every read
// while down is set: a database that went away in the middle of a write
// (a cluster that lost its quorum).
type brokenDB struct {
	kv.DB
	broken, down bool
}

func (d *brokenDB) Update(ctx context.Context, fn func(kv.Txn) error) error {
	if !d.broken {
		return d.DB.Update(ctx, fn)
	}
	return d.DB.Update(ctx, func(txn kv.Txn) error {
		if err := fn(txn); err != nil {
			return err
		}
		d.down = true
		return errDiskFull
	})
}

func (d *brokenDB) View(ctx context.Context, fn func(kv.Txn) error) error {
	if d.down {
		return errDiskFull
	}
	return d.DB.View(ctx, fn)
}

// TestStoreFailedWriteReloadFails: a write fails and the reload that
// should undo it in the planner fails too (the database unreachable): the
// planner still holds the unsaved demand. Another replica writes the next
// revision; once the database is back, catching up reloads the first
// store whole instead of applying the journal on top of the unsaved
// change: it holds the stored plan (the same digest as a fresh open, the
// unsaved demand gone, the other replica's there), at the stored
// revision. The next write instead of a catch-up reloads it first, in
// its transaction, and is stored on top of the other replica's.
func TestStoreFailedWriteReloadFails(t *testing.T) {
	ctx := context.Background()
	in := smallPlant(t, 5, 40)
	end := in.Demands[0].Item
	day := in.Calendar.Start.AddDate(0, 0, 20)
	for _, next := range []string{"catch-up", "write"} {
		mem := kv.NewMemory()
		db := &brokenDB{DB: mem}
		st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		other, err := mrp.OpenStore(ctx, mem)
		if err != nil {
			t.Fatal(err)
		}
		db.broken = true
		if _, err := st.Apply(ctx, mrp.SetDemand{Demand: mrp.Demand{ID: "LOST", Item: end, Qty: 500, Due: day}}); err == nil {
			t.Fatalf("%s: Apply on a failing database: no error", next)
		}
		if _, ok := st.Planner().Demand("LOST"); !ok {
			t.Fatalf("%s: the reload failed, yet the planner dropped the unsaved demand (the case needs it held)", next)
		}
		db.broken, db.down = false, false
		if _, err := other.Apply(ctx, mrp.SetDemand{Demand: mrp.Demand{ID: "KEPT", Item: end, Qty: 7, Due: day}}); err != nil {
			t.Fatal(err)
		}
		switch next {
		case "catch-up":
			if _, err := st.CatchUp(ctx); err != nil {
				t.Fatal(err)
			}
		case "write":
			// reloaded first, in the write's transaction: current, so
			// not refused as stale
			if _, err := st.Apply(ctx, mrp.SetStock{Item: end, Qty: 3}); err != nil {
				t.Fatal(err)
			}
		}
		fresh, err := mrp.OpenStore(ctx, mem)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := st.Planner().Demand("LOST"); ok {
			t.Errorf("%s: the unsaved demand survived", next)
		}
		if _, ok := st.Planner().Demand("KEPT"); !ok {
			t.Errorf("%s: the other replica's demand is missing", next)
		}
		if st.Revision() != fresh.Revision() || st.Planner().Digest() != fresh.Planner().Digest() {
			t.Errorf("%s: revision %d (stored %d), digest equal to a fresh open's: %v", next, st.Revision(), fresh.Revision(),
				st.Planner().Digest() == fresh.Planner().Digest())
		}
	}
}
