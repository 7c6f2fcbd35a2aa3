package main

import (
	"bytes"
	"fmt"
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
