package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/csvtext"
)

func newModelCheckCmd() *cobra.Command {
	var batch, format string
	var picks []string
	var onlyInvalid, failOnInvalid bool
	var sf modelServerFlags
	cmd := &cobra.Command{
		Use:   "check MODEL [--pick char=value ...] [--batch CONFIGS]",
		Short: "Check (partial) configurations: valid, or invalid with a minimal conflict",
		Long: `Check says whether a (partial) configuration is valid: whether some full
valid configuration extends it. An invalid one is printed with a minimal
conflict. MODEL is a model file, or with --server URL the name of a model
stored on that server (or give --model NAME); the server then decides
every check (Check RPC).

The configuration is the --pick flags (char=value, char!=value; "none" is
the empty value of an optional characteristic), or with --batch CONFIGS
one configuration per row under a header of characteristic names. The
separator is the header's: comma, semicolon or tab (CSV quoting applies),
or else spaces, like the Renault sales file (a header of one name is
read as CSV). An empty cell means "not picked"; "none" is the empty value
of an optional characteristic; a multi-valued characteristic lists its
values in one cell, separated by '|', ';' or ',' (quoted in a file
separated so): led_front|beacon. A row
that cannot be read (an unknown value, the wrong number of cells) is
printed as "row N: error: ..." and the batch goes on.

--format table prints one line per configuration and, for a batch, the
summary "N valid, M invalid" (and ", E errors" if any); json and csv give
the same as records. The run fails (after the output) when a batch row had
an error, or, with --fail-on-invalid, when a configuration is invalid.`,
		Args: cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if batch != "" && len(picks) > 0 {
				return errors.New("give either --pick flags or --batch CONFIGS, not both")
			}
			if batch == "" && len(picks) == 0 {
				return fmt.Errorf("missing --batch CONFIGS or --pick char=value (see %s --help; whether the model has any valid configuration at all: model analyze --fail-on-invalid)", cmd.CommandPath())
			}
			name, _, err := sf.split(args, 0)
			if err != nil {
				return err
			}
			out := checkOutput{format: format, batch: batch, onlyInvalid: onlyInvalid, failOnInvalid: failOnInvalid}
			return sf.with(cmd, name, func(_ context.Context, b modelBackend) error {
				// A server's stored text parses the picks here, so that a
				// typo reads as it does offline; the backend decides every
				// check.
				c, err := b.compiled()
				if err != nil {
					return err
				}
				return out.run(cmd, c, picks, b.check)
			})
		},
	}
	cmd.Flags().StringArrayVar(&picks, "pick", nil, pickHelp)
	cmd.Flags().StringVar(&batch, "batch", "", "file of configurations: header of characteristic names, one row per configuration")
	cmd.Flags().BoolVar(&onlyInvalid, "only-invalid", false, "print only the invalid configurations, the rows with errors and the summary")
	cmd.Flags().BoolVar(&failOnInvalid, "fail-on-invalid", false, "fail (exit status 1) when a configuration is invalid, e.g. in CI")
	addFormatFlag(cmd, &format)
	sf.register(cmd)
	return cmd
}

// checkFunc decides one configuration: the engine's Check offline, the
// Check RPC with --server.
type checkFunc func(context.Context, []configurator.Pick) (*configurator.CheckResult, error)

// checkOutput is what model check was asked to check and print.
type checkOutput struct {
	format, batch              string
	onlyInvalid, failOnInvalid bool
}

// checkRow is the outcome of one configuration: valid, invalid with a
// conflict, or an error (a row that cannot be read).
type checkRow struct {
	line     int // batch row; 0 for --pick
	valid    bool
	conflict *configurator.Conflict
	err      string
}

func (o checkOutput) run(cmd *cobra.Command, c *configurator.Compiled, pickFlags []string, check checkFunc) error {
	var rows []modelBatchRow
	if o.batch != "" {
		var err error
		if rows, err = readModelBatch(c, o.batch); err != nil {
			return err
		}
	} else {
		ps, err := parseModelPicks(c, pickFlags)
		if err != nil {
			return err
		}
		rows = []modelBatchRow{{picks: ps}}
	}
	ctx, cancel := modelContext(cmd)
	defer cancel()
	var out []checkRow
	valid, invalid, bad := 0, 0, 0
	for _, r := range rows {
		if r.err != "" {
			bad++
			out = append(out, checkRow{line: r.line, err: r.err})
			continue
		}
		res, err := check(ctx, r.picks)
		if errors.Is(err, configurator.ErrBadPick) || connect.CodeOf(err) == connect.CodeInvalidArgument {
			bad++
			out = append(out, checkRow{line: r.line, err: readable(err).Error()})
			continue
		}
		if err != nil {
			if o.batch != "" {
				return fmt.Errorf("%s:%d: %w", o.batch, r.line, err)
			}
			return err
		}
		if res.Valid {
			valid++
			if !o.onlyInvalid {
				out = append(out, checkRow{line: r.line, valid: true})
			}
			continue
		}
		invalid++
		out = append(out, checkRow{line: r.line, conflict: res.Conflict})
	}
	if err := o.write(cmd.OutOrStdout(), out, valid, invalid, bad); err != nil {
		return err
	}
	var fails []string
	if bad > 0 {
		fails = append(fails, plural(bad, "row", "rows")+" with errors")
	}
	if o.failOnInvalid && invalid > 0 {
		if o.batch != "" {
			fails = append(fails, plural(invalid, "invalid row", "invalid rows"))
		} else {
			fails = append(fails, "invalid configuration")
		}
	}
	if len(fails) > 0 {
		where := o.batch
		if where == "" {
			where = "--pick"
		}
		return fmt.Errorf("%s: %s", where, strings.Join(fails, ", "))
	}
	return nil
}

func (o checkOutput) write(w io.Writer, rows []checkRow, valid, invalid, bad int) error {
	result := func(r checkRow) (string, string) {
		switch {
		case r.err != "":
			return "error", r.err
		case r.valid:
			return "valid", ""
		}
		return "invalid", r.conflict.String()
	}
	switch o.format {
	case "json":
		type jrow struct {
			Row      int           `json:"row,omitempty"`
			Valid    bool          `json:"valid"`
			Conflict *jsonConflict `json:"conflict,omitempty"`
			Error    string        `json:"error,omitempty"`
		}
		js := make([]jrow, len(rows))
		for i, r := range rows {
			js[i] = jrow{Row: r.line, Valid: r.valid, Conflict: toJSONConflict(r.conflict), Error: r.err}
		}
		if o.batch == "" {
			if len(js) == 0 { // --only-invalid and valid
				return writeJSON(w, jrow{Valid: true})
			}
			return writeJSON(w, js[0])
		}
		return writeJSON(w, struct {
			Rows    []jrow `json:"rows"`
			Valid   int    `json:"valid"`
			Invalid int    `json:"invalid"`
			Errors  int    `json:"errors"`
		}{js, valid, invalid, bad})
	case "csv":
		cw := csv.NewWriter(w)
		header := []string{"result", "detail"}
		if o.batch != "" {
			header = append([]string{"row"}, header...)
		}
		cw.Write(header)
		for _, r := range rows {
			res, detail := result(r)
			rec := []string{res, detail}
			if o.batch != "" {
				rec = append([]string{strconv.Itoa(r.line)}, rec...)
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	}
	bw := bufio.NewWriter(w)
	for _, r := range rows {
		res, detail := result(r)
		if o.batch != "" {
			fmt.Fprintf(bw, "row %d: ", r.line)
		}
		if detail == "" {
			fmt.Fprintln(bw, res)
		} else {
			fmt.Fprintf(bw, "%s: %s\n", res, detail)
		}
	}
	if o.batch != "" {
		fmt.Fprintf(bw, "%d valid, %d invalid", valid, invalid)
		if bad > 0 {
			fmt.Fprintf(bw, ", %s", plural(bad, "error", "errors"))
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
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
	sep := batchSeparator(firstLine)
	if sep == 0 && len(strings.Fields(firstLine)) <= 1 {
		sep = ',' // one column: CSV, so that its quotes are read as quotes
	}
	if sep != 0 {
		cr := csv.NewReader(csvtext.NewReader(br, byte(sep), false))
		cr.Comma = sep
		cr.FieldsPerRecord = -1
		next = func() ([]string, int, error) {
			rec, err := cr.Read()
			var pe *csv.ParseError
			var te *csvtext.Error
			switch {
			case err == nil:
				line, _ := cr.FieldPos(0)
				return rec, line, nil
			case errors.As(err, &pe):
				return nil, pe.StartLine, err
			case errors.As(err, &te):
				return nil, te.Line, err // a row of far more cells than the header
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
	fail := func(err error) error {
		if te := (*csvtext.Error)(nil); errors.As(err, &te) {
			return fmt.Errorf("%s:%d: %s", path, te.Line, te.Msg)
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	header, line, err := next()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file (want a header of characteristic names)", path)
	}
	if err != nil {
		return nil, fail(err)
	}
	for i, h := range header {
		header[i] = strings.TrimSpace(h)
		if c.Model().Char(header[i]) == nil {
			return nil, fmt.Errorf("%s:%d: column %d: %v", path, line, i+1, c.ValueError(header[i], ""))
		}
		if j := slices.Index(header[:i], header[i]); j >= 0 {
			return nil, fmt.Errorf("%s:%d: column %d: %s is column %d too (a multi-valued characteristic lists its values in one cell, separated by '|')", path, line, i+1, header[i], j+1)
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
			return nil, fail(err)
		}
		r := modelBatchRow{line: line}
		if len(rec) != len(header) {
			r.err = fmt.Sprintf("%d cells for %d columns", len(rec), len(header))
			rows = append(rows, r)
			continue
		}
	cells:
		for i, cell := range rec {
			vs := []string{strings.TrimSpace(cell)}
			if ch := c.Model().Char(header[i]); ch.Kind == configurator.Multi {
				// several values of a multi-valued characteristic: "a|b",
				// or "a;b" or "a,b" (quoted in a file separated so)
				vs = strings.FieldsFunc(vs[0], func(r rune) bool { return r == '|' || r == ';' || r == ',' })
			}
			for _, v := range vs {
				if v = strings.TrimSpace(v); v == "" {
					continue
				}
				if err := modelCheckPick(c, header[i], &v); err != nil {
					r.err = fmt.Sprintf("column %s: %v", header[i], err)
					r.picks = nil
					break cells
				}
				r.picks = append(r.picks, configurator.Pick{Char: header[i], Value: v})
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}
