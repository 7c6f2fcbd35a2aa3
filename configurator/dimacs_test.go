package configurator_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

func TestReadDIMACS(t *testing.T) {
	m, err := configurator.ReadDIMACS("t.dimacs", strings.NewReader("c 1 root\nc 2 two words\np cnf 3 2\n1 0\n-2 3\n 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range m.Chars {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, "|"); got != "root|two words|x3" {
		t.Errorf("names %q", got)
	}
	if len(m.Rules) != 2 || configurator.ExprString(m.Rules[1].Expr) == "" || m.Rules[1].Pos.Line != 5 {
		t.Errorf("rules %+v", m.Rules)
	}
}

func TestReadDIMACSErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"1 0\n", "t.dimacs:1:1: clause before the problem line"},
		{"p cnf x 1\n", "t.dimacs:1:1: bad problem line"},
		{"p cnf 2 1\n1 3 0\n", "t.dimacs:2:3: literal 3 out of range (2 variables)"},
		{"p cnf 2 1\n1 a 0\n", `t.dimacs:2:3: bad literal "a"`},
		{"c only\n", "no problem line"},
		// Found by a hostile run (issue 11): -v overflowed for the
		// smallest int64 and passed the range check.
		{"p cnf 3 1\n1 -9223372036854775808 0\n", "t.dimacs:2:3: literal -9223372036854775808 out of range (3 variables)"},
		// A decimal integer beyond int64 is out of range as well, not a
		// bad integer.
		{"p cnf 3 1\n9223372036854775808 0\n", `t.dimacs:2:1: literal 9223372036854775808 out of range (3 variables)`},
		{"p cnf 2 1\n1 -99999999999999999999 0\n", `t.dimacs:2:3: literal -99999999999999999999 out of range (2 variables)`},
		{"p cnf 2 1\n99999999999999999999 0\n", `t.dimacs:2:1: literal 99999999999999999999 out of range (2 variables)`},
		{"p cnf 2 1\n1 +x 0\n", `t.dimacs:2:3: bad literal "+x" (want a decimal integer)`},
		{"p cnf 3 1\n1_000 0\n", `t.dimacs:2:1: bad literal "1_000" (want a decimal integer)`},
		{"p cnf 1_000 1\n", `t.dimacs:1:1: bad problem line "p cnf 1_000 1"`},
		{"p cnf -1 1\n", `t.dimacs:1:1: bad problem line "p cnf -1 1"`},
		{"p cnf 99999999999999999999 1\n", `t.dimacs:1:1: bad problem line`},
		{"p cnf 9999999 1\n", `t.dimacs:1:7: the problem line declares 9999999 variables; at most 4194304 are read`},
		// 2,000,000 variables declared by a file of 22 bytes: at most
		// 4096 + 22.
		{"p cnf 2000000 1\n1 2 0\n", "t.dimacs:1:7: the problem line declares 2000000 variables, but a file of 22 bytes may declare at most 4118 (4096 plus 1 per byte): fix the header"},
		{"p cnf 2 1\np cnf 2 1\n", "t.dimacs:2:1: second problem line (the first is at line 1)"},
		{"c 1 a\x01b\np cnf 1 0\n", `t.dimacs:1:5: variable 1: name "a\x01b" contains a backquote or a control character`},
		{"c 1 caf\xe9\np cnf 1 0\n", "t.dimacs:1:8: invalid UTF-8"},
		{"c 1 " + strings.Repeat("n", 300) + "\np cnf 1 0\n", "t.dimacs:1:5: variable 1: name \"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\"... is 300 bytes long (at most 256)"},
		// Old Mac OS line ends (a lone CR) end lines, as LF and CRLF do
		// (the whole file was its first line).
		{"c 1 a\rc 2 b\rp cnf 2 2\r1 -2 0\r2 x 0\r", `t.dimacs:5:3: bad literal "x" (want a decimal integer)`},
		{"c 1 a\r\nc 2 b\r\np cnf 2 2\r\n1 -2 0\r\n2 x 0\r\n", `t.dimacs:5:3: bad literal "x" (want a decimal integer)`},
	} {
		_, err := configurator.ReadDIMACS("t.dimacs", strings.NewReader(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
}

// TestReadDIMACSSATLIB: SATLIB instances end with a line "%" and a line
// "0"; the "0" is not an empty clause (it made every instance
// unsatisfiable). uf-style: (1 or -2 or 3) and (-1 or 2) is satisfiable,
// with x1 = x2 = true for instance.
func TestReadDIMACSSATLIB(t *testing.T) {
	src := "c SATLIB uf3-01\np cnf 3 2\n 1 -2 3 0\n-1 2 0\n%\n0\n\n"
	m, err := configurator.ReadDIMACS("uf.cnf", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Rules) != 2 {
		t.Fatalf("%d clauses, want 2", len(m.Rules))
	}
	c, err := configurator.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Check(context.Background(), []configurator.Pick{{Char: "x1", Value: "true"}, {Char: "x2", Value: "true"}})
	if err != nil || !res.Valid {
		t.Fatalf("x1 = x2 = true: %+v, %v", res, err)
	}
}

// TestReadDIMACSHeaderBound: the header may declare as many variables as
// the file has bytes plus MaxDIMACSFreeVars, and no more; reading is
// linear in what is declared.
func TestReadDIMACSHeaderBound(t *testing.T) {
	const clause = "1 2 0\n"
	for _, extra := range []int{0, 1} {
		// The file: "p cnf N 1\n" + clause; N is chosen so that it is at
		// the bound (extra 0) or one past it.
		n := configurator.MaxDIMACSFreeVars + 16
		for {
			src := fmt.Sprintf("p cnf %d 1\n%s", n, clause)
			if n == configurator.MaxDIMACSFreeVars+configurator.DIMACSVarsPerByte*len(src) {
				break
			}
			n++
		}
		n += extra
		src := fmt.Sprintf("p cnf %d 1\n%s", n, clause)
		m, err := configurator.ReadDIMACS("t.cnf", strings.NewReader(src))
		switch {
		case extra == 0 && (err != nil || len(m.Chars) != n):
			t.Errorf("%d variables at the bound: %v", n, err)
		case extra == 1 && (err == nil || !strings.Contains(err.Error(), "fix the header")):
			t.Errorf("%d variables past the bound: %v", n, err)
		}
	}
}

// TestReadDIMACSClauseLimit: at most MaxDIMACSClauses clauses are read:
// the error is at the one past the limit (clause k is on line k+1), so all
// before it were accepted.
func TestReadDIMACSClauseLimit(t *testing.T) {
	n := configurator.MaxDIMACSClauses + 1
	src := "p cnf 1 " + strconv.Itoa(n) + "\n" + strings.Repeat("1 0\n", n)
	_, err := configurator.ReadDIMACS("t.cnf", strings.NewReader(src))
	if err == nil || err.Error() != "t.cnf:2097154:3: more than 2097152 clauses (MaxDIMACSClauses)" {
		t.Errorf("%d clauses: %v", n, err)
	}
}

// TestReadDIMACSByteOrderMark: a BOM before the first line is skipped.
func TestReadDIMACSByteOrderMark(t *testing.T) {
	m, err := configurator.ReadDIMACS("t.cnf", strings.NewReader("\ufeffc 1 root\np cnf 1 1\n1 0\n"))
	if err != nil || m.Chars[0].Name != "root" {
		t.Fatalf("%v", err)
	}
}

func FuzzReadDIMACS(f *testing.F) {
	for _, p := range []string{"testdata/engine/small.dimacs"} {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("p cnf 3 3\n1 -2 0\n2 3 0\n-1 -3 0\n"))
	f.Add([]byte("p cnf 1 2\n1 0\n-1 0\n"))
	f.Add([]byte("p cnf " + strconv.Itoa(configurator.MaxDIMACSFreeVars+40) + " 1\n1 2 0\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := configurator.ReadDIMACS("f.dimacs", strings.NewReader(string(src)))
		if err != nil {
			_ = err.Error()
			return
		}
		// What is read is a model of the language, within its limits.
		if err := m.Validate(); err != nil {
			t.Fatalf("imported model does not validate: %v", err)
		}
		if len(m.Chars) > 200 {
			return
		}
		c, err := configurator.Compile(m)
		if err != nil {
			t.Fatalf("imported model does not compile: %v", err)
		}
		if _, err := c.Propagate(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	})
}

// Compile encodes a DIMACS model's clauses directly while its rules are as
// ReadDIMACS built them; a rule changed after reading is compiled as it
// reads now. (x1 or x2) and (not x2) force x1 true; with the first
// literal turned to x1 = false the same rules force it false.
func TestCompileDIMACSEditedRules(t *testing.T) {
	ctx := context.Background()
	status := func(m *configurator.Model) configurator.Status {
		t.Helper()
		c, err := configurator.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		d, err := c.Propagate(ctx, nil)
		if err != nil || !d.Valid {
			t.Fatal(err, d.Conflict)
		}
		s, _ := d.Status("x1", "true")
		return s
	}
	read := func() *configurator.Model {
		m, err := configurator.ReadDIMACS("e.dimacs", strings.NewReader("p cnf 2 2\n1 2 0\n-2 0\n"))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if s := status(read()); s != configurator.Forced {
		t.Errorf("as read: x1=true %v, want forced", s)
	}
	m := read()
	m.Rules[0].Expr.(*configurator.Or).Xs[0].(*configurator.Eq).Value = "false"
	if s := status(m); s != configurator.Excluded {
		t.Errorf("first literal edited to x1=false: x1=true %v, want excluded", s)
	}
	m = read()
	m.Rules[0].Expr.(*configurator.Or).Xs[0].(*configurator.Eq).Neg = true
	if s := status(m); s != configurator.Excluded {
		t.Errorf("first literal negated: x1=true %v, want excluded", s)
	}
	m = read()
	m.Rules[0] = &configurator.Rule{Name: "r", Expr: &configurator.Eq{Char: "x1", Value: "false"}}
	if s := status(m); s != configurator.Excluded {
		t.Errorf("first rule replaced by x1=false: x1=true %v, want excluded", s)
	}
	// The characteristics swapped: the clauses still name x1 and x2, so
	// they must be read by name, not by position (by position, "1 2"
	// and "-2" would force x2 and exclude x1).
	m = read()
	m.Chars[0], m.Chars[1] = m.Chars[1], m.Chars[0]
	if s := status(m); s != configurator.Forced {
		t.Errorf("characteristics swapped: x1=true %v, want forced", s)
	}
	// x2 renamed: the clauses' x2 is no characteristic any more.
	m = read()
	m.Chars[1].Name = "y"
	if _, err := configurator.Compile(m); err == nil || !strings.Contains(err.Error(), "x2") {
		t.Errorf("x2 renamed: compile error %v, want one naming x2", err)
	}
}

// TestReadDIMACSNames: variable names from comments, whatever the order of
// the comments and however far the index (a name for variable 5000 on the
// first line, before the file has shown it may declare that many); an
// unnamed variable gets a generated name, which gives way to a name a
// comment gave; a later comment for the same variable wins; two variables
// named alike are an error.
func TestReadDIMACSNames(t *testing.T) {
	src := "c 5000 far\nc 1 a\nc 2 x3\nc 4 first\nc 4 second\n" + strings.Repeat("c padding so that 5000 variables are in proportion\n", 20) +
		"p cnf 5000 1\n1 -5000 0\n"
	m, err := configurator.ReadDIMACS("n.dimacs", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Chars) != 5000 {
		t.Fatalf("%d characteristics, want 5000", len(m.Chars))
	}
	for i, want := range map[int]string{1: "a", 2: "x3", 3: "x3_", 4: "second", 5: "x5", 4999: "x4999", 5000: "far"} {
		if got := m.Chars[i-1].Name; got != want {
			t.Errorf("variable %d named %q, want %q", i, got, want)
		}
	}
	_, err = configurator.ReadDIMACS("n.dimacs", strings.NewReader("c 1 a\nc 2 b\nc 3 a\np cnf 3 0\n"))
	if err == nil || err.Error() != `n.dimacs:3:1: variables 1 and 3 are both named "a" (lines 1 and 3): give each a name of its own` {
		t.Errorf("two variables named a: %v", err)
	}
}
