package bom_test

import (
	"encoding/csv"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
)

// TestEpochs checks Store.Epochs on the demo data against bom.csv read
// directly: the first day, then every valid_from and every valid_to + 1
// inside the window, each once, in order.
func TestEpochs(t *testing.T) {
	const dir = "../testdata/forklift"
	f, err := os.Open(dir + "/bom.csv")
	if err != nil {
		t.Fatalf("demo data missing: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC) // a change day: included
	want := []time.Time{from}
	add := func(s string, plus int) {
		if s == "" {
			return
		}
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		d = d.AddDate(0, 0, plus)
		if d.After(from) && !d.After(to) && !slices.ContainsFunc(want, d.Equal) {
			want = append(want, d)
		}
	}
	for _, r := range rows[1:] {
		add(r[4], 0) // valid_from
		add(r[5], 1) // valid_to
	}
	slices.SortFunc(want, func(a, b time.Time) int { return a.Compare(b) })
	if len(want) < 4 {
		t.Fatalf("the demo data has dated changes in the window: %v", want)
	}
	s, _ := newStore(t)
	if err := s.ImportDir(ctx, dir, ""); err != nil {
		t.Fatal(err)
	}
	got := s.Epochs(from, to)
	if !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("epochs\n got  %v\n want %v", got, want)
	}
	// A window with no day after its first: that day alone.
	if e := s.Epochs(to, from); len(e) != 1 || !e[0].Equal(bom.DateOf(to).Time()) {
		t.Errorf("empty window: %v", e)
	}
}
