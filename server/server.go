package server

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
	"github.com/ctoplan/ctoplan/internal/wirecodec"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
	"github.com/ctoplan/ctoplan/server/internal/reflection"
	"github.com/ctoplan/ctoplan/server/web"
)

// Server serves ctoplan's RPC services over one store. Create it with [New],
// run it with [Server.Serve] or mount [Server.Handler] in your own mux.
type Server struct {
	opts     Options
	log      *slog.Logger
	guard    *guard
	tls      *tls.Config // nil: plain HTTP
	db       kv.DB
	models   *modelViews
	bom      *bom.Store
	mrp      planState
	warm     *schedWarm    // the finite schedule made ahead of need (schedwarm.go)
	late     lateCache     // ListExceptions' late demands of the plan served
	rep      replica       // the plan revision served (replica.go)
	queries  chan struct{} // a token per running configurator query
	health   *grpchealth.StaticChecker
	services []string
	handler  http.Handler

	// checkpoint is poked when the plan's journal reached
	// Options.CheckpointEntries (Run checkpoints in the background)
	checkpoint chan struct{}
}

// New returns a server over db, which the caller opened and closes after
// the server stopped: it opens the BOM store and the plan stored in db
// ([NewWithStores] with only Stores.DB set).
func New(ctx context.Context, db kv.DB, opts Options) (*Server, error) {
	return NewWithStores(ctx, Stores{DB: db}, opts)
}

// NewWithStores returns a server over the caller's stores (see [Stores]),
// so that what the caller writes through them (models, master data,
// plant data) is what the server answers from.
func NewWithStores(ctx context.Context, st Stores, opts Options) (*Server, error) {
	opts = opts.withDefaults()
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if err := checkScopeTable(); err != nil {
		return nil, err
	}
	tlsCfg, err := loadTLS(opts)
	if err != nil {
		return nil, err
	}
	if err := st.check(); err != nil {
		return nil, err
	}
	db, bs := st.DB, st.BOM
	if bs == nil {
		if bs, err = bom.Open(ctx, db); err != nil {
			return nil, err
		}
	}
	s := &Server{
		opts:   opts,
		log:    opts.logger(),
		db:     db,
		models: newModelViews(bs, opts.PropagateMemo),
		bom:    bs,
		guard:  newGuard(opts),
		tls:    tlsCfg,

		checkpoint: make(chan struct{}, 1),
		warm:       newSchedWarm(),
	}
	n := opts.MaxQueries
	if n == 0 {
		n = runtime.GOMAXPROCS(0)
	}
	s.queries = make(chan struct{}, n)
	s.rep.init()
	if st.Plan != nil {
		s.mrp.plan = mrp.NewBOMPlan(db, bs, st.Plan)
		s.mrp.plan.Logger, s.mrp.plan.StaleRetries, s.mrp.plan.MaxQuoteItems = s.log, staleRetries, opts.MaxQuoteItems
	} else if err := s.openPlan(ctx); err != nil {
		return nil, err
	}
	s.mrp.plan.SetPegLimit(opts.PegLimit)
	s.mrp.plan.SetHugePages(!opts.NoHugePages)
	s.noteApplied()
	interceptors := []connect.Interceptor{notModifiedInterceptor{}, errorInterceptor{}, authInterceptor{s.guard}, limitsInterceptor{s}, deadlineInterceptor{max: opts.CallTimeout}, replicaInterceptor{s}}
	hopts := []connect.HandlerOption{
		connect.WithInterceptors(interceptors...),
		connect.WithReadMaxBytes(opts.MaxRequestBytes),
		connect.WithCompressMinBytes(4 << 10),
		// gzip at its fastest level: the default level spent two thirds of
		// the server's CPU time (31 of 46 s) streaming a 10,000-item plan's
		// 2.4 M orders; the fastest takes a fraction of that for output
		// a little larger (figures in docs/benchmarks.md), and
		// klauspost/compress's a fraction of the standard library's
		connect.WithCompression(wirecodec.Gzip.Name, wirecodec.Gzip.Decompressor, wirecodec.Gzip.Compressor),
	}
	for _, c := range jsonCodecs() {
		hopts = append(hopts, connect.WithCodec(checkedCodec{c}))
	}
	hopts = append(hopts, connect.WithCodec(checkedCodec{protoCodec{}}))
	// the embedder's options last: their interceptors run inside ours
	// (after authentication and limits)
	hopts = append(hopts, opts.HandlerOptions...)
	mux := http.NewServeMux()
	mount := func(name, path string, h http.Handler) {
		s.services = append(s.services, name)
		mux.Handle(path, h)
	}
	path, h := configuratorv1connect.NewConfiguratorServiceHandler(&configuratorService{s: s}, hopts...)
	mount(configuratorv1connect.ConfiguratorServiceName, path, h)
	path, h = bomv1connect.NewBOMServiceHandler(&bomService{s: s}, hopts...)
	mount(bomv1connect.BOMServiceName, path, h)
	path, h = mrpv1connect.NewMRPServiceHandler(&mrpService{s: s}, hopts...)
	mount(mrpv1connect.MRPServiceName, path, h)

	s.health = grpchealth.NewStaticChecker(s.services...)
	mux.Handle(grpchealth.NewHandler(storeChecker{s.health, db}))
	v1, v1alpha := reflection.Handlers(append([]string{grpchealth.HealthV1ServiceName}, s.services...)...)
	mux.Handle(reflection.PathV1, v1)
	mux.Handle(reflection.PathV1Alpha, v1alpha)
	if !opts.NoPage {
		// The quoting page: GET / and its files under /ui/, never an RPC
		// path. Serving it needs no token; its calls do, as anyone's.
		page := web.Handler()
		mux.Handle("GET /{$}", page)
		mux.Handle("GET /ui/", page)
	}
	s.handler = withCORS(opts.CORSOrigins, s.authorize(mux))
	return s, nil
}

// query waits for a turn to run a configurator query (or ctx's end); call
// the returned function when the query is done.
func (s *Server) query(ctx context.Context) (func(), error) {
	select {
	case s.queries <- struct{}{}:
		return func() { <-s.queries }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Handler returns the HTTP handler of all services, health and reflection.
func (s *Server) Handler() http.Handler { return s.handler }

// Services lists the fully-qualified names of the RPC services served.
func (s *Server) Services() []string { return append([]string(nil), s.services...) }

// storeChecker answers health checks NOT_SERVING while the store does not
// work (its directory vanished), whatever the services' own status.
type storeChecker struct {
	*grpchealth.StaticChecker
	db kv.DB
}

func (c storeChecker) Check(ctx context.Context, req *grpchealth.CheckRequest) (*grpchealth.CheckResponse, error) {
	if kv.Check(c.db) != nil {
		return &grpchealth.CheckResponse{Status: grpchealth.StatusNotServing}, nil
	}
	return c.StaticChecker.Check(ctx, req)
}

// watchStore checks the store every interval until ctx is done; when it
// stops working it logs why once and turns every service NOT_SERVING (for
// health Watch streams; Check asks the store itself).
func (s *Server) watchStore(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := kv.Check(s.db); err != nil {
				s.log.Error("store failed: refusing calls", "err", err)
				s.setNotServing()
				return
			}
		}
	}
}

// setNotServing turns the overall status and every service NOT_SERVING.
func (s *Server) setNotServing() {
	s.health.SetStatus("", grpchealth.StatusNotServing)
	for _, name := range s.services {
		s.health.SetStatus(name, grpchealth.StatusNotServing)
	}
}

// checkpointPlan checkpoints the plan's store in the background
// ([mrp.CheckpointDB], on its own copy of the plan: writers go on, and
// after the switch catch up with the new snapshot without a reload)
// whenever a write pokes s.checkpoint, until ctx is done.
func (s *Server) checkpointPlan(ctx context.Context) {
	if s.opts.CheckpointEntries < 0 {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.checkpoint:
		}
		start := time.Now()
		done, err := mrp.CheckpointDB(ctx, s.db, uint64(s.opts.CheckpointEntries))
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("plan checkpoint", "err", err)
		case done:
			s.log.Debug("plan checkpoint", "elapsed", time.Since(start))
		}
	}
}

// noteJournal pokes the checkpointer when the plan's journal has
// Options.CheckpointEntries entries; mrp.mu is held.
func (s *Server) noteJournal() {
	if n := s.opts.CheckpointEntries; n > 0 && s.mrp.store() != nil && s.mrp.store().JournalLen() >= uint64(n) {
		select {
		case s.checkpoint <- struct{}{}:
		default: // one is pending or running
		}
	}
}

// collectGarbage runs the store's value-log GC every Options.GCInterval
// until ctx is done.
func (s *Server) collectGarbage(ctx context.Context) {
	if s.opts.GCInterval <= 0 {
		return
	}
	t := time.NewTicker(s.opts.GCInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			start := time.Now()
			if err := kv.RunGC(s.db); err != nil {
				s.log.Warn("value-log GC", "err", err)
				continue
			}
			s.log.Debug("value-log GC", "elapsed", time.Since(start))
		}
	}
}
