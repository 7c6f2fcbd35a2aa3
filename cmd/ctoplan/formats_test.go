package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestFormatVocabulary walks every command: each --format takes exactly
// table, json and csv (bench also markdown), defaults to table, and
// refuses anything else with the one error.
func TestFormatVocabulary(t *testing.T) {
	withMarkdown := map[string]bool{"ctoplan bench": true}
	var walk func(*cobra.Command)
	seen := 0
	walk = func(cmd *cobra.Command) {
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
		f := cmd.Flags().Lookup("format")
		if f == nil {
			return
		}
		seen++
		name := cmd.CommandPath()
		if f.DefValue != "table" {
			t.Errorf("%s: --format defaults to %q, want table", name, f.DefValue)
		}
		want := []string{"table", "json", "csv"}
		if withMarkdown[name] {
			want = append(want, "markdown")
		}
		for _, v := range []string{"table", "json", "csv", "markdown", "text", "xml", "", "JSON"} {
			err := cmd.Flags().Set("format", v)
			switch {
			case slices.Contains(want, v) && err != nil:
				t.Errorf("%s --format %s: %v", name, v, err)
			case !slices.Contains(want, v) && err == nil:
				t.Errorf("%s --format %q accepted", name, v)
			case err != nil && err.Error() != fmt.Sprintf(`invalid argument %q for "--format" flag: want one of %s`, v, strings.Join(want, ", ")):
				t.Errorf("%s --format %q: error %q", name, v, err)
			}
		}
	}
	walk(newRootCmd())
	t.Logf("%d commands have --format", seen)
	// the listings of model, bom and mrp, and bench: far more than a few
	if seen < 20 {
		t.Errorf("only %d commands have --format", seen)
	}
}

// TestModelCSV checks the csv output of the model commands that printed
// only text or json before: one record per line, the header first.
func TestModelCSV(t *testing.T) {
	bike := filepath.Join(engineTestdata, "bike.ctm")
	for _, tc := range []struct {
		args []string
		want []string // lines the output holds
	}{
		// carbon forces disc brakes and no rack (rules carbon_disc, carbon_no_rack)
		{[]string{"propagate", bike, "--pick", "frame=carbon"}, []string{"char,value,status", "frame,carbon,selected", "brakes,disc,forced", "rack,none,forced"}},
		{[]string{"complete", bike, "--pick", "frame=steel"}, []string{"char,value,key", "frame,steel,", "gears,g8,"}},
		{[]string{"analyze", bike}, []string{"model,valid,chars,values,core,dead,elapsed_ms,load_ms,compile_ms,total_ms", "bike,true,7,20,"}},
	} {
		out, err := runModel(t, append(tc.args, "--format", "csv")...)
		if err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%q: output has no %q:\n%s", tc.args, w, out)
			}
		}
	}
}
