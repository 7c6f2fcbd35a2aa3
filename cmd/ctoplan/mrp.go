package main

import (
	"strconv"
	"strings"

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

// addOrders lists planned orders as mrp run prints them.
func addOrders(l *listing, os []*mrpv1.PlannedOrder) {
	for _, o := range os {
		var peg []string
		for _, p := range o.GetPeggedTo() {
			peg = append(peg, p.GetDemand()+":"+fmtNum(p.GetQty()))
		}
		rest := ""
		if r := o.GetPeggedRest(); r != 0 {
			rest = fmtNum(r)
		}
		l.add(o, o.GetId(), o.GetItem(), orderKind(o.GetKind()), fmtNum(float64(o.GetQty())), o.GetReleaseDate(), o.GetDueDate(), strconv.FormatBool(o.GetFirm()), strings.Join(peg, ";"), rest)
	}
}

var orderHeader = mrprun.Header
