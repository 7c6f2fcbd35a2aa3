package mrp_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestCSVErrorIsInvalid: a bad plant row is invalid input (errors.Is
// ErrInvalid) and still says what it wraps.
func TestCSVErrorIsInvalid(t *testing.T) {
	_, _, err := mrp.ReadStock("stock.csv", strings.NewReader("item,qty\nA,minus\n"))
	var ce *mrp.CSVError
	if !errors.As(err, &ce) {
		t.Fatalf("ReadStock of a bad quantity: %v, want a *CSVError", err)
	}
	if !errors.Is(err, mrp.ErrInvalid) {
		t.Errorf("%v does not match mrp.ErrInvalid", err)
	}
	if errors.Is(err, mrp.ErrNotFound) {
		t.Errorf("%v matches mrp.ErrNotFound", err)
	}
	unknown := &mrp.CSVError{Pos: bom.Pos{File: "demands.csv", Line: 2}, Column: "item", Err: mrp.ErrUnknownItem}
	if !errors.Is(unknown, mrp.ErrUnknownItem) || !errors.Is(unknown, mrp.ErrInvalid) {
		t.Errorf("%v: want both ErrUnknownItem and ErrInvalid", unknown)
	}
}
