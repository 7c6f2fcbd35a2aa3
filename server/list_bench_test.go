package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/internal/wirecodec"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// countingTransport counts the response body bytes read through it.
type countingTransport struct {
	base http.RoundTripper
	n    atomic.Int64
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &t.n}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	k, err := b.ReadCloser.Read(p)
	b.n.Add(int64(k))
	return k, err
}

// BenchmarkListPlannedOrdersRPC lists the forklift plan's planned orders
// over Connect JSON: whole (the unpaged stream) and its first page of 100
// orders, with pegging, uncompressed and gzipped (Connect's default when
// the client accepts it); resp-bytes/op is the answer's size on the wire,
// orders/op the orders in it.
func BenchmarkListPlannedOrdersRPC(b *testing.B) {
	e := forkliftEnv(b, kv.NewMemory())
	defer e.stop()
	ct := &countingTransport{base: e.hc.Transport}
	if ct.base == nil {
		ct.base = http.DefaultTransport
	}
	gzip := mrpv1connect.NewMRPServiceClient(&http.Client{Transport: ct}, e.url,
		connect.WithProtoJSON(), connect.WithInterceptors(bearer(e.token)))
	plain := mrpv1connect.NewMRPServiceClient(&http.Client{Transport: ct}, e.url,
		connect.WithProtoJSON(), connect.WithInterceptors(bearer(e.token)), connect.WithAcceptCompression("gzip", nil, nil))
	for _, run := range []struct {
		name string
		size int32
		c    mrpv1connect.MRPServiceClient
	}{{"all", 0, plain}, {"page100", 100, plain}, {"all-gzip", 0, gzip}, {"page100-gzip", 100, gzip}} {
		c, size := run.c, run.size
		b.Run(run.name, func(b *testing.B) {
			ct.n.Store(0)
			orders := 0
			b.ReportAllocs()
			for b.Loop() {
				orders += listAll(b, c, &mrpv1.ListPlannedOrdersRequest{PageSize: size, WithPegging: true})
			}
			b.ReportMetric(float64(ct.n.Load())/float64(b.N), "resp-bytes/op")
			b.ReportMetric(float64(orders)/float64(b.N), "orders/op")
		})
	}
}

// BenchmarkListPlannedOrdersPlant lists every planned order of a
// generated plant of 2,000 items (light: fan-out 2-4, 2,000 sales-order
// lines; default: fan-out 4-12, lot sizing, 4,000 lines, up to 10
// demands an order's pegging lists) with pegging over Connect's binary
// protocol, gzipped as the CLI asks for it of a server on another machine,
// decoded by the CLI's codec and gzip (wirecodec): the whole-list stream that mrp
// run --server reads. orders/s is the rate over the whole call, the
// client's decoding included.
func BenchmarkListPlannedOrdersPlant(b *testing.B) {
	for _, plant := range []string{"light", "default"} {
		b.Run("plant="+plant+"-2000", func(b *testing.B) {
			c := plantgen.Light(2000, 2000)
			if plant == "default" {
				c = plantgen.Default(2000)
			}
			in, err := plantgen.Generate(c)
			if err != nil {
				b.Fatal(err)
			}
			db := kv.NewMemory()
			if _, err := mrp.CreateStore(context.Background(), db, in, mrp.DefaultOptions()); err != nil {
				b.Fatal(err)
			}
			e := startOn(&testing.T{}, db, true)
			defer e.stop()
			cl := mrpv1connect.NewMRPServiceClient(e.hc, e.url, connect.WithInterceptors(bearer(e.token)),
				connect.WithCodec(wirecodec.Proto{}),
				connect.WithAcceptCompression(wirecodec.Gzip.Name, wirecodec.Gzip.Decompressor, wirecodec.Gzip.Compressor))
			orders := 0
			b.ReportAllocs()
			for b.Loop() {
				orders += listAll(b, cl, &mrpv1.ListPlannedOrdersRequest{WithPegging: true})
			}
			b.ReportMetric(float64(orders)/b.Elapsed().Seconds(), "orders/s")
			b.ReportMetric(float64(orders)/float64(b.N), "orders/op")
		})
	}
}

// listAll reads the whole answer to req and returns how many orders it
// held.
func listAll(b *testing.B, c mrpv1connect.MRPServiceClient, req *mrpv1.ListPlannedOrdersRequest) int {
	s, err := c.ListPlannedOrders(context.Background(), connect.NewRequest(req))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n := 0
	for s.Receive() {
		n += len(s.Msg().GetOrders())
	}
	if err := s.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}

// plantServer starts a server with a generated 10,000-item default
// plant (20,000 lines) imported as a user would: master data, then the
// plant.
func plantServer(b *testing.B, items int) (*env, *mrp.Input) {
	cfg := plantgen.Default(items)
	in, err := plantgen.Generate(cfg)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := plantgen.WriteCSV(dir, in); err != nil {
		b.Fatal(err)
	}
	read := func(name string) string {
		s, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		return string(s)
	}
	// imported as a user would: master data, then the plant
	e := startOn(&testing.T{}, kv.NewMemory(), true)
	b.Cleanup(func() { e.stop() })
	ctx := context.Background()
	var master []*bomv1.CSVFile
	for _, f := range []string{"items.csv", "bom.csv", "routings.csv", "workcenters.csv"} {
		master = append(master, &bomv1.CSVFile{Name: f, Text: read(f)})
	}
	if _, err := e.bom(protocols[1]).Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: master})); err != nil {
		b.Fatal(err)
	}
	var plant []*mrpv1.CSVFile
	for _, f := range []string{"stock.csv", "demands.csv", "receipts.csv"} {
		plant = append(plant, &mrpv1.CSVFile{Name: f, Text: read(f)})
	}
	if _, err := e.mrp(protocols[1]).ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: plant, Date: cfg.Start.Format(time.DateOnly)})); err != nil {
		b.Fatal(err)
	}
	return e, in
}

// BenchmarkUpsertDemandRPCPlant: one sales-order line changed over
// Connect's binary protocol on a generated default plant of 10,000 and
// 50,000 items (2 lines an item): the net change, its journal entry and
// the answer (the touched and changed items, the plan's order and
// exception counts: the late demands searched again where the change
// reached). counts-only asks for the counts of the touched and changed
// items without their IDs. ms/write-p50 is the median call;
// resp-bytes/op the answer's size.
func BenchmarkUpsertDemandRPCPlant(b *testing.B) {
	for _, n := range []int{10000, 50000} {
		for _, counts := range []bool{false, true} {
			name := fmt.Sprintf("items=%d", n)
			if counts {
				name += "/counts-only"
			}
			b.Run(name, func(b *testing.B) {
				e, in := plantServer(b, n)
				ctx := context.Background()
				c, ct := countingMRP(e)
				var lat []time.Duration
				k := 0
				for b.Loop() {
					d := in.Demands[(k*7919)%len(in.Demands)]
					k++
					t0 := time.Now()
					if _, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{
						Id: d.ID, Item: d.Item, Qty: float64(d.Qty + int64(k%3)), DueDate: d.Due.Format(time.DateOnly)}}, CountsOnly: counts})); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t0))
				}
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms/write-p50")
				b.ReportMetric(float64(ct.n.Load())/float64(b.N), "resp-bytes/op")
			})
		}
	}
}

// BenchmarkPromiseAfterWrite is a quoting tool's flow on the generated
// 10,000-item default plant: a sales-order line changed, then, think
// seconds later, a capable-to-promise quote (on the capacity the plan's
// finite schedule leaves free). The schedule of each plan version is made
// in the background once the plan is quiet (schedwarm.go); before that,
// every quote after a change waited for it (2.1 s). ms/promise-p50 is the
// median quote.
func BenchmarkPromiseAfterWrite(b *testing.B) {
	const think = 4 * time.Second
	e, in := plantServer(b, 10000)
	ctx := context.Background()
	c := mrpv1connect.NewMRPServiceClient(e.hc, e.url, connect.WithInterceptors(bearer(e.token)))
	q := in.Demands[1]
	quote := &mrpv1.PromiseRequest{Item: q.Item, Qty: 5, Date: q.Due.Format(time.DateOnly)}
	if _, err := c.Promise(ctx, connect.NewRequest(quote)); err != nil { // schedules are read
		b.Fatal(err)
	}
	var lat []time.Duration
	k := 0
	for b.Loop() {
		d := in.Demands[(k*7919)%len(in.Demands)]
		k++
		if _, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{
			Id: d.ID, Item: d.Item, Qty: float64(d.Qty + int64(k%3)), DueDate: d.Due.Format(time.DateOnly)}}})); err != nil {
			b.Fatal(err)
		}
		time.Sleep(think)
		t0 := time.Now()
		if _, err := c.Promise(ctx, connect.NewRequest(quote)); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms/promise-p50")
}

// BenchmarkPegDemandRPCPlant: a sales order's supply tree over Connect's
// binary protocol on a generated default plant of 10,000 and 50,000 items,
// whole and its first three levels (PegDemandRequest.levels): the tree,
// its nodes made messages (item, supply and parent IDs, dates) and
// streamed in batches. ms/peg-p50 is the median call, nodes/op the tree's
// size, resp-bytes/op the answer's.
func BenchmarkPegDemandRPCPlant(b *testing.B) {
	for _, n := range []int{10000, 50000} {
		for _, levels := range []int32{0, 3} {
			b.Run(fmt.Sprintf("items=%d/levels=%d", n, levels), func(b *testing.B) {
				e, in := plantServer(b, n)
				ctx := context.Background()
				c, ct := countingMRP(e)
				var lat []time.Duration
				nodes, k := 0, 0
				for b.Loop() {
					d := in.Demands[(k*7919)%len(in.Demands)]
					k++
					t0 := time.Now()
					s, err := c.PegDemand(ctx, connect.NewRequest(&mrpv1.PegDemandRequest{Demand: d.ID, Levels: levels}))
					if err != nil {
						b.Fatal(err)
					}
					for s.Receive() {
						nodes += len(s.Msg().GetPegs())
					}
					if err := s.Err(); err != nil {
						b.Fatal(err)
					}
					s.Close()
					lat = append(lat, time.Since(t0))
				}
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms/peg-p50")
				b.ReportMetric(float64(nodes)/float64(b.N), "nodes/op")
				b.ReportMetric(float64(ct.n.Load())/float64(b.N), "resp-bytes/op")
			})
		}
	}
}

// countingMRP is an MRP client of e that counts the bytes of the answers
// it reads.
func countingMRP(e *env) (mrpv1connect.MRPServiceClient, *countingTransport) {
	ct := &countingTransport{base: e.hc.Transport}
	if ct.base == nil {
		ct.base = http.DefaultTransport
	}
	return mrpv1connect.NewMRPServiceClient(&http.Client{Transport: ct}, e.url, connect.WithInterceptors(bearer(e.token))), ct
}
