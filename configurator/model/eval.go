package model

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"

	"github.com/ctoplan/ctoplan/internal/typo"
)

// Eval evaluates the boolean expression e on the configuration cfg.
//
// The semantics, which the SAT engine matches, are deliberately plain:
//   - Eq: the characteristic's single value equals Value (strings compared
//     exactly, so Int values must be canonical decimals); with no value (an
//     optional Single left empty) it equals only "". Neg negates.
//   - In: the value (or "" when there is none) is one of Values. Neg negates.
//   - Has: Value is among the chosen values of the Multi characteristic.
//   - Not, And (true when empty), Or (false when empty), Implies, Iff: the
//     usual truth tables.
//   - Cmp: integer comparison of [EvalInt] of both sides.
//
// Every subexpression is evaluated (there is no short-circuit), so the
// result, and whether there is an error, does not depend on operand order:
// an error anywhere is the error of the whole. Errors wrap [ErrNoValue]
// (cfg lacks a characteristic e refers to, or has more than one value for a
// Single, Int or Bool one, or a non-integer for an Int one),
// [ErrDivisionByZero] or [ErrOverflow].
func Eval(e Expr, cfg Configuration) (bool, error) {
	switch e := e.(type) {
	case *Lit:
		return e.Val, nil
	case *Eq:
		v, err := oneValue(e.Char, cfg)
		if err != nil {
			return false, err
		}
		return (v == e.Value) != e.Neg, nil
	case *In:
		v, err := oneValue(e.Char, cfg)
		if err != nil {
			return false, err
		}
		return slices.Contains(e.Values, v) != e.Neg, nil
	case *Has:
		vs, ok := cfg[e.Char]
		if !ok {
			return false, fmt.Errorf("%w: no entry for %s", ErrNoValue, e.Char)
		}
		return slices.Contains(vs, e.Value), nil
	case *Not:
		x, err := Eval(e.X, cfg)
		return !x, err
	case *And:
		all := true
		var first error
		for _, x := range e.Xs {
			v, err := Eval(x, cfg)
			if err != nil && first == nil {
				first = err
			}
			all = all && v
		}
		return all && first == nil, first
	case *Or:
		any := false
		var first error
		for _, x := range e.Xs {
			v, err := Eval(x, cfg)
			if err != nil && first == nil {
				first = err
			}
			any = any || v
		}
		return any && first == nil, first
	case *Implies:
		l, errL := Eval(e.L, cfg)
		r, errR := Eval(e.R, cfg)
		if err := firstErr(errL, errR); err != nil {
			return false, err
		}
		return !l || r, nil
	case *Iff:
		l, errL := Eval(e.L, cfg)
		r, errR := Eval(e.R, cfg)
		if err := firstErr(errL, errR); err != nil {
			return false, err
		}
		return l == r, nil
	case *Cmp:
		l, errL := EvalInt(e.L, cfg)
		r, errR := EvalInt(e.R, cfg)
		if err := firstErr(errL, errR); err != nil {
			return false, err
		}
		return compareInts(e.Op, l, r), nil
	case nil:
		return false, fmt.Errorf("configurator: nil expression")
	}
	return false, fmt.Errorf("configurator: unknown expression type %T", e)
}

// compareInts applies op to l and r.
func compareInts(op CmpOp, l, r int64) bool {
	switch op {
	case OpEq:
		return l == r
	case OpNe:
		return l != r
	case OpLt:
		return l < r
	case OpLe:
		return l <= r
	case OpGt:
		return l > r
	case OpGe:
		return l >= r
	}
	return false
}

// EvalInt evaluates the integer expression e on cfg: IntRef is the value of
// an Int characteristic, Count the number of distinct chosen values of a
// Multi characteristic or the number of true expressions among Xs, Arith the
// int64 arithmetic of Go ("/" truncates toward zero, "%" has the sign of
// the dividend) except that overflow and division by zero are errors
// ([ErrOverflow], [ErrDivisionByZero]). Like [Eval], it evaluates every
// subexpression.
func EvalInt(e IntExpr, cfg Configuration) (int64, error) {
	switch e := e.(type) {
	case *IntLit:
		return e.Val, nil
	case *IntRef:
		v, err := oneValue(e.Char, cfg)
		if err != nil {
			return 0, err
		}
		if v == "" {
			return 0, fmt.Errorf("%w: %s has no value", ErrNoValue, e.Char)
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %s has value %q, not an integer", ErrNoValue, e.Char, v)
		}
		return n, nil
	case *Count:
		if e.Char != "" {
			vs, ok := cfg[e.Char]
			if !ok {
				return 0, fmt.Errorf("%w: no entry for %s", ErrNoValue, e.Char)
			}
			n := 0
			for i, v := range vs {
				if !slices.Contains(vs[:i], v) {
					n++
				}
			}
			return int64(n), nil
		}
		var n int64
		var first error
		for _, x := range e.Xs {
			v, err := Eval(x, cfg)
			if err != nil && first == nil {
				first = err
			}
			if v {
				n++
			}
		}
		if first != nil {
			return 0, first
		}
		return n, nil
	case *Arith:
		l, errL := EvalInt(e.L, cfg)
		r, errR := EvalInt(e.R, cfg)
		if err := firstErr(errL, errR); err != nil {
			return 0, err
		}
		return arithmetic(e.Op, l, r)
	case nil:
		return 0, fmt.Errorf("configurator: nil integer expression")
	}
	return 0, fmt.Errorf("configurator: unknown integer expression type %T", e)
}

// Apply computes l op r as [EvalInt] does: on int64, "/" truncating toward
// zero and "%" taking the sign of the dividend; an error wrapping
// [ErrDivisionByZero] or [ErrOverflow] where the result is undefined.
func (op ArithOp) Apply(l, r int64) (int64, error) { return arithmetic(op, l, r) }

// arithmetic applies op to l and r with the semantics of [EvalInt].
func arithmetic(op ArithOp, l, r int64) (int64, error) {
	switch op {
	case OpAdd:
		s := l + r
		if (s > l) != (r > 0) {
			return 0, fmt.Errorf("%w: %d + %d", ErrOverflow, l, r)
		}
		return s, nil
	case OpSub:
		s := l - r
		if (s < l) != (r > 0) {
			return 0, fmt.Errorf("%w: %d - %d", ErrOverflow, l, r)
		}
		return s, nil
	case OpMul:
		if l == 0 || r == 0 {
			return 0, nil
		}
		hi, lo := bits.Mul64(absU(l), absU(r))
		neg := (l < 0) != (r < 0)
		if hi != 0 || (!neg && lo > math.MaxInt64) || (neg && lo > 1<<63) {
			return 0, fmt.Errorf("%w: %d * %d", ErrOverflow, l, r)
		}
		return l * r, nil
	case OpDiv, OpMod:
		if r == 0 {
			return 0, fmt.Errorf("%w: %d %s 0", ErrDivisionByZero, l, op)
		}
		if l == math.MinInt64 && r == -1 {
			if op == OpMod {
				return 0, nil
			}
			return 0, fmt.Errorf("%w: %d / -1", ErrOverflow, l)
		}
		if op == OpDiv {
			return l / r, nil
		}
		return l % r, nil
	}
	return 0, fmt.Errorf("configurator: unknown arithmetic operator %d", op)
}

func absU(x int64) uint64 {
	if x < 0 {
		return uint64(-(x + 1)) + 1
	}
	return uint64(x)
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// oneValue returns the single value of char in cfg ("" when it has none).
func oneValue(char string, cfg Configuration) (string, error) {
	vs, ok := cfg[char]
	switch {
	case !ok:
		return "", fmt.Errorf("%w: no entry for %s", ErrNoValue, char)
	case len(vs) == 0:
		return "", nil
	case len(vs) > 1:
		return "", fmt.Errorf("%w: %s has %d values, want one", ErrNoValue, char, len(vs))
	}
	return vs[0], nil
}

// EvalTable reports whether the configuration cfg satisfies table t: for an
// Allowed table some row matches, for a Forbidden one no row does. A row
// matches when every cell matches the column's value: * matches anything
// (also no value), a value set matches when it contains the value ("" for an
// optional Single left empty). Errors wrap [ErrNoValue].
func EvalTable(t *Table, cfg Configuration) (bool, error) {
	vals := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		v, err := oneValue(c, cfg)
		if err != nil {
			return false, err
		}
		vals[i] = v
	}
	matched := false
	for _, row := range t.Rows {
		if rowMatches(row, vals) {
			matched = true
			break
		}
	}
	return matched == (t.Kind == Allowed), nil
}

func rowMatches(row Row, vals []string) bool {
	if len(row.Cells) != len(vals) {
		return false
	}
	for i, cell := range row.Cells {
		if !cell.Any && !slices.Contains(cell.Values, vals[i]) {
			return false
		}
	}
	return true
}

// Violations checks a full configuration against m, the slow obviously
// right way. It returns an error when cfg is not a full configuration of m
// (a characteristic missing or unknown, a value outside the domain, a Single
// with other than one value (zero or one when optional), duplicate values
// or a count outside MinCount..MaxCount for a Multi). Otherwise it returns
// the names of the rules and tables that do not hold, in model order (nil
// when cfg is valid). A rule whose evaluation fails on cfg (division by
// zero, overflow) does not hold.
func (m *Model) Violations(cfg Configuration) ([]string, error) {
	for name := range cfg {
		if m.Char(name) == nil {
			return nil, fmt.Errorf("%w: unknown characteristic %s%s", ErrNoValue, typo.Quote(name), didYouMean(name, m.CharNames()))
		}
	}
	for _, c := range m.Chars {
		if err := c.checkValues(cfg); err != nil {
			return nil, err
		}
	}
	var bad []string
	for _, r := range m.Rules {
		if ok, err := Eval(r.Expr, cfg); !ok || err != nil {
			bad = append(bad, r.Name)
		}
	}
	for _, t := range m.Tables {
		if ok, err := EvalTable(t, cfg); !ok || err != nil {
			bad = append(bad, t.Name)
		}
	}
	return bad, nil
}

// checkValues checks that cfg gives c an admissible set of values.
func (c *Characteristic) checkValues(cfg Configuration) error {
	vs, ok := cfg[c.Name]
	if !ok {
		return fmt.Errorf("%w: no entry for %s", ErrNoValue, c.Name)
	}
	for i, v := range vs {
		if !c.InDomain(v) {
			return fmt.Errorf("%w: %s is not a value of %s%s", ErrNoValue, typo.Quote(v), c.Name, didYouMean(v, c.Domain()))
		}
		if slices.Contains(vs[:i], v) {
			return fmt.Errorf("%w: %s has %q twice", ErrNoValue, c.Name, v)
		}
	}
	lo, hi := 1, 1
	switch {
	case c.Kind == Single && c.Optional:
		lo = 0
	case c.Kind == Multi:
		lo, hi = c.MinCount, c.MaxCount
		if hi < 0 {
			hi = len(c.Values)
		}
	}
	if len(vs) < lo || len(vs) > hi {
		return fmt.Errorf("%w: %s has %d values, want %d..%d", ErrNoValue, c.Name, len(vs), lo, hi)
	}
	return nil
}
