package main

import (
	"encoding/csv"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
)

// tinyPlant adds plant data to tinyFiles: ten triplex trucks, five
// service chains, steel on hand, an open chain purchase order.
func tinyPlant() map[string]string {
	f := maps.Clone(tinyFiles)
	f["stock.csv"] = "item,qty\nSTEEL,100\n"
	f["demands.csv"] = "id,item,qty,due_date,priority,config\n" +
		"SO-1,TRUCK,10,2027-01-15,1,mast=triplex;capacity=t25\n" +
		"SP-1,CHAIN,5,2027-01-20,,\n"
	f["receipts.csv"] = "id,item,qty,due_date,kind\nPO-1,CHAIN,20,2026-12-20,purchase\n"
	return f
}

func TestMRPCommands(t *testing.T) {
	data := writeFiles(t, tinyPlant(), nil)
	plan := []string{"--data", data, "--date", "2026-12-01"}

	out, errOut, err := runCmd(t, newMRPCmd(), append([]string{"run", "--format", "csv"}, plan...)...)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.HasPrefix(out, "id,item,kind,qty,release_date,due_date,firm,pegged_to,pegged_rest\n") || !strings.Contains(out, "STEEL#2027-01-08,STEEL,purchase,1160,") ||
		!strings.Contains(out, ",SO-1:1160,\n") || !strings.Contains(errOut, "plant data from") {
		t.Errorf("run csv:\n%s\nstderr:\n%s", out, errOut)
	}

	out, _, err = runCmd(t, newMRPCmd(), append([]string{"run", "--format", "json", "--demand", "SO-1"}, plan...)...)
	if err != nil {
		t.Fatal(err)
	}
	var orders []map[string]any
	if err := json.Unmarshal([]byte(out), &orders); err != nil || len(orders) < 4 {
		t.Fatalf("run json: %v\n%s", err, out)
	}
	for _, o := range orders {
		if peg, _ := o["pegged_to"].([]any); len(peg) == 0 || peg[0].(map[string]any)["demand"] != "SO-1" {
			t.Errorf("order %v is not pegged to SO-1", o["id"])
		}
	}

	out, _, err = runCmd(t, newMRPCmd(), append([]string{"pegging", "SO-1"}, plan...)...)
	if err != nil || !strings.Contains(out, "TRUCK@") || !strings.Contains(out, "(stock)") || !strings.Contains(out, "    STEEL") {
		t.Errorf("pegging: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, newMRPCmd(), append([]string{"pegging", "--order", "STEEL#2027-01-08", "--format", "csv"}, plan...)...)
	if err != nil || out != "order,demand,qty\nSTEEL#2027-01-08,SO-1,1160\n" {
		t.Errorf("pegging --order: %v\n%q", err, out)
	}

	out, errOut, err = runCmd(t, newMRPCmd(), append([]string{"record", "CHAIN", "--format", "csv"}, plan...)...)
	if err != nil || !strings.Contains(out, "2026-12-20,0,20,0,20\n") || !strings.Contains(errOut, "CHAIN: on hand 0") {
		t.Errorf("record: %v\n%s\n%s", err, out, errOut)
	}

	out, _, err = runCmd(t, newMRPCmd(), append([]string{"atp", "TRUCK", "--qty", "2", "--want", "2026-12-02", "--pick", "mast=duplex", "--format", "csv"}, plan...)...)
	if err != nil || !strings.Contains(out, ",2,2026-12-02,") || !strings.Contains(out, ",ctp,true,") {
		t.Errorf("atp: %v\n%s", err, out)
	}

	out, _, err = runCmd(t, newMRPCmd(), append([]string{"exceptions", "--format", "csv"}, plan...)...)
	if err != nil || !strings.HasPrefix(out, "kind,item,ref,date,to,qty,limit\n") {
		t.Errorf("exceptions: %v\n%s", err, out)
	}
}

// TestMRPDemandNetChange keeps a plant in a store and changes it with
// mrp demand: the net change touches fewer items than the plan has.
func TestMRPDemandNetChange(t *testing.T) {
	data := writeFiles(t, tinyPlant(), nil)
	store := filepath.Join(t.TempDir(), "store")
	if _, errOut, err := runCmd(t, newMRPCmd(), "run", "--store", store, "--data", data, "--date", "2026-12-01"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	out, errOut, err := runCmd(t, newMRPCmd(), "demand", "SO-2", "--store", store, "--item", "TRUCK", "--qty", "2", "--due", "2026-12-04",
		"--pick", "mast=duplex", "--format", "csv")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "SO-2 planned as TRUCK@") || !strings.Contains(out, "MAST-D") {
		t.Errorf("demand: %s\n%s", out, errOut)
	}
	out, _, err = runCmd(t, newMRPCmd(), "exceptions", "--store", store, "--format", "csv")
	if err != nil || !strings.Contains(out, "late,") || !strings.Contains(out, ",SO-2,") {
		t.Errorf("exceptions after a rush order: %v\n%s", err, out)
	}
	// a line due past the 365 days of the plan is kept, not planned:
	// said so (it said nothing)
	_, errOut, err = runCmd(t, newMRPCmd(), "demand", "SO-FAR", "--store", store, "--item", "CHAIN", "--qty", "2", "--due", "2028-06-01")
	if err != nil || !strings.Contains(errOut, "SO-FAR is due 2028-06-01, past the plan's horizon: kept, but not planned") {
		t.Errorf("demand past the horizon: %v\n%s", err, errOut)
	}
	if _, _, err := runCmd(t, newMRPCmd(), "demand", "SO-FAR", "--store", store, "--delete"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, newMRPCmd(), "demand", "SO-2", "--store", store, "--delete"); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, newMRPCmd(), "run", "--store", store, "--format", "csv")
	if err != nil || strings.Contains(out, "SO-2") {
		t.Errorf("after deleting SO-2: %v\n%s", err, out)
	}
}

func TestMRPCommandsBadInput(t *testing.T) {
	data := writeFiles(t, tinyPlant(), nil)
	store := filepath.Join(t.TempDir(), "store")
	if _, errOut, err := runCmd(t, newMRPCmd(), "run", "--store", store, "--data", data, "--date", "2026-12-01"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	before, _, _ := runCmd(t, newMRPCmd(), "run", "--store", store, "--format", "csv")

	bad := writeFiles(t, tinyPlant(), map[string]string{"demands.csv": "id,item,qty,due_date\nSO-1,TRUCK,ten,2027-01-15\n"})
	_, _, err := runCmd(t, newMRPCmd(), "run", "--data", bad, "--date", "2026-12-01")
	if err == nil || !strings.Contains(err.Error(), filepath.Join(bad, "demands.csv")+":2: qty:") {
		t.Errorf("bad row: %v", err)
	}
	// ids offline as the server takes them: a demand id of 70,000 bytes
	// is refused at its row, not by the store ("Key with size 70026
	// exceeded 65000 limit") nor, without --store, accepted
	long := writeFiles(t, tinyPlant(), map[string]string{"demands.csv": "id,item,qty,due_date\n" + strings.Repeat("D", 70000) + ",CHAIN,1,2027-01-15\n"})
	// a lead time bom takes and a plan does not: at its row and column
	slow := writeFiles(t, tinyPlant(), map[string]string{"items.csv": strings.Replace(tinyFiles["items.csv"], "CHAIN,Chain,pc,buy,10,", "CHAIN,Chain,pc,buy,10000,", 1)})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--store", store, "--data", long, "--date", "2026-12-01"}, "demands.csv:2: id: 70000 bytes is too long (at most 256)"},
		{[]string{"run", "--data", long, "--date", "2026-12-01"}, "demands.csv:2: id: 70000 bytes is too long (at most 256)"},
		{[]string{"run", "--data", slow, "--date", "2026-12-01"}, "items.csv:6: lead_time_days: 10000 working days: MRP plans lead times of at most 3650"},
		{[]string{"demand", "SO-3", "--store", store, "--item", "TRUCK", "--qty", "1", "--due", "2027-02-01", "--pick", "mast=triplex", "--pick", "capacity=t15"}, "triplex_capacity"},
		{[]string{"demand", "SO-3", "--store", store, "--item", "TRUCK", "--qty", "1", "--due", "next week"}, "due_date"},
		{[]string{"demand", "SO-3", "--store", store, "--item", "TRUCK"}, "--qty"},
		{[]string{"demand", "SO-3", "--store", store, "--item", "TRUCK", "--qty", "0", "--due", "2027-02-01"}, "--qty 0: a demand is of a positive quantity"},
		{[]string{"demand", "SO-3", "--store", store, "--item", "TRUCK", "--qty", "-5", "--due", "2027-02-01"}, "--qty -5: a demand is of a positive quantity"},
		{[]string{"demand", "SO-404", "--store", store, "--delete"}, `unknown demand "SO-404"`},
		{[]string{"record", "NOPE", "--store", store}, "NOPE"},
		{[]string{"pegging", "--store", store}, "DEMAND"},
		{[]string{"atp", "TRUCK", "--store", store, "--qty", "0"}, "--qty"},
		{[]string{"run", "--store", store, "--format", "yaml"}, "--format"},
		{[]string{"run", "--date", "2026-12-01"}, "no plant data"},
	} {
		_, _, err := runCmd(t, newMRPCmd(), tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
	after, _, _ := runCmd(t, newMRPCmd(), "run", "--store", store, "--format", "csv")
	if after != before || before == "" {
		t.Errorf("bad input changed the stored plan:\n%s\n%s", before, after)
	}
}

func TestMRPSupplyCommands(t *testing.T) {
	data := writeFiles(t, tinyPlant(), nil)
	store := filepath.Join(t.TempDir(), "store")
	if _, errOut, err := runCmd(t, newMRPCmd(), "run", "--store", store, "--data", data, "--date", "2026-12-01"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	// 1160 kg of steel were to be bought; 2000 on hand cover it.
	out, _, err := runCmd(t, newMRPCmd(), "stock", "--store", store, "STEEL=2000", "--format", "csv")
	if err != nil || !strings.Contains(out, "STEEL") {
		t.Fatalf("stock: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, newMRPCmd(), "run", "--store", store, "--item", "STEEL", "--format", "csv")
	if err != nil || strings.Count(out, "\n") != 1 {
		t.Errorf("steel orders with 2000 on hand: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, newMRPCmd(), "receipt", "PO-2", "--store", store, "--item", "CHAIN", "--qty", "50", "--due", "2026-12-15", "--format", "csv")
	if err != nil || !strings.Contains(out, "CHAIN") {
		t.Errorf("receipt: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, newMRPCmd(), "record", "CHAIN", "--store", store, "--format", "csv")
	if err != nil || !strings.Contains(out, "2026-12-15,0,50,") {
		t.Errorf("record after the receipt: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, newMRPCmd(), "receipt", "PO-2", "--store", store, "--delete"); err != nil {
		t.Error(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"stock", "--store", store, "STEEL=-1"}, "ITEM=QTY"},
		{[]string{"stock", "--store", store, "NOPE=1"}, "NOPE"},
		{[]string{"receipt", "PO-3", "--store", store, "--item", "CHAIN", "--qty", "5", "--due", "2026-12-15", "--kind", "gift"}, "kind"},
		{[]string{"receipt", "PO-404", "--store", store, "--delete"}, `unknown receipt "PO-404"`},
	} {
		_, _, err := runCmd(t, newMRPCmd(), tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
}

// TestMRPRunLocal checks that mrp run --data planned in this process
// prints exactly what the service's listing prints (through --store), on
// the tiny configurable plant (also with firm planned orders in firm.csv)
// and on a generated one with stock, receipts, lot sizing, scrap and
// phantoms, with and without pegging.
func TestMRPRunLocal(t *testing.T) {
	gen := t.TempDir()
	c := plantgen.Default(300)
	c.Demands = 400
	if raceEnabled {
		// the race detector makes the 300-item plant a minute and a half
		c = plantgen.Default(80)
		c.Demands = 100
	}
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := plantgen.WriteCSV(gen, in); err != nil {
		t.Fatal(err)
	}
	firm := tinyPlant()
	// the chain of SP-1 firmed early (its own ID), one of the derived
	// form on the steel's day
	firm["firm.csv"] = "id,item,qty,due_date\nFP-1,CHAIN,12,2027-01-05\nSTEEL#2027-01-08,STEEL,200,2027-01-08\n"
	for _, tc := range []struct{ dir, date string }{
		{writeFiles(t, tinyPlant(), nil), "2026-12-01"},
		{writeFiles(t, firm, nil), "2026-12-01"},
		{gen, c.Start.Format("2006-01-02")},
	} {
		for _, args := range [][]string{{"--format", "csv"}, {"--format", "table"}, {"--format", "csv", "--no-pegging"}, {"--format", "json"}, {"--format", "json", "--no-pegging"}} {
			run := append([]string{"run", "--data", tc.dir, "--date", tc.date}, args...)
			local, errOut, err := runCmd(t, newMRPCmd(), run...)
			if err != nil {
				t.Fatalf("%v: %v\n%s", run, err, errOut)
			}
			if !strings.Contains(errOut, "plant data from") {
				t.Errorf("%v: stderr %q", run, errOut)
			}
			if _, err := os.Stat(filepath.Join(tc.dir, "firm.csv")); err == nil && args[0] == "--format" && args[1] == "csv" &&
				(!strings.Contains(local, "\nFP-1,CHAIN,purchase,12,") || !strings.Contains(local, "\nSTEEL#2027-01-08,STEEL,purchase,200,")) {
				t.Errorf("%v: firm orders not listed:\n%s", run, local)
			}
			store := filepath.Join(t.TempDir(), "store")
			service, errOut, err := runCmd(t, newMRPCmd(), append(run, "--store", store)...)
			if err != nil {
				t.Fatalf("%v --store: %v\n%s", run, err, errOut)
			}
			if local != service {
				t.Fatalf("%v: in-process and service listings differ:\n%s\nvs\n%s", run, head(local, 20), head(service, 20))
			}
			if n := strings.Count(local, "\n"); n < 3 {
				t.Fatalf("%v: %d lines", run, n)
			}
		}
	}
}

func head(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	return strings.Join(lines[:min(n, len(lines))], "")
}

// TestMRPRunPhasesAndProfile: mrp run --data logs the time of each phase
// on stderr, and the root's hidden --cpuprofile writes a CPU profile of
// the command (gzip-compressed protobuf, as runtime/pprof writes it).
func TestMRPRunPhasesAndProfile(t *testing.T) {
	dir := writeFiles(t, tinyPlant(), nil)
	prof := filepath.Join(t.TempDir(), "cpu.out")
	out, errOut, err := runCmd(t, newRootCmd(), "mrp", "run", "--data", dir, "--date", "2026-12-01", "--format", "csv", "--cpuprofile", prof)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.HasPrefix(out, "id,item,kind,qty") {
		t.Errorf("stdout %q", out)
	}
	for _, phase := range []string{"phases: wall/CPU ms: read+import ", ", input ", ", plan ", ", pegging ", ", write "} {
		if !strings.Contains(errOut, phase) {
			t.Errorf("stderr lacks %q:\n%s", phase, errOut)
		}
	}
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("profile: %d bytes, not gzip", len(b))
	}
	if _, _, err := runCmd(t, newRootCmd(), "mrp", "run", "--data", dir, "--cpuprofile", filepath.Join(t.TempDir(), "no", "such", "dir", "cpu.out")); err == nil || !strings.Contains(err.Error(), "--cpuprofile") {
		t.Errorf("profile into a missing directory: %v", err)
	}
}

// TestMRPRunPegLimit: mrp run --data lists at most --peg-limit demands in
// an order's pegged_to and the part serving the others in pegged_rest; the
// listed shares and the rest add up to what the full listing (-1) gives
// the order. A stored plan refuses the flag; 0 is refused.
func TestMRPRunPegLimit(t *testing.T) {
	dir := t.TempDir()
	c := plantgen.Default(150)
	c.Demands = 300
	if raceEnabled {
		c.Days = 120 // demands over 120 days, not 365: 13 -> 7 s under the race detector
	}
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := plantgen.WriteCSV(dir, in); err != nil {
		t.Fatal(err)
	}
	run := []string{"run", "--data", dir, "--date", c.Start.Format("2006-01-02"), "--format", "csv"}
	// order ID -> listed shares, their sum plus the rest
	rows := func(limit string) (map[string]int, map[string]float64, int) {
		out, errOut, err := runCmd(t, newMRPCmd(), append(run, "--peg-limit", limit)...)
		if err != nil {
			t.Fatalf("--peg-limit %s: %v\n%s", limit, err, errOut)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if h := strings.Join(recs[0], ","); h != "id,item,kind,qty,release_date,due_date,firm,pegged_to,pegged_rest" {
			t.Fatalf("header %s", h)
		}
		n, sum, rests := map[string]int{}, map[string]float64{}, 0
		for _, r := range recs[1:] {
			for _, s := range strings.Split(r[7], ";") {
				if s == "" {
					continue
				}
				q, err := strconv.ParseFloat(s[strings.LastIndexByte(s, ':')+1:], 64)
				if err != nil {
					t.Fatalf("%s: pegged_to %q", r[0], r[7])
				}
				n[r[0]]++
				sum[r[0]] += q
			}
			if r[8] != "" {
				q, err := strconv.ParseFloat(r[8], 64)
				if err != nil || q <= 0 {
					t.Fatalf("%s: pegged_rest %q", r[0], r[8])
				}
				sum[r[0]] += q
				rests++
			}
		}
		return n, sum, rests
	}
	nAll, sumAll, restAll := rows("-1")
	if restAll != 0 {
		t.Fatalf("--peg-limit -1: %d orders with a rest", restAll)
	}
	for _, limit := range []int{10, 2} {
		n, sum, rests := rows(strconv.Itoa(limit))
		if rests == 0 {
			t.Fatalf("--peg-limit %d: no order's list cut: the plant does not try the limit", limit)
		}
		for id, all := range nAll {
			if n[id] != min(all, limit) {
				t.Fatalf("--peg-limit %d: order %s lists %d demands of %d", limit, id, n[id], all)
			}
			// the CSV rounds each number to 6 decimals
			if d := sum[id] - sumAll[id]; d > 1e-5*float64(all+1) || d < -1e-5*float64(all+1) {
				t.Fatalf("--peg-limit %d: order %s: listed and rest %g, all listed %g", limit, id, sum[id], sumAll[id])
			}
		}
	}
	// a stored plan lists with the limit given, as --data does; a server
	// with its own (serve --peg-limit), which mrp run --server cannot set
	store := filepath.Join(t.TempDir(), "store")
	want := map[string]string{}
	for _, limit := range []string{"2", "-1"} {
		want[limit], _, _ = runCmd(t, newMRPCmd(), append(run, "--peg-limit", limit)...)
		got, errOut, err := runCmd(t, newMRPCmd(), append(run, "--peg-limit", limit, "--store", store)...)
		if err != nil || got != want[limit] {
			t.Fatalf("--peg-limit %s --store: %v %s\n%s\nwant\n%s", limit, err, errOut, head(got, 8), head(want[limit], 8))
		}
	}
	url, stop := serveFor(t, "--store", store, "--peg-limit", "-1")
	got, _, err := runCmd(t, newMRPCmd(), "run", "--server", url, "--date", c.Start.Format("2006-01-02"), "--format", "csv")
	if log, serr := stop(); serr != nil {
		t.Errorf("serve: %v\n%s", serr, log)
	}
	if err != nil || got != want["-1"] {
		t.Errorf("serve --peg-limit -1: %v\n%s\nwant\n%s", err, head(got, 8), head(want["-1"], 8))
	}
	if _, _, err := runCmd(t, newMRPCmd(), "run", "--server", url, "--peg-limit", "3"); err == nil || !strings.Contains(err.Error(), "serve --peg-limit") {
		t.Errorf("--peg-limit with --server: %v", err)
	}
	if _, _, err := runCmd(t, newMRPCmd(), append(run, "--peg-limit", "0")...); err == nil || !strings.Contains(err.Error(), "--peg-limit 0") {
		t.Errorf("--peg-limit 0: %v", err)
	}
}

// TestMRPHorizonFlag: --horizon plans the demand lines due past the
// default 365 days, in the command's own plan (csv) and in the service's
// (json, through a store); a bad one is refused.
func TestMRPHorizonFlag(t *testing.T) {
	dir := t.TempDir()
	c := plantgen.Light(60, 120)
	c.Days = 700 // lines due over two years
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := plantgen.WriteCSV(dir, in); err != nil {
		t.Fatal(err)
	}
	start := c.Start.Format("2006-01-02")
	late := c.Start.AddDate(0, 0, 400).Format("2006-01-02") // past 365 days
	// the latest due date among the orders listed
	lastDue := func(args ...string) string {
		t.Helper()
		out, errOut, err := runCmd(t, newMRPCmd(), append([]string{"run", "--data", dir, "--date", start}, args...)...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut)
		}
		last := ""
		if args[1] == "json" {
			var os []map[string]any
			if err := json.Unmarshal([]byte(out), &os); err != nil {
				t.Fatal(err)
			}
			for _, o := range os {
				last = max(last, o["due_date"].(string))
			}
			return last
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			last = max(last, r[5])
		}
		return last
	}
	if d := lastDue("--format", "csv"); d >= late {
		t.Errorf("default horizon: an order due %s", d)
	}
	_, errOut, err := runCmd(t, newMRPCmd(), "run", "--data", dir, "--date", start, "--format", "csv")
	if err != nil || !regexp.MustCompile(`\n[1-9][0-9]* demand lines due on or after \d{4}-\d\d-\d\d, past the 365-day horizon, are not planned`).MatchString(errOut) {
		t.Errorf("default horizon: %v, log:\n%s", err, errOut)
	}
	for _, format := range []string{"csv", "json"} {
		if d := lastDue("--format", format, "--horizon", "720"); d < late {
			t.Errorf("--horizon 720 (%s): the latest order is due %s, before %s", format, d, late)
		}
	}
	if _, _, err := runCmd(t, newMRPCmd(), "run", "--data", dir, "--date", start, "--format", "csv", "--horizon", "-3"); err == nil || !strings.Contains(err.Error(), "horizon -3") {
		t.Errorf("--horizon -3: %v", err)
	}
}
