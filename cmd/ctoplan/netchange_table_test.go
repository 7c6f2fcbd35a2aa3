package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

// TestWriteNetChangeTouched: a net change's table row lists the first
// tableTouchedIDs touched items and how many more there are; csv and json
// list every one.
func TestWriteNetChangeTouched(t *testing.T) {
	for _, n := range []int{0, 1, tableTouchedIDs, tableTouchedIDs + 1, 17524} {
		ids := make([]string, n)
		for k := range ids {
			ids[k] = fmt.Sprintf("P%07d", k)
		}
		ch := &mrpv1.NetChange{Touched: ids, TouchedCount: int32(n), Items: 50000}
		out := func(format string) string {
			var b bytes.Buffer
			cmd := &cobra.Command{}
			cmd.SetOut(&b)
			if err := writeNetChange(cmd, format, ch); err != nil {
				t.Fatalf("%d ids, %s: %v", n, format, err)
			}
			return b.String()
		}
		lines := strings.Split(strings.TrimSpace(out("table")), "\n")
		if len(lines) != 2 {
			t.Fatalf("%d ids: table of %d lines:\n%s", n, len(lines), out("table"))
		}
		fields := strings.Fields(lines[1])
		shown := min(n, tableTouchedIDs)
		// touched, changed, items, planned_orders, exceptions, elapsed_ms, then the IDs
		if got := fields[6:min(len(fields), 6+shown)]; strings.Join(got, " ") != strings.Join(ids[:shown], " ") {
			t.Errorf("%d ids: table lists %v", n, got)
		}
		if more := n - shown; more > 0 {
			if want := fmt.Sprintf("... (%d more: --format csv or json lists all)", more); !strings.HasSuffix(lines[1], want) {
				t.Errorf("%d ids: table row ends %q, want %q", n, lines[1][max(0, len(lines[1])-80):], want)
			}
		} else if len(fields) != 6+n {
			t.Errorf("%d ids: table row %q", n, lines[1])
		}
		recs, err := csv.NewReader(strings.NewReader(out("csv"))).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("%d ids: csv %v, %d records", n, err, len(recs))
		}
		if got := recs[1][6]; got != strings.Join(ids, " ") {
			t.Errorf("%d ids: csv touched_items holds %d bytes, want all %d IDs", n, len(got), n)
		}
		var js []struct {
			Touched []string `json:"touched"`
		}
		if err := json.Unmarshal([]byte(out("json")), &js); err != nil || len(js) != 1 || len(js[0].Touched) != n {
			t.Errorf("%d ids: json %v, %v", n, err, js)
		}
	}
}
