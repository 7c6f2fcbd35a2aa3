package engine

// The engine compiles and queries the model vocabulary of package model;
// these aliases let its code name that vocabulary unqualified.

import (
	"github.com/ctoplan/ctoplan/configurator/model"
	"github.com/ctoplan/ctoplan/internal/typo"
)

type (
	Error          = model.Error
	Expr           = model.Expr
	IntExpr        = model.IntExpr
	Lit            = model.Lit
	Eq             = model.Eq
	In             = model.In
	Has            = model.Has
	Not            = model.Not
	And            = model.And
	Or             = model.Or
	Implies        = model.Implies
	Iff            = model.Iff
	CmpOp          = model.CmpOp
	Cmp            = model.Cmp
	IntLit         = model.IntLit
	IntRef         = model.IntRef
	Count          = model.Count
	ArithOp        = model.ArithOp
	Arith          = model.Arith
	Pos            = model.Pos
	Labels         = model.Labels
	Kind           = model.CharKind
	Model          = model.Model
	Characteristic = model.Characteristic
	Value          = model.Value
	Rule           = model.Rule
	Table          = model.Table
	Pick           = model.Pick
	Configuration  = model.Configuration
)

const (
	OpEq           = model.OpEq
	OpNe           = model.OpNe
	OpLt           = model.OpLt
	OpLe           = model.OpLe
	OpGt           = model.OpGt
	OpGe           = model.OpGe
	Single         = model.Single
	Multi          = model.Multi
	Int            = model.Int
	Bool           = model.Bool
	Forbidden      = model.Forbidden
	MaxValues      = model.MaxValues
	MaxCountValues = model.MaxCountValues
)

var (
	ErrInvalidModel = model.ErrInvalidModel
)

// Eval is [model.Eval].
func Eval(e Expr, cfg Configuration) (bool, error) { return model.Eval(e, cfg) }

// Chars is [model.Chars].
func Chars(e Expr) []string { return model.Chars(e) }

// arithmetic applies op to l and r as model.EvalInt does.
func arithmetic(op ArithOp, l, r int64) (int64, error) { return op.Apply(l, r) }

// didYouMean is ` (did you mean "x"?)` for the candidate name most
// plausibly meant, or "".
func didYouMean(name string, candidates []string) string {
	return typo.DidYouMean(name, candidates)
}
