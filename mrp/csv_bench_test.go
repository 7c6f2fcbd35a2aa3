package mrp_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// BenchmarkReadPlant reads (and checks) the plant files of issue 12's
// plants: the 50,000-item plant's 100,000 sales-order lines alone
// ("demands"), and the stock, demands and receipts of the 10,000-item
// plant with 10,000 lines and of the 50,000-item one with 100,000
// ("dir", as mrp run reads them).
func BenchmarkReadPlant(b *testing.B) {
	for _, pc := range []struct{ items, demands int }{{10000, 10000}, {50000, 100000}} {
		in, err := plantgen.Generate(plantgen.Light(pc.items, pc.demands))
		if err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		if err := plantgen.WriteCSV(dir, in); err != nil {
			b.Fatal(err)
		}
		files := map[string][]byte{}
		var size int64
		for _, f := range []string{mrp.StockFile, mrp.DemandsFile, mrp.ReceiptsFile} {
			data, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				b.Fatal(err)
			}
			files[f] = data
			size += int64(len(data))
		}
		name := fmt.Sprintf("items=%d-demands=%d", pc.items, pc.demands)
		if pc.items == 50000 {
			b.Run("demands", func(b *testing.B) {
				data := files[mrp.DemandsFile]
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				c0 := cpuTime()
				for b.Loop() {
					ds, _, _, err := mrp.ReadDemands(mrp.DemandsFile, bytes.NewReader(data))
					if err != nil || len(ds) != 100000 {
						b.Fatal(len(ds), err)
					}
				}
				b.ReportMetric(100000/(b.Elapsed().Seconds()/float64(b.N)), "rows/s")
				reportCPU(b, c0, len(data))
			})
		}
		b.Run("dir-"+name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			c0 := cpuTime()
			for b.Loop() {
				if _, err := mrp.ReadPlantAs(dir, dir); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, c0, int(size))
		})
	}
}

// reportCPU reports the CPU time per op and the MB/s it gives (the shared
// machine's wall-clock MB/s understate it).
func reportCPU(b *testing.B, c0 time.Duration, bytes int) {
	cpu := (cpuTime() - c0).Seconds() / float64(b.N)
	b.ReportMetric(cpu*1e3, "cpu-ms/op")
	if cpu > 0 {
		b.ReportMetric(float64(bytes)/1e6/cpu, "cpu-MB/s")
	}
}
