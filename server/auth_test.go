package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
	"github.com/ctoplan/ctoplan/server"
)

// scopeTokens are one token per scope.
var scopeTokens = map[server.Scopes]string{
	server.ScopeRead:  "read-token-0123456789",
	server.ScopeQuote: "quote-token-0123456789",
	server.ScopePlan:  "plan-token-0123456789",
	server.ScopeAdmin: "admin-token-0123456789",
}

func withScopedTokens(anon server.Scopes) startOpt {
	return func(o *server.Options) {
		o.Token = ""
		o.Tokens = map[string]server.Scopes{}
		for s, t := range scopeTokens {
			o.Tokens[t] = s
		}
		o.Anonymous = anon
	}
}

// callDynamic calls md with an empty request, as a unary or server-stream
// call, with token ("" for none); it returns the call's error.
func callDynamic(e *env, p protocol, md protoreflect.MethodDescriptor, procedure, token string) error {
	opts := append([]connect.ClientOption(nil), p.opts...)
	opts = append(opts, connect.WithSchema(md), connect.WithResponseInitializer(func(_ connect.Spec, m any) error {
		*m.(*dynamicpb.Message) = *dynamicpb.NewMessage(md.Output())
		return nil
	}))
	if token != "" {
		opts = append(opts, connect.WithInterceptors(bearer(token)))
	}
	c := connect.NewClient[dynamicpb.Message, dynamicpb.Message](e.client(p), e.url+procedure, opts...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := connect.NewRequest(dynamicpb.NewMessage(md.Input()))
	if md.IsStreamingServer() {
		st, err := c.CallServerStream(ctx, req)
		if err != nil {
			return err
		}
		for st.Receive() {
		}
		return errors.Join(st.Err(), st.Close())
	}
	_, err := c.CallUnary(ctx, req)
	return err
}

// TestEveryProcedureHasAScope walks every method of every served service
// (from the generated descriptors): each has a declared scope, a call
// without a token or with a token of another scope is refused, and a token
// with the scope gets through, on every protocol.
func TestEveryProcedureHasAScope(t *testing.T) {
	e := start(t, withScopedTokens(0))
	methods := 0
	for _, sd := range server.ServiceDescriptors() {
		ms := sd.Methods()
		for i := range ms.Len() {
			md := ms.Get(i)
			proc := "/" + string(sd.FullName()) + "/" + string(md.Name())
			need, ok := server.ProcedureScope(proc)
			if !ok {
				t.Errorf("%s has no declared scope", proc)
				continue
			}
			methods++
			for _, p := range protocols {
				if err := callDynamic(e, p, md, proc, ""); connect.CodeOf(err) != connect.CodeUnauthenticated {
					t.Errorf("%s %s without a token: %v, want unauthenticated", p.name, proc, err)
				}
				if err := callDynamic(e, p, md, proc, "not-a-token-0123456789"); connect.CodeOf(err) != connect.CodeUnauthenticated {
					t.Errorf("%s %s with a wrong token: %v, want unauthenticated", p.name, proc, err)
				}
				for s, tok := range scopeTokens {
					err := callDynamic(e, p, md, proc, tok)
					code := connect.CodeOf(err)
					refused := err != nil && (code == connect.CodeUnauthenticated || code == connect.CodePermissionDenied)
					switch {
					case s == need && refused:
						t.Errorf("%s %s with scope %v: refused: %v", p.name, proc, s, err)
					case s != need && code != connect.CodePermissionDenied:
						t.Errorf("%s %s (needs %v) with scope %v: %v, want permission denied", p.name, proc, need, s, err)
					}
				}
			}
		}
	}
	if methods != 39 { // 7 configurator + 9 bom + 23 mrp methods
		t.Errorf("%d methods walked, want 39", methods)
	}
}

// TestAnonymousDefault: with a token set, a caller without one may read and
// quote (the default Options.Anonymous) but not store anything or back up
// the store.
func TestAnonymousDefault(t *testing.T) {
	e := start(t)
	importTinyPlant(t, e, protocols[1])
	p := protocols[1]
	// The scheme is case-insensitive; anything but Bearer is refused.
	for auth, pass := range map[string]bool{"bearer " + e.token: true, "BEARER " + e.token: true,
		"Basic " + e.token: false, e.token: false} {
		req, err := http.NewRequest(http.MethodPost, e.url+configuratorv1connect.ConfiguratorServicePutModelProcedure, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", auth)
		resp, err := e.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden; got != pass {
			t.Errorf("Authorization %q: status %d, want through %v", auth, resp.StatusCode, pass)
		}
	}
	for _, proc := range []string{mrpv1connect.MRPServiceGetPlanStatsProcedure, configuratorv1connect.ConfiguratorServicePropagateProcedure} {
		md := method(t, proc)
		if err := callDynamic(e, p, md, proc, ""); connect.CodeOf(err) == connect.CodeUnauthenticated {
			t.Errorf("anonymous %s: %v", proc, err)
		}
	}
	// Nothing that stores: Resolve keeps the variant it finds.
	for _, proc := range []string{mrpv1connect.MRPServiceBackupProcedure, mrpv1connect.MRPServiceSetStockProcedure,
		configuratorv1connect.ConfiguratorServicePutModelProcedure, bomv1connect.BOMServiceResolveProcedure} {
		if err := callDynamic(e, p, method(t, proc), proc, ""); connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Errorf("anonymous %s: %v, want unauthenticated", proc, err)
		}
	}
}

func method(t *testing.T, proc string) protoreflect.MethodDescriptor {
	t.Helper()
	for _, sd := range server.ServiceDescriptors() {
		svc, name, _ := strings.Cut(strings.TrimPrefix(proc, "/"), "/")
		if string(sd.FullName()) == svc {
			if md := sd.Methods().ByName(protoreflect.Name(name)); md != nil {
				return md
			}
		}
	}
	t.Fatalf("no method %s", proc)
	return nil
}

// blockingBody sends head, then blocks until the test ends.
type blockingBody struct {
	head []byte
	stop chan struct{}
}

func (b *blockingBody) Read(p []byte) (int, error) {
	if len(b.head) > 0 {
		n := copy(p, b.head)
		b.head = b.head[n:]
		return n, nil
	}
	<-b.stop
	return 0, io.EOF
}

// TestAuthBeforeBody: a call without the scope is refused before its body
// is read. The client announces 64 MB and sends 1 KB, then nothing: the
// answer comes at once, not after the body timeout.
func TestAuthBeforeBody(t *testing.T) {
	e := start(t, func(o *server.Options) { o.BodyTimeout = time.Minute })
	stop := make(chan struct{})
	defer close(stop)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url+configuratorv1connect.ConfiguratorServicePutModelProcedure,
		&blockingBody{head: []byte(`{"filename":"x.ctm","source":"` + strings.Repeat("x", 1<<10)), stop: stop})
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = 64 << 20
	req.Header.Set("Content-Type", "application/json")
	t0 := time.Now()
	resp, err := e.hc.Do(req)
	if err != nil {
		t.Fatalf("no answer before the body was sent: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", resp.StatusCode)
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("refused after %v", d)
	}
}

// slowBody sends one byte per tick.
type slowBody struct {
	data []byte
	tick time.Duration
}

func (b *slowBody) Read(p []byte) (int, error) {
	if len(b.data) == 0 {
		return 0, io.EOF
	}
	time.Sleep(b.tick)
	p[0] = b.data[0]
	b.data = b.data[1:]
	return 1, nil
}

// TestSlowBody: a client sending its body one byte per 100 ms is cut off
// after Options.BodyTimeout, over HTTP/1.1 and HTTP/2, even with a token.
func TestSlowBody(t *testing.T) {
	e := start(t, func(o *server.Options) { o.BodyTimeout = 300 * time.Millisecond })
	body := `{"filename":"tiny.ctm","source":` + jsonString(tinyModel) + `}`
	for _, c := range []struct {
		name string
		hc   *http.Client
	}{{"http1", e.hc}, {"h2c", e.h2}} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url+configuratorv1connect.ConfiguratorServicePutModelProcedure,
				&slowBody{data: []byte(body), tick: 100 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			req.ContentLength = int64(len(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.token)
			t0 := time.Now()
			resp, err := c.hc.Do(req)
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					t.Fatalf("a %d-byte body at 10 bytes/s was accepted: %s", len(body), b)
				}
			}
			// The whole body would take len(body)/10 s (tens of seconds).
			if d := time.Since(t0); d > 5*time.Second {
				t.Errorf("cut off after %v, want about 300ms", d)
			}
		})
	}
	// A client at normal speed still gets through.
	if _, err := e.configurator(protocols[0]).PutModel(context.Background(),
		connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyModel})); err != nil {
		t.Fatal(err)
	}
}

func TestReadTokenFile(t *testing.T) {
	dir := t.TempDir()
	write := func(text string) string {
		f := dir + "/tokens"
		if err := os.WriteFile(f, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return f
	}
	got, err := server.ReadTokenFile(write("# tokens\n\n1b0c8e2f7a4d49c6b3e5 quote CRM front end\n9d7e61a0f2c34b58a9c1  read,quote,plan\n0f3a5c7e9b1d2f4a6c8e all\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]server.Scopes{
		"1b0c8e2f7a4d49c6b3e5": server.ScopeQuote,
		"9d7e61a0f2c34b58a9c1": server.ScopeRead | server.ScopeQuote | server.ScopePlan,
		"0f3a5c7e9b1d2f4a6c8e": server.AllScopes,
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %v, want %v", k, got[k], v)
		}
	}
	for text, wantErr := range map[string]string{
		"1b0c8e2f7a4d49c6b3e5\n":                                 "tokens:1: want TOKEN SCOPES",
		"# only\n\nshort read\n":                                 "tokens:3: token of 5 bytes is too short",
		"1b0c8e2f7a4d49c6b3e5 read,write\n":                      `tokens:1: unknown scope "write"`,
		"1b0c8e2f7a4d49c6b3e5 read\n1b0c8e2f7a4d49c6b3e5 plan\n": "tokens:2: the same token twice",
		"# nothing\n": "no tokens",
	} {
		_, err := server.ReadTokenFile(write(text))
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%q: %v, want %q", text, err, wantErr)
		}
	}
	if s, err := server.ParseScopes("read, admin"); err != nil || s != server.ScopeRead|server.ScopeAdmin || s.String() != "read,admin" {
		t.Errorf("ParseScopes: %v %v", s, err)
	}
}
