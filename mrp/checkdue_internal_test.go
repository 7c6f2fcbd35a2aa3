package mrp

import (
	"fmt"
	"testing"
	"time"
)

// TestCheckDue: the self-checks after a net change run on a planner's
// first change and then on every third (1st, 4th, 7th, ...), and never on
// a plan of checkNetChangeMaxSize items and demands or more.
func TestCheckDue(t *testing.T) {
	start := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	cal := Calendar{Start: start, Horizon: 20, Weekend: []time.Weekday{}}
	small, err := New(&Input{Items: []Item{{ID: "A", Kind: Buy}}, Calendar: cal}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var got []bool
	for range 7 {
		got = append(got, small.checkDue())
	}
	if want := []bool{true, false, false, true, false, false, true}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("checked %v, want %v", got, want)
	}
	big := &Input{Calendar: cal}
	for i := range checkNetChangeMaxSize {
		big.Items = append(big.Items, Item{ID: fmt.Sprintf("I%d", i), Kind: Buy})
	}
	p, err := New(big, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for k := range 4 {
		if p.checkDue() {
			t.Fatalf("change %d of a plan of %d items checked", k+1, checkNetChangeMaxSize)
		}
	}
}
