package mrp_test

import (
	"context"
	"testing"

	"github.com/ctoplan/ctoplan/internal/hugepage"
	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestAdviseHugePages: advising a plan's memory changes no plan. Two
// planners of one plant take the same net changes, one of them while its
// memory is being merged into huge pages (under the race detector this
// also says the merging reads nothing the changes write); the plans stay
// equal to each other, and the advised span holds every item's orders.
// Where huge pages are supported a plan of a few MB gets some.
func TestAdviseHugePages(t *testing.T) {
	defer mrp.SetHugeMinSize(0)()
	in, err := plantgen.Generate(plantgen.Default(1000))
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	ref, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	lo, hi, size := mrp.MemSpan(p)
	if lo == 0 || hi <= lo || size == 0 || size > hi-lo {
		t.Fatalf("span [%#x, %#x) of %d bytes", lo, hi, size)
	}
	done := p.AdviseHugePages()
	for k := range 40 {
		for _, q := range []*mrp.Planner{p, ref} {
			if _, err := q.Apply(changeDemand(in, k)); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, ok := <-done
	if !ok {
		t.Fatal("AdviseHugePages closed its channel without a result")
	}
	if _, more := <-done; more {
		t.Fatal("AdviseHugePages sent twice")
	}
	if fp, want := fingerprintX(t, p, false), fingerprintX(t, ref, false); fp != want {
		t.Fatal("the advised plan differs from its twin")
	}
	if !hugepage.Supported() {
		if got != 0 {
			t.Fatalf("%d bytes on huge pages where none are supported", got)
		}
		return
	}
	if hp := hugepage.Size(); hi-lo >= 3*hp && got == 0 {
		t.Fatalf("a span of %d MB got no huge page", (hi-lo)>>20)
	}
}

// TestAdviseHugePagesSmall: a plan below the size worth advising gets an
// answer at once, 0.
func TestAdviseHugePagesSmall(t *testing.T) {
	in, err := plantgen.Generate(plantgen.Default(200))
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, size := mrp.MemSpan(p); size >= 16<<20 {
		t.Fatalf("a 200-item plan takes %d MB", size>>20)
	}
	if got := <-p.AdviseHugePages(); got != 0 {
		t.Fatalf("a small plan: %d bytes advised", got)
	}
}

// TestStoreHugePages: a store set to ask for huge pages asks when set,
// when its inputs are replanned (Reset) and when its planner is reread
// (DropQuoted), and no more once unset.
func TestStoreHugePages(t *testing.T) {
	defer mrp.SetHugeMinSize(0)()
	ctx := context.Background()
	in := smallPlant(t, 4, 30)
	st, err := mrp.CreateStore(ctx, kv.NewMemory(), in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	per := int64(0)
	if hugepage.Supported() {
		per = 1
	}
	c := mrp.HugeAdvices()
	step := func(what string, n int64, f func() error) {
		t.Helper()
		if err := f(); err != nil {
			t.Fatal(err)
		}
		if got := mrp.HugeAdvices() - c; got != n*per {
			t.Fatalf("%s: %d advices, want %d", what, got, n*per)
		}
		c += n * per
	}
	if st.HugePages() {
		t.Fatal("a new store asks for huge pages")
	}
	step("set", 1, func() error { st.SetHugePages(true); return nil })
	step("reset", 1, func() error { return st.Reset(ctx, in) })
	if !st.HugePages() {
		t.Fatal("Reset forgot SetHugePages")
	}
	step("reread", 1, func() error { return st.DropQuoted(ctx) })
	step("unset", 0, func() error { st.SetHugePages(false); return nil })
	step("reread unset", 0, func() error { return st.DropQuoted(ctx) })
}
