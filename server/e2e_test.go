package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/server"
)

// env is a real server on a loopback port over an in-memory store.
type env struct {
	t     *testing.T
	url   string
	db    kv.DB
	token string
	hc    *http.Client // HTTP/1.1
	h2    *http.Client // unencrypted HTTP/2 only, as gRPC clients speak it
	stop  func() error
}

type startOpt func(*server.Options)

func withQueries(n int) startOpt { return func(o *server.Options) { o.MaxQueries = n } }

func start(t *testing.T, opts ...startOpt) *env {
	t.Helper()
	return startOn(t, kv.NewMemory(), true, opts...)
}

// startOn starts a server on db; closeDB says whether stopping the server
// closes db too.
func startOn(t *testing.T, db kv.DB, closeDB bool, opts ...startOpt) *env {
	t.Helper()
	o := server.DefaultOptions()
	o.Addr = "127.0.0.1:0"
	o.Token = "s3cret"
	o.ShutdownTimeout = 5 * time.Second
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, f := range opts {
		f(&o)
	}
	srv, err := server.New(context.Background(), db, o)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	var h2 http.Protocols
	h2.SetUnencryptedHTTP2(true)
	e := &env{
		t:     t,
		url:   "http://" + ln.Addr().String(),
		db:    db,
		token: o.Token,
		hc:    &http.Client{Transport: &http.Transport{}},
		h2:    &http.Client{Transport: &http.Transport{Protocols: &h2}},
	}
	stopped := false
	e.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		e.hc.CloseIdleConnections()
		e.h2.CloseIdleConnections()
		cancel()
		err := <-done
		if closeDB {
			err = errors.Join(err, db.Close())
		}
		return err
	}
	t.Cleanup(func() {
		if err := e.stop(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return e
}

// protocol is one way to call the server.
type protocol struct {
	name string
	opts []connect.ClientOption
	h2   bool
}

var protocols = []protocol{
	{name: "connect-json", opts: []connect.ClientOption{connect.WithProtoJSON()}},
	{name: "connect-proto"},
	{name: "grpc", opts: []connect.ClientOption{connect.WithGRPC()}, h2: true},
	{name: "grpc-web", opts: []connect.ClientOption{connect.WithGRPCWeb()}},
}

func (e *env) client(p protocol) connect.HTTPClient {
	if p.h2 {
		return e.h2
	}
	return e.hc
}

func (e *env) writeOpts(p protocol) []connect.ClientOption {
	return append(append([]connect.ClientOption(nil), p.opts...), connect.WithInterceptors(bearer(e.token)))
}

func (e *env) configurator(p protocol) configuratorv1connect.ConfiguratorServiceClient {
	return configuratorv1connect.NewConfiguratorServiceClient(e.client(p), e.url, e.writeOpts(p)...)
}

// postJSON calls procedure with a JSON body over plain net/http, as curl
// would, and returns the status code and decoded body.
func (e *env) postJSON(procedure, body string, auth bool) (int, map[string]any) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url+procedure, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth {
		req.Header.Set("Authorization", "Bearer "+e.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(b), &out); err != nil {
		e.t.Fatalf("%s: response is not JSON: %v\n%s", procedure, err, b)
	}
	return resp.StatusCode, out
}

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

// wantCode fails unless err is a Connect error with code.
func wantCode(t *testing.T, err error, code connect.Code) *connect.Error {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("got error %v, want code %v", err, code)
	}
	if ce.Code() != code {
		t.Fatalf("got code %v (%v), want %v", ce.Code(), ce.Message(), code)
	}
	return ce
}

// detail returns the first detail of type T of err.
func detail[T any](t *testing.T, ce *connect.Error) T {
	t.Helper()
	for _, d := range ce.Details() {
		v, err := d.Value()
		if err != nil {
			t.Fatal(err)
		}
		if x, ok := v.(T); ok {
			return x
		}
	}
	var zero T
	t.Fatalf("error %v has no %T detail", ce, zero)
	return zero
}
