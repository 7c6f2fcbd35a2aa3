package server_test

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

// TestPromiseCapacityRPC is mrp's TestPromiseCapacityHandWorked over
// Connect, with the capacity from the imported workcenters.csv. From
// Monday 2026-11-30: P (make, lead time 1) takes 4 h/unit on WC (8 h a
// day); SO1, 9 P due Friday 12-04, loads 36 h: the finite schedule fills
// Tuesday to Friday and 4 h of Monday. 1 P (4 h) wanted Tuesday fits in
// Monday's free 4 h: on time. 2 P (8 h) wanted Tuesday find no free day
// before Monday 12-07: promised then, limited by P on WC.
func TestPromiseCapacityRPC(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	if _, err := e.bom(protocols[1]).Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{
		{Name: "items.csv", Text: "item,description,uom,kind,lead_time_days,unit_cost,model\nP,Part,pc,make,1,0,\n"},
		{Name: "routings.csv", Text: "item,op_seq,work_center,setup_hours,run_hours_per_unit\nP,10,WC,0,4\n"},
		{Name: "workcenters.csv", Text: "work_center,rate_per_hour,capacity_hours_per_day\nWC,50,8\n"},
	}})); err != nil {
		t.Fatal(err)
	}
	c := e.mrp(protocols[1])
	if _, err := c.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Date: "2026-11-30", Csv: []*mrpv1.CSVFile{
		{Name: "demands.csv", Text: "id,item,qty,due_date,priority,config\nSO1,P,9,2026-12-04,,\n"},
	}})); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		qty             float64
		date, limit, wc string
		late            bool
	}{
		{qty: 1, date: "2026-12-01"},
		{qty: 2, date: "2026-12-07", limit: "P", wc: "WC", late: true},
	} {
		res, err := c.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "P", Qty: tc.qty, Date: "2026-12-01"}))
		if err != nil {
			t.Fatal(err)
		}
		m := res.Msg
		if m.GetDate() != tc.date || m.GetLate() != tc.late || m.GetLimit() != tc.limit || m.GetWorkCenter() != tc.wc || m.GetAtp() {
			t.Errorf("%v P by 2026-12-01: %v, want %s limit %q work center %q", tc.qty, m, tc.date, tc.limit, tc.wc)
		}
	}
}

// TestCapacityExceptionsRPC: capacity_exceptions.csv imported with the
// plant reaches the load, the overloads and the promise, and survives a
// reopen of the store. The plant of TestPromiseCapacityRPC with WC down
// to 4 h on Thursday 12-03 (maintenance):
//
//	load (infinite, backwards from the end of Friday, 8 h a day): SO1's
//	36 h on Friday, Thursday, Wednesday, Tuesday (8 h each) and Monday
//	(4 h): Thursday 8 h of 4: overloaded by P#2026-12-04's 8 h.
//	finite: Friday 8, Thursday 4, Wednesday, Tuesday, Monday 8: 36 h;
//	nothing is free in the first week, so 1 P (4 h) wanted Tuesday is
//	promised Monday 12-07 (without the exception: Tuesday).
//
// An exception of a work center the master data lacks is refused.
func TestCapacityExceptionsRPC(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	if _, err := e.bom(protocols[1]).Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{
		{Name: "items.csv", Text: "item,description,uom,kind,lead_time_days,unit_cost,model\nP,Part,pc,make,1,0,\n"},
		{Name: "routings.csv", Text: "item,op_seq,work_center,setup_hours,run_hours_per_unit\nP,10,WC,0,4\n"},
		{Name: "workcenters.csv", Text: "work_center,rate_per_hour,capacity_hours_per_day\nWC,50,8\n"},
	}})); err != nil {
		t.Fatal(err)
	}
	c := e.mrp(protocols[1])
	demands := &mrpv1.CSVFile{Name: "demands.csv", Text: "id,item,qty,due_date,priority,config\nSO1,P,9,2026-12-04,,\n"}
	_, err := c.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Date: "2026-11-30", Csv: []*mrpv1.CSVFile{
		demands, {Name: "capacity_exceptions.csv", Text: "work_center,date,hours,reason\nNOPE,2026-12-03,4,x\n"}}}))
	if connect.CodeOf(err) != connect.CodeInvalidArgument || !strings.Contains(err.Error(), "capacity_exceptions.csv:2") || !strings.Contains(err.Error(), "NOPE") {
		t.Errorf("exception of an unknown work center: %v", err)
	}
	if _, err := c.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Date: "2026-11-30", Csv: []*mrpv1.CSVFile{
		demands, {Name: "capacity_exceptions.csv", Text: "work_center,date,hours,reason\nWC,2026-12-03,4,maintenance\n"}}})); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		res, err := c.CapacityLoad(ctx, connect.NewRequest(&mrpv1.CapacityLoadRequest{From: "2026-12-03", To: "2026-12-03"}))
		if err != nil {
			t.Fatal(err)
		}
		if b := res.Msg.GetBuckets(); len(b) != 1 || b[0].GetLoadHours() != 8 || b[0].GetAvailableHours() != 4 {
			t.Errorf("%s: Thursday's load %v, want 8 of 4 h", when, b)
		}
		res, err = c.CapacityLoad(ctx, connect.NewRequest(&mrpv1.CapacityLoadRequest{Overloads: true}))
		if err != nil {
			t.Fatal(err)
		}
		o := res.Msg.GetOverloads()
		if len(o) != 1 || o[0].GetBucket().GetDate() != "2026-12-03" || o[0].GetBucket().GetLoadHours() != 8 || len(o[0].GetOrders()) != 1 ||
			o[0].GetOrders()[0].GetOrder() != "P#2026-12-04" || o[0].GetOrders()[0].GetHours() != 8 || len(res.Msg.GetBuckets()) != 0 {
			t.Errorf("%s: overloads %v", when, o)
		}
		pr, err := c.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "P", Qty: 1, Date: "2026-12-01"}))
		if err != nil {
			t.Fatal(err)
		}
		if pr.Msg.GetDate() != "2026-12-07" || pr.Msg.GetWorkCenter() != "WC" {
			t.Errorf("%s: promise %v, want 2026-12-07 on WC", when, pr.Msg)
		}
	}
	check("after the import")
	// a change of the master data replans from the stored plant: the
	// exceptions stay
	if _, err := e.bom(protocols[1]).Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{
		{Name: "items.csv", Text: "item,description,uom,kind,lead_time_days,unit_cost,model\nP,Part,pc,make,1,0,\nQ,Other,pc,buy,1,0,\n"},
		{Name: "routings.csv", Text: "item,op_seq,work_center,setup_hours,run_hours_per_unit\nP,10,WC,0,4\n"},
		{Name: "workcenters.csv", Text: "work_center,rate_per_hour,capacity_hours_per_day\nWC,50,8\n"},
	}})); err != nil {
		t.Fatal(err)
	}
	check("after a master-data import")
}
