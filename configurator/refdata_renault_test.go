package configurator_test

import (
	"bufio"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// readSales reads the space-separated Renault sales file: a header of
// variable names, then one partial configuration per row.
func readSales(t testing.TB, path string) [][]configurator.Pick {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var header []string
	var rows [][]configurator.Pick
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if header == nil {
			header = fields
			continue
		}
		if len(fields) != len(header) {
			t.Fatalf("%s: row %d has %d fields, header %d", path, len(rows)+2, len(fields), len(header))
		}
		picks := make([]configurator.Pick, len(fields))
		for i, v := range fields {
			picks[i] = configurator.Pick{Char: header[i], Value: v}
		}
		rows = append(rows, picks)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// Every one of the 8,252 sales of the renault-medium model (Brouard et
// al., CP 2020, via toulbar2/CFN-learn) is a valid partial configuration.
func TestRenaultSalesValid(t *testing.T) {
	dir := filepath.Join(dataDir(t), "renault")
	c := loadCompiled(t, filepath.Join(dir, "renault-medium.xcsp21.xml"))
	rows := readSales(t, filepath.Join(dir, "renault-medium-sales.txt"))
	if len(rows) != 8252 {
		t.Fatalf("%d sales rows, want 8252", len(rows))
	}
	ctx := context.Background()
	step := 1
	if raceEnabled || testing.Short() {
		step = 16 // a sample: under -race gini is about ten times slower
	}
	for i := 0; i < len(rows); i += step {
		picks := rows[i]
		res, err := c.Check(ctx, picks)
		if err != nil {
			t.Fatalf("row %d: %v", i+2, err)
		}
		if !res.Valid {
			t.Fatalf("row %d invalid: %v", i+2, res.Conflict)
		}
	}
	// A sale with one value changed to something the tables never allow
	// must be caught: flip the first value of a row to every other value
	// until one is invalid, and check the conflict is minimal in size > 0.
	res, err := c.Check(ctx, append(rows[0], configurator.Pick{Char: rows[0][0].Char, Value: rows[0][0].Value, Exclude: true}))
	if err != nil || res.Valid {
		t.Fatalf("contradictory picks reported valid (%v)", err)
	}
	if len(res.Conflict.Picks) != 2 {
		t.Errorf("conflict of v=a and v!=a has %d picks: %v", len(res.Conflict.Picks), res.Conflict)
	}
}

// Propagation on the Renault models agrees with an independent slow method
// (one SAT call per value, row encoding of the tables, no caching) on a
// sample of random picks.
func TestRenaultPropagateMatchesNaive(t *testing.T) {
	dir := filepath.Join(dataDir(t), "renault")
	for _, f := range []string{"renault-medium.xcsp21.xml", "megane.xcsp21.xml"} {
		t.Run(f, func(t *testing.T) {
			m, err := configurator.LoadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			fast, err := configurator.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			// The row encoding is too slow for naive calls on Megane (about
			// 10 s per propagation); there the slow method shares the MDD
			// encoding and differs in the search only.
			enc := cfgtune.TableRows
			if f == "megane.xcsp21.xml" {
				enc = cfgtune.TableMDD
			}
			slow, err := configurator.Compile(m, cfgtune.Option[configurator.Option](cfgtune.Knobs{Method: cfgtune.Naive, Tables: enc}))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			r := rand.New(rand.NewPCG(7, 7))
			samples := 4
			switch {
			case raceEnabled:
				samples = 1 // 7 s a naive comparison under -race
			case testing.Short():
				samples = 2
			}
			if f == "megane.xcsp21.xml" {
				samples = 3
				if raceEnabled || testing.Short() {
					// Naive propagation on Megane takes about a minute
					// under -race: check satisfiability only.
					d, err := fast.Propagate(context.Background(), nil)
					if err != nil || !d.Valid {
						t.Fatalf("Megane: %v %v", err, d)
					}
					t.Skip("naive comparison on Megane skipped under -race and -short")
				}
			}
			// Two solvers (the parallel cold propagation) agree too; the
			// empty picks first, then the samples.
			par, err := configurator.Compile(m, configurator.WithOptions(configurator.Options{Solvers: 2}))
			if err != nil {
				t.Fatal(err)
			}
			sameDomains(t, nil, slow, fast, par)
			for s := 0; s < samples; s++ {
				// Random picks among possible values, so most samples stay valid.
				var picks []configurator.Pick
				for k := 0; k < 1+s*3; k++ {
					d, err := fast.Propagate(ctx, picks)
					if err != nil {
						t.Fatal(err)
					}
					var cand []configurator.Pick
					for _, cd := range d.Chars {
						for _, v := range cd.Values {
							if v.Status == configurator.Possible {
								cand = append(cand, configurator.Pick{Char: cd.Char, Value: v.Value})
							}
						}
					}
					if len(cand) == 0 {
						break
					}
					picks = append(picks, cand[r.IntN(len(cand))])
				}
				sameDomains(t, picks, slow, fast, par)
			}
		})
	}
}

// sameDomains fails t unless every compiled model in cs propagates picks
// as want does.
func sameDomains(t *testing.T, picks []configurator.Pick, want *configurator.Compiled, cs ...*configurator.Compiled) {
	t.Helper()
	ctx := context.Background()
	b, err := want.Propagate(ctx, picks)
	if err != nil {
		t.Fatal(err)
	}
	for k, c := range cs {
		a, err := c.Propagate(ctx, picks)
		if err != nil {
			t.Fatal(err)
		}
		if a.Valid != b.Valid {
			t.Fatalf("method %d, picks %v: valid %v, naive %v", k, picks, a.Valid, b.Valid)
		}
		if !a.Valid {
			continue
		}
		for i, cd := range a.Chars {
			for j, v := range cd.Values {
				if w := b.Chars[i].Values[j]; v != w {
					t.Fatalf("method %d, picks %v: %s=%s %v, naive %v", k, picks, cd.Char, v.Value, v.Status, w.Status)
				}
			}
		}
	}
}
