package mrp_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestStoreRestart runs the same random change sequence on a planner in
// memory and on a stored one that is checkpointed and reopened every few
// steps: the plans must stay identical (and equal to a regenerative run at
// the end).
func TestStoreRestart(t *testing.T) {
	ctx := context.Background()
	steps := 300
	if testing.Short() || raceEnabled {
		steps = 80
	}
	for _, backend := range []string{"memory", "badger"} {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			open := func() kv.DB {
				if backend == "memory" {
					return kv.NewMemory()
				}
				db, err := kv.OpenBadger(dir, kv.Options{Logf: func(string, ...any) {}})
				if err != nil {
					t.Fatal(err)
				}
				return db
			}
			in := smallPlant(t, 21, 50)
			ref, err := mrp.New(in, mrp.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			db := open()
			st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(21, 7))
			n := steps
			if backend == "badger" {
				n = steps / 4
			}
			for step := range n {
				c := randomChange(r, ref.Input(), step)
				_, err1 := ref.Apply(c)
				_, err2 := st.Apply(ctx, c)
				if (err1 == nil) != (err2 == nil) {
					t.Fatalf("step %d: %v vs %v", step, err1, err2)
				}
				if step%11 == 10 {
					if err := st.Checkpoint(ctx); err != nil {
						t.Fatalf("step %d: checkpoint: %v", step, err)
					}
				}
				if step%7 == 6 { // restart
					if backend == "badger" {
						if err := db.Close(); err != nil {
							t.Fatal(err)
						}
						db = open()
					}
					if st, err = mrp.OpenStore(ctx, db); err != nil {
						t.Fatalf("step %d: reopen: %v", step, err)
					}
				}
				if a, b := fingerprint(t, ref), fingerprint(t, st.Planner()); a != b {
					t.Fatalf("step %d (%#v): stored planner differs\n%s", step, c, diff(b, a))
				}
			}
			q, _ := mrp.New(st.Planner().Input(), mrp.DefaultOptions())
			if fingerprint(t, q) != fingerprint(t, st.Planner()) {
				t.Fatal("stored planner differs from a regenerative run")
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestOpenStoreEmpty(t *testing.T) {
	if _, err := mrp.OpenStore(context.Background(), kv.NewMemory()); !errors.Is(err, mrp.ErrNoPlan) {
		t.Fatalf("err %v, want ErrNoPlan", err)
	}
}

// TestStoredCalendar: the calendar of a stored plan reads back without
// the plan (what a command needs for the plant's "today"), the one of the
// latest snapshot after a Reset.
func TestStoredCalendar(t *testing.T) {
	ctx := context.Background()
	db := kv.NewMemory()
	if _, err := mrp.StoredCalendar(ctx, db); !errors.Is(err, mrp.ErrNoPlan) {
		t.Fatalf("empty store: %v, want ErrNoPlan", err)
	}
	start := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	in := &mrp.Input{Items: []mrp.Item{{ID: "A", Kind: mrp.Buy, LeadTime: 2}},
		Calendar: mrp.Calendar{Start: start, Horizon: 40, TimeZone: "Asia/Shanghai", ShiftStart: "07:00"}}
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	c, err := mrp.StoredCalendar(ctx, db)
	if err != nil || c.TimeZone != "Asia/Shanghai" || c.ShiftStart != "07:00" || c.Horizon != 40 || !c.Start.Equal(start) {
		t.Fatalf("stored calendar %+v, %v", c, err)
	}
	in.Calendar.TimeZone = "Pacific/Kiritimati"
	if err := st.Reset(ctx, in); err != nil {
		t.Fatal(err)
	}
	if c, err := mrp.StoredCalendar(ctx, db); err != nil || c.TimeZone != "Pacific/Kiritimati" {
		t.Fatalf("after Reset: %+v, %v", c, err)
	}
}

// failingDB fails every Update while fail is set.
type failingDB struct {
	kv.DB
	fail bool
}

func (f *failingDB) Update(ctx context.Context, fn func(kv.Txn) error) error {
	if f.fail {
		return errors.New("disk full")
	}
	return f.DB.Update(ctx, fn)
}

// TestStoreApplyAtomic: when the write fails, the store keeps the old state
// and the planner is reloaded to match it.
func TestStoreApplyAtomic(t *testing.T) {
	ctx := context.Background()
	in := smallPlant(t, 8, 30)
	db := &failingDB{DB: kv.NewMemory()}
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	before := fingerprint(t, st.Planner())
	d := in.Demands[0]
	d.Qty += 50
	db.fail = true
	if _, err := st.Apply(ctx, mrp.SetDemand{Demand: d}, mrp.SetStock{Item: in.Items[3].ID, Qty: 999}); err == nil {
		t.Fatal("failed write: no error")
	}
	if fingerprint(t, st.Planner()) != before {
		t.Fatal("planner changed by a failed write")
	}
	db.fail = false
	if _, err := st.Apply(ctx, mrp.SetDemand{Demand: d}); err != nil {
		t.Fatal(err)
	}
	if fingerprint(t, st.Planner()) == before {
		t.Fatal("change had no effect")
	}
}

// TestCheckpointDropsOldState: after a checkpoint only the new snapshot is
// left and the journal is empty; each Apply adds one journal entry.
func TestCheckpointDropsOldState(t *testing.T) {
	ctx := context.Background()
	in := smallPlant(t, 4, 30)
	db := kv.NewMemory()
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	count := func(prefix string) int {
		n := 0
		_ = db.View(ctx, func(tx kv.Txn) error {
			return kv.ScanPrefix(tx, []byte(prefix), func(_, _ []byte) error { n++; return nil })
		})
		return n
	}
	snap := count("mrp/g/")
	for k := range 3 {
		d := in.Demands[k]
		d.Qty++
		if _, err := st.Apply(ctx, mrp.SetDemand{Demand: d}); err != nil {
			t.Fatal(err)
		}
	}
	if j := count("mrp/j/"); j != 3 {
		t.Fatalf("%d journal entries, want 3", j)
	}
	if err := st.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if j, g := count("mrp/j/"), count("mrp/g/"); j != 0 || g != snap {
		t.Fatalf("after checkpoint: %d journal entries, %d snapshot keys (want 0, %d)", j, g, snap)
	}
	q, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if fingerprint(t, q.Planner()) != fingerprint(t, st.Planner()) {
		t.Fatal("reopened after checkpoint: plan differs")
	}
}

// TestStoreSplitLots: a stored plan is read back whatever its shape. L1's
// maximum lot size of 1 splits the 30,000 units L0's demand needs into
// 30,000 orders on one day, more than the 64 a day of the horizon (23,360)
// that reading a stored plan once took for a corrupt record: the store
// was written and could not be opened again.
func TestStoreSplitLots(t *testing.T) {
	ctx := context.Background()
	in := chain(1, 1, 30_000)
	in.Items[1].Lot.Max = 1
	db := kv.NewMemory()
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if os, _ := st.Planner().Orders("L1"); len(os) != 30_000 {
		t.Fatalf("L1 has %d orders, want 30,000 of 1", len(os))
	}
	again, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatalf("reopening the store: %v", err)
	}
	if a, b := again.Planner().Digest(), st.Planner().Digest(); a != b {
		t.Fatalf("reopened digest %s, want %s", a, b)
	}
}

// TestStoreSmallMemtable: on a Badger store whose transactions hold little
// (an 8 MiB memtable: about 1.2 MiB a transaction), a plan whose snapshot
// is several times that is created, checkpointed and reset all the same,
// in batches that fit, and reopens as it was.
func TestStoreSmallMemtable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func() kv.DB {
		db, err := kv.OpenBadger(dir, kv.Options{MemTableSize: 8 << 20, Logf: func(string, ...any) {}})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	in, err := plantgen.Generate(plantgen.Default(800))
	if err != nil {
		t.Fatal(err)
	}
	db := open()
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatalf("creating the store: %v", err)
	}
	if err := st.Checkpoint(ctx); err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	if err := st.Reset(ctx, in); err != nil {
		t.Fatalf("reset: %v", err)
	}
	want := planText(st.Planner())
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = open()
	defer db.Close()
	again, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if got := planText(again.Planner()); got != want {
		t.Error("the reopened plan differs")
	}
}
