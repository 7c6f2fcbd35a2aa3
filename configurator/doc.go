// Package configurator is ctoplan's product configurator: product models
// written in the .ctm language (or built in Go code), and the engine that
// answers a salesperson's questions about them.
//
// # Use
//
// A user calls, in this order:
//
//  1. Load a [Model]: [Parse] or [ParseFile] for the .ctm language
//     (docs/model-language.md), [LoadFile] by extension, [ReadDIMACS] and
//     [ReadXCSP] for public benchmarks; or build one with [NewModel], the
//     Add methods ([Model.AddSingle], [Model.AddRule], [Model.AddTable], ...)
//     and the expression constructors ([EqExpr], [InExpr], [AndExpr],
//     [CmpExpr], [IntChar], ...), then [Model.Validate].
//  2. [Compile] it (or [CompileContext]), optionally [WithOptions]: the zero
//     [Options] are the defaults of [DefaultOptions], and [Options.Validate]
//     says what Compile refuses. The [Compiled] result is immutable and safe
//     for concurrent use.
//  3. Ask it, with the salesperson's [Pick] values and a context:
//     [Compiled.Propagate] (every value Selected, Forced, Possible or
//     Excluded, "possible" meaning some valid configuration extends the
//     picks), [Compiled.Check] (valid, or a minimal [Conflict]),
//     [Compiled.Explain] (why a value is excluded or forced),
//     [Compiled.Complete] (a full valid [Configuration], defaults first),
//     [Compiled.ValidateConfiguration] and [Compiled.Key]. For one user
//     clicking along, [Compiled.NewSession] gives a [Session] that reuses
//     each answer's work for the next pick; a stateless service does the
//     same with [Compiled.PropagateFrom] and the [Witnesses] it returns.
//
// Without the engine: [Format] prints a model in canonical form (parsing it
// gives the same model back); [Eval], [EvalInt], [EvalTable] and
// [Model.Violations] check a full configuration by the definition, and the
// engine agrees with them; [ParseExpr] and [ParseIntExpr] read one condition
// or formula against a model, with errors pointing into the caller's file
// (the super BOM's selection conditions and quantities); [Model.Price] sums
// the chosen values' price deltas.
//
// # Errors
//
// Errors in a model are an [ErrorList] of [*Error], printed one per line as
// "file:line:col: message" with a did-you-mean where it helps; a model built
// in Go names the declaration instead ("rule r: ..."). They match
// [ErrInvalidModel]. Unknown or misspelt picks match [ErrBadPick]; a
// configuration without a valid completion matches [ErrInvalidConfiguration]
// (a [*ConflictError] carries the minimal conflict); an encoding over the
// limits, [ErrTooLarge]; refused options, [ErrInvalidOptions]; Eval's
// errors, [ErrNoValue], [ErrDivisionByZero] and [ErrOverflow]. Every query
// returns its context's error once the context is done.
//
// # Caveats
//
// A Model is plain data: safe for concurrent reads once validated, but
// nothing guards against changing it while others read it; a compiled model
// answers for the model as it was when compiled.
//
// Configuration values are strings spelled as [Characteristic.Domain] spells
// them: "4500", not "04500" or "+4500"; a non-canonical int value is an error
// wrapping [ErrBadPick] naming the canonical spelling. A full configuration
// has an entry for every characteristic, an empty slice for an optional
// characteristic left empty or an empty multi.
//
// Eval has no short-circuit: an error anywhere (division by zero, overflow,
// a missing characteristic) is the error of the whole expression, and a rule
// whose evaluation fails does not hold. Arithmetic is on int64; "/"
// truncates toward zero and "%" takes the sign of the dividend, as in Go.
// In the language, "c = 4500" on an int characteristic is an Eq whose value
// must be in c's domain, while "(c) = 4500", "c = d" or "c = d + 1" compare
// integers. The limits of the language ([MaxIntDomain], [MaxNameLen],
// [MaxValues], ...) are checked with the position of the declaration that
// exceeds them. Format drops comments, prints an And or Or of one operand as
// that operand, and a multi default of no values as no default.
//
// Explanations treat the domain constraints (exactly one value, multi-valued
// counts) as given: they name picks, rules and tables only. Int
// characteristics and integer expressions are compiled by enumerating their
// values, bounded by [Options]. How the engine encodes and propagates is in
// docs/configurator-engine.md.
package configurator
