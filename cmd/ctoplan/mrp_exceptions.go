package main

import (
	"context"
	"io"
	"strings"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

func newMRPExceptionsCmd() *cobra.Command {
	var (
		c     common
		item  string
		pages = pageFlags{all: true}
	)
	cmd := &cobra.Command{
		Use:   "exceptions",
		Short: "Exception messages: reschedule in/out, cancel, release past due, below safety stock, late demand",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.runPlant(cmd, func(ctx context.Context, b plantBackend) error {
				ex, err := b.exceptions(ctx, item, pages, cmd.ErrOrStderr())
				if err != nil {
					return err
				}
				l := &listing{header: []string{"kind", "item", "ref", "date", "to", "qty", "limit"}}
				for _, x := range ex {
					l.add(x, exceptionKind(x.GetKind()), x.GetItem(), x.GetRef(), x.GetDate(), x.GetTo(), fmtNum(float64(x.GetQty())), x.GetLimit())
				}
				return l.write(cmd.OutOrStdout(), c.format)
			})
		},
	}
	c.registerPlan(cmd, true)
	cmd.Flags().StringVar(&item, "item", "", "only this item's exceptions")
	pages.register(cmd, "exceptions")
	return cmd
}

// exceptionKind is a kind as the table shows it: "reschedule-in".
func exceptionKind(k mrpv1.ExceptionKind) string {
	return strings.ReplaceAll(enumWord(k.Descriptor(), k.Number()), "_", "-")
}

// listExceptionPages lists the exceptions (of item, when not ""), page by
// page as pf says.
func listExceptionPages(ctx context.Context, cl *clients, item string, pf pageFlags, stderr io.Writer) ([]*mrpv1.Exception, error) {
	var out []*mrpv1.Exception
	err := pf.follow(stderr, func(size int32, token string) (string, error) {
		s, err := cl.mrp.ListExceptions(ctx, connect.NewRequest(&mrpv1.ListExceptionsRequest{Item: item, PageSize: size, PageToken: token}))
		if err != nil {
			return "", err
		}
		defer s.Close()
		next := ""
		for s.Receive() {
			out = append(out, s.Msg().GetExceptions()...)
			next = s.Msg().GetNextPageToken()
		}
		return next, s.Err()
	}, func() { out = out[:0] })
	return out, err
}
