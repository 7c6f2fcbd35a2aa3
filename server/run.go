package server

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
)

// Run does the background work of a server mounted with [Server.Handler]
// in the caller's own http.Server: it runs the store's value-log GC every
// Options.GCInterval, checkpoints the plan every Options.CheckpointEntries
// journal entries, makes the plan's finite schedule in the background once
// the plan is quiet after a change (when schedules are read; see
// schedwarm.go), and watches the store (health turns NOT_SERVING when
// it fails). When ctx ends it turns health NOT_SERVING, so that load
// balancers stop sending calls while the caller shuts its http.Server
// down, and returns nil. [Server.Serve] runs it itself; call it once.
func (s *Server) Run(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.watchStore(ctx, time.Second)
	}()
	followDone := make(chan struct{})
	go func() {
		defer close(followDone)
		s.Follow(ctx, time.Second) // other replicas' writes (replica.go)
	}()
	ckptDone := make(chan struct{})
	go func() {
		defer close(ckptDone)
		s.checkpointPlan(ctx)
	}()
	warmDone := make(chan struct{})
	go func() {
		defer close(warmDone)
		s.warmSchedules(ctx)
	}()
	s.collectGarbage(ctx)
	<-ctx.Done()
	<-done
	<-followDone
	<-ckptDone
	<-warmDone
	s.setNotServing()
	return nil
}

// ConfigureHTTP sets the connection limits of the options on an embedder's
// http.Server that serves [Server.Handler] (fields hs already sets are
// kept): ReadHeaderTimeout, IdleTimeout, MaxHeaderBytes, the protocols
// (HTTP/1.1 and HTTP/2, unencrypted with prior knowledge without TLS, as
// gRPC clients speak it) and the TLS configuration of the options.
func (s *Server) ConfigureHTTP(hs *http.Server) {
	if hs.ReadHeaderTimeout == 0 {
		hs.ReadHeaderTimeout = s.opts.ReadHeaderTimeout
	}
	if hs.IdleTimeout == 0 {
		hs.IdleTimeout = s.opts.IdleTimeout
	}
	if hs.MaxHeaderBytes == 0 {
		hs.MaxHeaderBytes = s.opts.MaxHeaderBytes
	}
	if hs.TLSConfig == nil {
		hs.TLSConfig = s.tls
	}
	if hs.Protocols == nil {
		var protocols http.Protocols
		protocols.SetHTTP1(true)
		if hs.TLSConfig != nil {
			protocols.SetHTTP2(true)
		} else {
			protocols.SetUnencryptedHTTP2(true)
		}
		hs.Protocols = &protocols
	}
	if hs.ErrorLog == nil {
		hs.ErrorLog = slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)
	}
}

// httpServer is the http.Server of [Server.Serve]: handler, limits and a
// base context that outlives ctx's cancellation (in-flight calls finish
// during the graceful shutdown).
func (s *Server) httpServer(ctx context.Context) *http.Server {
	hs := &http.Server{
		Handler:     s.Handler(),
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	s.ConfigureHTTP(hs)
	return hs
}

// ReadOnly reports whether procedure ("/pkg.Service/Method") is an RPC of
// ctoplan's services that changes no stored data: every read and quote
// (their scope is [ScopeRead] or [ScopeQuote]) and Backup. Resolve stores
// the variant it finds and is not read-only. An embedder can route the
// read-only calls to a replica or let them through a maintenance window.
// Paths that are not ctoplan RPCs (health, reflection, unknown) report
// false.
func ReadOnly(procedure string) bool {
	s, ok := procedureScopes[procedure]
	if !ok {
		return false
	}
	return s == ScopeRead || s == ScopeQuote || procedure == mrpv1connect.MRPServiceBackupProcedure
}
