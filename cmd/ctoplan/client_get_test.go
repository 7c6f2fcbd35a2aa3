package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"connectrpc.com/connect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/server"
)

// TestClientsUseGET: the CLI's clients send the read-only calls
// (server.ReadOnly) as Connect GETs and the others as POSTs; a read whose
// request does not fit in a URL goes as a POST.
func TestClientsUseGET(t *testing.T) {
	opts := server.DefaultOptions()
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.New(context.Background(), kv.NewMemory(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		seen []string
	)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path)
		mu.Unlock()
		srv.Handler().ServeHTTP(w, r)
	}))
	defer hs.Close()
	cl := newClients(hs.Client(), hs.URL, "", func() error { return nil })
	last := func() string {
		mu.Lock()
		defer mu.Unlock()
		return seen[len(seen)-1]
	}
	ctx := context.Background()
	src, err := os.ReadFile(filepath.Join(engineTestdata, "bike.ctm"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := cl.conf.PutModel(ctx, connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "bike.ctm", Source: string(src)}))
	if err != nil {
		t.Fatal(err)
	}
	name := res.Msg.GetModel().GetName()
	if got := last(); got != "POST /ctoplan.configurator.v1.ConfiguratorService/PutModel" {
		t.Errorf("PutModel went as %s", got)
	}
	if _, err := cl.conf.ListModels(ctx, connect.NewRequest(&configuratorv1.ListModelsRequest{})); err != nil {
		t.Fatal(err)
	}
	if got := last(); got != "GET /ctoplan.configurator.v1.ConfiguratorService/ListModels" {
		t.Errorf("ListModels went as %s", got)
	}
	picks := []*configuratorv1.Pick{{Char: "frame", Value: "carbon"}}
	if _, err := cl.conf.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: name, Picks: picks})); err != nil {
		t.Fatal(err)
	}
	if got := last(); got != "GET /ctoplan.configurator.v1.ConfiguratorService/Propagate" {
		t.Errorf("Propagate went as %s", got)
	}
	// 700 picks of ~20 bytes are ~14 KB in a URL, beyond getMaxURL: a POST
	// (the server refuses the picks; how they travelled is the point)
	for range 700 {
		picks = append(picks, &configuratorv1.Pick{Char: "frame", Value: strings.Repeat("x", 16), Exclude: true})
	}
	_, _ = cl.conf.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: name, Picks: picks}))
	if got := last(); got != "POST /ctoplan.configurator.v1.ConfiguratorService/Propagate" {
		t.Errorf("a Propagate too long for a URL went as %s", got)
	}
}
