package server_test

import (
	"context"
	"errors"
	"testing"

	"connectrpc.com/connect"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
	"github.com/ctoplan/ctoplan/kv"
)

// TestFirmAndRelease firms a planned order over RPC, restarts the server
// (the firm order is stored), then releases it: a scheduled receipt with
// the same ID.
func TestFirmAndRelease(t *testing.T) {
	p := protocols[1]
	ctx := context.Background()
	db := kv.NewMemory()
	defer db.Close()
	e := startOn(t, db, false)
	importTinyPlant(t, e, p)
	steel := orders(t, e.mrp(p), &mrpv1.ListPlannedOrdersRequest{Item: "STEEL"})
	if len(steel) != 1 || steel[0].GetFirm() {
		t.Fatalf("steel orders %v", steel)
	}
	id, qty := steel[0].GetId(), steel[0].GetQty()
	res, err := e.mrp(p).FirmOrder(ctx, connect.NewRequest(&mrpv1.FirmOrderRequest{Order: id, Qty: qty + 40, DueDate: "2027-01-04"}))
	if err != nil {
		t.Fatal(err)
	}
	o := res.Msg.GetOrder()
	if o.GetId() != id || !o.GetFirm() || o.GetQty() != qty+40 || o.GetDueDate() != "2027-01-04" || len(res.Msg.GetChange().GetTouched()) == 0 {
		t.Fatalf("firm order %v, change %v", o, res.Msg.GetChange())
	}
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	e = startOn(t, db, false)
	steel = orders(t, e.mrp(p), &mrpv1.ListPlannedOrdersRequest{Item: "STEEL"})
	if len(steel) != 1 || steel[0].GetId() != id || !steel[0].GetFirm() || steel[0].GetQty() != qty+40 {
		t.Fatalf("after a restart: %v", steel)
	}
	rel, err := e.mrp(p).ReleaseOrder(ctx, connect.NewRequest(&mrpv1.ReleaseOrderRequest{Order: id}))
	if err != nil {
		t.Fatal(err)
	}
	r := rel.Msg.GetReceipt()
	if r.GetId() != id || r.GetItem() != "STEEL" || r.GetQty() != qty+40 || r.GetDueDate() != "2027-01-04" || r.GetKind() != mrpv1.ReceiptKind_RECEIPT_KIND_PURCHASE {
		t.Errorf("released %v", r)
	}
	if steel := orders(t, e.mrp(p), &mrpv1.ListPlannedOrdersRequest{Item: "STEEL"}); len(steel) != 0 {
		t.Errorf("steel orders after the release: %v", steel)
	}
	rec, err := e.mrp(p).GetRecord(ctx, connect.NewRequest(&mrpv1.GetRecordRequest{Item: "STEEL"}))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range rec.Msg.GetDays() {
		found = found || (d.GetDate() == "2027-01-04" && d.GetReceipts() == qty+40)
	}
	if !found {
		t.Errorf("STEEL record has no receipt of %v on 2027-01-04: %v", qty+40, rec.Msg.GetDays())
	}

	for _, c := range []struct {
		req  any
		code connect.Code
	}{
		{&mrpv1.FirmOrderRequest{Order: "STEEL#2030-01-01"}, connect.CodeNotFound},
		{&mrpv1.FirmOrderRequest{}, connect.CodeInvalidArgument},
		{&mrpv1.FirmOrderRequest{Order: id, DueDate: "tomorrow"}, connect.CodeInvalidArgument},
		{&mrpv1.FirmOrderRequest{Order: id, Unfirm: true}, connect.CodeNotFound},
		{&mrpv1.ReleaseOrderRequest{Order: id}, connect.CodeNotFound},
		{&mrpv1.ReleaseOrderRequest{}, connect.CodeInvalidArgument},
	} {
		var err error
		switch r := c.req.(type) {
		case *mrpv1.FirmOrderRequest:
			_, err = e.mrp(p).FirmOrder(ctx, connect.NewRequest(r))
		case *mrpv1.ReleaseOrderRequest:
			_, err = e.mrp(p).ReleaseOrder(ctx, connect.NewRequest(r))
		}
		var ce *connect.Error
		if !errors.As(err, &ce) || ce.Code() != c.code {
			t.Errorf("%v: got %v, want %v", c.req, err, c.code)
		}
	}
}

// TestImportPlantFirm: ImportPlant takes firm.csv: its firm planned orders
// are planned under their IDs; a bad row is reported at its file and row.
func TestImportPlantFirm(t *testing.T) {
	p := protocols[1]
	ctx := context.Background()
	e := start(t)
	importTiny(t, e, p)
	files := append(append([]*mrpv1.CSVFile(nil), tinyPlant...),
		&mrpv1.CSVFile{Name: "plant/firm-orders.csv", Kind: mrpv1.PlantFile_PLANT_FILE_FIRM, Text: "id,item,qty,due_date\nFP-1,CHAIN,12,2027-01-05\n"})
	res, err := e.mrp(p).ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: files, Date: "2026-12-01"}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Msg.GetFirm() != 1 || res.Msg.GetReceipts() != 1 {
		t.Errorf("ImportPlant read %v", res.Msg)
	}
	var firm []string
	for _, o := range orders(t, e.mrp(p), &mrpv1.ListPlannedOrdersRequest{Item: "CHAIN"}) {
		if o.GetFirm() {
			firm = append(firm, o.GetId())
			if o.GetQty() != 12 || o.GetDueDate() != "2027-01-05" {
				t.Errorf("firm order %v", o)
			}
		}
	}
	if len(firm) != 1 || firm[0] != "FP-1" {
		t.Errorf("firm orders of CHAIN: %v", firm)
	}
	files[len(files)-1] = &mrpv1.CSVFile{Name: "plant/firm-orders.csv", Kind: mrpv1.PlantFile_PLANT_FILE_FIRM, Text: "id,item,qty,due_date\nFP-1,NOPE,12,2027-01-05\n"}
	_, err = e.mrp(p).ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: files, Date: "2026-12-01"}))
	se := detail[*rpcv1.SourceErrors](t, wantCode(t, err, connect.CodeInvalidArgument))
	if len(se.GetErrors()) != 1 || se.GetErrors()[0].GetFile() != "plant/firm-orders.csv" || se.GetErrors()[0].GetLine() != 2 || se.GetErrors()[0].GetColumn() != "item" {
		t.Errorf("bad firm row: %v", se)
	}
}
