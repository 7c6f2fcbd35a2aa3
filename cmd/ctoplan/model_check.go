package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
)

func newModelCheckCmd() *cobra.Command {
	var batch string
	var onlyInvalid, failOnInvalid bool
	cmd := &cobra.Command{
		Use:   "check MODEL --batch CONFIGS",
		Short: "Check many (partial) configurations: valid, or invalid with a minimal conflict",
		Long: `Check reads CONFIGS, one configuration per row under a header of
characteristic names. The separator is the header's: comma, semicolon or
tab (CSV quoting applies), or else spaces, like the Renault sales file. An
empty cell means "not picked"; "none" is the empty value of an optional
characteristic. A row is valid when some full valid configuration extends
it; an invalid row is printed with a minimal conflict. A row that cannot
be read (an unknown value, the wrong number of cells) is printed as
"row N: error: ..." and the batch goes on.

The last line is "N valid, M invalid" (and ", E errors" if any). The run
fails after the last line when some row had an error, or, with
--fail-on-invalid, when some row is invalid.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if batch == "" {
				return fmt.Errorf("missing --batch CONFIGS (see %s --help)", cmd.CommandPath())
			}
			c, err := loadModel(args[0])
			if err != nil {
				return err
			}
			rows, err := readModelBatch(c, batch)
			if err != nil {
				return err
			}
			ctx, cancel := modelContext(cmd)
			defer cancel()
			w := bufio.NewWriter(cmd.OutOrStdout())
			defer w.Flush()
			valid, invalid, bad := 0, 0, 0
			for _, r := range rows {
				if r.err != "" {
					bad++
					fmt.Fprintf(w, "row %d: error: %s\n", r.line, r.err)
					continue
				}
				res, err := c.Check(ctx, r.picks)
				if errors.Is(err, configurator.ErrBadPick) {
					bad++
					fmt.Fprintf(w, "row %d: error: %v\n", r.line, err)
					continue
				}
				if err != nil {
					w.Flush()
					return fmt.Errorf("%s:%d: %w", batch, r.line, err)
				}
				if res.Valid {
					valid++
					if !onlyInvalid {
						fmt.Fprintf(w, "row %d: valid\n", r.line)
					}
					continue
				}
				invalid++
				fmt.Fprintf(w, "row %d: invalid: %s\n", r.line, res.Conflict)
			}
			fmt.Fprintf(w, "%d valid, %d invalid", valid, invalid)
			if bad > 0 {
				fmt.Fprintf(w, ", %s", plural(bad, "error", "errors"))
			}
			fmt.Fprintln(w)
			if err := w.Flush(); err != nil {
				return err
			}
			var fails []string
			if bad > 0 {
				fails = append(fails, plural(bad, "row", "rows")+" with errors")
			}
			if failOnInvalid && invalid > 0 {
				fails = append(fails, plural(invalid, "invalid row", "invalid rows"))
			}
			if len(fails) > 0 {
				return fmt.Errorf("%s: %s", batch, strings.Join(fails, ", "))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&batch, "batch", "", "file of configurations: header of characteristic names, one row per configuration")
	cmd.Flags().BoolVar(&onlyInvalid, "only-invalid", false, "print only the invalid rows, the rows with errors and the summary")
	cmd.Flags().BoolVar(&failOnInvalid, "fail-on-invalid", false, "fail (exit status 1) when some row is invalid, e.g. in CI")
	return cmd
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// modelBatchRow is one row of a batch file: its picks, or why it cannot
// be read.
type modelBatchRow struct {
	line  int
	picks []configurator.Pick
	err   string
}

// batchSeparator returns the separator of a batch file's header line: the
// most frequent of comma, semicolon and tab, or 0 for runs of spaces.
func batchSeparator(header string) rune {
	best, n := rune(0), 0
	for _, sep := range []rune{',', ';', '\t'} {
		if k := strings.Count(header, string(sep)); k > n {
			best, n = sep, k
		}
	}
	return best
}

// readModelBatch reads a batch file. An unreadable header or file is an
// error ("file:row: ..."); a bad row is kept with its problem
// ("column NAME: problem") for the caller to report.
func readModelBatch(c *configurator.Compiled, path string) ([]modelBatchRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\ufeff")) {
		br.Discard(3)
	}
	first, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	firstLine := strings.TrimLeft(string(first), "\r\n")
	if i := strings.IndexByte(firstLine, '\n'); i >= 0 {
		firstLine = firstLine[:i]
	}
	var next func() ([]string, int, error)
	if sep := batchSeparator(firstLine); sep != 0 {
		cr := csv.NewReader(br)
		cr.Comma = sep
		cr.FieldsPerRecord = -1
		next = func() ([]string, int, error) {
			rec, err := cr.Read()
			var pe *csv.ParseError
			switch {
			case err == nil:
				line, _ := cr.FieldPos(0)
				return rec, line, nil
			case errors.As(err, &pe):
				return nil, pe.StartLine, err
			}
			return nil, 0, err
		}
	} else {
		sc := bufio.NewScanner(br)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		line := 0
		next = func() ([]string, int, error) {
			for sc.Scan() {
				line++
				if f := strings.Fields(sc.Text()); len(f) > 0 {
					return f, line, nil
				}
			}
			if err := sc.Err(); err != nil {
				return nil, line, err
			}
			return nil, line, io.EOF
		}
	}
	header, line, err := next()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file (want a header of characteristic names)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, h := range header {
		header[i] = strings.TrimSpace(h)
		if c.Model().Char(header[i]) == nil {
			return nil, fmt.Errorf("%s:%d: column %d: %v", path, line, i+1, c.ValueError(header[i], ""))
		}
	}
	var rows []modelBatchRow
	for {
		rec, line, err := next()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rows = append(rows, modelBatchRow{line: line, err: pe.Err.Error()})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		r := modelBatchRow{line: line}
		if len(rec) != len(header) {
			r.err = fmt.Sprintf("%d cells for %d columns", len(rec), len(header))
			rows = append(rows, r)
			continue
		}
		for i, cell := range rec {
			v := strings.TrimSpace(cell)
			if v == "" {
				continue
			}
			if err := modelCheckPick(c, header[i], &v); err != nil {
				r.err = fmt.Sprintf("column %s: %v", header[i], err)
				r.picks = nil
				break
			}
			r.picks = append(r.picks, configurator.Pick{Char: header[i], Value: v})
		}
		rows = append(rows, r)
	}
	return rows, nil
}
