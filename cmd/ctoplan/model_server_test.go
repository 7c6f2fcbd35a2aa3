package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"connectrpc.com/connect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
)

// TestModelServer runs the model commands against a real server holding
// bike.ctm and checks they print exactly what they print offline on the
// file, errors included.
func TestModelServer(t *testing.T) {
	bike := filepath.Join(engineTestdata, "bike.ctm")
	src, err := os.ReadFile(bike)
	if err != nil {
		t.Fatal(err)
	}
	url, stop := serveFor(t, "--store", filepath.Join(t.TempDir(), "store"), "--token", "t0ken-0123456789abcdef")
	defer func() {
		if log, err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, log)
		}
	}()
	conf := configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, url, connect.WithInterceptors(bearer("t0ken-0123456789abcdef")))
	res, err := conf.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "bike.ctm", Source: string(src)}))
	if err != nil {
		t.Fatal(err)
	}
	name := res.Msg.GetModel().GetName()

	for _, tc := range [][]string{
		{"propagate"},
		{"propagate", "--pick", "frame=carbon"},
		{"propagate", "--pick", "frame=carbon", "--format", "json"},
		{"propagate", "--pick", "rack=none", "--pick", "ebike!=true"},
		{"propagate", "--pick", "frame=carbon", "--pick", "brakes=rim"},
		{"propagate", "--pick", "frame=carbon", "--pick", "brakes=rim", "--format", "json"},
		{"complete"},
		{"complete", "--pick", "ebike=true"},
		{"complete", "--pick", "extras=bell", "--pick", "extras=lights"},
		{"complete", "--pick", "extras=bell", "--pick", "extras=lights", "--format", "json"},
		{"complete", "--pick", "frame=carbon", "--format", "json"},
		{"complete", "--pick", "frame=carbon", "--pick", "brakes=rim"},
		{"explain", "brakes=rim", "--pick", "frame=carbon"},
		{"explain", "brakes=disc", "--pick", "frame=carbon"},
		{"explain", "frame=alu"},
		{"explain", "rack=none", "--pick", "frame=carbon"},
		{"explain", "brakes=rim", "--pick", "frame=carbon", "--pick", "brakes=rim"},
	} {
		offArgs := append([]string{tc[0], bike}, tc[1:]...)
		want, wantErr := runModel(t, offArgs...)
		if wantErr == nil && want == "" {
			t.Errorf("%v offline: empty output", offArgs)
		}
		for _, srvArgs := range [][]string{
			append([]string{tc[0], name, "--server", url}, tc[1:]...),
			append([]string{tc[0], "--server", url, "--model", name}, tc[1:]...),
		} {
			got, gotErr := runModel(t, srvArgs...)
			if got != want {
				t.Errorf("%v:\ngot  %q\nwant %q", srvArgs, got, want)
			}
			if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
				t.Errorf("%v: error %v, want %v", srvArgs, gotErr, wantErr)
			}
		}
	}

	// A typo is refused by the server, naming the pick and a suggestion.
	for _, args := range [][]string{
		{"propagate", name, "--server", url, "--pick", "frame=carbn"},
		{"complete", name, "--server", url, "--pick", "frme=carbon"},
		{"explain", name, "brakes=rimm", "--server", url},
	} {
		_, err := runModel(t, args...)
		if err == nil || !strings.Contains(err.Error(), "did you mean") {
			t.Errorf("%v: got %v, want a did-you-mean error", args, err)
		}
		t.Logf("%v: %v", args[0], err)
	}
	if _, err := runModel(t, "propagate", "bicycle", "--server", url); err == nil || !strings.Contains(err.Error(), "bicycle") {
		t.Errorf("unknown model: got %v", err)
	}
	for _, args := range [][]string{
		{"propagate", bike, "--model", name},                  // --model without --server
		{"propagate", name, "--server", url, "--model", name}, // both
		{"explain", "--server", url, "--model", name},         // no CHAR=VALUE
		{"explain", name, "brakes", "--server", url},          // not CHAR=VALUE
	} {
		if _, err := runModel(t, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
