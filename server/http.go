package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Serve answers RPCs on ln until ctx is done, then shuts down gracefully:
// health turns NOT_SERVING, the listener closes, in-flight calls get
// Options.ShutdownTimeout to finish. It returns nil after a clean shutdown.
// Serve does not close the store: the caller that opened it closes it after
// Serve returns, when no call can touch it any more.
//
// One port carries the Connect protocol, gRPC and gRPC-Web, over HTTP/1.1
// and unencrypted HTTP/2 (prior knowledge, as gRPC clients use it).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	hs := &http.Server{
		Handler:           s.Handler(),
		Protocols:         &protocols,
		ReadHeaderTimeout: s.opts.ReadHeaderTimeout,
		IdleTimeout:       s.opts.IdleTimeout,
		MaxHeaderBytes:    s.opts.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	gcDone := make(chan struct{})
	gcCtx, stopGC := context.WithCancel(ctx)
	go func() {
		defer close(gcDone)
		s.collectGarbage(gcCtx)
	}()
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		s.watchStore(gcCtx, time.Second)
	}()
	defer func() {
		stopGC()
		<-gcDone
		<-watchDone
	}()

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String(), "token", s.opts.Token != "")
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
