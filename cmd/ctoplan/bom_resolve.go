package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

func newBOMResolveCmd() *cobra.Command {
	var (
		c     common
		t     targetFlags
		asDef bool
	)
	cmd := &cobra.Command{
		Use:   "resolve ITEM --pick char=value ...",
		Short: "Resolve a configuration of ITEM into its variant (stored once, shared by content)",
		Long: `Check a configuration of a configurable item and resolve it into its variant:
the exact multi-level BOM and routing. The picks are completed with the
model's defaults (--defaults with no picks takes the all-default truck). The
same configuration always gives the same variant id. An invalid configuration
is refused with its minimal conflict.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(t.picks) == 0 && !asDef {
				return errUsage(cmd, "give --pick char=value ... (or --defaults for the all-default configuration)")
			}
			return c.runBOM(cmd, func(ctx context.Context, b bomBackend) error {
				res, err := b.resolve(ctx, args[0], t.picks, t.date)
				if err != nil {
					return err
				}
				v := res.GetVariant()
				l := &listing{header: []string{"variant", "item", "config_key", "nodes", "bytes", "configuration", "planning_item"}}
				var cfg []string
				for _, a := range v.GetConfiguration() {
					cfg = append(cfg, a.GetChar()+"="+strings.Join(a.GetValues(), "+"))
				}
				l.add(v, v.GetId(), v.GetItem(), v.GetConfigKey(), strconv.Itoa(int(v.GetNodes())), strconv.FormatInt(v.GetBytes(), 10), strings.Join(cfg, ";"), res.GetPlanningItem())
				return l.write(cmd.OutOrStdout(), c.format)
			})
		},
	}
	c.register(cmd, true)
	fl := cmd.Flags()
	fl.StringArrayVar(&t.picks, "pick", nil, "char=value (repeatable; completed with the model's defaults)")
	fl.StringVar(&t.date, "date", "", "effectivity date YYYY-MM-DD (default today in the time zone of the stored plant, UTC without one)")
	fl.BoolVar(&asDef, "defaults", false, "resolve the all-default configuration")
	return cmd
}
