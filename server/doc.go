// Package server is ctoplan's RPC service: thin Connect adapters that map
// the messages of proto/ctoplan/*/v1 onto the configurator, bom and mrp
// packages, served with gRPC and gRPC-Web on one port.
//
// # Basics
//
// Open a store (bom.OpenDB on disk, or bom.NewMemoryDB), create a [Server] with
// [New] and run it with [Server.Serve] or [Server.ListenAndServe] until
// its context ends (`ctoplan serve` ties that to SIGINT/SIGTERM), then close
// the store:
//
//	db, _ := bom.OpenDB(dir, bom.DBOptions{})
//	srv, _ := server.New(ctx, db, server.DefaultOptions())
//	err := srv.ListenAndServe(ctx) // returns after a graceful shutdown
//	db.Close()
//
// # Embedding
//
// [NewWithStores] serves the caller's own stores ([Stores]: the DB, a
// bom.Store, an mrp.Store), so that models, master data and plans written
// through the library are what the RPCs answer; change a given mrp.Store
// only through [Server.UpdatePlan] ([Server.ViewPlan] to read). Mount
// [Server.Handler] in an own mux and run [Server.Run] beside it (value-log
// GC, store watch, health NOT_SERVING when its context ends);
// [Server.ConfigureHTTP] sets the options' header timeout, sizes and
// protocols on the embedder's http.Server. [Options.HandlerOptions] add
// interceptors inside the server's (after authentication and limits), and
// [ReadOnly] tells the procedures that change nothing. The zero [Options]
// are valid. examples/embedserver does all of this.
//
// One port speaks the Connect protocol (JSON or binary, HTTP/1.1 or
// HTTP/2), gRPC (unencrypted HTTP/2 with prior knowledge) and gRPC-Web,
// through http.Server.Protocols, plus gRPC health (grpchealth) and
// reflection (v1 and v1alpha, from the global protobuf registry: what
// connectrpc.com/grpcreflect's static reflector answers, served by
// server/internal/reflection without grpcreflect's parsing at program
// start), so `curl`, `buf curl` and `grpcurl -plaintext` all work. The same port serves the quoting page at / (package
// server/web; [Options.NoPage] turns it off): its files need no token, its
// calls are RPCs like any client's.
//
// Every call gets a deadline ([Options.CallTimeout] unless the client sets
// a shorter one); request messages are bounded ([Options.MaxRequestBytes]);
// header size and read time too, and the body must arrive within
// [Options.BodyTimeout]. Every RPC needs one scope (read, quote, plan or
// admin; [ProcedureScope], declared once in auth.go): [Options.Token] is a
// bearer token with every scope, [Options.Tokens] ([ReadTokenFile]) more
// with theirs, and callers without a token get [Options.Anonymous] (read
// and quote by default) once a token is set. The token is checked before
// the body is read. Ids and names in requests are bounded and checked in
// one place (limits.go: [MaxNameBytes], no control characters).
//
// Reads never write: a Promise of a configuration nobody ordered, or a
// cost or lead time of a standard item on a new date, resolves the variant
// in memory (bom.Store.ResolveTransient); the planning items a quote adds
// are bounded by [Options.MaxQuoteItems]. docs/reliability.md says what is
// promised and how it is tested.
//
// Domain errors become Connect codes in one place (errors.go): bad input is
// InvalidArgument with a google.rpc.BadRequest or SourceErrors detail
// (file:line:col), an unknown model, item or order NotFound with a
// google.rpc.ResourceInfo, an invalid configuration FailedPrecondition with
// the minimal conflict (ctoplan.configurator.v1.Conflict), a write conflict
// Aborted and a closed store Unavailable. Every error carries a
// google.rpc.ErrorInfo with a stable reason, and its message (without Go
// package prefixes) is in English or Chinese by the request's
// Accept-Language (language.go). JSON requests are strict: an unknown field
// is InvalidArgument. A request that does not decode and a call refused for
// its token carry the same details (decode.go, auth.go). A read sent as a
// Connect GET with If-None-Match naming its answer's ETag gets 304 Not
// Modified (conditional.go). [Options.CORSOrigins] lets browser pages of
// other origins call.
//
// Product models have one owner, the BOM store's model registry
// (bom.Store.PutModel, bom.Store.StoredModel): stored once as their source
// text and compiled once per text, so models imported through the library
// are served too. Replacing a model the BOM uses (PutModel) is one store
// transaction with the new master-data revision, and models a BOM import
// brings are stored with the import, as their texts, and checked with its
// rows (bom.Store.ImportTexts): nothing is half-written on error. A text
// stored again, or an import of the data stored already, keeps the
// revision and the variant IDs handed out; an ID of an older revision is
// NotFound saying so. The
// server keeps per compiled model only what it derives from it (value
// sets, the Propagate memo). Configurator
// queries are CPU-bound SAT searches: at most [Options.MaxQueries] run at
// once (default GOMAXPROCS), the others wait their turn within their
// deadline.
//
// Propagate, the call behind every click of a configuring user, keeps a
// bounded memo per compiled model ([Options.PropagateMemo]): answers by
// canonical pick set (a hit costs no solver time and no query turn), each
// with the witness configurations found computing it, from which the
// propagation of the same picks plus one (the user's next click) starts.
// A new version of a model starts with an empty memo. Its JSON answer is
// written by a hand-made encoder that gives what protojson gives.
//
// The plan and its plant data (stock, demands with their configurations,
// scheduled receipts, firm orders, calendar) have one owner, an mrp.Store
// in the same database: the server opens it at start (its snapshot and
// journal: no regenerative run), and every RPC that changes the plan is one
// Store.Update, one net change and one journal entry with the next store
// revision (a configured order's variant is stored in the same
// transaction, bom.Store.ResolveTx); its answer says which items it replanned. A failed write
// leaves the plan as stored. ImportPlant and Run write a new snapshot;
// after the BOM master data or a model changed, the plan is rebuilt from
// the store's own inputs (configured demands re-resolved from their
// configurations). A plan an embedder wrote with mrp.CreateStore is what
// the MRP calls answer from. Plant data of servers before mrp.Store
// (server/plant/... keys) is moved into the store on start.
//
// # Caveats
//
//   - The server does not close the store it was given: the caller opened
//     it and closes it after Serve returned.
//   - Beyond loopback, [Options.Validate] requires TLS
//     ([Options.TLSCertFile]) or [Options.Insecure] (a TLS-terminating
//     proxy in front), and a token: otherwise tokens would travel in clear
//     text, or anyone could change everything.
//   - Large results (explosions, planned orders, pegging, exceptions,
//     backups) are server streams; clients must read them to the end or
//     cancel.
//   - 64 clients calling Propagate back to back on 2 cores wait for each
//     other: each call costs about 0.4 ms (binary) to 0.6 ms (JSON) of CPU,
//     clients included, on the forklift model, so p99 is tens of
//     milliseconds; at an interactive 10 calls/s per client it is a few
//     milliseconds (BenchmarkPropagateRPC).
//   - The first configured order or quote after a start builds the BOM
//     source (every standard item resolved per effectivity epoch); reads
//     and standard changes do not need it.
//   - Several servers may share one database (replicas on etcd, see
//     docs/deploy.md and replica.go): each follows the others' journal
//     entries ([Server.Follow], run by Serve; mrp.Store.CatchUp) and master
//     data (bom.Store.Refresh); a write catches up and retries when another
//     replica wrote in between (mrp.ErrStale; Aborted only after
//     repeated losses). Responses carry the applied plan revision
//     ([HeaderRevision]); a call with [HeaderMinRevision] waits until the
//     replica applied it. GetPlanStats reports revision and digest.
package server
