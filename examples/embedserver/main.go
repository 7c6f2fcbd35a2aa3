// Command embedserver mounts ctoplan's RPC server in its own
// http.ServeMux, under /ctoplan/, behind its own authentication (an API
// key header the server knows nothing of), with a handler option: an
// interceptor that logs every call that changes data (server.ReadOnly).
// The server answers from the caller's stores: a model and master data
// imported through the bom package before and while it runs. With -listen
// it serves until interrupted; without, it calls itself once and stops.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	"connectrpc.com/connect"

	"github.com/ctoplan/ctoplan/bom"
	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/server"
)

const apiKey = "example-key"

func main() {
	data := flag.String("data", "../testdata/forklift", "master-data directory")
	listen := flag.String("listen", "", "serve on this address until interrupted (e.g. 127.0.0.1:8081)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *data, *listen); err != nil {
		log.Fatal(err)
	}
}

// auditor logs the calls that change data; reads pass silently.
type auditor struct{}

func (auditor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if p := req.Spec().Procedure; !server.ReadOnly(p) {
			log.Printf("audit: %s from %s", p, req.Peer().Addr)
		}
		return next(ctx, req)
	}
}

func (auditor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (auditor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

// requireKey is the embedder's own authentication in front of the server.
func requireKey(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != apiKey {
			http.Error(w, "missing or wrong X-Api-Key", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func run(ctx context.Context, data, listen string) error {
	db := kv.NewMemory()
	defer db.Close()
	bs, err := bom.Open(ctx, db)
	if err != nil {
		return err
	}
	if err := bs.ImportDir(ctx, data, ""); err != nil {
		return err
	}
	// zero Options are valid; no token: the embedder's middleware guards
	// the mux, the server trusts every caller that gets through
	srv, err := server.NewWithStores(ctx, server.Stores{DB: db, BOM: bs}, server.Options{
		NoPage:         true,
		HandlerOptions: []connect.HandlerOption{connect.WithInterceptors(auditor{})},
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/ctoplan/", http.StripPrefix("/ctoplan", requireKey(srv.Handler())))
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "the embedder's own page") })

	hs := &http.Server{Handler: mux}
	srv.ConfigureHTTP(hs) // the server's header timeout, size limits and protocols
	addr := listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(runCtx) }() // GC, store watch, health on shutdown
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	base := "http://" + ln.Addr().String()
	log.Printf("serving on %s/ctoplan/", base)

	if listen != "" {
		<-ctx.Done()
	} else if err := call(ctx, bs, base); err != nil {
		return err
	}
	stopRun()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err = hs.Shutdown(sctx)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return errors.Join(err, <-ran)
}

// call talks to the mounted server as a client would.
func call(ctx context.Context, bs *bom.Store, base string) error {
	key := connect.WithInterceptors(apiKeyHeader{})
	// read-only calls (NO_SIDE_EFFECTS in the proto, server.ReadOnly) as
	// Connect GETs: cacheable, and conditional with If-None-Match
	get := connect.WithHTTPGet()
	cc := configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, base+"/ctoplan", get)
	if _, err := cc.ListModels(ctx, connect.NewRequest(&configuratorv1.ListModelsRequest{})); err == nil {
		return errors.New("a call without the API key got through")
	}
	cc = configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, base+"/ctoplan", key, get)
	// a model put through the library while the server runs is served
	const src = "model pallet {\n  char size single {\n    value euro\n    value us\n  }\n}\n"
	if _, err := bs.PutModel(ctx, "pallet.ctm", []byte(src)); err != nil {
		return err
	}
	lm, err := cc.ListModels(ctx, connect.NewRequest(&configuratorv1.ListModelsRequest{}))
	if err != nil {
		return err
	}
	var names []string
	for _, m := range lm.Msg.GetModels() {
		names = append(names, m.GetName())
	}
	fmt.Println("models served:", strings.Join(names, ", "))
	pr, err := cc.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: "forklift",
		Picks: []*configuratorv1.Pick{{Char: "capacity", Value: "t50"}}}))
	if err != nil {
		return err
	}
	fmt.Printf("propagate capacity=t50: %d characteristics\n", len(pr.Msg.GetChars()))
	bc := bomv1connect.NewBOMServiceClient(http.DefaultClient, base+"/ctoplan", key, get)
	st, err := bc.GetStats(ctx, connect.NewRequest(&bomv1.GetStatsRequest{}))
	if err != nil {
		return err
	}
	fmt.Printf("bom store: %d items at revision %d\n", st.Msg.GetItems(), st.Msg.GetRevision())
	return nil
}

// apiKeyHeader adds the API key to a client's calls.
type apiKeyHeader struct{}

func (apiKeyHeader) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		req.Header().Set("X-Api-Key", apiKey)
		return next(ctx, req)
	}
}

func (apiKeyHeader) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (apiKeyHeader) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}
