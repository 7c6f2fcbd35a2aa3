package server_test

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/proto"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
)

// A tiny truck configured by tinyModel: a mast (duplex or triplex by
// condition) with 2 chains per section, and a frame.
const (
	tinyItems = `item,description,uom,kind,lead_time_days,unit_cost,model
TRUCK,Tiny truck,pc,make,2,0,tiny
FRAME,Frame,pc,make,3,0,
MAST-D,Duplex mast,pc,make,2,0,
MAST-T,Triplex mast,pc,make,4,0,
CHAIN,Chain,pc,buy,10,12.5,
STEEL,Steel plate,kg,buy,5,2,
`
	tinyBOM = `parent,component,qty_per,scrap_pct,condition,position
TRUCK,FRAME,1,,,0010
TRUCK,MAST-D,1,,mast = duplex,0020
TRUCK,MAST-T,1,,mast = triplex,0020
FRAME,STEEL,120,5,,0010
MAST-D,CHAIN,2,,,0010
MAST-T,CHAIN,3,,,0010
`
	tinyRoutings = `item,op_seq,work_center,setup_hours,run_hours_per_unit
TRUCK,10,ASSY,1,2
FRAME,10,WELD,0.5,1
`
	tinyWorkCenters = `work_center,rate_per_hour
ASSY,50
WELD,60
`
)

func (e *env) bom(p protocol) bomv1connect.BOMServiceClient {
	return bomv1connect.NewBOMServiceClient(e.client(p), e.url, e.writeOpts(p)...)
}

func importTiny(t *testing.T, e *env, p protocol) {
	t.Helper()
	putTiny(t, e.configurator(p))
	res, err := e.bom(p).Import(context.Background(), connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{
		{Name: "items.csv", Text: tinyItems}, {Name: "bom.csv", Text: tinyBOM},
		{Name: "routings.csv", Text: tinyRoutings}, {Name: "workcenters.csv", Text: tinyWorkCenters},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	if m := res.Msg; m.GetItems() != 6 || m.GetLines() != 6 || m.GetOperations() != 2 || m.GetWorkCenters() != 2 || m.GetModels() != 1 {
		t.Fatalf("Import: %v", m)
	}
}

func collect[T any](t *testing.T, s interface {
	Receive() bool
	Msg() T
	Err() error
	Close() error
}) []T {
	t.Helper()
	var out []T
	for s.Receive() {
		out = append(out, s.Msg())
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	return out
}

func TestBOMService(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			e := start(t)
			importTiny(t, e, p)
			ctx := context.Background()
			c := e.bom(p)

			// Picks completed with defaults, and the same as a full configuration.
			r1, err := c.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: "TRUCK", Date: "2026-12-01",
				Picks: []*configuratorv1.Pick{pick("mast", "triplex")}}))
			if err != nil {
				t.Fatal(err)
			}
			v := r1.Msg.GetVariant()
			if len(v.GetId()) != 64 || v.GetItem() != "TRUCK" || v.GetConfigKey() == "" || v.GetNodes() != 3 {
				t.Fatalf("Resolve: %v", v)
			}
			r2, err := c.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: "TRUCK", Date: "2026-12-01",
				Configuration: v.GetConfiguration()}))
			if err != nil {
				t.Fatal(err)
			}
			if r2.Msg.GetVariant().GetId() != v.GetId() {
				t.Errorf("same configuration, two variants: %s, %s", v.GetId(), r2.Msg.GetVariant().GetId())
			}

			stream, err := c.Explode(ctx, connect.NewRequest(&bomv1.ExplodeRequest{Target: &bomv1.Target{Variant: v.GetId()}, Quantity: 2}))
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, b := range collect(t, stream) {
				for _, l := range b.GetLines() {
					lines = append(lines, strings.Repeat(".", int(l.GetLevel()))+l.GetItem()+"="+num(l.GetQty()))
				}
			}
			want := []string{"TRUCK=2", ".FRAME=2", "..STEEL=252", ".MAST-T=2", "..CHAIN=6"}
			if !slices.Equal(lines, want) {
				t.Errorf("Explode: %v, want %v", lines, want)
			}
			stream, err = c.Explode(ctx, connect.NewRequest(&bomv1.ExplodeRequest{Target: &bomv1.Target{Variant: v.GetId()}, Summarised: true}))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, b := range collect(t, stream) {
				for _, l := range b.GetLines() {
					n++
					if l.GetItem() == "STEEL" && (l.GetQty() != 126 || l.GetUom() != "kg" || l.GetKind() != bomv1.ItemKind_ITEM_KIND_BUY) {
						t.Errorf("summarised STEEL: %v", l)
					}
				}
			}
			if n != 5 {
				t.Errorf("summarised explosion has %d items, want 5", n)
			}

			cost, err := c.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: &bomv1.Target{Variant: v.GetId()}, LotSize: proto.Float64(1)}))
			if err != nil {
				t.Fatal(err)
			}
			// material 126 kg x 2 + 3 chains x 12.5 = 289.5; setup 1x50 + 0.5x60 = 80; run 2x50 + 1x60 = 160.
			// Every amount in the server's currency (EUR by default), exact decimals.
			if m := cost.Msg; m.GetMaterial().GetAmount() != "289.5" || m.GetSetup().GetAmount() != "80" || m.GetRun().GetAmount() != "160" ||
				m.GetTotal().GetAmount() != "529.5" || m.GetTotal().GetCurrencyCode() != "EUR" || m.GetMaterial().GetCurrencyCode() != "EUR" {
				t.Errorf("CostRollup: %v", m)
			}

			lt, err := c.LeadTime(ctx, connect.NewRequest(&bomv1.LeadTimeRequest{Target: &bomv1.Target{Variant: v.GetId()}}))
			if err != nil {
				t.Fatal(err)
			}
			// TRUCK 2 + MAST-T 4 + CHAIN 10 = 16 beats 2 + 3 + 5.
			if lt.Msg.GetDays() != 16 || !slices.Equal(lt.Msg.GetCriticalPath(), []string{"TRUCK", "MAST-T", "CHAIN"}) {
				t.Errorf("LeadTime: %v", lt.Msg)
			}

			// A standard item by name.
			lt, err = c.LeadTime(ctx, connect.NewRequest(&bomv1.LeadTimeRequest{Target: &bomv1.Target{Item: "FRAME"}}))
			if err != nil || lt.Msg.GetDays() != 8 {
				t.Errorf("LeadTime FRAME: %v %v", lt, err)
			}

			wu, err := c.WhereUsed(ctx, connect.NewRequest(&bomv1.WhereUsedRequest{Item: "CHAIN"}))
			if err != nil {
				t.Fatal(err)
			}
			if len(wu.Msg.GetLines()) != 2 || !slices.Equal(wu.Msg.GetTop(), []string{"TRUCK"}) {
				t.Errorf("WhereUsed: %v", wu.Msg)
			}

			it, err := c.GetItem(ctx, connect.NewRequest(&bomv1.GetItemRequest{Id: "CHAIN"}))
			if err != nil {
				t.Fatal(err)
			}
			if uc := it.Msg.GetItem().GetUnitCost(); uc.GetAmount() != "12.5" || uc.GetCurrencyCode() != "EUR" || it.Msg.GetLowLevelCode() != 2 {
				t.Errorf("GetItem: %v", it.Msg)
			}

			st, err := c.GetStats(ctx, connect.NewRequest(&bomv1.GetStatsRequest{}))
			if err != nil {
				t.Fatal(err)
			}
			if st.Msg.GetItems() != 6 || st.Msg.GetModels() != 1 || st.Msg.GetVariants() < 1 {
				t.Errorf("GetStats: %v", st.Msg)
			}
		})
	}
}

func TestBOMErrors(t *testing.T) {
	p := protocols[1]
	e := start(t)
	importTiny(t, e, p)
	ctx := context.Background()
	c := e.bom(p)
	before, err := c.GetStats(ctx, connect.NewRequest(&bomv1.GetStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}

	// A bad row: InvalidArgument with file:row and column, nothing imported.
	_, err = c.Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{
		{Name: "items.csv", Text: tinyItems + "BOLT,Bolt,pc,buy,2,0.1,\n"},
		{Name: "bom.csv", Text: tinyBOM + "FRAME,BOLTT,8,,,0020\n"},
	}}))
	se := detail[*rpcv1.SourceErrors](t, wantCode(t, err, connect.CodeInvalidArgument))
	if len(se.GetErrors()) != 1 || se.GetErrors()[0].GetFile() != "bom.csv" || se.GetErrors()[0].GetLine() != 8 ||
		se.GetErrors()[0].GetColumn() != "component" || !strings.Contains(se.GetErrors()[0].GetMessage(), "BOLTT") {
		t.Errorf("bad row detail: %v", se)
	}
	// A condition naming an unknown value: its file:line:col.
	_, err = c.Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{
		{Name: "bom.csv", Text: tinyBOM + "TRUCK,CHAIN,1,,mast = triplx,0030\n"},
	}}))
	se = detail[*rpcv1.SourceErrors](t, wantCode(t, err, connect.CodeInvalidArgument))
	if len(se.GetErrors()) != 1 || se.GetErrors()[0].GetLine() != 8 || se.GetErrors()[0].GetCol() == 0 {
		t.Errorf("bad condition detail: %v", se)
	}
	// A file of no kind and no name.
	_, err = c.Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{{Text: tinyItems}}}))
	if wantCode(t, err, connect.CodeInvalidArgument); err == nil || !strings.Contains(err.Error(), "csv[0].kind") || !strings.Contains(err.Error(), "neither a kind nor a name") {
		t.Errorf("a CSV file without kind or name: %v", err)
	}
	// A file of unknown kind.
	_, err = c.Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{{Name: "parts.csv", Text: tinyItems}}}))
	if br := detail[*errdetails.BadRequest](t, wantCode(t, err, connect.CodeInvalidArgument)); br.GetFieldViolations()[0].GetField() != "csv[0].kind" {
		t.Errorf("unknown kind: %v", br)
	}
	after, err := c.GetStats(ctx, connect.NewRequest(&bomv1.GetStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if after.Msg.GetRevision() != before.Msg.GetRevision() || after.Msg.GetItems() != before.Msg.GetItems() {
		t.Errorf("a failed import changed the store: %v -> %v", before.Msg, after.Msg)
	}

	// Invalid configuration: FailedPrecondition with the conflict.
	_, err = c.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: "TRUCK",
		Picks: []*configuratorv1.Pick{pick("mast", "triplex"), pick("capacity", "t15")}}))
	checkConflict(t, detail[*configuratorv1.Conflict](t, wantCode(t, err, connect.CodeFailedPrecondition)))
	_, err = c.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: "TRUCK",
		Configuration: []*configuratorv1.Assignment{{Char: "mast", Values: []string{"triplex"}}, {Char: "capacity", Values: []string{"t15"}}, {Char: "lift_height", Values: []string{"2000"}}}}))
	wantCode(t, err, connect.CodeFailedPrecondition)

	// Unknown item and variant: NotFound.
	_, err = c.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: "TRUCKK", Picks: []*configuratorv1.Pick{pick("mast", "triplex")}}))
	wantCode(t, err, connect.CodeNotFound)
	_, err = c.GetItem(ctx, connect.NewRequest(&bomv1.GetItemRequest{Id: "NOPE"}))
	wantCode(t, err, connect.CodeNotFound)
	_, err = c.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: &bomv1.Target{Variant: strings.Repeat("ab", 32)}}))
	wantCode(t, err, connect.CodeNotFound)
	// Bad requests.
	_, err = c.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: &bomv1.Target{}}))
	wantCode(t, err, connect.CodeInvalidArgument)
	// quantities that are no number, or would overflow a setup spread
	// over them
	for _, q := range []float64{math.NaN(), math.Inf(1), -1, 1e-320, 1e-300, 1e308} {
		_, err = c.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: &bomv1.Target{Item: "FRAME"}, LotSize: &q}))
		if wantCode(t, err, connect.CodeInvalidArgument); err == nil || !strings.Contains(err.Error(), "lot_size") {
			t.Errorf("lot size %v: %v, want lot_size refused", q, err)
		}
		stream, err := c.Explode(ctx, connect.NewRequest(&bomv1.ExplodeRequest{Target: &bomv1.Target{Item: "FRAME"}, Quantity: q}))
		if err == nil {
			for stream.Receive() {
			}
			err = stream.Err()
		}
		if wantCode(t, err, connect.CodeInvalidArgument); err == nil || !strings.Contains(err.Error(), "quantity") {
			t.Errorf("explode quantity %v: %v, want quantity refused", q, err)
		}
	}
	_, err = c.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: "TRUCK", Date: "01/12/2026"}))
	wantCode(t, err, connect.CodeInvalidArgument)
	_, err = c.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: "FRAME", Picks: []*configuratorv1.Pick{pick("mast", "triplex")}}))
	wantCode(t, err, connect.CodeInvalidArgument)

	// A model change that breaks the BOM's conditions is refused.
	_, err = e.configurator(p).PutModel(ctx, connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm",
		Source: strings.Replace(tinyModel, "value triplex { price 2500 }", "value quad", 1)}))
	wantCode(t, err, connect.CodeInvalidArgument)
	got, err := e.configurator(p).GetModel(ctx, connect.NewRequest(&configuratorv1.GetModelRequest{Name: "tiny", View: configuratorv1.ModelView_MODEL_VIEW_FULL}))
	if err != nil || !strings.Contains(got.Msg.GetSource(), "triplex") {
		t.Errorf("refused model change was stored: %v", err)
	}
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// TestCostRollupLotSize: lot_size has presence. Unset is 1, as the proto
// always said (it was 0, each item's own lot: a fixed-lot item's setup
// came out spread over its lot); an explicit 0 is each item's own lot
// size (bom cost --lot 0); a fraction is refused (0.5 doubled the setup).
// FRAME: a fixed lot of 10, 0.5 h of setup at 60 an hour.
func TestCostRollupLotSize(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	if _, err := e.bom(protocols[1]).Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{
		{Name: "items.csv", Text: "item,description,uom,kind,lead_time_days,unit_cost,lot_policy,lot_qty\nFRAME,Frame,pc,make,3,0,foq,10\nSTEEL,Steel,kg,buy,5,2,,\n"},
		{Name: "bom.csv", Text: "parent,component,qty_per\nFRAME,STEEL,1\n"},
		{Name: "routings.csv", Text: "item,op_seq,work_center,setup_hours,run_hours_per_unit\nFRAME,10,WELD,0.5,1\n"},
		{Name: "workcenters.csv", Text: tinyWorkCenters},
	}})); err != nil {
		t.Fatal(err)
	}
	frame := &bomv1.Target{Item: "FRAME"}
	for _, p := range protocols {
		c := e.bom(p)
		for _, tc := range []struct {
			lot   *float64
			setup string
		}{
			{nil, "30"},                // 0.5 x 60 / 1
			{proto.Float64(1), "30"},   // the same
			{proto.Float64(0), "3"},    // over FRAME's own lot of 10
			{proto.Float64(4), "7.5"},  // over 4
			{proto.Float64(1e11), "0"}, // 3e-10, rounded to 6 digits
		} {
			res, err := c.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: frame, LotSize: tc.lot}))
			if err != nil {
				t.Fatalf("%s: lot %v: %v", p.name, tc.lot, err)
			}
			if got := res.Msg.GetSetup().GetAmount(); got != tc.setup {
				t.Errorf("%s: lot %v: setup %s, want %s", p.name, tc.lot, got, tc.setup)
			}
		}
		for _, q := range []float64{0.5, 2.5, 1e-7} {
			_, err := c.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: frame, LotSize: &q}))
			wantField(t, err, "lot_size", "")
		}
		_, err := c.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: frame, LotSize: proto.Float64(0.5)}))
		wantField(t, err, "lot_size", "0.5 is not a whole number")
	}
	// plain JSON: a lotSize left out is 1, "lotSize":0 each item's own
	for body, want := range map[string]string{
		`{"target":{"item":"FRAME"}}`:             "30",
		`{"target":{"item":"FRAME"},"lotSize":0}`: "3",
		`{"target":{"item":"FRAME"},"lotSize":1}`: "30",
	} {
		code, res := e.postJSON(bomv1connect.BOMServiceCostRollupProcedure, body, true)
		if got := at(res, "setup", "amount"); code != 200 || got != want {
			t.Errorf("%s: %d %v, want setup %s", body, code, res, want)
		}
	}
}
