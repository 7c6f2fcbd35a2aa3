package model

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/ctoplan/ctoplan/internal/typo"
)

// Sentinel errors. Errors returned by this package wrap them where they
// apply, so callers can test with [errors.Is].
var (
	// ErrNoValue: a configuration has no entry for a characteristic an
	// expression refers to, or a wrong number of values for it.
	ErrNoValue = errors.New("configurator: characteristic has no usable value in the configuration")
	// ErrDivisionByZero: an integer expression divides by zero.
	ErrDivisionByZero = errors.New("configurator: division by zero")
	// ErrOverflow: integer arithmetic left the int64 range.
	ErrOverflow = errors.New("configurator: integer overflow")
	// ErrInvalidModel: a model failed [Model.Validate] or could not be parsed.
	// Every [ErrorList] returned by [Parse], [ParseExpr] and [Model.Validate]
	// matches it with errors.Is.
	ErrInvalidModel = errors.New("configurator: invalid model")
)

// Error is one problem in a model, at a position in its source. It prints as
// "file:line:col: message" (or just the message for a model built in Go
// code, where Msg then names the characteristic, rule or table).
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string {
	switch {
	case e.Pos.Line > 0 && e.Pos.File == "":
		return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
	case e.Pos.Line > 0 || e.Pos.File != "":
		return e.Pos.String() + ": " + e.Msg
	}
	return e.Msg
}

// Is reports that every model error is an [ErrInvalidModel].
func (e *Error) Is(target error) bool { return target == ErrInvalidModel }

// ErrorList is a list of model errors, sorted by position by [ErrorList.Sort].
// It prints one error per line (at most [MaxPrintedErrors] of them).
type ErrorList []*Error

// MaxPrintedErrors bounds how many lines [ErrorList.Error] prints.
const MaxPrintedErrors = 10

// maxArgLen bounds a string a message repeats: a longer argument of Add
// is shortened by typo.Clip. No name (at most MaxNameLen bytes) nor a
// message composed of names comes near it; an input far beyond the limits
// (a megabyte name, a line-long number) is not printed whole in messages
// that do not shorten it themselves.
const maxArgLen = 1024

// Add appends an error at pos. A string argument longer than 1,024 bytes
// is shortened to its first characters and its length.
func (l *ErrorList) Add(pos Pos, format string, args ...any) {
	for i, a := range args {
		if s, ok := a.(string); ok && len(s) > maxArgLen {
			args[i] = typo.Clip(s)
		}
	}
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// Sort sorts the list by file, line and column, keeping the order of errors
// at the same position, and drops exact duplicates.
func (l *ErrorList) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i].Pos, s[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	out := s[:0]
	for i, e := range s {
		if i > 0 && *e == *s[i-1] {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i == MaxPrintedErrors {
			fmt.Fprintf(&b, "\n(and %d more errors)", len(l)-i)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors of the list, so errors.As finds an [*Error].
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// didYouMean is ` (did you mean "x"?)` for the candidate name most
// plausibly meant, or "".
func didYouMean(name string, candidates []string) string {
	return typo.DidYouMean(name, candidates)
}
