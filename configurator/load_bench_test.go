package configurator_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

// BenchmarkLoad reads each model format from memory (parse and validate,
// no compile): DIMACS (Freetz, 2.7 MB; uClibc and FreeBSD, 0.4-0.5 MB), XCSP (Renault Megane, 2.8 MB),
// FeatureIDE (a generated model of 30,000 features, 1.7 MB), UVL (a random tree of 30,000
// features, 0-3 constraints) and
// the .ctm language (a generated model). MB/s is wall time; cpu-MB/s is
// process CPU time (the figure that holds on a shared machine). Targets of
// issue 14: DIMACS >= 50 MB/s, XCSP and .ctm >= 20 MB/s.
func BenchmarkLoad(b *testing.B) {
	read := func(p string) []byte {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		return src
	}
	cases := []struct {
		name string
		src  func() []byte
		load func(src []byte) (*configurator.Model, error)
	}{
		{"dimacs/freetz", func() []byte { return read(filepath.Join(dataDir(b), "featuremodels", "freetz_Berger2013.dimacs")) },
			func(src []byte) (*configurator.Model, error) {
				return configurator.ReadDIMACS("freetz.dimacs", bytes.NewReader(src))
			}},
		{"dimacs/uclibc", func() []byte {
			return read(filepath.Join(dataDir(b), "featuremodels", "uClibc-0.9.33.2_Oh2020.dimacs"))
		},
			func(src []byte) (*configurator.Model, error) {
				return configurator.ReadDIMACS("uclibc.dimacs", bytes.NewReader(src))
			}},
		{"dimacs/freebsd", func() []byte {
			return read(filepath.Join(dataDir(b), "featuremodels", "freebsd-8.0.0_AlHajjaji2019.dimacs"))
		},
			func(src []byte) (*configurator.Model, error) {
				return configurator.ReadDIMACS("freebsd.dimacs", bytes.NewReader(src))
			}},
		{"xcsp/megane", func() []byte { return read(filepath.Join(dataDir(b), "renault", "megane.xcsp21.xml")) },
			func(src []byte) (*configurator.Model, error) {
				return configurator.ReadXCSP("megane.xml", bytes.NewReader(src))
			}},
		{"featureide/generated", bigFeatureIDE,
			func(src []byte) (*configurator.Model, error) {
				return configurator.ReadFeatureIDE("big.xml", bytes.NewReader(src))
			}},
		{"uvl/generated", func() []byte {
			_, _, _, doc := randFM(rand.New(rand.NewPCG(5, 30000)), 30000, true)
			return []byte(doc)
		},
			func(src []byte) (*configurator.Model, error) {
				return configurator.ReadUVL("big.uvl", bytes.NewReader(src))
			}},
		{"ctm/big", func() []byte { return bigModelSource(b) },
			func(src []byte) (*configurator.Model, error) { return configurator.Parse("big.ctm", src) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			src := c.src()
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			cpu0, ok := processCPU()
			for b.Loop() {
				if _, err := c.load(src); err != nil {
					b.Fatal(err)
				}
			}
			if cpu1, _ := processCPU(); ok && cpu1 > cpu0 {
				b.ReportMetric(float64(len(src))*float64(b.N)/1e6/(cpu1-cpu0).Seconds(), "cpu-MB/s")
			}
		})
	}
}
