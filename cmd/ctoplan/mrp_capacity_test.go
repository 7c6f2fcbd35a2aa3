package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// capacityDir is a one-item plant: A (make, lead time 2) with op 10 on
// WC1 (setup 1 h, run 0.5 h/unit) and op 20 on WC2 (run 1 h/unit), 10 A
// due Wednesday 2026-12-02, planned on Monday 2026-11-30. WC1 has 8 h a
// day but 4 h on Tuesday (exception); WC2 8 h x 2 units x 37.5% = 6 h.
// Both work 8 h a day per machine, the hours an operation takes per day
// when scheduled backwards.
func capacityDir(t *testing.T) string {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"items.csv":               "item,description,uom,kind,lead_time_days,unit_cost\nA,Part A,pc,make,2,10\n",
		"routings.csv":            "item,op_seq,work_center,setup_hours,run_hours_per_unit\nA,10,WC1,1,0.5\nA,20,WC2,0,1\n",
		"workcenters.csv":         "work_center,description,rate_per_hour,capacity_hours_per_day,units,efficiency_pct\nWC1,one,50,8,,\nWC2,two,50,8,2,37.5\n",
		"capacity_exceptions.csv": "work_center,date,hours,reason\nWC1,2026-12-01,4,maintenance\n",
		"demands.csv":             "id,item,qty,due_date\nSO1,A,10,2026-12-02\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestMRPCapacity: A's order (10 units due Wednesday) backwards: op 20
// 10 h on WC2: 8 h Wednesday, 2 h Tuesday; op 10 1 + 5 = 6 h on WC1 on
// Tuesday (4 h available: overloaded).
func TestMRPCapacity(t *testing.T) {
	dir := capacityDir(t)
	out, errOut, err := runCmd(t, newRootCmd(), "mrp", "capacity", "--data", dir, "--date", "2026-11-30", "--to", "2026-12-02", "--format", "csv")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	want := "work_center,date,load_hours,available_hours\n" +
		"WC1,2026-11-30,0,8\nWC1,2026-12-01,6,4\nWC1,2026-12-02,0,8\n" +
		"WC2,2026-11-30,0,6\nWC2,2026-12-01,2,6\nWC2,2026-12-02,8,6\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	// overloads are days: with --week the flag was ignored, silently
	if _, _, err := runCmd(t, newRootCmd(), "mrp", "capacity", "--data", dir, "--date", "2026-11-30", "--overloads", "--week"); err == nil || !strings.Contains(err.Error(), "without --week") {
		t.Errorf("--overloads --week: %v", err)
	}
	out, _, err = runCmd(t, newRootCmd(), "mrp", "capacity", "--data", dir, "--date", "2026-11-30", "--work-center", "WC1", "--overloads", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var over []struct {
		WorkCenter string  `json:"work_center"`
		Load       float64 `json:"load_hours"`
		Orders     []struct{ Order string }
	}
	if err := json.Unmarshal([]byte(out), &over); err != nil || len(over) != 1 || over[0].Load != 6 || over[0].Orders[0].Order != "A#2026-12-02" {
		t.Errorf("overloads: %v %s", err, out)
	}
	if _, _, err := runCmd(t, newRootCmd(), "mrp", "capacity", "--data", dir, "--date", "2026-11-30", "--work-center", "NOPE"); err == nil || !strings.Contains(err.Error(), `unknown work center "NOPE"`) {
		t.Errorf("unknown work center: %v", err)
	}
	// finite: A fits backwards (WC2 6 h Wednesday + 4 h Tuesday, WC1 4 h
	// Tuesday + 2 h Monday): SO1 on time
	out, _, err = runCmd(t, newRootCmd(), "mrp", "schedule", "--data", dir, "--date", "2026-11-30", "--sales-orders", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if want := "sales_order,due,expected,late_days,limit,reason\nSO1,2026-12-02,2026-12-02,0,,\n"; out != want {
		t.Errorf("sales orders\n got %q\nwant %q", out, want)
	}
	out, _, err = runCmd(t, newRootCmd(), "mrp", "schedule", "--data", dir, "--date", "2026-11-30", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if want := "order,item,qty,priority,due,start,finish,late_days,mode\nA#2026-12-02,A,10,0,2026-12-02,2026-11-30,2026-12-02,0,backward\n"; out != want {
		t.Errorf("schedule\n got %q\nwant %q", out, want)
	}
}

// TestMRPWhatIfStatus: a rush of 4 A due Tuesday at priority 9 goes first
// (op 20 4 h on WC2 Tuesday, op 10 1 + 2 = 3 h of WC1's 4 h Tuesday) and
// is on time; SO1's order still fits backwards (WC2 6 h Wednesday, 2 h
// Tuesday, 2 h Monday; WC1 6 h Monday): no sales order is delayed. The
// plant directory is not changed. SO1's status: 0 of its order's 2
// operations done, on time.
func TestMRPWhatIfStatus(t *testing.T) {
	dir := capacityDir(t)
	out, errOut, err := runCmd(t, newRootCmd(), "mrp", "whatif", "--data", dir, "--date", "2026-11-30", "--item", "A", "--qty", "4",
		"--due", "2026-12-01", "--priority", "9", "--format", "csv")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if want := "sales_order,requested,promised,late_days,delayed_by_days,reason\nRUSH,2026-12-01,2026-12-01,0,,\n"; out != want {
		t.Errorf("whatif\n got %q\nwant %q", out, want)
	}
	out, _, err = runCmd(t, newRootCmd(), "mrp", "status", "--data", dir, "--date", "2026-11-30", "SO1", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if want := "sales_order,ops_done,ops_total,latest_order,latest_finish,promised,expected,at_risk,reason\nSO1,0,2,A#2026-12-02,2026-12-02,2026-12-02,2026-12-02,no,\n"; out != want {
		t.Errorf("status\n got %q\nwant %q", out, want)
	}
	if _, _, err := runCmd(t, newRootCmd(), "mrp", "status", "--data", dir, "--date", "2026-11-30", "NOPE"); err == nil {
		t.Error("unknown sales order: no error")
	}
}

// TestMRPCapacityServer: the demo's store (rush order accepted, two
// operations confirmed) served; capacity, schedule, status and what-if
// over --server.
func TestMRPCapacityServer(t *testing.T) {
	store := filepath.Join(t.TempDir(), "store")
	if _, _, err := runCmd(t, newDemoCmd(), "--store", store); err != nil {
		t.Fatal(err)
	}
	url, stop := serveFor(t, "--store", store)
	defer func() {
		if log, err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, log)
		}
	}()
	out, _, err := runCmd(t, newMRPCapacityCmd(), "--server", url, "--work-center", "ASSY-FINAL", "--week", "--from", "2026-12-07", "--to", "2026-12-13", "--format", "csv")
	// 5 working days x 16 h x 6 stations = 480 h
	if err != nil || !strings.Contains(out, "ASSY-FINAL,2026-12-07,") || !strings.HasSuffix(strings.TrimSpace(out), ",480") {
		t.Errorf("capacity: %q %v", out, err)
	}
	out, _, err = runCmd(t, newMRPScheduleCmd(), "--server", url, "--sales-orders", "--format", "csv")
	if err != nil || !strings.Contains(out, "\nSO-26-1187,") || !strings.Contains(out, "\n"+keyRushOrder+",") {
		t.Errorf("schedule: %q %v", out, err)
	}
	out, _, err = runCmd(t, newMRPStatusCmd(), "--server", url, "SO-26-1187", "--format", "csv")
	// the demo confirmed operation 10 of MO-26-0912 done, in SO-26-1187's tree
	if err != nil || !strings.HasPrefix(strings.SplitN(out, "\n", 3)[1], "SO-26-1187,1,") {
		t.Errorf("status: %q %v", out, err)
	}
	out, _, err = runCmd(t, newMRPWhatIfCmd(), "--server", url, "--id", "R9", "--item", "FL-TRUCK", "--config", "capacity=t25;mast=triplex", "--qty", "5", "--due", "2027-04-30", "--format", "csv")
	if err != nil || !strings.Contains(out, "\nR9,2027-04-30,") {
		t.Errorf("whatif: %q %v", out, err)
	}
	if _, _, err := runCmd(t, newMRPStatusCmd(), "--server", url, "--data", "x", "SO-26-1187"); err == nil {
		t.Error("--server with --data: no error")
	}
	// --overloads over --server: every listed day is loaded above its
	// hours, by the orders listed, as the daily buckets say
	out, _, err = runCmd(t, newMRPCapacityCmd(), "--server", url, "--overloads", "--format", "json")
	var over []struct {
		WorkCenter string  `json:"work_center"`
		Date       string  `json:"date"`
		Load       float64 `json:"load_hours"`
		Available  float64 `json:"available_hours"`
		Orders     []struct {
			Order string
			Hours float64
		}
	}
	if err != nil || json.Unmarshal([]byte(out), &over) != nil || len(over) == 0 {
		t.Fatalf("overloads: %v %.300s", err, out)
	}
	o := over[0]
	sum := 0.0
	for _, x := range o.Orders {
		sum += x.Hours
	}
	if o.Load <= o.Available || len(o.Orders) == 0 || sum < o.Load-1e-3 || sum > o.Load+1e-3 {
		t.Errorf("overload %+v: orders add up to %g", o, sum)
	}
	day, _, err := runCmd(t, newMRPCapacityCmd(), "--server", url, "--work-center", o.WorkCenter, "--from", o.Date, "--to", o.Date, "--format", "csv")
	if err != nil || !strings.Contains(day, "\n"+o.WorkCenter+","+o.Date+","+fmtNum(o.Load)+","+fmtNum(o.Available)+"\n") {
		t.Errorf("the overloaded day %s %s as a bucket: %q %v", o.WorkCenter, o.Date, day, err)
	}
}

// TestPlanCommandsOnePath: the capacity, schedule, status and what-if
// commands print the same over --server as on the plant directory (the
// forklift data, which has no capacity exceptions or confirmations, so the
// server holds the same plan): each command has one body over a
// planBackend, and the server's answers come back through
// internal/convert as the library's types.
func TestPlanCommandsOnePath(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "forklift")
	store := filepath.Join(t.TempDir(), "store")
	if _, _, err := runCmd(t, newMRPRunCmd(), "--data", dir, "--date", "2026-12-01", "--store", store, "--format", "csv"); err != nil {
		t.Fatal(err)
	}
	url, stop := serveFor(t, "--store", store)
	defer func() {
		if log, err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, log)
		}
	}()
	for _, tc := range []struct {
		cmd  func() *cobra.Command
		args []string
	}{
		{newMRPCapacityCmd, []string{"--work-center", "ASSY-FINAL", "--week", "--format", "csv"}},
		{newMRPCapacityCmd, []string{"--from", "2026-12-07", "--to", "2026-12-20", "--format", "json"}},
		{newMRPScheduleCmd, []string{"--format", "csv"}},
		{newMRPScheduleCmd, []string{"--sales-orders", "--format", "json"}},
		{newMRPStatusCmd, []string{"SO-26-1187", "--format", "csv"}},
		{newMRPWhatIfCmd, []string{"--id", "R9", "--item", "FL-TRUCK", "--config", "capacity=t25;mast=triplex", "--qty", "5", "--due", "2027-04-30", "--format", "json"}},
	} {
		want, _, err := runCmd(t, tc.cmd(), append([]string{"--data", dir, "--date", "2026-12-01"}, tc.args...)...)
		if err != nil || strings.Count(want, "\n") < 2 {
			t.Fatalf("%v --data: %v\n%s", tc.args, err, want)
		}
		got, _, err := runCmd(t, tc.cmd(), append([]string{"--server", url}, tc.args...)...)
		if err != nil {
			t.Fatalf("%v --server: %v", tc.args, err)
		}
		if got != want {
			t.Errorf("%v: --server printed\n%s\n--data printed\n%s", tc.args, got, want)
		}
	}
}

// TestRunAppliesConfirmations: a plant directory's confirmations.csv is
// applied by mrp run as by the commands that schedule it. Hand-worked:
// MO-1 (10 FRAME due 03-03) lost 1 unit to scrap, so the 10 carts due
// 03-04 need one more frame: FRAME#2027-03-03 of 1, in the plain run, in
// a stored run and in the finite schedule alike.
func TestRunAppliesConfirmations(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"items.csv":         "item,description,uom,kind,lead_time_days,unit_cost\nCART,Cart,pc,make,1,0\nFRAME,Frame,pc,make,2,0\nTUBE,Tube,pc,buy,0,5\nWHEEL,Wheel,pc,buy,0,3\n",
		"bom.csv":           "parent,component,qty_per\nFRAME,TUBE,2\nCART,FRAME,1\nCART,WHEEL,4\n",
		"routings.csv":      "item,op_seq,work_center,setup_hours,run_hours_per_unit\nFRAME,10,SAW,1,0.5\nFRAME,20,WELD,2,1\nCART,10,ASSY,0.5,1\n",
		"workcenters.csv":   "work_center,description,rate_per_hour,capacity_hours_per_day,units,efficiency_pct\nSAW,Saw,50,8,1,100\nWELD,Weld,60,8,2,75\nASSY,Assembly,40,10,1,100\n",
		"stock.csv":         "item,qty\nTUBE,1000\nWHEEL,1000\n",
		"demands.csv":       "id,item,qty,due_date,priority\nSO2,CART,10,2027-03-04,0\n",
		"receipts.csv":      "id,item,qty,due_date,kind\nMO-1,FRAME,10,2027-03-03,production\n",
		"confirmations.csv": "id,order,op_seq,good_qty,scrap_qty,hours,done\nC1,MO-1,10,10,0,6,1\nC2,MO-1,20,4,1,5,0\n",
	}, nil)
	const want = "FRAME#2027-03-03,FRAME,production,1,2027-03-01,2027-03-03,false,SO2:1,"
	for _, extra := range [][]string{nil, {"--store", filepath.Join(t.TempDir(), "store")}} {
		out, errOut, err := runCmd(t, newRootCmd(), append([]string{"mrp", "run", "--data", dir, "--date", "2027-03-01", "--format", "csv"}, extra...)...)
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("mrp run %v: %v\n%s\n%s", extra, err, out, errOut)
		}
	}
	out, errOut, err := runCmd(t, newRootCmd(), "mrp", "schedule", "--data", dir, "--date", "2027-03-01", "--format", "csv")
	if err != nil || !strings.Contains(out, "FRAME#2027-03-03,FRAME,1,") {
		t.Errorf("mrp schedule: %v\n%s\n%s", err, out, errOut)
	}
	// through a server: ImportPlant, then ConfirmOperations with the file
	url, stop := serveFor(t, "--store", filepath.Join(t.TempDir(), "served"))
	defer stop()
	if _, errOut, err := runCmd(t, newRootCmd(), "bom", "import", "--server", url, dir); err != nil {
		t.Fatal(err, errOut)
	}
	out, errOut, err = runCmd(t, newRootCmd(), "mrp", "run", "--server", url, "--data", dir, "--date", "2027-03-01", "--format", "csv")
	if err != nil || !strings.Contains(out, want) {
		t.Errorf("mrp run --server: %v\n%s\n%s", err, out, errOut)
	}
}
