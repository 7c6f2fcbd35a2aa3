// Command bomstore keeps the forklift master data in a BOM store on
// Badger: it imports the demo CSV files and model, completes a
// configuration with the model the store holds, resolves it to a variant
// and prints the top of its indented explosion and its cost. A second
// open of the same directory finds the variant stored.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
)

func main() {
	data := flag.String("data", "../testdata/forklift", "master-data directory (items.csv, bom.csv, ... and the models)")
	dir := flag.String("store", "", "Badger directory (default: a temporary one, removed at the end)")
	flag.Parse()
	if err := run(context.Background(), *data, *dir); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, data, dir string) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "ctoplan-bomstore-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	db, err := kv.OpenBadger(dir, kv.Options{})
	if err != nil {
		return err
	}
	s, err := bom.Open(ctx, db)
	if err != nil {
		db.Close()
		return err
	}
	if err := s.ImportDir(ctx, data, ""); err != nil {
		db.Close()
		return err
	}
	fmt.Printf("imported %d items, revision %d, models %v\n", len(s.Items()), s.Revision(), s.ModelNames())

	// complete a configuration from two picks with the stored model
	m, err := s.Model("forklift")
	if err != nil {
		db.Close()
		return err
	}
	cfg, err := m.Complete(ctx, []configurator.Pick{{Char: "capacity", Value: "t30"}, {Char: "mast", Value: "triplex"}})
	if err != nil {
		db.Close()
		return err
	}
	at := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	v, err := s.Resolve(ctx, "FL-TRUCK", cfg, at)
	if err != nil {
		db.Close()
		return err
	}
	lines, err := v.Explode(1)
	if err != nil {
		db.Close()
		return err
	}
	fmt.Printf("variant %s: %d explosion lines; the first ones:\n", v.ID[:12], len(lines))
	for _, l := range lines[:min(8, len(lines))] {
		fmt.Printf("  %s%-5s %-14s %8.2f\n", strings.Repeat("  ", l.Level), l.Position, l.Item, l.Qty)
	}
	c := v.Cost(1)
	days, _ := v.CumulativeLeadTime()
	fmt.Printf("cost %.2f (material %.2f), cumulative lead time %g days\n", c.Total(), c.Material, days)
	if err := db.Close(); err != nil {
		return err
	}

	// the variant outlives the process: reopen and look it up by ID
	db, err = kv.OpenBadger(dir, kv.Options{MustExist: true})
	if err != nil {
		return err
	}
	defer db.Close()
	s, err = bom.Open(ctx, db)
	if err != nil {
		return err
	}
	again, err := s.Variant(ctx, v.ID)
	if err != nil {
		return err
	}
	fmt.Printf("reopened: variant %s of %s, %d characteristics\n", again.ID[:12], again.Item, len(again.Config))
	return nil
}
