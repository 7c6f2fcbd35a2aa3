package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// TestRepairTestAfterHandWorked: in chainModel, b=2 has no tuple in ab
// (dead by arc consistency, and by unit propagation with nothing assumed:
// the sweep), while a=2 is dead but has a supporting tuple in every table
// over a (ab (2,1), ac (2,0)) and b=1, c=1 have theirs (bc (1,1)): not
// dead by arc consistency. Unit propagation from a=2 refutes it (ab: b=1,
// bc: c=1, ac forbids (2,1)), so it is a failed literal: repair fails on
// every stored model and the test after testAfter of them kills it.
// Explain names the same tables whatever testAfter is.
func TestRepairTestAfterHandWorked(t *testing.T) {
	ctx := context.Background()
	defer func(k int) { testAfter = k }(testAfter)
	// What the first model and the sweep leave: b=2 dead, a=2 not.
	c, err := Compile(chainModel())
	if err != nil {
		t.Fatal(err)
	}
	slot := func(char, value string) int {
		ci := c.byName[char]
		k, _ := c.valueIndex(&c.chars[ci], value)
		return c.chars[ci].first + k // targets are the slots: no multi chars
	}
	g := c.takeBase()
	st := c.newState()
	if r, err := solve(ctx, g, nil); r != 1 || err != nil {
		t.Fatal(r, err)
	}
	st.witness(g)
	st.sweep(g)
	if !st.dead.has(slot("b", "2")) || st.dead.has(slot("a", "2")) || st.possible.has(slot("a", "2")) {
		t.Fatalf("after the sweep: b=2 dead %v, a=2 dead %v, possible %v; want true, false, false",
			st.dead.has(slot("b", "2")), st.dead.has(slot("a", "2")), st.possible.has(slot("a", "2")))
	}
	var ref []string
	for _, k := range []int{0, 1, testAfter, maxBases} {
		testAfter = k
		c, err := Compile(chainModel())
		if err != nil {
			t.Fatal(err)
		}
		d, err := c.Propagate(ctx, nil)
		if err != nil || !d.Valid {
			t.Fatal(err)
		}
		for _, cv := range [][2]string{{"a", "2"}, {"b", "2"}} {
			if s, _ := d.Status(cv[0], cv[1]); s != Excluded {
				t.Fatalf("testAfter %d: %s=%s is %v, want excluded", k, cv[0], cv[1], s)
			}
		}
		for _, cv := range [][2]string{{"a", "0"}, {"a", "1"}, {"b", "0"}, {"b", "1"}, {"c", "0"}, {"c", "1"}} {
			if s, _ := d.Status(cv[0], cv[1]); s != Possible {
				t.Fatalf("testAfter %d: %s=%s is %v, want possible", k, cv[0], cv[1], s)
			}
		}
		var got []string
		for _, cv := range [][2]string{{"a", "2"}, {"b", "2"}} {
			e, err := c.Explain(ctx, nil, cv[0], cv[1])
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, e.String())
		}
		want := []string{"a=2 is excluded because of table ab; table ac; table bc", "b=2 is excluded because of table ab"}
		if ref == nil {
			ref = got
			for i := range want {
				if !sameSet(ref[i], want[i]) {
					t.Fatalf("testAfter %d: %q, want %q", k, ref[i], want[i])
				}
			}
		} else if fmt.Sprint(got) != fmt.Sprint(ref) {
			t.Fatalf("testAfter %d: explanations %q, with testAfter 0 %q", k, got, ref)
		}
	}
}

// sameSet reports whether two explanation strings name the same value and
// status and the same set of "; "-separated reasons.
func sameSet(a, b string) bool {
	if h, _, _ := strings.Cut(a, " because of "); !strings.HasPrefix(b, h+" because of ") {
		return false
	}
	split := func(s string) map[string]bool {
		m := map[string]bool{}
		_, r, _ := strings.Cut(s, " because of ")
		for _, x := range strings.Split(r, "; ") {
			m[x] = true
		}
		return m
	}
	x, y := split(a), split(b)
	if len(x) != len(y) {
		return false
	}
	for k := range x {
		if !y[k] {
			return false
		}
	}
	return true
}

// TestRepairTestAfterProperty: on random table models, domains with
// nothing picked and under random picks are those of one SAT call per
// value (the naive method) whether the failed-literal test comes after 0,
// 1, testAfter or maxBases models, and so are the explanations of the excluded
// values with nothing picked (they come from the explanation solver,
// never from repair's level-0 units).
func TestRepairTestAfterProperty(t *testing.T) {
	ctx := context.Background()
	def := testAfter
	defer func() { testAfter = def }()
	r := rand.New(rand.NewPCG(14, 4))
	naive := func(o *Options) { o.knobs = cfgtune.Knobs{Method: cfgtune.Naive} }
	excluded := 0
	for i := range 150 {
		m := randomCSP(r)
		ref, err := Compile(m, naive)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ref.Propagate(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var picks []Pick
		if want.Valid {
			for range 2 {
				cd := want.Chars[r.IntN(len(want.Chars))]
				v := cd.Values[r.IntN(len(cd.Values))]
				if v.Status == Possible {
					picks = append(picks, Pick{Char: cd.Char, Value: v.Value, Exclude: r.IntN(3) == 0})
				}
			}
		}
		wantP, err := ref.Propagate(ctx, picks)
		if err != nil {
			t.Fatal(err)
		}
		var refExpl []string
		for _, k := range []int{0, 1, def, maxBases} {
			testAfter = k
			c, err := Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("model %d, testAfter %d", i, k)
			got, err := c.Propagate(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			sameDomains(t, name+", nothing picked", got, want)
			gotP, err := c.Propagate(ctx, picks)
			if err != nil {
				t.Fatal(err)
			}
			sameDomains(t, fmt.Sprintf("%s, picks %v", name, picks), gotP, wantP)
			if !want.Valid {
				continue
			}
			var expl []string
			for _, cd := range want.Chars {
				for _, v := range cd.Values {
					if v.Status == Excluded {
						e, err := c.Explain(ctx, nil, cd.Char, v.Value)
						if err != nil {
							t.Fatal(err)
						}
						expl = append(expl, e.String())
					}
				}
			}
			if refExpl == nil {
				refExpl = expl
				excluded += len(expl)
			} else if fmt.Sprint(expl) != fmt.Sprint(refExpl) {
				t.Fatalf("%s: explanations %q, with testAfter 0 %q", name, expl, refExpl)
			}
		}
	}
	if excluded == 0 {
		t.Fatal("no excluded value with nothing picked: the test exercised nothing")
	}
	t.Logf("%d excluded values explained", excluded)
}
