package model

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// keywords are the reserved words of the language; a name spelled like one
// is written in backquotes by [Format]. The set is made on first use, not
// at package initialisation, which every ctoplan command pays.
var keywords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields(`model version currency label message char single optional multi
		int bool value default price min max step rule table allowed forbidden and or not in has
		count true false none`) {
		m[k] = true
	}
	return m
})

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9' {
			continue
		}
		return false
	}
	return true
}

// quoteName writes a name as it appears in a declaration: bare when it is an
// identifier and not a keyword, otherwise in backquotes.
func quoteName(s string) string {
	if isIdent(s) && !keywords()[s] {
		return s
	}
	return "`" + s + "`"
}

func isDecimal(s string) bool {
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && strconv.FormatInt(n, 10) == s
}

// formatValue writes a value as it appears in an expression or table cell:
// none for "", bare for true/false, canonical integers and identifiers.
func formatValue(v string) string {
	switch {
	case v == "":
		return "none"
	case v == "true" || v == "false" || isDecimal(v):
		return v
	}
	return quoteName(v)
}

func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// formatPrice writes minor units as a decimal with two fraction digits, or
// none when they are zero: 180000 -> "1800", 180050 -> "1800.50".
func formatPrice(cents int64) string {
	sign := ""
	u := uint64(cents)
	if cents < 0 {
		sign = "-"
		u = -u
	}
	s := sign + strconv.FormatUint(u/100, 10)
	if f := u % 100; f != 0 {
		s += "." + string(rune('0'+f/10)) + string(rune('0'+f%10))
	}
	return s
}

// Format prints m in canonical form: the model header, then the
// characteristics, rules and tables in model order, labels sorted by
// language, two-space indentation. Parsing the output gives back m
// (positions aside) when m is valid, with two normalisations: an And or Or
// of a single operand prints as that operand (of none as true or false),
// and a multi default of no values is no default. Comments are not part of
// a Model, so the output has none: do not overwrite a commented source file
// with it. Format does not validate m; print an invalid model only to show
// it.
func Format(m *Model) []byte {
	p := &printer{m: m}
	p.model()
	return p.buf.Bytes()
}

type printer struct {
	m   *Model
	buf bytes.Buffer
}

func (p *printer) printf(parts ...string) {
	for _, s := range parts {
		p.buf.WriteString(s)
	}
}

func (p *printer) labels(indent, kw string, l Labels) {
	for _, lang := range sortedKeys(l) {
		p.printf(indent, kw, " ", quoteName(lang), " ", quoteString(l[lang]), "\n")
	}
}

func sortedKeys(l Labels) []string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (p *printer) model() {
	m := p.m
	p.printf("model ", quoteName(m.Name), " {\n")
	if m.Version != "" {
		p.printf("  version ", quoteString(m.Version), "\n")
	}
	if m.Currency != "" {
		p.printf("  currency ", quoteName(m.Currency), "\n")
	}
	p.labels("  ", "label", m.Labels)
	for _, c := range m.Chars {
		if c != nil {
			p.printf("\n")
			p.char(c)
		}
	}
	for _, r := range m.Rules {
		if r != nil {
			p.printf("\n")
			p.rule(r)
		}
	}
	for _, t := range m.Tables {
		if t != nil {
			p.printf("\n")
			p.table(t)
		}
	}
	p.printf("}\n")
}

func (p *printer) char(c *Characteristic) {
	p.printf("  char ", quoteName(c.Name), " ")
	switch c.Kind {
	case Single:
		if c.Optional {
			p.printf("optional")
		} else {
			p.printf("single")
		}
	case Multi:
		p.printf("multi")
		if c.MinCount != 0 {
			p.printf(" min ", strconv.Itoa(c.MinCount))
		}
		if c.MaxCount >= 0 {
			p.printf(" max ", strconv.Itoa(c.MaxCount))
		}
	case Int:
		p.printf("int ", strconv.FormatInt(c.Min, 10), "..", strconv.FormatInt(c.Max, 10))
		if c.Step != 1 {
			p.printf(" step ", strconv.FormatInt(c.Step, 10))
		}
	case Bool:
		p.printf("bool")
	default:
		p.printf(c.Kind.String())
	}
	if len(c.Labels) == 0 && len(c.Default) == 0 && len(c.Values) == 0 {
		p.printf(" {}\n")
		return
	}
	p.printf(" {\n")
	p.labels("    ", "label", c.Labels)
	if len(c.Default) > 0 {
		if c.Kind == Multi {
			p.printf("    default ", formatSet(c.Default), "\n")
		} else {
			p.printf("    default ", formatValue(c.Default[0]), "\n")
		}
	}
	for _, v := range c.Values {
		if v == nil {
			continue
		}
		p.printf("    value ", quoteName(v.Name))
		if len(v.Labels) > 0 || v.Price != 0 {
			p.printf(" {")
			for _, lang := range sortedKeys(v.Labels) {
				p.printf(" label ", quoteName(lang), " ", quoteString(v.Labels[lang]))
			}
			if v.Price != 0 {
				p.printf(" price ", formatPrice(v.Price))
			}
			p.printf(" }")
		}
		p.printf("\n")
	}
	p.printf("  }\n")
}

func formatSet(vs []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(formatValue(v))
	}
	b.WriteByte('}')
	return b.String()
}

func (p *printer) rule(r *Rule) {
	p.printf("  rule ", quoteName(r.Name), " {\n")
	p.labels("    ", "message", r.Message)
	p.printf("    ")
	ep := exprPrinter{m: p.m, b: &p.buf}
	ep.expr(r.Expr, 0)
	p.printf("\n  }\n")
}

func (p *printer) table(t *Table) {
	p.printf("  table ", quoteName(t.Name), " ", t.Kind.String(), " (")
	for i, c := range t.Columns {
		if i > 0 {
			p.printf(", ")
		}
		p.printf(quoteName(c))
	}
	p.printf(") {\n")
	p.labels("    ", "message", t.Message)
	for _, row := range t.Rows {
		p.printf("    (")
		for i, cell := range row.Cells {
			if i > 0 {
				p.printf(", ")
			}
			switch {
			case cell.Any:
				p.printf("*")
			case len(cell.Values) == 1:
				p.printf(formatValue(cell.Values[0]))
			default:
				p.printf(formatSet(cell.Values))
			}
		}
		p.printf(")\n")
	}
	p.printf("  }\n")
}

// exprString prints e in the syntax of the language (a bare boolean
// characteristic prints as "c = true"; [Format] prints it as "c").
func exprString(e Expr) string {
	var b bytes.Buffer
	ep := exprPrinter{b: &b}
	ep.expr(e, 0)
	return b.String()
}

// intExprString prints e in the syntax of the language.
func intExprString(e IntExpr) string {
	var b bytes.Buffer
	ep := exprPrinter{b: &b}
	ep.intExpr(e, 0)
	return b.String()
}

// Precedence levels, loosest first.
const (
	precIff = 1 + iota
	precImplies
	precOr
	precAnd
	precNot
	precAtom
	precAdd
	precMul
	precUnary
)

type exprPrinter struct {
	m *Model // may be nil
	b *bytes.Buffer
}

// unwrap replaces a single-operand And or Or by its operand.
func unwrap(e Expr) Expr {
	for {
		switch x := e.(type) {
		case *And:
			if len(x.Xs) == 1 {
				e = x.Xs[0]
				continue
			}
		case *Or:
			if len(x.Xs) == 1 {
				e = x.Xs[0]
				continue
			}
		}
		return e
	}
}

func exprPrec(e Expr) int {
	switch x := e.(type) {
	case *Iff:
		return precIff
	case *Implies:
		return precImplies
	case *Or:
		if len(x.Xs) == 0 {
			return precAtom
		}
		return precOr
	case *And:
		if len(x.Xs) == 0 {
			return precAtom
		}
		return precAnd
	case *Not:
		return precNot
	}
	return precAtom
}

func (p *exprPrinter) expr(e Expr, minPrec int) {
	e = unwrap(e)
	if e == nil {
		p.b.WriteString("<nil>")
		return
	}
	if exprPrec(e) < minPrec {
		p.b.WriteByte('(')
		defer p.b.WriteByte(')')
	}
	switch e := e.(type) {
	case *Lit:
		p.b.WriteString(strconv.FormatBool(e.Val))
	case *Eq:
		if !e.Neg && e.Value == "true" && p.m != nil {
			if c := p.m.Char(e.Char); c != nil && c.Kind == Bool {
				p.b.WriteString(quoteName(e.Char))
				return
			}
		}
		op := " = "
		if e.Neg {
			op = " != "
		}
		p.b.WriteString(quoteName(e.Char) + op + formatValue(e.Value))
	case *In:
		op := " in "
		if e.Neg {
			op = " not in "
		}
		p.b.WriteString(quoteName(e.Char) + op + formatSet(e.Values))
	case *Has:
		p.b.WriteString("has(" + quoteName(e.Char) + ", " + formatValue(e.Value) + ")")
	case *Not:
		p.b.WriteString("not ")
		p.expr(e.X, precNot)
	case *And:
		if len(e.Xs) == 0 {
			p.b.WriteString("true")
		}
		for i, x := range e.Xs {
			if i > 0 {
				p.b.WriteString(" and ")
			}
			p.expr(x, precAnd+1)
		}
	case *Or:
		if len(e.Xs) == 0 {
			p.b.WriteString("false")
		}
		for i, x := range e.Xs {
			if i > 0 {
				p.b.WriteString(" or ")
			}
			p.expr(x, precOr+1)
		}
	case *Implies:
		p.expr(e.L, precImplies+1)
		p.b.WriteString(" -> ")
		p.expr(e.R, precImplies)
	case *Iff:
		p.expr(e.L, precIff+1)
		p.b.WriteString(" <-> ")
		p.expr(e.R, precIff+1)
	case *Cmp:
		_, lref := e.L.(*IntRef)
		_, rlit := e.R.(*IntLit)
		if lref && rlit && (e.Op == OpEq || e.Op == OpNe) {
			// "c = 5" would read back as an Eq: keep it a comparison.
			p.b.WriteByte('(')
			p.intExpr(e.L, 0)
			p.b.WriteByte(')')
		} else {
			p.intExpr(e.L, precAdd)
		}
		p.b.WriteString(" " + e.Op.String() + " ")
		p.intExpr(e.R, precAdd)
	}
}

func (p *exprPrinter) intExpr(e IntExpr, minPrec int) {
	switch e := e.(type) {
	case nil:
		p.b.WriteString("<nil>")
	case *IntLit:
		p.b.WriteString(strconv.FormatInt(e.Val, 10))
	case *IntRef:
		p.b.WriteString(quoteName(e.Char))
	case *Count:
		p.b.WriteString("count(")
		if e.Char != "" {
			p.b.WriteString(quoteName(e.Char))
		}
		for i, x := range e.Xs {
			if i > 0 || e.Char != "" {
				p.b.WriteString(", ")
			}
			p.expr(x, 0)
		}
		p.b.WriteByte(')')
	case *Arith:
		prec := precAdd
		if e.Op == OpMul || e.Op == OpDiv || e.Op == OpMod {
			prec = precMul
		}
		if prec < minPrec {
			p.b.WriteByte('(')
			defer p.b.WriteByte(')')
		}
		p.intExpr(e.L, prec)
		p.b.WriteString(" " + e.Op.String() + " ")
		p.intExpr(e.R, prec+1)
	}
}

func (e *Lit) String() string     { return exprString(e) }
func (e *Eq) String() string      { return exprString(e) }
func (e *In) String() string      { return exprString(e) }
func (e *Has) String() string     { return exprString(e) }
func (e *Not) String() string     { return exprString(e) }
func (e *And) String() string     { return exprString(e) }
func (e *Or) String() string      { return exprString(e) }
func (e *Implies) String() string { return exprString(e) }
func (e *Iff) String() string     { return exprString(e) }
func (e *Cmp) String() string     { return exprString(e) }
func (e *IntLit) String() string  { return intExprString(e) }
func (e *IntRef) String() string  { return intExprString(e) }
func (e *Count) String() string   { return intExprString(e) }
func (e *Arith) String() string   { return intExprString(e) }
