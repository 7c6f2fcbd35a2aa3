package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestBOMImportLongID: an item id of 70,000 bytes is refused at its row,
// as the server refuses it, not by the store ("Key with size 70026
// exceeded 65000 limit").
func TestBOMImportLongID(t *testing.T) {
	data := writeFiles(t, tinyFiles, map[string]string{"items.csv": tinyFiles["items.csv"] + strings.Repeat("I", 70000) + ",x,pc,buy,1,1,\n"})
	store := filepath.Join(t.TempDir(), "store")
	_, _, err := runCmd(t, newBOMCmd(), "import", "--store", store, data)
	if err == nil || !strings.Contains(err.Error(), "items.csv:") || !strings.Contains(err.Error(), ": item: 70000 bytes is too long (at most 256)") || len(err.Error()) > 1000 {
		t.Errorf("got %.300v, want items.csv:N: item: 70000 bytes is too long (at most 256)", err)
	}
}

func TestBOMCommandsOffline(t *testing.T) {
	data := writeFiles(t, tinyFiles, nil)
	store := filepath.Join(t.TempDir(), "store")

	out, errOut, err := runCmd(t, newBOMCmd(), "import", "--store", store, data)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "6 items, 6 BOM lines, 2 operations, 2 work centers") || !strings.Contains(errOut, "model tiny 1") {
		t.Errorf("import log: %q %q", out, errOut)
	}

	// The store keeps what was imported: later commands use it.
	out, _, err = runCmd(t, newBOMCmd(), "explode", "--store", store, "TRUCK", "--pick", "mast=triplex", "--qty", "2")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"TRUCK", "    STEEL", "252", "  MAST-T", "CHAIN", "6"} {
		if !strings.Contains(out, want) {
			t.Errorf("explode table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "MAST-D") {
		t.Errorf("explode of a triplex truck has the duplex mast:\n%s", out)
	}

	out, _, err = runCmd(t, newBOMCmd(), "explode", "--store", store, "TRUCK", "--pick", "mast=triplex", "--summary", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "item,description,kind,qty,uom\n") || !strings.Contains(out, "STEEL,Steel plate,buy,126,kg\n") {
		t.Errorf("summarised csv:\n%s", out)
	}

	out, _, err = runCmd(t, newBOMCmd(), "cost", "--store", store, "TRUCK", "--pick", "mast=triplex", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	// Money in plain JSON: the currency and the amount as a number.
	var cost []map[string]struct {
		Currency string  `json:"currency_code"`
		Amount   float64 `json:"amount"`
	}
	if err := json.Unmarshal([]byte(out), &cost); err != nil || len(cost) != 1 || cost[0]["total"].Amount != 529.5 || cost[0]["total"].Currency != "EUR" {
		t.Errorf("cost json: %v %s", err, out)
	}

	out, _, err = runCmd(t, newBOMCmd(), "leadtime", "--store", store, "TRUCK", "--pick", "mast=triplex")
	if err != nil || !strings.Contains(out, "16") || !strings.Contains(out, "TRUCK > MAST-T > CHAIN") {
		t.Errorf("leadtime: %v\n%s", err, out)
	}

	out, _, err = runCmd(t, newBOMCmd(), "where-used", "--store", store, "CHAIN", "--format", "csv")
	if err != nil || !strings.Contains(out, "MAST-D,CHAIN,2") || !strings.Contains(out, "MAST-T,CHAIN,3") {
		t.Errorf("where-used: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, newBOMCmd(), "where-used", "--store", store, "CHAIN", "--top")
	if err != nil || !strings.Contains(out, "TRUCK") {
		t.Errorf("where-used --top: %v\n%s", err, out)
	}

	out, _, err = runCmd(t, newBOMCmd(), "resolve", "--store", store, "TRUCK", "--pick", "mast=triplex", "--format", "csv")
	if err != nil || !strings.Contains(out, "capacity=t25;mast=triplex") {
		t.Errorf("resolve: %v\n%s", err, out)
	}
	first := out
	out, _, err = runCmd(t, newBOMCmd(), "resolve", "--store", store, "TRUCK", "--pick", "capacity=t25", "--pick", "mast=triplex", "--format", "csv")
	if err != nil || out != first {
		t.Errorf("the same configuration resolved twice differs:\n%s\n%s", first, out)
	}
}

// TestBOMCommandsOneShot: --data loads a directory into a fresh in-memory
// store for one command.
func TestBOMCommandsOneShot(t *testing.T) {
	data := writeFiles(t, tinyFiles, nil)
	out, errOut, err := runCmd(t, newBOMCmd(), "explode", "--data", data, "FRAME")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.Contains(out, "STEEL") || strings.Contains(out, "model tiny") {
		t.Errorf("stdout:\n%s", out)
	}
	if !strings.Contains(errOut, "master data from") {
		t.Errorf("the load log belongs on stderr: %q", errOut)
	}
}

func TestBOMCommandsBadInput(t *testing.T) {
	data := writeFiles(t, tinyFiles, nil)
	store := filepath.Join(t.TempDir(), "store")
	if _, errOut, err := runCmd(t, newBOMCmd(), "import", "--store", store, data); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	before, _, err := runCmd(t, newBOMCmd(), "explode", "--store", store, "TRUCK", "--pick", "mast=duplex", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}

	// A bad row: file:row: column: problem, non-zero exit, store unchanged.
	bad := writeFiles(t, tinyFiles, map[string]string{
		"bom.csv": tinyFiles["bom.csv"] + "MAST-D,BOLT,4,,,0020\n",
	})
	_, _, err = runCmd(t, newBOMCmd(), "import", "--store", store, bad)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(bad, "bom.csv")+":8: component:") || !strings.Contains(err.Error(), `"BOLT"`) {
		t.Errorf("bad row: %v", err)
	}
	after, _, err := runCmd(t, newBOMCmd(), "explode", "--store", store, "TRUCK", "--pick", "mast=duplex", "--format", "csv")
	if err != nil || after != before {
		t.Errorf("a failed import changed the store: %v\n%s\n%s", err, before, after)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"explode", "--store", store, "TRUCK", "--pick", "mast=triplex", "--pick", "capacity=t15"}, "rule triplex_capacity: A triplex mast needs the 2.5 t truck"},
		{[]string{"explode", "--store", store, "TRUCK", "--pick", "mast=triplx"}, `unknown value "triplx" for mast`},
		{[]string{"explode", "--store", store, "TRUCK", "--pick", "mast=triplx"}, `(did you mean "triplex"?)`},
		{[]string{"explode", "--store", store, "TRUCK", "--pick", "mats=triplex"}, `unknown characteristic "mats" (did you mean "mast"?)`},
		{[]string{"explode", "--store", store, "TRUCK", "--pick", "mast"}, "want char=value"},
		{[]string{"explode", "--store", store, "TRUKC"}, "TRUKC"},
		{[]string{"cost", "--store", store, "--variant", "feed"}, `unknown variant "feed"`},
		{[]string{"explode", "--store", store, "FRAME", "--format", "xml"}, "--format"},
		{[]string{"resolve", "--store", store, "TRUCK"}, "--pick"},
		{[]string{"where-used", "--store", store, "--server", "http://127.0.0.1:1", "CHAIN"}, "exclude each other"},
		{[]string{"import", "--store", store, filepath.Join(data, "nosuch.csv")}, "nosuch.csv"},
	} {
		_, _, err := runCmd(t, newBOMCmd(), tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error containing %q", tc.args, err, tc.want)
		} else if strings.Count(err.Error(), tc.want) > 1 {
			t.Errorf("%v: the message is repeated: %v", tc.args, err)
		}
	}
}

func FuzzParsePickFlags(f *testing.F) {
	for _, s := range []string{"mast=triplex", "cabin!=none", "lights=beacon", "=x", "mast", "a==b", "a!=", " capacity = t25 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := wirePicks([]string{s})
		if err != nil {
			return
		}
		if len(ps) != 1 || ps[0].GetChar() == "" {
			t.Fatalf("%q parsed to %v", s, ps)
		}
		again, err := wirePicks([]string{pickText(ps[0])})
		if err != nil || len(again) != 1 || pickText(again[0]) != pickText(ps[0]) {
			t.Fatalf("%q: %s does not parse back (%v)", s, pickText(ps[0]), err)
		}
	})
}

// TestBOMOnePath runs the bom commands offline on a store and against a
// server holding the same data and checks they print the same bytes (the
// variant ids are content hashes, so they agree too).
func TestBOMOnePath(t *testing.T) {
	data := writeFiles(t, tinyFiles, nil)
	store := filepath.Join(t.TempDir(), "store")
	if _, errOut, err := runCmd(t, newBOMCmd(), "import", "--store", store, data); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	url, stop := serveFor(t, "--store", filepath.Join(t.TempDir(), "served"), "--token", "t0ken-0123456789abcdef")
	defer func() {
		if log, err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, log)
		}
	}()
	off, offErr, err := runCmd(t, newBOMCmd(), "import", "--store", filepath.Join(t.TempDir(), "again"), data)
	if err != nil {
		t.Fatal(err)
	}
	on, onErr, err := runCmd(t, newBOMCmd(), "import", "--server", url, "--token", "t0ken-0123456789abcdef", data)
	if err != nil || on != off || onErr != offErr {
		t.Errorf("import: %v\noffline %q %q\nserver  %q %q", err, off, offErr, on, onErr)
	}
	for _, tc := range [][]string{
		{"explode", "TRUCK", "--pick", "mast=triplex", "--qty", "2"},
		{"explode", "TRUCK", "--pick", "mast=triplex", "--format", "json"},
		{"explode", "FRAME", "--summary", "--format", "csv"},
		{"cost", "TRUCK", "--pick", "mast=triplex", "--lot", "10", "--format", "json"},
		{"leadtime", "TRUCK", "--pick", "mast=duplex"},
		{"where-used", "CHAIN", "--format", "json"},
		{"where-used", "CHAIN", "--top"},
		{"resolve", "TRUCK", "--pick", "mast=triplex", "--format", "json"},
		{"resolve", "TRUCK", "--defaults", "--format", "csv"},
	} {
		want, _, err := runCmd(t, newBOMCmd(), append(tc, "--store", store)...)
		if err != nil {
			t.Errorf("%v offline: %v", tc, err)
			continue
		}
		got, _, err := runCmd(t, newBOMCmd(), append(tc, "--server", url, "--token", "t0ken-0123456789abcdef")...)
		if err != nil {
			t.Errorf("%v --server: %v", tc, err)
			continue
		}
		if got != want {
			t.Errorf("%v: --server prints\n%s\noffline\n%s", tc, got, want)
		}
	}
}

// TestBOMCostLot: --lot 1 (the default) and --lot 0 (each item's own lot
// size) cost the same offline and through a server, which now tells an
// explicit 0 from a lot left out; a fractional lot is refused. FRAME: a
// fixed lot of 10, 0.5 h of setup at 60 an hour.
func TestBOMCostLot(t *testing.T) {
	data := writeFiles(t, map[string]string{
		"items.csv":       "item,description,uom,kind,lead_time_days,unit_cost,lot_policy,lot_qty\nFRAME,Frame,pc,make,3,0,foq,10\nSTEEL,Steel,kg,buy,5,2,,\n",
		"bom.csv":         "parent,component,qty_per\nFRAME,STEEL,1\n",
		"routings.csv":    "item,op_seq,work_center,setup_hours,run_hours_per_unit\nFRAME,10,WELD,0.5,1\n",
		"workcenters.csv": "work_center,rate_per_hour\nWELD,60\n",
	}, nil)
	url := startServer(t)
	for _, where := range [][]string{{"--data", data}, {"--server", url, "--data", data}} {
		for _, c := range []struct {
			lot   []string
			setup string
		}{
			{nil, "30.00"}, {[]string{"--lot", "1"}, "30.00"}, {[]string{"--lot", "0"}, "3.00"}, {[]string{"--lot", "4"}, "7.50"},
		} {
			args := append(append([]string{"cost", "FRAME", "--format", "csv"}, where...), c.lot...)
			out, errOut, err := runCmd(t, newBOMCmd(), args...)
			if err != nil {
				t.Fatalf("%v: %v\n%s", args, err, errOut)
			}
			if rows := strings.Split(out, "\n"); len(rows) < 2 || strings.Split(rows[1], ",")[1] != c.setup {
				t.Errorf("%v: setup want %s:\n%s", args, c.setup, out)
			}
		}
		args := append([]string{"cost", "FRAME", "--lot", "0.5"}, where...)
		if _, _, err := runCmd(t, newBOMCmd(), args...); err == nil || !strings.Contains(err.Error(), "--lot: 0.5 is not a whole number") {
			t.Errorf("%v: %v, want a fractional lot refused", args, err)
		}
	}
}
