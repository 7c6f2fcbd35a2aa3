package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"text/tabwriter"
)

// countWriter counts the writes made to it.
type countWriter struct {
	bytes.Buffer
	writes int
}

func (w *countWriter) Write(b []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(b)
}

// TestWriteTableBuffered: a table of 5,000 rows comes out as a tabwriter
// writing straight to the output makes it, in a few writes (one per 64
// KB), not one per cell: on an unbuffered stdout each write is a system
// call (a 900,000-node supply tree took 7 s as a table, 2.4 s buffered).
func TestWriteTableBuffered(t *testing.T) {
	header := []string{"level", "item", "supply", "qty"}
	var rows [][]string
	for k := range 5000 {
		rows = append(rows, []string{fmt.Sprint(k % 7), fmt.Sprintf("P%07d", k), strings.Repeat("x", k%13), fmt.Sprint(k * 3)})
	}
	want := tabwriterTable(t, header, rows)
	var got countWriter
	if err := writeTable(&got, header, rows); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("writeTable's bytes differ from tabwriter's: %d vs %d bytes", got.Len(), want.Len())
	}
	if most := want.Len()/(64<<10) + 1; got.writes > most {
		t.Errorf("%d writes for %d bytes, want at most %d", got.writes, got.Len(), most)
	}
}

// TestWriteTableAsTabwriter: random tables (cells empty, wide, multi-byte,
// invalid UTF-8, with tabs, newlines and a tabwriter's control bytes;
// rows shorter and longer than the header) come out byte for byte as a
// tabwriter makes them.
func TestWriteTableAsTabwriter(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 12))
	pieces := []string{"", "a", "P0000012", "2026-01-05", "Größe", "\xff\xfe", "日本", " ", "x\ty", "x\ny", "\v", "\f", strings.Repeat("w", 70)}
	cell := func(plain bool) string {
		var b strings.Builder
		for range rng.IntN(3) {
			p := pieces[rng.IntN(len(pieces))]
			if plain && (strings.ContainsAny(p, "\t\n\v\f") || strings.IndexByte(p, 0xff) >= 0) {
				continue
			}
			b.WriteString(p)
		}
		return b.String()
	}
	for round := range 400 {
		plain := round%2 == 0
		cols := 1 + rng.IntN(5)
		header := make([]string, cols)
		for j := range header {
			header[j] = cell(plain)
		}
		rows := make([][]string, rng.IntN(30))
		for i := range rows {
			n := cols
			if !plain && rng.IntN(8) == 0 {
				n = 1 + rng.IntN(6)
			}
			for range n {
				rows[i] = append(rows[i], cell(plain))
			}
		}
		want := tabwriterTable(t, header, rows)
		var got bytes.Buffer
		if err := writeTable(&got, header, rows); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("round %d: header %q rows %q:\n got %q\nwant %q", round, header, rows, got.String(), want.String())
		}
	}
}

// tabwriterTable is the table a text/tabwriter (minimum width 0, padding
// 2, spaces, no flags) makes of the tab-separated header and rows.
func tabwriterTable(t *testing.T, header []string, rows [][]string) *bytes.Buffer {
	t.Helper()
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	return &b
}
