package model

import (
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/ctoplan/ctoplan/configurator/internal/modelext"
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

// CharKind is the kind of a characteristic (bom.Kind is the kind of an
// item; [TableKind] the kind of a table).
type CharKind int

const (
	// Single: exactly one value of an enumerated domain (at most one when
	// Characteristic.Optional is set).
	Single CharKind = iota
	// Multi: any subset of an enumerated domain, bounded by MinCount/MaxCount.
	Multi
	// Int: one integer of Min..Max in steps of Step.
	Int
	// Bool: "true" or "false".
	Bool
)

var kindNames = [...]string{Single: "single", Multi: "multi", Int: "int", Bool: "bool"}

func (k CharKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Model is a product family: its characteristics and the rules and tables
// that restrict their combinations. A Model is plain data; configurator.Compile turns it
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

	index atomic.Value // *charIndex, see Char

	// ext is set by a reader through internal/modelext: ReadDIMACS keeps
	// the clauses the rules were built from, which Compile encodes directly
	// where a rule is still as read.
	ext any
}

// Characteristic is one option a salesperson picks.
type Characteristic struct {
	Name   string
	Labels Labels
	Kind   CharKind
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

	vindex atomic.Value // *valueIndex, see InDomain
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
//
// A full configuration has an entry for every characteristic, also for an
// optional Single left empty and an empty Multi (an empty slice). Values are
// spelled as [Characteristic.Domain] spells them: integers in canonical
// decimal ("4500", "-5"), booleans "true"/"false".
type Configuration map[string][]string

// MaxIntDomain bounds the number of values of an Int characteristic
// ((Max-Min)/Step + 1); [Model.Validate] rejects larger ranges.
const MaxIntDomain = 1 << 20

type charIndex struct {
	n     int // len(Chars) when built
	chars map[string]int
}

// Char returns the characteristic called name, or nil. Lookups are O(1)
// through an index that is rebuilt when Chars has changed; Char is safe for
// concurrent use as long as nobody modifies the model at the same time.
func (m *Model) Char(name string) *Characteristic {
	ix, _ := m.index.Load().(*charIndex)
	if ix != nil && ix.n == len(m.Chars) {
		i, ok := ix.chars[name]
		if ok && m.Chars[i] != nil && m.Chars[i].Name == name {
			return m.Chars[i]
		}
		if !ok && len(ix.chars) == len(m.Chars) {
			// A miss on a fresh index; confirm by scanning, since a
			// characteristic may have been renamed in place.
			return m.scanChar(name)
		}
	}
	m.buildIndex()
	return m.scanChar(name)
}

func (m *Model) scanChar(name string) *Characteristic {
	for _, c := range m.Chars {
		if c != nil && c.Name == name {
			return c
		}
	}
	return nil
}

func (m *Model) buildIndex() {
	ix := &charIndex{n: len(m.Chars), chars: make(map[string]int, len(m.Chars))}
	for i, c := range m.Chars {
		if c == nil {
			continue
		}
		if _, dup := ix.chars[c.Name]; !dup {
			ix.chars[c.Name] = i
		}
	}
	m.index.Store(ix)
}

// CharNames returns the names of the characteristics in model order.
func (m *Model) CharNames() []string {
	names := make([]string, 0, len(m.Chars))
	for _, c := range m.Chars {
		if c != nil {
			names = append(names, c.Name)
		}
	}
	return names
}

// Rule returns the rule called name, or nil.
func (m *Model) Rule(name string) *Rule {
	for _, r := range m.Rules {
		if r != nil && r.Name == name {
			return r
		}
	}
	return nil
}

// Table returns the table called name, or nil.
func (m *Model) Table(name string) *Table {
	for _, t := range m.Tables {
		if t != nil && t.Name == name {
			return t
		}
	}
	return nil
}

// Price is the sum of the price deltas of the values chosen in cfg (Single
// and Multi characteristics; names cfg does not know are ignored).
func (m *Model) Price(cfg Configuration) int64 {
	var sum int64
	for _, c := range m.Chars {
		if c == nil || len(c.Values) == 0 {
			continue
		}
		for _, v := range cfg[c.Name] {
			if val := c.Value(v); val != nil {
				sum += val.Price
			}
		}
	}
	return sum
}

type valueIndex struct {
	n      int
	values map[string]int
}

// Value returns the enumerated value called name, or nil.
func (c *Characteristic) Value(name string) *Value {
	if len(c.Values) <= 8 {
		for _, v := range c.Values {
			if v != nil && v.Name == name {
				return v
			}
		}
		return nil
	}
	ix, _ := c.vindex.Load().(*valueIndex)
	if ix == nil || ix.n != len(c.Values) {
		ix = &valueIndex{n: len(c.Values), values: make(map[string]int, len(c.Values))}
		for i, v := range c.Values {
			if v == nil {
				continue
			}
			if _, dup := ix.values[v.Name]; !dup {
				ix.values[v.Name] = i
			}
		}
		c.vindex.Store(ix)
	}
	if i, ok := ix.values[name]; ok && c.Values[i] != nil && c.Values[i].Name == name {
		return c.Values[i]
	}
	for _, v := range c.Values {
		if v != nil && v.Name == name {
			return v
		}
	}
	return nil
}

// DomainSize is the number of values in [Characteristic.Domain], without
// building it (0 for an Int characteristic with an invalid range).
func (c *Characteristic) DomainSize() int {
	switch c.Kind {
	case Single, Multi:
		return len(c.Values)
	case Int:
		if c.Step < 1 || c.Max < c.Min {
			return 0
		}
		n := (uint64(c.Max)-uint64(c.Min))/uint64(c.Step) + 1
		if n > MaxIntDomain {
			return MaxIntDomain + 1
		}
		return int(n)
	case Bool:
		return 2
	}
	return 0
}

// Domain returns the value names of c: the enumerated values of a Single or
// Multi characteristic in model order, the integers Min, Min+Step, ..., Max
// of an Int characteristic as decimals, and "false", "true" for a Bool one.
// "No value" of an optional Single (written none, "" in a [Configuration])
// is not part of the domain. Int domains larger than [MaxIntDomain] are cut
// there.
func (c *Characteristic) Domain() []string {
	switch c.Kind {
	case Single, Multi:
		d := make([]string, len(c.Values))
		for i, v := range c.Values {
			if v != nil {
				d[i] = v.Name
			}
		}
		return d
	case Int:
		n := c.DomainSize()
		d := make([]string, 0, min(n, MaxIntDomain))
		for i := 0; i < n && i < MaxIntDomain; i++ {
			d = append(d, strconv.FormatInt(c.Min+int64(i)*c.Step, 10))
		}
		return d
	case Bool:
		return []string{"false", "true"}
	}
	return nil
}

// InDomain reports whether v is in [Characteristic.Domain] (spelled the same
// way: an Int value must be a canonical decimal).
func (c *Characteristic) InDomain(v string) bool {
	switch c.Kind {
	case Single, Multi:
		return c.Value(v) != nil
	case Int:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || strconv.FormatInt(n, 10) != v {
			return false
		}
		return c.intInDomain(n)
	case Bool:
		return v == "true" || v == "false"
	}
	return false
}

func (c *Characteristic) intInDomain(n int64) bool {
	if c.Step < 1 || n < c.Min || n > c.Max {
		return false
	}
	return (uint64(n)-uint64(c.Min))%uint64(c.Step) == 0
}

// Clone returns a deep copy of m (expressions included), with the same
// positions.
func (m *Model) Clone() *Model {
	n := &Model{
		Name: m.Name, Version: m.Version, Labels: cloneLabels(m.Labels),
		Currency: m.Currency, Pos: m.Pos,
	}
	for _, c := range m.Chars {
		if c == nil {
			n.Chars = append(n.Chars, nil)
			continue
		}
		nc := &Characteristic{
			Name: c.Name, Labels: cloneLabels(c.Labels), Kind: c.Kind, Optional: c.Optional,
			Min: c.Min, Max: c.Max, Step: c.Step, MinCount: c.MinCount, MaxCount: c.MaxCount,
			Default: cloneStrings(c.Default), Pos: c.Pos,
		}
		for _, v := range c.Values {
			if v == nil {
				nc.Values = append(nc.Values, nil)
				continue
			}
			nc.Values = append(nc.Values, &Value{Name: v.Name, Labels: cloneLabels(v.Labels), Price: v.Price, Pos: v.Pos})
		}
		n.Chars = append(n.Chars, nc)
	}
	for _, r := range m.Rules {
		if r == nil {
			n.Rules = append(n.Rules, nil)
			continue
		}
		n.Rules = append(n.Rules, &Rule{Name: r.Name, Message: cloneLabels(r.Message), Expr: cloneExpr(r.Expr), Pos: r.Pos})
	}
	for _, t := range m.Tables {
		if t == nil {
			n.Tables = append(n.Tables, nil)
			continue
		}
		nt := &Table{Name: t.Name, Message: cloneLabels(t.Message), Kind: t.Kind, Columns: cloneStrings(t.Columns), Pos: t.Pos}
		for _, row := range t.Rows {
			nr := Row{Pos: row.Pos, Cells: make([]Cell, len(row.Cells))}
			for i, cell := range row.Cells {
				nr.Cells[i] = Cell{Any: cell.Any, Values: cloneStrings(cell.Values)}
			}
			nt.Rows = append(nt.Rows, nr)
		}
		n.Tables = append(n.Tables, nt)
	}
	return n
}

func cloneLabels(l Labels) Labels {
	if l == nil {
		return nil
	}
	n := make(Labels, len(l))
	for k, v := range l {
		n[k] = v
	}
	return n
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}

// DefaultConfiguration returns the defaults of m as a partial
// configuration: an entry for every characteristic that has a default (an
// empty slice for an optional one whose default is none), none for the
// others.
func (m *Model) DefaultConfiguration() Configuration {
	cfg := Configuration{}
	for _, c := range m.Chars {
		if c == nil || len(c.Default) == 0 {
			continue
		}
		if len(c.Default) == 1 && c.Default[0] == "" {
			cfg[c.Name] = []string{}
			continue
		}
		cfg[c.Name] = cloneStrings(c.Default)
	}
	return cfg
}

func init() {
	modelext.Attach = func(m, x any) { m.(*Model).ext = x }
	modelext.Attachment = func(m any) any { return m.(*Model).ext }
}
