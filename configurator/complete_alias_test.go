package configurator_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

// Complete's answer holds its value lists in one backing array; a
// caller's append to one list must not show in the next. Hand-worked:
// clauses (x1 or x2) and (not x1 or not x2) force exactly one of the two;
// Complete takes each Bool characteristic's first value in domain order
// ("false", then "true"), so x1=false is consistent, x2 must then be
// true: x1=[false], x2=[true], x3=[false] (x3 is free).
func TestCompleteValueListsDoNotAlias(t *testing.T) {
	m, err := configurator.ReadDIMACS("alias.dimacs", strings.NewReader("p cnf 3 2\n1 2 0\n-1 -2 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := configurator.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	// Once before and once after propagation with nothing picked: the two
	// take different paths through Complete.
	for round := range 2 {
		if round == 1 {
			if _, err := c.Propagate(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
		}
		cfg, err := c.Complete(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		names := []string{m.Chars[0].Name, m.Chars[1].Name, m.Chars[2].Name}
		want := []string{"false", "true", "false"}
		for i, n := range names {
			if got := cfg[n]; len(got) != 1 || got[0] != want[i] {
				t.Fatalf("round %d: %s = %v, want [%s]", round, n, got, want[i])
			}
		}
		for _, n := range names {
			_ = append(cfg[n], "appended")
		}
		for i, n := range names {
			if got := cfg[n]; len(got) != 1 || got[0] != want[i] {
				t.Errorf("round %d: after appends to the lists, %s = %v, want [%s]", round, n, got, want[i])
			}
		}
	}
}
