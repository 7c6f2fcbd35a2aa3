package convert

import (
	"fmt"
	"math"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
)

// The BOM service's answers (server/bom.go), built from package bom's
// types on both sides: the server answers with them, and the CLI's offline
// bom commands print the same records (their plain JSON is the commands'
// --format json).

// ItemKindToProto is the wire kind of an item.
var ItemKindToProto = map[bom.Kind]bomv1.ItemKind{
	bom.Make: bomv1.ItemKind_ITEM_KIND_MAKE, bom.Buy: bomv1.ItemKind_ITEM_KIND_BUY, bom.Phantom: bomv1.ItemKind_ITEM_KIND_PHANTOM,
}

// BOMDate is the wire form of an effectivity date: YYYY-MM-DD, "" for the
// zero Date.
func BOMDate(d bom.Date) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// LineToProto is the wire form of a super-BOM line.
func LineToProto(l *bom.Line) *bomv1.BOMLine {
	return &bomv1.BOMLine{Parent: l.Parent, Component: l.Component, Qty: l.Qty, QtyExpr: l.QtyExpr, ScrapPct: l.ScrapPct,
		Position: l.Position, ValidFrom: BOMDate(l.ValidFrom), ValidTo: BOMDate(l.ValidTo), Condition: l.Condition}
}

// VariantToProto is the wire form of a variant; m is the model of its item
// (nil for a standard item), which orders its configuration.
func VariantToProto(v *bom.Variant, m *configurator.Model) *bomv1.Variant {
	out := &bomv1.Variant{Id: v.ID, Item: v.Item, ConfigKey: v.ConfigKey, Root: v.Root.String(),
		Nodes: int32(len(v.Nodes())), Bytes: int64(v.Size()), Epoch: BOMDate(v.Epoch)}
	if v.Config != nil && m != nil {
		out.Configuration = ConfigToProto(m, v.Config)
	}
	return out
}

// MasterFiles names the master-data file of each wire file kind
// (unspecified: none, the kind is then taken from the file's name).
var MasterFiles = map[bomv1.MasterFile]string{
	bomv1.MasterFile_MASTER_FILE_ITEMS:        bom.ItemsFile,
	bomv1.MasterFile_MASTER_FILE_BOM:          bom.BOMFile,
	bomv1.MasterFile_MASTER_FILE_ROUTINGS:     bom.RoutingsFile,
	bomv1.MasterFile_MASTER_FILE_WORK_CENTERS: bom.WorkCentersFile,
}

// ImportReplace is what an import request replaces whole ([bom.Replace]):
// nothing without its replace flag, else each kind it gives, as messages
// or as a CSV file of one of kinds (the master-data file names of its
// CSV files, an empty one too).
func ImportReplace(msg *bomv1.ImportRequest, kinds []string) bom.Replace {
	if !msg.GetReplace() {
		return bom.Replace{}
	}
	r := bom.Replace{Items: len(msg.GetItems()) > 0, BOM: len(msg.GetLines()) > 0,
		Routings: len(msg.GetOperations()) > 0, WorkCenters: len(msg.GetWorkCenters()) > 0}
	for _, k := range kinds {
		switch k {
		case bom.ItemsFile:
			r.Items = true
		case bom.BOMFile:
			r.BOM = true
		case bom.RoutingsFile:
			r.Routings = true
		case bom.WorkCentersFile:
			r.WorkCenters = true
		}
	}
	return r
}

// AmountProblem says what is wrong with a quantity or lot size of a BOM
// question (0: the default), "" when nothing is: a number, not negative,
// within the bounds of a BOM line's quantity and not so small that a setup
// spread over it overflows.
func AmountProblem(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Sprintf("%v is not a number", v)
	case v < 0:
		return "must not be negative"
	case v >= 1e12:
		return fmt.Sprintf("%v is too large (below 1e12)", v)
	case v > 0 && v < 1e-6:
		return fmt.Sprintf("%v is too small (at least 1e-6; 0 for the default)", v)
	}
	return ""
}

// LotProblem is AmountProblem for the lot size a cost rollup spreads the
// setup cost over (0: each item's own lot size): a lot is whole units of
// the top item, as MRP plans them and as an item's own lot_qty must be
// (bom.WholeLotProblem). A fraction is an input error: 0.5 spread the
// setup over half a unit and doubled it.
func LotProblem(v float64) string {
	if msg := AmountProblem(v); msg != "" {
		return msg
	}
	if v != math.Trunc(v) {
		return fmt.Sprintf("%v is not a whole number: a lot is whole units of the top item (0: each item's own lot size)", v)
	}
	return ""
}
