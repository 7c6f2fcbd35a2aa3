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

	"github.com/ctoplan/ctoplan/internal/kv"
	"github.com/ctoplan/ctoplan/server"
)

func newServeCmd() *cobra.Command {
	opts := server.DefaultOptions()
	var (
		store   string
		backup  string
		restore string
		verbose bool
		so      storeOptions
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the configurator, BOM and MRP over Connect, gRPC and gRPC-Web",
		Long: `Serve the configurator, BOM and MRP services on one port: Connect (JSON or
binary over HTTP/1.1 or HTTP/2), gRPC and gRPC-Web, with gRPC health and
reflection, so that curl (JSON), buf curl and gRPC clients all work.

The store is a Badger directory (--store, created if needed) or, without
--store, an in-memory store that is lost when the server stops. SIGINT or
SIGTERM shut the server down gracefully and close the store cleanly.

With --token (or $CTOPLAN_TOKEN) every call that changes state needs
"Authorization: Bearer <token>"; read-only calls stay open.

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
			if opts.Token == "" {
				opts.Token = os.Getenv("CTOPLAN_TOKEN")
			}
			level := slog.LevelInfo
			if verbose {
				level = slog.LevelDebug
			}
			opts.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level}))
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
	fl.StringVar(&store, "store", "", "store directory (Badger); default: in-memory")
	fl.StringVar(&opts.Token, "token", "", "bearer token required on write calls (default $CTOPLAN_TOKEN; empty: no auth)")
	fl.DurationVar(&opts.CallTimeout, "call-timeout", opts.CallTimeout, "deadline of a call (and the longest a client may ask for)")
	fl.IntVar(&opts.MaxRequestBytes, "max-request-bytes", opts.MaxRequestBytes, "largest request message accepted")
	fl.IntVar(&opts.MaxQueries, "max-queries", 0, "configurator queries running at once (0: one per CPU)")
	fl.IntVar(&opts.PropagateMemo, "propagate-memo", opts.PropagateMemo, "Propagate answers remembered per model, by pick set (0: none)")
	fl.DurationVar(&opts.GCInterval, "gc-interval", opts.GCInterval, "how often to garbage-collect the store's value log (0: never)")
	fl.DurationVar(&opts.ShutdownTimeout, "shutdown-timeout", opts.ShutdownTimeout, "how long in-flight calls may run after SIGTERM")
	fl.StringVar(&backup, "backup", "", "write a backup of --store to this file and exit")
	fl.StringVar(&restore, "restore", "", "load a backup file into the empty --store and exit")
	so.register(cmd, true)
	fl.BoolVarP(&verbose, "verbose", "v", false, "debug logging")
	return cmd
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
