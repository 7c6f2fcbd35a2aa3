package bom

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrInvalid is wrapped by every import error: bad CSV rows and master
	// data that fails validation. Nothing was imported.
	ErrInvalid = errors.New("bom: invalid master data")
	// ErrCycle is wrapped by a [*CycleError].
	ErrCycle = errors.New("bom: cycle in the bill of materials")
	// ErrNotFound: an unknown item, node or variant.
	ErrNotFound = errors.New("bom: not found")
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
type FieldError struct {
	Where  string // "file:row", or a description of a record built in Go
	Column string // CSV column name, "" for the record as a whole
	Err    error
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.Where != "" {
		b.WriteString(e.Where)
		b.WriteString(": ")
	}
	if e.Column != "" {
		b.WriteString(e.Column)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(where, column, format string, args ...any) *FieldError {
	return &FieldError{Where: where, Column: column, Err: fmt.Errorf(format, args...)}
}

// CycleError reports a cycle in the super BOM by its path, first item
// repeated at the end: A -> B -> C -> A.
type CycleError struct {
	Path  []string
	Where string // the source row of the line closing the cycle, if known
}

func (e *CycleError) Error() string {
	s := "cycle " + strings.Join(e.Path, " -> ")
	if e.Where != "" {
		return e.Where + ": component: " + s
	}
	return "bom: " + s
}

func (e *CycleError) Is(target error) bool { return target == ErrCycle }

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

func (e *errs) addf(where, column, format string, args ...any) {
	e.add(fieldErr(where, column, format, args...))
}

func (e *errs) full() bool { return len(e.list) >= MaxErrors }

func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	return e.list
}
