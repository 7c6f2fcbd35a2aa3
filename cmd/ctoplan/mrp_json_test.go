package main

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestOrderJSONAsMessage: appendOrderJSON writes a planned order with its
// pegging as plainJSON writes the service's record of it (the message
// convert.OrderToProto makes, pegged_to and pegged_rest set), byte for
// byte: every order of a generated plant with routings and firm orders,
// with and without pegging, and made-up orders with the values a plant
// seldom has (IDs to escape, an unknown kind, no release date, huge and
// fractional numbers, NaN, times in other zones). A field added to the
// messages, or written otherwise, fails it.
func TestOrderJSONAsMessage(t *testing.T) {
	dates := new(dateTexts) // kept across the orders, as a listing does
	check := func(o mrp.PlannedOrder, sh []mrp.DemandShare, rest float64) {
		t.Helper()
		po := convert.OrderToProto(o)
		po.PeggedTo, po.PeggedRest = convert.DemandSharesToProto(sh), rest
		var want, got bytes.Buffer
		appendMessage(&want, po.ProtoReflect())
		got.Write(appendOrderJSON(nil, &o, sh, rest, dates))
		if got.String() != want.String() {
			t.Fatalf("order %q:\n%s\nwant\n%s", o.ID, got.String(), want.String())
		}
	}
	in, err := plantgen.Generate(plantgen.Light(300, 600))
	if err != nil {
		t.Fatal(err)
	}
	p := planWithFirm(t, in, mrp.DefaultOptions(), func(k int, id string, os []mrp.PlannedOrder, firm []mrp.FirmOrder) []mrp.FirmOrder {
		for j, o := range os {
			if j == 2 || o.Kind == mrp.PhantomOrder || k%3 != 0 {
				break
			}
			firm = append(firm, mrp.FirmOrder{ID: fmt.Sprint("F\u00e9\"", len(firm)), Item: id, Qty: o.Qty, Due: o.Due})
		}
		return firm
	})
	n, ops, firm, pegged := 0, 0, 0, 0
	err = p.ScanOrders(mrp.Pos{}, "", nil, func(at mrp.Pos, o mrp.PlannedOrder) bool {
		sh, rest, err := p.PeggedDemandsAt(at)
		if err != nil {
			t.Fatal(err)
		}
		check(o, sh, rest)
		check(o, nil, 0)
		n++
		ops += len(o.Operations)
		pegged += len(sh)
		if o.Firm {
			firm++
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 1000 || ops == 0 || firm == 0 || pegged == 0 {
		t.Fatalf("%d orders, %d operations, %d firm, %d demands pegged: want each", n, ops, firm, pegged)
	}
	// one instant in two zones, on two dates: the dates' cache must
	// not mix them up
	at := time.Date(2026, 3, 1, 22, 0, 0, 0, time.UTC)
	for _, z := range []*time.Location{time.UTC, time.FixedZone("", 5*3600), time.UTC, time.FixedZone("", -3*3600)} {
		check(mrp.PlannedOrder{ID: "Z", Item: "Z", Release: at.In(z), Due: at.In(z).Add(24 * time.Hour)}, nil, 0)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	strs := []string{"", "A", "P1#2026-01-05.2", `q"t`, `b\s`, "tab\t", "nl\n", "ünï", "\u2028", "<&>", "\x7f", "\xff"}
	nums := []float64{0, math.Copysign(0, -1), 1, 0.1, 1.0 / 3, 1e21, -2.5, 123456789.000001, math.NaN(), math.Inf(1), 1e-7, 999999, 1e6, -999999, -1e6, 123456, 4503599627370497}
	zones := []*time.Location{time.UTC, time.FixedZone("", 3600+1800), time.FixedZone("", -7*3600)}
	for range 3000 {
		s := func() string { return strs[rng.IntN(len(strs))] }
		f := func() float64 { return nums[rng.IntN(len(nums))] }
		at := func() time.Time {
			return time.Date(2026, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), 0, 0, zones[rng.IntN(len(zones))])
		}
		o := mrp.PlannedOrder{ID: s(), Item: s(), Kind: mrp.OrderKind(rng.IntN(4)), Qty: rng.Int64N(1 << 60), ReleaseDay: rng.IntN(5) - 2, Firm: rng.IntN(2) == 0}
		if rng.IntN(4) > 0 {
			o.Release, o.Due = at(), at()
		}
		for range rng.IntN(3) {
			o.Operations = append(o.Operations, mrp.ScheduledOp{Seq: int(rng.Int64N(1<<33)) - 1<<32, WorkCenter: s(), Hours: f(), Start: at(), End: at()})
		}
		var sh []mrp.DemandShare
		for range rng.IntN(4) {
			sh = append(sh, mrp.DemandShare{Demand: s(), Qty: f()})
		}
		check(o, sh, f())
	}
}

// TestPlainASCII: plainASCII, eight bytes at a time, against the byte
// loop of its definition on random strings of the bytes around its edges.
func TestPlainASCII(t *testing.T) {
	edge := []byte{0, 0x1f, 0x20, 0x21, '"', '\\', 0x7e, 0x7f, 0x80, 0xff, 'a', '0', '#', '.'}
	plain := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
				return false
			}
		}
		return true
	}
	rng := rand.New(rand.NewPCG(3, 4))
	yes := 0
	for range 200000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = 'a' + byte(rng.IntN(26))
			if rng.IntN(30) == 0 {
				b[i] = edge[rng.IntN(len(edge))]
			}
		}
		s := string(b)
		if got, want := plainASCII(s), plain(s); got != want {
			t.Fatalf("plainASCII(%q) = %v, want %v", s, got, want)
		} else if want {
			yes++
		}
	}
	if yes < 1000 || yes > 199000 {
		t.Fatalf("%d plain strings of 200000: want both kinds", yes)
	}
}

// TestAppendDouble: appendDouble writes what strconv's shortest 'g' does
// (null for NaN and infinities), whole numbers written as integers
// included.
func TestAppendDouble(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for k := range 200000 {
		var f float64
		switch k % 4 {
		case 0:
			f = float64(rng.Int64N(4_000_000) - 2_000_000)
		case 1:
			f = float64(rng.Int64N(1<<62)) * float64(1-2*rng.IntN(2))
		case 2:
			f = (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(30)-10))
		default:
			f = []float64{0, math.Copysign(0, -1), 1e6, -1e6, 999999, -999999, 1e21, 0.5, math.MaxInt64}[rng.IntN(9)]
		}
		var b bytes.Buffer
		appendDouble(&b, f)
		if want := strconv.FormatFloat(f, 'g', -1, 64); b.String() != want {
			t.Fatalf("appendDouble(%v) = %s, want %s", f, b.String(), want)
		}
	}
}

// TestWriteOrdersJSONAsScan: the JSON listing (orders from the listing's
// lines, operations from LineOperations) is byte for byte the listing of
// the orders built by position (ScanOrders, phantoms left out) and pegged
// by position (PeggedDemandsAt), with and without pegging, on a plant
// with firm orders, routings out of sequence and a plant time zone, under
// a peg limit that cuts lists.
func TestWriteOrdersJSONAsScan(t *testing.T) {
	in, err := plantgen.Generate(plantgen.Light(400, 800))
	if err != nil {
		t.Fatal(err)
	}
	in.Calendar.TimeZone, in.Calendar.ShiftStart = "America/New_York", "07:15"
	for j := range in.Items {
		if it := &in.Items[j]; j%4 == 0 && len(it.Operations) > 0 {
			it.Operations = append(slices.Clone(it.Operations), mrp.Operation{Seq: 1, WorkCenter: "PREP", SetupHours: 0.5, RunHours: 0.1})
		}
	}
	o := mrp.DefaultOptions()
	o.PegLimit = 2
	p := planWithFirm(t, in, o, func(j int, id string, os []mrp.PlannedOrder, firm []mrp.FirmOrder) []mrp.FirmOrder {
		if j%5 == 0 && len(os) > 1 && os[1].Kind != mrp.PhantomOrder {
			firm = append(firm, mrp.FirmOrder{ID: fmt.Sprint("FIRM-", j), Item: id, Qty: os[1].Qty + 1, Due: os[1].Due})
		}
		return firm
	})
	for _, peg := range []bool{true, false} {
		var want bytes.Buffer
		want.WriteString("[")
		n, firm, ops, phantoms := 0, 0, 0, 0
		err := p.ScanOrders(mrp.Pos{}, "", nil, func(at mrp.Pos, o mrp.PlannedOrder) bool {
			if o.Kind == mrp.PhantomOrder {
				phantoms++
				return true
			}
			var sh []mrp.DemandShare
			var rest float64
			if peg {
				var err error
				if sh, rest, err = p.PeggedDemandsAt(at); err != nil {
					t.Fatal(err)
				}
			}
			if n > 0 {
				want.WriteString(",")
			}
			want.WriteString("\n  ")
			want.Write(appendOrderJSON(nil, &o, sh, rest, nil))
			n++
			ops += len(o.Operations)
			if o.Firm {
				firm++
			}
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		want.WriteString("\n]\n")
		var got bytes.Buffer
		if err := writeOrdersJSON(&got, p, peg); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			g, w := got.String(), want.String()
			k := 0
			for k < len(g) && k < len(w) && g[k] == w[k] {
				k++
			}
			t.Fatalf("pegging %v: listings differ at byte %d of %d/%d:\n got %.200q\nwant %.200q", peg, k, len(g), len(w), g[k:], w[k:])
		}
		if n < 1000 || firm == 0 || ops == 0 {
			t.Fatalf("%d orders, %d firm, %d operations: want each", n, firm, ops)
		}
	}
}

// planWithFirm plans in with o, adds the firm planned orders that firm
// makes of each item's planned orders (the item's position k and ID; it
// appends to the firm orders so far) to in, and plans it again.
func planWithFirm(t *testing.T, in *mrp.Input, o mrp.Options, firm func(k int, id string, os []mrp.PlannedOrder, firm []mrp.FirmOrder) []mrp.FirmOrder) *mrp.Planner {
	t.Helper()
	p, err := mrp.New(in, o)
	if err != nil {
		t.Fatal(err)
	}
	for k, id := range p.Items() {
		os, err := p.Orders(id)
		if err != nil {
			t.Fatal(err)
		}
		in.Firm = firm(k, id, os, in.Firm)
	}
	if p, err = mrp.New(in, o); err != nil {
		t.Fatal(err)
	}
	return p
}
