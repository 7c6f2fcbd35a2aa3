package formats

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/configurator/internal/modelext"
	"github.com/ctoplan/ctoplan/internal/typo"
)

// MaxDIMACSVars bounds the variables a DIMACS header may declare. A header
// must also be in proportion to its file: it may declare at most
// [DIMACSVarsPerByte] variables per byte of the file plus [MaxDIMACSFreeVars],
// so that a 20-byte file cannot ask for two million characteristics.
//
// MaxDIMACSClauses bounds the clauses read: as many as the default compile
// budget (configurator.Options.MaxClauses) could encode.
const (
	MaxDIMACSVars     = 1 << 22
	DIMACSVarsPerByte = 1
	MaxDIMACSFreeVars = 4096
	MaxDIMACSClauses  = 1 << 21
)

// ReadDIMACS reads a CNF in DIMACS format into a model: every variable
// becomes a bool characteristic, named by a "c <index> <name>" comment line
// when there is one (else "x<index>"), and every clause a rule "c<n>"
// (an "or" of "name = true/false"), which configurator.Compile encodes as the clause
// itself. A line "%" ends the formula (the SATLIB convention: what follows,
// usually a lone "0", is not read). The header "p cnf VARS CLAUSES" may
// declare at most [MaxDIMACSVars] variables and at most one per byte of
// the file plus [MaxDIMACSFreeVars]; a literal must be within the declared
// variables. The clauses must be as many as the header declares, the
// last one ended by its 0 too (a file cut short is refused, not read as a
// weaker model), and "-0" is no literal. Errors say file:line:col.
func ReadDIMACS(filename string, r io.Reader) (*Model, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	sc.Split(scanLines)
	// names[i] names variable i from a "c i name" comment: the bytes
	// nameBuf[lo:hi], one string for all names at the end rather than one
	// allocation per name. A slice while i is in proportion to the bytes
	// read so far (as the header's count must be), a map beyond: a short
	// file cannot make it allocate much.
	var nameBuf []byte
	var names []nameSpan
	var farNames map[int]nameSpan
	nVars := -1
	var pLine, pCol int
	nClauses, ncCol := 0, 0 // the problem line's clause count, and its column
	// Clause k is lits[start[k]:start[k+1]], from line clauseLine[k]; the
	// clause being read is lits[start[len(start)-1]:]. When the input's
	// size is known, lits starts at one literal per 4 bytes (the feature
	// models in ../shared/data have one per 4.7-9.9 bytes, comments
	// included), so that it is not copied while it grows; start and
	// clauseLine are sized at the problem line.
	hint := sizeHint(r)
	lits := make([]int32, 0, hint/4)
	start := []int32{0}
	var clauseLine []int32
	curLine := 0
	line := 0
	var scratch []int32
	size := 0 // bytes read, newlines included
	setName := func(i int, name []byte) {
		sp := nameSpan{len(nameBuf), len(nameBuf) + len(name), line}
		nameBuf = append(nameBuf, name...)
		if i < len(names) {
			names[i] = sp
		} else if i <= DIMACSVarsPerByte*size+MaxDIMACSFreeVars {
			names = slices.Grow(names, i+1-len(names))[:i+1]
			names[i] = sp
		} else {
			if farNames == nil {
				farNames = map[int]nameSpan{}
			}
			farNames[i] = sp
		}
	}
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
		if len(raw) > 0 && raw[0] == 'c' {
			// The common comment line, read without allocating; the
			// general path below reads the rest (and reports errors).
			switch kind, i, name := fastComment(raw); kind {
			case commentSkip:
				continue
			case commentName:
				setName(i, name)
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
			setName(i, []byte(name))
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
			if c, _ := dimacsCount(fields[3].s); hint > 0 {
				// A clause takes at least 2 bytes ("0\n"): the header
				// cannot make a short input allocate much.
				c = min(c, hint/2, MaxDIMACSClauses)
				start = slices.Grow(start, c)
				clauseLine = make([]int32, 0, c)
			}
			continue
		}
		if nVars < 0 {
			return nil, errAt(fields[0].col, "clause before the problem line \"p cnf VARS CLAUSES\"")
		}
		for _, f := range fields {
			v, err := strconv.Atoi(f.s)
			if errors.Is(err, strconv.ErrRange) {
				// a decimal integer, beyond int64 and so beyond the variables
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
	allVarNames := string(nameBuf)
	spanOf := func(i int) nameSpan {
		if i < len(names) {
			return names[i]
		}
		return farNames[i]
	}
	varName, err := dimacsNames(filename, nVars, func(i int) (string, int) {
		sp := spanOf(i)
		return allVarNames[sp.lo:sp.hi], sp.line
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

// CNF is what ReadDIMACS built a model from, attached to the model
// (internal/modelext) so that Compile can encode clause k of
// Lits[Start[k]:Start[k+1]] directly, without walking its rule and looking
// up every literal's characteristic by name (half of compiling Freetz). The
// slabs identify the nodes ReadDIMACS made: Compile takes the direct path
// for a rule only while every node on it is one of them and reads as it did.
type CNF struct {
	Lits, Start []int32
	Chars       []Characteristic
	Eqs         []Eq
	Xs          []Expr
	Ors         []Or
	Rules       []Rule
}

// nameSpan is a variable's name, nameBuf[lo:hi] in ReadDIMACS (lo == hi:
// unnamed; a name is never empty), from the comment on line line.
type nameSpan struct{ lo, hi, line int }

// dimacsNames names variables 1..nVars (index 0 unused): by their
// comments (nameOf gives a variable's name, "" for none, and the line of
// the comment), two variables named alike being an error on the later
// line, so that a pick names the variable its user meant; an unnamed one
// "x<i>", with "_" appended while a comment gave another variable that
// name. The generated names share one string (uClibc names none of its
// 5,474: one allocation, not 5,474).
func dimacsNames(filename string, nVars int, nameOf func(i int) (string, int)) ([]string, error) {
	varName := make([]string, nVars+1)
	named := make(map[string]int, nVars) // a comment's name -> its variable
	var gen []byte
	genEnd := make([]int32, nVars+1)
	for i := 1; i <= nVars; i++ {
		name, line := nameOf(i)
		if name == "" {
			gen = append(gen, 'x')
			gen = strconv.AppendInt(gen, int64(i), 10)
		} else if j, dup := named[name]; dup {
			_, jl := nameOf(j)
			return nil, &Error{Pos: Pos{File: filename, Line: max(line, jl), Col: 1}, Msg: fmt.Sprintf(
				"variables %d and %d are both named %q (lines %d and %d): give each a name of its own", j, i, name, min(line, jl), max(line, jl))}
		} else {
			named[name] = i
			varName[i] = name
		}
		genEnd[i] = int32(len(gen))
	}
	genNames := string(gen)
	for i := 1; i <= nVars; i++ {
		if varName[i] != "" {
			continue
		}
		name := genNames[genEnd[i-1]:genEnd[i]] // "x" + strconv.Itoa(i)
		for named[name] != 0 {
			name += "_"
		}
		varName[i] = name
	}
	return varName, nil
}

// sizeHint is the number of bytes left in r when r can tell (a
// bytes.Reader, strings.Reader or regular file), else 0. ReadDIMACS sizes
// its slabs by it; a wrong hint costs only memory or copies.
func sizeHint(r io.Reader) int {
	switch x := r.(type) {
	case interface{ Len() int }:
		return x.Len()
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := x.Stat(); err == nil && fi.Mode().IsRegular() {
			return int(min(fi.Size(), 1<<30))
		}
	}
	return 0
}

// What fastComment found.
const (
	commentGeneral = iota // not read: the general path reads the line
	commentSkip           // a comment that names no variable
	commentName           // "c <index> <name>"
)

// fastComment reads raw, a line that starts with 'c', as ReadDIMACS's
// general path would when the line is all ASCII: a line "c <index>
// <name>" names variable index (a decimal without sign, >= 1) by the rest
// of the line from name on, without the white space at its end; any other
// line whose first field starts with 'c' is a comment. It leaves to the
// general path (commentGeneral) a line with a byte >= 0x80 (UTF-8
// checks, Unicode white space), an index of more than 18 digits, and a
// name that checkName refuses (too long, a control character or a
// backquote), so that the errors are the general path's.
func fastComment(raw []byte) (kind, index int, name []byte) {
	for _, c := range raw {
		if c >= utf8.RuneSelf {
			return commentGeneral, 0, nil
		}
	}
	n := len(raw)
	if n < 2 || !isSpace(raw[1]) {
		return commentSkip, 0, nil // "c" alone or a first field "cxyz"
	}
	i := 1
	for i < n && isSpace(raw[i]) {
		i++
	}
	j := i
	for j < n && raw[j] >= '0' && raw[j] <= '9' {
		index = index*10 + int(raw[j]-'0')
		j++
	}
	if j == i || (j < n && !isSpace(raw[j])) || index == 0 {
		// No index, or a field with a sign or other bytes, or 0: not a
		// name (strconv.Atoi fails, or the index is < 1, or '+').
		return commentSkip, 0, nil
	}
	if j-i > 18 {
		return commentGeneral, 0, nil // let strconv.Atoi judge overflow
	}
	for j < n && isSpace(raw[j]) {
		j++
	}
	end := n
	for end > j && isSpace(raw[end-1]) {
		end--
	}
	if j == end {
		return commentSkip, 0, nil // "c <index>": fewer than 3 fields
	}
	if end-j > MaxNameLen {
		return commentGeneral, 0, nil
	}
	for _, c := range raw[j:end] {
		if c < ' ' || c == 0x7f || c == '`' {
			return commentGeneral, 0, nil
		}
	}
	return commentName, index, raw[j:end]
}

// fastClauseLine parses raw as a clause line of decimal literals (an
// optional '-', at most 9 digits, within nVars) separated by ASCII white
// space, appending them to dst. It reports false for anything else (a
// comment, a problem line, a bad or out-of-range literal), which the
// general path then reads and reports with its column.
func fastClauseLine(raw []byte, nVars int, dst []int32) ([]int32, bool) {
	i, n := 0, len(raw)
	for i < n {
		c := raw[i]
		if isSpace(c) {
			i++
			continue
		}
		neg := false
		if c == '-' {
			neg = true
			i++
		}
		v, digits := 0, 0
		for i < n && raw[i] >= '0' && raw[i] <= '9' {
			v = v*10 + int(raw[i]-'0')
			digits++
			i++
		}
		if digits == 0 || digits > 9 || (i < n && !isSpace(raw[i])) || v > nVars {
			return dst, false
		}
		if neg {
			if v == 0 {
				return dst, false // "-0": the general path reports it
			}
			v = -v
		}
		dst = append(dst, int32(v))
	}
	return dst, len(dst) > 0
}

// dimacsEnd checks the end of a DIMACS text: a clause still open (its
// first literal on line openLine) has lost its closing 0, and the clauses
// read must be the clauses the problem line declares (on line pLine, the
// count at column col): either way the file was cut or edited, and the
// model read would be weaker than the one written.
func dimacsEnd(filename string, open bool, openLine, read, declared, pLine, col int) error {
	if open {
		return &Error{Pos: Pos{File: filename, Line: openLine, Col: 1}, Msg: "the last clause has no closing 0 (a file cut short?)"}
	}
	if read != declared {
		return &Error{Pos: Pos{File: filename, Line: pLine, Col: col}, Msg: fmt.Sprintf(
			"the problem line declares %d clauses, the file has %d (a file cut short or edited? fix the file or the count)", declared, read)}
	}
	return nil
}

// dimacsCount parses a count of the problem line: decimal digits only
// (no sign, no "_"), within int.
func dimacsCount(s string) (int, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

type fieldCol struct {
	s   string
	col int // 1-based byte column
}

// fieldsWithCols splits s at ASCII white space, keeping each field's column.
func fieldsWithCols(s string) []fieldCol {
	var out []fieldCol
	i := 0
	for i < len(s) {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		start := i
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		if i > start {
			out = append(out, fieldCol{s: s[start:i], col: start + 1})
		}
	}
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

// invalidUTF8Col is the 1-based column of the first byte of b that is not
// valid UTF-8 (len(b)+1 when there is none).
func invalidUTF8Col(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i + 1
		}
		i += n
	}
	return len(b) + 1
}

// modelName derives a model name from a file name: its base without its
// extension, and without an inner XCSP one ("megane.xcsp21.xml" is
// megane); the other dots stay ("uClibc-0.9.33.2_Oh2020.dimacs" is
// uClibc-0.9.33.2_Oh2020, not uClibc-0).
func modelName(filename string) string {
	base := filename
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	if i := strings.LastIndexByte(base, '.'); i > 0 && strings.HasPrefix(strings.ToLower(base[i:]), ".xcsp") {
		base = base[:i]
	}
	if base == "" {
		base = "model"
	}
	return base
}
