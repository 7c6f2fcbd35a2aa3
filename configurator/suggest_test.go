package configurator

import "testing"

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"triplx", "triplex", 1}, {"tirplex", "triplex", 1},
		{"Mast", "mast", 1}, {"MAST", "mast", 2}, {"kitten", "sitting", 3}, {"吨", "顿", 1},
		{"abc", "abc", 0},
	}
	for _, tc := range cases {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := editDistance(tc.b, tc.a); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d (not symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"duplex", "triplex", "quad", "capacity", "cap"}
	cases := map[string]string{
		"triplx": "triplex", "Triplex": "triplex", "qad": "quad", "capacty": "capacity",
		"cpa": "cap", "xyz": "", "lift_height": "", "duplex": "",
	}
	for name, want := range cases {
		if got := suggest(name, cands); got != want {
			t.Errorf("suggest(%q) = %q, want %q", name, got, want)
		}
	}
	if got := didYouMean("triplx", cands); got != ` (did you mean "triplex"?)` {
		t.Errorf("didYouMean = %q", got)
	}
}
