package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/kv"
)

func newStoreCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "store",
		Short: "Inspect a store directory",
	}
	cmd.AddCommand(newStoreVerifyCmd())
	return cmd
}

// errCorruptStore is returned by store verify for a damaged store, after
// the problems were printed.
var errCorruptStore = errors.New("the store is damaged")

func newStoreVerifyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "verify DIR",
		Short: "Check every table, block, key and value of a store; exit 1 when anything is damaged",
		Long: `Check the store in DIR without changing it: the MANIFEST must replay, every
table it lists must exist and every block match its checksum (each damaged
table is listed), then every key and value is read back, values checked
against their checksums. The store must not be in use (stop the server, or
verify a copy made with MRPService.Backup and serve --restore).

Prints one line per problem and a summary to stdout; exits 1 when the store
is damaged. A damaged store is not opened by ctoplan serve; restore its last
backup into a new directory (serve --store NEW --restore FILE).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := kv.Verify(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, p := range r.Problems {
				fmt.Fprintf(out, "%s: %s\n", r.Dir, p)
			}
			for _, n := range r.Notes {
				fmt.Fprintf(out, "%s: note: %s\n", r.Dir, n)
			}
			state := "ok"
			if !r.OK() {
				state = fmt.Sprintf("DAMAGED (%d problems)", len(r.Problems))
			}
			fmt.Fprintf(out, "%s: %s: %d tables (%.1f MiB), %d keys read\n", r.Dir, state, r.Tables, float64(r.Bytes)/(1<<20), r.Keys)
			if !r.OK() {
				return fmt.Errorf("%s: %w", r.Dir, errCorruptStore)
			}
			return nil
		},
	}
}
