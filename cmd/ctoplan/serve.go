package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/kv/etcd"
	"github.com/ctoplan/ctoplan/server"
)

func newServeCmd() *cobra.Command {
	opts := server.DefaultOptions()
	var (
		store   string
		backup  string
		restore string
		verbose bool
		// security flags
		tokenFile string
		anonymous string
		so        storeOptions
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the configurator, BOM and MRP over Connect, gRPC and gRPC-Web",
		Long: `Serve the configurator, BOM and MRP services on one port: Connect (JSON or
binary over HTTP/1.1 or HTTP/2), gRPC and gRPC-Web, with gRPC health and
reflection, so that curl (JSON), buf curl and gRPC clients all work.

The store is a Badger directory (--store DIR, created if needed), an etcd
cluster (--store etcd://HOST:PORT[,HOST:PORT...][/PREFIX], see
docs/deploy.md: several replicas may share one prefix) or, without --store, an in-memory
store that is lost when the server stops. SIGINT or
SIGTERM shut the server down gracefully and close the store cleanly.

Callers send "Authorization: Bearer <token>". --token (or $CTOPLAN_TOKEN)
is one token with every scope; --token-file holds more, each with its
scopes (read, quote, plan, admin; see docs/reliability.md):

  # TOKEN                SCOPES           anything after is a comment
  1b0c8e2f7a4d49c6b3e5   quote            CRM quoting front end
  9d7e61a0f2c34b58a9c1   read,quote,plan  planners

Once a token is set, callers without one get --anonymous (default
read,quote: ask and configure, change nothing). Without any token every
caller may do everything, so serve then stays on loopback.

An --addr beyond loopback needs TLS (--tls-cert, --tls-key; with
--tls-client-ca every client must present a certificate from that CA) or
--insecure (a TLS-terminating proxy is in front), and a token.

The quoting page is served at / (http://127.0.0.1:8080/ by default): a
salesperson configures, quotes and orders in the browser; --no-page turns
it off.
--cors-origin ORIGIN (repeatable) lets browser pages of that origin call
the server (CORS preflights for Connect, gRPC-Web and GET; the grpc-status,
grpc-message and grpc-status-details-bin headers exposed); without it a
browser refuses calls from pages of another origin.

--backup FILE writes a consistent backup of the existing --store to FILE
(outside the store directory) and exits (the store must not be in use: a
running server is backed up online through the MRPService.Backup RPC, a
stream of the same bytes). --restore FILE loads such a backup into an empty
--store and exits.

Every commit waits for fsync (--sync-writes, on by default): an
acknowledged write survives a power cut, at the cost of a few milliseconds
per write call (docs/reliability.md has the figures).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			from := "--token"
			if opts.Token == "" {
				opts.Token, from = os.Getenv("CTOPLAN_TOKEN"), "$CTOPLAN_TOKEN"
			}
			if opts.Token != "" && len(opts.Token) < server.MinTokenBytes {
				// as --token-file refuses them: a short token is guessed
				return errUsage(cmd, fmt.Sprintf("%s: token of %d bytes is too short (at least %d; e.g. openssl rand -hex 16)", from, len(opts.Token), server.MinTokenBytes))
			}
			level := slog.LevelInfo
			if verbose {
				level = slog.LevelDebug
			}
			opts.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
			if err := securityFlags(&opts, tokenFile, anonymous); err != nil {
				return err
			}
			if cmd.Flags().Changed("anonymous") && opts.Token == "" && len(opts.Tokens) == 0 {
				return errUsage(cmd, "--anonymous needs --token or --token-file: without a token every caller may do everything")
			}
			// Refuse a bad combination (an exposed address without TLS or
			// token) before the store is opened or a backup written.
			if backup == "" && restore == "" {
				if err := opts.Validate(); err != nil {
					return err
				}
			}
			if backup != "" && restore != "" {
				return errUsage(cmd, "--backup and --restore exclude each other")
			}
			if backup != "" {
				if err := checkBackupTarget(store, backup); err != nil {
					return err
				}
				so.mustExist = true
			}
			db, err := so.open(cmd, store)
			if err != nil {
				return err
			}
			switch {
			case backup != "":
				return errors.Join(backupTo(cmd, db, backup), db.Close())
			case restore != "":
				return errors.Join(restoreFrom(cmd, db, restore), db.Close())
			}
			srv, err := server.New(cmd.Context(), db, opts)
			if err != nil {
				db.Close()
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			err = srv.ListenAndServe(ctx)
			if cerr := db.Close(); cerr != nil {
				err = errors.Join(err, fmt.Errorf("closing the store: %w", cerr))
			} else {
				opts.Logger.Info("store closed")
			}
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", opts.Addr, "listen address (host:port); 127.0.0.1 keeps it local to this machine")
	fl.StringVar(&store, "store", "", "store directory (Badger) or etcd://HOST:PORT[,HOST:PORT...][/PREFIX]; default: in-memory")
	fl.StringVar(&opts.Token, "token", "", "bearer token with every scope (default $CTOPLAN_TOKEN; no token at all: no auth)")
	fl.StringVar(&tokenFile, "token-file", "", "file of bearer tokens with their scopes, one \"TOKEN SCOPES\" per line")
	fl.StringVar(&anonymous, "anonymous", "read,quote", "scopes of callers without a token once a token is set (read, quote, plan, admin, all or none)")
	fl.StringVar(&opts.TLSCertFile, "tls-cert", "", "serve TLS with this certificate chain (PEM)")
	fl.StringVar(&opts.TLSKeyFile, "tls-key", "", "private key of --tls-cert (PEM)")
	fl.StringVar(&opts.TLSClientCAFile, "tls-client-ca", "", "require client certificates signed by these CAs (PEM)")
	fl.BoolVar(&opts.Insecure, "insecure", false, "allow plain HTTP beyond loopback (only behind a TLS-terminating proxy)")
	fl.DurationVar(&opts.BodyTimeout, "body-timeout", opts.BodyTimeout, "longest time a client may take to send a request body")
	fl.IntVar(&opts.MaxQuoteItems, "max-quote-items", opts.MaxQuoteItems, "planning items Promise may add for configurations not ordered, before the plan is rebuilt")
	fl.BoolVar(&opts.NoHugePages, "no-huge-pages", false, "do not ask the system for huge pages for the plan's memory (Linux)")
	fl.IntVar(&opts.PegLimit, "peg-limit", opts.PegLimit, "the most sales-order lines a planned order's pegging lists, those due first, the rest summed (-1: all; 0: the stored plan's own, 10 for a new one)")
	fl.DurationVar(&opts.CallTimeout, "call-timeout", opts.CallTimeout, "deadline of a call (and the longest a client may ask for)")
	fl.IntVar(&opts.MaxRequestBytes, "max-request-bytes", opts.MaxRequestBytes, "largest request message accepted")
	fl.IntVar(&opts.MaxQueries, "max-queries", 0, "configurator queries running at once (0: one per CPU)")
	fl.IntVar(&opts.PropagateMemo, "propagate-memo", opts.PropagateMemo, "Propagate answers remembered per model, by pick set (0: none)")
	fl.DurationVar(&opts.GCInterval, "gc-interval", opts.GCInterval, "how often to garbage-collect the store's value log (0: never)")
	fl.DurationVar(&opts.ShutdownTimeout, "shutdown-timeout", opts.ShutdownTimeout, "how long in-flight calls may run after SIGTERM")
	fl.BoolVar(&opts.NoPage, "no-page", false, "do not serve the quoting page at / (the RPC services only)")
	fl.StringVar(&opts.Currency, "currency", opts.Currency, "ISO 4217 code of the master data's costs (every cost the API answers is in it)")
	fl.StringArrayVar(&opts.CORSOrigins, "cors-origin", nil, "let browser pages of this origin call (CORS), e.g. https://crm.example.com; repeatable; none: no CORS")
	fl.StringVar(&backup, "backup", "", "write a backup of --store to this file and exit")
	fl.StringVar(&restore, "restore", "", "load a backup file into the empty --store and exit")
	so.register(cmd, true)
	fl.BoolVarP(&verbose, "verbose", "v", false, "debug logging")
	return cmd
}

// securityFlags reads --token-file and --anonymous into opts.
func securityFlags(opts *server.Options, tokenFile, anonymous string) error {
	a, err := server.ParseScopes(anonymous)
	if err != nil {
		return fmt.Errorf("--anonymous: %v", err)
	}
	opts.Anonymous = a
	if tokenFile == "" {
		return nil
	}
	if opts.Tokens, err = server.ReadTokenFile(tokenFile); err != nil {
		return fmt.Errorf("--token-file: %w", err)
	}
	if fi, err := os.Stat(tokenFile); err == nil && fi.Mode().Perm()&0o077 != 0 {
		opts.Logger.Warn("the token file can be read by other users: chmod 600 it", "file", tokenFile, "mode", fi.Mode().Perm().String())
	}
	return nil
}

// backupTo writes the backup to a temporary file next to file and renames it
// when it is complete and synced, so that a failed backup leaves no
// half-written file (and an older backup of that name intact).
func backupTo(cmd *cobra.Command, db kv.DB, file string) error {
	ctx := cmd.Context()
	f, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	start := time.Now()
	err = kv.Backup(ctx, db, f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, file)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "backup written to %s in %v\n", file, time.Since(start).Round(time.Millisecond))
	return nil
}

// checkBackupTarget refuses a backup without a store directory, or into the
// store directory (the backup would be written among the files it copies,
// and a name like MANIFEST would destroy the store).
func checkBackupTarget(store, file string) error {
	if store == "" {
		return errors.New("--backup needs --store DIR (the in-memory store has nothing to back up)")
	}
	if etcd.IsURL(store) {
		return nil // no directory to write into
	}
	sd, err := filepath.Abs(store)
	if err != nil {
		return err
	}
	if r, err := filepath.EvalSymlinks(sd); err == nil {
		sd = r
	}
	td, err := filepath.Abs(filepath.Dir(file))
	if err != nil {
		return err
	}
	if r, err := filepath.EvalSymlinks(td); err == nil {
		td = r
	}
	if rel, err := filepath.Rel(sd, td); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return fmt.Errorf("--backup %s: inside the store directory %s; write it elsewhere", file, store)
	}
	return nil
}

func restoreFrom(cmd *cobra.Command, db kv.DB, file string) error {
	empty := true
	err := db.View(cmd.Context(), func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(_, _ []byte) error {
			empty = false
			return kv.ErrStop
		})
	})
	if err != nil {
		return err
	}
	if !empty {
		return errors.New("--restore needs an empty --store (restore into a new directory)")
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := kv.Restore(cmd.Context(), db, f, 0); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "restored %s\n", file)
	return nil
}
