package engine

import "testing"

// TestConflictString: a conflict reads as a sentence whether it has picks,
// constraints, both or neither.
func TestConflictString(t *testing.T) {
	r := Constraint{Kind: "rule", Name: "r", Message: Labels{"en": "no triplex on small trucks"}}
	tb := Constraint{Kind: "table", Name: "t"}
	a, b := Pick{Char: "mast", Value: "triplex"}, Pick{Char: "capacity", Value: "t15"}
	for _, tc := range []struct {
		c    Conflict
		want string
	}{
		{Conflict{Picks: []Pick{a, b}, Constraints: []Constraint{r}}, "mast=triplex, capacity=t15 conflict with rule r (no triplex on small trucks)"},
		{Conflict{Picks: []Pick{a, b}}, "mast=triplex, capacity=t15 cannot hold together"},
		{Conflict{Constraints: []Constraint{r, tb}}, "the model has no valid configuration: these contradict each other: rule r (no triplex on small trucks); table t"},
		{Conflict{}, "the model has no valid configuration"},
	} {
		if got := tc.c.String(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}
