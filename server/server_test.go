package server_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/server"
)

func TestOptionsValidate(t *testing.T) {
	if err := server.DefaultOptions().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(*server.Options){
		"addr":     func(o *server.Options) { o.Addr = "8080" },
		"header":   func(o *server.Options) { o.ReadHeaderTimeout = -1 },
		"bytes":    func(o *server.Options) { o.MaxRequestBytes = -1 },
		"deadline": func(o *server.Options) { o.CallTimeout = -time.Second },
		"gc":       func(o *server.Options) { o.GCInterval = -time.Second },
		"currency": func(o *server.Options) { o.Currency = "eur" },
		"euro":     func(o *server.Options) { o.Currency = "€" },
	} {
		o := server.DefaultOptions()
		f(&o)
		if err := o.Validate(); err == nil {
			t.Errorf("%s: Validate accepted a bad option", name)
		}
		if _, err := server.New(context.Background(), kv.NewMemory(), o); err == nil {
			t.Errorf("%s: New accepted a bad option", name)
		}
	}
	if !strings.HasPrefix(server.DefaultOptions().Addr, "127.0.0.1:") {
		t.Errorf("default address %q is not loopback", server.DefaultOptions().Addr)
	}
}

func TestHealthAndReflection(t *testing.T) {
	e := start(t)
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			hc := grpchealth.NewClient(e.client(p), e.url, p.opts...)
			for _, svc := range []string{"", configuratorv1connect.ConfiguratorServiceName} {
				res, err := hc.Check(context.Background(), &grpchealth.CheckRequest{Service: svc})
				if err != nil {
					t.Fatalf("health %q: %v", svc, err)
				}
				if res.Status != grpchealth.StatusServing {
					t.Errorf("health %q: %v", svc, res.Status)
				}
			}
		})
	}
	// Reflection is a bidi stream: gRPC over HTTP/2.
	rc := grpcreflect.NewClient(e.h2, e.url, connect.WithGRPC())
	stream := rc.NewStream(context.Background())
	names, err := stream.ListServices()
	if err != nil {
		t.Fatal(err)
	}
	stream.Close()
	got := map[string]bool{}
	for _, n := range names {
		got[string(n)] = true
	}
	for _, want := range []string{configuratorv1connect.ConfiguratorServiceName, grpchealth.HealthV1ServiceName} {
		if !got[want] {
			t.Errorf("reflection does not list %s (got %v)", want, names)
		}
	}
}

func TestTokenOnWritesOnly(t *testing.T) {
	e := start(t)
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			anon := configuratorv1connect.NewConfiguratorServiceClient(e.client(p), e.url, p.opts...)
			_, err := anon.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyModel}))
			wantCode(t, err, connect.CodeUnauthenticated)
			wrong := configuratorv1connect.NewConfiguratorServiceClient(e.client(p), e.url,
				append(p.opts, connect.WithInterceptors(bearer("guess")))...)
			_, err = wrong.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyModel}))
			wantCode(t, err, connect.CodeUnauthenticated)
			// Reads need no token.
			if _, err := anon.ListModels(context.Background(), connect.NewRequest(&configuratorv1.ListModelsRequest{})); err != nil {
				t.Fatal(err)
			}
			if _, err := e.configurator(p).PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyModel})); err != nil {
				t.Fatal(err)
			}
		})
	}
	// Plain HTTP: 401 without the token.
	code, body := e.postJSON(configuratorv1connect.ConfiguratorServicePutModelProcedure, `{"filename":"tiny.ctm","source":"model x {}"}`, false)
	if code != http.StatusUnauthorized || body["code"] != "unauthenticated" {
		t.Errorf("PutModel without token: %d %v", code, body)
	}
}

func TestNoTokenConfigured(t *testing.T) {
	e := start(t, func(o *server.Options) { o.Token = "" })
	anon := configuratorv1connect.NewConfiguratorServiceClient(e.hc, e.url)
	if _, err := anon.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyModel})); err != nil {
		t.Fatal(err)
	}
}

func TestLimits(t *testing.T) {
	e := start(t, func(o *server.Options) { o.MaxRequestBytes = 1 << 10; o.MaxHeaderBytes = 4 << 10 })
	big := strings.Repeat("// padding\n", 200) + tinyModel
	_, err := e.configurator(protocols[0]).PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "big.ctm", Source: big}))
	wantCode(t, err, connect.CodeResourceExhausted)

	req, _ := http.NewRequest(http.MethodPost, e.url+configuratorv1connect.ConfiguratorServiceListModelsProcedure, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Padding", strings.Repeat("x", 16<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("huge header: status %d, want 431", resp.StatusCode)
	}
}

func TestDeadline(t *testing.T) {
	e := start(t)
	c := e.configurator(protocols[1])
	if _, err := c.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyModel})); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := c.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: "tiny"}))
	wantCode(t, err, connect.CodeDeadlineExceeded)

	// The server's own bound: a client without a deadline gets CallTimeout.
	short := start(t, func(o *server.Options) { o.CallTimeout = time.Nanosecond })
	_, err = short.configurator(protocols[1]).ListModels(context.Background(), connect.NewRequest(&configuratorv1.ListModelsRequest{}))
	wantCode(t, err, connect.CodeDeadlineExceeded)
}

// TestGracefulShutdown: Serve returns nil after its context ends, and later
// calls fail; the store is still open for the caller to close.
func TestGracefulShutdown(t *testing.T) {
	e := start(t)
	c := e.configurator(protocols[1])
	if _, err := c.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyModel})); err != nil {
		t.Fatal(err)
	}
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	_, err := c.ListModels(context.Background(), connect.NewRequest(&configuratorv1.ListModelsRequest{}))
	if err == nil {
		t.Fatal("call after shutdown succeeded")
	}
	if err := e.db.View(context.Background(), func(kv.Txn) error { return nil }); !errors.Is(err, kv.ErrClosed) {
		t.Errorf("store after stop: %v, want closed", err)
	}
}

// TestGCTicker runs the value-log GC on a Badger store on a fast ticker.
func TestGCTicker(t *testing.T) {
	db, err := kv.OpenBadger(t.TempDir(), kv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	e := startOn(t, db, true, func(o *server.Options) {
		o.GCInterval = 5 * time.Millisecond
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	putTiny(t, e.configurator(protocols[1]))
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), `msg="value-log GC" elapsed=`) {
		if time.Now().After(deadline) {
			t.Fatalf("no GC ran:\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("GC warned:\n%s", logs.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
