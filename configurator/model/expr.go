package model

// Expr is a boolean expression of the rule language, resolved against a
// model: every name in it is a characteristic of that model. The concrete
// types are *Lit, *Eq, *In, *Has, *Not, *And, *Or, *Implies, *Iff and *Cmp.
type Expr interface {
	// Position is where the expression starts in its source (zero when
	// built in Go code).
	Position() Pos
	exprNode()
}

// IntExpr is an integer expression: *IntLit, *IntRef, *Count, *Arith.
type IntExpr interface {
	Position() Pos
	intNode()
}

// Lit is the constant true or false.
type Lit struct {
	Val bool
	Pos Pos
}

// Eq is "Char = Value" (or "Char != Value" when Neg). It applies to Single,
// Int (Value decimal) and Bool (Value "true"/"false") characteristics; a bare
// boolean characteristic name in a rule is Eq{Char, "true"}. For an optional
// Single characteristic Value "" is "none".
type Eq struct {
	Char, Value string
	Neg         bool
	Pos         Pos
}

// In is "Char in {Values}" (or "not in" when Neg), for Single, Int and Bool.
type In struct {
	Char   string
	Values []string
	Neg    bool
	Pos    Pos
}

// Has is "has(Char, Value)" for a Multi characteristic.
type Has struct {
	Char, Value string
	Pos         Pos
}

// Not is logical negation.
type Not struct {
	X   Expr
	Pos Pos
}

// And is the conjunction of Xs (true when empty).
type And struct {
	Xs  []Expr
	Pos Pos
}

// Or is the disjunction of Xs (false when empty).
type Or struct {
	Xs  []Expr
	Pos Pos
}

// Implies is "L -> R".
type Implies struct {
	L, R Expr
	Pos  Pos
}

// Iff is "L <-> R".
type Iff struct {
	L, R Expr
	Pos  Pos
}

// CmpOp is a comparison operator.
type CmpOp int

const (
	OpEq CmpOp = iota // =
	OpNe              // !=
	OpLt              // <
	OpLe              // <=
	OpGt              // >
	OpGe              // >=
)

var cmpOpNames = [...]string{OpEq: "=", OpNe: "!=", OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">="}

func (o CmpOp) String() string { return cmpOpNames[o] }

// Cmp compares two integer expressions.
type Cmp struct {
	Op   CmpOp
	L, R IntExpr
	Pos  Pos
}

// IntLit is an integer constant.
type IntLit struct {
	Val int64
	Pos Pos
}

// IntRef is the value of an Int characteristic.
type IntRef struct {
	Char string
	Pos  Pos
}

// Count is either the number of values chosen for the Multi characteristic
// Char (when Char != ""), or the number of true expressions among Xs.
type Count struct {
	Char string
	Xs   []Expr
	Pos  Pos
}

// ArithOp is an arithmetic operator.
type ArithOp int

const (
	OpAdd ArithOp = iota // +
	OpSub                // -
	OpMul                // *
	OpDiv                // / (truncated toward zero; division by zero is an evaluation error)
	OpMod                // %
)

var arithOpNames = [...]string{OpAdd: "+", OpSub: "-", OpMul: "*", OpDiv: "/", OpMod: "%"}

func (o ArithOp) String() string { return arithOpNames[o] }

// Arith is "L Op R".
type Arith struct {
	Op   ArithOp
	L, R IntExpr
	Pos  Pos
}

func (e *Lit) Position() Pos     { return e.Pos }
func (e *Eq) Position() Pos      { return e.Pos }
func (e *In) Position() Pos      { return e.Pos }
func (e *Has) Position() Pos     { return e.Pos }
func (e *Not) Position() Pos     { return e.Pos }
func (e *And) Position() Pos     { return e.Pos }
func (e *Or) Position() Pos      { return e.Pos }
func (e *Implies) Position() Pos { return e.Pos }
func (e *Iff) Position() Pos     { return e.Pos }
func (e *Cmp) Position() Pos     { return e.Pos }
func (e *IntLit) Position() Pos  { return e.Pos }
func (e *IntRef) Position() Pos  { return e.Pos }
func (e *Count) Position() Pos   { return e.Pos }
func (e *Arith) Position() Pos   { return e.Pos }

func (*Lit) exprNode()     {}
func (*Eq) exprNode()      {}
func (*In) exprNode()      {}
func (*Has) exprNode()     {}
func (*Not) exprNode()     {}
func (*And) exprNode()     {}
func (*Or) exprNode()      {}
func (*Implies) exprNode() {}
func (*Iff) exprNode()     {}
func (*Cmp) exprNode()     {}
func (*IntLit) intNode()   {}
func (*IntRef) intNode()   {}
func (*Count) intNode()    {}
func (*Arith) intNode()    {}

// cloneExpr returns a deep copy of e (nil for nil).
func cloneExpr(e Expr) Expr {
	switch e := e.(type) {
	case *Lit:
		c := *e
		return &c
	case *Eq:
		c := *e
		return &c
	case *In:
		c := *e
		c.Values = cloneStrings(e.Values)
		return &c
	case *Has:
		c := *e
		return &c
	case *Not:
		return &Not{X: cloneExpr(e.X), Pos: e.Pos}
	case *And:
		return &And{Xs: cloneExprs(e.Xs), Pos: e.Pos}
	case *Or:
		return &Or{Xs: cloneExprs(e.Xs), Pos: e.Pos}
	case *Implies:
		return &Implies{L: cloneExpr(e.L), R: cloneExpr(e.R), Pos: e.Pos}
	case *Iff:
		return &Iff{L: cloneExpr(e.L), R: cloneExpr(e.R), Pos: e.Pos}
	case *Cmp:
		return &Cmp{Op: e.Op, L: cloneIntExpr(e.L), R: cloneIntExpr(e.R), Pos: e.Pos}
	}
	return nil
}

// cloneIntExpr returns a deep copy of e (nil for nil).
func cloneIntExpr(e IntExpr) IntExpr {
	switch e := e.(type) {
	case *IntLit:
		c := *e
		return &c
	case *IntRef:
		c := *e
		return &c
	case *Count:
		return &Count{Char: e.Char, Xs: cloneExprs(e.Xs), Pos: e.Pos}
	case *Arith:
		return &Arith{Op: e.Op, L: cloneIntExpr(e.L), R: cloneIntExpr(e.R), Pos: e.Pos}
	}
	return nil
}

func cloneExprs(xs []Expr) []Expr {
	if xs == nil {
		return nil
	}
	c := make([]Expr, len(xs))
	for i, x := range xs {
		c[i] = cloneExpr(x)
	}
	return c
}

// walk calls fn for e and, depth first, for every boolean subexpression of
// it, including those inside count(...) of integer subexpressions; fnInt
// (when not nil) is called for every integer subexpression. Nil children
// are skipped.
func walk(e Expr, fn func(Expr), fnInt func(IntExpr)) {
	if e == nil {
		return
	}
	fn(e)
	switch e := e.(type) {
	case *Not:
		walk(e.X, fn, fnInt)
	case *And:
		for _, x := range e.Xs {
			walk(x, fn, fnInt)
		}
	case *Or:
		for _, x := range e.Xs {
			walk(x, fn, fnInt)
		}
	case *Implies:
		walk(e.L, fn, fnInt)
		walk(e.R, fn, fnInt)
	case *Iff:
		walk(e.L, fn, fnInt)
		walk(e.R, fn, fnInt)
	case *Cmp:
		walkInt(e.L, fn, fnInt)
		walkInt(e.R, fn, fnInt)
	}
}

// walkInt is walk for an integer expression.
func walkInt(e IntExpr, fn func(Expr), fnInt func(IntExpr)) {
	if e == nil {
		return
	}
	if fnInt != nil {
		fnInt(e)
	}
	switch e := e.(type) {
	case *Count:
		for _, x := range e.Xs {
			walk(x, fn, fnInt)
		}
	case *Arith:
		walkInt(e.L, fn, fnInt)
		walkInt(e.R, fn, fnInt)
	}
}

// Chars returns the names of the characteristics e refers to, each once, in
// order of first appearance.
func Chars(e Expr) []string {
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	walk(e, func(x Expr) {
		switch x := x.(type) {
		case *Eq:
			add(x.Char)
		case *In:
			add(x.Char)
		case *Has:
			add(x.Char)
		}
	}, func(x IntExpr) {
		switch x := x.(type) {
		case *IntRef:
			add(x.Char)
		case *Count:
			add(x.Char)
		}
	})
	return names
}

// HasArith reports whether e holds integer arithmetic (+, -, *, /, %).
func HasArith(e Expr) bool {
	found := false
	walk(e, func(Expr) {}, func(x IntExpr) {
		if _, ok := x.(*Arith); ok {
			found = true
		}
	})
	return found
}
