package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/cmd/ctoplan/internal/demo"
	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/internal/demodata"
	"github.com/ctoplan/ctoplan/internal/modroot"
	"github.com/ctoplan/ctoplan/kv"
)

// The story's names, for the tests and the other commands' examples.
const (
	storyOrder   = demo.Order
	storyItem    = demo.Item
	storyDate    = demo.Date
	keyRushOrder = demo.KeyRushOrder
	keyRushDue   = demo.KeyRushDue
)

func newDemoCmd() *cobra.Command {
	var (
		store string
		data  string
		date  string
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Quote -> order -> plan on the forklift maker's data, end to end",
		Long: `Tell ctoplan's story on the demo data of testdata/forklift: a salesperson
configures a truck (what each pick rules out, and why), completes it, quotes
cost and delivery date, confirms an order of 100 identical trucks (one BOM
variant), plans the plant, shows the production orders and purchase
requisitions pegged to the order, then rushes the order a week and shows what
the net change touched and the exceptions it raised: then a key customer's rush
order is tried as a what-if on finite capacity and accepted, the shop floor
confirms two operations, and the salesperson looks up the order's status.

The store is a fresh Badger directory in a temporary directory (removed
afterwards) unless --store names one. The data is testdata/forklift of the
repository when the command runs inside it, otherwise a copy embedded in the
binary (internal/demodata); --data names another directory.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ds, where, err := demoData(data)
			if err != nil {
				return err
			}
			dir := store
			if dir == "" {
				tmp, err := os.MkdirTemp("", "ctoplan-demo-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(tmp)
				dir = tmp
			}
			db, err := kv.OpenBadger(dir, kv.Options{Logf: func(format string, args ...any) {
				fmt.Fprintf(cmd.ErrOrStderr(), format+"\n", args...)
			}})
			if err != nil {
				return err
			}
			cl, err := startLocal(cmd.ErrOrStderr(), db, db.Close)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "demo data: %s; store: %s\n", where, dir)
			_, err = runDemo(cmd.Context(), cmd.OutOrStdout(), cl, ds, date)
			if err == nil {
				fmt.Fprint(cmd.OutOrStdout(), nextSteps(store))
			}
			if cerr := cl.close(); err == nil {
				err = cerr
			}
			return readable(err)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&store, "store", "", "store directory (default: a temporary one, removed afterwards)")
	fl.StringVar(&data, "data", "", "demo data directory (default: testdata/forklift, or the embedded copy)")
	fl.StringVar(&date, "date", storyDate, "planning date")
	return cmd
}

// nextSteps says how to see the demo's store in the browser (the quoting
// page) and from a program; store is --store ("" for a temporary store).
func nextSteps(store string) string {
	if store == "" {
		return "Next: keep the data with ctoplan demo --store DIR, then ctoplan serve --store DIR and open\n" +
			"http://127.0.0.1:8080/ (the quoting page), or call it with curl or buf curl (see README.md)\n"
	}
	return fmt.Sprintf("Next: ctoplan serve --store %s, then open http://127.0.0.1:8080/ (the quoting page),\n"+
		"or call it with curl or buf curl (see README.md)\n", store)
}

// demoData finds the demo data: dir when given, else testdata/forklift of
// the enclosing ctoplan checkout, else the embedded copy.
func demoData(dir string) (dataSet, string, error) {
	if dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "demands.csv")); err != nil {
			return dataSet{}, "", fmt.Errorf("--data %s: %w", dir, err)
		}
		return dirData(dir), dir, nil
	}
	if wd, err := os.Getwd(); err == nil {
		if root, err := modroot.Find(wd); err == nil {
			td := filepath.Join(root, "testdata", "forklift")
			if _, err := os.Stat(filepath.Join(td, "demands.csv")); err == nil {
				rel, err := filepath.Rel(wd, td)
				if err != nil {
					rel = td
				}
				return dirData(td), rel, nil
			}
		}
	}
	return dataSet{fsys: demodata.FS(), dir: "forklift"}, "embedded copy of testdata/forklift", nil
}

// runDemo walks the story (package demo) on cl with the data ds.
func runDemo(ctx context.Context, w io.Writer, cl *clients, ds dataSet, date string) (*demo.Facts, error) {
	return demo.Run(ctx, w, demo.Clients{Conf: cl.conf, BOM: cl.bom, MRP: cl.mrp}, demoSet{ds, cl}, date)
}

// demoSet is a data set as the story loads it, into cl.
type demoSet struct {
	ds dataSet
	cl *clients
}

func (d demoSet) LoadMaster(ctx context.Context) (*bomv1.ImportResponse, error) {
	return d.ds.loadMaster(ctx, remoteBOM{d.cl}, false)
}

func (d demoSet) LoadPlant(ctx context.Context, date string, skip ...string) (*mrpv1.ImportPlantResponse, error) {
	return d.ds.loadPlant(ctx, d.cl, &mrpv1.ImportPlantRequest{Date: date}, skip...)
}

func (d demoSet) Read(file string) (string, bool, error) { return d.ds.read(file) }
func (d demoSet) Name(file string) string                { return d.ds.name(file) }
