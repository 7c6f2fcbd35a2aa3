package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/mrp"
)

func newMRPWhatIfCmd() *cobra.Command {
	var (
		f                  localPlan
		id, item, cfg, due string
		qty                int64
		prio               int
		accept             bool
	)
	cmd := &cobra.Command{
		Use:   "whatif --data DIR | --server URL --item ITEM [--config char=value;...] --qty Q --due D [--priority P]",
		Short: "Rush order what-if: the promised date with material and capacity, and which sales orders it would make late",
		Long: `Plans a copy of the plant with the rush sales-order line added, schedules it
finitely and compares every sales order's delivery date; the plan is not
changed. A configurable item needs --config: picks char=value;char!=value
(a characteristic may repeat), completed with its model's defaults as the
server does, and its variant resolved.

  ctoplan mrp whatif --data testdata/forklift --date 2026-12-01 --item FL-TRUCK \
    --config "capacity=t25;mast=triplex" --qty 20 --due 2027-02-19 --priority 10`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if item == "" || qty <= 0 || due == "" {
				return fmt.Errorf("--item, --qty (> 0) and --due are required")
			}
			d, err := wireDay("--due", due)
			if err != nil {
				return err
			}
			if accept && !f.remote() {
				return errAcceptLocal // before planning the directory
			}
			return f.with(cmd, func(pb planBackend) error {
				a, err := pb.whatIf(cmd.Context(), mrp.Demand{ID: id, Item: item, Qty: qty, Due: d, Priority: prio}, cfg, accept)
				if err != nil {
					return err
				}
				return writeRush(cmd.OutOrStdout(), f.format, a)
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&id, "id", "RUSH", "the rush sales-order line's ID")
	cmd.Flags().StringVar(&item, "item", "", "item (or configurable product) wanted")
	cmd.Flags().StringVar(&cfg, "config", "", "picks of a configurable item: char=value;char!=value (completed with the model's defaults)")
	cmd.Flags().Int64Var(&qty, "qty", 0, "quantity")
	cmd.Flags().StringVar(&due, "due", "", "requested date YYYY-MM-DD")
	cmd.Flags().IntVar(&prio, "priority", 0, "priority (higher is scheduled first)")
	cmd.Flags().BoolVar(&accept, "accept", false, "with --server: book the rush line into the plan (one transaction)")
	return cmd
}

// writeRush prints a rush what-if answer: the rush line, then each line
// it would delay.
func writeRush(w io.Writer, format string, a *mrp.RushAnswer) error {
	t := &table{header: []string{"sales_order", "requested", "promised", "late_days", "delayed_by_days", "reason"}}
	t.add(rushJSON{a.Demand, day(a.Requested), day(a.Promised), a.LateDays, 0, a.Reason},
		a.Demand, day(a.Requested), day(a.Promised), strconv.Itoa(a.LateDays), "", a.Reason)
	for _, x := range a.Delayed {
		why := fmt.Sprintf("delivered %s instead of %s", day(x.After), day(x.Before))
		t.add(rushJSON{x.Demand, "", day(x.After), x.Late, x.Days, why},
			x.Demand, "", day(x.After), strconv.Itoa(x.Late), strconv.Itoa(x.Days), why)
	}
	return t.write(w, format)
}

type rushJSON struct {
	SalesOrder string `json:"sales_order"`
	Requested  string `json:"requested,omitempty"`
	Promised   string `json:"promised"`
	LateDays   int    `json:"late_days"`
	DelayedBy  int    `json:"delayed_by_days,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

func newMRPStatusCmd() *cobra.Command {
	var f localPlan
	cmd := &cobra.Command{
		Use:   "status --data DIR SALES_ORDER...",
		Short: "Where a sales order stands: operations done, latest open order, expected vs promised delivery, at risk and why",
		Long: `Plans the plant, applies the shop-floor confirmations of DIR/confirmations.csv
(id,order,op_seq,good_qty,scrap_qty,hours,done), schedules finitely and
reports each sales-order line through its pegging.

  ctoplan mrp status --data testdata/forklift --date 2026-12-01 SO-26-1187`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.with(cmd, func(pb planBackend) error {
				sts, err := pb.status(cmd.Context(), args)
				if err != nil {
					return err
				}
				return writeStatuses(cmd.OutOrStdout(), f.format, sts)
			})
		},
	}
	f.register(cmd)
	return cmd
}

type statusJSON struct {
	SalesOrder   string `json:"sales_order"`
	OpsDone      int    `json:"ops_done"`
	OpsTotal     int    `json:"ops_total"`
	Latest       string `json:"latest_order,omitempty"`
	LatestFinish string `json:"latest_finish,omitempty"`
	Promised     string `json:"promised"`
	Expected     string `json:"expected"`
	AtRisk       bool   `json:"at_risk"`
	LateDays     int    `json:"late_days"`
	Reason       string `json:"reason,omitempty"`
}

// writeStatuses prints where sales-order lines stand.
func writeStatuses(w io.Writer, format string, sts []*mrp.OrderStatus) error {
	t := &table{header: []string{"sales_order", "ops_done", "ops_total", "latest_order", "latest_finish", "promised", "expected", "at_risk", "reason"}}
	for _, st := range sts {
		risk := "no"
		if st.AtRisk {
			risk = "yes"
		}
		fin := ""
		if st.Latest != "" {
			fin = day(st.LatestFinish)
		}
		t.add(statusJSON{st.Demand, st.OpsDone, st.OpsTotal, st.Latest, fin, day(st.Promised), day(st.Expected), st.AtRisk, st.LateDays, st.Reason},
			st.Demand, strconv.Itoa(st.OpsDone), strconv.Itoa(st.OpsTotal), st.Latest, fin, day(st.Promised), day(st.Expected), risk, strings.TrimSpace(st.Reason))
	}
	return t.write(w, format)
}

// day prints a date as YYYY-MM-DD, "" for none.
func day(t time.Time) string { return convert.Date(t) }
