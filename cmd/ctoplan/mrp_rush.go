package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
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
		Use:   "whatif --data DIR --item ITEM [--config char=value;...] --qty Q --due D [--priority P]",
		Short: "Rush order what-if: the promised date with material and capacity, and which sales orders it would make late",
		Long: `Plans a copy of the plant with the rush sales-order line added, schedules it
finitely and compares every sales order's delivery date; the plan is not
changed. A configurable item needs --config (its variant is resolved).

  ctoplan mrp whatif --data testdata/forklift --date 2026-12-01 --item FL-TRUCK \
    --config "capacity=t25;mast=triplex" --qty 20 --due 2027-02-19 --priority 10`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if item == "" || qty <= 0 || due == "" {
				return fmt.Errorf("--item, --qty (> 0) and --due are required")
			}
			d, err := time.Parse(time.DateOnly, due)
			if err != nil {
				return fmt.Errorf("--due: bad date %q (want YYYY-MM-DD)", due)
			}
			if f.remote() {
				return f.runRemote(cmd, func(cl *clients) error {
					return remoteWhatIf(cmd, cl, &mrpv1.Demand{Id: id, Item: item, Qty: float64(qty), DueDate: due, Priority: int32(prio)}, cfg, accept, f.format)
				})
			}
			if accept {
				return fmt.Errorf("--accept needs --server (with --data nothing is stored)")
			}
			p, src, c, err := f.planSrc(cmd)
			if err != nil {
				return err
			}
			rush := mrp.Rush{Demand: mrp.Demand{ID: id, Item: item, Qty: qty, Due: d, Priority: prio}}
			if cfg != "" {
				conf, err := mrp.ParseConfig(cfg)
				if err != nil {
					return fmt.Errorf("--config: %w", err)
				}
				v, _, err := src.Variant(cmd.Context(), item, conf)
				if err != nil {
					return fmt.Errorf("--config: %w", err)
				}
				rush.Demand.Item, rush.Items = v, src.Items()
			}
			a, err := p.WhatIf(c, nil, rush)
			if err != nil {
				return err
			}
			t := &table{header: []string{"sales_order", "requested", "promised", "late_days", "delayed_by_days", "reason"}}
			t.add(rushJSON{a.Demand, a.Requested.Format(time.DateOnly), a.Promised.Format(time.DateOnly), a.LateDays, 0, a.Reason},
				a.Demand, a.Requested.Format(time.DateOnly), a.Promised.Format(time.DateOnly), strconv.Itoa(a.LateDays), "", a.Reason)
			for _, x := range a.Delayed {
				why := fmt.Sprintf("delivered %s instead of %s", x.After.Format(time.DateOnly), x.Before.Format(time.DateOnly))
				t.add(rushJSON{x.Demand, "", x.After.Format(time.DateOnly), x.Late, x.Days, why},
					x.Demand, "", x.After.Format(time.DateOnly), strconv.Itoa(x.Late), strconv.Itoa(x.Days), why)
			}
			return t.write(cmd.OutOrStdout(), f.format)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&id, "id", "RUSH", "the rush sales-order line's ID")
	cmd.Flags().StringVar(&item, "item", "", "item (or configurable product) wanted")
	cmd.Flags().StringVar(&cfg, "config", "", "configuration of a configurable item: char=value;char=value")
	cmd.Flags().Int64Var(&qty, "qty", 0, "quantity")
	cmd.Flags().StringVar(&due, "due", "", "requested date YYYY-MM-DD")
	cmd.Flags().IntVar(&prio, "priority", 0, "priority (higher is scheduled first)")
	cmd.Flags().BoolVar(&accept, "accept", false, "with --server: book the rush line into the plan (one transaction)")
	return cmd
}

// remoteWhatIf is mrp whatif over --server (WhatIfRush, or AcceptRush).
func remoteWhatIf(cmd *cobra.Command, cl *clients, d *mrpv1.Demand, cfg string, accept bool, format string) error {
	if cfg != "" {
		// the server completes picks with the model's defaults
		ps, err := wirePicks(strings.Split(cfg, ";"))
		if err != nil {
			return fmt.Errorf("--config: %w", err)
		}
		d.Picks = ps
	}
	var a *mrpv1.WhatIfRushResponse
	if accept {
		res, err := cl.mrp.AcceptRush(cmd.Context(), connect.NewRequest(&mrpv1.AcceptRushRequest{Rush: d}))
		if err != nil {
			return err
		}
		a = res.Msg.GetAnswer()
		fmt.Fprintf(cmd.ErrOrStderr(), "accepted: net change replanned %d items\n", len(res.Msg.GetChange().GetTouched()))
	} else {
		res, err := cl.mrp.WhatIfRush(cmd.Context(), connect.NewRequest(&mrpv1.WhatIfRushRequest{Rush: d}))
		if err != nil {
			return err
		}
		a = res.Msg
	}
	t := &table{header: []string{"sales_order", "requested", "promised", "late_days", "delayed_by_days", "reason"}}
	t.add(rushJSON{a.GetDemand(), a.GetRequestedDate(), a.GetPromisedDate(), int(a.GetLateDays()), 0, a.GetReason()},
		a.GetDemand(), a.GetRequestedDate(), a.GetPromisedDate(), strconv.Itoa(int(a.GetLateDays())), "", a.GetReason())
	for _, x := range a.GetDelayed() {
		why := fmt.Sprintf("delivered %s instead of %s", x.GetAfterDate(), x.GetBeforeDate())
		t.add(rushJSON{x.GetDemand(), "", x.GetAfterDate(), int(x.GetLateDays()), int(x.GetDays()), why},
			x.GetDemand(), "", x.GetAfterDate(), strconv.Itoa(int(x.GetLateDays())), strconv.Itoa(int(x.GetDays())), why)
	}
	return t.write(cmd.OutOrStdout(), format)
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
			if f.remote() {
				return f.runRemote(cmd, func(cl *clients) error { return remoteStatus(cmd, cl, args, f.format) })
			}
			p, c, err := f.plan(cmd)
			if err != nil {
				return err
			}
			s, err := p.FiniteSchedule(c)
			if err != nil {
				return err
			}
			t := &table{header: []string{"sales_order", "ops_done", "ops_total", "latest_order", "latest_finish", "promised", "expected", "at_risk", "reason"}}
			for _, id := range args {
				st, err := p.Status(s, id)
				if err != nil {
					return err
				}
				risk := "no"
				if st.AtRisk {
					risk = "yes"
				}
				fin := ""
				if st.Latest != "" {
					fin = st.LatestFinish.Format(time.DateOnly)
				}
				t.add(statusJSON{id, st.OpsDone, st.OpsTotal, st.Latest, fin, st.Promised.Format(time.DateOnly), st.Expected.Format(time.DateOnly), st.AtRisk, st.LateDays, st.Reason},
					id, strconv.Itoa(st.OpsDone), strconv.Itoa(st.OpsTotal), st.Latest, fin, st.Promised.Format(time.DateOnly), st.Expected.Format(time.DateOnly), risk, strings.TrimSpace(st.Reason))
			}
			return t.write(cmd.OutOrStdout(), f.format)
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

// remoteStatus is mrp status over --server (SalesOrderStatus).
func remoteStatus(cmd *cobra.Command, cl *clients, ids []string, format string) error {
	res, err := cl.mrp.SalesOrderStatus(cmd.Context(), connect.NewRequest(&mrpv1.SalesOrderStatusRequest{Demands: ids}))
	if err != nil {
		return err
	}
	t := &table{header: []string{"sales_order", "ops_done", "ops_total", "latest_order", "latest_finish", "promised", "expected", "at_risk", "reason"}}
	for _, st := range res.Msg.GetStatuses() {
		risk := "no"
		if st.GetAtRisk() {
			risk = "yes"
		}
		t.add(statusJSON{st.GetDemand(), int(st.GetOpsDone()), int(st.GetOpsTotal()), st.GetLatestOrder(), st.GetLatestFinishDate(), st.GetPromisedDate(),
			st.GetExpectedDate(), st.GetAtRisk(), int(st.GetLateDays()), st.GetReason()},
			st.GetDemand(), strconv.Itoa(int(st.GetOpsDone())), strconv.Itoa(int(st.GetOpsTotal())), st.GetLatestOrder(), st.GetLatestFinishDate(),
			st.GetPromisedDate(), st.GetExpectedDate(), risk, strings.TrimSpace(st.GetReason()))
	}
	return t.write(cmd.OutOrStdout(), format)
}
