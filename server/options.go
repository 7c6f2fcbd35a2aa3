package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"connectrpc.com/connect"
)

// Options configure a [Server]. Start from [DefaultOptions] and change what
// you need; [Options.Validate] says what is wrong with a combination.
// The zero Options are valid: Addr, ReadHeaderTimeout, MaxHeaderBytes,
// MaxRequestBytes, CallTimeout and ShutdownTimeout left zero take their
// [DefaultOptions] values; every other field's zero value has the meaning
// its comment gives (no GC, no memo, no tokens, ...).
type Options struct {
	// Addr is the TCP address to listen on. The default, 127.0.0.1:8080,
	// is reachable from this machine only.
	Addr string
	// Token, when not empty, is a bearer token with every scope
	// ("Authorization: Bearer <Token>").
	Token string
	// Tokens are more bearer tokens, each with its scopes (see
	// [ReadTokenFile] and [ProcedureScope]).
	Tokens map[string]Scopes
	// Anonymous is what a caller without a token may do once a token is
	// configured (Token or Tokens); the default, read and quote, lets
	// anyone ask and configure but not change anything; zero is nothing.
	// Without any token every caller has every scope (a server for this
	// machine only).
	Anonymous Scopes
	// TLSCertFile and TLSKeyFile, when set, serve TLS (HTTP/2 by ALPN, and
	// HTTP/1.1) with this certificate chain and key (PEM files).
	TLSCertFile, TLSKeyFile string
	// TLSClientCAFile, when set with TLS, requires every client to present
	// a certificate signed by one of these CAs (PEM). Tokens still decide
	// what a caller may do.
	TLSClientCAFile string
	// Insecure allows serving plain HTTP on an address beyond loopback,
	// e.g. behind a TLS-terminating proxy. Without it (or TLS) Validate
	// refuses such an address: the bearer tokens would travel in clear.
	Insecure bool
	// BodyTimeout bounds how long a client may take to send a request
	// body; a slower client gets an error and its connection is closed.
	BodyTimeout time.Duration
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
	// MaxQuoteItems bounds the planning items Promise adds to the plan for
	// configurations no demand has (a quote neither stores a variant nor
	// changes the plan's orders, but the plan needs the variant's nodes as
	// items to answer it). When more have gathered, the plan is rebuilt
	// from the stored plant data on the next call, which drops them. Each
	// costs a few hundred bytes plus its components and operations.
	MaxQuoteItems int
	// PegLimit is the most sales-order lines a planned order's pegging
	// lists (ListPlannedOrders' pegged_to, PegOrder), those due first, the
	// rest summed (see mrp.Options.PegLimit; negative: all). 0 keeps the
	// stored plan's own (mrp.DefaultPegLimit for a plan the server makes).
	PegLimit int
	// GCInterval is how often the store's value log is garbage-collected
	// (0 disables it).
	GCInterval time.Duration
	// CheckpointEntries is how many journal entries the plan's store
	// gathers before [Server.Run] checkpoints it in the background
	// ([mrp.CheckpointDB]: writers are not blocked), so that a restart or a
	// new replica replays at most about that many (0: the default, 100;
	// negative: never, only imports and runs write snapshots).
	CheckpointEntries int
	// NoPage turns off the quoting page (package server/web) that the
	// server otherwise serves at / beside the RPC services.
	NoPage bool
	// NoHugePages turns off asking the system for huge pages for the
	// plan's memory whenever the server opens, rebuilds or rereads it
	// (mrp.Planner.AdviseHugePages: on Linux, 5-10% off net change and
	// supply trees on a 50,000-item plant).
	NoHugePages bool
	// CORSOrigins are the origins (e.g. "https://crm.example.com", or "*")
	// whose browser pages may call the server: preflights are answered and
	// answers carry Access-Control-* headers for them. None: no CORS, the
	// browser refuses calls from pages of another origin.
	CORSOrigins []string
	// Currency is the ISO 4217 code of the master data's costs (items'
	// unit, setup and holding costs, work centers' rates, cost rollups):
	// the currency_code of every cost the server answers, and the only one
	// it accepts on input. "" means EUR, the demo data's.
	Currency string
	// Now is the server's clock, read for what day "today" is: a request
	// that leaves a date out (an effectivity date, ImportPlant's planning
	// date) means the plant's day at that instant, the date in the plant's
	// time zone (mrp.Today). nil means time.Now; a test sets a fixed
	// instant.
	Now func() time.Time
	// Logger receives the server's logs; nil means slog.Default().
	Logger *slog.Logger
	// HandlerOptions are added to every RPC handler after the server's
	// own: interceptors given here (connect.WithInterceptors) run inside
	// the server's, after authentication, limits and the call deadline,
	// for calls that passed them (metrics, tracing, audit logs; see
	// [ReadOnly] to tell changes from reads).
	HandlerOptions []connect.HandlerOption
}

// withDefaults fills the fields whose zero value cannot work with their
// defaults.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Addr == "" {
		o.Addr = d.Addr
	}
	if o.ReadHeaderTimeout == 0 {
		o.ReadHeaderTimeout = d.ReadHeaderTimeout
	}
	if o.MaxHeaderBytes == 0 {
		o.MaxHeaderBytes = d.MaxHeaderBytes
	}
	if o.MaxRequestBytes == 0 {
		o.MaxRequestBytes = d.MaxRequestBytes
	}
	if o.CallTimeout == 0 {
		o.CallTimeout = d.CallTimeout
	}
	if o.ShutdownTimeout == 0 {
		o.ShutdownTimeout = d.ShutdownTimeout
	}
	if o.Currency == "" {
		o.Currency = d.Currency
	}
	if o.CheckpointEntries == 0 {
		o.CheckpointEntries = d.CheckpointEntries
	}
	return o
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
		Anonymous:         ScopeRead | ScopeQuote,
		BodyTimeout:       30 * time.Second,
		MaxQuoteItems:     20000,
		Currency:          "EUR",
		CheckpointEntries: 100,
	}
}

// Validate reports the first option that cannot work (zero values that
// take a default are fine).
func (o Options) Validate() error {
	o = o.withDefaults()
	if _, _, err := net.SplitHostPort(o.Addr); err != nil {
		return fmt.Errorf("server: address %q: %v (want host:port, e.g. 127.0.0.1:8080)", o.Addr, err)
	}
	if err := o.validateExposure(); err != nil {
		return err
	}
	switch {
	case o.BodyTimeout < 0:
		return errors.New("server: BodyTimeout must not be negative")
	case o.MaxQuoteItems < 0:
		return errors.New("server: MaxQuoteItems must not be negative")
	case (o.TLSCertFile == "") != (o.TLSKeyFile == ""):
		return errors.New("server: TLS needs both a certificate (--tls-cert) and its key (--tls-key)")
	case o.TLSClientCAFile != "" && o.TLSCertFile == "":
		return errors.New("server: client certificates (--tls-client-ca) need TLS (--tls-cert, --tls-key)")
	case o.ReadHeaderTimeout < 0:
		return errors.New("server: ReadHeaderTimeout must not be negative")
	case o.MaxHeaderBytes < 0:
		return errors.New("server: MaxHeaderBytes must not be negative")
	case o.MaxRequestBytes < 0:
		return errors.New("server: MaxRequestBytes must not be negative")
	case o.CallTimeout < 0:
		return errors.New("server: CallTimeout must not be negative")
	case o.ShutdownTimeout < 0:
		return errors.New("server: ShutdownTimeout must not be negative")
	case o.MaxQueries < 0:
		return errors.New("server: MaxQueries must not be negative")
	case o.PropagateMemo < 0:
		return errors.New("server: PropagateMemo must not be negative")
	case o.GCInterval < 0:
		return errors.New("server: GCInterval must not be negative")
	case !currencyCode(o.Currency):
		return fmt.Errorf("server: currency %q: want an ISO 4217 code of three capital letters, such as EUR", o.Currency)
	}
	return nil
}

// validateExposure refuses to serve beyond this machine in clear text (unless
// Insecure says a TLS proxy is in front) or without any token.
func (o Options) validateExposure() error {
	host, _, _ := net.SplitHostPort(o.Addr)
	if loopback(host) {
		return nil
	}
	if o.TLSCertFile == "" && !o.Insecure {
		return fmt.Errorf("server: %s is reachable beyond this machine: serve TLS (--tls-cert FILE --tls-key FILE), or say --insecure if a TLS-terminating proxy is in front, or listen on 127.0.0.1", o.Addr)
	}
	if o.Token == "" && len(o.Tokens) == 0 {
		return fmt.Errorf("server: %s is reachable beyond this machine and no token is set: every caller could change everything; give --token or --token-file", o.Addr)
	}
	return nil
}

// loopback reports whether host (of host:port) names this machine only.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (o Options) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.Default()
}
