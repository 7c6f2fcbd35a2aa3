package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

const forkliftDir = "../testdata/forklift"

// startForklift starts a server holding the forklift demo: master data
// (with workcenters.csv's capacity) and plant data.
func startForklift(t *testing.T) *env {
	t.Helper()
	read := func(name string) string {
		s, err := os.ReadFile(filepath.Join(forkliftDir, name))
		if err != nil {
			t.Fatalf("forklift demo data (part of the repository): %v", err)
		}
		return string(s)
	}
	e := start(t)
	ctx := context.Background()
	var csv []*bomv1.CSVFile
	for _, f := range []string{"items.csv", "bom.csv", "routings.csv", "workcenters.csv"} {
		csv = append(csv, &bomv1.CSVFile{Name: f, Text: read(f)})
	}
	if _, err := e.bom(protocols[1]).Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: csv,
		Models: []*bomv1.ModelSource{{Filename: "forklift.ctm", Source: read("forklift.ctm")}}})); err != nil {
		t.Fatal(err)
	}
	var plant []*mrpv1.CSVFile
	for _, f := range []string{"stock.csv", "demands.csv", "receipts.csv", "calendar.csv"} {
		plant = append(plant, &mrpv1.CSVFile{Name: f, Text: read(f)})
	}
	if _, err := e.mrp(protocols[1]).ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: plant, Date: "2026-12-01"})); err != nil {
		t.Fatal(err)
	}
	return e
}

// forkliftLibrary is the same plant planned in process with the library
// and its capacity read with mrp.ReadCapacity: the oracle of the RPCs.
func forkliftLibrary(t *testing.T) (*mrp.Planner, *mrp.Capacity) {
	t.Helper()
	in, _, err := mrp.LoadDir(context.Background(), forkliftDir, mrp.LoadOptions{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	c, err := mrp.ReadCapacity(forkliftDir)
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}

// The rush: 20 trucks of SO-26-1187's configuration, due 2027-03-31.
func rushOrder(t testing.TB) *mrpv1.Demand {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(forkliftDir, "demands.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "SO-26-1187,") {
			continue
		}
		f := strings.Split(line, ",")
		var asg []*configuratorv1.Assignment
		for _, kv := range strings.Split(f[len(f)-1], ";") {
			k, v, _ := strings.Cut(kv, "=")
			asg = append(asg, &configuratorv1.Assignment{Char: k, Values: strings.Split(v, "|")})
		}
		return &mrpv1.Demand{Id: "RUSH-1", Item: "FL-TRUCK", Configuration: asg, Qty: 20, DueDate: "2027-03-31", Priority: 5}
	}
	t.Fatal("demands.csv has no SO-26-1187")
	return nil
}

func TestCapacityRPCs(t *testing.T) {
	e := startForklift(t)
	ctx := context.Background()
	c := e.mrp(protocols[1])
	lib, capa := forkliftLibrary(t)

	// CapacityLoad equals the library's load on ReadCapacity's capacity
	// (the server's comes from the imported work centers).
	res, err := c.CapacityLoad(ctx, connect.NewRequest(&mrpv1.CapacityLoadRequest{WorkCenter: "ASSY-FINAL", Week: true}))
	if err != nil {
		t.Fatal(err)
	}
	want := lib.CapacityLoad(capa).Weeks("ASSY-FINAL", time.Time{}, time.Time{})
	if len(res.Msg.GetBuckets()) != len(want) || len(want) == 0 {
		t.Fatalf("%d weekly buckets, want %d", len(res.Msg.GetBuckets()), len(want))
	}
	for k, b := range res.Msg.GetBuckets() {
		w := want[k]
		if b.GetDate() != w.Date.Format(time.DateOnly) || b.GetLoadHours() != w.Load || b.GetAvailableHours() != w.Available {
			t.Fatalf("bucket %d: %v, want %+v", k, b, w)
		}
	}
	// hand-worked: a full working week of the final line is 5 days x 16 h x 6 stations = 480 h
	if got := res.Msg.GetBuckets()[1].GetAvailableHours(); got != 480 {
		t.Errorf("ASSY-FINAL's second week offers %g h, want 480", got)
	}
	if _, err := c.CapacityLoad(ctx, connect.NewRequest(&mrpv1.CapacityLoadRequest{WorkCenter: "NOPE"})); connect.CodeOf(err) != connect.CodeNotFound || reasonOf(err) != "WORK_CENTER_NOT_FOUND" {
		t.Errorf("unknown work center: %v (reason %s)", err, reasonOf(err))
	}

	// FiniteSchedule: every sales order's delivery as the library's.
	fs, err := c.FiniteSchedule(ctx, connect.NewRequest(&mrpv1.FiniteScheduleRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := lib.FiniteSchedule(capa)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs.Msg.GetDeliveries()) == 0 || len(fs.Msg.GetOrders()) != sc.Len() {
		t.Fatalf("%d deliveries, %d orders (library %d)", len(fs.Msg.GetDeliveries()), len(fs.Msg.GetOrders()), sc.Len())
	}
	for _, d := range fs.Msg.GetDeliveries() {
		w, err := sc.Delivery(d.GetDemand())
		if err != nil || d.GetExpectedDate() != w.Expected.Format(time.DateOnly) || int(d.GetLateDays()) != w.LateDays {
			t.Errorf("%s: %v, library %+v %v", d.GetDemand(), d, w, err)
		}
	}

	// deliveries_only: the same deliveries, no orders
	fd, err := c.FiniteSchedule(ctx, connect.NewRequest(&mrpv1.FiniteScheduleRequest{DeliveriesOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	if len(fd.Msg.GetOrders()) != 0 || len(fd.Msg.GetDeliveries()) != len(fs.Msg.GetDeliveries()) {
		t.Fatalf("deliveries only: %d orders, %d deliveries (want 0, %d)", len(fd.Msg.GetOrders()), len(fd.Msg.GetDeliveries()), len(fs.Msg.GetDeliveries()))
	}
	for k, d := range fd.Msg.GetDeliveries() {
		if !proto.Equal(d, fs.Msg.GetDeliveries()[k]) {
			t.Errorf("deliveries only: %v, want %v", d, fs.Msg.GetDeliveries()[k])
		}
	}
	hasDelivery := func(id string) bool {
		t.Helper()
		fd, err := c.FiniteSchedule(ctx, connect.NewRequest(&mrpv1.FiniteScheduleRequest{DeliveriesOnly: true}))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range fd.Msg.GetDeliveries() {
			if d.GetDemand() == id {
				return true
			}
		}
		return false
	}

	// WhatIfRush changes nothing; AcceptRush books it in one change.
	stats := func() string {
		s, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		return s.Msg.String()
	}
	before := stats()
	rush := rushOrder(t)
	if hasDelivery(rush.GetId()) {
		t.Fatalf("%s scheduled before it is booked", rush.GetId())
	}
	wi, err := c.WhatIfRush(ctx, connect.NewRequest(&mrpv1.WhatIfRushRequest{Rush: rush}))
	if err != nil {
		t.Fatal(err)
	}
	if wi.Msg.GetPromisedDate() == "" || !strings.HasPrefix(wi.Msg.GetItem(), "FL-TRUCK@") || wi.Msg.GetRequestedDate() != "2027-03-31" {
		t.Errorf("what-if: %v", wi.Msg)
	}
	if after := stats(); after != before {
		t.Errorf("the what-if changed the plan:\n%s\n%s", before, after)
	}
	ac, err := c.AcceptRush(ctx, connect.NewRequest(&mrpv1.AcceptRushRequest{Rush: rush}))
	if err != nil {
		t.Fatal(err)
	}
	if ac.Msg.GetAnswer().GetPromisedDate() != wi.Msg.GetPromisedDate() || len(ac.Msg.GetChange().GetTouched()) == 0 {
		t.Errorf("accepted: %v (what-if %v)", ac.Msg, wi.Msg)
	}
	if !hasDelivery(rush.GetId()) {
		// the schedule the server shares is made again after a change
		t.Errorf("the finite schedule after accepting %s has no delivery of it", rush.GetId())
	}
	if _, err := c.AcceptRush(ctx, connect.NewRequest(&mrpv1.AcceptRushRequest{Rush: rush})); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Errorf("the same rush line again: %v", err)
	}

	// ConfirmOperations (one given, one as confirmations.csv) and the
	// status of the sales order they serve.
	conf, err := c.ConfirmOperations(ctx, connect.NewRequest(&mrpv1.ConfirmOperationsRequest{
		Confirmations: []*mrpv1.OperationConfirmation{{Id: "C1", Order: "MO-26-0912", OpSeq: 10, GoodQty: 20, Hours: 9, Done: true}},
		Csv:           []*mrpv1.CSVFile{{Name: "confirmations.csv", Text: "id,order,op_seq,good_qty,scrap_qty,hours,done\nC2,MO-26-0913,10,4,1,3,0\n"}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if conf.Msg.GetConfirmations() != 2 || len(conf.Msg.GetChange().GetTouched()) == 0 {
		t.Errorf("confirmations: %v", conf.Msg)
	}
	if _, err := c.ConfirmOperations(ctx, connect.NewRequest(&mrpv1.ConfirmOperationsRequest{
		Csv: []*mrpv1.CSVFile{{Name: "confirmations.csv", Text: "id,order,op_seq\nC3,MO-26-0913,x\n"}}})); err == nil ||
		!strings.Contains(err.Error(), "confirmations.csv:2: op_seq") {
		t.Errorf("bad csv: %v", err)
	}
	st, err := c.SalesOrderStatus(ctx, connect.NewRequest(&mrpv1.SalesOrderStatusRequest{Demands: []string{"SO-26-1187", "RUSH-1"}}))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range st.Msg.GetStatuses() {
		if x.GetOpsTotal() == 0 || x.GetExpectedDate() == "" || x.GetPromisedDate() == "" || x.GetAtRisk() != (x.GetLateDays() > 0) {
			t.Errorf("status %v", x)
		}
	}
	if _, err := c.SalesOrderStatus(ctx, connect.NewRequest(&mrpv1.SalesOrderStatusRequest{Demands: []string{"NOPE"}})); connect.CodeOf(err) != connect.CodeNotFound {
		t.Errorf("unknown sales order: %v", err)
	}
}

// BenchmarkWhatIfRushRPC: one rush-order what-if on the forklift demo over
// the Connect protocol (a configured line of 20 trucks: variant resolved in
// memory, plan copied and scheduled finitely twice; target <= 20 ms for
// the library's what-if). cpu-ms is the whole process's.
func BenchmarkWhatIfRushRPC(b *testing.B) {
	e := forkliftEnv(b, kv.NewMemory())
	c := e.mrp(protocols[1])
	ctx := context.Background()
	req := &mrpv1.WhatIfRushRequest{Rush: rushOrder(b)}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := c.WhatIfRush(ctx, connect.NewRequest(req)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/whatif")
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/whatif")
}

// TestAcceptRushNewConfiguration: accepting a rush of a configuration no
// order had (its variant not stored yet) on an in-memory store: the
// variant is stored in the change's transaction. It deadlocked (the
// variant took a transaction of its own on the locked database), and the
// server then hung for good.
func TestAcceptRushNewConfiguration(t *testing.T) {
	e := startForklift(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c := e.mrp(protocols[1])
	rush := &mrpv1.Demand{Id: "R-NEW", Item: "FL-TRUCK", Qty: 2, DueDate: "2027-03-19",
		Picks: []*configuratorv1.Pick{{Char: "capacity", Value: "t50"}, {Char: "colour", Value: "blue"}}}
	ac, err := c.AcceptRush(ctx, connect.NewRequest(&mrpv1.AcceptRushRequest{Rush: rush}))
	if err != nil {
		t.Fatal(err)
	}
	item := ac.Msg.GetAnswer().GetItem()
	if !strings.HasPrefix(item, "FL-TRUCK@") {
		t.Fatalf("accepted as %q", item)
	}
	st, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{SkipDigest: true}))
	if err != nil || st.Msg.GetDemands() == 0 {
		t.Fatalf("the plan after the rush: %v %v", st, err)
	}
	orders, err := c.ListPlannedOrders(ctx, connect.NewRequest(&mrpv1.ListPlannedOrdersRequest{Demand: "R-NEW"}))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for orders.Receive() {
		n += len(orders.Msg().GetOrders())
	}
	if err := orders.Err(); err != nil || n == 0 {
		t.Fatalf("the rush's planned orders: %d, %v", n, err)
	}
}
