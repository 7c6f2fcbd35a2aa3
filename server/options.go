package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"
)

// Options configure a [Server]. Start from [DefaultOptions] and change what
// you need; [Options.Validate] says what is wrong with a combination.
type Options struct {
	// Addr is the TCP address to listen on. The default, 127.0.0.1:8080,
	// is reachable from this machine only.
	Addr string
	// Token, when not empty, must be sent as "Authorization: Bearer <Token>"
	// on every RPC that changes state (everything not marked
	// NO_SIDE_EFFECTS). Read-only calls stay open.
	Token string
	// ReadHeaderTimeout bounds how long a client may take to send its
	// request headers (slowloris protection).
	ReadHeaderTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle this long.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request header size.
	MaxHeaderBytes int
	// MaxRequestBytes bounds one request message (after decompression).
	// Model texts and CSV imports travel in one message, so it is generous.
	MaxRequestBytes int
	// CallTimeout is the deadline of a call whose client set none, and the
	// longest deadline a client may ask for.
	CallTimeout time.Duration
	// ShutdownTimeout bounds a graceful shutdown: in-flight calls get this
	// long to finish before connections are closed.
	ShutdownTimeout time.Duration
	// MaxQueries bounds how many configurator queries (Check, Propagate,
	// Explain, Complete) run at once; the others wait their turn (within
	// their deadline). The queries are CPU-bound SAT searches: running more
	// of them than there are cores only thrashes caches and pooled solvers.
	// 0 means GOMAXPROCS.
	MaxQueries int
	// PropagateMemo is how many Propagate answers are remembered per model
	// (keyed by the set of picks; a new version of a model starts with an
	// empty memo). Many users walk the same first steps (nothing picked,
	// one pick), which then cost no solver time. About 8 KiB per answer on
	// the 46-characteristic forklift model. 0 disables the memo.
	PropagateMemo int
	// GCInterval is how often the store's value log is garbage-collected
	// (0 disables it).
	GCInterval time.Duration
	// Logger receives the server's logs; nil means slog.Default().
	Logger *slog.Logger
}

// DefaultOptions returns the options `ctoplan serve` starts from.
func DefaultOptions() Options {
	return Options{
		Addr:              "127.0.0.1:8080",
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		MaxRequestBytes:   64 << 20,
		CallTimeout:       30 * time.Second,
		ShutdownTimeout:   15 * time.Second,
		GCInterval:        10 * time.Minute,
		PropagateMemo:     1024,
	}
}

// Validate reports the first option that cannot work.
func (o Options) Validate() error {
	if _, _, err := net.SplitHostPort(o.Addr); err != nil {
		return fmt.Errorf("server: address %q: %v (want host:port, e.g. 127.0.0.1:8080)", o.Addr, err)
	}
	switch {
	case o.ReadHeaderTimeout <= 0:
		return errors.New("server: ReadHeaderTimeout must be positive")
	case o.MaxHeaderBytes <= 0:
		return errors.New("server: MaxHeaderBytes must be positive")
	case o.MaxRequestBytes <= 0:
		return errors.New("server: MaxRequestBytes must be positive")
	case o.CallTimeout <= 0:
		return errors.New("server: CallTimeout must be positive")
	case o.ShutdownTimeout <= 0:
		return errors.New("server: ShutdownTimeout must be positive")
	case o.MaxQueries < 0:
		return errors.New("server: MaxQueries must not be negative")
	case o.PropagateMemo < 0:
		return errors.New("server: PropagateMemo must not be negative")
	case o.GCInterval < 0:
		return errors.New("server: GCInterval must not be negative")
	}
	return nil
}

func (o Options) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}
