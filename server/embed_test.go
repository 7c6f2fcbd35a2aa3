package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
	"github.com/ctoplan/ctoplan/server"
)

// recorder is an embedder's interceptor: it records the procedures that
// reached it.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		r.mu.Lock()
		r.calls = append(r.calls, req.Spec().Procedure)
		r.mu.Unlock()
		return next(ctx, req)
	}
}

func (r *recorder) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (r *recorder) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		r.mu.Lock()
		r.calls = append(r.calls, conn.Spec().Procedure)
		r.mu.Unlock()
		return next(ctx, conn)
	}
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// TestEmbedded mounts a server built from zero Options over the caller's
// stores in an own mux behind an own prefix: models and plan the library
// wrote (before and after New) are what the RPCs answer; the embedder's
// interceptor sees the calls that passed the server's auth, and not the
// refused ones; Run turns health NOT_SERVING when its context ends.
func TestEmbedded(t *testing.T) {
	ctx := context.Background()
	db := kv.NewMemory()
	t.Cleanup(func() { db.Close() })
	bs, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := bs.ImportDir(ctx, "../testdata/forklift", ""); err != nil {
		t.Fatal(err)
	}
	plan := forkliftPlanStore(t, db)
	in := plan.Planner().Input()
	rev0 := plan.Revision()
	rec := &recorder{}
	opts := server.Options{
		Token:          "s3cret",
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		HandlerOptions: []connect.HandlerOption{connect.WithInterceptors(rec)},
	}
	if _, err := server.NewWithStores(ctx, server.Stores{BOM: bs}, opts); err == nil {
		t.Fatal("NewWithStores accepted stores without a DB")
	}
	if _, err := server.NewWithStores(ctx, server.Stores{DB: kv.NewMemory(), BOM: bs}, opts); err == nil {
		t.Fatal("NewWithStores accepted a BOM store of another DB")
	}
	srv, err := server.NewWithStores(ctx, server.Stores{DB: db, BOM: bs, Plan: plan}, opts)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(runCtx) }()

	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", srv.Handler()))
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	auth := connect.WithInterceptors(bearer("s3cret"))

	// a model put through the library after New is served
	const tiny = "model TINY {\n  char size single {\n    value s\n    value m\n  }\n}\n"
	if _, err := bs.PutModel(ctx, "tiny.ctm", []byte(tiny)); err != nil {
		t.Fatal(err)
	}
	cc := configuratorv1connect.NewConfiguratorServiceClient(ts.Client(), ts.URL+"/api", auth)
	pr, err := cc.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: "TINY"}))
	if err != nil {
		t.Fatalf("Propagate of a model the library put: %v", err)
	}
	if len(pr.Msg.GetChars()) != 1 {
		t.Errorf("TINY domains: %v", pr.Msg.GetChars())
	}
	// the plan the library wrote
	mc := mrpv1connect.NewMRPServiceClient(ts.Client(), ts.URL+"/api")
	mcAuth := mrpv1connect.NewMRPServiceClient(ts.Client(), ts.URL+"/api", auth)
	ps, err := mcAuth.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if int(ps.Msg.GetDemands()) != len(in.Demands) {
		t.Errorf("server sees %d demands, the library wrote %d", ps.Msg.GetDemands(), len(in.Demands))
	}
	// (zero Options: a caller without a token may do nothing)
	// a refused change does not reach the embedder's interceptor; an
	// allowed one does
	del := connect.NewRequest(&mrpv1.DeleteDemandsRequest{Ids: []string{in.Demands[0].ID}})
	if _, err := mc.DeleteDemands(ctx, del); connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Fatalf("anonymous DeleteDemands: %v", err)
	}
	if _, err := mcAuth.DeleteDemands(ctx, del); err != nil {
		t.Fatal(err)
	}
	want := []string{configuratorv1connect.ConfiguratorServicePropagateProcedure, mrpv1connect.MRPServiceGetPlanStatsProcedure,
		mrpv1connect.MRPServiceDeleteDemandsProcedure}
	if got := rec.seen(); len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("the embedder's interceptor saw %v, want %v", got, want)
	}
	var readOnly []bool
	for _, p := range want {
		readOnly = append(readOnly, server.ReadOnly(p))
	}
	if !readOnly[0] || !readOnly[1] || readOnly[2] {
		t.Errorf("ReadOnly(%v) = %v, want true true false", want, readOnly)
	}
	// the change is the caller's store's too
	if err := srv.ViewPlan(ctx, func(p *mrp.Planner) error {
		if _, ok := p.Demand(in.Demands[0].ID); ok {
			t.Errorf("demand %s still planned after DeleteDemands", in.Demands[0].ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if plan.Revision() != rev0+1 {
		t.Errorf("caller's store at revision %d after one change, want %d", plan.Revision(), rev0+1)
	}

	hc := grpchealth.NewClient(ts.Client(), ts.URL+"/api")
	health := func() grpchealth.Status {
		t.Helper()
		r, err := hc.Check(ctx, &grpchealth.CheckRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return r.Status
	}
	if s := health(); s != grpchealth.StatusServing {
		t.Fatalf("health %v while running", s)
	}
	stop()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	if s := health(); s != grpchealth.StatusNotServing {
		t.Errorf("health %v after Run returned, want NOT_SERVING", s)
	}
}

// TestReadOnly: reads, quotes and Backup are read-only; every procedure
// that stores something (Resolve stores its variant) is not, and paths
// that are no ctoplan RPC are not.
func TestReadOnly(t *testing.T) {
	for p, want := range map[string]bool{
		configuratorv1connect.ConfiguratorServiceListModelsProcedure: true,
		configuratorv1connect.ConfiguratorServicePropagateProcedure:  true,
		configuratorv1connect.ConfiguratorServiceCompleteProcedure:   true,
		bomv1connect.BOMServiceExplodeProcedure:                      true,
		mrpv1connect.MRPServicePromiseProcedure:                      true,
		mrpv1connect.MRPServiceListPlannedOrdersProcedure:            true,
		mrpv1connect.MRPServiceBackupProcedure:                       true,
		configuratorv1connect.ConfiguratorServicePutModelProcedure:   false,
		bomv1connect.BOMServiceImportProcedure:                       false,
		bomv1connect.BOMServiceResolveProcedure:                      false,
		mrpv1connect.MRPServiceImportPlantProcedure:                  false,
		mrpv1connect.MRPServiceUpsertDemandsProcedure:                false,
		mrpv1connect.MRPServiceFirmOrderProcedure:                    false,
		mrpv1connect.MRPServiceRunProcedure:                          false,
		"/grpc.health.v1.Health/Check":                               false,
		"/nope":                                                      false,
	} {
		if got := server.ReadOnly(p); got != want {
			t.Errorf("ReadOnly(%s) = %v, want %v", p, got, want)
		}
	}
}

// TestIdempotencyLevels: the proto's idempotency levels agree with
// ReadOnly: a read-only call is NO_SIDE_EFFECTS (so Connect clients may
// send it as a GET), every other call IDEMPOTENT (a retry after a lost
// answer stores the same), except ReleaseOrder: once released, its order
// is a receipt and a retry no longer finds the planned order.
func TestIdempotencyLevels(t *testing.T) {
	notIdempotent := map[string]bool{mrpv1connect.MRPServiceReleaseOrderProcedure: true}
	for _, sd := range server.ServiceDescriptors() {
		ms := sd.Methods()
		for i := range ms.Len() {
			md := ms.Get(i)
			proc := "/" + string(sd.FullName()) + "/" + string(md.Name())
			level := md.Options().(*descriptorpb.MethodOptions).GetIdempotencyLevel()
			want := descriptorpb.MethodOptions_IDEMPOTENT
			switch {
			case server.ReadOnly(proc):
				want = descriptorpb.MethodOptions_NO_SIDE_EFFECTS
			case notIdempotent[proc]:
				want = descriptorpb.MethodOptions_IDEMPOTENCY_UNKNOWN
			}
			if level != want {
				t.Errorf("%s: idempotency_level %v, want %v (ReadOnly %v)", proc, level, want, server.ReadOnly(proc))
			}
		}
	}
}

// TestHugePagesOption: the plan store a server is given asks for huge
// pages for its planner, unless Options.NoHugePages.
func TestHugePagesOption(t *testing.T) {
	ctx := context.Background()
	for _, no := range []bool{false, true} {
		db := kv.NewMemory()
		t.Cleanup(func() { db.Close() })
		plan := forkliftPlanStore(t, db)
		opts := server.Options{NoHugePages: no, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
		if _, err := server.NewWithStores(ctx, server.Stores{DB: db, Plan: plan}, opts); err != nil {
			t.Fatal(err)
		}
		if plan.HugePages() == no {
			t.Errorf("NoHugePages %v: the plan's store asks for huge pages: %v", no, plan.HugePages())
		}
	}
}

// forkliftPlanStore writes the forklift plant's plan into db as an
// embedder does (mrp.CreateStore with zero options), planned from
// 2026-12-01.
func forkliftPlanStore(t *testing.T, db kv.DB) *mrp.Store {
	t.Helper()
	ctx := context.Background()
	in, _, err := mrp.LoadDir(ctx, "../testdata/forklift", mrp.LoadOptions{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := mrp.CreateStore(ctx, db, in, mrp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return plan
}
