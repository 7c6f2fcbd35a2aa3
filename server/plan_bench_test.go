package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"connectrpc.com/connect"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/server"
)

// forkliftEnv starts a server on db with the forklift demo's master data
// and plant imported.
func forkliftEnv(b *testing.B, db kv.DB) *env {
	const dir = "../testdata/forklift"
	read := func(name string) string {
		s, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		return string(s)
	}
	e := startOn(&testing.T{}, db, false)
	ctx := context.Background()
	var csv []*bomv1.CSVFile
	for _, f := range []string{"items.csv", "bom.csv", "routings.csv", "workcenters.csv"} {
		csv = append(csv, &bomv1.CSVFile{Name: f, Text: read(f)})
	}
	if _, err := e.bom(protocols[1]).Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: csv,
		Models: []*bomv1.ModelSource{{Filename: "forklift.ctm", Source: read("forklift.ctm")}}})); err != nil {
		b.Fatal(err)
	}
	var plant []*mrpv1.CSVFile
	for _, f := range []string{"stock.csv", "demands.csv", "receipts.csv", "calendar.csv"} {
		plant = append(plant, &mrpv1.CSVFile{Name: f, Text: read(f)})
	}
	if _, err := e.mrp(protocols[1]).ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: plant, Date: "2026-12-01"})); err != nil {
		b.Fatal(err)
	}
	return e
}

// handlerClient calls an http.Handler in process.
type handlerClient struct{ h http.Handler }

func (c handlerClient) Do(r *http.Request) (*http.Response, error) {
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	return w.Result(), nil
}

// BenchmarkServerStartPlan: a server starts on a store holding the forklift
// demo (master data and plant) and answers its first MRP call
// (GetPlanStats), which needs the plan. cpu-ms/start is the CPU of the
// whole process (the machine is shared: wall time is noisy).
func BenchmarkServerStartPlan(b *testing.B) {
	db := kv.NewMemory()
	e := forkliftEnv(b, db)
	_ = e.stop()
	o := server.DefaultOptions()
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		srv, err := server.New(ctx, db, o)
		if err != nil {
			b.Fatal(err)
		}
		c := mrpv1connect.NewMRPServiceClient(handlerClient{srv.Handler()}, "http://x")
		res, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
		if err != nil {
			b.Fatal(err)
		}
		if res.Msg.GetPlannedOrders() == 0 {
			b.Fatal("no planned orders")
		}
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/start")
}

// BenchmarkSetStockRPC: one net change over Connect (binary): the on-hand
// stock of a purchased part alternates, the plan is replanned and the
// change stored. cpu-ms/change is the CPU of the whole process, client
// included.
func BenchmarkSetStockRPC(b *testing.B) {
	e := forkliftEnv(b, kv.NewMemory())
	defer func() { _ = e.stop() }()
	ctx := context.Background()
	c := e.mrp(protocols[1])
	b.ReportAllocs()
	cpu0 := cpuTime()
	i := 0
	for b.Loop() {
		if _, err := c.SetStock(ctx, connect.NewRequest(&mrpv1.SetStockRequest{Stock: []*mrpv1.Stock{{Item: "CHG-EXT-48-100A", Qty: float64(100 + i%2*50)}}})); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/change")
}
