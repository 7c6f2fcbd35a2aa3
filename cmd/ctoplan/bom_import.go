package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
)

func newBOMImportCmd() *cobra.Command {
	var (
		c       common
		replace bool
	)
	cmd := &cobra.Command{
		Use:   "import DIR | FILE...",
		Short: "Import models and master-data CSV files (one transaction: all or nothing)",
		Long: `Import product models (*.ctm, or feature models: *.uvl, *.dimacs, *.cnf,
*.xml for FeatureIDE or XCSP, stored as the .ctm model they read as) and
master data (items.csv, bom.csv, routings.csv, workcenters.csv) from a
directory or named files. The whole set
is validated first; a bad row is reported as file:row: column: problem and
nothing is imported. Use --store DIR to keep the result.

An import merges into what is stored: items and work centers are added or
replaced by id, a parent with lines in bom.csv gets exactly those lines, an
item with operations in routings.csv exactly those. With --replace each
file given is its kind whole: items and work centers it does not list are
deleted, parents without lines in bom.csv have no BOM any more, items
without operations in routings.csv no routing (a file not given leaves its
kind as it is). --data DIR on the other commands imports DIR so.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runBOM(cmd, func(ctx context.Context, b bomBackend) error {
				if len(args) == 1 {
					if fi, err := os.Stat(args[0]); err == nil && fi.IsDir() {
						return loadBOMData(cmd, b, args[0], replace)
					}
				}
				req := &bomv1.ImportRequest{Replace: replace}
				for _, f := range args {
					if filepath.Ext(f) == ".ctm" || configurator.IsForeign(f) {
						src, err := os.ReadFile(f)
						if err != nil {
							return err
						}
						req.Models = append(req.Models, &bomv1.ModelSource{Filename: f, Source: string(src)})
						continue
					}
					cf, err := csvFile(f)
					if err != nil {
						return err
					}
					req.Csv = append(req.Csv, cf)
				}
				m, err := b.importData(ctx, req)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "imported %d items, %d BOM lines, %d operations, %d work centers, %d models (revision %d)\n",
					m.GetItems(), m.GetLines(), m.GetOperations(), m.GetWorkCenters(), m.GetModels(), m.GetRevision())
				return nil
			})
		},
	}
	c.register(cmd, false)
	cmd.Flags().BoolVar(&replace, "replace", false, "each file given replaces its kind of master data whole (a row less deletes that row)")
	return cmd
}
