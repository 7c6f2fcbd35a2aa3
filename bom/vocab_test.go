package bom_test

import (
	"errors"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestParseVocabulary: one parser accepts every spelling that bom's and
// mrp's parsers accepted before they were merged (issue 10 item 3), and
// mrp's names are the same types and values.
func TestParseVocabulary(t *testing.T) {
	kinds := map[string]bom.Kind{
		"make": bom.Make, "MAKE": bom.Make, "Make": bom.Make, "M": bom.Make, "m": bom.Make,
		"buy": bom.Buy, "BUY": bom.Buy, "B": bom.Buy, "b": bom.Buy,
		"phantom": bom.Phantom, "Phantom": bom.Phantom, "P": bom.Phantom, "p": bom.Phantom,
	}
	for s, want := range kinds {
		if got, err := bom.ParseKind(s); err != nil || got != want {
			t.Errorf("bom.ParseKind(%q) = %v, %v; want %v", s, got, err, want)
		}
		if got, err := mrp.ParseKind(s); err != nil || got != want {
			t.Errorf("mrp.ParseKind(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	lots := map[string]bom.LotPolicy{
		"": bom.LotForLot, "lfl": bom.LotForLot, "LFL": bom.LotForLot,
		"foq": bom.FixedQty, "FOQ": bom.FixedQty, "fixed": bom.FixedQty,
		"poq": bom.PeriodQty, "POQ": bom.PeriodQty, "period": bom.PeriodQty,
		"ww": bom.WagnerWhitin, "WW": bom.WagnerWhitin, "wagner-whitin": bom.WagnerWhitin,
	}
	for s, want := range lots {
		if got, err := bom.ParseLotPolicy(s); err != nil || got != want {
			t.Errorf("bom.ParseLotPolicy(%q) = %v, %v; want %v", s, got, err, want)
		}
		if got, err := mrp.ParseLotPolicy(s); err != nil || got != want {
			t.Errorf("mrp.ParseLotPolicy(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"x", "makes", " buy", "mo"} {
		if _, err := bom.ParseKind(s); err == nil {
			t.Errorf("bom.ParseKind(%q) accepted", s)
		}
		if _, err := mrp.ParseKind(s); !errors.Is(err, mrp.ErrInvalid) {
			t.Errorf("mrp.ParseKind(%q) = %v, want ErrInvalid", s, err)
		}
	}
	for _, s := range []string{"eoq", "lot", "l"} {
		if _, err := bom.ParseLotPolicy(s); err == nil {
			t.Errorf("bom.ParseLotPolicy(%q) accepted", s)
		}
		if _, err := mrp.ParseLotPolicy(s); !errors.Is(err, mrp.ErrInvalid) {
			t.Errorf("mrp.ParseLotPolicy(%q) = %v, want ErrInvalid", s, err)
		}
	}
	// mrp's names are bom's: the same type, the same values.
	var k mrp.Kind = bom.Phantom
	var p mrp.LotPolicy = bom.WagnerWhitin
	if k != mrp.Phantom || p != mrp.WagnerWhitin || mrp.Make != bom.Make || mrp.Buy != bom.Buy {
		t.Error("mrp and bom vocabularies differ")
	}
}

// TestPosString: the one source position prints as file:line or
// file:line:col, and as nothing for a record built in Go; bom's and mrp's
// errors print it alike.
func TestPosString(t *testing.T) {
	for _, tc := range []struct {
		p    bom.Pos
		want string
	}{
		{bom.Pos{}, ""},
		{bom.Pos{File: "bom.csv", Line: 17}, "bom.csv:17"},
		{bom.Pos{File: "bom.csv", Line: 17, Col: 23}, "bom.csv:17:23"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.p, got, tc.want)
		}
	}
	fe := &bom.FieldError{Pos: bom.Pos{File: "bom.csv", Line: 17, Col: 23}, Column: "condition", Err: errors.New("x")}
	if got := fe.Error(); got != "bom.csv:17:23: condition: x" {
		t.Errorf("FieldError: %q", got)
	}
	fe = &bom.FieldError{Record: "item A", Column: "uom", Err: errors.New("value required")}
	if got := fe.Error(); got != "item A: uom: value required" {
		t.Errorf("FieldError of a Go record: %q", got)
	}
	ce := &mrp.CSVError{Pos: bom.Pos{File: "stock.csv", Line: 3}, Column: "qty", Err: errors.New("y")}
	if got := ce.Error(); got != "stock.csv:3: qty: y" {
		t.Errorf("CSVError: %q", got)
	}
}
