package engine

import (
	"context"

	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// Rotation by unit propagation. The search witnesses values one model at
// a time, and a model holds one value of each characteristic: a
// characteristic with k values not yet witnessed costs at least k models,
// whatever the push holds beside them. On the forklift the 16 values of
// fork_length set the count: the slowest Session.Pick calls (the first
// picks of a session) each solved 15 models, 60 µs each.
//
// After each model the search finds, the characteristics (not
// multi-valued ones) that still have at least minRotateUP undecided values
// are rotated: every other characteristic is held at its value in the
// model (one test scope), and each undecided value of a rotated one is
// tried in a scope of its own with the other rotated characteristics held
// too. When unit propagation then assigns every variable without a
// conflict, the assignment satisfies every clause (gini's Test answers 1
// only then), so it is a model: it witnesses the value without a solve.
// A value that fails or leaves variables unassigned is left to the
// search; rotation never decides that a value is excluded.
//
// Measured on the forklift (throwaway counters, 16 seeded walks of 20
// picks, per-pick medians of 15 alternated runs of thread CPU):
// rotating every characteristic with 2 or more undecided values cost more
// than it saved (p99 0.85 -> 1.11 ms); with 4-8 the p99 fell 0.76 ->
// 0.61-0.64 ms, the slowest 5% 0.70 -> 0.58 ms; 16 never rotates. Holding
// the unrotated characteristics once per model (not once per rotated
// characteristic) and assuming the true literals first (the false ones
// then follow by unit propagation, without a decision level each) made
// the difference between 0.69 and 0.58 ms. Rotating the stored models
// that seed a pick as well did not help.
const minRotateUP = 4

// maxRotateUP bounds the characteristics rotated after one model: each is
// tried with all the others rotated held, so the work grows with the
// square of their number. A chain of 1,000 int characteristics (a_i <=
// a_{i+1}, 21 values each) rotated them all after every model and took
// 17.5 s to propagate, 93% of it here.
const maxRotateUP = 32

// upTable lists, per characteristic, its targets, the distinct variables
// of those targets and one target of each variable (to read the
// variable's value in a model's bitset); and the characteristics that may
// ever be rotated (not multi-valued, at least rotUPMin targets).
type upTable struct {
	targets [][]int32
	vars    [][]z.Var
	tgts    [][]int32
	// cands lists the characteristics with enough values to rotate. A
	// pass over every characteristic after each model, asking each for
	// its kind, was 11% of the CPU of Freetz's slowest picks (31k bool
	// characteristics, none of which ever rotates); the list is empty on
	// a model of bools.
	cands []int32
}

// upTab returns c's rotation table, built on first use.
func (c *Compiled) upTab() *upTable {
	c.upOnce.Do(func() {
		t := &upTable{targets: make([][]int32, len(c.chars)), vars: make([][]z.Var, len(c.chars)), tgts: make([][]int32, len(c.chars))}
		seen := make([]bool, c.cnf.NumVars()+1)
		for i, l := range c.targetLit {
			ci := c.slots[c.targetOf[i]].char
			t.targets[ci] = append(t.targets[ci], int32(i))
			if v := l.Var(); !seen[v] {
				seen[v] = true
				t.vars[ci] = append(t.vars[ci], v)
				t.tgts[ci] = append(t.tgts[ci], int32(i))
			}
		}
		for x := range c.chars {
			if c.chars[x].c.Kind != Multi && len(t.targets[x]) >= c.rotUPMin {
				t.cands = append(t.cands, int32(x))
			}
		}
		c.upTabV = t
	})
	return c.upTabV
}

// upScratch is rotateUP's scratch, one per solver of a search.
type upScratch struct {
	rot []int
	in  []bool
	as  []z.Lit
}

// upScratch returns a scratch for rotateUP from c's pool (put back by
// the caller): made per search, its two slices were a twentieth of a
// forklift pick's garbage.
func (c *Compiled) upScratch() *upScratch {
	if sc, ok := c.upPool.Get().(*upScratch); ok {
		return sc
	}
	return &upScratch{}
}

// rotateUP rotates the model m (see minRotateUP) in g, which must hold no
// test scope above the caller's (picks, held dead values): it opens and
// closes its own. It stops early once ctx is done (every upCtxEvery
// tests): a domain of thousands of values takes a test each, and each
// test propagates across the domain's encoding (int 0..16383: 26 s, past
// any deadline); the caller's next solve returns ctx's error.
func (st *propState) rotateUP(ctx context.Context, g *gini.Gini, m bitset, sc *upScratch) {
	c := st.c
	if c.rotUPMin <= 0 {
		return
	}
	tab := c.upTab()
	if sc.in == nil {
		sc.in = make([]bool, len(c.chars))
	}
	rot, inRot := sc.rot[:0], sc.in
	defer func() {
		for _, x := range rot {
			inRot[x] = false
		}
		sc.rot = rot[:0]
	}()
	for _, x32 := range tab.cands {
		x := int(x32)
		n := 0
		for _, t := range tab.targets[x] {
			if !st.possible.hasA(int(t)) && !st.dead.hasA(int(t)) {
				n++
			}
		}
		if n >= c.rotUPMin {
			rot = append(rot, x)
			if len(rot) == maxRotateUP {
				break
			}
		}
	}
	if len(rot) == 0 {
		return
	}
	for _, x := range rot {
		inRot[x] = true
	}
	lits := c.targetLit
	if sc.as == nil {
		// one literal per target variable at most: grown by appends it
		// was a twelfth of a forklift pick's garbage
		sc.as = make([]z.Lit, 0, len(c.phases().vars))
	}
	as := sc.as[:0]
	defer func() { sc.as = as[:0] }()
	// hold assumes m's values of the characteristics keep selects, the
	// true literals first, and tests them.
	hold := func(keep func(int) bool) int {
		as = as[:0]
		for pass := range 2 {
			for y := range c.chars {
				if !keep(y) {
					continue
				}
				for i, v := range tab.vars[y] {
					t := tab.tgts[y][i]
					val := m.has(int(t)) == lits[t].IsPos()
					if val != (pass == 0) {
						continue
					}
					if val {
						as = append(as, v.Pos())
					} else {
						as = append(as, v.Neg())
					}
				}
			}
		}
		g.Assume(as...)
		r, _ := g.Test(nil)
		return r
	}
	if hold(func(y int) bool { return !inRot[y] }) == -1 {
		g.Untest() // cannot happen: m is a model
		return
	}
	tests, stop := 0, false
	for _, x := range rot {
		if stop {
			break
		}
		if len(rot) > 1 {
			if hold(func(y int) bool { return inRot[y] && y != x }) != 0 {
				g.Untest()
				continue
			}
		}
		for _, t := range tab.targets[x] {
			if st.possible.hasA(int(t)) || st.dead.hasA(int(t)) {
				continue
			}
			g.Assume(lits[t])
			if r, _ := g.Test(nil); r == 1 {
				st.mark(g)
			}
			g.Untest()
			if tests++; tests%upCtxEvery == 0 && ctx.Err() != nil {
				stop = true
				break
			}
		}
		if len(rot) > 1 {
			g.Untest()
		}
	}
	g.Untest()
}

// upCtxEvery is how many tests rotateUP makes between two looks at its
// context: on int 0..8191 a test took ~30 µs, so a few milliseconds.
const upCtxEvery = 64
