package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/server"
)

// lateUTC is 22:25 UTC on 7 December 2026: already 8 December in
// Shanghai (+08:00) and Kiritimati (+14:00), still 7 December in UTC.
var lateUTC = time.Date(2026, 12, 7, 22, 25, 0, 0, time.UTC)

// fixClock sets the commands' clock to at for the test.
func fixClock(t *testing.T, at time.Time) {
	t.Helper()
	old := clock
	clock = func() time.Time { return at }
	t.Cleanup(func() { clock = old })
}

// forkFiles: a bike whose fork changes overnight, OLD to 7 December, NEW
// from 8 December, and a stock record as plant data.
var forkFiles = map[string]string{
	"items.csv": `item,description,uom,kind,lead_time_days,unit_cost
BIKE,Bike,pc,make,1,0
OLD,Old fork,pc,buy,1,5
NEW,New fork,pc,buy,1,6
`,
	"bom.csv": `parent,component,qty_per,valid_from,valid_to
BIKE,OLD,1,,2026-12-07
BIKE,NEW,1,2026-12-08,
`,
	"stock.csv": "item,qty\nOLD,1\n",
}

// TestTodayIsThePlantsDay: a --date left out is today in the plant's time
// zone, offline as with a server: the day a plan starts on (mrp run on a
// directory, on a store, or through a server, with --tz; mrp capacity and
// the other in-process plans), and the effectivity date of a bom command
// (the zone of the plant the store holds; UTC without one). Before, every
// "today" was the UTC date.
func TestTodayIsThePlantsDay(t *testing.T) {
	fixClock(t, lateUTC)
	data := writeFiles(t, forkFiles, nil)
	store := filepath.Join(t.TempDir(), "store")
	fork := func(args ...string) string {
		t.Helper()
		out, errOut, err := runCmd(t, newBOMCmd(), append([]string{"explode", "BIKE", "--summary", "--format", "csv"}, args...)...)
		if err != nil {
			t.Fatalf("explode %v: %v\n%s", args, err, errOut)
		}
		switch {
		case strings.Contains(out, "\nOLD,") && !strings.Contains(out, "\nNEW,"):
			return "OLD"
		case strings.Contains(out, "\nNEW,") && !strings.Contains(out, "\nOLD,"):
			return "NEW"
		}
		t.Fatalf("explode %v:\n%s", args, out)
		return ""
	}
	if got := fork("--data", data); got != "OLD" {
		t.Errorf("without a plant (UTC, 2026-12-07) BIKE takes %s, want OLD", got)
	}
	if got := fork("--data", data, "--date", "2026-12-08"); got != "NEW" {
		t.Errorf("on 2026-12-08 BIKE takes %s, want NEW", got)
	}

	for _, c := range []struct {
		name string
		args []string
		want string // in the log
	}{
		{"directory", []string{"--data", data, "--tz", "Pacific/Kiritimati"}, "planned on 2026-12-08"},
		{"directory in UTC", []string{"--data", data}, "planned on 2026-12-07"},
		{"store", []string{"--data", data, "--store", store, "--tz", "Asia/Shanghai"}, "on 2026-12-08"},
	} {
		_, errOut, err := runCmd(t, newMRPCmd(), append([]string{"run"}, c.args...)...)
		if err != nil || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: %v, log %q; want %q", c.name, err, errOut, c.want)
		}
	}
	// the store holds a plant in Shanghai: its today is 8 December
	if got := fork("--store", store); got != "NEW" {
		t.Errorf("with the stored plant in Shanghai (2026-12-08) BIKE takes %s, want NEW", got)
	}

	// the commands that plan a directory in this process
	lp := &localPlan{data: data, tz: "Asia/Shanghai"}
	cmd := newMRPCmd()
	cmd.SetContext(context.Background())
	dp, err := lp.planDir(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if d := dp.p.Calendar().Start.Format(time.DateOnly); d != "2026-12-08" {
		t.Errorf("mrp capacity --tz Asia/Shanghai plans on %s, want 2026-12-08", d)
	}

	// through a server (its clock): the zone goes with the plant data
	opts := server.DefaultOptions()
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	opts.Now = func() time.Time { return lateUTC }
	srv, err := server.New(context.Background(), kv.NewMemory(), opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	_, errOut, err := runCmd(t, newMRPCmd(), "run", "--server", hs.URL, "--data", data, "--tz", "Asia/Shanghai")
	if err != nil || !strings.Contains(errOut, "on 2026-12-08") {
		t.Errorf("mrp run --server --tz Asia/Shanghai: %v, log %q; want the plan on 2026-12-08", err, errOut)
	}
	if got := fork("--server", hs.URL); got != "NEW" {
		t.Errorf("a server with its plant in Shanghai: BIKE takes %s, want NEW", got)
	}
}

// TestDateFlags: every date flag reads dates as the server does
// (mrp.ParseDay: from 1900 on), and a planning date is refused up front
// when its plan and finite schedule would run past 9999-12-31 (planned,
// 9999-12-31 listed late deliveries on 10000-03-10).
func TestDateFlags(t *testing.T) {
	data := writeFiles(t, tinyPlant(), nil)
	for _, c := range []struct {
		cmd  func() *cobra.Command
		args []string
		want string
	}{
		{newBOMCmd, []string{"explode", "--data", data, "TRUCK", "--date", "0001-01-01"}, `--date: "0001-01-01" is before 1900`},
		{newBOMCmd, []string{"resolve", "--data", data, "TRUCK", "--defaults", "--date", "1899-12-31"}, `--date: "1899-12-31" is before 1900`},
		{newBOMCmd, []string{"cost", "--data", data, "CHAIN", "--date", "2026-02-30"}, `--date: "2026-02-30" is not a date`},
		{newMRPCmd, []string{"run", "--data", data, "--date", "0001-01-01"}, `"0001-01-01" is before 1900`},
		{newMRPCmd, []string{"run", "--data", data, "--date", "9999-12-31"}, "plan on 9996-12-31 or earlier"},
		{newMRPCmd, []string{"run", "--data", data, "--date", "9996-12-31", "--horizon", "366"}, "plan on 9996-12-30 or earlier"},
		{newMRPCmd, []string{"exceptions", "--data", data, "--date", "9999-12-31"}, "plan on 9996-12-31 or earlier"},
		{newMRPCmd, []string{"capacity", "--data", data, "--date", "9999-12-31"}, "plan on 9996-12-31 or earlier"},
		{newMRPCmd, []string{"capacity", "--data", data, "--date", "2026-12-01", "--from", "0001-01-01"}, `--from: "0001-01-01" is before 1900`},
		{newMRPCmd, []string{"whatif", "--data", data, "--date", "2026-12-01", "--item", "CHAIN", "--qty", "1", "--due", "0001-01-01"}, `--due: "0001-01-01" is before 1900`},
	} {
		_, _, err := runCmd(t, c.cmd(), c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	store := filepath.Join(t.TempDir(), "store")
	if _, errOut, err := runCmd(t, newMRPCmd(), "run", "--data", data, "--store", store, "--date", "2026-12-01"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if _, _, err := runCmd(t, newMRPCmd(), "run", "--store", store, "--date", "9997-01-01"); err == nil || !strings.Contains(err.Error(), "--date: planning date 9997-01-01 is too late") {
		t.Errorf("replan of a store on 9997-01-01: %v", err)
	}
	if out, errOut, err := runCmd(t, newMRPCmd(), "run", "--data", data, "--date", "9996-12-31", "--format", "csv"); err != nil || strings.Contains(out+errOut, "10000-") {
		t.Errorf("the latest planning date: %v\n%s%s", err, errOut, out)
	}
}
