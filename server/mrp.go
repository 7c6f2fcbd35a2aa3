package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	"github.com/ctoplan/ctoplan/configurator"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// planState is the MRP side of the server: the plan and its inputs, owned
// by an mrp.BOMPlan (an mrp.Store in the server's database, mrp/... keys,
// planned from the BOM store's master data). Readers share mu; changes
// hold it exclusively (mrp.Store's rule, and mrp.BOMPlan's).
type planState struct {
	mu   sync.RWMutex
	plan *mrp.BOMPlan
}

// store is the plan's mrp.Store, nil without plant data; mu is held.
func (st *planState) store() *mrp.Store { return st.plan.Store() }

const pegBatch = 500

// planningItem names the planning item item with cfg is planned as (see
// mrp.BOMSource.PlanningItem): a standard item (cfg nil) itself, "" for a
// configuration while there is no plant data.
func (s *Server) planningItem(ctx context.Context, item string, cfg configurator.Configuration) (string, error) {
	if cfg == nil {
		return item, nil
	}
	st := &s.mrp
	s.lockPlan()
	defer st.mu.Unlock()
	if st.store() == nil {
		return "", nil
	}
	src, err := s.source(ctx)
	if err != nil {
		return "", err
	}
	return src.PlanningItem(ctx, item, cfg)
}

// planned reports (as a NotFound error) whether the plan has a planning
// item id.
func (s *Server) planned(ctx context.Context, id string) error {
	return s.withPlan(ctx, func(p *mrp.Planner) error {
		if _, ok := p.Item(id); !ok {
			return notFound("item", id)
		}
		return nil
	})
}

// planETag is the ETag of a plan read at revision rev: the answer to the
// same request is the same while the plan stays at rev.
func planETag(rev uint64) string { return `"plan-` + strconv.FormatUint(rev, 10) + `"` }

// planRevision is the revision of the plan being read; mrp.mu is held.
// (s.revision, in replica.go, is the revision applied, under its own lock.)
func (s *Server) planRevision() uint64 { return s.mrp.store().Revision() }

// mrpService adapts package mrp to ctoplan.mrp.v1.MRPService.
type mrpService struct{ s *Server }

// openPlan opens the plan stored in the database (written by a server or
// by mrp.CreateStore), moving plant data of the earlier layout
// (server/plant/...) into it first.
func (s *Server) openPlan(ctx context.Context) error {
	p, err := mrp.OpenBOMPlan(ctx, s.db, s.bom)
	if err != nil {
		return err
	}
	p.Logger, p.StaleRetries, p.MaxQuoteItems = s.log, staleRetries, s.opts.MaxQuoteItems
	s.mrp.plan = p
	if p.Store() == nil {
		return s.migratePlant(ctx)
	}
	return nil
}

// rebuild plans plant data with the current master data from scratch
// (mrp.BOMPlan.Rebuild); mrp.mu is held exclusively. On error the plan is
// as it was.
func (s *Server) rebuild(ctx context.Context, pl *mrp.Plant, o mrp.LoadOptions) error {
	if err := s.mrp.plan.Rebuild(ctx, pl, o); err != nil {
		return err
	}
	s.noteApplied()
	return nil
}

// source returns the BOM source for the current master data; mrp.mu is
// held exclusively.
func (s *Server) source(ctx context.Context) (*mrp.BOMSource, error) {
	return s.mrp.plan.Source(ctx)
}

// withPlan runs fn on the current plan under the read lock, rebuilding the
// plan first when the master data changed; the lock is released when fn
// returns (or panics). fn must not keep p or anything that reads it.
func (s *Server) withPlan(ctx context.Context, fn func(p *mrp.Planner) error) error {
	st := &s.mrp
	for try := 0; ; try++ {
		if !s.planReady(ctx) {
			s.lockPlan()
			err := s.ensurePlan(ctx)
			if err != nil && st.store() != nil && st.store().Stale() {
				err = staleError(err)
			}
			st.mu.Unlock()
			if err != nil {
				return err
			}
		}
		st.mu.RLock()
		if st.store() == nil {
			st.mu.RUnlock()
			return errNoPlan
		}
		if st.store().Stale() {
			// a write failed in between and so did its reread: the
			// planner may hold the unsaved change (mrp.Store.Stale)
			st.mu.RUnlock()
			if try < 2 {
				continue
			}
			return staleError(nil)
		}
		defer st.mu.RUnlock()
		return fn(st.store().Planner())
	}
}

// staleError is the error of a read of a plan that could not be reread
// after a failed write (mrp.Store.Stale), for cause.
func staleError(cause error) error {
	msg := "the plan is being reread from the store after a failed write: retry"
	if cause != nil {
		return connect.NewError(connect.CodeUnavailable, fmt.Errorf("%s (%w)", msg, cause))
	}
	return connect.NewError(connect.CodeUnavailable, errors.New(msg))
}

// planReady reports, under a short read lock, whether a plan exists and is
// built on the current master data.
func (s *Server) planReady(context.Context) bool {
	st := &s.mrp
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.plan.Fresh()
}

var errNoPlan = errors.New("no plant data: import stock, demands, receipts and calendar first (MRPService.ImportPlant)")

// ensurePlan catches up with the store and rebuilds the plan from its
// stored inputs if the master data changed since it was built
// (mrp.BOMPlan.Ensure); mrp.mu is held exclusively.
func (s *Server) ensurePlan(ctx context.Context) error {
	err := s.mrp.plan.Ensure(ctx)
	s.noteApplied()
	if errors.Is(err, mrp.ErrNoPlan) {
		return errNoPlan
	}
	return err
}

func (m *mrpService) ImportPlant(ctx context.Context, req *connect.Request[mrpv1.ImportPlantRequest]) (*connect.Response[mrpv1.ImportPlantResponse], error) {
	s := m.s
	pl, err := plantFromCSV(req.Msg.GetCsv())
	if err == nil {
		err = s.checkPlant(pl)
	}
	if err != nil {
		return nil, s.toConnect(err)
	}
	if req.Msg.GetHorizon() < 0 {
		return nil, s.toConnect(badField("horizon", "must not be negative"))
	}
	// "" is today in the zone the plant is imported with ("" = UTC)
	start, err := s.today(req.Msg.GetTimeZone())
	if d := req.Msg.GetDate(); d != "" {
		start, err = parseStart("date", d, int(req.Msg.GetHorizon()))
	}
	if err != nil {
		return nil, s.toConnect(err)
	}
	o := mrp.LoadOptions{Start: start, Horizon: int(req.Msg.GetHorizon()), TimeZone: req.Msg.GetTimeZone(), ShiftStart: req.Msg.GetShiftStart()}
	st := &s.mrp
	s.lockPlan()
	defer st.mu.Unlock()
	if err := s.catchUpLocked(ctx); err != nil { // write the next generation
		return nil, s.toConnect(err)
	}
	t0 := time.Now()
	if err := s.rebuild(ctx, pl, o); err != nil {
		return nil, s.toConnect(err)
	}
	p := st.store().Planner()
	return connect.NewResponse(&mrpv1.ImportPlantResponse{
		Demands: int32(len(pl.Demands)), Receipts: int32(len(pl.Receipts)), Stock: int32(len(pl.Stock)), Firm: int32(len(pl.Firm)),
		Run: runResponse(p, s.planRevision(), o.Start, time.Since(t0)),
	}), nil
}

// plantFromCSV reads plant CSV texts through [mrp.ReadPlantFS]; every bad
// row of every file is reported at the file's own name.
func plantFromCSV(files []*mrpv1.CSVFile) (*mrp.Plant, error) {
	fsys := csvFS{}
	names := map[string]string{} // kind -> the name the client gave
	for i, f := range files {
		kind, err := plantFileKind(fmt.Sprintf("csv[%d].kind", i), f, mrp.StockFile, mrp.DemandsFile, mrp.ReceiptsFile, mrp.FirmFile, mrp.CalendarFile, mrp.CapacityExceptionsFile)
		if err != nil {
			return nil, err
		}
		if _, dup := fsys[kind]; dup {
			return nil, badField(fmt.Sprintf("csv[%d]", i), "a second %s", kind)
		}
		fsys[kind] = f.GetText()
		names[kind] = cmp.Or(f.GetName(), kind)
	}
	pl, err := mrp.ReadPlantFS(fsys)
	if err != nil {
		renameCSVErrors(err, names)
		return nil, err
	}
	if rs := pl.Rows; rs != nil {
		for _, f := range []*string{&rs.StockFile, &rs.DemandsFile, &rs.ReceiptsFile, &rs.FirmFile} {
			if n, ok := names[*f]; ok {
				*f = n
			}
		}
	}
	return pl, nil
}

// renameCSVErrors gives the CSV errors in err's tree (errors.Join of
// several files' errors) their files' names.
func renameCSVErrors(err error, names map[string]string) {
	switch e := err.(type) {
	case *mrp.CSVError:
		if n, ok := names[e.Pos.File]; ok {
			e.Pos.File = n
		}
	case interface{ Unwrap() []error }:
		for _, x := range e.Unwrap() {
			renameCSVErrors(x, names)
		}
	case interface{ Unwrap() error }:
		renameCSVErrors(e.Unwrap(), names)
	}
}

// csvFS is an in-memory [fs.FS] of CSV texts by file name (no
// directories).
type csvFS map[string]string

func (m csvFS) Open(name string) (fs.File, error) {
	t, ok := m[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &csvFile{strings.NewReader(t), name}, nil
}

// csvFile is an open csvFS file and its own fs.FileInfo.
type csvFile struct {
	*strings.Reader
	name string
}

func (f *csvFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f *csvFile) Close() error               { return nil }
func (f *csvFile) Name() string               { return f.name }
func (f *csvFile) Mode() fs.FileMode          { return 0o444 }
func (f *csvFile) ModTime() time.Time         { return time.Time{} }
func (f *csvFile) IsDir() bool                { return false }
func (f *csvFile) Sys() any                   { return nil }

func runResponse(p *mrp.Planner, rev uint64, start time.Time, elapsed time.Duration) *mrpv1.RunResponse {
	return convert.RunToProto(p, rev, start, elapsed)
}

// dayRange parses an optional inclusive date range (zero times: no bound).
func dayRange(fromField, from, toField, to string) (time.Time, time.Time, error) {
	var a, b time.Time
	var err error
	if from != "" {
		if a, err = parseDate(fromField, from); err != nil {
			return a, b, err
		}
	}
	if to != "" {
		if b, err = parseDate(toField, to); err != nil {
			return a, b, err
		}
	}
	if !a.IsZero() && !b.IsZero() && b.Before(a) {
		return a, b, badField(toField, "%s is before %s %s: an empty range", to, fromField, from)
	}
	return a, b, nil
}

// inRange reports whether t's day is within [from, to] (zero: no bound).
func inRange(t, from, to time.Time) bool {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return (from.IsZero() || !d.Before(from)) && (to.IsZero() || !d.After(to))
}

// withETag sets r's ETag header to the plan revision rev's.
func withETag[T any](r *connect.Response[T], rev uint64) *connect.Response[T] {
	r.Header().Set("ETag", planETag(rev))
	return r
}

func (m *mrpService) Run(ctx context.Context, req *connect.Request[mrpv1.RunRequest]) (*connect.Response[mrpv1.RunResponse], error) {
	s := m.s
	st := &s.mrp
	s.lockPlan()
	defer st.mu.Unlock()
	if err := s.catchUpLocked(ctx); err != nil { // replan the latest inputs
		return nil, s.toConnect(err)
	}
	if st.store() == nil {
		return nil, s.toConnect(errNoPlan)
	}
	p := st.store().Planner()
	o := mrp.LoadOptionsOf(p)
	if req.Msg.GetHorizon() < 0 {
		return nil, s.toConnect(badField("horizon", "must not be negative"))
	}
	if req.Msg.GetHorizon() > 0 {
		o.Horizon = int(req.Msg.GetHorizon())
	}
	if req.Msg.GetDate() != "" {
		d, err := parseStart("date", req.Msg.GetDate(), o.Horizon)
		if err != nil {
			return nil, s.toConnect(err)
		}
		o.Start = d
	}
	if req.Msg.GetTimeZone() != "" {
		o.TimeZone = req.Msg.GetTimeZone()
	}
	if req.Msg.GetShiftStart() != "" {
		o.ShiftStart = req.Msg.GetShiftStart()
	}
	t0 := time.Now()
	if err := s.rebuild(ctx, mrp.PlantOf(p.Input()), o); err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(runResponse(st.store().Planner(), s.planRevision(), o.Start, time.Since(t0))), nil
}

// change applies a net change under the exclusive lock, with the plan
// current: prepare builds the changes from the plan, and the store applies
// them and writes them as one journal entry. When the write fails the
// plan stays as it was (mrp.Store.Apply). The answer lists the items the
// change touched and changed unless req asks for their counts only.
func (s *Server) change(ctx context.Context, req countsOnly, prepare func(p *mrp.Planner) ([]mrp.Change, error)) (*mrpv1.NetChange, error) {
	return s.changeTx(ctx, req, func(tx *mrp.Tx) (*mrp.ChangeResult, error) {
		changes, err := prepare(tx.Planner())
		if err != nil {
			return nil, err
		}
		return tx.Apply(changes...)
	})
}

// changeTx is change with the store's transaction (mrp.BOMPlan.Update):
// apply writes its changes and other keys of the store's database (a
// configured order's variant) into tx, committed together or not at all.
// apply may run more than once (a conflict retry).
func (s *Server) changeTx(ctx context.Context, req countsOnly, apply func(tx *mrp.Tx) (*mrp.ChangeResult, error)) (*mrpv1.NetChange, error) {
	st := &s.mrp
	s.lockPlan()
	defer st.mu.Unlock()
	res, elapsed, err := st.plan.Update(ctx, apply)
	s.noteApplied()
	if errors.Is(err, mrp.ErrNoPlan) {
		return nil, errNoPlan
	}
	if err != nil {
		return nil, err
	}
	s.noteJournal()
	return convert.NetChangeToProto(res, st.store().Planner(), elapsed, s.planRevision(), !req.GetCountsOnly()), nil
}

// countsOnly is a write request: it may ask for the counts of the items
// its net change touched and changed only, without their IDs.
type countsOnly interface{ GetCountsOnly() bool }

// orderConfig checks a demand's (or quote's) item and returns its
// configuration: nil for a standard item, which takes none; a configurable
// one needs one (given, or completed from picks).
func (s *Server) orderConfig(ctx context.Context, field, item string, asg []*configuratorv1.Assignment, picks []*configuratorv1.Pick) (configurator.Configuration, error) {
	if item == "" {
		return nil, badField(field+".item", "missing item")
	}
	it, err := s.bom.Item(item)
	if err != nil {
		return nil, err
	}
	if it.Model == "" {
		if len(asg) > 0 || len(picks) > 0 {
			return nil, badField(field+".item", "%s is a standard item: it takes no configuration", item)
		}
		return nil, nil
	}
	cfg, err := s.configuration(ctx, item, asg, picks)
	if err != nil {
		return nil, err
	}
	if cfg == nil {
		return nil, badField(field+".configuration", "%s is configurable: give its configuration or picks", item)
	}
	return cfg, nil
}

func (m *mrpService) UpsertDemands(ctx context.Context, req *connect.Request[mrpv1.UpsertDemandsRequest]) (*connect.Response[mrpv1.UpsertDemandsResponse], error) {
	s := m.s
	var items []*mrpv1.PlanningItem
	nc, err := s.changeTx(ctx, req.Msg, func(tx *mrp.Tx) (*mrp.ChangeResult, error) {
		items = items[:0]
		res := &mrp.ChangeResult{}
		once := newSeenOnce("demands")
		for i, d := range req.Msg.GetDemands() {
			f := fmt.Sprintf("demands[%d]", i)
			if d.GetId() == "" {
				return nil, badField(f+".id", "missing id")
			}
			if err := once.check(f+".id", d.GetId(), i); err != nil {
				return nil, err
			}
			n, err := checkQty(f+".qty", d.GetQty())
			if err != nil {
				return nil, err
			}
			due, err := parseDate(f+".due_date", d.GetDueDate())
			if err != nil {
				return nil, err
			}
			cfg, err := s.orderConfig(ctx, f, d.GetItem(), d.GetConfiguration(), d.GetPicks())
			if err != nil {
				return nil, err
			}
			md := mrp.Demand{ID: d.GetId(), Item: d.GetItem(), Qty: n, Due: due, Priority: int(d.GetPriority()), Forecast: d.GetForecast()}
			if cfg != nil {
				md.Product, md.Config = d.GetItem(), cfg
			}
			// the variant is stored with the demand, in tx
			md, variant, r, err := s.mrp.plan.Order(ctx, tx, md)
			if err != nil {
				return nil, err
			}
			res.Add(r)
			pi := &mrpv1.PlanningItem{Demand: d.GetId(), Item: md.Item, Variant: variant, PastHorizon: s.mrp.store().Planner().PastHorizon(md.Due)}
			items = append(items, pi)
		}
		return res, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.UpsertDemandsResponse{Change: nc, Items: items}), nil
}

func (m *mrpService) DeleteDemands(ctx context.Context, req *connect.Request[mrpv1.DeleteDemandsRequest]) (*connect.Response[mrpv1.DeleteDemandsResponse], error) {
	s := m.s
	nc, err := s.change(ctx, req.Msg, func(p *mrp.Planner) ([]mrp.Change, error) {
		var changes []mrp.Change
		once := newSeenOnce("ids")
		for i, id := range req.Msg.GetIds() {
			if err := once.check(fmt.Sprintf("ids[%d]", i), id, i); err != nil {
				return nil, err
			}
			if _, ok := p.Demand(id); !ok {
				return nil, notFound("demand", id)
			}
			changes = append(changes, mrp.RemoveDemand{ID: id})
		}
		return changes, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.DeleteDemandsResponse{Change: nc}), nil
}

func (m *mrpService) UpsertReceipts(ctx context.Context, req *connect.Request[mrpv1.UpsertReceiptsRequest]) (*connect.Response[mrpv1.UpsertReceiptsResponse], error) {
	s := m.s
	nc, err := s.change(ctx, req.Msg, func(*mrp.Planner) ([]mrp.Change, error) {
		var changes []mrp.Change
		once := newSeenOnce("receipts")
		for i, r := range req.Msg.GetReceipts() {
			f := fmt.Sprintf("receipts[%d]", i)
			if r.GetId() == "" {
				return nil, badField(f+".id", "missing id")
			}
			if err := once.check(f+".id", r.GetId(), i); err != nil {
				return nil, err
			}
			n, err := checkQty(f+".qty", r.GetQty())
			if err != nil {
				return nil, err
			}
			due, err := parseDate(f+".due_date", r.GetDueDate())
			if err != nil {
				return nil, err
			}
			kind, err := receiptKindFromProto(f+".kind", r.GetKind())
			if err != nil {
				return nil, err
			}
			if err := s.standardItem(f+".item", r.GetItem(), "a receipt"); err != nil {
				return nil, err
			}
			changes = append(changes, mrp.SetReceipt{Receipt: mrp.Receipt{ID: r.GetId(), Item: r.GetItem(), Qty: n, Due: due, Kind: kind}})
		}
		return changes, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.UpsertReceiptsResponse{Change: nc}), nil
}

func (m *mrpService) DeleteReceipts(ctx context.Context, req *connect.Request[mrpv1.DeleteReceiptsRequest]) (*connect.Response[mrpv1.DeleteReceiptsResponse], error) {
	s := m.s
	nc, err := s.change(ctx, req.Msg, func(p *mrp.Planner) ([]mrp.Change, error) {
		var changes []mrp.Change
		once := newSeenOnce("ids")
		for i, id := range req.Msg.GetIds() {
			if err := once.check(fmt.Sprintf("ids[%d]", i), id, i); err != nil {
				return nil, err
			}
			if _, ok := p.Receipt(id); !ok {
				return nil, notFound("receipt", id)
			}
			changes = append(changes, mrp.RemoveReceipt{ID: id})
		}
		return changes, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.DeleteReceiptsResponse{Change: nc}), nil
}

func (m *mrpService) SetStock(ctx context.Context, req *connect.Request[mrpv1.SetStockRequest]) (*connect.Response[mrpv1.SetStockResponse], error) {
	s := m.s
	nc, err := s.change(ctx, req.Msg, func(*mrp.Planner) ([]mrp.Change, error) {
		var changes []mrp.Change
		once := newSeenOnce("stock")
		for i, x := range req.Msg.GetStock() {
			if err := once.check(fmt.Sprintf("stock[%d].item", i), x.GetItem(), i); err != nil {
				return nil, err
			}
			n, err := wholeQty(fmt.Sprintf("stock[%d].qty", i), x.GetQty(), 0)
			if err != nil {
				return nil, err
			}
			if err := s.standardItem(fmt.Sprintf("stock[%d].item", i), x.GetItem(), "stock"); err != nil {
				return nil, err
			}
			changes = append(changes, mrp.SetStock{Item: x.GetItem(), Qty: n})
		}
		return changes, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.SetStockResponse{Change: nc}), nil
}

func (m *mrpService) FirmOrder(ctx context.Context, req *connect.Request[mrpv1.FirmOrderRequest]) (*connect.Response[mrpv1.FirmOrderResponse], error) {
	s := m.s
	msg := req.Msg
	id := msg.GetOrder()
	if id == "" {
		return nil, s.toConnect(badField("order", "missing order ID"))
	}
	firmQty, err := wholeQty("qty", msg.GetQty(), 0)
	if err != nil {
		return nil, s.toConnect(err)
	}
	var due time.Time
	if msg.GetDueDate() != "" {
		var err error
		if due, err = parseDate("due_date", msg.GetDueDate()); err != nil {
			return nil, s.toConnect(err)
		}
	}
	if msg.GetUnfirm() && (msg.GetQty() != 0 || !due.IsZero()) {
		return nil, s.toConnect(badField("unfirm", "give either unfirm or a quantity and date"))
	}
	var firm *mrp.FirmOrder
	nc, err := s.change(ctx, req.Msg, func(p *mrp.Planner) ([]mrp.Change, error) {
		if msg.GetUnfirm() {
			if _, ok := p.FirmOrder(id); !ok {
				return nil, notFound("firm planned order", id)
			}
			return []mrp.Change{mrp.RemoveFirm{ID: id}}, nil
		}
		c, err := p.Firm(id, firmQty, due)
		if err != nil {
			return nil, err
		}
		f := c.(mrp.SetFirm).Order
		firm = &f
		return []mrp.Change{c}, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	out := &mrpv1.FirmOrderResponse{Change: nc}
	if firm != nil {
		err := s.withPlan(ctx, func(p *mrp.Planner) error {
			o, err := p.Order(firm.ID)
			if err == nil {
				out.Order = convert.OrderToProto(o)
			}
			return nil
		})
		if err != nil {
			return nil, s.toConnect(err)
		}
	}
	return connect.NewResponse(out), nil
}

func (m *mrpService) ReleaseOrder(ctx context.Context, req *connect.Request[mrpv1.ReleaseOrderRequest]) (*connect.Response[mrpv1.ReleaseOrderResponse], error) {
	s := m.s
	id := req.Msg.GetOrder()
	if id == "" {
		return nil, s.toConnect(badField("order", "missing order ID"))
	}
	var rec mrp.Receipt
	nc, err := s.change(ctx, req.Msg, func(p *mrp.Planner) ([]mrp.Change, error) {
		cs, err := p.Release(id)
		if err != nil {
			return nil, err
		}
		rec, _ = mrp.ReleasedReceipt(cs)
		return cs, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.ReleaseOrderResponse{Change: nc, Receipt: convert.ReceiptToProto(rec)}), nil
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// unpagedBatch is how many orders an unpaged ListPlannedOrders makes
// under one read lock before it sends them: the whole list of a big plan
// (2.4 M orders for a 10,000-item plant) is never held as messages.
const unpagedBatch = 8 * pegBatch

// ListPlannedOrders lists the orders and their pegging from one plan
// version. A page (page_size) and the supply tree of one demand are read
// under one read lock (a net change arriving meanwhile waits), then
// streamed. The whole list (page_size 0) is read and sent unpagedBatch
// orders at a time, each batch under its own read lock and sent without
// it (a slow reader holds no writer up); its batches are the pages of one
// plan revision, so a change of the plan between two of them ends the
// stream with Aborted and reason PLAN_CHANGED (list again), as a page
// token of an earlier revision is refused: the orders sent are never
// from two plans.
func (m *mrpService) ListPlannedOrders(ctx context.Context, req *connect.Request[mrpv1.ListPlannedOrdersRequest], stream *connect.ServerStream[mrpv1.ListPlannedOrdersResponse]) error {
	s := m.s
	read := func(fn func(p *mrp.Planner, rev uint64) error) error {
		return s.withPlan(ctx, func(p *mrp.Planner) error { return fn(p, s.planRevision()) })
	}
	err := streamOrders(req.Msg, unpagedBatch, read, func(out *mrpv1.ListPlannedOrdersResponse, first bool) error {
		if first {
			stream.ResponseHeader().Set("ETag", planETag(out.GetPlanRevision()))
		}
		return stream.Send(out)
	})
	var se sendError
	if errors.As(err, &se) {
		return se.err
	}
	if err != nil {
		return s.toConnect(err)
	}
	return nil
}

// sendError is an error of the stream's send, passed on as it is.
type sendError struct{ err error }

func (e sendError) Error() string { return e.err.Error() }
func (e sendError) Unwrap() error { return e.err }

// streamOrders answers ListPlannedOrders: read runs its function on the
// plan and its revision under the read lock, send sends a message (first
// set on the first). A page, or the supply tree of a demand, is read in
// one go; the whole list (page_size 0) batch orders at a time, each batch
// read under its own lock and sent without it, the batches being pages of
// the first one's revision (errPlanChanged after a change between them).
// The next batch is read while the last one is sent (on two cores the
// reading and the sending, its encoding and compression, overlap).
func streamOrders(msg *mrpv1.ListPlannedOrdersRequest, batch int, read func(func(p *mrp.Planner, rev uint64) error) error,
	send func(out *mrpv1.ListPlannedOrdersResponse, first bool) error) error {
	type part struct {
		msgs []*mrpv1.PlannedOrder
		next string
		rev  uint64
		err  error
	}
	readPart := func(msg *mrpv1.ListPlannedOrdersRequest, batch int) part {
		var pt part
		pt.err = read(func(p *mrp.Planner, r uint64) error {
			pt.rev = r
			var err error
			pt.msgs, pt.next, err = plannedOrders(p, msg, r, batch)
			return err
		})
		return pt
	}
	sendPart := func(pt part, first, paged bool) error {
		msgs := pt.msgs
		// at least one message, so that an empty list says its revision too
		for one := first; one || len(msgs) > 0; one = false {
			n := min(len(msgs), pegBatch)
			out := &mrpv1.ListPlannedOrdersResponse{Orders: msgs[:n], PlanRevision: pt.rev}
			if n == len(msgs) && paged {
				out.NextPageToken = pt.next
			}
			if err := send(out, one); err != nil {
				return sendError{err}
			}
			msgs = msgs[n:]
		}
		return nil
	}
	if msg.GetPageSize() != 0 || msg.GetDemand() != "" {
		pt := readPart(msg, 0)
		if pt.err != nil {
			return pt.err
		}
		return sendPart(pt, true, true)
	}
	msg = proto.CloneOf(msg) // its page token moves on
	parts := make(chan part, 1)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer func() {
		// the reader is done before the answer is: it reads nothing of
		// a finished call
		close(stop)
		wg.Wait()
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(parts)
		for {
			pt := readPart(msg, batch)
			select {
			case parts <- pt:
			case <-stop:
				return
			}
			if pt.err != nil || pt.next == "" {
				return
			}
			msg.PageToken = pt.next
		}
	}()
	first := true
	for pt := range parts {
		if pt.err != nil {
			return pt.err
		}
		if err := sendPart(pt, first, false); err != nil {
			return err
		}
		first = false
	}
	return nil
}

// plannedOrders answers ListPlannedOrders from p at revision rev (under
// the read lock): one page of the orders and the next page's token.
//
// batch > 0 reads the whole list (page_size 0, no demand) batch orders at
// a time: the page token of the next batch is returned as for a page.
func plannedOrders(p *mrp.Planner, msg *mrpv1.ListPlannedOrdersRequest, rev uint64, batch int) ([]*mrpv1.PlannedOrder, string, error) {
	var next string
	from, to, err := dayRange("due_from", msg.GetDueFrom(), "due_to", msg.GetDueTo())
	if err != nil {
		return nil, "", err
	}
	pg, err := readPage(msg.GetPageSize(), msg.GetPageToken(), rev, filterKey(msg.GetItem(), msg.GetDemand(),
		strconv.FormatBool(msg.GetPhantoms()), msg.GetDueFrom(), msg.GetDueTo(), msg.GetKind().String()))
	if err != nil {
		return nil, "", err
	}
	if pg.size == 0 && batch > 0 && msg.GetDemand() == "" {
		pg.size = batch
	}
	keep := func(k mrp.OrderKind, due time.Time) bool {
		return (k != mrp.PhantomOrder || msg.GetPhantoms()) &&
			(msg.GetKind() == mrpv1.OrderKind_ORDER_KIND_UNSPECIFIED || convert.OrderKindToProto[k] == msg.GetKind()) &&
			inRange(due, from, to)
	}
	var (
		orders []mrp.PlannedOrder
		at     []mrp.Pos // the orders' positions (the whole list, an item's)
	)
	switch {
	case msg.GetItem() != "" && msg.GetDemand() != "":
		return nil, "", badField("demand", "give an item or a demand, not both")
	case msg.GetDemand() != "":
		// the supply tree is built whole: page it by offset
		os, err := p.DemandOrders(msg.GetDemand())
		if err != nil {
			return nil, "", err
		}
		orders = slices.DeleteFunc(os, func(o mrp.PlannedOrder) bool { return !keep(o.Kind, o.Due) })
		lo, hi, tok := pg.cut(len(orders))
		orders, next = orders[lo:hi], tok
		if msg.GetWithPegging() {
			// the orders' items' pegging on all cores, not item by
			// item as each order is pegged below
			p.PegAhead(orders)
		}
	default:
		// one item's orders or all (AllOrders' order), from the token's
		// position on: the page costs its own size
		if pg.size > 0 {
			// a page or a batch is full but at the end
			orders, at = make([]mrp.PlannedOrder, 0, pg.size), make([]mrp.Pos, 0, pg.size)
		}
		err := p.ScanOrders(pg.pos, msg.GetItem(), keep, func(pos mrp.Pos, o mrp.PlannedOrder) bool {
			if pg.size > 0 && len(orders) == pg.size {
				next = pg.token(pos)
				return false
			}
			orders, at = append(orders, o), append(at, pos)
			return true
		})
		if err != nil {
			return nil, "", err
		}
	}
	if msg.GetWithPegging() && msg.GetItem() == "" && msg.GetDemand() == "" && msg.GetPageSize() == 0 {
		// the whole list: the whole plan's pegging, computed once on all
		// cores (as mrp run does) before the orders are pegged one by one
		if err := p.EachOrderOf(0, 0, false, true, func(*mrp.OrderLine) error { return nil }); err != nil {
			return nil, "", err
		}
	}
	msgs := convert.OrdersToProto(p, orders)
	var shares convert.ShareBlocks
	for k := range orders {
		switch {
		case !msg.GetWithPegging():
		case at != nil:
			sh, rest, err := p.PeggedDemandsAt(at[k])
			if err != nil {
				return nil, "", err
			}
			msgs[k].PeggedTo, msgs[k].PeggedRest = shares.Convert(sh), rest
		default:
			if err := addPegging(p, msgs[k]); err != nil {
				return nil, "", err
			}
		}
	}
	return msgs, next, nil
}

// addPegging fills po.PeggedTo from p; the caller holds the read lock p
// was taken under.
func addPegging(p *mrp.Planner, po *mrpv1.PlannedOrder) error {
	sh, rest, err := p.PeggedDemands(po.Id)
	if err != nil {
		return err
	}
	po.PeggedTo, po.PeggedRest = append(po.PeggedTo, convert.DemandSharesToProto(sh)...), rest
	return nil
}

// pegOrder fills po.PeggedTo from the current plan and returns its
// revision.
func (s *Server) pegOrder(ctx context.Context, po *mrpv1.PlannedOrder) (uint64, error) {
	var rev uint64
	err := s.withPlan(ctx, func(p *mrp.Planner) error {
		rev = s.planRevision()
		return addPegging(p, po)
	})
	return rev, err
}

func (m *mrpService) GetRecord(ctx context.Context, req *connect.Request[mrpv1.GetRecordRequest]) (*connect.Response[mrpv1.GetRecordResponse], error) {
	s := m.s
	var (
		r   *mrp.Record
		rev uint64
	)
	err := s.withPlan(ctx, func(p *mrp.Planner) error {
		rev = s.planRevision()
		var err error
		r, err = p.Record(req.Msg.GetItem())
		return err
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	out := convert.RecordToProto(r)
	out.PlanRevision = rev
	return withETag(connect.NewResponse(out), out.PlanRevision), nil
}

func (m *mrpService) PegDemand(ctx context.Context, req *connect.Request[mrpv1.PegDemandRequest], stream *connect.ServerStream[mrpv1.PegDemandResponse]) error {
	s := m.s
	var pegs []*mrpv1.Peg
	var rev uint64
	err := s.withPlan(ctx, func(p *mrp.Planner) error {
		rev = s.planRevision()
		levels := req.Msg.GetLevels()
		if levels < 0 {
			return badField("levels", "%d: want 0 (all) or more", levels)
		}
		tree, err := p.PegTreeLevels(req.Msg.GetDemand(), int(levels))
		if err != nil {
			return err
		}
		pegs = convert.PegsToProto(tree)
		return nil
	})
	if err != nil {
		return s.toConnect(err)
	}
	stream.ResponseHeader().Set("ETag", planETag(rev))
	for first := true; first || len(pegs) > 0; first = false {
		n := min(len(pegs), pegBatch)
		if err := stream.Send(&mrpv1.PegDemandResponse{Pegs: pegs[:n], PlanRevision: rev}); err != nil {
			return err
		}
		pegs = pegs[n:]
	}
	return nil
}

func (m *mrpService) PegOrder(ctx context.Context, req *connect.Request[mrpv1.PegOrderRequest]) (*connect.Response[mrpv1.PegOrderResponse], error) {
	po := &mrpv1.PlannedOrder{Id: req.Msg.GetOrder()}
	rev, err := m.s.pegOrder(ctx, po)
	if err != nil {
		return nil, m.s.toConnect(err)
	}
	return withETag(connect.NewResponse(&mrpv1.PegOrderResponse{Demands: po.PeggedTo, PlanRevision: rev, Rest: po.PeggedRest}), rev), nil
}

func (m *mrpService) ListExceptions(ctx context.Context, req *connect.Request[mrpv1.ListExceptionsRequest], stream *connect.ServerStream[mrpv1.ListExceptionsResponse]) error {
	s := m.s
	msg := req.Msg
	from, to, err := dayRange("date_from", msg.GetDateFrom(), "date_to", msg.GetDateTo())
	if err != nil {
		return s.toConnect(err)
	}
	kind := msg.GetKind()
	if _, ok := mrpv1.ExceptionKind_name[int32(kind)]; !ok {
		return s.toConnect(badField("kind", "unknown exception kind %d", kind))
	}
	var (
		ex   []mrp.Exception
		rev  uint64
		next string
	)
	err = s.withPlan(ctx, func(p *mrp.Planner) error {
		rev = s.planRevision()
		var err error
		ex, next, err = exceptionsPage(p, msg, rev, from, to, func() []mrp.Exception { return s.late.get(p, rev) })
		return err
	})
	if err != nil {
		return s.toConnect(err)
	}
	stream.ResponseHeader().Set("ETag", planETag(rev))
	var batch []*mrpv1.Exception
	sent := false
	for k, e := range ex {
		batch = append(batch, convert.ExceptionToProto(e))
		if len(batch) == pegBatch && k < len(ex)-1 {
			if err := stream.Send(&mrpv1.ListExceptionsResponse{Exceptions: batch, PlanRevision: rev}); err != nil {
				return err
			}
			batch, sent = nil, true
		}
	}
	if len(batch) > 0 || !sent {
		return stream.Send(&mrpv1.ListExceptionsResponse{Exceptions: batch, PlanRevision: rev, NextPageToken: next})
	}
	return nil
}

// exceptionsPage answers ListExceptions from p at revision rev (under the
// read lock; from..to is the request's date range): one page of the
// exception messages from the token's position on, and the next page's
// token. It costs the page's size (and the late demands when the page
// reaches them), not the plan's.
// late, if not nil, gives the plan's late demands.
func exceptionsPage(p *mrp.Planner, msg *mrpv1.ListExceptionsRequest, rev uint64, from, to time.Time, late func() []mrp.Exception) ([]mrp.Exception, string, error) {
	kind := msg.GetKind()
	pg, err := readPage(msg.GetPageSize(), msg.GetPageToken(), rev, filterKey(msg.GetItem(), kind.String(), msg.GetDateFrom(), msg.GetDateTo()))
	if err != nil {
		return nil, "", err
	}
	var (
		ex   []mrp.Exception
		next string
	)
	var keep func(mrp.ExceptionKind) bool // messages of other kinds are not built
	if kind != mrpv1.ExceptionKind_EXCEPTION_KIND_UNSPECIFIED {
		keep = func(k mrp.ExceptionKind) bool { return convert.ExceptionKindToProto[k] == kind }
	}
	err = p.ScanExceptionsOf(pg.pos, msg.GetItem(), keep, late, func(at mrp.Pos, e mrp.Exception) bool {
		if (msg.GetItem() != "" && e.Item != msg.GetItem()) || (kind != mrpv1.ExceptionKind_EXCEPTION_KIND_UNSPECIFIED && convert.ExceptionKindToProto[e.Kind] != kind) ||
			!inRange(e.Date, from, to) {
			return true
		}
		if pg.size > 0 && len(ex) == pg.size {
			next = pg.token(at)
			return false
		}
		ex = append(ex, e)
		return true
	})
	if errors.Is(err, mrp.ErrUnknownItem) {
		err = nil // an item the plan does not know has no exceptions, as before
	}
	return ex, next, err
}

func (m *mrpService) Promise(ctx context.Context, req *connect.Request[mrpv1.PromiseRequest]) (*connect.Response[mrpv1.PromiseResponse], error) {
	s := m.s
	st := &s.mrp
	msg := req.Msg
	n, err := checkQty("qty", msg.GetQty())
	if err != nil {
		return nil, s.toConnect(err)
	}
	s.lockPlan()
	defer st.mu.Unlock()
	if err := s.ensurePlan(ctx); err != nil {
		return nil, s.toConnect(err)
	}
	p := st.store().Planner()
	// a configured product's planning item (ITEM@hash, as UpsertDemands
	// and Promise answer) is promised as it is planned, with no
	// configuration; any other item as orderConfig says
	var cfg configurator.Configuration
	_, planned := p.Item(msg.GetItem())
	_, configured := mrp.PlanningItemBase(msg.GetItem())
	variantItem := planned && configured && len(msg.GetConfiguration()) == 0 && len(msg.GetPicks()) == 0
	if !variantItem {
		if cfg, err = s.orderConfig(ctx, "request", msg.GetItem(), msg.GetConfiguration(), msg.GetPicks()); err != nil {
			return nil, s.toConnect(err)
		}
	}
	r := mrp.PromiseRequest{Item: msg.GetItem(), Qty: n, Date: p.Calendar().Start}
	if msg.GetDate() != "" {
		if r.Date, err = parseDate("date", msg.GetDate()); err != nil {
			return nil, s.toConnect(err)
		}
	}
	// capable to promise on the work centers' capacity the plan's finite
	// schedule leaves free, as WhatIfRush and FiniteSchedule see it; a
	// configuration not ordered before is quoted in memory, not stored
	// (mrp.BOMPlan.Promise)
	s.warm.use()
	pr, variant, err := st.plan.Promise(ctx, r, cfg)
	if err != nil {
		return nil, s.toConnect(err)
	}
	out := &mrpv1.PromiseResponse{Item: pr.Item, Date: day(pr.Date), Atp: pr.ATP, Late: pr.Late, Limit: pr.Limit, WorkCenter: pr.WorkCenter,
		PlanRevision: s.planRevision(), Variant: variant, StartDate: day(pr.Start)}
	return withETag(connect.NewResponse(out), out.PlanRevision), nil
}

func (m *mrpService) GetPlanStats(ctx context.Context, req *connect.Request[mrpv1.GetPlanStatsRequest]) (*connect.Response[mrpv1.GetPlanStatsResponse], error) {
	s := m.s
	var out *mrpv1.GetPlanStatsResponse
	var rev uint64
	err := s.withPlan(ctx, func(p *mrp.Planner) error {
		rev = s.planRevision()
		ps := p.Stats()
		c := p.Calendar()
		out = &mrpv1.GetPlanStatsResponse{Date: day(c.Start), Horizon: int32(p.Horizon()),
			Items: int32(ps.Items), Levels: int32(ps.Levels), PlannedOrders: int32(ps.Orders), PlannedQuantity: qty(ps.Quantity),
			Demands: int32(ps.Demands), Receipts: int32(ps.Receipts), Exceptions: int32(p.ExceptionCount()),
			TimeZone: c.TimeZone, ShiftStart: c.ShiftStart, Revision: rev, PastHorizon: int32(ps.PastHorizon)}
		if !req.Msg.GetSkipDigest() {
			out.Digest = s.digest(p)
		}
		return nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return withETag(connect.NewResponse(out), rev), nil
}

func (m *mrpService) Backup(ctx context.Context, _ *connect.Request[mrpv1.BackupRequest], stream *connect.ServerStream[mrpv1.BackupResponse]) error {
	w := &chunkWriter{send: func(b []byte) error { return stream.Send(&mrpv1.BackupResponse{Chunk: b}) }}
	if err := kv.Backup(ctx, m.s.db, w); err != nil {
		return m.s.toConnect(err)
	}
	return w.flush()
}

// chunkWriter sends what is written in chunks of 256 KiB.
type chunkWriter struct {
	buf  []byte
	send func([]byte) error
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for len(w.buf) >= 256<<10 {
		if err := w.send(w.buf[:256<<10]); err != nil {
			return 0, err
		}
		w.buf = append([]byte(nil), w.buf[256<<10:]...)
	}
	return len(p), nil
}

func (w *chunkWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	return w.send(w.buf)
}

var _ io.Writer = (*chunkWriter)(nil)
