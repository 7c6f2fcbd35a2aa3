package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/server"
)

// testCert is a certificate and key, as PEM files and parsed.
type testCert struct {
	certFile, keyFile string
	cert              *x509.Certificate
	pair              tls.Certificate
}

// newCert makes a certificate for 127.0.0.1 signed by parent (self-signed
// when parent is nil); isCA makes it a CA.
func newCert(t *testing.T, dir, name string, parent *testCert, isCA bool) *testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  isCA,
	}
	signer, signKey := tmpl, any(key)
	if parent != nil {
		signer, signKey = parent.cert, parent.pair.PrivateKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signKey)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	c := &testCert{certFile: filepath.Join(dir, name+".pem"), keyFile: filepath.Join(dir, name+"-key.pem")}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb})
	if err := os.WriteFile(c.certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if c.cert, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	if c.pair, err = tls.X509KeyPair(certPEM, keyPEM); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTLS serves TLS with client certificates on a non-loopback-looking
// setup: a client with a certificate from the CA gets through (HTTP/2 by
// ALPN and HTTP/1.1), one without is refused at the handshake, and plain
// HTTP gets nothing.
func TestTLS(t *testing.T) {
	dir := t.TempDir()
	ca := newCert(t, dir, "ca", nil, true)
	srvCert := newCert(t, dir, "server", ca, false)
	client := newCert(t, dir, "client", ca, false)

	o := server.DefaultOptions()
	o.Addr = "127.0.0.1:0"
	o.Token = "s3cret"
	o.TLSCertFile, o.TLSKeyFile, o.TLSClientCAFile = srvCert.certFile, srvCert.keyFile, ca.certFile
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.New(context.Background(), kv.NewMemory(), o)
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
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	url := "https://" + ln.Addr().String()
	roots := x509.NewCertPool()
	roots.AddCert(ca.cert)
	tlsClient := func(certs []tls.Certificate, h2 bool) *http.Client {
		var p http.Protocols
		p.SetHTTP1(!h2)
		p.SetHTTP2(h2)
		return &http.Client{Transport: &http.Transport{Protocols: &p,
			TLSClientConfig: &tls.Config{RootCAs: roots, Certificates: certs}}}
	}
	for _, h2 := range []bool{true, false} {
		hc := tlsClient([]tls.Certificate{client.pair}, h2)
		opts := []connect.ClientOption{connect.WithInterceptors(bearer("s3cret"))}
		if h2 {
			opts = append(opts, connect.WithGRPC())
		}
		c := configuratorv1connect.NewConfiguratorServiceClient(hc, url, opts...)
		if _, err := c.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyModel})); err != nil {
			t.Fatalf("h2=%v: %v", h2, err)
		}
		hc.CloseIdleConnections()
	}
	anon := configuratorv1connect.NewConfiguratorServiceClient(tlsClient(nil, true), url, connect.WithGRPC())
	if _, err := anon.ListModels(context.Background(), connect.NewRequest(&configuratorv1.ListModelsRequest{})); err == nil {
		t.Error("a client without a certificate got through")
	}
	plain := configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, "http://"+ln.Addr().String())
	if _, err := plain.ListModels(context.Background(), connect.NewRequest(&configuratorv1.ListModelsRequest{})); err == nil {
		t.Error("plain HTTP got an answer from a TLS server")
	}
}

// TestExposure: an address beyond loopback needs TLS or Insecure, and a
// token; loopback needs neither.
func TestExposure(t *testing.T) {
	dir := t.TempDir()
	c := newCert(t, dir, "server", nil, false)
	for _, tc := range []struct {
		addr    string
		f       func(*server.Options)
		wantErr string
	}{
		{"127.0.0.1:0", nil, ""},
		{"localhost:0", nil, ""},
		{"[::1]:0", nil, ""},
		{"0.0.0.0:8080", nil, "--tls-cert"},
		{":8080", nil, "--tls-cert"},
		{"192.0.2.7:8080", func(o *server.Options) { o.Token = "t" }, "--insecure"},
		{"0.0.0.0:8080", func(o *server.Options) { o.Insecure = true }, "no token"},
		{"0.0.0.0:8080", func(o *server.Options) { o.Insecure, o.Token = true, "t" }, ""},
		{"0.0.0.0:8080", func(o *server.Options) {
			o.Tokens = map[string]server.Scopes{"0123456789abcdef": server.ScopeRead}
			o.TLSCertFile, o.TLSKeyFile = c.certFile, c.keyFile
		}, ""},
		{"127.0.0.1:0", func(o *server.Options) { o.TLSCertFile = c.certFile }, "--tls-key"},
		{"127.0.0.1:0", func(o *server.Options) { o.TLSClientCAFile = c.certFile }, "need TLS"},
	} {
		o := server.DefaultOptions()
		o.Addr = tc.addr
		if tc.f != nil {
			tc.f(&o)
		}
		err := o.Validate()
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: %v, want %q", tc.addr, err, tc.wantErr)
		}
	}
	o := server.DefaultOptions()
	o.TLSCertFile, o.TLSKeyFile = c.certFile, filepath.Join(dir, "missing.pem")
	if _, err := server.New(context.Background(), kv.NewMemory(), o); err == nil || !strings.Contains(err.Error(), "missing.pem") {
		t.Errorf("missing key: %v", err)
	}
}
