package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
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

var servingRE = regexp.MustCompile(`msg=serving addr=(\S+)`)

// serveFor runs `ctoplan serve args...` until stop is called; it returns
// the server's URL.
func serveFor(t *testing.T, args ...string) (url string, stop func() (string, error)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := newServeCmd()
	var out, errb syncBuffer
	cmd.SetArgs(append([]string{"--addr", "127.0.0.1:0"}, args...))
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := servingRE.FindStringSubmatch(errb.String()); m != nil {
			url = "http://" + m[1]
			break
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve exited: %v\n%s", err, errb.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start:\n%s", errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return url, func() (string, error) {
		cancel()
		err := <-done
		return errb.String(), err
	}
}

func TestServe(t *testing.T) {
	store := filepath.Join(t.TempDir(), "store")
	url, stop := serveFor(t, "--store", store, "--token", "t0ken-0123456789abcdef")
	anon := configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, url)
	put := connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyFiles["tiny.ctm"]})
	if _, err := anon.PutModel(context.Background(), put); connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Errorf("PutModel without token: %v", err)
	}
	authed := configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, url, connect.WithInterceptors(bearer("t0ken-0123456789abcdef")))
	if _, err := authed.PutModel(context.Background(), put); err != nil {
		t.Fatal(err)
	}
	log, err := stop()
	if err != nil {
		t.Fatalf("serve: %v\n%s", err, log)
	}
	for _, want := range []string{"shutting down", "stopped", "store closed"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}

	// The store was closed cleanly: it opens again and has the model.
	url, stop = serveFor(t, "--store", store)
	anon = configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, url)
	res, err := anon.ListModels(context.Background(), connect.NewRequest(&configuratorv1.ListModelsRequest{}))
	if err != nil || len(res.Msg.GetModels()) != 1 {
		t.Errorf("after restart: %v %v", res, err)
	}
	if log, err := stop(); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}

	// Backup of the closed store.
	backup := filepath.Join(t.TempDir(), "backup.kv")
	if _, errOut, err := runCmd(t, newServeCmd(), "--store", store, "--backup", backup); err != nil || !strings.Contains(errOut, "backup written") {
		t.Errorf("backup: %v %s", err, errOut)
	}
}

func TestServeBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--addr", "8080"},
		{"--call-timeout", "-1s"}, // 0 means the default (zero server.Options are valid)
		{"--addr", "127.0.0.1:0", "extra"},
		{"--addr", "127.0.0.1:0", "--propagate-memo", "-1"},
	} {
		if _, _, err := runCmd(t, newServeCmd(), args...); err == nil {
			t.Errorf("serve %v: no error", args)
		}
	}
}

func TestServeBackupRestore(t *testing.T) {
	store := filepath.Join(t.TempDir(), "store")
	data := writeFiles(t, tinyFiles, nil)
	if _, errOut, err := runCmd(t, newBOMCmd(), "import", "--store", store, data); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	backup := filepath.Join(t.TempDir(), "backup.kv")
	if _, errOut, err := runCmd(t, newServeCmd(), "--store", store, "--backup", backup); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	if _, errOut, err := runCmd(t, newServeCmd(), "--store", restored, "--restore", backup); err != nil || !strings.Contains(errOut, "restored") {
		t.Fatalf("%v\n%s", err, errOut)
	}
	a, _, err := runCmd(t, newBOMCmd(), "explode", "--store", store, "FRAME", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := runCmd(t, newBOMCmd(), "explode", "--store", restored, "FRAME", "--format", "csv")
	if err != nil || a != b {
		t.Errorf("restored store answers differently: %v\n%s\n%s", err, a, b)
	}
	// Restoring into a store that is not empty is refused.
	if _, _, err := runCmd(t, newServeCmd(), "--store", restored, "--restore", backup); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("restore into a full store: %v", err)
	}
}

// TestServeSecurityFlags: an exposed address needs TLS or --insecure and a
// token; --token-file gives each token its scopes; --anonymous is checked.
func TestServeSecurityFlags(t *testing.T) {
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	if err := os.WriteFile(tokens, []byte("# test tokens\nquote-token-0123456789 quote CRM\nadmin-token-0123456789 all\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{[]string{"--addr", "0.0.0.0:0"}, "--tls-cert"},
		{[]string{"--addr", "0.0.0.0:0", "--insecure"}, "no token"},
		{[]string{"--addr", "127.0.0.1:0", "--anonymous", "read,write"}, `unknown scope "write"`},
		{[]string{"--addr", "127.0.0.1:0", "--anonymous", "none"}, "--anonymous needs --token or --token-file"},
		{[]string{"--addr", "127.0.0.1:0", "--token-file", filepath.Join(dir, "missing")}, "--token-file"},
		{[]string{"--addr", "127.0.0.1:0", "--tls-cert", tokens}, "--tls-key"},
		{[]string{"--addr", "0.0.0.0:0", "--insecure", "--token", "a"}, "--token: token of 1 bytes is too short (at least 16"},
	} {
		_, errOut, err := runCmd(t, newServeCmd(), tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("serve %v: %v, want %q\n%s", tc.args, err, tc.wantErr, errOut)
		}
		if strings.Contains(errOut, "msg=serving") {
			t.Errorf("serve %v served:\n%s", tc.args, errOut)
		}
	}

	url, stop := serveFor(t, "--token-file", tokens, "--anonymous", "none")
	put := connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyFiles["tiny.ctm"]})
	quote := configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, url, connect.WithInterceptors(bearer("quote-token-0123456789")))
	if _, err := quote.PutModel(context.Background(), put); connect.CodeOf(err) != connect.CodePermissionDenied {
		t.Errorf("PutModel with a quote token: %v", err)
	}
	anon := configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, url)
	if _, err := anon.ListModels(context.Background(), connect.NewRequest(&configuratorv1.ListModelsRequest{})); connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Errorf("ListModels without a token, --anonymous none: %v", err)
	}
	admin := configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, url, connect.WithInterceptors(bearer("admin-token-0123456789")))
	if _, err := admin.PutModel(context.Background(), put); err != nil {
		t.Errorf("PutModel with an admin token: %v", err)
	}
	if _, err := quote.Propagate(context.Background(), connect.NewRequest(&configuratorv1.PropagateRequest{Model: "tiny"})); err != nil {
		t.Errorf("Propagate with a quote token: %v", err)
	}
	if log, err := stop(); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
}
