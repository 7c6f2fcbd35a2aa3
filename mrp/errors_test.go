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
	if !errors.Is(err, mrp.ErrInvalid) || !errors.Is(err, bom.ErrInvalid) {
		t.Errorf("%v does not match mrp.ErrInvalid (= bom.ErrInvalid)", err)
	}
	if errors.Is(err, mrp.ErrNotFound) {
		t.Errorf("%v matches mrp.ErrNotFound", err)
	}
	unknown := &mrp.CSVError{Pos: bom.Pos{File: "demands.csv", Line: 2}, Column: "item", Err: mrp.ErrUnknownItem}
	if !errors.Is(unknown, mrp.ErrUnknownItem) || !errors.Is(unknown, mrp.ErrInvalid) {
		t.Errorf("%v: want both ErrUnknownItem and ErrInvalid", unknown)
	}
}

// TestOneSentinelPerClass: invalid input, not found and BOM cycles are one
// sentinel each across bom and mrp, so errors.Is answers the same whichever
// package's name a caller tests with.
func TestOneSentinelPerClass(t *testing.T) {
	for _, c := range []struct {
		name     string
		mrp, bom error
	}{
		{"ErrInvalid", mrp.ErrInvalid, bom.ErrInvalid},
		{"ErrNotFound", mrp.ErrNotFound, bom.ErrNotFound},
		{"ErrCycle", mrp.ErrCycle, bom.ErrCycle},
	} {
		if c.mrp != c.bom {
			t.Errorf("mrp.%s (%v) is not bom.%s (%v)", c.name, c.mrp, c.name, c.bom)
		}
	}
	if errors.Is(mrp.ErrUnknownItem, bom.ErrInvalid) || errors.Is(bom.ErrInvalid, bom.ErrNotFound) {
		t.Error("distinct classes match each other")
	}
}
