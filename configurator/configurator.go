package configurator

import (
	"context"
	"io"

	"github.com/ctoplan/ctoplan/configurator/internal/engine"
	"github.com/ctoplan/ctoplan/configurator/internal/formats"
	"github.com/ctoplan/ctoplan/configurator/model"
)

// The model vocabulary is package [model]; the names a caller of [Compile]
// needs are here too, as aliases. The rest of the vocabulary (the
// expression AST and its constructors, [model.Table], the limits of the
// language) is named through package model.
type (
	// Model is [model.Model]: a product family, its characteristics, rules
	// and tables. Its methods build and check it (AddSingle, AddRule, ...,
	// Validate, Violations, Price).
	Model = model.Model
	// Characteristic is [model.Characteristic]: one option a salesperson
	// picks, of a [CharKind].
	Characteristic = model.Characteristic
	// CharKind is [model.CharKind]: Single, Multi, Int or Bool.
	CharKind = model.CharKind
	// Configuration is [model.Configuration]: the chosen values of every
	// characteristic.
	Configuration = model.Configuration
	// Pick is [model.Pick]: a salesperson's choice of one value.
	Pick = model.Pick
	// Pos is [model.Pos]: a position in a model source file.
	Pos = model.Pos
	// Expr is [model.Expr]: a condition of a rule.
	Expr = model.Expr
	// IntExpr is [model.IntExpr]: an integer formula.
	IntExpr = model.IntExpr
	// Error is [model.Error]: one problem in a model, at a position.
	Error = model.Error
	// ErrorList is [model.ErrorList]: the problems of a model, matching
	// [ErrInvalidModel].
	ErrorList = model.ErrorList
)

// The kinds of characteristic.
const (
	Single CharKind = model.Single
	Multi  CharKind = model.Multi
	Int    CharKind = model.Int
	Bool   CharKind = model.Bool
)

// NewModel returns an empty model named name (see [model.NewModel]).
func NewModel(name string) *Model { return model.NewModel(name) }

// Parse reads a model in the .ctm language (docs/model-language.md); the
// error is an [ErrorList] with file, line and column.
func Parse(filename string, src []byte) (*Model, error) { return model.Parse(filename, src) }

// ParseFile reads and parses the .ctm file at path.
func ParseFile(path string) (*Model, error) { return model.ParseFile(path) }

// LoadFile reads a model by its extension: ".ctm" ([ParseFile]),
// ".dimacs" or ".cnf" ([ReadDIMACS]), ".xml" ([ReadXCSP] or
// [ReadFeatureIDE], by the document's root element), ".uvl" ([ReadUVL]).
func LoadFile(path string) (*Model, error) { return formats.LoadFile(path) }

// Read reads a model from r by the extension of filename, as [LoadFile]
// reads a file, for a model that comes as bytes (an upload): .dimacs,
// .cnf, .uvl and .xml by their format ([IsForeign]), any other name as
// .ctm.
func Read(filename string, r io.Reader) (*Model, error) { return formats.Read(filename, r) }

// IsForeign says whether filename's extension names a model format other
// than .ctm that [Read] and [LoadFile] read (.dimacs, .cnf, .uvl, .xml).
func IsForeign(filename string) bool { return formats.Foreign(filename) }

// ReadDIMACS reads a DIMACS CNF file as a model of Bool characteristics
// "x1", "x2", ..., one rule per clause.
func ReadDIMACS(filename string, r io.Reader) (*Model, error) {
	return formats.ReadDIMACS(filename, r)
}

// ReadXCSP reads an XCSP 2.1 instance with extensional constraints, as
// the public Renault benchmarks are written.
func ReadXCSP(filename string, r io.Reader) (*Model, error) { return formats.ReadXCSP(filename, r) }

// ReadFeatureIDE reads a feature model in FeatureIDE's XML format
// (<featureModel> or <extendedFeatureModel>): every feature a bool
// characteristic, the tree's semantics (root, parent, mandatory,
// alternative and or groups) and the cross-tree constraints rules.
func ReadFeatureIDE(filename string, r io.Reader) (*Model, error) {
	return formats.ReadFeatureIDE(filename, r)
}

// ReadUVL reads a feature model in the Universal Variability Language
// (.uvl): the feature tree by indentation (mandatory, optional,
// alternative, or and [n..m] groups) and propositional constraints, as
// bool characteristics and rules named as ReadFeatureIDE names them.
func ReadUVL(filename string, r io.Reader) (*Model, error) { return formats.ReadUVL(filename, r) }

// ParseExpr reads one condition against m (see [model.ParseExpr]).
func ParseExpr(m *Model, at Pos, src string) (Expr, error) { return model.ParseExpr(m, at, src) }

// ParseIntExpr reads one integer formula against m.
func ParseIntExpr(m *Model, at Pos, src string) (IntExpr, error) {
	return model.ParseIntExpr(m, at, src)
}

// Format prints m in canonical .ctm form: parsing it gives m back.
func Format(m *Model) []byte { return model.Format(m) }

// Eval reports whether e holds in the full configuration cfg.
func Eval(e Expr, cfg Configuration) (bool, error) { return model.Eval(e, cfg) }

// EvalInt computes e in the full configuration cfg.
func EvalInt(e IntExpr, cfg Configuration) (int64, error) { return model.EvalInt(e, cfg) }

// The engine's types. Their methods and fields are documented in
// configurator/internal/engine (go doc ./configurator/internal/engine).
type (
	// Compiled is a compiled model: immutable and safe for concurrent use.
	// Its methods answer a salesperson's questions: Propagate,
	// PropagateFrom, Check, Explain, Complete, ValidateConfiguration, Key,
	// NewSession, Model, Stats.
	Compiled = engine.Compiled
	// Session is one user's sequence of picks on a [Compiled] model, each
	// answer reusing the work of the last: Pick, Unpick, Set, Picks,
	// Domains.
	Session = engine.Session
	// Options bound the work of [Compile]; the zero value means the
	// defaults of [DefaultOptions], and Options.Validate says what Compile
	// refuses. Fields: MaxDomain, MaxTableCells, Solvers, MaxClauses.
	Options = engine.Options
	// Option changes the [Options] of [Compile].
	Option = engine.Option
	// Domains is the answer of Propagate: per characteristic, the status of
	// every value.
	Domains = engine.Domains
	// CharDomain is the statuses of one characteristic's values.
	CharDomain = engine.CharDomain
	// ValueStatus is one value and its [Status].
	ValueStatus = engine.ValueStatus
	// Status says whether a value is Selected, Forced, Possible or
	// Excluded under the picks.
	Status = engine.Status
	// CheckResult is the answer of Check: valid, or a minimal [Conflict].
	CheckResult = engine.CheckResult
	// Conflict is a minimal set of picks and [Constraint]s that cannot
	// hold together.
	Conflict = engine.Conflict
	// ConflictError is the error of a configuration without a valid
	// completion; it carries the [Conflict] and matches
	// [ErrInvalidConfiguration].
	ConflictError = engine.ConflictError
	// Constraint names a rule or table of the model.
	Constraint = engine.Constraint
	// Explanation is the answer of Explain: why a value is excluded or
	// forced.
	Explanation = engine.Explanation
	// Witnesses are the full configurations Propagate found, reused by
	// PropagateFrom.
	Witnesses = engine.Witnesses
)

// The statuses of a value.
const (
	Excluded Status = engine.Excluded
	Possible Status = engine.Possible
	Forced   Status = engine.Forced
	Selected Status = engine.Selected
)

// Compile encodes m for the engine; m must be valid ([Model.Validate]).
func Compile(m *Model, opts ...Option) (*Compiled, error) { return engine.Compile(m, opts...) }

// CompileContext is [Compile] that stops with ctx's error once ctx is done.
func CompileContext(ctx context.Context, m *Model, opts ...Option) (*Compiled, error) {
	return engine.CompileContext(ctx, m, opts...)
}

// DefaultOptions returns the options Compile uses when given none.
func DefaultOptions() Options { return engine.DefaultOptions() }

// WithOptions replaces all options at once.
func WithOptions(opts Options) Option { return engine.WithOptions(opts) }

// Sentinel errors. Errors of this package and of package model wrap them
// where they apply; test with [errors.Is].
var (
	// ErrInvalidModel: a model failed Validate or could not be parsed.
	ErrInvalidModel = model.ErrInvalidModel
	// ErrNoValue: a configuration lacks a value an expression refers to.
	ErrNoValue = model.ErrNoValue
	// ErrDivisionByZero: an integer expression divides by zero.
	ErrDivisionByZero = model.ErrDivisionByZero
	// ErrOverflow: integer arithmetic left the int64 range.
	ErrOverflow = model.ErrOverflow
	// ErrInvalidConfiguration: picks or a configuration without a valid
	// completion; a [*ConflictError] carries the minimal conflict.
	ErrInvalidConfiguration = engine.ErrInvalidConfiguration
	// ErrBadPick: a pick names an unknown characteristic or value, or a
	// configuration has the wrong shape.
	ErrBadPick = engine.ErrBadPick
	// ErrTooLarge: the model cannot be compiled within the limits of
	// [Options].
	ErrTooLarge = engine.ErrTooLarge
	// ErrInvalidOptions: Options.Validate refused the options.
	ErrInvalidOptions = engine.ErrInvalidOptions
)
