// Package modelext reaches what a reader attaches to a [model.Model] for the
// engine: the DIMACS reader keeps the clauses it built the rules from, so
// that Compile can encode a rule that is still as read without walking it.
// The attachment is an unexported field of the Model; package model sets
// these functions in its init, so they are set wherever a Model exists.
//
// [model.Model]: github.com/ctoplan/ctoplan/configurator/model.Model
package modelext

var (
	// Attach stores x in the model m (a *model.Model).
	Attach func(m, x any)
	// Attachment returns what was attached to m, or nil.
	Attachment func(m any) any
)
