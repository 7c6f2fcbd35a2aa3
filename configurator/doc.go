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
// not "04500" or "+4500"; Eval compares strings exactly. A full
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
// characteristics. Int domains hold at most [MaxIntDomain] values.
//
// Format normalises two things the language cannot say: an And or Or of one
// operand prints as that operand (of none, as true or false), and a multi
// default of no values is no default.
package configurator
