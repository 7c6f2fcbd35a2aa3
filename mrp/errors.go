package mrp

import (
	"errors"
	"fmt"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/internal/csvtext"
)

var (
	// ErrInvalid reports invalid planning input or plant data. It is
	// bom.ErrInvalid: one sentinel for invalid input in both packages, so
	// a master-data error from LoadDir and a bad plant row match the same.
	ErrInvalid = bom.ErrInvalid
	// ErrUnknownItem reports a reference to an item that does not exist.
	ErrUnknownItem = errors.New("mrp: unknown item")
	// ErrCycle reports a bill of material that contains itself; it is
	// bom.ErrCycle.
	ErrCycle = bom.ErrCycle
	// ErrNotFound reports an unknown demand, receipt or order; it is
	// bom.ErrNotFound.
	ErrNotFound = bom.ErrNotFound
	// ErrStale reports a [Store] write refused because another writer
	// changed the stored plan since this Store read it (open it again).
	ErrStale = errors.New("mrp: the store was changed by another writer")
	// ErrTooLarge reports an answer larger than the planner gives at once:
	// a supply tree of more than 2^20 nodes (ask for fewer levels,
	// [Planner.PegTreeLevels]).
	ErrTooLarge = errors.New("mrp: too large")
)

// ItemError carries the part number an error is about.
type ItemError struct {
	Item string
	Err  error
}

func (e *ItemError) Error() string { return fmt.Sprintf("item %s: %v", e.Item, e.Err) }
func (e *ItemError) Unwrap() error { return e.Err }

// CSVError is a bad row in a CSV file: file:row: column: problem. It
// matches [ErrInvalid] (errors.Is) besides the error it wraps. A long
// value quoted in Err's message (a configuration's unknown name, copied
// whole by the configurator) prints shortened to its first 40 bytes and
// its length.
type CSVError struct {
	Pos    bom.Pos // the file and 1-based row (the header is row 1)
	Column string
	Err    error
}

func (e *CSVError) Error() string {
	msg := csvtext.ShortenQuoted(e.Err.Error())
	if e.Column == "" {
		return fmt.Sprintf("%s: %s", e.Pos, msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.Pos, e.Column, msg)
}
func (e *CSVError) Unwrap() error { return e.Err }

// Is reports that every bad row is invalid input.
func (e *CSVError) Is(target error) bool { return target == ErrInvalid }
