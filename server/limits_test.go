package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/encoding/protowire"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
)

// wantField fails unless err is InvalidArgument with a BadRequest detail
// naming field, its description containing want, and a short message (no
// echo of a huge input, no store internals).
func wantField(t *testing.T, err error, field, want string) {
	t.Helper()
	ce := wantCode(t, err, connect.CodeInvalidArgument)
	br := detail[*errdetails.BadRequest](t, ce)
	if len(br.GetFieldViolations()) != 1 || br.GetFieldViolations()[0].GetField() != field ||
		!strings.Contains(br.GetFieldViolations()[0].GetDescription(), want) {
		t.Errorf("violations %v, want %s: ...%s...", br.GetFieldViolations(), field, want)
	}
	if len(ce.Message()) > 300 {
		t.Errorf("message of %d bytes: %.200s...", len(ce.Message()), ce.Message())
	}
}

// wantSource fails unless err is InvalidArgument with a SourceErrors detail
// at file:line, column.
func wantSource(t *testing.T, err error, file string, line int32, column, want string) {
	t.Helper()
	ce := wantCode(t, err, connect.CodeInvalidArgument)
	se := detail[*rpcv1.SourceErrors](t, ce)
	if len(se.GetErrors()) == 0 {
		t.Fatalf("no source errors: %v", ce)
	}
	e := se.GetErrors()[0]
	if e.GetFile() != file || e.GetLine() != line || e.GetColumn() != column || !strings.Contains(e.GetMessage(), want) {
		t.Errorf("got %s:%d %s: %s; want %s:%d %s: ...%s...", e.GetFile(), e.GetLine(), e.GetColumn(), e.GetMessage(), file, line, column, want)
	}
	if len(ce.Message()) > 1000 {
		t.Errorf("message of %d bytes: %.200s...", len(ce.Message()), ce.Message())
	}
}

// TestEdgeLimits: over-long ids, control characters, text that is not
// UTF-8 and quantities beyond mrp.MaxQty are InvalidArgument naming the
// field (or the CSV file, row and column) and the limit, on every path in.
func TestEdgeLimits(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	importTinyPlant(t, e, protocols[1])
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			m, b := e.mrp(p), e.bom(p)
			cfgDemand := func(id string, qty float64) *mrpv1.UpsertDemandsRequest {
				return &mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{Id: id, Item: "CHAIN", Qty: qty, DueDate: "2027-01-10"}}}
			}
			_, err := m.UpsertDemands(ctx, connect.NewRequest(cfgDemand(strings.Repeat("D", 70<<10), 1)))
			wantField(t, err, "demands[0].id", "71680 bytes is too long (at most 256)")
			_, err = m.UpsertDemands(ctx, connect.NewRequest(cfgDemand("SO-9\nSO-10", 1)))
			wantField(t, err, "demands[0].id", "control character U+000A")
			_, err = m.UpsertDemands(ctx, connect.NewRequest(cfgDemand("SO-9", 1_000_000_000_001)))
			wantField(t, err, "demands[0].qty", "not in (0, 1000000000000]")
			_, err = b.GetItem(ctx, connect.NewRequest(&bomv1.GetItemRequest{Id: strings.Repeat("I", 1<<20)}))
			wantField(t, err, "id", "1048576 bytes is too long")
			_, err = m.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "CHAIN", Qty: 3_000_000_000_000_000_000}))
			wantField(t, err, "qty", "not in (0, 1000000000000]")
			_, err = m.SetStock(ctx, connect.NewRequest(&mrpv1.SetStockRequest{Stock: []*mrpv1.Stock{{Item: "CHAIN", Qty: 2e12}}}))
			wantField(t, err, "stock[0].qty", "not in [0, 1000000000000]")
			_, err = m.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "TRUCK", Qty: 1,
				Configuration: []*configuratorv1.Assignment{{Char: "mast", Values: []string{"duplex", strings.Repeat("v", 300)}}}}))
			wantField(t, err, "configuration[0].values[1]", "300 bytes is too long")
			// A server stream's request is checked too.
			s, err := m.PegDemand(ctx, connect.NewRequest(&mrpv1.PegDemandRequest{Demand: "SO\x001"}))
			if err == nil {
				for s.Receive() {
				}
				err = s.Err()
			}
			wantField(t, err, "demand", "control character U+0000")

			// Ids inside CSV texts: at their file, row and column.
			_, err = m.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Date: "2026-12-01", Csv: []*mrpv1.CSVFile{
				{Name: "demands.csv", Text: "id,item,qty,due_date\nSO-1,CHAIN,1,2027-01-10\n" + strings.Repeat("D", 70<<10) + ",CHAIN,1,2027-01-10\n"}}}))
			wantSource(t, err, "demands.csv", 3, "id", "71680 bytes is too long (at most 256)")
			for _, tc := range []struct {
				file       *mrpv1.CSVFile
				line       int32
				col, wants string
			}{
				{&mrpv1.CSVFile{Name: "stock.csv", Text: "item,qty\nCHAIN,5\nSTEEL,2000000000000\n"}, 3, "qty", "2000000000000 is more than 1000000000000, the most a quantity may be"},
				{&mrpv1.CSVFile{Name: "demands.csv", Text: "id,item,qty,due_date\nSP-1,CHAIN,2000000000000,2027-01-10\n"}, 2, "qty", "is more than 1000000000000"},
				{&mrpv1.CSVFile{Name: "receipts.csv", Text: "id,item,qty,due_date,kind\nPO-1,CHAIN,2e12,2026-12-20,purchase\n"}, 2, "qty", "2e12 is more than 1000000000000"},
				{&mrpv1.CSVFile{Name: "receipts.csv", Text: "id,item,qty,due_date,kind\nPO-1,CHAIN,2,2026-12-20,purchase\nPO-2,TRUCK,2,2026-12-20,purchase\n"}, 3, "item", "TRUCK is configurable (model tiny)"},
				{&mrpv1.CSVFile{Name: "stock.csv", Text: "item,qty\nTRUCK,1\n"}, 2, "item", "TRUCK is configurable"},
				// a long value, in the message and its detail: its first 40 bytes and its length
				{&mrpv1.CSVFile{Name: "demands.csv", Text: "id,item,qty,due_date\nSP-1,CHAIN," + strings.Repeat("x", 100000) + ",2027-01-10\n"}, 2, "qty",
					`"` + strings.Repeat("x", 40) + `"… (100000 bytes) is not a number`},
			} {
				_, err = m.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Date: "2026-12-01", Csv: []*mrpv1.CSVFile{tc.file}}))
				wantSource(t, err, tc.file.GetName(), tc.line, tc.col, tc.wants)
			}
			_, err = m.UpsertReceipts(ctx, connect.NewRequest(&mrpv1.UpsertReceiptsRequest{Receipts: []*mrpv1.Receipt{
				{Id: "PO-9", Item: "TRUCK", Qty: 1, DueDate: "2026-12-20", Kind: mrpv1.ReceiptKind_RECEIPT_KIND_PURCHASE}}}))
			wantField(t, err, "receipts[0].item", "TRUCK is configurable (model tiny)")
			_, err = m.SetStock(ctx, connect.NewRequest(&mrpv1.SetStockRequest{Stock: []*mrpv1.Stock{{Item: "CHAIN", Qty: 1}, {Item: "TRUCK", Qty: 1}}}))
			wantField(t, err, "stock[1].item", "TRUCK is configurable")
			_, err = b.Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{
				{Name: "items.csv", Text: "item,description,uom,kind,lead_time_days,unit_cost\n" + strings.Repeat("I", 1<<20) + ",x,pc,buy,1,1\n"}}}))
			wantSource(t, err, "items.csv", 2, "item", "1048576 bytes is too long (at most 256)")
			_, err = b.Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{
				{Name: "items.csv", Text: "item,description,uom,kind,lead_time_days,unit_cost\nBOLT,x,pc," + strings.Repeat("k", 100000) + ",1,1\n"}}}))
			wantSource(t, err, "items.csv", 2, "kind", `unknown kind "`+strings.Repeat("k", 40)+`"… (100000 bytes)`)
		})
	}
}

// TestInvalidUTF8 sends a binary request whose demands[0].item is not
// UTF-8: InvalidArgument naming the field, not protobuf's bare "string
// field contains invalid UTF-8"; the same in JSON.
func TestInvalidUTF8(t *testing.T) {
	e := start(t)
	var demand []byte
	demand = protowire.AppendTag(demand, 1, protowire.BytesType)
	demand = protowire.AppendString(demand, "SO-1")
	demand = protowire.AppendTag(demand, 2, protowire.BytesType)
	demand = protowire.AppendBytes(demand, []byte("CH\xffAIN"))
	msg := protowire.AppendTag(nil, 1, protowire.BytesType) // UpsertDemandsRequest.demands
	msg = protowire.AppendBytes(msg, demand)
	req, err := http.NewRequest(http.MethodPost, e.url+mrpv1connect.MRPServiceUpsertDemandsProcedure, bytes.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/proto")
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := e.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !bytes.Contains(body, []byte("demands[0].item: not UTF-8 (every text field must be UTF-8")) {
		t.Errorf("status %d: %s", resp.StatusCode, body)
	}

	// JSON: the same, with the keys as sent.
	req, err = http.NewRequest(http.MethodPost, e.url+mrpv1connect.MRPServiceUpsertDemandsProcedure,
		strings.NewReader("{\"demands\":[{\"id\":\"SO-1\",\n \"item\":\"CH\xffAIN\"}]}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err = e.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !bytes.Contains(body, []byte("demands[0].item: not UTF-8 (every text field must be UTF-8")) {
		t.Errorf("JSON: status %d: %s", resp.StatusCode, body)
	}
}
