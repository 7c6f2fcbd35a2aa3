package bom

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/csvtext"
)

var (
	// ErrInvalid is the class of invalid input data: it is wrapped by every
	// import error (bad CSV rows, master data that fails validation;
	// nothing was imported) and, as mrp.ErrInvalid (the same value), by
	// every error of invalid plant data or planning input.
	ErrInvalid = errors.New("ctoplan: invalid input")
	// ErrCycle is wrapped by a [*CycleError] and, as mrp.ErrCycle (the same
	// value), by the planner's cycle errors.
	ErrCycle = errors.New("ctoplan: cycle in the bill of materials")
	// ErrNotFound: an unknown item, node or variant; as mrp.ErrNotFound
	// (the same value), an unknown demand, receipt or order.
	ErrNotFound = errors.New("ctoplan: not found")
	// ErrNotConfigurable: a configuration was given for a standard item, or
	// a configurable item was resolved without one.
	ErrNotConfigurable = errors.New("bom: item is not configurable")
	// ErrResolve is wrapped by errors found while resolving a configuration
	// against the super BOM (e.g. a quantity formula that evaluates to a
	// negative number).
	ErrResolve = errors.New("bom: cannot resolve")
	// ErrTooLarge: an indented explosion would exceed its line limit.
	ErrTooLarge = errors.New("bom: explosion too large")
)

// FieldError is a problem with one field of one record:
// "bom.csv:17: component: unknown item \"X\"".
//
// A problem inside a condition or quantity formula also has the byte column
// where it is (Pos.Col > 0) and prints as "bom.csv:17:23: condition: ...";
// its Err then wraps the [*configurator.Error] that carries the position.
//
// A long value quoted in Err's message (a condition's unknown name,
// copied whole by the model language) prints shortened to its first 40
// bytes and its length: one short line whatever the file holds.
type FieldError struct {
	Pos    Pos    // the file and row (and column), zero for a record built in Go
	Record string // describes a record built in Go ("item X"), when Pos is zero
	Column string // CSV column name, "" for the record as a whole
	Err    error
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if w := (at{e.Pos, e.Record}).String(); w != "" {
		b.WriteString(w)
		b.WriteString(": ")
	}
	if e.Column != "" {
		b.WriteString(e.Column)
		b.WriteString(": ")
	}
	b.WriteString(csvtext.ShortenQuoted(e.Err.Error()))
	return b.String()
}

func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(where at, column, format string, args ...any) *FieldError {
	return &FieldError{Pos: where.pos, Record: where.rec, Column: column, Err: fmt.Errorf(format, args...)}
}

// CycleError reports a cycle in the super BOM by its path, first item
// repeated at the end: A -> B -> C -> A.
type CycleError struct {
	Path []string
	Pos  Pos // the source row of the line closing the cycle, if known
}

func (e *CycleError) Error() string {
	s := "cycle " + strings.Join(e.Path, " -> ")
	if e.Pos.IsValid() {
		return e.Pos.String() + ": component: " + s
	}
	return "bom: " + s
}

func (e *CycleError) Is(target error) bool { return target == ErrCycle }

// OldVariantError is a variant ID of an earlier master-data revision: an
// import or a model text changed what variants are resolved from since it
// was resolved. Resolving its configuration again gives its variant in
// the current revision. It matches [ErrNotFound].
type OldVariantError struct {
	ID       string
	Revision uint64 // the revision it was resolved in
	Current  uint64 // the store's revision
}

func (e *OldVariantError) Error() string {
	return fmt.Sprintf("variant %s belongs to an older revision of the master data (%d; now %d, after an import or a model change): resolve the configuration again",
		e.ID, e.Revision, e.Current)
}

func (e *OldVariantError) Unwrap() error { return ErrNotFound }

// MaxErrors is how many problems an import reports at most.
const MaxErrors = 50

// ErrorList is every problem found by one import, in file and row order.
// It wraps [ErrInvalid] and each of its errors.
type ErrorList []error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i == 20 {
			fmt.Fprintf(&b, "(and %d more errors)", len(l)-20)
			break
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap gives errors.Is and errors.As access to every error and to
// [ErrInvalid].
func (l ErrorList) Unwrap() []error { return append([]error{ErrInvalid}, l...) }

// errs collects errors up to MaxErrors.
type errs struct{ list ErrorList }

func (e *errs) add(err error) {
	if len(e.list) < MaxErrors {
		e.list = append(e.list, err)
	}
}

func (e *errs) addAll(list []error) {
	for _, err := range list {
		e.add(err)
	}
}

func (e *errs) addf(where at, column, format string, args ...any) {
	e.add(fieldErr(where, column, format, args...))
}

func (e *errs) full() bool { return len(e.list) >= MaxErrors }

func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	return e.list
}

// exprErrors turns the errors of parsing one condition or quantity formula
// into one [*FieldError] per problem, each at its column of the file's line
// (where is the record's position). The position is not repeated in the
// message; the *configurator.Error stays reachable with errors.As.
func exprErrors(where at, col string, modelName string, err error) []error {
	var list configurator.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		if modelName != "" {
			err = fmt.Errorf("(model %s) %w", modelName, err)
		}
		return []error{&FieldError{Pos: where.pos, Record: where.rec, Column: col, Err: err}}
	}
	out := make([]error, 0, len(list))
	for _, ce := range list {
		fe := &FieldError{Pos: where.pos, Record: where.rec, Column: col, Err: exprMsg{ce, modelName, false}}
		if ce.Pos.Line > 0 && where.pos.File == ce.Pos.File && where.pos.Line == ce.Pos.Line {
			fe.Pos.Col = ce.Pos.Col
		} else if ce.Pos.Line > 0 || ce.Pos.File != "" {
			fe.Err = exprMsg{ce, modelName, true}
		}
		out = append(out, fe)
	}
	return out
}

// exprMsg is a model error shown without its position (the FieldError
// holding it prints that), unless full is set.
type exprMsg struct {
	e     *configurator.Error
	model string
	full  bool
}

func (m exprMsg) Error() string {
	msg := m.e.Msg
	if m.full {
		msg = m.e.Error()
	}
	if m.model != "" {
		return "(model " + m.model + ") " + msg
	}
	return msg
}

func (m exprMsg) Unwrap() error { return m.e }
