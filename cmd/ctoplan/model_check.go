package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
)

func newModelCheckCmd() *cobra.Command {
	var batch string
	var onlyInvalid bool
	cmd := &cobra.Command{
		Use:   "check MODEL --batch CONFIGS",
		Short: "Check many (partial) configurations: valid, or invalid with a minimal conflict",
		Long: `Check reads CONFIGS, one configuration per row under a header of
characteristic names (comma-separated CSV, or whitespace-separated like the
Renault sales file). An empty cell means "not picked"; "none" is the empty
value of an optional characteristic. A row is valid when some full valid
configuration extends it; an invalid row is printed with a minimal conflict.
The last line is "N valid, M invalid".`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if batch == "" {
				return fmt.Errorf("missing --batch CONFIGS (see %s --help)", cmd.CommandPath())
			}
			c, err := loadModel(args[0])
			if err != nil {
				return err
			}
			rows, err := readModelBatch(c.Model(), batch)
			if err != nil {
				return err
			}
			ctx, cancel := modelContext(cmd)
			defer cancel()
			w := bufio.NewWriter(cmd.OutOrStdout())
			defer w.Flush()
			valid, invalid := 0, 0
			for _, r := range rows {
				res, err := c.Check(ctx, r.picks)
				if err != nil {
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
			fmt.Fprintf(w, "%d valid, %d invalid\n", valid, invalid)
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&batch, "batch", "", "file of configurations: header of characteristic names, one row per configuration")
	cmd.Flags().BoolVar(&onlyInvalid, "only-invalid", false, "print only the invalid rows (and the summary)")
	return cmd
}

type modelBatchRow struct {
	line  int
	picks []configurator.Pick
}

// readModelBatch reads a batch file; errors are "file:row: column NAME: problem".
func readModelBatch(m *configurator.Model, path string) ([]modelBatchRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	first, err := br.Peek(4096)
	if err != nil && err != io.EOF {
		return nil, err
	}
	firstLine := string(first)
	if i := strings.IndexByte(firstLine, '\n'); i >= 0 {
		firstLine = firstLine[:i]
	}
	var next func() ([]string, int, error)
	if strings.Contains(firstLine, ",") {
		cr := csv.NewReader(br)
		cr.FieldsPerRecord = 0
		next = func() ([]string, int, error) {
			rec, err := cr.Read()
			line, _ := cr.FieldPos(0)
			return rec, line, err
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
	header, _, err := next()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file (want a header of characteristic names)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, h := range header {
		header[i] = strings.TrimSpace(h)
		if m.Char(header[i]) == nil {
			return nil, fmt.Errorf("%s:1: column %d: unknown characteristic %q", path, i+1, header[i])
		}
	}
	var rows []modelBatchRow
	for {
		rec, line, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d cells for %d columns", path, line, len(rec), len(header))
		}
		r := modelBatchRow{line: line}
		for i, cell := range rec {
			v := strings.TrimSpace(cell)
			if v == "" {
				continue
			}
			if err := modelCheckPick(m, header[i], &v); err != nil {
				return nil, fmt.Errorf("%s:%d: column %s: %v", path, line, header[i], err)
			}
			r.picks = append(r.picks, configurator.Pick{Char: header[i], Value: v})
		}
		rows = append(rows, r)
	}
	return rows, nil
}
