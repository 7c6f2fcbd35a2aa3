package formats

// The readers build models of package model; these aliases let their code
// name that vocabulary unqualified.

import "github.com/ctoplan/ctoplan/configurator/model"

type (
	Error          = model.Error
	Expr           = model.Expr
	Eq             = model.Eq
	Or             = model.Or
	Not            = model.Not
	And            = model.And
	Implies        = model.Implies
	Iff            = model.Iff
	Cmp            = model.Cmp
	Count          = model.Count
	IntLit         = model.IntLit
	Labels         = model.Labels
	Pos            = model.Pos
	Kind           = model.CharKind
	Model          = model.Model
	Characteristic = model.Characteristic
	Value          = model.Value
	Rule           = model.Rule
	Table          = model.Table
	Row            = model.Row
	Cell           = model.Cell
)

const (
	Single     = model.Single
	Bool       = model.Bool
	Forbidden  = model.Forbidden
	OpEq       = model.OpEq
	OpLe       = model.OpLe
	OpGe       = model.OpGe
	MaxValues  = model.MaxValues
	MaxNameLen = model.MaxNameLen

	MaxCountValues = model.MaxCountValues
)

// ParseFile is [model.ParseFile].
func ParseFile(path string) (*Model, error) { return model.ParseFile(path) }

// checkName is [model.CheckName].
func checkName(s string) string { return model.CheckName(s) }
