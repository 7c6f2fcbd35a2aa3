// Package model is the vocabulary of product models: a [Model] of
// [Characteristic]s, [Rule]s and [Table]s, the expression AST of rule
// conditions ([Expr], [IntExpr]) with its constructors, the .ctm language
// that writes them ([Parse], [Format]), and their meaning on a full
// [Configuration] ([Eval], [EvalInt], [EvalTable], [Model.Violations]).
// Package configurator compiles a model and answers questions about it.
//
// # Basics
//
// Read a model with [Parse] or [ParseFile] (docs/model-language.md), or
// build one with [NewModel], the Add methods ([Model.AddSingle],
// [Model.AddRule], [Model.AddTable], ...) and the expression constructors
// ([EqExpr], [InExpr], [AndExpr], [CmpExpr], [IntChar], ...), then
// [Model.Validate]. [Format] prints a model in canonical form (parsing it
// gives the same model back). [ParseExpr] and [ParseIntExpr] read one
// condition or formula against a model, with errors pointing into the
// caller's file (the super BOM's selection conditions and quantities).
// [Model.Price] sums the chosen values' price deltas.
//
// Errors in a model are an [ErrorList] of [*Error], printed one per line as
// "file:line:col: message" with a did-you-mean where it helps; a model built
// in Go names the declaration instead ("rule r: ..."). They match
// [ErrInvalidModel]. Eval's errors match [ErrNoValue], [ErrDivisionByZero]
// and [ErrOverflow]. The configurator package re-exports these sentinels.
//
// # Caveats
//
// A Model is plain data: safe for concurrent reads once validated, but
// nothing guards against changing it while others read it; a compiled model
// answers for the model as it was when compiled.
//
// Configuration values are strings spelled as [Characteristic.Domain] spells
// them: "4500", not "04500" or "+4500". A full configuration has an entry
// for every characteristic, an empty slice for an optional characteristic
// left empty or an empty multi.
//
// Eval has no short-circuit: an error anywhere (division by zero, overflow,
// a missing characteristic) is the error of the whole expression, and a rule
// whose evaluation fails does not hold. Arithmetic is on int64; "/"
// truncates toward zero and "%" takes the sign of the dividend, as in Go
// ([ArithOp.Apply]). In the language, "c = 4500" on an int characteristic
// is an Eq whose value must be in c's domain, while "(c) = 4500", "c = d" or
// "c = d + 1" compare integers. The limits of the language ([MaxIntDomain],
// [MaxNameLen], [MaxValues], ...) are checked with the position of the
// declaration that exceeds them. Format drops comments, prints an And or Or
// of one operand as that operand, and a multi default of no values as no
// default.
package model
