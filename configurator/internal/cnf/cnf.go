// Package cnf builds clause databases for gini: fresh variables, clauses
// tagged with a group (so a group can be switched off by a selector literal
// when conflicts are explained), Tseitin gates, at-most-one encodings and
// totalizers.
package cnf

import (
	"slices"

	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// NoGroup tags structural clauses that are never switched off.
const NoGroup = -1

// AMO selects an at-most-one encoding.
type AMO int

const (
	// AMOAuto uses pairwise clauses up to 64 literals, a ladder above.
	AMOAuto AMO = iota
	// AMOPairwise: one binary clause per pair of literals.
	AMOPairwise
	// AMOLadder: the sequential (ladder) encoding, 3n clauses, n-1 aux vars.
	AMOLadder
)

// Builder accumulates a CNF. The zero value is not usable; call New.
type Builder struct {
	nVars  int
	lits   []z.Lit // clauses, each terminated by 0
	groups []int32 // group of each clause
	group  int32
	True   z.Lit // a literal fixed to true
	AMO    AMO

	andCache map[[2]z.Lit]z.Lit
	mark     []uint32 // per variable: stamp<<1 | negated, for Clause
	stamp    uint32
}

// New returns a builder with one variable fixed to true.
func New() *Builder {
	b := &Builder{group: NoGroup, andCache: map[[2]z.Lit]z.Lit{}}
	b.True = b.NewLit()
	b.Clause(b.True)
	return b
}

// NewLit allocates a fresh variable and returns its positive literal.
func (b *Builder) NewLit() z.Lit {
	b.nVars++
	return z.Var(b.nVars).Pos()
}

// Grow makes room for lits more literals (counting each clause's end)
// in clauses more clauses, so that adding them does not copy what is
// there.
func (b *Builder) Grow(lits, clauses int) {
	b.lits = slices.Grow(b.lits, lits)
	b.groups = slices.Grow(b.groups, clauses)
}

// NumVars is the number of variables allocated so far.
func (b *Builder) NumVars() int { return b.nVars }

// NumClauses is the number of clauses added so far.
func (b *Builder) NumClauses() int { return len(b.groups) }

// SetGroup tags the clauses added from now on with g (NoGroup: structural).
func (b *Builder) SetGroup(g int) { b.group = int32(g) }

// Group returns the current group.
func (b *Builder) Group() int { return int(b.group) }

// False is the constant false literal.
func (b *Builder) False() z.Lit { return b.True.Not() }

// Clause adds the disjunction of ms. Literals fixed false are dropped, and a
// clause holding the true literal or a literal and its negation is skipped.
func (b *Builder) Clause(ms ...z.Lit) {
	start := len(b.lits)
	b.stamp++
	if len(b.mark) <= b.nVars {
		b.mark = append(b.mark, make([]uint32, b.nVars+1-len(b.mark))...)
	}
	for _, m := range ms {
		if len(b.groups) > 0 {
			if m == b.True.Not() {
				continue
			}
			if m == b.True {
				b.lits = b.lits[:start]
				return
			}
		}
		v := m.Var()
		want := b.stamp << 1
		if !m.IsPos() {
			want |= 1
		}
		if got := b.mark[v]; got>>1 == b.stamp {
			if got == want {
				continue
			}
			b.lits = b.lits[:start] // tautology
			return
		}
		b.mark[v] = want
		b.lits = append(b.lits, m)
	}
	b.lits = append(b.lits, 0)
	b.groups = append(b.groups, b.group)
}

// Implies adds a -> (ms[0] or ms[1] ...).
func (b *Builder) Implies(a z.Lit, ms ...z.Lit) {
	c := make([]z.Lit, 0, len(ms)+1)
	c = append(c, a.Not())
	c = append(c, ms...)
	b.Clause(c...)
}

// And returns a literal equivalent to the conjunction of ms.
func (b *Builder) And(ms ...z.Lit) z.Lit {
	ms = b.simplify(ms, b.True)
	switch {
	case ms == nil:
		return b.False()
	case len(ms) == 0:
		return b.True
	case len(ms) == 1:
		return ms[0]
	case len(ms) == 2:
		k := [2]z.Lit{ms[0], ms[1]}
		if k[0] > k[1] {
			k[0], k[1] = k[1], k[0]
		}
		if t, ok := b.andCache[k]; ok {
			return t
		}
		t := b.and(ms)
		b.andCache[k] = t
		return t
	}
	return b.and(ms)
}

func (b *Builder) and(ms []z.Lit) z.Lit {
	g := b.group
	b.group = NoGroup
	t := b.NewLit()
	back := make([]z.Lit, 0, len(ms)+1)
	for _, m := range ms {
		b.Clause(t.Not(), m)
		back = append(back, m.Not())
	}
	back = append(back, t)
	b.Clause(back...)
	b.group = g
	return t
}

// Or returns a literal equivalent to the disjunction of ms.
func (b *Builder) Or(ms ...z.Lit) z.Lit {
	neg := make([]z.Lit, len(ms))
	for i, m := range ms {
		neg[i] = m.Not()
	}
	return b.And(neg...).Not()
}

// Iff returns a literal equivalent to (x <-> y).
func (b *Builder) Iff(x, y z.Lit) z.Lit {
	switch {
	case x == y:
		return b.True
	case x == y.Not():
		return b.False()
	case x == b.True:
		return y
	case x == b.False():
		return y.Not()
	case y == b.True:
		return x
	case y == b.False():
		return x.Not()
	}
	g := b.group
	b.group = NoGroup
	t := b.NewLit()
	b.Clause(t.Not(), x.Not(), y)
	b.Clause(t.Not(), x, y.Not())
	b.Clause(t, x, y)
	b.Clause(t, x.Not(), y.Not())
	b.group = g
	return t
}

// simplify drops the neutral literal unit and duplicates from ms; it returns
// nil when ms holds the absorbing literal (unit.Not()) or a literal and its
// negation, and an empty non-nil slice when nothing is left.
func (b *Builder) simplify(ms []z.Lit, unit z.Lit) []z.Lit {
	out := make([]z.Lit, 0, len(ms))
	seen := make(map[z.Lit]bool, len(ms))
	for _, m := range ms {
		if m == unit || seen[m] {
			continue
		}
		if m == unit.Not() || seen[m.Not()] {
			return nil
		}
		seen[m] = true
		out = append(out, m)
	}
	return out
}

// AtMostOne adds clauses allowing at most one of ms to be true.
func (b *Builder) AtMostOne(ms ...z.Lit) {
	enc := b.AMO
	if enc == AMOAuto {
		enc = AMOPairwise
		if len(ms) > 64 {
			enc = AMOLadder
		}
	}
	if enc == AMOPairwise || len(ms) <= 2 {
		for i := range ms {
			for j := i + 1; j < len(ms); j++ {
				b.Clause(ms[i].Not(), ms[j].Not())
			}
		}
		return
	}
	// Ladder: s[i] means "one of ms[0..i] is true".
	s := make([]z.Lit, len(ms)-1)
	for i := range s {
		s[i] = b.NewLit()
	}
	for i, m := range ms {
		if i < len(s) {
			b.Clause(m.Not(), s[i])
		}
		if i > 0 {
			b.Clause(s[i-1].Not(), m.Not())
			if i < len(s) {
				b.Clause(s[i-1].Not(), s[i])
			}
		}
	}
}

// ExactlyOne adds clauses making exactly one of ms true.
func (b *Builder) ExactlyOne(ms ...z.Lit) {
	b.Clause(ms...)
	b.AtMostOne(ms...)
}

// Totalizer returns unary count outputs o with o[k] true iff at least k of ms
// are true (o[0] is the true literal), for k = 0..len(ms). Both directions
// are encoded, so o can be used in either polarity.
func (b *Builder) Totalizer(ms []z.Lit) []z.Lit {
	g := b.group
	b.group = NoGroup
	defer func() { b.group = g }()
	return b.totalize(ms)
}

func (b *Builder) totalize(ms []z.Lit) []z.Lit {
	if len(ms) == 1 {
		return []z.Lit{b.True, ms[0]}
	}
	if len(ms) == 0 {
		return []z.Lit{b.True}
	}
	l := b.totalize(ms[:len(ms)/2])
	r := b.totalize(ms[len(ms)/2:])
	p, q := len(l)-1, len(r)-1
	o := make([]z.Lit, p+q+1)
	o[0] = b.True
	for k := 1; k <= p+q; k++ {
		o[k] = b.NewLit()
	}
	for i := 0; i <= p; i++ {
		for j := 0; j <= q; j++ {
			if i+j > 0 {
				// l>=i and r>=j -> o>=i+j
				b.Clause(l[i].Not(), r[j].Not(), o[i+j])
			}
			if i+j+1 <= p+q {
				// l<i+1 and r<j+1 -> o<i+j+1
				c := []z.Lit{o[i+j+1].Not()}
				if i+1 <= p {
					c = append(c, l[i+1])
				}
				if j+1 <= q {
					c = append(c, r[j+1])
				}
				b.Clause(c...)
			}
		}
	}
	return o
}

// Lits returns every clause's literals, each clause ended by 0, in the
// order [Builder.Clauses] gives them. The slice is the builder's own: do
// not modify it.
func (b *Builder) Lits() []z.Lit { return b.lits }

// Clauses calls f for each clause and its group.
func (b *Builder) Clauses(f func(group int, lits []z.Lit)) {
	start, k := 0, 0
	for i, m := range b.lits {
		if m == 0 {
			f(int(b.groups[k]), b.lits[start:i])
			k++
			start = i + 1
		}
	}
}

// Gini loads the clauses into a new solver. With selectors, the clauses of
// group g get the extra literal -sel[g], so assuming sel[g] switches the
// group on; sel must then have one literal per group, all variables beyond
// NumVars.
func (b *Builder) Gini(sel []z.Lit) *gini.Gini {
	nv := b.nVars + len(sel)
	g := gini.NewVc(nv, len(b.groups))
	for nv > int(g.MaxVar()) {
		g.Lit()
	}
	b.Clauses(func(grp int, c []z.Lit) {
		for _, m := range c {
			g.Add(m)
		}
		if grp >= 0 && sel != nil {
			g.Add(sel[grp].Not())
		}
		g.Add(0)
	})
	return g
}
