// Package invariants switches costly self-checks on in tests and off in
// production, as pebble's internal/invariants does: [Enabled] is true
// when the program is built with the race detector (as CI runs the tests)
// or with the build tag "invariants", and false otherwise, so a check
// written as
//
//	if invariants.Enabled { ... }
//
// costs nothing in a normal build. A broken invariant is a bug in this
// module, never bad input: checks panic with what broke.
package invariants
