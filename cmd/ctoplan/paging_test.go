package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/server"
)

// startServer runs a server on an in-memory store behind an httptest
// listener and returns its URL.
func startServer(t *testing.T) string {
	t.Helper()
	opts := server.DefaultOptions()
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.New(context.Background(), kv.NewMemory(), opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

var nextToken = regexp.MustCompile(`more follow: --page-token (\S+)`)

// TestCLIPaging: mrp run and mrp exceptions against a server follow every
// page (of any size) to the whole listing; with --all-pages=false they
// print one page and the token of the next on stderr, and the pages
// printed one by one from those tokens are the whole listing again.
func TestCLIPaging(t *testing.T) {
	url := startServer(t)
	want, errOut, err := runCmd(t, newMRPCmd(), "run", "--server", url, "--data", "../../testdata/forklift", "--date", "2026-12-01", "--format", "csv")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	rows := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	if len(rows) < 1000 {
		t.Fatalf("%d rows: too few to page", len(rows))
	}

	for _, tc := range []struct {
		name string
		args []string
		page int // of the listing one page at a time
	}{
		{"orders", []string{"run", "--server", url, "--format", "csv"}, 300},
		{"exceptions", []string{"exceptions", "--server", url, "--format", "csv"}, 10},
	} {
		whole, errOut, err := runCmd(t, newMRPCmd(), tc.args...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.name, err, errOut)
		}
		if tc.name == "orders" && whole != want {
			t.Fatalf("orders after a replan differ from the first listing")
		}
		wholeRows := strings.Split(strings.TrimSuffix(whole, "\n"), "\n")
		if len(wholeRows) <= 2*tc.page {
			t.Fatalf("%s: %d rows, too few for pages of %d", tc.name, len(wholeRows)-1, tc.page)
		}
		for _, size := range []string{"1", "7", "300", "1000"} {
			if size == "1" && len(wholeRows) > 100 {
				continue // a page per order: too many calls for a test
			}
			got, errOut, err := runCmd(t, newMRPCmd(), append(tc.args, "--page-size", size)...)
			if err != nil || got != whole {
				t.Errorf("%s --page-size %s: %d bytes, want %d; %v %s", tc.name, size, len(got), len(whole), err, errOut)
			}
		}

		// one page at a time, from the tokens on stderr
		var paged []string
		tok := ""
		for pages := 0; ; pages++ {
			args := append(tc.args, "--page-size", strconv.Itoa(tc.page), "--all-pages=false")
			if tok != "" {
				args = append(args, "--page-token", tok)
			}
			out, errOut, err := runCmd(t, newMRPCmd(), args...)
			if err != nil {
				t.Fatalf("%s page %d: %v\n%s", tc.name, pages, err, errOut)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if lines[0] != wholeRows[0] || len(lines) > tc.page+1 {
				t.Fatalf("%s page %d: %d lines, header %q", tc.name, pages, len(lines), lines[0])
			}
			paged = append(paged, lines[1:]...)
			m := nextToken.FindStringSubmatch(errOut)
			if m == nil {
				break
			}
			if len(lines) != tc.page+1 {
				t.Errorf("%s page %d: %d rows and a next page", tc.name, pages, len(lines)-1)
			}
			tok = m[1]
		}
		if !slices.Equal(paged, wholeRows[1:]) {
			t.Errorf("%s: the pages one by one give %d rows, want %d", tc.name, len(paged), len(wholeRows)-1)
		}
	}

	if _, _, err := runCmd(t, newMRPCmd(), "exceptions", "--server", url, "--page-size", "-1"); err == nil {
		t.Error("--page-size -1 accepted")
	}
	if _, _, err := runCmd(t, newMRPCmd(), "exceptions", "--server", url, "--page-token", "bm9wZQ"); err == nil {
		t.Error("a bad --page-token accepted")
	}
}

// planChanged is the server's refusal of a page token after the plan moved.
func planChanged() error {
	ce := connect.NewError(connect.CodeAborted, errors.New("the plan changed since the page token was issued"))
	d, err := connect.NewErrorDetail(&errdetails.ErrorInfo{Reason: "PLAN_CHANGED", Domain: "ctoplan.dev"})
	if err != nil {
		panic(err)
	}
	ce.AddDetail(d)
	return ce
}

// TestFollowPlanChanged: a listing from the first page that the plan
// moves under starts again (at most planChangedRetries times); one from
// the caller's token, or refused for another reason, fails.
func TestFollowPlanChanged(t *testing.T) {
	// pages "" -> "a" -> "b" -> end; the plan moves under the first
	// `moves` listings, at their second page
	run := func(pf pageFlags, moves int) (calls []string, restarts int, err error) {
		listing := 0
		err = pf.follow(io.Discard, func(size int32, token string) (string, error) {
			calls = append(calls, token)
			switch token {
			case "":
				listing++
				return "a", nil
			case "a":
				if listing <= moves {
					return "", planChanged()
				}
				return "b", nil
			}
			return "", nil
		}, func() { restarts++ })
		return calls, restarts, err
	}
	all := pageFlags{all: true}
	if calls, restarts, err := run(all, 0); err != nil || restarts != 0 || !slices.Equal(calls, []string{"", "a", "b"}) {
		t.Errorf("no move: %v %d %v", calls, restarts, err)
	}
	if calls, restarts, err := run(all, 2); err != nil || restarts != 2 || !slices.Equal(calls, []string{"", "a", "", "a", "", "a", "b"}) {
		t.Errorf("two moves: %v %d %v", calls, restarts, err)
	}
	if _, restarts, err := run(all, planChangedRetries+1); errorReason(err) != "PLAN_CHANGED" || restarts != planChangedRetries {
		t.Errorf("a plan that keeps moving: %d restarts, %v", restarts, err)
	}
	if _, restarts, err := run(pageFlags{all: true, token: "a"}, 5); errorReason(err) != "PLAN_CHANGED" || restarts != 0 {
		t.Errorf("from the caller's token: %d restarts, %v", restarts, err)
	}
	other := pageFlags{all: true}
	err := other.follow(io.Discard, func(int32, string) (string, error) {
		return "", connect.NewError(connect.CodeUnavailable, errors.New("down"))
	}, func() { t.Error("restarted on Unavailable") })
	if connect.CodeOf(err) != connect.CodeUnavailable {
		t.Errorf("another error: %v", err)
	}
}

// TestCLIScheduleServerPages: mrp schedule against a server reads the
// schedule page by page (here 7 orders a page) to the same csv and json
// (released orders marked) as the command on the same files in this
// process.
func TestCLIScheduleServerPages(t *testing.T) {
	url := startServer(t)
	if _, errOut, err := runCmd(t, newMRPCmd(), "run", "--server", url, "--data", "../../testdata/forklift", "--date", "2026-12-01", "--format", "csv"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	defer func(n int32) { schedulePage = n }(schedulePage)
	schedulePage = 7
	for _, args := range [][]string{{"--format", "csv"}, {"--format", "json"}, {"--format", "csv", "--sales-orders"}} {
		want, errOut, err := runCmd(t, newMRPCmd(), append([]string{"schedule", "--data", "../../testdata/forklift", "--date", "2026-12-01"}, args...)...)
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		if n := strings.Count(want, "\n"); args[1] == "csv" && len(args) == 2 && n < 3*7 {
			t.Fatalf("%v: %d rows: too few to page", args, n)
		}
		got, errOut, err := runCmd(t, newMRPCmd(), append([]string{"schedule", "--server", url}, args...)...)
		if err != nil || got != want {
			t.Errorf("%v: --server gives %d bytes, in process %d; %v %s", args, len(got), len(want), err, errOut)
		}
	}
}
