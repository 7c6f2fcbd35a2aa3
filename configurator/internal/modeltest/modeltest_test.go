package modeltest_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
	"github.com/ctoplan/ctoplan/configurator/model"
)

func TestRandomModelsAreValidAndSmall(t *testing.T) {
	sat, kinds := 0, map[string]bool{}
	for seed := uint64(0); seed < 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 1))
		m := modeltest.Random(r, modeltest.Options{})
		if err := m.Validate(); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if len(m.Chars) > 12 {
			t.Fatalf("seed %d: %d chars", seed, len(m.Chars))
		}
		n := 0
		modeltest.Enumerate(m, func(model.Configuration) bool { n++; return true })
		if n > 4096 {
			t.Fatalf("seed %d: %d configurations", seed, n)
		}
		if len(modeltest.Solutions(m)) > 0 {
			sat++
		}
		for _, r := range m.Rules {
			walkKinds(r.Expr, kinds)
		}
		if modeltest.Diff(m, m.Clone()) != "" {
			t.Fatalf("seed %d: clone differs: %s", seed, modeltest.Diff(m, m.Clone()))
		}
	}
	for _, k := range []string{"*model.Lit", "*model.Eq", "*model.In", "*model.Has",
		"*model.Not", "*model.And", "*model.Or", "*model.Implies", "*model.Iff",
		"*model.Cmp", "*model.IntLit", "*model.IntRef", "*model.Count", "*model.Arith"} {
		if !kinds[k] {
			t.Errorf("no random rule uses %s", k)
		}
	}
	if sat < 30 || sat > 290 {
		t.Errorf("%d of 300 random models are satisfiable: want a mix", sat)
	}
}

func typeName(x any) string { return fmt.Sprintf("%T", x) }

func TestDiffSeesChanges(t *testing.T) {
	m := modeltest.Random(rand.New(rand.NewPCG(7, 7)), modeltest.Options{})
	c := m.Clone()
	c.Chars[0].Labels = model.Labels{"en": "changed"}
	if modeltest.Diff(m, c) == "" {
		t.Fatal("Diff missed a changed label")
	}
	c = m.Clone()
	c.Chars[0].Pos = model.Pos{File: "x", Line: 3, Col: 4}
	if d := modeltest.Diff(m, c); d != "" {
		t.Fatalf("Diff sees a position: %s", d)
	}
}

// walkKinds records the type of e and of every subexpression in kinds.
func walkKinds(e any, kinds map[string]bool) {
	if e == nil {
		return
	}
	kinds[typeName(e)] = true
	switch e := e.(type) {
	case *model.Not:
		walkKinds(e.X, kinds)
	case *model.And:
		for _, x := range e.Xs {
			walkKinds(x, kinds)
		}
	case *model.Or:
		for _, x := range e.Xs {
			walkKinds(x, kinds)
		}
	case *model.Implies:
		walkKinds(e.L, kinds)
		walkKinds(e.R, kinds)
	case *model.Iff:
		walkKinds(e.L, kinds)
		walkKinds(e.R, kinds)
	case *model.Cmp:
		walkKinds(e.L, kinds)
		walkKinds(e.R, kinds)
	case *model.Count:
		for _, x := range e.Xs {
			walkKinds(x, kinds)
		}
	case *model.Arith:
		walkKinds(e.L, kinds)
		walkKinds(e.R, kinds)
	}
}
