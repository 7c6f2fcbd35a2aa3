package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
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
	cmd.Flags().StringVar(&c.date, "date", "", "planning date YYYY-MM-DD for --data (default today)")
	cmd.Flags().StringVar(&c.tz, "tz", "", "set the plant's time zone (IANA name, e.g. Europe/Berlin; kept with the plant data; default UTC)")
	cmd.Flags().StringVar(&c.shift, "shift-start", "", "set the time the plant's working day starts, HH:MM (kept with the plant data; default 08:00)")
	cmd.Flags().IntVar(&c.horizon, "horizon", 0, "set the planning horizon in days, 1-20000 (kept with the plant data; default 365): demand lines due later are not planned")
}

func orderKind(k mrpv1.OrderKind) string { return wire.OrderKind(k) }

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
// listing restarts), writeTo writes it out.
type orderWriter struct {
	format string
	buf    bytes.Buffer
	cw     *csv.Writer
	tw     *tabwriter.Writer
	n      int
}

func newOrderWriter(format string) *orderWriter {
	w := &orderWriter{format: format}
	w.reset()
	return w
}

func (w *orderWriter) reset() {
	w.buf.Reset()
	w.n = 0
	switch w.format {
	case "json":
		w.buf.WriteString("[")
	case "csv":
		w.cw = csv.NewWriter(&w.buf)
		_ = w.cw.Write(orderHeader) // into a bytes.Buffer: no error
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
		if err := w.cw.Write(orderCells(o)); err != nil {
			return err
		}
	default:
		fmt.Fprintln(w.tw, strings.Join(orderCells(o), "\t"))
	}
	w.n++
	return nil
}

func (w *orderWriter) writeTo(out io.Writer) error {
	switch w.format {
	case "json":
		if w.n > 0 {
			w.buf.WriteByte('\n')
		}
		w.buf.WriteString("]\n")
	case "csv":
		w.cw.Flush()
		if err := w.cw.Error(); err != nil {
			return err
		}
	default:
		if err := w.tw.Flush(); err != nil {
			return err
		}
	}
	_, err := out.Write(w.buf.Bytes())
	return err
}

var orderHeader = mrprun.Header
