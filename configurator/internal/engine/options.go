package engine

import (
	"fmt"

	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// Options bound the work of [Compile]. The zero value means the defaults
// of [DefaultOptions]; a zero field means that field's default.
type Options struct {
	// MaxDomain bounds the number of values of an int characteristic and of
	// an intermediate integer expression. Default 1<<16.
	MaxDomain int
	// MaxTableCells bounds how many cells an allowed table may expand to
	// (wildcards and value sets multiplied out) for the MDD encoding; larger
	// tables use the row encoding. Default 8<<20.
	MaxTableCells int
	// Solvers is how many solvers (goroutines, each on a copy of the
	// solver) the propagation with nothing picked runs on, deciding
	// disjoint ranges of values and sharing their witnesses. 0, the
	// default, is adaptive: the search starts on one solver, and a second
	// (a copy with the first one's learnt clauses) joins only when the
	// search turns out long, measured in solver work rather than time
	// (at once when the first model took 100k propagations, as on Freetz:
	// up to a third less wall time when a core is free, 62 -> 41 ms, and
	// less CPU as well; no wall gain when the cores are busy), and only
	// when GOMAXPROCS is 2 or more. 1 keeps one solver (the least CPU);
	// 2 or more split the values into that many fixed ranges from the
	// start. Measured on 2 busy cores (load 4-5), cold propagation
	// medians, 1 vs 2 fixed solvers: Megane 46 vs 43 ms, automotive01 14
	// vs 19 ms, renault-medium 2.4 vs 4.1 ms, forklift 1.3 vs 1.9 ms,
	// Coreboot 33 vs 50 ms: the copies and the second solver's work cost
	// more than they save below ~50 ms, which the adaptive default avoids.
	Solvers int
	// MaxClauses is the compile budget: [Compile] stops with [ErrTooLarge],
	// naming the characteristic, rule or table and its position, before
	// the encoding would exceed this many clauses. The default, 1<<21
	// (2,097,152), is 20 times the largest public benchmark model
	// (freetz, 102,430 clauses) and compiles in about a second and
	// 300 MB.
	MaxClauses int

	// knobs are the engine choices (propagation method, encodings) that
	// tests and benchmarks set through internal/cfgtune.
	knobs cfgtune.Knobs
}

// MaxSolvers is the largest [Options.Solvers].
const MaxSolvers = 256

// DefaultOptions returns the options Compile uses when given none.
func DefaultOptions() Options {
	return Options{MaxDomain: 1 << 16, MaxTableCells: 8 << 20, MaxClauses: 1 << 21}
}

// Validate reports an option Compile cannot use: a negative bound, or more
// than [MaxSolvers] solvers. The error wraps [ErrInvalidOptions] and names
// the field.
func (o Options) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"MaxDomain", o.MaxDomain}, {"MaxTableCells", o.MaxTableCells}, {"Solvers", o.Solvers}, {"MaxClauses", o.MaxClauses}} {
		if f.v < 0 {
			return fmt.Errorf("%w: Options.%s is %d, must be 0 (the default) or positive", ErrInvalidOptions, f.name, f.v)
		}
	}
	if o.Solvers > MaxSolvers {
		return fmt.Errorf("%w: Options.Solvers is %d, at most %d", ErrInvalidOptions, o.Solvers, MaxSolvers)
	}
	return o.knobs.Validate()
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.MaxDomain == 0 {
		o.MaxDomain = d.MaxDomain
	}
	if o.MaxTableCells == 0 {
		o.MaxTableCells = d.MaxTableCells
	}
	if o.Solvers == 0 {
		o.Solvers = d.Solvers
	}
	if o.MaxClauses == 0 {
		o.MaxClauses = d.MaxClauses
	}
	return o
}

// Option changes the [Options] of [Compile].
type Option func(*Options)

// WithOptions replaces all options at once (the engine choices set through
// internal/cfgtune are kept).
func WithOptions(opts Options) Option {
	return func(o *Options) {
		k := o.knobs
		*o = opts
		o.knobs = k
	}
}

func init() {
	cfgtune.With = func(k cfgtune.Knobs) any {
		return Option(func(o *Options) { o.knobs = k })
	}
	cfgtune.Fresh = func(c any) any { return c.(*Compiled).fresh() }
}
