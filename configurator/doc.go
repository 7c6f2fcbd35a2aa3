// Package configurator is ctoplan's product configurator: product models
// written in the .ctm language (or built in Go code), and the engine that
// answers a salesperson's questions about them.
//
// # Basics
//
// A [Model] is one product family: [Characteristic] values a salesperson
// picks (single, optional, multi, int or bool), [Rule] constraints over
// them and compatibility [Table] values listing allowed or forbidden
// combinations. The language is described in docs/model-language.md.
//
// Read a model with [Parse] or [ParseFile]; both validate it. Build one in
// Go code with [NewModel], the Add methods ([Model.AddSingle],
// [Model.AddOptional], [Model.AddMulti], [Model.AddInt], [Model.AddBool],
// [Model.AddRule], [Model.AddTable]) and the expression constructors
// ([EqExpr], [InExpr], [HasExpr], [AndExpr], [ImpliesExpr], [CmpExpr],
// [IntChar], [CountValues], ...), then call [Model.Validate]. [Format]
// prints a model in canonical form: parsing the output gives the same
// model back, and formatting it again gives the same bytes.
//
// Errors in a model are an [ErrorList] of [*Error], sorted by position and
// printed one per line as "file:line:col: message", for example
//
//	forklift.ctm:41:19: unknown value "triplx" for mast (did you mean "triplex"?)
//
// A model built in Go has no positions; its messages name the declaration
// instead ("rule r: ..."). Every such error matches [ErrInvalidModel].
//
// [ParseExpr] and [ParseIntExpr] read one condition or integer formula
// against a model (the super BOM's selection conditions and quantities);
// errors point into the caller's file. [Eval], [EvalInt] and [EvalTable]
// evaluate on a full [Configuration], and [Model.Violations] checks a whole
// configuration: they define what a valid configuration is, and the SAT
// engine agrees with them.
//
// Lookups: [Model.Char] (constant time), [Characteristic.Domain] (the
// values as strings: enumerated names, integers in decimal, "false" and
// "true"), [Characteristic.InDomain] and [Model.Price] (the sum of the
// chosen values' price deltas, in cents).
//
// # Caveats
//
// A [Model] is plain data. It is safe for concurrent reads once validated,
// but nothing guards against changing it while others read it; the engine
// works on what it was compiled from.
//
// Configuration values are strings spelled as Domain spells them: "4500",
// not "04500" or "+4500"; Eval compares strings exactly. The engine holds
// picks, configurations and keys to the same spelling: a non-canonical
// int value is an error wrapping [ErrBadPick] that names the
// characteristic and the canonical spelling, never silently the same value. A full
// configuration has an entry for every characteristic, an empty slice for
// an optional characteristic left empty or an empty multi.
//
// Eval has no short-circuit: every operand is evaluated, and an error
// anywhere (division by zero, overflow, a missing characteristic) is the
// error of the whole expression, whatever the other operands say. A rule
// whose evaluation fails on a configuration does not hold there.
// Arithmetic is on int64; "/" truncates toward zero and "%" takes the sign
// of the dividend, as in Go.
//
// In the language, "c = 4500" on an int characteristic is an [Eq] whose
// value must be in c's domain, while "(c) = 4500", "c = d" or "c = d + 1"
// are [Cmp] comparisons of integers; Eq, In and Cmp all apply to int
// characteristics. Int domains hold at most [MaxIntDomain] values; the
// other limits of the language ([MaxNameLen], [MaxTextLen], [MaxValues],
// [MaxCountValues], [MaxExprSize]) are checked by Parse and Validate with
// the position of the declaration that exceeds them, and
// docs/model-language.md lists them all.
//
// Format normalises two things the language cannot say: an And or Or of one
// operand prints as that operand (of none, as true or false), and a multi
// default of no values is no default. Comments are not kept in a [Model]:
// Format's output has none.
//
// # Engine
//
// [Compile] turns a model into clauses for the gini SAT solver; the
// [Compiled] result is immutable and safe for concurrent use (each query
// works on its own copy of the solver, kept in a small pool). Every query
// takes a context and returns its error once the context is done.
//
//   - [Compiled.Check]: is there a valid configuration extending the picks?
//     If not, a minimal [Conflict]: picks of which none can be left out,
//     and the rules and tables involved (each also necessary).
//   - [Compiled.Propagate]: for every value, [Selected], [Forced],
//     [Possible] or [Excluded], with complete semantics ("possible" means
//     some valid configuration extends the picks with that value). Invalid
//     picks give [Domains] with Valid false and the conflict.
//   - [Compiled.Explain]: why a value is excluded or forced, minimal in the
//     same way. [Compiled.Complete]: a full valid configuration honouring
//     the picks, defaults first, deterministic.
//   - [Compiled.ValidateConfiguration] and [Compiled.Key] (SHA-256 of a
//     canonical encoding with the model's name and version).
//   - [Compiled.NewSession]: incremental picking that keeps every model the
//     solver found and reuses it as a witness after the next pick.
//   - [ReadDIMACS], [ReadXCSP] and [LoadFile] import public benchmarks
//     (feature models, Renault table CSPs).
//
// Encoding: one variable per value (exactly-one by pairwise clauses up to
// 64 values, a ladder above); int characteristics add an order encoding so
// comparisons with constants are single literals; multi-valued counts use a
// totalizer; rules are Tseitin-encoded, clause-shaped rules become clauses;
// allowed tables become a reduced multi-valued decision diagram whose
// node/edge encoding makes unit propagation remove exactly the unsupported
// values (a row encoding is kept as a fallback for tables too large to
// expand, see [Options].MaxTableCells). Propagation
// keeps every model as a witness, steers the solver towards values not yet
// witnessed (assumptions held in gini test scopes), and fixes values proven
// dead as unit clauses; the result with nothing picked is cached. When a
// model is only tables over single-valued, bool and int characteristics
// (the Renault benchmarks), each model the search finds is also rotated
// without the solver: every value not yet witnessed (and not ruled out by
// a pick) is tried in its place and kept as a witness when the tables over
// it still hold.
// [Options].Solvers = 2 splits that first propagation over two solvers (it
// pays only on large models). Compile takes its [Options] through
// [WithOptions]; the zero Options are the defaults and [Options.Validate]
// says what it refuses. The engine choices benchmarks compare (a naive
// baseline asking the solver once per value, other table and at-most-one
// encodings, cold copies of a compiled model) are not part of this API:
// tests and benchmarks in this module set them through internal/cfgtune.
//
// Engine caveats: a compiled model answers for the model as it was when
// compiled. Explanations treat the domain constraints (exactly one value,
// multi-valued counts) as given: they name picks, rules and tables only.
// Int characteristics and integer expressions are compiled by enumerating
// their values, so large ranges or products fail with [ErrTooLarge]
// (arithmetic over one characteristic and constants is encoded value by
// value of that characteristic, linear in its domain). The whole encoding
// is bounded by [Options].MaxClauses, and [CompileContext] stops when its
// context is done.
// Every query works on a copy of the compiled solver. gini v1.0.4's copy
// leaves out the decay schedule of its variable activities, after which
// the activity increment overflows to +Inf within a few dozen conflicts
// and every bump rescales the activity of every variable; the package
// restores the schedule in each copy (see solvercopy.go). On models with
// tens of thousands of variables (the KConfig feature models: Freetz has
// 31k) the first propagation with nothing picked is then a few dozen
// solver calls, most of its time in those calls (docs/benchmarks.md has
// the figures). [Compiled.Complete] avoids the solver's conflicts: it takes
// the preferred values under unit propagation and needs one solver call
// when they have a model.
package configurator
