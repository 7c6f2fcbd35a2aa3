package main

import (
	"errors"
	"fmt"
	"io"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
)

// pageFlags are the paging flags of a paged listing (AIP-158 on the
// server: ListPlannedOrders, ListExceptions).
type pageFlags struct {
	size  int32
	token string
	all   bool
}

func (f *pageFlags) register(cmd *cobra.Command, what string) {
	fl := cmd.Flags()
	fl.Int32Var(&f.size, "page-size", 0, "ask the server for pages of at most N "+what+" (at most 1000; 0: the whole list in one answer)")
	fl.StringVar(&f.token, "page-token", "", "start at this page (a next-page token printed by --all-pages=false)")
	fl.BoolVar(&f.all, "all-pages", true, "follow the pages to the end; false: print one page and its next-page token on stderr")
}

// planChangedRetries is how often a listing restarts from the first page
// when the plan changes between two of its pages.
const planChangedRetries = 3

// follow lists the pages: page asks for one (size, token) and returns the
// next page's token ("" after the last); restart is called before the
// listing starts again from the first page because the plan changed
// between pages (the server refuses the token with PLAN_CHANGED). With
// all false, only the first page is listed and the next page's token is
// written to stderr.
func (f pageFlags) follow(stderr io.Writer, page func(size int32, token string) (string, error), restart func()) error {
	if f.size < 0 {
		return fmt.Errorf("--page-size %d: must not be negative", f.size)
	}
	for attempt := 0; ; attempt++ {
		tok := f.token
		var err error
		for {
			var next string
			if next, err = page(f.size, tok); err != nil {
				break
			}
			if next == "" {
				return nil
			}
			if !f.all {
				fmt.Fprintf(stderr, "more follow: --page-token %s\n", next)
				return nil
			}
			tok = next
		}
		// A listing from the first page that the plan moved under starts
		// again; one from the caller's token cannot.
		if f.token != "" || attempt == planChangedRetries || errorReason(err) != "PLAN_CHANGED" {
			return err
		}
		restart()
	}
}

// errorReason is the google.rpc.ErrorInfo reason of an RPC error ("" when none).
func errorReason(err error) string {
	var ce *connect.Error
	if !errors.As(err, &ce) {
		return ""
	}
	for _, d := range ce.Details() {
		if v, derr := d.Value(); derr == nil {
			if info, ok := v.(*errdetails.ErrorInfo); ok {
				return info.GetReason()
			}
		}
	}
	return ""
}
