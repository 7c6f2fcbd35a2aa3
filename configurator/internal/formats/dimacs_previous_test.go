package formats

// The reference of TestReadDIMACSAsPrevious: ReadDIMACS as it was at
// dcea7bb, before the fast comment path, the name arena and the presized
// slabs (the helpers it calls, fastClauseLine, fieldsWithCols, dimacsCount,
// checkName, are unchanged since; modelName, shared, keeps inner dots
// since 2026-12-06). It is a copy of earlier
// code, so it is no oracle of what a DIMACS text means (dimacsDef in
// dimacs_def_test.go is, written from the format's definition): it pins
// what that definition leaves open, the exact error texts, columns and
// positions, so that a faster reader changes none of them. Changed since,
// as ReadDIMACS was: a lone "\r" ends a line (scanLines), a literal
// beyond int64 is out of range rather than bad, and a field or line an
// error repeats is shortened (typo.Quote).

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/configurator/internal/modelext"
	"github.com/ctoplan/ctoplan/internal/typo"
)

func readDIMACSPrevious(filename string, r io.Reader) (*Model, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	sc.Split(scanLines)
	// names[i] names variable i from a "c i name" comment. A slice while i
	// is in proportion to the bytes read so far (as the header's count must
	// be), a map beyond: a short file cannot make it allocate much.
	type named struct {
		name string
		line int
	}
	var names []named
	var farNames map[int]named
	nVars := -1
	var pLine, pCol int
	nClauses, ncCol := 0, 0 // the problem line's clause count, and its column
	// Clause k is lits[start[k]:start[k+1]], from line clauseLine[k]; the
	// clause being read is lits[start[len(start)-1]:].
	var lits []int32
	start := []int32{0}
	var clauseLine []int32
	curLine := 0
	line := 0
	var scratch []int32
	size := 0 // bytes read, newlines included
	errAt := func(col int, format string, args ...any) error {
		return &Error{Pos: Pos{File: filename, Line: line, Col: col}, Msg: fmt.Sprintf(format, args...)}
	}
scan:
	for sc.Scan() {
		line++
		raw := sc.Bytes()
		size += len(raw) + 1
		if line == 1 && len(raw) >= 3 && string(raw[:3]) == "\ufeff" {
			raw = raw[3:] // a UTF-8 byte order mark
		}
		if nVars >= 0 {
			// The common line, a clause of well-formed literals within
			// range, is read without allocating; any other line (and
			// any error) takes the general path below.
			vs, ok := fastClauseLine(raw, nVars, scratch[:0])
			scratch = vs
			if ok && len(clauseLine)+len(vs) <= MaxDIMACSClauses && len(lits)+len(vs) < math.MaxInt32 {
				for _, v := range vs {
					if v == 0 {
						if int(start[len(start)-1]) == len(lits) {
							curLine = line // an empty clause
						}
						start = append(start, int32(len(lits)))
						clauseLine = append(clauseLine, int32(curLine))
						continue
					}
					if int(start[len(start)-1]) == len(lits) {
						curLine = line
					}
					lits = append(lits, v)
				}
				continue
			}
		}
		if !utf8.Valid(raw) {
			return nil, errAt(invalidUTF8Col(raw), "invalid UTF-8 (a file saved as GBK/GB18030 or another legacy encoding? save it as UTF-8)")
		}
		text := string(raw)
		fields := fieldsWithCols(text)
		if len(fields) == 0 {
			continue
		}
		switch first := fields[0]; {
		case first.s == "%":
			break scan
		case first.s[0] == 'c':
			// "c <index> <name>" names a variable; any other comment is skipped.
			if first.s != "c" || len(fields) < 3 {
				continue
			}
			i, err := strconv.Atoi(fields[1].s)
			if err != nil || i <= 0 || fields[1].s[0] == '+' {
				continue
			}
			name := strings.TrimSpace(text[fields[2].col-1:])
			if msg := checkName(name); msg != "" {
				return nil, errAt(fields[2].col, "variable %d: %s", i, msg)
			}
			if i < len(names) {
				names[i] = named{name, line}
			} else if i <= DIMACSVarsPerByte*size+MaxDIMACSFreeVars {
				names = slices.Grow(names, i+1-len(names))[:i+1]
				names[i] = named{name, line}
			} else {
				if farNames == nil {
					farNames = map[int]named{}
				}
				farNames[i] = named{name, line}
			}
			continue
		case first.s == "p":
			if nVars >= 0 {
				return nil, errAt(first.col, "second problem line (the first is at line %d)", pLine)
			}
			if len(fields) != 4 || fields[1].s != "cnf" {
				return nil, errAt(first.col, "bad problem line %s (want \"p cnf VARS CLAUSES\")", typo.Quote(text))
			}
			v, ok1 := dimacsCount(fields[2].s)
			nc, ok2 := dimacsCount(fields[3].s)
			if !ok1 || !ok2 {
				return nil, errAt(first.col, "bad problem line %s (want \"p cnf VARS CLAUSES\" with counts from 0 to %d)", typo.Quote(text), MaxDIMACSVars)
			}
			if v > MaxDIMACSVars {
				return nil, errAt(fields[2].col, "the problem line declares %d variables; at most %d are read", v, MaxDIMACSVars)
			}
			nVars, pLine, pCol = v, line, fields[2].col
			nClauses, ncCol = nc, fields[3].col
			continue
		}
		if nVars < 0 {
			return nil, errAt(fields[0].col, "clause before the problem line \"p cnf VARS CLAUSES\"")
		}
		for _, f := range fields {
			v, err := strconv.Atoi(f.s)
			if errors.Is(err, strconv.ErrRange) {
				return nil, errAt(f.col, "literal %s out of range (%d variables)", typo.Clip(f.s), nVars)
			}
			if err != nil {
				return nil, errAt(f.col, "bad literal %s (want a decimal integer)", typo.Quote(f.s))
			}
			if v == 0 && f.s[0] == '-' {
				return nil, errAt(f.col, "bad literal %s (0 ends a clause; a negative zero is no literal)", typo.Quote(f.s))
			}
			if v == 0 {
				if len(clauseLine) == MaxDIMACSClauses {
					return nil, errAt(f.col, "more than %d clauses (MaxDIMACSClauses)", MaxDIMACSClauses)
				}
				if int(start[len(start)-1]) == len(lits) {
					curLine = line // an empty clause
				}
				start = append(start, int32(len(lits)))
				clauseLine = append(clauseLine, int32(curLine))
				continue
			}
			// Compare without negating v: -v overflows for the smallest int.
			if v > nVars || v < -nVars {
				return nil, errAt(f.col, "literal %s out of range (%d variables)", f.s, nVars)
			}
			if len(lits) == math.MaxInt32 {
				return nil, errAt(f.col, "more than %d literals", math.MaxInt32)
			}
			if int(start[len(start)-1]) == len(lits) {
				curLine = line
			}
			lits = append(lits, int32(v))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &Error{Pos: Pos{File: filename, Line: line + 1, Col: 1}, Msg: err.Error()}
	}
	if nVars < 0 {
		return nil, &Error{Pos: Pos{File: filename}, Msg: "no problem line \"p cnf VARS CLAUSES\""}
	}
	if limit := MaxDIMACSFreeVars + DIMACSVarsPerByte*size; nVars > limit {
		return nil, &Error{Pos: Pos{File: filename, Line: pLine, Col: pCol}, Msg: fmt.Sprintf(
			"the problem line declares %d variables, but a file of %d bytes may declare at most %d (%d plus %d per byte): fix the header",
			nVars, size, limit, MaxDIMACSFreeVars, DIMACSVarsPerByte)}
	}
	if err := dimacsEnd(filename, int(start[len(start)-1]) < len(lits), curLine, len(clauseLine), nClauses, pLine, ncCol); err != nil {
		return nil, err
	}
	m := &Model{Name: modelName(filename), Pos: Pos{File: filename, Line: 1, Col: 1}}
	varName, err := dimacsNames(filename, nVars, func(i int) (string, int) {
		if i < len(names) {
			return names[i].name, names[i].line
		}
		return farNames[i].name, farNames[i].line
	})
	if err != nil {
		return nil, err
	}
	m.Chars = make([]*Characteristic, 0, nVars)
	chars := make([]Characteristic, nVars)
	for i := 1; i <= nVars; i++ {
		ch := &chars[i-1]
		ch.Name, ch.Kind, ch.Pos = varName[i], Bool, Pos{File: filename}
		m.Chars = append(m.Chars, ch)
	}
	// One allocation per kind of node, not one per node: Freetz's 102k
	// clauses and 250k literals were 600k small objects.
	eqs := make([]Eq, len(lits))
	xs := make([]Expr, len(lits))
	ors := make([]Or, len(clauseLine))
	rules := make([]Rule, len(clauseLine))
	m.Rules = make([]*Rule, len(clauseLine))
	var nb []byte
	ends := make([]int, len(clauseLine))
	for k := range clauseLine {
		nb = append(nb, 'c')
		nb = strconv.AppendInt(nb, int64(k+1), 10)
		ends[k] = len(nb)
	}
	allNames := string(nb)
	for k := range clauseLine {
		lo, hi := int(start[k]), int(start[k+1])
		pos := Pos{File: filename, Line: int(clauseLine[k]), Col: 1}
		or := &ors[k]
		or.Pos, or.Xs = pos, xs[lo:hi:hi]
		for i, v := range lits[lo:hi] {
			e := &eqs[lo+i]
			e.Pos = pos
			if v > 0 {
				e.Char, e.Value = varName[v], "true"
			} else {
				e.Char, e.Value = varName[-v], "false"
			}
			or.Xs[i] = e
		}
		nameLo := 0
		if k > 0 {
			nameLo = ends[k-1]
		}
		r := &rules[k]
		r.Name, r.Expr, r.Pos = allNames[nameLo:ends[k]], or, pos
		m.Rules[k] = r
	}
	modelext.Attach(m, &CNF{Lits: lits, Start: start, Chars: chars, Eqs: eqs, Xs: xs, Ors: ors, Rules: rules})
	return m, nil
}
