package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

// TestOrderWriterSpool: a spooled listing (csv, json) gives the bytes of
// one held in memory, also when it restarts after more than a block went
// to the file (the restart's orders only), and leaves no file behind.
func TestOrderWriterSpool(t *testing.T) {
	order := func(round, k int) *mrpv1.PlannedOrder {
		return &mrpv1.PlannedOrder{Id: fmt.Sprintf("P%07d#2027-01-%02d", k, 1+k%28), Item: fmt.Sprintf("P%07d", k), Qty: float64(1 + k%97 + round),
			ReleaseDate: "2026-12-30", DueDate: "2027-01-04", PeggedTo: []*mrpv1.DemandShare{{Demand: fmt.Sprintf("SO%d", k), Qty: float64(round + 1)}, {Demand: `SO"x",y`, Qty: 1}}}
	}
	for _, format := range []string{"csv", "json", "table"} {
		held, spooled := newOrderWriter(format), newOrderWriter(format)
		spooled.spool()
		if format != "table" && spooled.out == nil {
			t.Fatalf("%s: no spool file", format)
		}
		for k := range 3000 { // more than a block
			if err := spooled.add(order(0, k)); err != nil {
				t.Fatal(err)
			}
		}
		spooled.reset() // the listing starts again
		for k := range 2000 {
			for _, w := range []*orderWriter{held, spooled} {
				if err := w.add(order(1, k)); err != nil {
					t.Fatal(err)
				}
			}
		}
		var a, b bytes.Buffer
		if err := held.writeTo(&a); err != nil {
			t.Fatal(err)
		}
		if err := spooled.writeTo(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) || a.Len() < 2*orderBlock {
			t.Errorf("%s: spooled %d bytes, held %d, equal %v", format, b.Len(), a.Len(), bytes.Equal(a.Bytes(), b.Bytes()))
		}
		if f := spooled.out; f != nil {
			spooled.close()
			if _, err := os.Stat(f.Name()); !os.IsNotExist(err) {
				t.Errorf("%s: spool file %s left behind (%v)", format, f.Name(), err)
			}
		}
	}
}

// TestAppendOrderCSV checks a csv row appended from an order against the
// definition: orderCells written by encoding/csv. Random orders: IDs,
// items and demands with quotes, commas, newlines, leading spaces and
// non-ASCII; quantities whole, fractional, large and negative zero;
// pegged_to empty or up to four shares; pegged_rest or not.
func TestAppendOrderCSV(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	words := []string{"P0000001#2027-01-04", `q"x`, "a,b", " lead", "\tx", "l\nf", "ünï", `\.`, "", "SO-1", "c\rr"}
	nums := []float64{0, 1, 17, 2.5, 1.0 / 3, 1e9 + 0.5, 123456789012, math.Copysign(0, -1), 0.0000004, 7.0000001}
	var peg []byte
	for k := range 5000 {
		o := &mrpv1.PlannedOrder{Id: words[r.IntN(len(words))], Item: words[r.IntN(len(words))], Kind: mrpv1.OrderKind(r.IntN(3)),
			Qty: nums[r.IntN(len(nums))], ReleaseDate: words[r.IntN(len(words))], DueDate: "2027-01-04", Firm: r.IntN(2) == 0}
		for range r.IntN(5) {
			o.PeggedTo = append(o.PeggedTo, &mrpv1.DemandShare{Demand: words[r.IntN(len(words))], Qty: nums[r.IntN(len(nums))]})
		}
		if r.IntN(2) == 0 {
			o.PeggedRest = nums[r.IntN(len(nums))]
		}
		var want bytes.Buffer
		cw := csv.NewWriter(&want)
		if err := cw.Write(orderCells(o)); err != nil {
			t.Fatal(err)
		}
		cw.Flush()
		var got []byte
		got, peg = appendOrderCSV(nil, peg[:0], o)
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("order %d %v:\n got %q\nwant %q", k, o, got, want.Bytes())
		}
	}
}
