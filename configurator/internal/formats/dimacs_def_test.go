package formats

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// dimacsDef is what a DIMACS text means, read line by line from the
// format's definition (the DIMACS CNF convention and ReadDIMACS's
// documentation), written for this test and not from ReadDIMACS's code:
//
//   - Lines end at "\n", "\r\n" or a lone "\r"; a UTF-8 byte order mark
//     opens the file unread. Fields are separated by ASCII white space
//     (space, tab, VT, FF); a line without fields is skipped.
//   - A line whose first field is "%" ends the formula: nothing after it
//     is read.
//   - A line whose first field begins with 'c' is a comment. It names
//     variable i when its first field is "c", its second one is i in
//     decimal digits (>= 1, leading zeros allowed) and a third field
//     follows: the name is the rest of the line from the third field,
//     trimmed of white space, and must be a valid name (model.CheckName);
//     a later such line for the same i wins. Other comments are skipped.
//   - Every line read must be UTF-8, comments included.
//   - "p cnf VARS CLAUSES" (exactly four fields, counts in decimal
//     digits) is the problem line; a second one is an error. The clauses
//     read must be CLAUSES, else an error on the problem line.
//   - Any other line before the problem line is an error. After it, each
//     field is a literal (a decimal integer, sign allowed) with |v| <=
//     VARS; 0 ends the clause being read, which may span lines, and a
//     zero written with '-' is an error. A clause's line is the line of its
//     first literal (of its 0 when empty); a clause still open at the end
//     is an error on its line (checked before the count).
//   - No problem line is an error (line 0).
//   - Variable i is named by its comment (the last line naming it). Two
//     variables named alike by comments are an error on the later of
//     those two lines (the first such pair, taking i = 1, 2, ... and for
//     each the variables before it). An unnamed variable is "x<i>", with
//     "_" appended while a comment names another variable so.
//
// It returns the variables' names (index i-1 for variable i), the clauses
// and their lines, or the line of the first error.
type dimacsMeaning struct {
	names   []string
	clauses [][]int
	lines   []int
}

func dimacsDef(src string) (m dimacsMeaning, errLine int, err error) {
	src = strings.TrimPrefix(src, "\ufeff")
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(src, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1] // the newline ending the last line
	}
	space := func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\v' || r == '\f' }
	nVars, declared, pLine := -1, 0, 0
	named := map[int]string{}
	namedLine := map[int]int{}
	var cur []int
	curLine := 0
	closeClause := func(at int) {
		if len(cur) == 0 {
			curLine = at
		}
		m.clauses = append(m.clauses, cur)
		m.lines = append(m.lines, curLine)
		cur = nil
	}
read:
	for k, text := range lines {
		ln := k + 1
		if !utf8.ValidString(text) {
			return m, ln, errors.New("invalid UTF-8")
		}
		fields := strings.FieldsFunc(text, space)
		if len(fields) == 0 {
			continue
		}
		switch f := fields[0]; {
		case f == "%":
			break read
		case f[0] == 'c':
			i, isName := 0, false
			if f == "c" && len(fields) >= 3 && allDigits(fields[1]) {
				n, err := strconv.Atoi(fields[1])
				i, isName = n, err == nil && n >= 1
			}
			if !isName {
				continue
			}
			// the rest of the line from the third field
			rest := text
			for range 2 {
				rest = strings.TrimLeftFunc(rest, space)
				rest = strings.TrimLeftFunc(rest, func(r rune) bool { return !space(r) })
			}
			name := strings.TrimSpace(rest)
			if msg := checkName(name); msg != "" {
				return m, ln, errors.New(msg)
			}
			named[i] = name
			namedLine[i] = ln
			continue
		}
		if fields[0] == "p" {
			if nVars >= 0 {
				return m, ln, errors.New("second problem line")
			}
			if len(fields) != 4 || fields[1] != "cnf" || !allDigits(fields[2]) || !allDigits(fields[3]) {
				return m, ln, errors.New("bad problem line")
			}
			v, err1 := strconv.Atoi(fields[2])
			c, err2 := strconv.Atoi(fields[3])
			if err1 != nil || err2 != nil || v > MaxDIMACSVars {
				return m, ln, errors.New("bad problem line")
			}
			nVars, declared, pLine = v, c, ln
			continue
		}
		if nVars < 0 {
			return m, ln, errors.New("clause before the problem line")
		}
		for _, f := range fields {
			v, err := strconv.Atoi(f)
			switch {
			case err != nil:
				return m, ln, errors.New("bad literal")
			case v > nVars || v < -nVars:
				return m, ln, errors.New("literal out of range")
			case v == 0 && strings.HasPrefix(f, "-"):
				return m, ln, errors.New("negative zero")
			case v == 0:
				closeClause(ln)
			default:
				if len(cur) == 0 {
					curLine = ln
				}
				cur = append(cur, v)
			}
		}
	}
	if nVars < 0 {
		return m, 0, errors.New("no problem line")
	}
	if len(cur) > 0 {
		return m, curLine, errors.New("last clause not closed")
	}
	if len(m.clauses) != declared {
		return m, pLine, errClauseCount{declared: declared, read: len(m.clauses), line: pLine}
	}
	byName := map[string]int{}
	for i := 1; i <= nVars; i++ {
		name, ok := named[i]
		if !ok {
			continue
		}
		if j, dup := byName[name]; dup {
			return m, max(namedLine[i], namedLine[j]), errors.New("two variables named alike")
		}
		byName[name] = i
	}
	for i := 1; i <= nVars; i++ {
		name, ok := named[i]
		if !ok {
			name = "x" + strconv.Itoa(i)
			for byName[name] != 0 {
				name += "_"
			}
		}
		m.names = append(m.names, name)
	}
	return m, 0, nil
}

// withClauseCount is src with its last clause closed (a "0" line added)
// and the problem line's clause count set to the clauses the definition
// reads, each seven times in eight where they are wrong: random texts
// would rarely end and count right.
func withClauseCount(r *rand.Rand, src string) string {
	_, _, err := dimacsDef(src)
	if err != nil && err.Error() == "last clause not closed" && r.IntN(8) != 0 {
		if !strings.HasSuffix(src, "\n") {
			src += "\n"
		}
		src += "0\n"
		_, _, err = dimacsDef(src)
	}
	var e errClauseCount
	if !errors.As(err, &e) || r.IntN(8) == 0 {
		return src
	}
	lines := linesWithEnds(src)
	line := lines[e.line-1]
	body := strings.TrimRight(line, "\r\n")
	l := strings.TrimRight(body, " \t\v\f")
	i := strings.LastIndexAny(l, " \t\v\f")
	lines[e.line-1] = l[:i+1] + strconv.Itoa(e.read) + line[len(l):]
	return strings.Join(lines, "")
}

// linesWithEnds splits src into its lines as dimacsDef counts them, each
// with its line end ("\n", "\r\n" or "\r"; none for a last line
// without one).
func linesWithEnds(src string) []string {
	var out []string
	for src != "" {
		i := strings.IndexAny(src, "\r\n")
		if i < 0 {
			return append(out, src)
		}
		j := i + 1
		if src[i] == '\r' && j < len(src) && src[j] == '\n' {
			j++
		}
		out = append(out, src[:j])
		src = src[j:]
	}
	return out
}

// errClauseCount is the definition's error for a clause count other
// than the clauses read.
type errClauseCount struct{ declared, read, line int }

func (e errClauseCount) Error() string {
	return "problem line declares " + strconv.Itoa(e.declared) + " clauses, read " + strconv.Itoa(e.read)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// sameMeaning fails t unless ReadDIMACS read src as dimacsDef does: an
// error on the same line, or the same variables (bool characteristics
// named as defined) and the same clauses (rule "c<k>", an "or" of
// "name = true/false" in the clause's order, at the clause's line).
func sameMeaning(t *testing.T, name string, src []byte) {
	t.Helper()
	want, wantLine, werr := dimacsDef(string(src))
	got, gerr := ReadDIMACS(name, bytes.NewReader(src))
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("%.300q: error %v, definition %v (line %d)", src, gerr, werr, wantLine)
	}
	if gerr != nil {
		var e *Error
		if !errors.As(gerr, &e) || e.Pos.Line != wantLine {
			t.Fatalf("%.300q: error %v, want one on line %d (%v)", src, gerr, wantLine, werr)
		}
		return
	}
	if len(got.Chars) != len(want.names) || len(got.Rules) != len(want.clauses) {
		t.Fatalf("%.300q: %d variables, %d clauses; definition %d, %d", src, len(got.Chars), len(got.Rules), len(want.names), len(want.clauses))
	}
	for i, ch := range got.Chars {
		if ch.Name != want.names[i] || ch.Kind != Bool {
			t.Fatalf("%.300q: variable %d is %q (%v), want bool %q", src, i+1, ch.Name, ch.Kind, want.names[i])
		}
	}
	for k, r := range got.Rules {
		or, ok := r.Expr.(*Or)
		if !ok || r.Name != "c"+strconv.Itoa(k+1) || len(or.Xs) != len(want.clauses[k]) {
			t.Fatalf("%.300q: rule %d is %s %v, want c%d of %d literals", src, k+1, r.Name, r.Expr, k+1, len(want.clauses[k]))
		}
		if wl := want.lines[k]; r.Pos.Line != wl {
			t.Fatalf("%.300q: clause %d on line %d, want %d", src, k+1, r.Pos.Line, wl)
		}
		for j, x := range or.Xs {
			v := want.clauses[k][j]
			wantEq := Eq{Char: want.names[abs(v)-1], Value: "true"}
			if v < 0 {
				wantEq.Value = "false"
			}
			if e, ok := x.(*Eq); !ok || e.Char != wantEq.Char || e.Value != wantEq.Value {
				t.Fatalf("%.300q: clause %d literal %d is %v, want %s = %s", src, k+1, j+1, x, wantEq.Char, wantEq.Value)
			}
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// TestDIMACSDefinitionByHand: the definition oracle itself on texts read
// by hand, so that a mistake in it does not pass as ReadDIMACS's.
func TestDIMACSDefinitionByHand(t *testing.T) {
	for _, tc := range []struct {
		src     string
		names   string // space-separated; "" with errLine for an error
		clauses string // "1 -2|3|" clauses separated by |
		errLine int
	}{
		{"p cnf 2 1\n1 -2 0\n", "x1 x2", "1 -2", 0},
		{"c 2 b\nc 1 a\np cnf 3 2\n1\n-3 0 2 0\n", "a b x3", "1 -3|2", 0},
		{"c 1 a\nc 2 a\nc 3 x1\np cnf 4 0\n", "", "", 2}, // a named twice
		{"c 2 a\nc 1 b\nc 1 a\np cnf 2 0\n", "", "", 3},  // the last naming line of 1 counts
		{"c 2 a\nc 1 b\nc 1 c\np cnf 2 0\n", "c a", "", 0},
		{"c 3 x1\nc 4 x2_\np cnf 4 0\n", "x1_ x2 x1 x2_", "", 0}, // names given come first
		{"c 1 x2\np cnf 2 0\n", "x2 x2_", "", 0},
		{"c 1 first\nc 1 second\nc 01 third\np cnf 1 0\n", "third", "", 0},
		{"c +1 a\nc 1x b\ncfoo 1 c\np cnf 1 1\n0\n", "x1", "", 0}, // one empty clause
		{"p cnf 1 1\n1 0\n%\n9 9 9\n", "x1", "1", 0},
		{"p cnf 1 1\n1 0\n2 0\n", "", "", 3},           // out of range
		{"1 0\np cnf 1 1\n", "", "", 1},                // clause before p
		{"p cnf 1 1\np cnf 1 1\n", "", "", 2},          // second p
		{"p cnf 1\n", "", "", 1},                       // bad p
		{"c 1 a`b\np cnf 1 0\n", "", "", 1},            // bad name
		{"c only comments\n", "", "", 0},               // no p
		{"p cnf 2 1\n1 q 0\n", "", "", 2},              // bad literal
		{"c \xff\np cnf 1 0\n", "", "", 1},             // a comment must be UTF-8 too
		{"p cnf 1 0\n%\n\xff\n", "x1", "", 0},          // not read
		{"\ufeffc 1 n\u00a0\np cnf 1 0\n", "n", "", 0}, // BOM; the name trimmed
		{"p cnf 2 2\n1 -2 0\n2\n", "", "", 3},          // the last clause not closed
		{"p cnf 2 3\n1 -2 0\n2 0\n", "", "", 1},        // 2 clauses, 3 declared
		{"p cnf 2 1\n1 -2 0\n2 0\n", "", "", 1},        // 2 clauses, 1 declared
		{"p cnf 2 1\n1 -0 0\n", "", "", 2},             // a negative zero
		{"p cnf 2 1\n1 0\n%\n2\n", "x1 x2", "1", 0},    // not read after %
	} {
		m, line, err := dimacsDef(tc.src)
		if tc.errLine != 0 || tc.names == "" {
			if err == nil || line != tc.errLine {
				t.Errorf("%q: %v on line %d, want an error on line %d", tc.src, err, line, tc.errLine)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v on line %d", tc.src, err, line)
			continue
		}
		var cs []string
		for _, c := range m.clauses {
			var s []string
			for _, v := range c {
				s = append(s, strconv.Itoa(v))
			}
			cs = append(cs, strings.Join(s, " "))
		}
		if got := strings.Join(m.names, " "); got != tc.names || strings.Join(cs, "|") != tc.clauses {
			t.Errorf("%q: names %q clauses %q, want %q %q", tc.src, got, strings.Join(cs, "|"), tc.names, tc.clauses)
		}
	}
}

// TestReadDIMACSDefinition: ReadDIMACS means what the definition says on
// 5,000 random texts (randomDIMACS: every path of the reader, errors
// included), on a clean generator's texts that the definition accepts,
// and on every feature model in ../shared/data.
func TestReadDIMACSDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 3))
	n := 5000
	if testing.Short() {
		n = 2000
	}
	accepted := 0
	for range n {
		src := withClauseCount(r, randomDIMACS(r))
		if _, _, err := dimacsDef(src); err == nil {
			accepted++
		}
		sameMeaning(t, "t.dimacs", []byte(src))
	}
	t.Logf("%d of %d random texts accepted", accepted, n)
	if accepted < n/40 {
		t.Fatalf("only %d of %d random texts are accepted: the comparison says little", accepted, n)
	}
	eachFeatureModel(t, func(f string, src []byte) { sameMeaning(t, f, src) })
}

// TestModelName: a model read from a file is named by the file's base
// without its extension (and an inner XCSP one); version numbers in the
// name stay.
func TestModelName(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"uClibc-0.9.33.2_Oh2020.dimacs", "uClibc-0.9.33.2_Oh2020"},
		{"/data/freebsd-8.0.0_AlHajjaji2019.dimacs", "freebsd-8.0.0_AlHajjaji2019"},
		{`C:\models\printer.cnf`, "printer"},
		{"renault/megane.xcsp21.xml", "megane"},
		{"renault-medium.XCSP.xml", "renault-medium"},
		{"plain", "plain"},
		{".dimacs", ".dimacs"},
		{"dir/", "model"},
	} {
		if got := modelName(c.file); got != c.want {
			t.Errorf("modelName(%q) = %q, want %q", c.file, got, c.want)
		}
	}
}
