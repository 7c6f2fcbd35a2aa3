package main

import (
	"encoding/csv"
	"io"
	"strconv"

	"fmt"
	"github.com/ctoplan/ctoplan/benchmarks"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// formats is the --format vocabulary of every command: table (aligned text
// for a person), json or csv; bench adds markdown.
var formats = []string{"table", "json", "csv"}

// addFormatFlag registers --format on cmd, "table" by default, accepting
// formats and the extra ones. The flag checks its value when it is set, so
// every command refuses an unknown format with the same error before it
// runs: invalid argument "xml" for "--format" flag: want one of table, json, csv.
func addFormatFlag(cmd *cobra.Command, p *string, extra ...string) {
	set := append(slices.Clone(formats), extra...)
	*p = "table"
	cmd.Flags().Var(&formatFlag{p: p, set: set}, "format", "output format: "+strings.Join(set, ", "))
}

// formatFlag is the value of --format.
type formatFlag struct {
	p   *string
	set []string
}

func (f *formatFlag) String() string { return *f.p }
func (f *formatFlag) Type() string   { return "format" }

func (f *formatFlag) Set(s string) error {
	if !slices.Contains(f.set, s) {
		return fmt.Errorf("want one of %s", strings.Join(f.set, ", "))
	}
	*f.p = s
	return nil
}

// writeCSV writes the records (the header first) as CSV.
func writeCSV(w io.Writer, records [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(records); err != nil {
		return err
	}
	return cw.Error()
}

// msText prints milliseconds for csv output.
func msText(ms float64) string { return strconv.FormatFloat(ms, 'f', 1, 64) }

// writeBenchCSV prints bench results as CSV: the columns of the table,
// without the notes.
func writeBenchCSV(cmd *cobra.Command, rs []benchmarks.Result) error {
	records := [][]string{benchmarks.Header}
	for i := range rs {
		records = append(records, rs[i].Row())
	}
	return writeCSV(cmd.OutOrStdout(), records)
}
