package configurator_test

import (
	"context"
	"os"
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
	} {
		_, err := configurator.ReadDIMACS("t.dimacs", strings.NewReader(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
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
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := configurator.ReadDIMACS("f.dimacs", strings.NewReader(string(src)))
		if err != nil || len(m.Chars) > 200 {
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
