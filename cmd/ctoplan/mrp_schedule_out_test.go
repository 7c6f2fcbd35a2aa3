package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestWriteFiniteOrders checks the streamed csv and json of a finite
// schedule's orders against the listing the table builds from the
// definition: every row's cells through encoding/csv, every order's
// object through json.Marshal, one a line. Random orders: IDs and reasons with
// quotes, commas, HTML characters, non-ASCII and control bytes; dates
// zero (unscheduled) or on a few days; released or not; and no orders.
func TestWriteFiniteOrders(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	words := []string{"A#1", `q"x`, "a,b", "<b>&", "ünï", "tab\there", "x\u2028y", "P0000093#2026-01-05", ""}
	day0 := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	date := func() time.Time {
		if r.IntN(4) == 0 {
			return time.Time{}
		}
		return day0.AddDate(0, 0, r.IntN(5))
	}
	for round := range 50 {
		var os []mrp.FiniteOrder
		for range r.IntN(30) {
			o := mrp.FiniteOrder{ID: words[r.IntN(len(words))], Item: words[r.IntN(len(words))], Qty: r.Int64N(1000) - 10,
				Priority: r.IntN(3), Due: date(), Start: date(), Finish: date(), LateDays: r.IntN(9), Forward: r.IntN(2) == 0,
				Released: r.IntN(3) == 0}
			if r.IntN(4) == 0 {
				o.Unscheduled = "waits for " + words[r.IntN(len(words))]
			}
			os = append(os, o)
		}
		for _, format := range []string{"csv", "json", "table"} {
			var got, want bytes.Buffer
			if err := writeFiniteOrders(&got, format, orderSlice(os)); err != nil {
				t.Fatal(err)
			}
			tb := &table{header: []string{"order", "item", "qty", "priority", "due", "start", "finish", "late_days", "mode"}}
			for _, o := range os {
				mode := "backward"
				if o.Unscheduled != "" {
					mode = "unscheduled: " + o.Unscheduled
				} else if o.Forward {
					mode = "forward"
				}
				tb.add(orderJSON{o.ID, o.Item, o.Qty, o.Priority, day(o.Due), day(o.Start), day(o.Finish), o.LateDays, mode, o.Released},
					o.ID, o.Item, strconv.FormatInt(o.Qty, 10), strconv.Itoa(o.Priority), day(o.Due), day(o.Start), day(o.Finish),
					strconv.Itoa(o.LateDays), mode)
			}
			if err := tb.write(&want, format); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Fatalf("round %d, %s:\ngot  %q\nwant %q", round, format, got.String(), want.String())
			}
			// the same orders in pages of random sizes (empty ones too),
			// as a server's schedule comes
			var paged bytes.Buffer
			fw := newFiniteWriter(&paged, format)
			for rest := os; ; {
				k := r.IntN(len(rest) + 1)
				if err := fw.page(orderSlice(rest[:k])); err != nil {
					t.Fatal(err)
				}
				if rest = rest[k:]; len(rest) == 0 {
					break
				}
			}
			if err := fw.end(); err != nil {
				t.Fatal(err)
			}
			if paged.String() != want.String() {
				t.Fatalf("round %d, %s in pages:\ngot  %q\nwant %q", round, format, paged.String(), want.String())
			}
			if format == "json" {
				var v []orderJSON
				if err := json.Unmarshal(got.Bytes(), &v); err != nil || len(v) != len(os) {
					t.Fatal(fmt.Errorf("round %d: %d objects of %d: %v", round, len(v), len(os), err))
				}
			}
		}
	}
}
