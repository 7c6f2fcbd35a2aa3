package server

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
)

// Serve answers RPCs on ln until ctx is done, then shuts down gracefully:
// health turns NOT_SERVING, the listener closes, in-flight calls get
// Options.ShutdownTimeout to finish. It returns nil after a clean shutdown.
// Serve does not close the store: the caller that opened it closes it after
// Serve returns, when no call can touch it any more.
//
// One port carries the Connect protocol, gRPC and gRPC-Web, over HTTP/1.1
// and unencrypted HTTP/2 (prior knowledge, as gRPC clients use it), or with
// TLS (Options.TLSCertFile) over HTTP/1.1 and HTTP/2.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := s.httpServer(ctx)
	runDone := make(chan struct{})
	runCtx, stopRun := context.WithCancel(ctx)
	go func() {
		defer close(runDone)
		_ = s.Run(runCtx) // always nil
	}()
	defer func() {
		stopRun()
		<-runDone
	}()

	errc := make(chan error, 1)
	go func() {
		if s.tls != nil {
			errc <- hs.ServeTLS(ln, "", "")
			return
		}
		errc <- hs.Serve(ln)
	}()
	s.log.Info("serving", "addr", ln.Addr().String(), "tls", s.tls != nil, "client_certs", s.opts.TLSClientCAFile != "",
		"tokens", len(s.guard.tokens), "anonymous", s.anonymousScopes().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.setNotServing()
	s.log.Info("shutting down", "timeout", s.opts.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && serr != nil {
		err = errors.Join(err, serr)
	}
	if err != nil {
		hs.Close()
		return err
	}
	s.log.Info("stopped")
	return nil
}

// ListenAndServe listens on Options.Addr and calls [Server.Serve].
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, ln)
}

// anonymousScopes is what a caller without a token may do.
func (s *Server) anonymousScopes() Scopes { return s.guard.anon }

// loadTLS builds the TLS configuration of the options (nil without TLS).
func loadTLS(o Options) (*tls.Config, error) {
	if o.TLSCertFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(o.TLSCertFile, o.TLSKeyFile)
	if err != nil {
		return nil, fmt.Errorf("server: TLS certificate %s, key %s: %w", o.TLSCertFile, o.TLSKeyFile, err)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	if o.TLSClientCAFile != "" {
		pem, err := os.ReadFile(o.TLSClientCAFile)
		if err != nil {
			return nil, fmt.Errorf("server: client CAs: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("server: client CAs: no PEM certificate in %s", o.TLSClientCAFile)
		}
		cfg.ClientCAs, cfg.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}
