package configurator

// The black-box tests predate the split of the model vocabulary into
// package model and of the machinery into internal packages; these names,
// visible to the tests only, let them go on naming it through the root.

import (
	"fmt"

	"github.com/ctoplan/ctoplan/configurator/internal/engine"
	"github.com/ctoplan/ctoplan/configurator/internal/formats"
	"github.com/ctoplan/ctoplan/configurator/model"
)

type (
	Lit       = model.Lit
	Eq        = model.Eq
	In        = model.In
	Has       = model.Has
	Not       = model.Not
	And       = model.And
	Or        = model.Or
	Implies   = model.Implies
	Iff       = model.Iff
	CmpOp     = model.CmpOp
	Cmp       = model.Cmp
	IntLit    = model.IntLit
	IntRef    = model.IntRef
	Count     = model.Count
	ArithOp   = model.ArithOp
	Arith     = model.Arith
	Labels    = model.Labels
	Value     = model.Value
	Rule      = model.Rule
	TableKind = model.TableKind
	Table     = model.Table
	Row       = model.Row
	Cell      = model.Cell
	Stats     = engine.Stats
)

const (
	MaxPrintedErrors  = model.MaxPrintedErrors
	OpEq              = model.OpEq
	OpNe              = model.OpNe
	OpLt              = model.OpLt
	OpLe              = model.OpLe
	OpGt              = model.OpGt
	OpGe              = model.OpGe
	OpAdd             = model.OpAdd
	OpSub             = model.OpSub
	OpMul             = model.OpMul
	OpDiv             = model.OpDiv
	OpMod             = model.OpMod
	Allowed           = model.Allowed
	Forbidden         = model.Forbidden
	MaxIntDomain      = model.MaxIntDomain
	MaxPrice          = model.MaxPrice
	MaxNameLen        = model.MaxNameLen
	MaxTextLen        = model.MaxTextLen
	MaxValues         = model.MaxValues
	MaxCountValues    = model.MaxCountValues
	MaxExprSize       = model.MaxExprSize
	MaxSolvers        = engine.MaxSolvers
	DIMACSVarsPerByte = formats.DIMACSVarsPerByte
	MaxDIMACSClauses  = formats.MaxDIMACSClauses
	MaxDIMACSFreeVars = formats.MaxDIMACSFreeVars
	MaxDIMACSVars     = formats.MaxDIMACSVars
)

var (
	CellOf      = model.CellOf
	AnyCell     = model.AnyCell
	LitExpr     = model.LitExpr
	EqExpr      = model.EqExpr
	NeExpr      = model.NeExpr
	BoolExpr    = model.BoolExpr
	InExpr      = model.InExpr
	NotInExpr   = model.NotInExpr
	HasExpr     = model.HasExpr
	NotExpr     = model.NotExpr
	AndExpr     = model.AndExpr
	OrExpr      = model.OrExpr
	ImpliesExpr = model.ImpliesExpr
	IffExpr     = model.IffExpr
	CmpExpr     = model.CmpExpr
	IntConst    = model.IntConst
	IntChar     = model.IntChar
	CountValues = model.CountValues
	CountTrue   = model.CountTrue
	ArithExpr   = model.ArithExpr
	EvalTable   = model.EvalTable
	Chars       = model.Chars
)

// Arithmetic applies op to l and r as EvalInt does.
func Arithmetic(op ArithOp, l, r int64) (int64, error) { return op.Apply(l, r) }

// ExprString prints an expression in the language's syntax (what the
// String methods of the expression types print).
func ExprString(e Expr) string {
	return e.(fmt.Stringer).String()
}
