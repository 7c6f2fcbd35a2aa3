package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/cmd/ctoplan/internal/wire"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/internal/mrprun"
)

func newMRPCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mrp",
		Short: "Material requirements planning: run, planned orders, pegging, exceptions, records, ATP/CTP",
		Long: `Plan the plant: sales orders (configured trucks resolve to their BOM
variants), stock and open orders become planned production orders and
purchase requisitions, each pegged to the demands it serves.

Every subcommand runs offline (--data DIR loads models, master data and plant
data of DIR into a fresh store and plans on --date; --store DIR keeps them) or
against a running server (--server URL):

  ctoplan mrp run --data testdata/forklift --date 2026-12-01
  ctoplan mrp pegging --data testdata/forklift --date 2026-12-01 SO-26-1187`,
	}
	cmd.AddCommand(newMRPRunCmd(), newMRPPeggingCmd(), newMRPExceptionsCmd(), newMRPRecordCmd(), newMRPATPCmd(), newMRPDemandCmd(),
		newMRPReceiptCmd(), newMRPStockCmd(), newMRPFirmCmd(), newMRPReleaseCmd(),
		newMRPCapacityCmd(), newMRPScheduleCmd(), newMRPWhatIfCmd(), newMRPStatusCmd())
	return cmd
}

// registerPlan adds the flags of a planning command: --data also loads the
// plant data, planned on --date.
func (c *common) registerPlan(cmd *cobra.Command, listing bool) {
	c.register(cmd, listing)
	c.plan = true
	cmd.Flags().StringVar(&c.date, "date", "", "planning date YYYY-MM-DD for --data (default today in the plant's time zone, --tz)")
	cmd.Flags().StringVar(&c.tz, "tz", "", "set the plant's time zone (IANA name, e.g. Europe/Berlin; kept with the plant data; default UTC)")
	cmd.Flags().StringVar(&c.shift, "shift-start", "", "set the time the plant's working day starts, HH:MM (kept with the plant data; default 08:00)")
	cmd.Flags().IntVar(&c.horizon, "horizon", 0, "set the planning horizon in days, 1-20000 (kept with the plant data; 0: the one kept, else 365): demand lines due later are not planned")
}

// registerWrite is registerPlan for a command that changes the plan by
// net change and prints what it touched.
func (c *common) registerWrite(cmd *cobra.Command) {
	c.registerPlan(cmd, true)
	cmd.Flags().BoolVar(&c.countsOnly, "counts-only", false, "print how many items the net change touched and changed, not their IDs (thousands on a large plant)")
}

func orderKind(k mrpv1.OrderKind) string { return wire.OrderKind(k) }

// appendOrderCSV appends the csv row of a planned order (its
// orderCells as encoding/csv writes them, without the strings); peg is
// scratch space, returned for the next row.
func appendOrderCSV(b, peg []byte, o *mrpv1.PlannedOrder) ([]byte, []byte) {
	b = mrprun.AppendFieldString(b, o.GetId())
	b = append(b, ',')
	b = mrprun.AppendFieldString(b, o.GetItem())
	b = append(b, ',')
	b = mrprun.AppendFieldString(b, orderKind(o.GetKind()))
	b = append(b, ',')
	b = mrprun.AppendNum(b, float64(o.GetQty()))
	b = append(b, ',')
	b = mrprun.AppendFieldString(b, o.GetReleaseDate())
	b = append(b, ',')
	b = mrprun.AppendFieldString(b, o.GetDueDate())
	b = append(b, ',')
	b = strconv.AppendBool(b, o.GetFirm())
	b = append(b, ',')
	for k, p := range o.GetPeggedTo() {
		if k > 0 {
			peg = append(peg, ';')
		}
		peg = append(peg, p.GetDemand()...)
		peg = append(peg, ':')
		peg = mrprun.AppendNum(peg, p.GetQty())
	}
	b = mrprun.AppendField(b, peg)
	b = append(b, ',')
	if r := o.GetPeggedRest(); r != 0 {
		b = mrprun.AppendNum(b, r)
	}
	return append(b, '\n'), peg
}

// orderCells are the cells of a planned order as mrp run prints it.
func orderCells(o *mrpv1.PlannedOrder) []string {
	var peg []string
	for _, p := range o.GetPeggedTo() {
		peg = append(peg, p.GetDemand()+":"+fmtNum(p.GetQty()))
	}
	rest := ""
	if r := o.GetPeggedRest(); r != 0 {
		rest = fmtNum(r)
	}
	return []string{o.GetId(), o.GetItem(), orderKind(o.GetKind()), fmtNum(float64(o.GetQty())), o.GetReleaseDate(), o.GetDueDate(), strconv.FormatBool(o.GetFirm()), strings.Join(peg, ";"), rest}
}

// orderWriter renders planned orders as mrp run prints them (a listing of
// orderHeader and orderCells, or their messages in JSON) as they come,
// into the bytes of the output: a listing of millions of orders is not
// held as messages and rows of strings first. reset starts it again (the
// listing restarts), writeTo writes it out. Spooled (csv and json), the
// bytes go to a temporary file in blocks as they come, not held in
// memory: the 50k default plant's listing from a server is 2.8 GB of csv
// (12.8 GB held before, in 111 s). A restart empties the file.
type orderWriter struct {
	format string
	buf    bytes.Buffer
	tw     *tabwriter.Writer
	n      int
	peg    []byte   // scratch for a csv row's pegged_to cell
	out    *os.File // the spool file (nil: held in buf until writeTo)
	err    error    // writing to out failed
}

func newOrderWriter(format string) *orderWriter {
	w := &orderWriter{format: format}
	w.reset()
	return w
}

// spool makes w gather csv or json in a temporary file (see
// orderWriter); where none can be made it holds them in memory. close
// removes the file.
func (w *orderWriter) spool() {
	if w.format != "csv" && w.format != "json" {
		return // a table is aligned on all its rows: held
	}
	if f, err := os.CreateTemp("", "ctoplan-orders-*"); err == nil {
		w.out = f
	}
}

func (w *orderWriter) close() {
	if w.out != nil {
		w.out.Close()
		os.Remove(w.out.Name())
		w.out = nil
	}
}

// orderBlock is how many bytes a spooling orderWriter gathers before it
// writes them to its file.
const orderBlock = 64 << 10

// flush writes what w gathered to its spool file once it has a block (all
// when force).
func (w *orderWriter) flush(force bool) error {
	if w.out == nil || w.err != nil {
		return w.err
	}
	if w.buf.Len() >= orderBlock || force && w.buf.Len() > 0 {
		if _, err := w.out.Write(w.buf.Bytes()); err != nil {
			w.err = fmt.Errorf("spooling the listing: %w", err)
			return w.err
		}
		w.buf.Reset()
	}
	return nil
}

func (w *orderWriter) reset() {
	if w.out != nil && w.err == nil {
		if _, err := w.out.Seek(0, io.SeekStart); err != nil {
			w.err = err
		} else if err := w.out.Truncate(0); err != nil {
			w.err = err
		}
	}
	w.buf.Reset()
	w.n = 0
	switch w.format {
	case "json":
		w.buf.WriteString("[")
	case "csv":
		// rows are appended to buf as bytes (appendOrderCSV), and so
		// is the header
		b := w.buf.AvailableBuffer()
		for k, h := range orderHeader {
			if k > 0 {
				b = append(b, ',')
			}
			b = mrprun.AppendFieldString(b, h)
		}
		w.buf.Write(append(b, '\n'))
	default:
		w.tw = tabwriter.NewWriter(&w.buf, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w.tw, strings.Join(orderHeader, "\t"))
	}
}

func (w *orderWriter) add(o *mrpv1.PlannedOrder) error {
	switch w.format {
	case "json":
		if w.n > 0 {
			w.buf.WriteByte(',')
		}
		w.buf.WriteString("\n  ")
		appendMessage(&w.buf, o.ProtoReflect())
	case "csv":
		var b []byte
		b, w.peg = appendOrderCSV(w.buf.AvailableBuffer(), w.peg[:0], o)
		w.buf.Write(b)
	default:
		fmt.Fprintln(w.tw, strings.Join(orderCells(o), "\t"))
	}
	w.n++
	if w.out != nil && w.n%256 == 0 {
		return w.flush(false)
	}
	return nil
}

func (w *orderWriter) writeTo(out io.Writer) error {
	if w.err != nil {
		return w.err
	}
	switch w.format {
	case "json":
		if w.n > 0 {
			w.buf.WriteByte('\n')
		}
		w.buf.WriteString("]\n")
	case "csv":
	default:
		if err := w.tw.Flush(); err != nil {
			return err
		}
	}
	if w.out != nil {
		if err := w.flush(true); err != nil {
			return err
		}
		if _, err := w.out.Seek(0, io.SeekStart); err != nil {
			return err
		}
		_, err := io.Copy(out, w.out)
		return err
	}
	_, err := out.Write(w.buf.Bytes())
	return err
}

var orderHeader = mrprun.Header
