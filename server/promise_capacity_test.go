package server_test

import (
	"context"
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
		qty             int64
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
			t.Errorf("%d P by 2026-12-01: %v, want %s limit %q work center %q", tc.qty, m, tc.date, tc.limit, tc.wc)
		}
	}
}
