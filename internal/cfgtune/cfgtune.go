// Package cfgtune holds the configurator's engine choices that a user of
// package configurator does not make (propagation method, table and
// at-most-one encodings) and the hooks through which tests and benchmarks
// reach them. It sits in the module's internal/ rather than below
// configurator/ so that benchmarks/ (and through it `ctoplan bench`) can
// import it.
//
// Package configurator sets [With] and [Fresh] when it is initialised; use
// the typed helpers [Option] and [FreshCopy]:
//
//	naive := cfgtune.Option[configurator.Option](cfgtune.Knobs{Method: cfgtune.Naive})
//	c, err := configurator.Compile(m, naive)
//	cold := cfgtune.FreshCopy(c)
package cfgtune

import (
	"errors"
	"fmt"
)

// Method selects how propagation decides which values are possible.
type Method int

const (
	// Witness (the default) keeps every model the solver finds as a witness
	// for all the values it contains, steers the solver towards values not
	// yet witnessed, and fixes values proven dead for later queries.
	Witness Method = iota
	// Naive asks the solver once per value and keeps nothing between
	// queries: the slow, obviously right baseline for benchmarks and tests.
	Naive
	// Chunked is Witness with the propagation with nothing picked (on one
	// solver) decided by chunked backbone testing: one solver call asks
	// whether any of a chunk of undecided values can hold, an unsat answer
	// excludes the whole chunk. Slower than Witness on every KConfig model
	// measured (docs/benchmarks.md, issue 14); kept to measure against.
	Chunked
)

// TableEncoding selects how compatibility tables become clauses.
type TableEncoding int

const (
	// TableMDD (the default) compiles an allowed table into a reduced
	// multi-valued decision diagram and encodes its nodes and edges; unit
	// propagation then removes exactly the values without support.
	TableMDD TableEncoding = iota
	// TableRows gives every row of an allowed table an auxiliary variable.
	TableRows
	// TableMDDForward encodes the same diagram with node variables only:
	// a node and an edge's value imply the edge's target, and a node
	// implies one of its out-edge values. Fewer variables, weaker unit
	// propagation.
	TableMDDForward
)

// AMOEncoding selects the at-most-one encoding of enumerated domains.
type AMOEncoding int

const (
	// AMOAuto: pairwise up to 64 values, ladder above (measured on
	// renault-medium, cold propagation: pairwise 7 ms, ladder 11-18 ms;
	// Megane: no difference).
	AMOAuto AMOEncoding = iota
	// AMOPairwise: one binary clause per pair of values.
	AMOPairwise
	// AMOLadder: the sequential encoding with n-1 auxiliary variables.
	AMOLadder
)

// Knobs are the engine choices. The zero value is the default.
type Knobs struct {
	Method Method
	Tables TableEncoding
	AMO    AMOEncoding
	// JoinNow makes the default adaptive search (Options.Solvers 0) start
	// its second solver at the first target instead of after a budget of
	// solver work, so that tests run the two-solver path on small models.
	JoinNow bool
	// NoEquiv gives the search solvers the clauses as compiled instead of
	// their equivalent-literal substitution (engine's equiv.go), to compare
	// against.
	NoEquiv bool
}

// ErrInvalid is matched by the errors of [Knobs.Validate].
var ErrInvalid = errors.New("configurator: invalid options")

// Validate reports a knob outside its constants.
func (k Knobs) Validate() error {
	if k.Method < Witness || k.Method > Chunked {
		return fmt.Errorf("%w: method %d unknown (Witness, Naive or Chunked)", ErrInvalid, k.Method)
	}
	if k.Tables < TableMDD || k.Tables > TableMDDForward {
		return fmt.Errorf("%w: table encoding %d unknown (TableMDD, TableRows or TableMDDForward)", ErrInvalid, k.Tables)
	}
	if k.AMO < AMOAuto || k.AMO > AMOLadder {
		return fmt.Errorf("%w: at-most-one encoding %d unknown (AMOAuto, AMOPairwise or AMOLadder)", ErrInvalid, k.AMO)
	}
	return nil
}

// With is set by package configurator: With(k) returns a
// configurator.Option that compiles with the knobs k, all of them (a
// later With replaces an earlier one; typed any because
// this package cannot import configurator). Use [Option].
var With func(k Knobs) any

// Fresh is set by package configurator: Fresh(c), for a
// *configurator.Compiled c, returns a copy that shares the encoding but
// none of the results c cached between queries, so that its first query
// costs what a first query costs. Use [FreshCopy].
var Fresh func(c any) any

// Option returns the configurator.Option (O) that compiles with k.
func Option[O any](k Knobs) O {
	if With == nil {
		panic("cfgtune: package configurator is not linked in")
	}
	return With(k).(O)
}

// FreshCopy returns [Fresh] of c, typed as c.
func FreshCopy[C any](c C) C {
	if Fresh == nil {
		panic("cfgtune: package configurator is not linked in")
	}
	return Fresh(c).(C)
}
