package configurator

import (
	"fmt"
	"strconv"
)

// Pos is a position in a model source file. The zero Pos means "built in Go
// code, no source position".
type Pos struct {
	File string
	Line int // 1-based; 0 when unknown
	Col  int // 1-based, in bytes; 0 when unknown
}

// String formats p as file:line:col, the form editors and compilers use.
func (p Pos) String() string {
	if p.Line == 0 {
		if p.File == "" {
			return "-"
		}
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Labels maps a language tag ("en", "zh", ...) to a text.
type Labels map[string]string

// Kind is the kind of a characteristic.
type Kind int

const (
	// Single: exactly one value of an enumerated domain (at most one when
	// Characteristic.Optional is set).
	Single Kind = iota
	// Multi: any subset of an enumerated domain, bounded by MinCount/MaxCount.
	Multi
	// Int: one integer of Min..Max in steps of Step.
	Int
	// Bool: "true" or "false".
	Bool
)

var kindNames = [...]string{Single: "single", Multi: "multi", Int: "int", Bool: "bool"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Model is a product family: its characteristics and the rules and tables
// that restrict their combinations. A Model is plain data; [Compile] turns it
// into something that answers queries.
type Model struct {
	Name     string
	Version  string
	Labels   Labels
	Currency string // ISO 4217 code for Value.Price; "" if prices are unused
	Chars    []*Characteristic
	Rules    []*Rule
	Tables   []*Table
	Pos      Pos
}

// Characteristic is one option a salesperson picks.
type Characteristic struct {
	Name   string
	Labels Labels
	Kind   Kind
	// Optional: a Single characteristic may be left without a value.
	Optional bool
	// Values is the enumerated domain of Single and Multi characteristics.
	Values []*Value
	// Min, Max, Step bound an Int characteristic (Step >= 1).
	Min, Max, Step int64
	// MinCount and MaxCount bound how many values a Multi characteristic
	// takes; MaxCount < 0 means no upper bound.
	MinCount, MaxCount int
	// Default values: the value name for Single, the chosen subset for
	// Multi, a decimal integer for Int, "true"/"false" for Bool. Empty means
	// no default.
	Default []string
	Pos     Pos
}

// Value is one value of an enumerated domain.
type Value struct {
	Name   string
	Labels Labels
	// Price is the price delta in minor currency units (cents) when this
	// value is chosen.
	Price int64
	Pos   Pos
}

// Rule is a named constraint with a message a salesperson can read.
type Rule struct {
	Name    string
	Message Labels
	Expr    Expr
	Pos     Pos
}

// TableKind says whether a table lists the allowed or the forbidden tuples.
type TableKind int

const (
	Allowed TableKind = iota
	Forbidden
)

func (k TableKind) String() string {
	if k == Forbidden {
		return "forbidden"
	}
	return "allowed"
}

// Table is a compatibility table over several characteristics, the way real
// product data is kept. Each row gives one cell per column.
type Table struct {
	Name    string
	Message Labels
	Kind    TableKind
	Columns []string // characteristic names
	Rows    []Row
	Pos     Pos
}

// Row is one tuple of a Table.
type Row struct {
	Cells []Cell
	Pos   Pos
}

// Cell is one entry of a table row: a set of values (one value in the common
// case), or Any for "every value" (written *). For an optional Single
// characteristic the value "" stands for "no value" (written none).
type Cell struct {
	Any    bool
	Values []string
}

// Pick is one selection made by the user: characteristic Char takes value
// Value (for Multi: Value is among the chosen; for Int: decimal; for Bool:
// "true"/"false"; for an optional Single: "" means explicitly none). Exclude
// turns the pick into "Char must not take Value".
type Pick struct {
	Char    string
	Value   string
	Exclude bool
}

func (p Pick) String() string {
	v := p.Value
	if v == "" {
		v = "none"
	}
	if p.Exclude {
		return p.Char + "!=" + v
	}
	return p.Char + "=" + v
}

// Configuration is a full or partial assignment: characteristic name to its
// chosen values (one for Single/Int/Bool, none for an optional Single left
// empty, a subset for Multi). Order within a slice is not significant.
type Configuration map[string][]string
