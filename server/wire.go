package server

import (
	"fmt"
	"math"
	"path"
	"strconv"
	"strings"

	"github.com/ctoplan/ctoplan/bom"
	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/mrp"
)

// The one place where the API's value types meet the domain's (the
// conventions are in proto/ctoplan/rpc/v1/types.proto):
//
//   - quantities are doubles on the wire; MRP's are int64 whole units, so
//     a quantity into MRP must be whole ([wholeQty]) and one out of it is
//     exact ([qty]: |q| <= mrp.MaxQty < 2^53);
//   - money is rpcv1.Money: costs in Options.Currency ([Server.cost],
//     [Server.costIn]); prices in the model's currency (internal/convert);
//   - closed sets are enums, mapped here to the domain's types and names.

// qty is the wire form of an MRP quantity.
func qty(q int64) float64 { return float64(q) }

// wholeQty is the MRP quantity of a wire one: a whole number in [lo,
// mrp.MaxQty], else InvalidArgument naming field.
func wholeQty(field string, q float64, lo int64) (int64, error) {
	n := strconv.FormatFloat(q, 'f', -1, 64) // 1000000000001, not 1.000000000001e+12
	if math.IsNaN(q) || q != math.Trunc(q) {
		return 0, badField(field, "%s is not a whole number (MRP plans whole units)", n)
	}
	if q < float64(lo) || q > float64(mrp.MaxQty) {
		if lo == 1 {
			return 0, badField(field, "%s not in (0, %d]", n, int64(mrp.MaxQty))
		}
		return 0, badField(field, "%s not in [%d, %d]", n, lo, int64(mrp.MaxQty))
	}
	return int64(q), nil
}

// checkQty checks a demand, receipt or promise quantity: whole units in
// (0, mrp.MaxQty].
func checkQty(field string, q float64) (int64, error) { return wholeQty(field, q, 1) }

// currencyCode says whether c looks like an ISO 4217 code.
func currencyCode(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := range 3 {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

// cost is the wire form of a master-data cost.
func (s *Server) cost(x float64) *rpcv1.Money { return convert.Money(s.opts.Currency, x) }

// costIn is the master-data cost of a wire amount (unset: 0). A currency
// other than the server's is InvalidArgument: ctoplan converts none.
func (s *Server) costIn(field string, m *rpcv1.Money) (float64, error) {
	if c := m.GetCurrencyCode(); c != "" && c != s.opts.Currency {
		return 0, badField(field+".currency_code", "%q: this server's master data is in %s (ctoplan does not convert currencies)", c, s.opts.Currency)
	}
	x, err := convert.ParseAmount(m.GetAmount())
	if err != nil {
		return 0, badField(field+".amount", "%q: %v", m.GetAmount(), err)
	}
	return x, nil
}

var lotPolicyToProto = map[bom.LotPolicy]bomv1.LotPolicy{
	bom.LotForLot:    bomv1.LotPolicy_LOT_POLICY_LOT_FOR_LOT,
	bom.FixedQty:     bomv1.LotPolicy_LOT_POLICY_FIXED_QTY,
	bom.PeriodQty:    bomv1.LotPolicy_LOT_POLICY_PERIOD_QTY,
	bom.WagnerWhitin: bomv1.LotPolicy_LOT_POLICY_WAGNER_WHITIN,
}

// lotPolicyFromProto is the lot policy of a wire one (unspecified: lot
// for lot).
func lotPolicyFromProto(field string, p bomv1.LotPolicy) (bom.LotPolicy, error) {
	if p == bomv1.LotPolicy_LOT_POLICY_UNSPECIFIED {
		return bom.LotForLot, nil
	}
	for k, v := range lotPolicyToProto {
		if v == p {
			return k, nil
		}
	}
	return 0, badField(field, "unknown lot policy %d", p)
}

// receiptKindFromProto is the receipt kind of a wire one (unspecified:
// purchase, as in receipts.csv).
func receiptKindFromProto(field string, k mrpv1.ReceiptKind) (mrp.ReceiptKind, error) {
	switch k {
	case mrpv1.ReceiptKind_RECEIPT_KIND_UNSPECIFIED, mrpv1.ReceiptKind_RECEIPT_KIND_PURCHASE:
		return mrp.PurchaseOrder, nil
	case mrpv1.ReceiptKind_RECEIPT_KIND_PRODUCTION:
		return mrp.ProductionOrder, nil
	}
	return 0, badField(field, "unknown receipt kind %d: want RECEIPT_KIND_PURCHASE or RECEIPT_KIND_PRODUCTION", k)
}

var plantFiles = map[mrpv1.PlantFile]string{
	mrpv1.PlantFile_PLANT_FILE_STOCK:               mrp.StockFile,
	mrpv1.PlantFile_PLANT_FILE_DEMANDS:             mrp.DemandsFile,
	mrpv1.PlantFile_PLANT_FILE_RECEIPTS:            mrp.ReceiptsFile,
	mrpv1.PlantFile_PLANT_FILE_CALENDAR:            mrp.CalendarFile,
	mrpv1.PlantFile_PLANT_FILE_CONFIRMATIONS:       mrp.ConfirmationsFile,
	mrpv1.PlantFile_PLANT_FILE_CAPACITY_EXCEPTIONS: mrp.CapacityExceptionsFile,
	mrpv1.PlantFile_PLANT_FILE_FIRM:                mrp.FirmFile,
}

// fileKind is the file name a CSV file's kind stands for (unspecified:
// the base of its name), one of allowed, else InvalidArgument naming
// field.
func fileKind(field string, kind string, name string, allowed ...string) (string, error) {
	if kind == "" && name == "" {
		return "", badField(field, "neither a kind nor a name: set kind, or name the file (one of %s)", strings.Join(allowed, ", "))
	}
	if kind == "" {
		kind = path.Base(name)
	}
	for _, a := range allowed {
		if kind == a {
			return kind, nil
		}
	}
	return "", badField(field, "%q is not one of %s (name the file so, or set kind)", kind, strings.Join(allowed, ", "))
}

// masterFileKind is the kind of a master-data CSV file.
func masterFileKind(i int, f *bomv1.CSVFile) (string, error) {
	return fileKind(fmt.Sprintf("csv[%d].kind", i), convert.MasterFiles[f.GetKind()], f.GetName(),
		bom.ItemsFile, bom.BOMFile, bom.RoutingsFile, bom.WorkCentersFile)
}

// plantFileKind is the kind of a plant CSV file, one of allowed.
func plantFileKind(field string, f *mrpv1.CSVFile, allowed ...string) (string, error) {
	return fileKind(field, plantFiles[f.GetKind()], f.GetName(), allowed...)
}
