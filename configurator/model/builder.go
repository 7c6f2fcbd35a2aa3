package model

// This file is the builder API: the same *Model the parser produces, made
// in Go code. Each Add method appends a declaration and returns it, so that
// labels, defaults and prices can be chained:
//
//	m := NewModel("forklift")
//	m.AddSingle("mast", "duplex", "triplex").SetLabel("en", "Mast").SetDefault("duplex")
//	m.AddRule("tall_triplex", "A triplex mast needs 2.5 t", ImpliesExpr(EqExpr("mast", "triplex"), EqExpr("capacity", "t25")))
//
// Nothing is checked while building: call [Model.Validate] at the end.

// NewModel returns an empty model called name.
func NewModel(name string) *Model { return &Model{Name: name} }

// SetLabel sets the model's label in language lang.
func (m *Model) SetLabel(lang, text string) *Model {
	m.Labels = setLabel(m.Labels, lang, text)
	return m
}

func setLabel(l Labels, lang, text string) Labels {
	if l == nil {
		l = Labels{}
	}
	l[lang] = text
	return l
}

func (m *Model) addChar(c *Characteristic, values []string) *Characteristic {
	for _, v := range values {
		c.AddValue(v)
	}
	m.Chars = append(m.Chars, c)
	return c
}

// AddSingle adds a characteristic that takes exactly one of values.
func (m *Model) AddSingle(name string, values ...string) *Characteristic {
	return m.addChar(&Characteristic{Name: name, Kind: Single}, values)
}

// AddOptional adds a characteristic that takes at most one of values.
func (m *Model) AddOptional(name string, values ...string) *Characteristic {
	return m.addChar(&Characteristic{Name: name, Kind: Single, Optional: true}, values)
}

// AddMulti adds a characteristic that takes any subset of values with
// between minCount and maxCount elements (maxCount < 0: no upper bound).
func (m *Model) AddMulti(name string, minCount, maxCount int, values ...string) *Characteristic {
	return m.addChar(&Characteristic{Name: name, Kind: Multi, MinCount: minCount, MaxCount: maxCount}, values)
}

// AddInt adds an integer characteristic taking lo, lo+step, ..., hi.
func (m *Model) AddInt(name string, lo, hi, step int64) *Characteristic {
	return m.addChar(&Characteristic{Name: name, Kind: Int, Min: lo, Max: hi, Step: step}, nil)
}

// AddBool adds a boolean characteristic.
func (m *Model) AddBool(name string) *Characteristic {
	return m.addChar(&Characteristic{Name: name, Kind: Bool}, nil)
}

// SetLabel sets the characteristic's label in language lang.
func (c *Characteristic) SetLabel(lang, text string) *Characteristic {
	c.Labels = setLabel(c.Labels, lang, text)
	return c
}

// SetDefault sets the default: one value (or "" for none) for a Single
// characteristic, a subset for a Multi one, a decimal for an Int one,
// "true" or "false" for a Bool one. No arguments clear it.
func (c *Characteristic) SetDefault(values ...string) *Characteristic {
	c.Default = cloneStrings(values)
	if len(values) == 0 {
		c.Default = nil
	}
	return c
}

// AddValue appends a value to the domain of a Single or Multi
// characteristic and returns it.
func (c *Characteristic) AddValue(name string) *Value {
	v := &Value{Name: name}
	c.Values = append(c.Values, v)
	return v
}

// SetLabel sets the value's label in language lang.
func (v *Value) SetLabel(lang, text string) *Value {
	v.Labels = setLabel(v.Labels, lang, text)
	return v
}

// SetPrice sets the value's price delta in minor units (cents).
func (v *Value) SetPrice(cents int64) *Value {
	v.Price = cents
	return v
}

// AddRule adds a rule with an English message (none when message is "").
func (m *Model) AddRule(name, message string, e Expr) *Rule {
	r := &Rule{Name: name, Expr: e}
	if message != "" {
		r.SetMessage("en", message)
	}
	m.Rules = append(m.Rules, r)
	return r
}

// SetMessage sets the rule's message in language lang.
func (r *Rule) SetMessage(lang, text string) *Rule {
	r.Message = setLabel(r.Message, lang, text)
	return r
}

// AddTable adds an empty compatibility table over columns.
func (m *Model) AddTable(name string, kind TableKind, columns ...string) *Table {
	t := &Table{Name: name, Kind: kind, Columns: cloneStrings(columns)}
	m.Tables = append(m.Tables, t)
	return t
}

// SetMessage sets the table's message in language lang.
func (t *Table) SetMessage(lang, text string) *Table {
	t.Message = setLabel(t.Message, lang, text)
	return t
}

// AddRow appends a row of cells, one per column (see [CellOf], [AnyCell]).
func (t *Table) AddRow(cells ...Cell) *Table {
	t.Rows = append(t.Rows, Row{Cells: cells})
	return t
}

// AddRowValues appends a row whose every cell is a single value.
func (t *Table) AddRowValues(values ...string) *Table {
	cells := make([]Cell, len(values))
	for i, v := range values {
		cells[i] = CellOf(v)
	}
	return t.AddRow(cells...)
}

// CellOf is a table cell matching any of values ("" is none).
func CellOf(values ...string) Cell { return Cell{Values: cloneStrings(values)} }

// AnyCell is the table cell * that matches every value.
func AnyCell() Cell { return Cell{Any: true} }

// Expression constructors.

// LitExpr is the constant true or false.
func LitExpr(b bool) *Lit { return &Lit{Val: b} }

// EqExpr is "char = value" ("" is none).
func EqExpr(char, value string) *Eq { return &Eq{Char: char, Value: value} }

// NeExpr is "char != value".
func NeExpr(char, value string) *Eq { return &Eq{Char: char, Value: value, Neg: true} }

// BoolExpr is a bare boolean characteristic: "char = true".
func BoolExpr(char string) *Eq { return &Eq{Char: char, Value: "true"} }

// InExpr is "char in {values}".
func InExpr(char string, values ...string) *In {
	return &In{Char: char, Values: cloneStrings(values)}
}

// NotInExpr is "char not in {values}".
func NotInExpr(char string, values ...string) *In {
	return &In{Char: char, Values: cloneStrings(values), Neg: true}
}

// HasExpr is "has(char, value)" for a Multi characteristic.
func HasExpr(char, value string) *Has { return &Has{Char: char, Value: value} }

// NotExpr is "not x".
func NotExpr(x Expr) *Not { return &Not{X: x} }

// AndExpr is the conjunction of xs; a single operand is returned as it is
// and no operands give the constant true.
func AndExpr(xs ...Expr) Expr {
	switch len(xs) {
	case 0:
		return LitExpr(true)
	case 1:
		return xs[0]
	}
	return &And{Xs: append([]Expr(nil), xs...)}
}

// OrExpr is the disjunction of xs; a single operand is returned as it is
// and no operands give the constant false.
func OrExpr(xs ...Expr) Expr {
	switch len(xs) {
	case 0:
		return LitExpr(false)
	case 1:
		return xs[0]
	}
	return &Or{Xs: append([]Expr(nil), xs...)}
}

// ImpliesExpr is "l -> r".
func ImpliesExpr(l, r Expr) *Implies { return &Implies{L: l, R: r} }

// IffExpr is "l <-> r".
func IffExpr(l, r Expr) *Iff { return &Iff{L: l, R: r} }

// CmpExpr is the integer comparison "l op r".
func CmpExpr(l IntExpr, op CmpOp, r IntExpr) *Cmp { return &Cmp{Op: op, L: l, R: r} }

// IntConst is an integer constant.
func IntConst(v int64) *IntLit { return &IntLit{Val: v} }

// IntChar is the value of an Int characteristic.
func IntChar(char string) *IntRef { return &IntRef{Char: char} }

// CountValues is "count(char)": how many values a Multi characteristic takes.
func CountValues(char string) *Count { return &Count{Char: char} }

// CountTrue is "count(x1, x2, ...)": how many of xs hold.
func CountTrue(xs ...Expr) *Count { return &Count{Xs: append([]Expr(nil), xs...)} }

// ArithExpr is "l op r".
func ArithExpr(l IntExpr, op ArithOp, r IntExpr) *Arith { return &Arith{Op: op, L: l, R: r} }
