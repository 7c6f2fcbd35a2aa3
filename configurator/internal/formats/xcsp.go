package formats

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/internal/typo"
)

// ReadXCSP reads an extensional CSP in XCSP 2.1 format (domains, variables,
// relations with supports or conflicts, constraints over them) into a
// model: every variable becomes a single characteristic whose values are its
// integers as text, every constraint a table (allowed for supports,
// forbidden for conflicts). Tuples with values outside a variable's domain
// never match and are dropped. A domain lists each value once. Errors say
// file:line:col.
func ReadXCSP(filename string, r io.Reader) (*Model, error) {
	dec := xml.NewDecoder(r)
	type relation struct {
		name      string
		arity     int
		conflicts bool
		tuples    [][]int64
		pos       Pos
	}
	domains := map[string][]int64{}
	varDomain := map[string]string{}
	relations := map[string]*relation{}
	m := &Model{Name: modelName(filename), Pos: Pos{File: filename, Line: 1, Col: 1}}
	var text strings.Builder
	var elemStart, textStart Pos // where the element and its text begin
	var elemName string
	var attrs map[string]string
	pos := func() Pos {
		l, c := dec.InputPos()
		return Pos{File: filename, Line: l, Col: c}
	}
	errAt := func(p Pos, format string, args ...any) error {
		return &Error{Pos: p, Msg: fmt.Sprintf(format, args...)}
	}
	// Names of domains, relations and constraints, where first declared.
	declared := [3]map[string]Pos{{}, {}, {}}
	declare := func(kind int, what, name string) error {
		if msg := checkName(name); msg != "" {
			return errAt(elemStart, "%s: %s", what, msg)
		}
		if prev, dup := declared[kind][name]; dup {
			return errAt(elemStart, "%s %s declared twice (first at %s)", what, name, prev)
		}
		declared[kind][name] = elemStart
		return nil
	}
	type pendingTable struct {
		t     *Table
		ref   string
		scope []string
	}
	var tables []pendingTable
	seen := false
	for {
		p := pos()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, xmlError(filename, p, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !seen && t.Name.Local != "instance" {
				return nil, errAt(p, "root element <%s>: an XCSP 2.1 instance starts with <instance>", t.Name.Local)
			}
			seen = true
			elemStart, elemName = p, t.Name.Local
			attrs = map[string]string{}
			for _, a := range t.Attr {
				attrs[a.Name.Local] = a.Value
			}
			text.Reset()
			switch t.Name.Local {
			case "predicate", "function", "predicates", "functions":
				return nil, errAt(p, "intensional constraints (<%s>) are not supported: only extensional tables", t.Name.Local)
			}
		case xml.CharData:
			if text.Len()+len(t) > maxXCSPText {
				return nil, errAt(elemStart, "the text of <%s> is longer than %d bytes", elemName, maxXCSPText)
			}
			if text.Len() == 0 {
				textStart = p
			}
			text.Write(t)
		case xml.EndElement:
			switch t.Name.Local {
			case "domain":
				name := attrs["name"]
				if name == "" {
					return nil, errAt(elemStart, "domain without a name")
				}
				if err := declare(0, "domain", name); err != nil {
					return nil, err
				}
				vals, err := parseDomain(text.String())
				if err != nil {
					var te *textError
					if errors.As(err, &te) {
						return nil, errAt(te.at(textStart, text.String()), "domain %s: %s", name, te.message(textStart, text.String()))
					}
					return nil, errAt(elemStart, "domain %s: %v", name, err)
				}
				if len(vals) == 0 {
					return nil, errAt(elemStart, "domain %s has no values", name)
				}
				if err := checkCount(attrs, "nbValues", len(vals)); err != nil {
					return nil, errAt(elemStart, "domain %s: %v", name, err)
				}
				domains[name] = vals
			case "variable":
				name, dom := attrs["name"], attrs["domain"]
				vals, ok := domains[dom]
				if name == "" {
					return nil, errAt(elemStart, "variable without a name")
				}
				if !ok {
					return nil, errAt(elemStart, "variable %s: unknown domain %s", typo.Clip(name), typo.Quote(dom))
				}
				if msg := checkName(name); msg != "" {
					return nil, errAt(elemStart, "variable: %s", msg)
				}
				if _, dup := varDomain[name]; dup {
					return nil, errAt(elemStart, "variable %s declared twice (first at %s)", name, m.Char(name).Pos)
				}
				varDomain[name] = dom
				ch := &Characteristic{Name: name, Kind: Single, Pos: elemStart}
				for _, v := range vals {
					ch.Values = append(ch.Values, &Value{Name: strconv.FormatInt(v, 10)})
				}
				m.Chars = append(m.Chars, ch)
			case "relation":
				rel := &relation{name: attrs["name"], pos: elemStart}
				if err := declare(1, "relation", rel.name); err != nil {
					return nil, err
				}
				a, err := strconv.Atoi(attrs["arity"])
				if err != nil || a < 1 || a > 64 {
					return nil, errAt(elemStart, "relation %s: bad arity %s", rel.name, typo.Quote(attrs["arity"]))
				}
				rel.arity = a
				switch attrs["semantics"] {
				case "supports":
				case "conflicts":
					rel.conflicts = true
				default:
					return nil, errAt(elemStart, "relation %s: semantics %s (want supports or conflicts)", rel.name, typo.Quote(attrs["semantics"]))
				}
				rel.tuples, err = parseTuples(text.String(), a)
				if err != nil {
					return nil, errAt(elemStart, "relation %s: %v", rel.name, err)
				}
				if err := checkCount(attrs, "nbTuples", len(rel.tuples)); err != nil {
					return nil, errAt(elemStart, "relation %s: %v", rel.name, err)
				}
				relations[rel.name] = rel
			case "constraint":
				name, ref := attrs["name"], attrs["reference"]
				scope := strings.Fields(attrs["scope"])
				for _, v := range scope {
					if _, ok := varDomain[v]; !ok {
						return nil, errAt(elemStart, "constraint %s: unknown variable %s in scope", typo.Clip(name), typo.Quote(v))
					}
				}
				if name == "" {
					name = "constraint" + strconv.Itoa(len(tables)+1)
				}
				if err := declare(2, "constraint", name); err != nil {
					return nil, err
				}
				tables = append(tables, pendingTable{t: &Table{Name: name, Columns: scope, Pos: elemStart}, ref: ref, scope: scope})
			}
		}
	}
	if !seen {
		return nil, errAt(Pos{File: filename}, "empty document")
	}
	// Rows, shared between constraints with the same relation and domains.
	one := map[int64][]string{}
	cell := func(v int64) Cell {
		s, ok := one[v]
		if !ok {
			s = []string{strconv.FormatInt(v, 10)}
			one[v] = s
		}
		return Cell{Values: s}
	}
	rowCache := map[string][]Row{}
	for _, pt := range tables {
		rel, ok := relations[pt.ref]
		if !ok {
			return nil, errAt(pt.t.Pos, "constraint %s: unknown relation %s", pt.t.Name, typo.Quote(pt.ref))
		}
		if rel.arity != len(pt.scope) {
			return nil, errAt(pt.t.Pos, "constraint %s: scope has %d variables, relation %s has arity %d", pt.t.Name, len(pt.scope), rel.name, rel.arity)
		}
		if rel.conflicts {
			pt.t.Kind = Forbidden
		}
		key := rel.name
		inDom := make([]map[int64]bool, len(pt.scope))
		for i, v := range pt.scope {
			d := varDomain[v]
			key += "\x00" + d
			inDom[i] = map[int64]bool{}
			for _, x := range domains[d] {
				inDom[i][x] = true
			}
		}
		// A variable twice in the scope ("x x") means its positions are
		// equal: the table is over the distinct variables, and a tuple
		// with different values there can match nothing (no support, and
		// a conflict that forbids nothing), so it goes.
		first := make([]int, len(pt.scope))
		var cols []string
		for i, v := range pt.scope {
			first[i] = len(cols)
			if k := slices.Index(pt.scope[:i], v); k >= 0 {
				first[i] = first[k]
				key += "\x00=" + strconv.Itoa(k)
				continue
			}
			cols = append(cols, v)
		}
		pt.t.Columns = cols
		rows, ok := rowCache[key]
		if !ok {
			rows = make([]Row, 0, len(rel.tuples))
			var seen map[string]bool
			if len(cols) < len(pt.scope) {
				seen = map[string]bool{}
			}
		tuples:
			for _, tup := range rel.tuples {
				for i, x := range tup {
					if !inDom[i][x] {
						continue tuples
					}
				}
				cells := make([]Cell, len(cols))
				if seen == nil {
					for i, x := range tup {
						cells[i] = cell(x)
					}
				} else {
					vals := make([]int64, len(cols))
					for i, x := range tup {
						if k := slices.Index(pt.scope, pt.scope[i]); k != i {
							if tup[k] != x {
								continue tuples
							}
							continue
						}
						vals[first[i]] = x
					}
					k := fmt.Sprint(vals)
					if seen[k] {
						continue
					}
					seen[k] = true
					for j, x := range vals {
						cells[j] = cell(x)
					}
				}
				rows = append(rows, Row{Cells: cells, Pos: rel.pos})
			}
			rowCache[key] = rows
		}
		pt.t.Rows = rows
		m.Tables = append(m.Tables, pt.t)
	}
	return m, nil
}

// checkCount checks the count an element declares in attribute attr (when
// it has one) against the n read: a file cut or edited by hand reads as
// another model otherwise.
func checkCount(attrs map[string]string, attr string, n int) error {
	v, ok := attrs[attr]
	if !ok {
		return nil
	}
	d, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return fmt.Errorf("%s=%s is not a count", attr, typo.Quote(v))
	}
	if d != n {
		return fmt.Errorf("%s=%d declared, %d read (a file cut short or edited? fix the file or the count)", attr, d, n)
	}
	return nil
}

// xmlError is a decoder's error as a model error: a syntax error at its
// line, another at p (where the token began).
func xmlError(filename string, p Pos, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &Error{Pos: Pos{File: filename, Line: se.Line, Col: 1}, Msg: se.Msg}
	}
	return &Error{Pos: p, Msg: err.Error()}
}

// maxXCSPText bounds the text of one element (a relation's tuples).
const maxXCSPText = 256 << 20

// parseDomain reads the values of a domain: integers and ranges lo..hi,
// at most [MaxValues] values, each once (a variable becomes a
// characteristic; a value listed twice is a typo, or a count nbValues
// that does not match). A malformed field or a value listed twice is a
// [*textError] at its offset in s.
func parseDomain(s string) ([]int64, error) {
	var vals []int64
	first := map[int64]int{} // a value -> the offset of its field
	add := func(v int64, off int, f string) error {
		if prev, dup := first[v]; dup {
			what := "value " + strconv.FormatInt(v, 10)
			if f != strconv.FormatInt(v, 10) {
				what += " (of " + typo.Clip(f) + ")"
			}
			return &textError{off: off, msg: what + " is listed twice", first: prev}
		}
		first[v] = off
		vals = append(vals, v)
		if len(vals) > MaxValues {
			return fmt.Errorf("more than %d values (MaxValues)", MaxValues)
		}
		return nil
	}
	for off, f := range fieldsAt(s) {
		if i := strings.Index(f, ".."); i > 0 {
			lo, err1 := strconv.ParseInt(f[:i], 10, 64)
			hi, err2 := strconv.ParseInt(f[i+2:], 10, 64)
			if err1 != nil || err2 != nil || hi < lo {
				return nil, &textError{off: off, msg: "bad range " + typo.Quote(f), first: -1}
			}
			// hi-lo as unsigned cannot overflow; count steps rather than
			// compare v <= hi, which wraps around at the largest int64.
			if uint64(hi)-uint64(lo) >= MaxValues {
				return nil, &textError{off: off, msg: fmt.Sprintf("range %s has more than %d values (MaxValues)", typo.Quote(f), MaxValues), first: -1}
			}
			for k := uint64(0); k <= uint64(hi)-uint64(lo); k++ {
				if err := add(lo+int64(k), off, f); err != nil {
					return nil, err
				}
			}
			continue
		}
		v, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, &textError{off: off, msg: "bad value " + typo.Quote(f), first: -1}
		}
		if err := add(v, off, f); err != nil {
			return nil, err
		}
	}
	return vals, nil
}

// fieldsAt yields the fields of s (as strings.Fields splits it) with
// their byte offsets.
func fieldsAt(s string) func(yield func(int, string) bool) {
	return func(yield func(int, string) bool) {
		i := 0
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				i += n
				continue
			}
			j := i
			for j < len(s) {
				r, n := utf8.DecodeRuneInString(s[j:])
				if unicode.IsSpace(r) {
					break
				}
				j += n
			}
			if !yield(i, s[i:j]) {
				return
			}
			i = j
		}
	}
}

// textError is a problem msg at byte offset off of an element's text,
// about something first seen at offset first (-1: nothing).
type textError struct {
	off   int
	msg   string
	first int
}

func (e *textError) Error() string { return e.msg }

// at is the position of the problem in the file, the element's text
// being text and starting at start.
func (e *textError) at(start Pos, text string) Pos { return textPos(start, text, e.off) }

// message is msg, with where the thing it is about was first seen.
func (e *textError) message(start Pos, text string) string {
	if e.first < 0 {
		return e.msg
	}
	return e.msg + " (first at " + textPos(start, text, e.first).String() + ")"
}

// textPos is the position of byte off of text, which starts at start: the
// decoder has turned line ends into "\n", and an entity or a comment
// inside the text shifts the columns after it.
func textPos(start Pos, text string, off int) Pos {
	p := start
	for i := 0; i < off && i < len(text); i++ {
		if text[i] == '\n' {
			p.Line++
			p.Col = 1
		} else {
			p.Col++
		}
	}
	return p
}

// parseTuples reads a relation's tuples: "|"-separated groups of arity
// integers separated by white space. The tuples share one slab. It scans
// by hand (Megane's relations are most of its 2.8 MB); a group with a
// non-ASCII byte, and a value that is not a plain decimal of at most 18
// digits, take the general path (strings.Fields, strconv.ParseInt), so
// what is accepted and the errors are those of the general path.
func parseTuples(s string, arity int) ([][]int64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	groups := strings.Count(s, "|") + 1
	out := make([][]int64, 0, groups)
	slab := make([]int64, 0, groups*arity)
	var f []string
	for k := 0; ; k++ {
		part := s
		end := strings.IndexByte(s, '|')
		if end >= 0 {
			part, s = s[:end], s[end+1:]
		}
		base := len(slab)
		f = f[:0]
		if !asciiOnly(part) {
			f = strings.Fields(part)
		} else {
			for i := 0; i < len(part); {
				if asciiSpace(part[i]) {
					i++
					continue
				}
				j := i + 1
				for j < len(part) && !asciiSpace(part[j]) {
					j++
				}
				f = append(f, part[i:j])
				i = j
			}
		}
		if len(f) == 0 && arity > 0 {
			if end < 0 {
				break
			}
			continue
		}
		if len(f) != arity {
			return nil, fmt.Errorf("tuple %d has %d values, want %d", k+1, len(f), arity)
		}
		for _, x := range f {
			v, ok := decimal(x)
			if !ok {
				var err error
				if v, err = strconv.ParseInt(x, 10, 64); err != nil {
					return nil, fmt.Errorf("tuple %d: bad value %s", k+1, typo.Quote(x))
				}
			}
			slab = append(slab, v)
		}
		out = append(out, slab[base:len(slab):len(slab)])
		if end < 0 {
			break
		}
	}
	return out, nil
}

// asciiOnly reports whether s has no byte >= 0x80.
func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// asciiSpace reports the ASCII white space of unicode.IsSpace.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// decimal parses an optional "-" and 1 to 18 ASCII digits; ok is false for
// anything else (the caller then asks strconv).
func decimal(s string) (v int64, ok bool) {
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		v = v*10 + int64(c)
	}
	if neg {
		v = -v
	}
	return v, true
}
