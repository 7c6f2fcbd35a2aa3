package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"connectrpc.com/connect"

	"github.com/ctoplan/ctoplan/configurator"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// planState is the MRP side of the server: the plant data as stored, and
// the plan computed from it and the BOM store. Readers share mu; changes
// hold it exclusively.
type planState struct {
	mu    sync.RWMutex
	plant *mrp.Plant
	meta  plantMeta
	have  bool // plant data was imported (or stored)
	src   *mrp.BOMSource
	plan  *mrp.Planner
	rev   uint64 // BOM master-data revision src was built on
	// quoteItems counts the planning items Promise added for variants no
	// demand has since the plan was built (bounded by
	// Options.MaxQuoteItems).
	quoteItems int
}

const pegBatch = 500

// mrpService adapts package mrp to ctoplan.mrp.v1.MRPService.
type mrpService struct{ s *Server }

// openPlan loads the stored plant data; the plan is built on first use.
func (s *Server) openPlan(ctx context.Context) error {
	pl, meta, ok, err := loadPlant(ctx, s.db)
	if err != nil {
		return err
	}
	s.mrp.plant, s.mrp.meta, s.mrp.have = pl, meta, ok
	return nil
}

// rebuild plans from scratch: plant data and the current BOM store. The
// caller holds mrp.mu exclusively.
func (s *Server) rebuild(ctx context.Context, pl *mrp.Plant, meta plantMeta) (*mrp.BOMSource, *mrp.Planner, error) {
	rev := s.bom.Revision()
	in, src, err := mrp.FromBOM(ctx, s.bom, pl, mrp.LoadOptions{Start: meta.Start, Horizon: meta.Horizon,
		TimeZone: meta.TimeZone, ShiftStart: meta.ShiftStart})
	if err != nil {
		return nil, nil, err
	}
	// A firm planned order of a configured variant item that the master
	// data no longer yields cannot be planned: it is left out (and kept in
	// the store).
	in.Firm = slices.DeleteFunc(in.Firm, func(f mrp.FirmOrder) bool {
		if _, ok := src.Item(f.Item); !ok {
			s.log.Warn("firm planned order left out: its item is not planned with the current master data", "order", f.ID, "item", f.Item)
			return true
		}
		return false
	})
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		return nil, nil, err
	}
	s.mrp.rev = rev
	return src, p, nil
}

// current returns the plan with a read lock held (release with
// mrp.mu.RUnlock), rebuilding it first when the master data changed.
func (s *Server) current(ctx context.Context) (*mrp.Planner, error) {
	st := &s.mrp
	st.mu.RLock()
	if st.plan != nil && st.rev == s.bom.Revision() {
		return st.plan, nil
	}
	st.mu.RUnlock()
	st.mu.Lock()
	if err := s.ensurePlan(ctx); err != nil {
		st.mu.Unlock()
		return nil, err
	}
	st.mu.Unlock()
	st.mu.RLock()
	if st.plan == nil {
		st.mu.RUnlock()
		return nil, errNoPlan
	}
	return st.plan, nil
}

var errNoPlan = errors.New("no plant data: import stock, demands, receipts and calendar first (MRPService.ImportPlant)")

// ensurePlan (re)builds the plan if there is plant data and the plan is
// missing or older than the master data; mrp.mu is held exclusively.
func (s *Server) ensurePlan(ctx context.Context) error {
	st := &s.mrp
	if !st.have {
		return errNoPlan
	}
	if st.plan != nil && st.rev == s.bom.Revision() {
		return nil
	}
	src, p, err := s.rebuild(ctx, st.plant, st.meta)
	if err != nil {
		return err
	}
	st.src, st.plan, st.quoteItems = src, p, 0
	return nil
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
	start, err := parseDay("date", req.Msg.GetDate())
	if err != nil {
		return nil, s.toConnect(err)
	}
	if req.Msg.GetHorizon() < 0 {
		return nil, s.toConnect(badField("horizon", "must not be negative"))
	}
	meta := plantMeta{Start: start, Horizon: int(req.Msg.GetHorizon()), TimeZone: req.Msg.GetTimeZone(), ShiftStart: req.Msg.GetShiftStart()}
	st := &s.mrp
	st.mu.Lock()
	defer st.mu.Unlock()
	t0 := time.Now()
	src, p, err := s.rebuild(ctx, pl, meta)
	if err != nil {
		return nil, s.toConnect(err)
	}
	elapsed := time.Since(t0)
	if err := s.db.Update(ctx, func(txn kv.Txn) error { return savePlant(txn, pl, meta) }); err != nil {
		return nil, s.toConnect(err)
	}
	st.plant, st.meta, st.have, st.src, st.plan, st.quoteItems = pl, meta, true, src, p, 0
	return connect.NewResponse(&mrpv1.ImportPlantResponse{
		Demands: int32(len(pl.Demands)), Receipts: int32(len(pl.Receipts)), Stock: int32(len(pl.Stock)),
		Run: runResponse(p, meta, elapsed),
	}), nil
}

// plantFromCSV reads plant CSV texts; every bad row of every file is
// reported.
func plantFromCSV(files []*mrpv1.CSVFile) (*mrp.Plant, error) {
	pl := newPlant()
	var errs []error
	at := func(file string, row int) string { return file + ":" + strconv.Itoa(row) }
	seen := map[string]bool{}
	for i, f := range files {
		kind := f.GetKind()
		if kind == "" {
			kind = path.Base(f.GetName())
		}
		name := f.GetName()
		if name == "" {
			name = kind
		}
		if seen[kind] {
			return nil, badField(fmt.Sprintf("csv[%d]", i), "a second %s", kind)
		}
		seen[kind] = true
		r := strings.NewReader(f.GetText())
		var err error
		switch kind {
		case mrp.StockFile:
			var rows map[string]int
			pl.Stock, rows, err = mrp.ReadStock(name, r)
			for k, v := range rows {
				pl.Rows["stock:"+k] = at(name, v)
			}
		case mrp.DemandsFile:
			var rows map[string]int
			pl.Demands, pl.Configs, rows, err = mrp.ReadDemands(name, r)
			for k, v := range rows {
				pl.Rows["demand:"+k] = at(name, v)
			}
		case mrp.ReceiptsFile:
			var rows map[string]int
			pl.Receipts, rows, err = mrp.ReadReceipts(name, r)
			for k, v := range rows {
				pl.Rows["receipt:"+k] = at(name, v)
			}
		case mrp.CalendarFile:
			pl.Days, err = mrp.ReadCalendar(name, r)
		default:
			return nil, badField(fmt.Sprintf("csv[%d].kind", i), "%q is not one of %s, %s, %s, %s (name the file so, or set kind)",
				kind, mrp.StockFile, mrp.DemandsFile, mrp.ReceiptsFile, mrp.CalendarFile)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return pl, errors.Join(errs...)
}

func runResponse(p *mrp.Planner, meta plantMeta, elapsed time.Duration) *mrpv1.RunResponse {
	st := p.Stats()
	return &mrpv1.RunResponse{Items: int32(st.Items), Levels: int32(st.Levels), PlannedOrders: int32(st.Orders),
		Exceptions: int32(len(p.Exceptions())), ElapsedMs: ms(elapsed), Date: meta.Start.Format(time.DateOnly)}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (m *mrpService) Run(ctx context.Context, req *connect.Request[mrpv1.RunRequest]) (*connect.Response[mrpv1.RunResponse], error) {
	s := m.s
	st := &s.mrp
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.have {
		return nil, s.toConnect(errNoPlan)
	}
	meta := st.meta
	if req.Msg.GetDate() != "" {
		d, err := parseDay("date", req.Msg.GetDate())
		if err != nil {
			return nil, s.toConnect(err)
		}
		meta.Start = d
	}
	if req.Msg.GetHorizon() < 0 {
		return nil, s.toConnect(badField("horizon", "must not be negative"))
	}
	if req.Msg.GetHorizon() > 0 {
		meta.Horizon = int(req.Msg.GetHorizon())
	}
	if req.Msg.GetTimeZone() != "" {
		meta.TimeZone = req.Msg.GetTimeZone()
	}
	if req.Msg.GetShiftStart() != "" {
		meta.ShiftStart = req.Msg.GetShiftStart()
	}
	t0 := time.Now()
	src, p, err := s.rebuild(ctx, st.plant, meta)
	if err != nil {
		return nil, s.toConnect(err)
	}
	elapsed := time.Since(t0)
	if meta != st.meta {
		if err := s.db.Update(ctx, func(txn kv.Txn) error { return putJSON(txn, pMeta, meta) }); err != nil {
			return nil, s.toConnect(err)
		}
	}
	st.meta, st.src, st.plan, st.quoteItems = meta, src, p, 0
	return connect.NewResponse(runResponse(p, meta, elapsed)), nil
}

// change applies a net change: prepare builds the planner changes and the
// store writes (under the exclusive lock, with the plan current); the
// changes are applied, then the writes committed. When the commit fails the
// plan is rebuilt from the store on next use.
func (s *Server) change(ctx context.Context, prepare func(st *planState) ([]mrp.Change, func(kv.Txn) error, func(), error)) (*mrpv1.NetChange, error) {
	st := &s.mrp
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := s.ensurePlan(ctx); err != nil {
		return nil, err
	}
	changes, write, commit, err := prepare(st)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	res, err := st.plan.Apply(changes...)
	if err != nil {
		return nil, err
	}
	elapsed := time.Since(t0)
	if err := s.db.Update(ctx, write); err != nil {
		// The plan has the change but the store does not: rebuild both
		// from the store on next use.
		s.reloadPlant(ctx)
		return nil, err
	}
	commit()
	ps := st.plan.Stats()
	return &mrpv1.NetChange{Touched: res.Touched, Changed: res.Changed, Items: int32(ps.Items), PlannedOrders: int32(ps.Orders),
		Exceptions: int32(len(st.plan.Exceptions())), ElapsedMs: ms(elapsed)}, nil
}

// reloadPlant rereads the plant data after a failed write; mrp.mu is held.
func (s *Server) reloadPlant(ctx context.Context) {
	pl, meta, ok, err := loadPlant(ctx, s.db)
	if err != nil {
		s.log.Error("rereading plant data", "err", err)
		return
	}
	s.mrp.plant, s.mrp.meta, s.mrp.have, s.mrp.plan = pl, meta, ok, nil
}

// demandItem resolves a demand's item: a configurable one (with a
// configuration or picks) to its variant's planning item, adding the
// variant's new nodes as items. A new variant is stored when persist is
// set (a demand), else resolved in memory only (a quote).
func (s *Server) demandItem(ctx context.Context, st *planState, field, item string, asg []*configuratorv1.Assignment, picks []*configuratorv1.Pick, persist bool) (string, configurator.Configuration, []mrp.Change, error) {
	if item == "" {
		return "", nil, nil, badField(field+".item", "missing item")
	}
	it, err := s.bom.Item(item)
	if err != nil {
		return "", nil, nil, err
	}
	if it.Model == "" {
		if len(asg) > 0 || len(picks) > 0 {
			return "", nil, nil, badField(field+".item", "%s is a standard item: it takes no configuration", item)
		}
		return item, nil, nil, nil
	}
	cfg, err := s.configuration(ctx, item, asg, picks)
	if err != nil {
		return "", nil, nil, err
	}
	if cfg == nil {
		return "", nil, nil, badField(field+".configuration", "%s is configurable: give its configuration or picks", item)
	}
	var id string
	var added []mrp.Item
	if persist {
		id, added, err = st.src.Variant(ctx, item, cfg)
	} else {
		id, added, err = st.src.QuoteVariant(ctx, item, cfg)
	}
	if err != nil {
		return "", nil, nil, err
	}
	changes := make([]mrp.Change, len(added))
	for i, x := range added {
		changes[i] = mrp.SetItem{Item: x}
	}
	return id, cfg, changes, nil
}

func (m *mrpService) UpsertDemands(ctx context.Context, req *connect.Request[mrpv1.UpsertDemandsRequest]) (*connect.Response[mrpv1.UpsertDemandsResponse], error) {
	s := m.s
	var items []*mrpv1.PlanningItem
	nc, err := s.change(ctx, func(st *planState) ([]mrp.Change, func(kv.Txn) error, func(), error) {
		var changes []mrp.Change
		type rec struct {
			d   mrp.Demand
			cfg configurator.Configuration
		}
		var recs []rec
		for i, d := range req.Msg.GetDemands() {
			f := fmt.Sprintf("demands[%d]", i)
			if d.GetId() == "" {
				return nil, nil, nil, badField(f+".id", "missing id")
			}
			if err := checkQty(f+".qty", d.GetQty()); err != nil {
				return nil, nil, nil, err
			}
			due, err := time.Parse(time.DateOnly, d.GetDueDate())
			if err != nil {
				return nil, nil, nil, badField(f+".due_date", "bad date %q (want YYYY-MM-DD)", d.GetDueDate())
			}
			id, cfg, add, err := s.demandItem(ctx, st, f, d.GetItem(), d.GetConfiguration(), d.GetPicks(), true)
			if err != nil {
				return nil, nil, nil, err
			}
			changes = append(changes, add...)
			md := mrp.Demand{ID: d.GetId(), Item: id, Qty: d.GetQty(), Due: due, Priority: int(d.GetPriority()), Forecast: d.GetForecast()}
			changes = append(changes, mrp.SetDemand{Demand: md})
			stored := md
			stored.Item = d.GetItem()
			recs = append(recs, rec{stored, cfg})
			pi := &mrpv1.PlanningItem{Demand: d.GetId(), Item: id}
			if cfg != nil {
				// the variant an order for the line explodes: the one in
				// force on the day it starts
				at := st.meta.Start
				if x, ok := st.src.Item(id); ok {
					at = st.plan.ReleaseDate(due, x.LeadTime)
				}
				if v, err := s.bom.Resolve(ctx, d.GetItem(), cfg, at); err == nil {
					pi.Variant = v.ID
				}
			}
			items = append(items, pi)
		}
		write := func(txn kv.Txn) error {
			for _, r := range recs {
				if err := putDemand(txn, r.d, r.cfg); err != nil {
					return err
				}
			}
			return nil
		}
		commit := func() {
			for _, r := range recs {
				st.plant.Demands = slices.DeleteFunc(st.plant.Demands, func(x mrp.Demand) bool { return x.ID == r.d.ID })
				st.plant.Demands = append(st.plant.Demands, r.d)
				delete(st.plant.Configs, r.d.ID)
				if r.cfg != nil {
					st.plant.Configs[r.d.ID] = r.cfg
				}
			}
		}
		return changes, write, commit, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.UpsertDemandsResponse{Change: nc, Items: items}), nil
}

func (m *mrpService) DeleteDemands(ctx context.Context, req *connect.Request[mrpv1.DeleteDemandsRequest]) (*connect.Response[mrpv1.DeleteDemandsResponse], error) {
	s := m.s
	ids := req.Msg.GetIds()
	nc, err := s.change(ctx, func(st *planState) ([]mrp.Change, func(kv.Txn) error, func(), error) {
		var changes []mrp.Change
		for _, id := range ids {
			if !slices.ContainsFunc(st.plant.Demands, func(d mrp.Demand) bool { return d.ID == id }) {
				return nil, nil, nil, notFound("demand", id)
			}
			changes = append(changes, mrp.RemoveDemand{ID: id})
		}
		write := func(txn kv.Txn) error {
			for _, id := range ids {
				if err := txn.Delete([]byte(pDemand + id)); err != nil {
					return err
				}
			}
			return nil
		}
		commit := func() {
			for _, id := range ids {
				st.plant.Demands = slices.DeleteFunc(st.plant.Demands, func(d mrp.Demand) bool { return d.ID == id })
				delete(st.plant.Configs, id)
			}
		}
		return changes, write, commit, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.DeleteDemandsResponse{Change: nc}), nil
}

func (m *mrpService) UpsertReceipts(ctx context.Context, req *connect.Request[mrpv1.UpsertReceiptsRequest]) (*connect.Response[mrpv1.UpsertReceiptsResponse], error) {
	s := m.s
	nc, err := s.change(ctx, func(st *planState) ([]mrp.Change, func(kv.Txn) error, func(), error) {
		var changes []mrp.Change
		var recs []mrp.Receipt
		for i, r := range req.Msg.GetReceipts() {
			f := fmt.Sprintf("receipts[%d]", i)
			if r.GetId() == "" {
				return nil, nil, nil, badField(f+".id", "missing id")
			}
			if err := checkQty(f+".qty", r.GetQty()); err != nil {
				return nil, nil, nil, err
			}
			due, err := time.Parse(time.DateOnly, r.GetDueDate())
			if err != nil {
				return nil, nil, nil, badField(f+".due_date", "bad date %q (want YYYY-MM-DD)", r.GetDueDate())
			}
			kind, err := mrp.ParseReceiptKind(r.GetKind())
			if err != nil {
				return nil, nil, nil, badField(f+".kind", "%q: want purchase or production", r.GetKind())
			}
			if err := s.standardItem(f+".item", r.GetItem(), "a receipt"); err != nil {
				return nil, nil, nil, err
			}
			x := mrp.Receipt{ID: r.GetId(), Item: r.GetItem(), Qty: r.GetQty(), Due: due, Kind: kind}
			changes = append(changes, mrp.SetReceipt{Receipt: x})
			recs = append(recs, x)
		}
		write := func(txn kv.Txn) error {
			for _, r := range recs {
				if err := putJSON(txn, pReceipt+r.ID, r); err != nil {
					return err
				}
			}
			return nil
		}
		commit := func() {
			for _, r := range recs {
				st.plant.Receipts = slices.DeleteFunc(st.plant.Receipts, func(x mrp.Receipt) bool { return x.ID == r.ID })
				st.plant.Receipts = append(st.plant.Receipts, r)
			}
		}
		return changes, write, commit, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.UpsertReceiptsResponse{Change: nc}), nil
}

func (m *mrpService) DeleteReceipts(ctx context.Context, req *connect.Request[mrpv1.DeleteReceiptsRequest]) (*connect.Response[mrpv1.DeleteReceiptsResponse], error) {
	s := m.s
	ids := req.Msg.GetIds()
	nc, err := s.change(ctx, func(st *planState) ([]mrp.Change, func(kv.Txn) error, func(), error) {
		var changes []mrp.Change
		for _, id := range ids {
			if !slices.ContainsFunc(st.plant.Receipts, func(r mrp.Receipt) bool { return r.ID == id }) {
				return nil, nil, nil, notFound("receipt", id)
			}
			changes = append(changes, mrp.RemoveReceipt{ID: id})
		}
		write := func(txn kv.Txn) error {
			for _, id := range ids {
				if err := txn.Delete([]byte(pReceipt + id)); err != nil {
					return err
				}
			}
			return nil
		}
		commit := func() {
			for _, id := range ids {
				st.plant.Receipts = slices.DeleteFunc(st.plant.Receipts, func(r mrp.Receipt) bool { return r.ID == id })
			}
		}
		return changes, write, commit, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.DeleteReceiptsResponse{Change: nc}), nil
}

func (m *mrpService) SetStock(ctx context.Context, req *connect.Request[mrpv1.SetStockRequest]) (*connect.Response[mrpv1.SetStockResponse], error) {
	s := m.s
	nc, err := s.change(ctx, func(st *planState) ([]mrp.Change, func(kv.Txn) error, func(), error) {
		var changes []mrp.Change
		stock := map[string]int64{}
		for i, x := range req.Msg.GetStock() {
			if x.GetQty() < 0 || x.GetQty() > mrp.MaxQty {
				return nil, nil, nil, badField(fmt.Sprintf("stock[%d].qty", i), "%d not in [0, %d]", x.GetQty(), int64(mrp.MaxQty))
			}
			if err := s.standardItem(fmt.Sprintf("stock[%d].item", i), x.GetItem(), "stock"); err != nil {
				return nil, nil, nil, err
			}
			changes = append(changes, mrp.SetStock{Item: x.GetItem(), Qty: x.GetQty()})
			stock[x.GetItem()] = x.GetQty()
		}
		write := func(txn kv.Txn) error {
			for item, q := range stock {
				if err := txn.Set([]byte(pStock+item), strconv.AppendInt(nil, q, 10)); err != nil {
					return err
				}
			}
			return nil
		}
		commit := func() { maps.Copy(st.plant.Stock, stock) }
		return changes, write, commit, nil
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
	if msg.GetQty() < 0 {
		return nil, s.toConnect(badField("qty", "must not be negative"))
	}
	var due time.Time
	if msg.GetDueDate() != "" {
		var err error
		if due, err = time.Parse(time.DateOnly, msg.GetDueDate()); err != nil {
			return nil, s.toConnect(badField("due_date", "bad date %q (want YYYY-MM-DD)", msg.GetDueDate()))
		}
	}
	if msg.GetUnfirm() && (msg.GetQty() != 0 || !due.IsZero()) {
		return nil, s.toConnect(badField("unfirm", "give either unfirm or a quantity and date"))
	}
	var firm *mrp.FirmOrder
	nc, err := s.change(ctx, func(st *planState) ([]mrp.Change, func(kv.Txn) error, func(), error) {
		if msg.GetUnfirm() {
			if !slices.ContainsFunc(st.plant.Firm, func(f mrp.FirmOrder) bool { return f.ID == id }) {
				return nil, nil, nil, notFound("firm planned order", id)
			}
			write := func(txn kv.Txn) error { return txn.Delete([]byte(pFirm + id)) }
			commit := func() {
				st.plant.Firm = slices.DeleteFunc(st.plant.Firm, func(f mrp.FirmOrder) bool { return f.ID == id })
			}
			return []mrp.Change{mrp.RemoveFirm{ID: id}}, write, commit, nil
		}
		c, err := st.plan.Firm(id, msg.GetQty(), due)
		if err != nil {
			return nil, nil, nil, err
		}
		f := c.(mrp.SetFirm).Order
		firm = &f
		write := func(txn kv.Txn) error { return putJSON(txn, pFirm+f.ID, f) }
		commit := func() {
			st.plant.Firm = slices.DeleteFunc(st.plant.Firm, func(x mrp.FirmOrder) bool { return x.ID == f.ID })
			st.plant.Firm = append(st.plant.Firm, f)
		}
		return []mrp.Change{c}, write, commit, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	out := &mrpv1.FirmOrderResponse{Change: nc}
	if firm != nil {
		p, err := s.current(ctx)
		if err != nil {
			return nil, s.toConnect(err)
		}
		o, err := p.Order(firm.ID)
		s.mrp.mu.RUnlock()
		if err == nil {
			out.Order = orderToProto(o)
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
	nc, err := s.change(ctx, func(st *planState) ([]mrp.Change, func(kv.Txn) error, func(), error) {
		cs, err := st.plan.Release(id)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, c := range cs {
			if r, ok := c.(mrp.SetReceipt); ok {
				rec = r.Receipt
			}
		}
		write := func(txn kv.Txn) error {
			if err := txn.Delete([]byte(pFirm + id)); err != nil {
				return err
			}
			return putJSON(txn, pReceipt+rec.ID, rec)
		}
		commit := func() {
			st.plant.Firm = slices.DeleteFunc(st.plant.Firm, func(x mrp.FirmOrder) bool { return x.ID == id })
			st.plant.Receipts = slices.DeleteFunc(st.plant.Receipts, func(x mrp.Receipt) bool { return x.ID == id })
			st.plant.Receipts = append(st.plant.Receipts, rec)
		}
		return cs, write, commit, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.ReleaseOrderResponse{Change: nc, Receipt: &mrpv1.Receipt{Id: rec.ID, Item: rec.Item, Qty: rec.Qty,
		DueDate: day(rec.Due), Kind: rec.Kind.String()}}), nil
}

var orderKindToProto = map[mrp.OrderKind]mrpv1.OrderKind{
	mrp.Production: mrpv1.OrderKind_ORDER_KIND_PRODUCTION, mrp.Requisition: mrpv1.OrderKind_ORDER_KIND_PURCHASE,
	mrp.PhantomOrder: mrpv1.OrderKind_ORDER_KIND_PHANTOM,
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func orderToProto(o mrp.PlannedOrder) *mrpv1.PlannedOrder {
	out := &mrpv1.PlannedOrder{Id: o.ID, Item: o.Item, Kind: orderKindToProto[o.Kind], Qty: o.Qty,
		ReleaseDate: day(o.Release), DueDate: day(o.Due), PastDue: o.ReleaseDay < 0, Firm: o.Firm}
	for _, op := range o.Operations {
		out.Operations = append(out.Operations, &mrpv1.ScheduledOperation{Seq: int32(op.Seq), WorkCenter: op.WorkCenter,
			Hours: op.Hours, Start: op.Start.Format(time.RFC3339), End: op.End.Format(time.RFC3339)})
	}
	return out
}

// ListPlannedOrders lists the orders and their pegging from one plan
// version: both are read under one read lock (a net change arriving
// meanwhile waits), then streamed.
func (m *mrpService) ListPlannedOrders(ctx context.Context, req *connect.Request[mrpv1.ListPlannedOrdersRequest], stream *connect.ServerStream[mrpv1.ListPlannedOrdersResponse]) error {
	s := m.s
	p, err := s.current(ctx)
	if err != nil {
		return s.toConnect(err)
	}
	msgs, err := func() ([]*mrpv1.PlannedOrder, error) {
		defer s.mrp.mu.RUnlock()
		var orders []mrp.PlannedOrder
		switch {
		case req.Msg.GetItem() != "" && req.Msg.GetDemand() != "":
			return nil, badField("demand", "give an item or a demand, not both")
		case req.Msg.GetItem() != "":
			os, err := p.Orders(req.Msg.GetItem())
			if err != nil {
				return nil, err
			}
			orders = os
		case req.Msg.GetDemand() != "":
			tree, err := p.SupplyTree(req.Msg.GetDemand())
			if err != nil {
				return nil, err
			}
			seen := map[string]bool{}
			var walk func(ns []*mrp.PegNode) error
			walk = func(ns []*mrp.PegNode) error {
				for _, n := range ns {
					if n.Supply.Kind == mrp.FromPlanned && !seen[n.Supply.ID] {
						seen[n.Supply.ID] = true
						o, err := p.Order(n.Supply.ID)
						if err != nil {
							return err
						}
						orders = append(orders, o)
					}
					if err := walk(n.Children); err != nil {
						return err
					}
				}
				return nil
			}
			if err := walk(tree); err != nil {
				return nil, err
			}
		default:
			orders = p.AllOrders()
		}
		if !req.Msg.GetPhantoms() {
			orders = slices.DeleteFunc(orders, func(o mrp.PlannedOrder) bool { return o.Kind == mrp.PhantomOrder })
		}
		msgs := make([]*mrpv1.PlannedOrder, len(orders))
		for k, o := range orders {
			msgs[k] = orderToProto(o)
			if req.Msg.GetWithPegging() {
				if err := addPegging(p, msgs[k]); err != nil {
					return nil, err
				}
			}
		}
		return msgs, nil
	}()
	if err != nil {
		return s.toConnect(err)
	}
	for len(msgs) > 0 {
		n := min(len(msgs), pegBatch)
		if err := stream.Send(&mrpv1.ListPlannedOrdersResponse{Orders: msgs[:n]}); err != nil {
			return err
		}
		msgs = msgs[n:]
	}
	return nil
}

// addPegging fills po.PeggedTo from p; the caller holds the read lock p
// was taken under.
func addPegging(p *mrp.Planner, po *mrpv1.PlannedOrder) error {
	sh, err := p.PeggedDemands(po.Id)
	if err != nil {
		return err
	}
	for _, x := range sh {
		po.PeggedTo = append(po.PeggedTo, &mrpv1.DemandShare{Demand: x.Demand, Qty: x.Qty})
	}
	return nil
}

func (s *Server) pegOrder(ctx context.Context, po *mrpv1.PlannedOrder) error {
	p, err := s.current(ctx)
	if err != nil {
		return err
	}
	defer s.mrp.mu.RUnlock()
	return addPegging(p, po)
}

func (m *mrpService) GetRecord(ctx context.Context, req *connect.Request[mrpv1.GetRecordRequest]) (*connect.Response[mrpv1.GetRecordResponse], error) {
	s := m.s
	p, err := s.current(ctx)
	if err != nil {
		return nil, s.toConnect(err)
	}
	defer s.mrp.mu.RUnlock()
	r, err := p.Record(req.Msg.GetItem())
	if err != nil {
		return nil, s.toConnect(err)
	}
	out := &mrpv1.GetRecordResponse{Item: r.Item, OnHand: r.OnHand, SafetyStock: r.SafetyStock}
	for _, d := range r.Days {
		out.Days = append(out.Days, &mrpv1.RecordDay{Date: day(d.Date), Gross: d.Gross, Receipts: d.Receipts, Planned: d.Planned, Balance: d.Balance})
	}
	return connect.NewResponse(out), nil
}

var supplyKindToProto = map[mrp.SupplyKind]mrpv1.SupplyKind{
	mrp.FromStock: mrpv1.SupplyKind_SUPPLY_KIND_STOCK, mrp.FromReceipt: mrpv1.SupplyKind_SUPPLY_KIND_RECEIPT,
	mrp.FromPlanned: mrpv1.SupplyKind_SUPPLY_KIND_PLANNED,
}

func (m *mrpService) PegDemand(ctx context.Context, req *connect.Request[mrpv1.PegDemandRequest], stream *connect.ServerStream[mrpv1.PegDemandResponse]) error {
	s := m.s
	p, err := s.current(ctx)
	if err != nil {
		return s.toConnect(err)
	}
	var pegs []*mrpv1.Peg
	err = func() error {
		defer s.mrp.mu.RUnlock()
		tree, err := p.SupplyTree(req.Msg.GetDemand())
		if err != nil {
			return err
		}
		var walk func(ns []*mrp.PegNode, level int, parent string)
		walk = func(ns []*mrp.PegNode, level int, parent string) {
			for _, n := range ns {
				pegs = append(pegs, &mrpv1.Peg{Level: int32(level), Item: n.Item, SupplyKind: supplyKindToProto[n.Supply.Kind],
					Supply: n.Supply.ID, Date: day(p.Date(n.Supply.Day)), Qty: n.Qty, Parent: parent})
				walk(n.Children, level+1, n.Supply.ID)
			}
		}
		walk(tree, 0, "")
		return nil
	}()
	if err != nil {
		return s.toConnect(err)
	}
	for len(pegs) > 0 {
		n := min(len(pegs), pegBatch)
		if err := stream.Send(&mrpv1.PegDemandResponse{Pegs: pegs[:n]}); err != nil {
			return err
		}
		pegs = pegs[n:]
	}
	return nil
}

func (m *mrpService) PegOrder(ctx context.Context, req *connect.Request[mrpv1.PegOrderRequest]) (*connect.Response[mrpv1.PegOrderResponse], error) {
	po := &mrpv1.PlannedOrder{Id: req.Msg.GetOrder()}
	if err := m.s.pegOrder(ctx, po); err != nil {
		return nil, m.s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.PegOrderResponse{Demands: po.PeggedTo}), nil
}

func exceptionToProto(e mrp.Exception) *mrpv1.Exception {
	return &mrpv1.Exception{Kind: e.Kind.String(), Item: e.Item, Ref: e.Ref, Date: day(e.Date), To: day(e.To),
		Qty: e.Qty, Limit: e.Limit, Message: e.String()}
}

func (m *mrpService) ListExceptions(ctx context.Context, req *connect.Request[mrpv1.ListExceptionsRequest], stream *connect.ServerStream[mrpv1.ListExceptionsResponse]) error {
	s := m.s
	p, err := s.current(ctx)
	if err != nil {
		return s.toConnect(err)
	}
	ex := p.Exceptions()
	s.mrp.mu.RUnlock()
	var batch []*mrpv1.Exception
	for _, e := range ex {
		if it := req.Msg.GetItem(); it != "" && e.Item != it {
			continue
		}
		batch = append(batch, exceptionToProto(e))
		if len(batch) == pegBatch {
			if err := stream.Send(&mrpv1.ListExceptionsResponse{Exceptions: batch}); err != nil {
				return err
			}
			batch = nil
		}
	}
	if len(batch) > 0 {
		return stream.Send(&mrpv1.ListExceptionsResponse{Exceptions: batch})
	}
	return nil
}

func (m *mrpService) Promise(ctx context.Context, req *connect.Request[mrpv1.PromiseRequest]) (*connect.Response[mrpv1.PromiseResponse], error) {
	s := m.s
	st := &s.mrp
	msg := req.Msg
	if err := checkQty("qty", msg.GetQty()); err != nil {
		return nil, s.toConnect(err)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := s.ensurePlan(ctx); err != nil {
		return nil, s.toConnect(err)
	}
	// A configuration not ordered before is resolved in memory, not
	// stored; its variant's new nodes join the planning items (no demand,
	// so no order changes). Past Options.MaxQuoteItems of those, the plan
	// is first rebuilt from the stored plant data, which drops them.
	id, cfg, add, err := s.demandItem(ctx, st, "request", msg.GetItem(), msg.GetConfiguration(), msg.GetPicks(), false)
	if err == nil && len(add) > 0 && st.quoteItems > 0 && st.quoteItems+len(add) > s.opts.MaxQuoteItems {
		s.log.Debug("rebuilding the plan to drop quote items", "items", st.quoteItems)
		st.plan = nil
		if err = s.ensurePlan(ctx); err == nil {
			id, cfg, add, err = s.demandItem(ctx, st, "request", msg.GetItem(), msg.GetConfiguration(), msg.GetPicks(), false)
		}
	}
	if err != nil {
		return nil, s.toConnect(err)
	}
	if len(add) > 0 {
		if _, err := st.plan.Apply(add...); err != nil {
			st.plan = nil // the source has the items, the plan not: rebuild both
			return nil, s.toConnect(err)
		}
		st.quoteItems += len(add)
	}
	date := st.meta.Start
	if msg.GetDate() != "" {
		if date, err = parseDay("date", msg.GetDate()); err != nil {
			return nil, s.toConnect(err)
		}
	}
	pr, err := st.plan.Promise(mrp.PromiseRequest{Item: id, Qty: msg.GetQty(), Date: date})
	if err != nil {
		return nil, s.toConnect(err)
	}
	out := &mrpv1.PromiseResponse{Item: pr.Item, Date: day(pr.Date), Atp: pr.ATP, Late: pr.Late, Limit: pr.Limit}
	if cfg != nil {
		if x, ok := st.src.Item(id); ok {
			v, err := s.bom.ResolveTransient(ctx, msg.GetItem(), cfg, st.plan.ReleaseDate(pr.Date, x.LeadTime))
			if err != nil {
				return nil, s.toConnect(err)
			}
			out.Variant = v.ID
		}
	}
	return connect.NewResponse(out), nil
}

func (m *mrpService) GetPlanStats(ctx context.Context, _ *connect.Request[mrpv1.GetPlanStatsRequest]) (*connect.Response[mrpv1.GetPlanStatsResponse], error) {
	s := m.s
	p, err := s.current(ctx)
	if err != nil {
		return nil, s.toConnect(err)
	}
	defer s.mrp.mu.RUnlock()
	ps := p.Stats()
	in := p.Input()
	return connect.NewResponse(&mrpv1.GetPlanStatsResponse{Date: day(s.mrp.meta.Start), Horizon: int32(p.Horizon()),
		Items: int32(ps.Items), Levels: int32(ps.Levels), PlannedOrders: int32(ps.Orders), PlannedQuantity: ps.Quantity,
		Demands: int32(len(in.Demands)), Receipts: int32(len(in.Receipts)), Exceptions: int32(len(p.Exceptions())),
		TimeZone: s.mrp.meta.TimeZone, ShiftStart: s.mrp.meta.ShiftStart}), nil
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
