package configurator

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ReadDIMACS reads a CNF in DIMACS format into a model: every variable
// becomes a bool characteristic, named by a "c <index> <name>" comment line
// when there is one (else "x<index>"), and every clause a rule "c<n>"
// (an "or" of "name = true/false"), which [Compile] encodes as the clause
// itself. Errors say file:line.
func ReadDIMACS(filename string, r io.Reader) (*Model, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	names := map[int]string{}
	nVars, nClauses := -1, -1
	var clauses [][]int
	var clauseLine []int
	var cur []int
	curLine := 0
	line := 0
	errAt := func(format string, args ...any) error {
		return &Error{Pos: Pos{File: filename, Line: line, Col: 1}, Msg: fmt.Sprintf(format, args...)}
	}
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text == "%" {
			continue
		}
		switch text[0] {
		case 'c':
			f := strings.Fields(text[1:])
			if len(f) >= 2 {
				if i, err := strconv.Atoi(f[0]); err == nil && i > 0 {
					name := strings.TrimSpace(text[1:])
					name = strings.TrimSpace(name[len(f[0]):])
					names[i] = name
				}
			}
			continue
		case 'p':
			f := strings.Fields(text)
			if len(f) != 4 || f[1] != "cnf" {
				return nil, errAt("bad problem line %q (want \"p cnf VARS CLAUSES\")", text)
			}
			var err1, err2 error
			nVars, err1 = strconv.Atoi(f[2])
			nClauses, err2 = strconv.Atoi(f[3])
			if err1 != nil || err2 != nil || nVars < 0 || nClauses < 0 || nVars > 1<<24 {
				return nil, errAt("bad problem line %q", text)
			}
			continue
		}
		if nVars < 0 {
			return nil, errAt("clause before the problem line \"p cnf VARS CLAUSES\"")
		}
		for _, f := range strings.Fields(text) {
			v, err := strconv.Atoi(f)
			if err != nil {
				return nil, errAt("bad literal %q", f)
			}
			if v == 0 {
				clauses = append(clauses, cur)
				clauseLine = append(clauseLine, curLine)
				cur = nil
				continue
			}
			if v > nVars || -v > nVars {
				return nil, errAt("literal %d out of range (%d variables)", v, nVars)
			}
			if cur == nil {
				curLine = line
			}
			cur = append(cur, v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	if nVars < 0 {
		return nil, &Error{Pos: Pos{File: filename}, Msg: "no problem line \"p cnf VARS CLAUSES\""}
	}
	if len(cur) > 0 {
		clauses = append(clauses, cur)
		clauseLine = append(clauseLine, curLine)
	}
	m := &Model{Name: modelName(filename), Pos: Pos{File: filename, Line: 1, Col: 1}}
	used := map[string]bool{}
	varName := make([]string, nVars+1)
	for i := 1; i <= nVars; i++ {
		name, ok := names[i]
		if !ok || name == "" || used[name] {
			base := name
			if base == "" {
				base = "x"
			}
			name = base + strconv.Itoa(i)
			for used[name] {
				name += "_"
			}
		}
		used[name] = true
		varName[i] = name
		m.Chars = append(m.Chars, &Characteristic{Name: name, Kind: Bool, Pos: Pos{File: filename}})
	}
	for k, cl := range clauses {
		pos := Pos{File: filename, Line: clauseLine[k], Col: 1}
		or := &Or{Pos: pos, Xs: make([]Expr, len(cl))}
		for i, v := range cl {
			if v > 0 {
				or.Xs[i] = &Eq{Char: varName[v], Value: "true", Pos: pos}
			} else {
				or.Xs[i] = &Eq{Char: varName[-v], Value: "false", Pos: pos}
			}
		}
		m.Rules = append(m.Rules, &Rule{Name: "c" + strconv.Itoa(k+1), Expr: or, Pos: pos})
	}
	_ = nClauses
	return m, nil
}

// modelName derives a model name from a file name: its base without
// extension.
func modelName(filename string) string {
	base := filename
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	if base == "" {
		base = "model"
	}
	return base
}
