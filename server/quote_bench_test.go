package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"connectrpc.com/connect"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
)

// BenchmarkPromiseNewConfig: anonymous Promises of forklift configurations
// over Connect (binary), each (lift height, fork length, battery) new to the
// store: the variant is resolved in memory, its nodes join the plan until
// MaxQuoteItems (default) makes a rebuild drop them. cpu-ms/quote is the
// CPU of the whole process (client included), rebuilds included.
func BenchmarkPromiseNewConfig(b *testing.B) {
	const dir = "../testdata/forklift"
	read := func(name string) string {
		s, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		return string(s)
	}
	e := start(&testing.T{})
	defer e.stop()
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
	c := mrpv1connect.NewMRPServiceClient(e.hc, e.url)
	var configs [][]*configuratorv1.Pick
	for lh := 2000; lh <= 7500; lh += 500 {
		for fl := 900; fl <= 2400; fl += 100 {
			for ah := 200; ah <= 1000; ah += 100 {
				configs = append(configs, []*configuratorv1.Pick{pick("capacity", "t30"),
					pick("lift_height", strconv.Itoa(lh)), pick("fork_length", strconv.Itoa(fl)), pick("battery_ah", strconv.Itoa(ah))})
			}
		}
	}
	b.ReportAllocs()
	cpu0 := cpuTime()
	i, failed := 0, 0
	for b.Loop() {
		_, err := c.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "FL-TRUCK", Qty: 5, Picks: configs[i%len(configs)]}))
		if err != nil {
			if connect.CodeOf(err) != connect.CodeFailedPrecondition {
				b.Fatal(err)
			}
			failed++ // a combination the model's rules exclude
		}
		i++
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/quote")
	b.ReportMetric(float64(failed)/float64(b.N), "excluded-frac")
}
