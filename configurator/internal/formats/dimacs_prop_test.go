package formats

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/internal/modelext"
)

// randomDIMACS writes a DIMACS-like text from the pieces the reader's
// paths tell apart: names comments (fast and general path: ASCII, UTF-8,
// invalid UTF-8, Unicode and ASCII white space, control characters,
// backquotes, long names, signs, zeros, leading zeros, huge indices),
// other comments, problem lines (good, bad, repeated), clause lines
// (good, out of range, bad literals) and "%".
func randomDIMACS(r *rand.Rand) string {
	var sb strings.Builder
	if r.IntN(20) == 0 {
		sb.WriteString("\ufeff")
	}
	names := []string{"a", "b", "two words", "x1", "x2", "caf\u00e9", "A_b-c.d", "n`q", "a\x01b", "a\x7fb",
		"caf\xe9", "n\u00a0", "\u00a0m", strings.Repeat("n", 256), strings.Repeat("n", 257), "a", "b"}
	spaces := []string{" ", "  ", "\t", " \t ", "\v", "\f", "\r"}
	sp := func() string { return spaces[r.IntN(len(spaces))] }
	nVars := 1 + r.IntN(8)
	header := r.IntN(4) != 0
	lines := 1 + r.IntN(25)
	for k := 0; k < lines; k++ {
		if header && k == lines/3 {
			switch r.IntN(10) {
			case 0:
				sb.WriteString("p cnf x 1\n")
			case 1:
				sb.WriteString("p cnf " + strconv.Itoa(nVars) + "\n")
			default:
				sb.WriteString("p" + sp() + "cnf" + sp() + strconv.Itoa(nVars) + sp() + strconv.Itoa(r.IntN(6)) + "\n")
			}
			if r.IntN(15) == 0 {
				sb.WriteString("p cnf 1 1\n")
			}
			continue
		}
		switch r.IntN(12) {
		case 0, 1, 2, 3:
			idx := []string{"1", "2", "3", strconv.Itoa(1 + r.IntN(nVars+2)), "0", "-1", "+1", "01",
				"9999999999999999999999", "123456789012345678", "1234567890123456789", "5000", "1x", ""}[r.IntN(14)]
			lead := "c" + sp()
			if r.IntN(10) == 0 {
				lead = sp() + "c" + sp()
			}
			sb.WriteString(lead + idx)
			if r.IntN(6) != 0 {
				sb.WriteString(sp() + names[r.IntN(len(names))])
				if r.IntN(4) == 0 {
					sb.WriteString(" " + names[r.IntN(len(names))])
				}
			}
			if r.IntN(4) == 0 {
				sb.WriteString(sp())
			}
		case 4:
			sb.WriteString([]string{"c", "c ", "cfoo bar", "c1 x", "c\t2 y", "c just a comment", "c\u00e9", "c \xff"}[r.IntN(8)])
		case 5:
			sb.WriteString("%")
		case 6:
			sb.WriteString(sp())
		default:
			n := r.IntN(5)
			for i := 0; i < n; i++ {
				v := 1 + r.IntN(nVars+1)
				if r.IntN(2) == 0 {
					v = -v
				}
				sb.WriteString(strconv.Itoa(v) + sp())
			}
			if r.IntN(20) == 0 {
				sb.WriteString("q ")
			}
			if r.IntN(5) != 0 {
				sb.WriteString("0")
			}
		}
		sb.WriteString([]string{"\n", "\n", "\n", "\r\n"}[r.IntN(4)])
	}
	return sb.String()
}

// sameRead fails t unless ReadDIMACS and the previous reader
// (readDIMACSPrevious) read src alike: the
// same error text, or equal models (characteristics, rules, positions and
// the clause slabs Compile reads). Both are given the input as a
// bytes.Reader (size known) and as a plain reader (size unknown).
func sameRead(t *testing.T, src []byte) {
	t.Helper()
	want, werr := readDIMACSPrevious("t.dimacs", bytes.NewReader(src))
	for _, r := range []io.Reader{bytes.NewReader(src), struct{ io.Reader }{bytes.NewReader(src)}} {
		got, gerr := ReadDIMACS("t.dimacs", r)
		if (gerr == nil) != (werr == nil) || (gerr != nil && gerr.Error() != werr.Error()) {
			t.Fatalf("%q: error %v, previous reader %v", src, gerr, werr)
		}
		if gerr == nil && !reflect.DeepEqual(emptyNil(got), emptyNil(want)) {
			t.Fatalf("%q: models differ:\n%+v\nprevious reader:\n%+v", src, got, want)
		}
	}
}

// emptyNil makes m's empty literal slab nil: ReadDIMACS presizes it, so
// that it is empty but not nil where the previous reader's is nil, which is no
// difference to a reader.
func emptyNil(m *Model) *Model {
	if d, ok := modelext.Attachment(m).(*CNF); ok && len(d.Lits) == 0 {
		d.Lits = nil
	}
	return m
}

// TestReadDIMACSAsPrevious: ReadDIMACS (fast comment path, name arena,
// presized slabs) reads 5,000 random texts exactly as the reader before
// those changes did, errors included (what they mean is
// TestReadDIMACSDefinition's).
func TestReadDIMACSAsPrevious(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 1))
	n := 5000
	if testing.Short() {
		n = 2000
	}
	for range n {
		sameRead(t, []byte(withClauseCount(r, randomDIMACS(r))))
	}
}

// sameModelFast fails t unless a and b have the same characteristics,
// rules (name, position, literals with their positions) and clause slabs:
// what sameRead's reflect.DeepEqual checks, minus the comparison of every
// pointer, which takes a minute on Freetz under -race.
func sameModelFast(t *testing.T, a, b *Model) {
	t.Helper()
	if a.Name != b.Name || a.Pos != b.Pos || len(a.Chars) != len(b.Chars) || len(a.Rules) != len(b.Rules) {
		t.Fatalf("models differ: %s %v %d chars %d rules, previous reader %s %v %d chars %d rules",
			a.Name, a.Pos, len(a.Chars), len(a.Rules), b.Name, b.Pos, len(b.Chars), len(b.Rules))
	}
	for i := range a.Chars {
		x, y := a.Chars[i], b.Chars[i]
		if x.Name != y.Name || x.Kind != y.Kind || x.Pos != y.Pos {
			t.Fatalf("char %d: %+v, previous reader %+v", i, x, y)
		}
	}
	da, _ := modelext.Attachment(a).(*CNF)
	db, _ := modelext.Attachment(b).(*CNF)
	if da == nil || db == nil || !slices.Equal(da.Lits, db.Lits) || !slices.Equal(da.Start, db.Start) {
		t.Fatal("clause slabs differ")
	}
	for k := range a.Rules {
		x, y := a.Rules[k], b.Rules[k]
		if x != &da.Rules[k] || x.Name != y.Name || x.Pos != y.Pos {
			t.Fatalf("rule %d: %+v, previous reader %+v", k, x, y)
		}
		ox, oy := x.Expr.(*Or), y.Expr.(*Or)
		if ox != &da.Ors[k] || ox.Pos != oy.Pos || len(ox.Xs) != len(oy.Xs) {
			t.Fatalf("rule %d: %+v, previous reader %+v", k, ox, oy)
		}
		for i := range ox.Xs {
			ex, ey := ox.Xs[i].(*Eq), oy.Xs[i].(*Eq)
			if *ex != *ey || ex != &da.Eqs[int(da.Start[k])+i] {
				t.Fatalf("rule %d literal %d: %+v, previous reader %+v", k, i, ex, ey)
			}
		}
	}
}

// TestReadDIMACSAsPreviousData: the same on every feature model in
// ../shared/data (sameModelFast: DeepEqual is too slow here).
func TestReadDIMACSAsPreviousData(t *testing.T) {
	eachFeatureModel(t, func(f string, src []byte) {
		want, err := readDIMACSPrevious(f, bytes.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		got, err := LoadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sameModelFast(t, got, want)
	})
}

// eachFeatureModel calls fn with the path and bytes of every feature
// model in ../shared/data; it fails t unless all eight are there.
func eachFeatureModel(t *testing.T, fn func(path string, src []byte)) {
	t.Helper()
	files, err := filepath.Glob("../../../../shared/data/configurator/featuremodels/*.dimacs")
	if err != nil || len(files) < 8 {
		t.Fatalf("want the 8 feature models of ../shared/data/configurator/featuremodels: %v %v", files, err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fn(f, src)
	}
}

// TestFastCommentCases: hand-read lines, what the fast comment path
// decides for each.
func TestFastCommentCases(t *testing.T) {
	for _, tc := range []struct {
		line  string
		kind  int
		index int
		name  string
	}{
		{"c 1 root", commentName, 1, "root"},
		{"c\t12  two words \r", commentName, 12, "two words"}, // trailing space and \r trimmed, inner kept
		{"c 007 x", commentName, 7, "x"},                      // strconv.Atoi reads leading zeros
		{"c 0 x", commentSkip, 0, ""},                         // index < 1
		{"c -1 x", commentSkip, 0, ""},
		{"c +1 x", commentSkip, 0, ""},
		{"c 1x y", commentSkip, 0, ""}, // not a number
		{"c 1", commentSkip, 0, ""},    // two fields
		{"c 1   ", commentSkip, 0, ""},
		{"cfoo 1 x", commentSkip, 0, ""},
		{"c1 x", commentSkip, 0, ""}, // the first field is "c1", not "c"
		{"c", commentSkip, 0, ""},
		{"c 1234567890123456789 x", commentGeneral, 0, ""}, // 19 digits: Atoi decides
		{"c 1 caf\u00e9", commentGeneral, 0, ""},           // not ASCII
		{"c 1 a`b", commentGeneral, 0, ""},                 // checkName's error
		{"c 1 a\x01b", commentGeneral, 0, ""},
		{"c 1 " + strings.Repeat("n", 257), commentGeneral, 0, ""},
		{"c 1 " + strings.Repeat("n", 256), commentName, 1, strings.Repeat("n", 256)},
	} {
		kind, index, name := fastComment([]byte(tc.line))
		if kind != tc.kind || index != tc.index || string(name) != tc.name {
			t.Errorf("%q: %d %d %q, want %d %d %q", tc.line, kind, index, name, tc.kind, tc.index, tc.name)
		}
	}
}

// FuzzReadDIMACS: on any input ReadDIMACS means what the definition says
// (dimacsDef) and reads as the previous reader did (seeds: random texts of
// randomDIMACS and the hand-read comment lines).
func FuzzReadDIMACS(f *testing.F) {
	r := rand.New(rand.NewPCG(14, 2))
	for range 32 {
		f.Add([]byte(randomDIMACS(r)))
	}
	for _, s := range []string{"c 1 root\nc\t12  two words \r\np cnf 12 1\n1 -12 0\n", "c 007 x\nc1 y\np cnf 7 0\n", "\ufeffc 1 a\np cnf 1 1\n1 0\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		sameMeaning(t, "t.dimacs", src)
		sameRead(t, src)
	})
}
