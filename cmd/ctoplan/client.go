package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
	"github.com/ctoplan/ctoplan/internal/wirecodec"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/server"
)

// backendFlags choose where a command runs: against a running server
// (--server URL) or offline on a local store directory (--store DIR, an
// in-memory store when empty). Offline every command runs the library in
// this process (common.withLocalStore: bom, and mrp through mrp.BOMPlan);
// with --server the command is a thin client of the generated Connect
// clients (open). Only ctoplan demo runs a server inside this process, on
// an in-memory connection (startLocal; no port is opened): it demonstrates
// the RPC API call by call.
type backendFlags struct {
	server    string
	store     string
	token     string
	storeOpts storeOptions
}

func (f *backendFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.server, "server", "", "URL of a running ctoplan server (e.g. http://127.0.0.1:8080); default: work offline")
	fl.StringVar(&f.store, "store", "", "offline: store directory (created if needed); default: a fresh in-memory store")
	fl.StringVar(&f.token, "token", "", "bearer token for write calls to --server (default $CTOPLAN_TOKEN)")
	f.storeOpts.register(cmd, false)
}

// clients are the RPC clients of one backend.
type clients struct {
	conf configuratorv1connect.ConfiguratorServiceClient
	bom  bomv1connect.BOMServiceClient
	mrp  mrpv1connect.MRPServiceClient
	// close stops an in-process server (the demo's) and closes its store.
	close func() error
}

// open connects to the server the flags name (--server): offline commands
// do not use it (see backendFlags).
func (f *backendFlags) open(*cobra.Command) (*clients, error) {
	if f.server == "" {
		return nil, errors.New("no --server given: offline commands run the library (common.withLocalStore)")
	}
	if f.store != "" {
		return nil, errors.New("--server and --store exclude each other: the server owns its store")
	}
	token := f.token
	if token == "" {
		token = os.Getenv("CTOPLAN_TOKEN")
	}
	base := strings.TrimRight(f.server, "/")
	var opts []connect.ClientOption
	if loopback(base) {
		// nothing crosses a network: compressing the answers only costs
		// both sides CPU time (a 10,000-item plan's listing: ~8 s of the
		// server's and ~3 s of this process's)
		opts = append(opts, connect.WithAcceptCompression("gzip", nil, nil))
	} else {
		// the server's gzip (klauspost/compress), read in a fraction of
		// the standard library's time
		opts = append(opts, connect.WithAcceptCompression(wirecodec.Gzip.Name, wirecodec.Gzip.Decompressor, wirecodec.Gzip.Compressor))
	}
	return newClients(http.DefaultClient, base, token, func() error { return nil }, opts...), nil
}

// loopback reports whether the server URL names this machine (localhost,
// 127.0.0.0/8, ::1).
func loopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// startLocal runs a server over db inside this process and returns clients
// connected to it over an in-memory listener; their close stops the server
// and calls closeDB. ctoplan demo uses it on purpose: it shows the RPC
// API, call by call.
func startLocal(stderr io.Writer, db kv.DB, closeDB func() error) (*clients, error) {
	opts := server.DefaultOptions()
	opts.GCInterval = 0
	opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := server.New(context.Background(), db, opts)
	if err != nil {
		closeDB()
		return nil, err
	}
	ln := newPipeListener()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	hc := &http.Client{Transport: &http.Transport{
		DialContext:        func(ctx context.Context, _, _ string) (net.Conn, error) { return ln.dial(ctx) },
		DisableCompression: true,
	}}
	closeFn := func() error {
		cancel()
		err := <-done
		hc.CloseIdleConnections()
		return errors.Join(err, closeDB())
	}
	return newClients(hc, "http://ctoplan.local", "", closeFn), nil
}

func newClients(hc connect.HTTPClient, base, token string, closeFn func() error, more ...connect.ClientOption) *clients {
	// The read-only calls (server.ReadOnly; NO_SIDE_EFFECTS in the proto)
	// go as Connect GETs, as a browser's would: a proxy or cache may keep
	// them. A request too long for a URL goes as a POST.
	// Answers are decoded by the messages' generated code (wirecodec).
	opts := append([]connect.ClientOption{connect.WithHTTPGet(), connect.WithHTTPGetMaxURLSize(getMaxURL, true),
		connect.WithCodec(wirecodec.Proto{})}, more...)
	if token != "" {
		opts = append(opts, connect.WithInterceptors(bearer(token)))
	}
	return &clients{
		conf:  configuratorv1connect.NewConfiguratorServiceClient(hc, base, opts...),
		bom:   bomv1connect.NewBOMServiceClient(hc, base, opts...),
		mrp:   mrpv1connect.NewMRPServiceClient(hc, base, opts...),
		close: closeFn,
	}
}

// getMaxURL is the longest URL of a Connect GET; longer requests are POSTs.
const getMaxURL = 8 << 10

// bearer adds the Authorization header to every call.
type bearer string

func (b bearer) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		req.Header().Set("Authorization", "Bearer "+string(b))
		return next(ctx, req)
	}
}

func (b bearer) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		conn := next(ctx, spec)
		conn.RequestHeader().Set("Authorization", "Bearer "+string(b))
		return conn
	}
}

func (b bearer) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

// pipeListener is a net.Listener whose connections are in-memory pipes made
// by dial: the demo talks HTTP to its in-process server without opening a
// port.
type pipeListener struct {
	conns chan net.Conn
	once  sync.Once
	done  chan struct{}
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

func (l *pipeListener) dial(ctx context.Context) (net.Conn, error) {
	client, srv := net.Pipe()
	select {
	case l.conns <- srv:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "in-process" }
