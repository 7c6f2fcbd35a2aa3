package configurator_test

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/configurator"
)

// kconfigLikeDIMACS writes a random feature model in DIMACS of the shape
// of the KConfig models in ../shared/data (uClibc, Freetz): vars
// features named by "c <i> CONFIG_F<i>" comments, a tree (each feature
// implies its parent), choice groups (siblings exclude each other and the
// parent needs one of them), and up to clauses clauses in all, the rest
// random "depends on" implications (-a b), exclusions (-a -b), "depends
// on b || c" (-a b c) and a few long dependency disjunctions. Every clause
// has a negative literal, so all-false satisfies the model.
func kconfigLikeDIMACS(vars, clauses int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 14))
	var cls [][]int
	parent := make([]int, vars+1)
	for i := 2; i <= vars; i++ {
		parent[i] = 1 + r.IntN(i-1)
		cls = append(cls, []int{-i, parent[i]})
	}
	for len(cls) < clauses/10 {
		k := 2 + r.IntN(5)
		p := 1 + r.IntN(vars)
		g := []int{-p}
		for range k {
			g = append(g, 1+r.IntN(vars))
		}
		cls = append(cls, g)
		for a := 1; a < len(g); a++ {
			for b := a + 1; b < len(g); b++ {
				cls = append(cls, []int{-g[a], -g[b]})
			}
		}
	}
	for len(cls) < clauses {
		a, b, c := 1+r.IntN(vars), 1+r.IntN(vars), 1+r.IntN(vars)
		switch x := r.IntN(20); {
		case x < 10:
			cls = append(cls, []int{-a, b})
		case x < 15:
			cls = append(cls, []int{-a, -b})
		case x < 19:
			cls = append(cls, []int{-a, b, c})
		default:
			cl := []int{-a}
			for range 3 + r.IntN(8) {
				cl = append(cl, 1+r.IntN(vars))
			}
			cls = append(cls, cl)
		}
	}
	var buf []byte
	for i := 1; i <= vars; i++ {
		buf = append(buf, "c "...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, " CONFIG_F"...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, '\n')
	}
	buf = append(buf, "p cnf "...)
	buf = strconv.AppendInt(buf, int64(vars), 10)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, int64(len(cls)), 10)
	buf = append(buf, '\n')
	for _, cl := range cls {
		for _, l := range cl {
			buf = strconv.AppendInt(buf, int64(l), 10)
			buf = append(buf, ' ')
		}
		buf = append(buf, "0\n"...)
	}
	return buf
}

// BenchmarkCompileLarge measures what issue 14 bounds for large models,
// in process CPU time:
//   - kconfig-14k-238k: a generated KConfig-like model of the size of the
//     issue's industrial automotive model (14k features, 238k clauses;
//     unseen data, so generated: kconfigLikeDIMACS), read from memory
//     ("load", cpu-MB/s) and compiled ("compile", target <= 100 ms);
//   - freetz: LoadFile + Compile of Freetz (2.7 MB DIMACS), target
//     <= 100 ms.
func BenchmarkCompileLarge(b *testing.B) {
	src := kconfigLikeDIMACS(14000, 238000, 1)
	b.Run("kconfig-14k-238k/load", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		cpu := cpuLoop(b, func() {
			if _, err := configurator.ReadDIMACS("big.dimacs", bytes.NewReader(src)); err != nil {
				b.Fatal(err)
			}
		})
		b.ReportMetric(float64(len(src))*float64(b.N)/1e6/cpu.Seconds(), "cpu-MB/s")
	})
	b.Run("kconfig-14k-238k/compile", func(b *testing.B) {
		m, err := configurator.ReadDIMACS("big.dimacs", bytes.NewReader(src))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		cpu := cpuLoop(b, func() {
			if _, err := configurator.Compile(m); err != nil {
				b.Fatal(err)
			}
		})
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/compile")
		b.ReportMetric(float64(len(m.Rules))*float64(b.N)/cpu.Seconds(), "clauses/s")
	})
	b.Run("freetz/load+compile", func(b *testing.B) {
		path := filepath.Join(dataDir(b), "featuremodels", "freetz_Berger2013.dimacs")
		b.ReportAllocs()
		cpu := cpuLoop(b, func() {
			m, err := configurator.LoadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := configurator.Compile(m); err != nil {
				b.Fatal(err)
			}
		})
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	})
}

// cpuLoop runs f in b.Loop and returns the process CPU time it took (all
// of it, the collector's included).
func cpuLoop(b *testing.B, f func()) time.Duration {
	c0, ok := processCPU()
	for b.Loop() {
		f()
	}
	c1, _ := processCPU()
	if !ok || c1 <= c0 {
		return b.Elapsed()
	}
	return c1 - c0
}
