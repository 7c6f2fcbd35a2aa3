package configurator

// Unexported helpers the black-box tests check directly.
var Arithmetic = arithmetic
