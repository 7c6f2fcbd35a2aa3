package main

import (
	"context"
	"errors"
	"fmt"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

func newBOMCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bom",
		Short: "Configured bills of materials: import, resolve, explode, where-used, cost, lead time",
		Long: `Work with the super BOM and its configured variants.

Every subcommand runs offline on a store (--store DIR, or a fresh in-memory
store) or against a running server (--server URL). --data DIR first loads the
models (*.ctm, or feature models: *.uvl, *.dimacs, *.cnf, *.xml) and master-data
CSVs of DIR (items.csv, bom.csv, routings.csv,
workcenters.csv; docs/csv-format.md), so that one command answers from
scratch:

  ctoplan bom explode --data testdata/forklift FL-TRUCK --pick capacity=t30`,
	}
	cmd.AddCommand(newBOMImportCmd(), newBOMResolveCmd(), newBOMExplodeCmd(), newBOMWhereUsedCmd(),
		newBOMCostCmd(), newBOMLeadTimeCmd())
	return cmd
}

// common holds the flags every bom and mrp subcommand shares.
type common struct {
	backend backendFlags
	data    string
	format  string
	// plan: --data also loads the plant data and plans on date.
	plan bool
	date string
	// tz and shift set the plant's time zone and shift start (mrp
	// commands: registerPlan).
	tz, shift string
	// horizon sets the planning horizon in days (mrp commands; kept
	// with the plant data; 0 keeps it)
	horizon int
	// countsOnly: a write prints the counts of the items its net change
	// touched and changed, not their IDs (registerWrite)
	countsOnly bool
}

func (c *common) register(cmd *cobra.Command, listing bool) {
	c.backend.register(cmd)
	cmd.Flags().StringVar(&c.data, "data", "", "load the models and CSV files of this directory first (each master-data file replaces its kind whole in --store or --server)")
	if listing {
		addFormatFlag(cmd, &c.format)
	}
}

// open connects to the backend and loads --data; the caller closes the
// clients.
func (c *common) open(cmd *cobra.Command) (*clients, error) {
	cl, err := c.backend.open(cmd)
	if err != nil {
		return nil, err
	}
	if c.data != "" {
		// the plant's zone, shift and horizon imported with the plant
		// data: the server's "today" (no --date) is the day in that zone
		imp := &mrpv1.ImportPlantRequest{Date: c.date, TimeZone: c.tz, ShiftStart: c.shift, Horizon: int32(c.horizon)}
		if err := loadData(cmd, cl, c.data, c.plan, imp); err != nil {
			cl.close()
			return nil, err
		}
	} else if c.plan && (c.tz != "" || c.shift != "" || c.horizon != 0) {
		// the plant's zone, shift and horizon: kept with the plant data,
		// replanned
		if _, err := cl.mrp.Run(cmd.Context(), connect.NewRequest(&mrpv1.RunRequest{TimeZone: c.tz, ShiftStart: c.shift, Horizon: int32(c.horizon)})); err != nil {
			cl.close()
			return nil, readable(err)
		}
	}
	return cl, nil
}

// run connects to --server, loads --data into it, calls fn and closes the
// connection, turning RPC errors into readable ones (the commands' --server
// side; offline they run the library: runBOM, runPlant).
func (c *common) run(cmd *cobra.Command, fn func(*clients) error) (err error) {
	cl, err := c.open(cmd)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := cl.close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err := fn(cl); err != nil {
		return readable(err)
	}
	return nil
}

// targetFlags name what a bom command works on: a standard item, a
// configurable item with picks (resolved first), or a variant id.
type targetFlags struct {
	picks   []string
	variant string
	date    string
}

func (t *targetFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&t.picks, "pick", nil, "configure ITEM: char=value (repeatable; completed with the model's defaults)")
	fl.StringVar(&t.variant, "variant", "", "a variant `ID` (as printed by ctoplan bom resolve) instead of ITEM")
	fl.StringVar(&t.date, "date", "", "effectivity date YYYY-MM-DD (default today in the time zone of the stored plant, UTC without one)")
}

// runOn runs fn on the command's backend with the variant or item the
// arguments and flags name.
func (t *targetFlags) runOn(c *common, cmd *cobra.Command, args []string, fn func(context.Context, bomBackend, bomTarget) error) error {
	var tg bomTarget
	switch {
	case t.variant != "" && len(args) > 0:
		return errors.New("give ITEM or --variant, not both")
	case t.variant != "":
		tg.variant = t.variant
	case len(args) == 0:
		return errors.New("missing ITEM (or --variant)")
	default:
		tg = bomTarget{item: args[0], date: t.date, picks: t.picks}
	}
	return c.runBOM(cmd, func(ctx context.Context, b bomBackend) error { return fn(ctx, b, tg) })
}

// errUsage is a usage mistake: the message and a pointer to --help.
func errUsage(cmd *cobra.Command, msg string) error {
	return fmt.Errorf("%s (see %s --help)", msg, cmd.CommandPath())
}
