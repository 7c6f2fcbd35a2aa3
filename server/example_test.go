package server_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"

	"connectrpc.com/connect"

	"github.com/ctoplan/ctoplan/bom"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/server"
)

// Serve a store on a loopback port, store a model and ask what a pick
// rules out, and why.
func Example() {
	ctx, stop := context.WithCancel(context.Background())
	db := bom.NewMemoryDB()
	opts := server.DefaultOptions()
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.New(ctx, db, opts)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- srv.Serve(ctx, ln) }()

	c := configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, "http://"+ln.Addr().String())
	if _, err := c.PutModel(ctx, connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyModel})); err != nil {
		log.Fatal(err)
	}
	picks := []*configuratorv1.Pick{{Char: "capacity", Value: "t15"}}
	res, err := c.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: "tiny", Picks: picks}))
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range res.Msg.GetChars() {
		fmt.Printf("%s: forced %v, excluded %v\n", d.GetChar(), d.GetForced(), d.GetExcluded())
	}
	why, err := c.Explain(ctx, connect.NewRequest(&configuratorv1.ExplainRequest{Model: "tiny", Picks: picks, Char: "mast", Value: "triplex"}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(why.Msg.GetReason().GetConstraints()[0].GetMessage()["en"])

	stop()
	if err := <-done; err != nil {
		log.Fatal(err)
	}
	db.Close()
	// Output:
	// capacity: forced [], excluded [t25]
	// mast: forced [duplex], excluded [triplex]
	// lift_height: forced [], excluded []
	// A triplex mast needs the 2.5 t truck
}
