package configurator

// Unexported helpers the black-box tests check directly.
var Arithmetic = arithmetic

// ExprString prints an expression in the language's syntax (what the
// String methods of the expression types print).
var ExprString = exprString
