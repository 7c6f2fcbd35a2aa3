// Package engine is the configurator's engine: [Compile] encodes a
// model.Model as CNF (internal/cnf, MDDs for tables in internal/mdd) and
// the [Compiled] model answers queries with a pool of gini SAT solvers:
// [Compiled.Propagate] (every value Selected, Forced, Possible or
// Excluded, "possible" meaning some valid configuration extends the picks),
// [Compiled.Check] (valid, or a minimal [Conflict]), [Compiled.Explain] (why
// a value is excluded or forced), [Compiled.Complete] (a full valid
// configuration, defaults first), [Compiled.ValidateConfiguration] and
// [Compiled.Key]; [Session] and [Compiled.PropagateFrom] reuse the work of
// one answer for the next.
//
// The public names are package configurator's, which aliases this
// package's types; tuning knobs (propagation method, encodings) are set
// through internal/cfgtune. docs/configurator-engine.md describes the
// encoding and the propagation.
//
// # Caveats
//
// Configuration values are spelled as Characteristic.Domain spells them; a
// non-canonical int value is an error wrapping [ErrBadPick] naming the
// canonical spelling. Explanations treat the domain constraints (exactly one
// value, multi-valued counts) as given: they name picks, rules and tables
// only. Int characteristics and integer expressions are compiled by
// enumerating their values, bounded by [Options].
package engine
