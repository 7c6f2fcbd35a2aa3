package bom_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
)

const cartModel = `model cart {
  version "1"
  char size single { default small value small value large }
  char wheels int 3..4 { default 4 }
  char colour single { default red value red value blue }
  char extras multi { value basket value bell }
  rule large_needs_four {
    message en "A large cart needs four wheels"
    size = large -> wheels = 4
  }
}
`

// handle is a configurable sub-assembly with its own model; it shares
// "size" with the cart and has "grip", which the cart does not have.
const handleModel = `model handle {
  version "1"
  char size single { value small value large }
  char grip single { default foam value foam value rubber }
}
`

func parseModel(t testing.TB, name, src string) *configurator.Model {
	t.Helper()
	m, err := configurator.Parse(name+".ctm", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func cartModels(t testing.TB) map[string]*configurator.Model {
	return map[string]*configurator.Model{
		"cart":   parseModel(t, "cart", cartModel),
		"handle": parseModel(t, "handle", handleModel),
	}
}

// cartData: CART (model cart) has a body chosen by size, wheels counted by
// a formula, paint by colour, extras, and a HANDLE (model handle, passed
// down). WHEELASM is a standard sub-assembly shared by every variant.
func cartData() *bom.Data {
	d := &bom.Data{
		Items: []*bom.Item{
			{ID: "CART", UOM: "pc", Kind: bom.Make, Model: "cart", LeadTimeDays: 1},
			{ID: "BODY-S", UOM: "pc", Kind: bom.Make, LeadTimeDays: 2},
			{ID: "BODY-L", UOM: "pc", Kind: bom.Make, LeadTimeDays: 3},
			{ID: "SHEET", UOM: "kg", Kind: bom.Buy, LeadTimeDays: 4, UnitCost: 1.5},
			{ID: "WHEELASM", UOM: "pc", Kind: bom.Make, LeadTimeDays: 1},
			{ID: "TYRE", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 6, UnitCost: 3},
			{ID: "HUB", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 2, UnitCost: 2},
			{ID: "PAINT-RED", UOM: "l", Kind: bom.Buy, LeadTimeDays: 1, UnitCost: 10},
			{ID: "PAINT-BLUE", UOM: "l", Kind: bom.Buy, LeadTimeDays: 1, UnitCost: 12},
			{ID: "BASKET", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 9, UnitCost: 7},
			{ID: "BELL", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 1, UnitCost: 1},
			{ID: "HANDLE", UOM: "pc", Kind: bom.Make, Model: "handle", LeadTimeDays: 1},
			{ID: "GRIP-FOAM", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 1, UnitCost: 1},
			{ID: "GRIP-RUBBER", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 1, UnitCost: 2},
			{ID: "BAR", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 1, UnitCost: 4},
		},
		Lines: []*bom.Line{
			{Parent: "CART", Component: "BODY-S", Qty: 1, Position: "10", Condition: "size = small"},
			{Parent: "CART", Component: "BODY-L", Qty: 1, Position: "10", Condition: "size = large"},
			{Parent: "CART", Component: "WHEELASM", QtyExpr: "wheels", Position: "20"},
			{Parent: "CART", Component: "PAINT-RED", Qty: 0.5, Position: "30", Condition: "colour = red"},
			{Parent: "CART", Component: "PAINT-BLUE", Qty: 0.5, Position: "30", Condition: "colour = blue"},
			{Parent: "CART", Component: "BASKET", Qty: 1, Position: "40", Condition: "has(extras, basket)"},
			{Parent: "CART", Component: "BELL", Qty: 1, Position: "50", Condition: "has(extras, bell)"},
			{Parent: "CART", Component: "HANDLE", Qty: 1, Position: "60"},
			{Parent: "BODY-S", Component: "SHEET", Qty: 2},
			{Parent: "BODY-L", Component: "SHEET", Qty: 3, ScrapPct: 10},
			{Parent: "WHEELASM", Component: "TYRE", Qty: 1},
			{Parent: "WHEELASM", Component: "HUB", Qty: 1},
			{Parent: "HANDLE", Component: "BAR", QtyExpr: "count(size = large) + 1"},
			{Parent: "HANDLE", Component: "GRIP-FOAM", Qty: 2, Condition: "grip = foam"},
			{Parent: "HANDLE", Component: "GRIP-RUBBER", Qty: 2, Condition: "grip = rubber"},
		},
		Ops: []*bom.Op{
			{Item: "CART", Seq: 10, WorkCenter: "ASSY", SetupHours: 0.5, RunHours: 0.5},
			{Item: "CART", Seq: 20, WorkCenter: "PAINT", SetupHours: 1, RunHours: 0.25, Condition: "colour = blue"},
			{Item: "WHEELASM", Seq: 10, WorkCenter: "ASSY", RunHours: 0.1},
		},
		WorkCenters: []*bom.WorkCenter{{ID: "ASSY", RatePerHour: 40}, {ID: "PAINT", RatePerHour: 80}},
	}
	return d
}

func cartStore(t testing.TB) *bom.Store {
	s, _ := newStore(t)
	if err := s.Import(ctx, cartData(), cartModels(t)); err != nil {
		t.Fatal(err)
	}
	return s
}

func cfg(size, wheels, colour string, extras ...string) configurator.Configuration {
	if extras == nil {
		extras = []string{}
	}
	return configurator.Configuration{"size": {size}, "wheels": {wheels}, "colour": {colour}, "extras": extras}
}

// allCarts is every valid cart configuration: 2 sizes x 2 wheel counts x 2
// colours x 4 extras subsets, minus large with 3 wheels = 24.
func allCarts() []configurator.Configuration {
	var out []configurator.Configuration
	for _, size := range []string{"small", "large"} {
		for _, w := range []string{"3", "4"} {
			if size == "large" && w == "3" {
				continue
			}
			for _, c := range []string{"red", "blue"} {
				for _, ex := range [][]string{{}, {"basket"}, {"bell"}, {"bell", "basket"}} {
					out = append(out, cfg(size, w, c, ex...))
				}
			}
		}
	}
	return out
}

func TestResolveConfigured(t *testing.T) {
	s := cartStore(t)
	v, err := s.Resolve(ctx, "CART", cfg("large", "4", "blue", "bell"), today)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := v.Explode(1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		got = append(got, fmt.Sprintf("%d %s %s %g", l.Level, l.Position, l.Item, l.Qty))
	}
	want := []string{
		"0  CART 1",
		"1 10 BODY-L 1",
		"2  SHEET 3.3000000000000003", // 3 x 1.10
		"1 20 WHEELASM 4",             // qty_per = wheels
		"2  HUB 4",                    // same (empty) position: by item
		"2  TYRE 4",
		"1 30 PAINT-BLUE 0.5",
		"1 50 BELL 1",
		"1 60 HANDLE 1",
		"2  BAR 2", // count(size = large) + 1, size passed down
		"2  GRIP-FOAM 2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("explosion:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	root := v.Node(v.Root)
	if len(root.Ops) != 2 || root.Ops[1].WorkCenter != "PAINT" {
		t.Errorf("blue cart routing %+v, want ASSY and PAINT", root.Ops)
	}
	// The handle got size from the cart and grip from its default.
	handle := v.Node(root.Lines[len(root.Lines)-1].Child)
	if handle == nil || handle.Item != "HANDLE" {
		t.Fatalf("last line is not the handle node: %+v", root.Lines)
	}
}

func TestResolveInvalidConfiguration(t *testing.T) {
	s := cartStore(t)
	_, err := s.Resolve(ctx, "CART", cfg("large", "3", "red"), today)
	if !errors.Is(err, configurator.ErrInvalidConfiguration) {
		t.Fatalf("large cart with 3 wheels: %v, want ErrInvalidConfiguration", err)
	}
	var ce *configurator.ConflictError
	if !errors.As(err, &ce) || ce.Conflict == nil || !strings.Contains(err.Error(), "large_needs_four") {
		t.Fatalf("error does not carry the conflict naming the rule: %v", err)
	}
	st, _ := s.Stats(ctx)
	if st.Nodes != 0 || st.Variants != 0 {
		t.Errorf("a refused configuration stored %d nodes, %d variants", st.Nodes, st.Variants)
	}
	if _, err := s.Resolve(ctx, "CART", configurator.Configuration{"size": {"huge"}}, today); err == nil {
		t.Error("unknown value accepted")
	}
	if _, err := s.Resolve(ctx, "CART", nil, today); !errors.Is(err, bom.ErrNotConfigurable) {
		t.Errorf("configurable item without configuration: %v", err)
	}
	if _, err := s.Resolve(ctx, "BODY-S", cfg("small", "4", "red"), today); !errors.Is(err, bom.ErrNotConfigurable) {
		t.Errorf("standard item with a configuration: %v", err)
	}
	if _, err := s.Resolve(ctx, "CARTT", nil, today); !errors.Is(err, bom.ErrNotFound) || !strings.Contains(err.Error(), `"CART"`) {
		t.Errorf("unknown item: %v", err)
	}
}

// TestSharing: every valid configuration resolved (twice, in two orders)
// gives one variant each and stores each distinct node once.
func TestSharing(t *testing.T) {
	cfgs := allCarts()
	var stats [2]bom.Stats
	for round, order := range [][]int{forward(len(cfgs)), backward(len(cfgs))} {
		s := cartStore(t)
		ids := map[string]bool{}
		for pass := 0; pass < 2; pass++ {
			for _, i := range order {
				v, err := s.Resolve(ctx, "CART", cfgs[i], today)
				if err != nil {
					t.Fatal(err)
				}
				ids[v.ID] = true
			}
		}
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		stats[round] = st
		if len(ids) != len(cfgs) || st.Variants != len(cfgs) {
			t.Errorf("%d configurations gave %d variant ids and %d stored variants", len(cfgs), len(ids), st.Variants)
		}
	}
	// Distinct nodes: CART differs per configuration (24); BODY-S, BODY-L,
	// WHEELASM once each; HANDLE once per size (grip is always foam): 2.
	if stats[0].Nodes != 24+3+2 {
		t.Errorf("%d nodes stored, want 29", stats[0].Nodes)
	}
	if stats[0] != stats[1] {
		t.Errorf("resolution order changed what is stored: %+v vs %+v", stats[0], stats[1])
	}
}

func forward(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func backward(n int) []int {
	out := forward(n)
	for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func TestHundredIdenticalTrucksOneVariant(t *testing.T) {
	s := cartStore(t)
	var first *bom.Variant
	for i := 0; i < 100; i++ {
		// A fresh map every time, values in a different order.
		c := cfg("small", "4", "blue", "bell", "basket")
		if i%2 == 1 {
			c["extras"] = []string{"basket", "bell"}
		}
		v, err := s.Resolve(ctx, "CART", c, today.Add(time.Duration(i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = v
		} else if v.ID != first.ID || v.Root != first.Root {
			t.Fatalf("order %d resolved to another variant", i)
		}
	}
	st, _ := s.Stats(ctx)
	if st.Variants != 1 {
		t.Errorf("100 identical carts stored %d variants", st.Variants)
	}
}

func TestConcurrentResolve(t *testing.T) {
	s := cartStore(t)
	cfgs := allCarts()
	var wg sync.WaitGroup
	roots := make([][]bom.Hash, 4)
	for w := range roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range cfgs {
				j := (i + w*7) % len(cfgs)
				v, err := s.Resolve(ctx, "CART", cfgs[j], today)
				if err != nil {
					t.Error(err)
					return
				}
				if roots[w] == nil {
					roots[w] = make([]bom.Hash, len(cfgs))
				}
				roots[w][j] = v.Root
				v.Summarize(2)
				v.Cost(1)
			}
		}()
	}
	wg.Wait()
	for w := 1; w < len(roots); w++ {
		for j := range cfgs {
			if roots[w][j] != roots[0][j] {
				t.Fatalf("workers disagree on configuration %d", j)
			}
		}
	}
	st, _ := s.Stats(ctx)
	if st.Variants != len(cfgs) || st.Nodes != 29 {
		t.Errorf("concurrent resolution stored %d variants, %d nodes; want %d, 29", st.Variants, st.Nodes, len(cfgs))
	}
}

func TestPassDownErrors(t *testing.T) {
	// The handle's model gains a characteristic the cart does not have and
	// that has no default: the pass-down cannot fill it.
	models := cartModels(t)
	models["handle"] = parseModel(t, "handle", `model handle {
  version "2"
  char size single { value small value large }
  char grip single { default foam value foam value rubber }
  char length int 500..900 step 100 { }
}
`)
	s, _ := newStore(t)
	if err := s.Import(ctx, cartData(), models); err != nil {
		t.Fatal(err)
	}
	_, err := s.Resolve(ctx, "CART", cfg("small", "4", "red"), today)
	if !errors.Is(err, bom.ErrResolve) || !strings.Contains(err.Error(), "HANDLE (model handle) below CART: characteristic length gets no value from CART and has no default") {
		t.Errorf("got %v", err)
	}
	// A passed-down configuration that breaks the sub-assembly's rules is
	// refused with its conflict.
	models["handle"] = parseModel(t, "handle", `model handle {
  version "3"
  char size single { value small value large }
  char grip single { default foam value foam value rubber }
  rule no_large_foam { message en "Large handles need rubber grips" size = large -> grip = rubber }
}
`)
	s, _ = newStore(t)
	if err := s.Import(ctx, cartData(), models); err != nil {
		t.Fatal(err)
	}
	_, err = s.Resolve(ctx, "CART", cfg("large", "4", "red"), today)
	var ce *configurator.ConflictError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "HANDLE (model handle), configuration passed down from CART") {
		t.Errorf("got %v", err)
	}
	if _, err := s.Resolve(ctx, "CART", cfg("small", "4", "red"), today); err != nil {
		t.Errorf("small cart: %v", err)
	}
}

// TestResolveIntSpellings: the configurator refuses "04" and "+4" for the
// int value 4 (conditions compare the canonical text, so accepting them would
// store a wrong BOM under the variant of "4"); Resolve passes that refusal on,
// naming the canonical spelling, stores nothing, and "4" still resolves to a
// variant whose conditions saw wheels = 4.
func TestResolveIntSpellings(t *testing.T) {
	d := cartData()
	d.Lines = append(d.Lines, &bom.Line{Parent: "CART", Component: "BASKET", Qty: 2, Position: "70", Condition: "wheels = 4"})
	s, db := newStore(t)
	if err := s.Import(ctx, d, cartModels(t)); err != nil {
		t.Fatal(err)
	}
	before := dumpKV(t, db)
	for _, w := range []string{"04", "+4"} {
		_, err := s.Resolve(ctx, "CART", cfg("small", w, "red"), today)
		if err == nil || !strings.Contains(err.Error(), `write "4"`) {
			t.Errorf("wheels = %q: got %v, want a refusal naming the canonical spelling", w, err)
		}
	}
	if after := dumpKV(t, db); after != before {
		t.Errorf("a refused spelling changed the store")
	}
	v, err := s.Resolve(ctx, "CART", cfg("small", "4", "red"), today)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range v.Summarize(1) {
		if r.Item == "BASKET" && r.Qty == 2 {
			found = true
		}
	}
	if !found {
		t.Errorf("the line with condition wheels = 4 is missing")
	}
}

// TestResolveLeftOutMulti: a full configuration may leave out the multi
// characteristic extras (none chosen); it resolves, in a fresh store, to
// the variant of the spelled-out empty entry, with neither basket nor
// bell. Before, conditions reading extras failed with "no entry" unless
// the spelled-out configuration had been resolved before (then the
// variant came from the cache by key: one request, two answers).
func TestResolveLeftOutMulti(t *testing.T) {
	left := configurator.Configuration{"size": {"small"}, "wheels": {"4"}, "colour": {"red"}}
	for _, first := range []bool{false, true} {
		s := cartStore(t)
		if first {
			if _, err := s.Resolve(ctx, "CART", cfg("small", "4", "red"), today); err != nil {
				t.Fatal(err)
			}
		}
		v, err := s.Resolve(ctx, "CART", left, today)
		if err != nil {
			t.Fatalf("spelled-out configuration resolved first %v: %v", first, err)
		}
		want, err := s.Resolve(ctx, "CART", cfg("small", "4", "red"), today)
		if err != nil {
			t.Fatal(err)
		}
		if v.ID != want.ID || v.Root != want.Root {
			t.Errorf("left out: variant %s root %s, spelled out: %s root %s", v.ID, v.Root, want.ID, want.Root)
		}
		lines, err := v.Explode(1)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if l.Item == "BASKET" || l.Item == "BELL" {
				t.Errorf("no extras chosen, yet %s is in the BOM", l.Item)
			}
		}
	}
}
