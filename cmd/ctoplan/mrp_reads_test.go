package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
)

// TestPlantReadsOnePath: pegging, exceptions, record and atp print the
// same bytes offline on a --store (mrp.BOMPlan in this process) as a
// server serving that store, and offline on --data as on the --store the
// same data was planned into (csv: JSON carries the plan revision, which
// the two stores need not share).
func TestPlantReadsOnePath(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "forklift")
	store := filepath.Join(t.TempDir(), "store")
	if _, _, err := runCmd(t, newMRPRunCmd(), "--data", dir, "--date", "2026-12-01", "--store", store, "--format", "csv"); err != nil {
		t.Fatal(err)
	}
	// a planned order of the first sales order's tree, for pegging --order
	pegs, _, err := runCmd(t, newMRPCmd(), "pegging", "SO-26-1187", "--store", store, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	var order string
	for _, row := range strings.Split(pegs, "\n") {
		if f := strings.Split(row, ","); len(f) == 8 && f[3] == "planned" {
			order = f[2]
			break
		}
	}
	if order == "" {
		t.Fatalf("no planned order in the supply tree of SO-26-1187:\n%s", pegs)
	}
	// its first two levels: the whole tree's rows of levels 0 and 1, with
	// a column saying which of level 1 have rows below them
	two, _, err := runCmd(t, newMRPCmd(), "pegging", "SO-26-1187", "--levels", "2", "--store", store, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Split(strings.TrimSpace(pegs), "\n")
	want := []string{all[0] + ",cut"}
	for k := 1; k < len(all); k++ {
		level := func(row string) int {
			n, err := strconv.Atoi(strings.SplitN(row, ",", 2)[0])
			if err != nil {
				t.Fatalf("pegging row %q: %v", row, err)
			}
			return n
		}
		lv := level(all[k])
		below := k+1 < len(all) && level(all[k+1]) > lv
		if lv < 2 {
			want = append(want, all[k]+","+strconv.FormatBool(lv == 1 && below))
		}
	}
	if got := strings.TrimSpace(two); got != strings.Join(want, "\n") || !strings.Contains(got, ",true") {
		t.Errorf("pegging --levels 2:\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
	if _, _, err := runCmd(t, newMRPCmd(), "pegging", "SO-26-1187", "--levels", "-1", "--store", store); err == nil || !strings.Contains(err.Error(), "--levels") {
		t.Errorf("pegging --levels -1: %v, want a usage error naming --levels", err)
	}
	url, stop := serveFor(t, "--store", store)
	storeCopy := filepath.Join(t.TempDir(), "copy")
	if _, _, err := runCmd(t, newMRPRunCmd(), "--data", dir, "--date", "2026-12-01", "--store", storeCopy, "--format", "csv"); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if log, err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, log)
		}
	}()
	for _, args := range [][]string{
		{"pegging", "SO-26-1187"},
		{"pegging", "SO-26-1187", "--format", "json"},
		{"pegging", "--order", order, "--format", "csv"},
		{"pegging", "SO-26-1187", "--levels", "2", "--format", "csv"},
		{"exceptions", "--format", "csv"},
		{"exceptions", "--item", "OIL-HEES46", "--format", "json"},
		{"record", "HARN-BATT-48", "--format", "csv"},
		{"record", "HARN-BATT-48", "--format", "json"},
		{"atp", "HARN-BATT-48", "--qty", "3", "--want", "2026-12-10", "--format", "csv"},
		{"atp", "FL-TRUCK", "--qty", "2", "--want", "2027-02-01", "--pick", "capacity=t25", "--pick", "mast=triplex", "--format", "json"},
	} {
		want, _, err := runCmd(t, newMRPCmd(), append(args, "--store", storeCopy)...)
		if err != nil || strings.Count(want, "\n") < 2 {
			t.Fatalf("%v --store: %v\n%s", args, err, want)
		}
		got, _, err := runCmd(t, newMRPCmd(), append(args, "--server", url)...)
		if err != nil {
			t.Fatalf("%v --server: %v", args, err)
		}
		if got != want {
			t.Errorf("%v: --server printed\n%s\n--store printed\n%s", args, got, want)
		}
		if !strings.Contains(strings.Join(args, " "), "csv") {
			continue
		}
		data, _, err := runCmd(t, newMRPCmd(), append(args, "--data", dir, "--date", "2026-12-01")...)
		if err != nil {
			t.Fatalf("%v --data: %v", args, err)
		}
		if data != want {
			t.Errorf("%v: --data printed\n%s\n--store printed\n%s", args, data, want)
		}
	}
}

// TestPlantWritesOnePath: the same writes (stock, receipt, configured
// demand, firm, release, then deletes and unfirm) offline on one --store
// and through a server serving a copy print the same net changes (but for
// elapsed_ms) and leave the same plan behind.
func TestPlantWritesOnePath(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "forklift")
	local, served := filepath.Join(t.TempDir(), "local"), filepath.Join(t.TempDir(), "served")
	for _, st := range []string{local, served} {
		if _, _, err := runCmd(t, newMRPRunCmd(), "--data", dir, "--date", "2026-12-01", "--store", st, "--format", "csv"); err != nil {
			t.Fatal(err)
		}
	}
	pegs, _, err := runCmd(t, newMRPCmd(), "pegging", "SO-26-1187", "--store", local, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	var orders []string
	for _, row := range strings.Split(pegs, "\n") {
		if f := strings.Split(row, ","); len(f) == 8 && f[3] == "planned" {
			orders = append(orders, f[2])
		}
	}
	if len(orders) < 2 {
		t.Fatalf("fewer than two planned orders in the supply tree of SO-26-1187:\n%s", pegs)
	}
	url, stop := serveFor(t, "--store", served)
	defer func() {
		if log, err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, log)
		}
	}()
	// dropElapsed blanks the elapsed_ms column of a net change's csv
	dropElapsed := func(out string) string {
		rows := strings.Split(out, "\n")
		for i, r := range rows {
			if f := strings.Split(r, ","); len(f) == 7 {
				f[5] = ""
				rows[i] = strings.Join(f, ",")
			}
		}
		return strings.Join(rows, "\n")
	}
	for _, args := range [][]string{
		{"stock", "HARN-BATT-48=7", "--counts-only"},
		{"receipt", "PO-X", "--item", "HARN-BATT-48", "--qty", "5", "--due", "2027-01-10", "--kind", "production"},
		{"demand", "SO-X", "--item", "FL-TRUCK", "--qty", "1", "--due", "2027-03-01", "--pick", "capacity=t25", "--pick", "mast=triplex"},
		{"release", orders[len(orders)-1], "--counts-only"},
		{"firm", orders[0], "--due", "2027-02-15"},
		{"receipt", "PO-X", "--delete"},
		{"demand", "SO-X", "--delete"},
		{"firm", orders[0], "--unfirm"},
	} {
		args := append(args, "--format", "csv")
		want, wantErr, err := runCmd(t, newMRPCmd(), append(args, "--store", local)...)
		if err != nil || strings.Count(want, "\n") != 2 {
			t.Fatalf("%v --store: %v\n%s%s", args, err, want, wantErr)
		}
		got, gotErr, err := runCmd(t, newMRPCmd(), append(args, "--server", url)...)
		if err != nil {
			t.Fatalf("%v --server: %v", args, err)
		}
		// a net change's row: touched, changed, ..., touched_items
		row := strings.Split(strings.Split(want, "\n")[1], ",")
		if n, err := strconv.Atoi(row[0]); err != nil || n == 0 {
			t.Errorf("%v: touched %q", args, row[0])
		} else if counts := slices.Contains(args, "--counts-only"); counts != (row[len(row)-1] == "") {
			t.Errorf("%v: touched_items %q", args, row[len(row)-1])
		}
		if dropElapsed(got) != dropElapsed(want) || gotErr != wantErr {
			t.Errorf("%v: --server printed\n%s%s\n--store printed\n%s%s", args, got, gotErr, want, wantErr)
		}
	}
	for _, args := range [][]string{{"exceptions"}, {"pegging", "SO-26-1187"}, {"record", "HARN-BATT-48"}} {
		args := append(args, "--format", "csv")
		want, _, err := runCmd(t, newMRPCmd(), append(args, "--store", local)...)
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := runCmd(t, newMRPCmd(), append(args, "--server", url)...)
		if err != nil || got != want {
			t.Errorf("%v after the writes: --server (%v) printed\n%s\n--store printed\n%s", args, err, got, want)
		}
	}
}

// TestMRPRunOnePath: mrp run on a stored plant (replanned first), with
// --item, --demand and --format json, prints the same bytes offline on a
// --store as through a server serving a copy, and --data with a filter
// prints what the --store does.
func TestMRPRunOnePath(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "forklift")
	local, served := filepath.Join(t.TempDir(), "local"), filepath.Join(t.TempDir(), "served")
	for _, st := range []string{local, served} {
		if _, _, err := runCmd(t, newMRPRunCmd(), "--data", dir, "--date", "2026-12-01", "--store", st, "--format", "csv"); err != nil {
			t.Fatal(err)
		}
	}
	url, stop := serveFor(t, "--store", served)
	defer func() {
		if log, err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, log)
		}
	}()
	for _, args := range [][]string{
		{"--format", "csv"},
		{"--format", "json", "--demand", "SO-26-1187"},
		{"--format", "csv", "--item", "HARN-BATT-48"},
		{"--format", "table", "--no-pegging", "--date", "2026-12-02"},
		{"--format", "csv", "--date", "2026-12-01"},
	} {
		want, _, err := runCmd(t, newMRPRunCmd(), append(args, "--store", local)...)
		if err != nil || strings.Count(want, "\n") < 2 {
			t.Fatalf("%v --store: %v\n%s", args, err, want)
		}
		got, _, err := runCmd(t, newMRPRunCmd(), append(args, "--server", url)...)
		if err != nil {
			t.Fatalf("%v --server: %v", args, err)
		}
		if got != want {
			t.Errorf("%v: --server printed\n%s\n--store printed\n%s", args, got, want)
		}
	}
	want, _, err := runCmd(t, newMRPRunCmd(), "--store", local, "--format", "json", "--demand", "SO-26-1187")
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := runCmd(t, newMRPRunCmd(), "--data", dir, "--date", "2026-12-01", "--format", "json", "--demand", "SO-26-1187")
	if err != nil || got != want {
		t.Errorf("--data (%v) printed\n%s\n--store printed\n%s", err, got, want)
	}
}

// TestMRPRunStoreListing: the whole listing of a stored plan, which mrp
// run writes from the planner as it goes (csv and table as --data does,
// json in pieces of jsonChunkItems items made on all cores), prints the
// bytes the service's records print through a server serving a copy of
// the store: on a generated plant of several pieces, with and without
// pegging, and on a plan without orders.
func TestMRPRunStoreListing(t *testing.T) {
	c := plantgen.Default(300)
	c.Demands = 400
	if raceEnabled {
		c = plantgen.Default(80)
		c.Demands, c.Days = 60, 120 // still over 1,000 orders: 23 -> 5 s
	}
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	gen := t.TempDir()
	if err := plantgen.WriteCSV(gen, in); err != nil {
		t.Fatal(err)
	}
	// no demands: no orders (stock only)
	empty := writeFiles(t, tinyPlant(), nil)
	if err := os.WriteFile(filepath.Join(empty, "demands.csv"), []byte("id,item,qty,due_date\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ dir, date string }{{gen, c.Start.Format(time.DateOnly)}, {empty, "2026-12-01"}} {
		local, served := filepath.Join(t.TempDir(), "local"), filepath.Join(t.TempDir(), "served")
		for _, st := range []string{local, served} {
			if _, errOut, err := runCmd(t, newMRPRunCmd(), "--data", tc.dir, "--date", tc.date, "--store", st, "--format", "csv"); err != nil {
				t.Fatalf("%s: %v\n%s", tc.dir, err, errOut)
			}
		}
		url, stop := serveFor(t, "--store", served)
		for _, args := range [][]string{
			{"--format", "json"}, {"--format", "json", "--no-pegging"}, {"--format", "csv"}, {"--format", "table"},
		} {
			// the same date as the store's: replanning changes nothing
			args = append(args, "--date", tc.date)
			want, _, err := runCmd(t, newMRPRunCmd(), append(args, "--server", url)...)
			if err != nil {
				t.Fatalf("%v --server: %v", args, err)
			}
			got, _, err := runCmd(t, newMRPRunCmd(), append(args, "--store", local)...)
			if err != nil {
				t.Fatalf("%v --store: %v", args, err)
			}
			if got != want {
				t.Errorf("%s %v: --store printed\n%s\n--server printed\n%s", tc.dir, args, head(got, 12), head(want, 12))
			}
			orders := strings.Count(got, "\n") - 2
			if tc.dir == empty && args[1] == "json" && got != "[]\n" {
				t.Errorf("no orders: --store printed %q", got)
			}
			if tc.dir == gen && orders < 1000 {
				t.Errorf("%v: %d lines", args, orders)
			}
		}
		if log, err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, log)
		}
	}
}

// TestPeggingTooLarge: a plant whose supply tree doubles at every level
// (A_k and B_k each made of A_{k+1} and B_{k+1}, 20 levels below the
// sold item: 2^21 - 1 nodes) is refused whole, offline and from a server,
// with the flag that lists its first levels; with --levels 3 it lists
// 1 + 2 + 4 nodes, the 4 of the last level cut.
func TestPeggingTooLarge(t *testing.T) {
	items, bom := plantgen.LadderCSV(20)
	dir := writeFiles(t, map[string]string{
		"items.csv":   items,
		"bom.csv":     bom,
		"demands.csv": "id,item,qty,due_date\nD,A0,2,2026-12-10\n",
	}, nil)
	store := filepath.Join(t.TempDir(), "store")
	if _, errOut, err := runCmd(t, newMRPRunCmd(), "--data", dir, "--date", "2026-12-01", "--store", store, "--format", "csv"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	url, stop := serveFor(t, "--store", store)
	defer func() {
		if log, err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, log)
		}
	}()
	for _, where := range [][]string{{"--data", dir, "--date", "2026-12-01"}, {"--server", url}} {
		_, _, err := runCmd(t, newMRPCmd(), append([]string{"pegging", "D"}, where...)...)
		if err == nil || !strings.Contains(err.Error(), "--levels") || !strings.Contains(err.Error(), "too large") {
			t.Errorf("%v: %v, want the tree refused as too large, naming --levels", where, err)
		}
		out, _, err := runCmd(t, newMRPCmd(), append([]string{"pegging", "D", "--levels", "3", "--format", "csv"}, where...)...)
		if err != nil {
			t.Fatalf("%v --levels 3: %v", where, err)
		}
		rows := strings.Split(strings.TrimSpace(out), "\n")
		var cut, last int
		for _, r := range rows[1:] {
			if strings.HasPrefix(r, "2,") {
				last++
			}
			if strings.HasSuffix(r, ",true") {
				cut++
			}
		}
		if len(rows) != 8 || last != 4 || cut != 4 {
			t.Errorf("%v --levels 3: %d rows, %d on level 2, %d cut; want 1+7, 4, 4:\n%s", where, len(rows), last, cut, out)
		}
	}
}
