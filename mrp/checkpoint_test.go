package mrp_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestCheckpointDB checkpoints a store in the background while its writer
// goes on writing: the writer is never blocked (it meets at most an
// ErrStale, after which CatchUp takes the new snapshot without a reload),
// a checkpoint that the writer keeps outpacing gives up with ErrStale,
// one with the writer idle goes through and empties the journal, and a
// fresh open, the writer and a planner that applied the same changes in
// memory agree.
func TestCheckpointDB(t *testing.T) {
	ctx := context.Background()
	db := kv.NewMemory()
	in := smallPlant(t, 7, 40)
	ref, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	w, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 1))
	step := 0
	write := func() {
		t.Helper()
		c := randomChange(r, ref.Input(), step)
		step++
		_, err := w.Apply(ctx, c)
		if errors.Is(err, mrp.ErrStale) {
			// the checkpoint switched the store: the same plan at the
			// same revision, taken without a reload
			if reloaded, err := w.CatchUp(ctx); err != nil || reloaded {
				t.Fatalf("step %d: catch-up after a checkpoint: reloaded=%v err=%v", step, reloaded, err)
			}
			_, err = w.Apply(ctx, c)
		}
		if _, rerr := ref.Apply(c); (rerr == nil) != (err == nil) {
			t.Fatalf("step %d: store %v, in memory %v", step, err, rerr)
		}
	}
	for range 30 {
		write()
	}
	if n := w.JournalLen(); n == 0 {
		t.Fatal("no journal entries to checkpoint")
	}
	if done, err := mrp.CheckpointDB(ctx, db, 1000); err != nil || done {
		t.Fatalf("below the threshold: done=%v err=%v", done, err)
	}
	// checkpoints racing the writer
	stop := make(chan struct{})
	errc := make(chan error, 1)
	checkpoints := 0
	go func() {
		defer close(errc)
		for {
			select {
			case <-stop:
				return
			default:
			}
			done, err := mrp.CheckpointDB(ctx, db, 1)
			if err != nil && !errors.Is(err, mrp.ErrStale) {
				// ErrStale: the writer outpaced 8 tries (slow under -race);
				// the next round tries again
				errc <- err
				return
			}
			if done {
				checkpoints++
			}
		}
	}()
	for range 60 {
		write()
	}
	close(stop)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if _, err := w.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	// with the writer idle a checkpoint always goes through
	if done, err := mrp.CheckpointDB(ctx, db, 1); err != nil || (w.JournalLen() > 0 && !done) {
		t.Fatalf("final checkpoint: done=%v err=%v", done, err)
	}
	fresh, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.JournalLen() != 0 {
		t.Errorf("%d journal entries after the checkpoint", fresh.JournalLen())
	}
	if _, err := w.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	want := ref.Digest()
	if got := fresh.Planner().Digest(); got != want {
		t.Errorf("reopened: digest %s, want %s", got, want)
	}
	if got := w.Planner().Digest(); got != want || w.Revision() != fresh.Revision() {
		t.Errorf("writer: digest %s rev %d, want %s rev %d", got, w.Revision(), want, fresh.Revision())
	}
	t.Logf("%d checkpoints during 60 writes", checkpoints)
}
