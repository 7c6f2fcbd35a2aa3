package server_test

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	"github.com/ctoplan/ctoplan/bom"
	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/kv"
)

// TestImportAgain: an Import of the model text and the rows stored already
// keeps the master-data revision and the variant IDs handed out. A model
// imported with the rows is stored as its text, comment and all, as
// PutModel stores it (GetModel answers the canonical text; the registry
// keeps the file's). After a real change, a variant ID of the revision
// before is NotFound (VARIANT_NOT_FOUND) saying it belongs to an older
// revision of the master data and to resolve again.
func TestImportAgain(t *testing.T) {
	db := kv.NewMemory()
	e := startOn(t, db, true)
	p := protocols[0]
	ctx := context.Background()
	c := e.bom(p)
	model := "// the tiny truck of the tests\n" + tinyModel
	imp := func(bomCSV string) uint64 {
		t.Helper()
		res, err := c.Import(ctx, connect.NewRequest(&bomv1.ImportRequest{
			Models: []*bomv1.ModelSource{{Filename: "tiny.ctm", Source: model}},
			Csv: []*bomv1.CSVFile{{Name: "items.csv", Text: tinyItems}, {Name: "bom.csv", Text: bomCSV},
				{Name: "routings.csv", Text: tinyRoutings}, {Name: "workcenters.csv", Text: tinyWorkCenters}}}))
		if err != nil {
			t.Fatal(err)
		}
		return res.Msg.GetRevision()
	}
	rev := imp(tinyBOM)
	r, err := c.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: "TRUCK", Date: "2026-12-01",
		Picks: []*configuratorv1.Pick{pick("mast", "triplex")}}))
	if err != nil {
		t.Fatal(err)
	}
	cost := func() error {
		_, err := c.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: &bomv1.Target{Variant: r.Msg.GetVariant().GetId()}}))
		return err
	}

	if again := imp(tinyBOM); again != rev {
		t.Errorf("the same import again: revision %d, want %d", again, rev)
	}
	if err := cost(); err != nil {
		t.Errorf("a variant after the same import again: %v", err)
	}
	// the model registry as another reader of the DB sees it
	bs, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if m, err := bs.StoredModel(ctx, "tiny"); err != nil || string(m.Source()) != model {
		t.Errorf("the imported model is not stored as its text: %v", err)
	}

	if changed := imp(strings.Replace(tinyBOM, "FRAME,STEEL,120", "FRAME,STEEL,130", 1)); changed != rev+1 {
		t.Errorf("an import of a changed BOM line: revision %d, want %d", changed, rev+1)
	}
	ce := wantCode(t, cost(), connect.CodeNotFound)
	if info := detail[*errdetails.ErrorInfo](t, ce); info.GetReason() != "VARIANT_NOT_FOUND" ||
		!strings.Contains(ce.Message(), "older revision of the master data") || !strings.Contains(ce.Message(), "resolve the configuration again") {
		t.Errorf("a variant of the revision before: %v (%s), want VARIANT_NOT_FOUND saying it is of an older revision", ce.Message(), info.GetReason())
	}
}
