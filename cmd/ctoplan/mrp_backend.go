package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/mrp"
)

// plantBackend answers the mrp commands that read a stored plan (pegging,
// exceptions, record, atp): package mrp's BOMPlan on the command's store in
// this process (offline: --data loaded into it, or --store DIR), or a
// running server's MRP service (--server). The answers are the MRP
// service's records, which the commands print (their plain JSON is
// --format json); offline internal/convert builds them from mrp's types,
// as the server does. See docs/design.md, "The CLI's one path".
type plantBackend interface {
	// pegDemand is a demand's supply tree, depth first: its first
	// levels levels (0: all).
	pegDemand(ctx context.Context, demand string, levels int) ([]*mrpv1.Peg, error)
	// pegOrder is the demands a planned order serves (at most the peg
	// limit of them) and the part of it serving the others.
	pegOrder(ctx context.Context, order string) ([]*mrpv1.DemandShare, float64, error)
	record(ctx context.Context, item string) (*mrpv1.GetRecordResponse, error)
	// exceptions lists the plan's exceptions (of item, when not ""); a
	// server's answer is paged as pf says.
	exceptions(ctx context.Context, item string, pf pageFlags, stderr io.Writer) ([]*mrpv1.Exception, error)
	// promise answers ATP/CTP for qty of item (picks configure it) on
	// date ("" the planning date).
	promise(ctx context.Context, item string, picks []string, qty int64, date string) (*mrpv1.PromiseResponse, error)

	// replan plans the stored plant again from scratch, on date ("" the
	// plan's own).
	replan(ctx context.Context, date string) (*mrpv1.RunResponse, error)
	// orders passes the planned orders req selects (its item or demand
	// and pegging) to each, one at a time as they are made or received; a
	// server's answer is paged as pf says, and restart is called before
	// the listing starts again from the first page (the plan changed
	// under it).
	orders(ctx context.Context, req *mrpv1.ListPlannedOrdersRequest, pf pageFlags, stderr io.Writer, each func(*mrpv1.PlannedOrder) error, restart func()) error

	// The writes replan by net change and answer what it touched.
	// upsertDemand adds or replaces a demand (picks configure its item)
	// and names the planning item it is planned as.
	upsertDemand(ctx context.Context, d *mrpv1.Demand, picks []string) (*mrpv1.NetChange, []*mrpv1.PlanningItem, error)
	deleteDemands(ctx context.Context, ids []string) (*mrpv1.NetChange, error)
	upsertReceipt(ctx context.Context, r mrp.Receipt) (*mrpv1.NetChange, error)
	deleteReceipts(ctx context.Context, ids []string) (*mrpv1.NetChange, error)
	setStock(ctx context.Context, stock []mrp.SetStock) (*mrpv1.NetChange, error)
	// firm firms a planned order (qty 0 and due "": as planned) and
	// returns it, or gives it back to MRP (unfirm; no order).
	firm(ctx context.Context, id string, qty int64, due string, unfirm bool) (*mrpv1.NetChange, *mrpv1.PlannedOrder, error)
	// release turns a planned order into the scheduled receipt returned.
	release(ctx context.Context, id string) (*mrpv1.NetChange, *mrpv1.Receipt, error)
}

// runPlant opens the backend the flags name, loads --data into it (models,
// master data, plant data planned on --date over --horizon in --tz with
// --shift-start; without --data those three replan the stored plant),
// runs fn and, offline on --store, stores what the command wrote in one
// transaction when it succeeded (a rebuild after a master-data change).
func (c *common) runPlant(cmd *cobra.Command, fn func(context.Context, plantBackend) error) error {
	ctx := cmd.Context()
	if c.backend.server != "" {
		return c.run(cmd, func(cl *clients) error { return fn(ctx, remotePlant{cl, c.countsOnly}) })
	}
	return c.withLocalStore(cmd, func(ctx context.Context, lb *localBOM) error {
		if c.data != "" {
			if err := loadBOMData(cmd, lb, c.data, true); err != nil {
				return err
			}
		}
		p, err := mrp.OpenBOMPlan(ctx, lb.db, lb.bs)
		if err != nil {
			return err
		}
		if c.data != "" && c.plan {
			// the zone, shift and horizon planned at once: the planning
			// date left out is today in that zone
			o := mrp.LoadOptions{Horizon: c.horizon, TimeZone: c.tz, ShiftStart: c.shift}
			if err := loadLocalPlant(cmd, p, c.data, c.date, o); err != nil {
				return err
			}
		} else if c.plan && (c.tz != "" || c.shift != "" || c.horizon != 0) {
			if err := replanZone(ctx, p, c.tz, c.shift, c.horizon); err != nil {
				return err
			}
		}
		if err := p.Ensure(ctx); err != nil {
			if errors.Is(err, mrp.ErrNoPlan) {
				return errNoPlant
			}
			return err
		}
		return fn(ctx, &localPlant{lb: lb, p: p, countsOnly: c.countsOnly})
	})
}

// errNoPlant is the answer of an offline command without a plan.
var errNoPlant = errors.New("no plant data: give --data DIR with its plant CSVs (stock, demands, receipts, calendar), or a --store DIR that holds a plan")

// plantOnly is a directory's plant CSV files (plantFiles): what the
// server's ImportPlant reads of a --data directory.
type plantOnly struct{ fsys fs.FS }

func (p plantOnly) Open(name string) (fs.File, error) {
	if !slices.Contains(plantFiles, name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return p.fsys.Open(name)
}

// loadLocalPlant reads the plant CSVs of dir and plans them with the
// store's master data as the server's ImportPlant: on date ("" today in
// the plant's time zone), over the horizon, in the zone and with the
// shift start the flags give (o; Start is ignored). It logs what it
// planned as loadData does.
func loadLocalPlant(cmd *cobra.Command, p *mrp.BOMPlan, dir, date string, o mrp.LoadOptions) error {
	ctx := cmd.Context()
	log := cmd.ErrOrStderr()
	d := dirData(dir)
	found := false
	for _, f := range plantFiles {
		if _, ok, err := d.read(f); err != nil {
			return err
		} else if ok {
			found = true
		}
	}
	if !found {
		return fmt.Errorf("%s: none of %s", dir, strings.Join(plantFiles, ", "))
	}
	start, err := planDay(date, o.TimeZone, o.Horizon)
	if err != nil {
		return err
	}
	o.Start = start
	stop := progress(log, "importing plant data and planning")
	pl, err := mrp.ReadPlantFSAs(plantOnly{os.DirFS(dir)}, dir)
	var elapsed time.Duration
	if err == nil {
		if err = p.CatchUp(ctx); err == nil {
			t0 := time.Now()
			err = p.Rebuild(ctx, pl, o)
			elapsed = time.Since(t0)
		}
	}
	stop()
	if err != nil {
		return err
	}
	// the shop floor's confirmations.csv, as the commands that plan the
	// directory in process (capacity, schedule, status, whatif) apply it:
	// scrap shrinks released orders, and the plan nets the rest
	if err := applyConfirmations(ctx, p, dir); err != nil {
		return err
	}
	pn := p.Store().Planner()
	st := pn.Stats()
	plantLoaded(log, dir, len(pl.Demands), len(pl.Receipts), len(pl.Firm), len(pl.Stock),
		st.Items, start.Format(time.DateOnly), st.Orders, pn.ExceptionCount(), float64(elapsed.Microseconds())/1000)
	return nil
}

// applyConfirmations records dir's confirmations.csv (if any) on the plan
// p, as one change.
func applyConfirmations(ctx context.Context, p *mrp.BOMPlan, dir string) error {
	f, err := os.Open(filepath.Join(dir, mrp.ConfirmationsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	cs, err := mrp.ReadConfirmations(filepath.Join(dir, mrp.ConfirmationsFile), f)
	if err != nil || len(cs) == 0 {
		return err
	}
	changes := make([]mrp.Change, len(cs))
	for k, c := range cs {
		changes[k] = mrp.SetConfirmation{Confirmation: c}
	}
	_, _, err = p.Update(ctx, func(tx *mrp.Tx) (*mrp.ChangeResult, error) { return tx.Apply(changes...) })
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, mrp.ConfirmationsFile), err)
	}
	return nil
}

// plantLoaded logs what a plant import read and planned (the firm planned
// orders only when there are some).
func plantLoaded(log io.Writer, dir string, demands, receipts, firm, stock, items int, date string, orders, exceptions int, ms float64) {
	firmed := ""
	if firm > 0 {
		firmed = fmt.Sprintf(", %d firm planned orders", firm)
	}
	fmt.Fprintf(log, "plant data from %s: %d demands, %d receipts%s, %d stock records; planned %d items on %s: %d orders, %d exceptions in %.1f ms\n",
		dir, demands, receipts, firmed, stock, items, date, orders, exceptions, ms)
}

// replanZone sets the plant's time zone and shift start (kept with the
// plant data) and replans, as the server's Run.
func replanZone(ctx context.Context, p *mrp.BOMPlan, tz, shift string, horizon int) error {
	if err := p.CatchUp(ctx); err != nil {
		return err
	}
	if p.Store() == nil {
		return errNoPlant
	}
	pn := p.Store().Planner()
	o := mrp.LoadOptionsOf(pn)
	if tz != "" {
		o.TimeZone = tz
	}
	if shift != "" {
		o.ShiftStart = shift
	}
	if horizon != 0 {
		o.Horizon = horizon // a bad one is the planner's error
	}
	return p.Rebuild(ctx, mrp.PlantOf(pn.Input()), o)
}

// localPlant is a BOMPlan on the command's store in this process.
type localPlant struct {
	lb *localBOM
	p  *mrp.BOMPlan
	// countsOnly: a write's answer counts the items, without their IDs
	countsOnly bool
}

func (l *localPlant) planner() *mrp.Planner { return l.p.Store().Planner() }

func (l *localPlant) pegDemand(_ context.Context, demand string, levels int) ([]*mrpv1.Peg, error) {
	pn := l.planner()
	tree, err := pn.PegTreeLevels(demand, levels)
	if err != nil {
		return nil, err
	}
	return convert.PegsToProto(tree), nil
}

func (l *localPlant) pegOrder(_ context.Context, order string) ([]*mrpv1.DemandShare, float64, error) {
	sh, rest, err := l.planner().PeggedDemands(order)
	if err != nil {
		return nil, 0, err
	}
	return convert.DemandSharesToProto(sh), rest, nil
}

func (l *localPlant) record(_ context.Context, item string) (*mrpv1.GetRecordResponse, error) {
	r, err := l.planner().Record(item)
	if err != nil {
		return nil, err
	}
	out := convert.RecordToProto(r)
	out.PlanRevision = l.p.Store().Revision()
	return out, nil
}

func (l *localPlant) exceptions(_ context.Context, item string, pf pageFlags, _ io.Writer) ([]*mrpv1.Exception, error) {
	if pf.size != 0 || pf.token != "" {
		return nil, errors.New("--page-size and --page-token page a server's answer (--server); offline the whole list is printed")
	}
	var out []*mrpv1.Exception
	for _, e := range l.planner().Exceptions() {
		if item == "" || e.Item == item {
			out = append(out, convert.ExceptionToProto(e))
		}
	}
	return out, nil
}

func (l *localPlant) promise(ctx context.Context, item string, picks []string, qty int64, date string) (*mrpv1.PromiseResponse, error) {
	// a standard item takes no picks; a configurable one needs some; a
	// configured product's planning item (ITEM@hash) is promised as planned
	var cfg configurator.Configuration
	it, err := l.lb.bs.Item(item)
	_, planned := l.planner().Item(item)
	_, configured := mrp.PlanningItemBase(item)
	switch {
	case err != nil && planned && configured && len(picks) == 0:
	case err != nil:
		return nil, err
	case it.Model == "" && len(picks) > 0:
		return nil, fmt.Errorf("%s is a standard item: it takes no configuration", item)
	case it.Model != "" && len(picks) == 0:
		return nil, fmt.Errorf("%s is configurable: give its configuration with --pick", item)
	case it.Model != "":
		if cfg, _, err = l.lb.configure(ctx, item, picks); err != nil {
			return nil, err
		}
	}
	pn := l.planner()
	r := mrp.PromiseRequest{Item: item, Qty: qty, Date: pn.Calendar().Start}
	if date != "" {
		if r.Date, err = wireDay("--want", date); err != nil {
			return nil, err
		}
	}
	pr, variant, err := l.p.Promise(ctx, r, cfg)
	if err != nil {
		return nil, err
	}
	return &mrpv1.PromiseResponse{Item: pr.Item, Date: convert.Date(pr.Date), Atp: pr.ATP, Late: pr.Late, Limit: pr.Limit, WorkCenter: pr.WorkCenter,
		PlanRevision: l.p.Store().Revision(), Variant: variant, StartDate: convert.Date(pr.Start)}, nil
}

func (l *localPlant) replan(ctx context.Context, date string) (*mrpv1.RunResponse, error) {
	pn := l.planner()
	o := mrp.LoadOptionsOf(pn)
	if date != "" {
		var err error
		if o.Start, err = mrp.ParseStart(date, o.Horizon); err != nil {
			return nil, fmt.Errorf("--date: %w", err)
		}
	}
	t0 := time.Now()
	if err := l.p.Rebuild(ctx, mrp.PlantOf(pn.Input()), o); err != nil {
		return nil, err
	}
	st := l.p.Store()
	return convert.RunToProto(st.Planner(), st.Revision(), o.Start, time.Since(t0)), nil
}

func (l *localPlant) orders(_ context.Context, req *mrpv1.ListPlannedOrdersRequest, pf pageFlags, _ io.Writer, each func(*mrpv1.PlannedOrder) error, _ func()) error {
	if pf.size != 0 || pf.token != "" {
		return errors.New("--page-size and --page-token page a server's answer (--server); offline the whole list is printed")
	}
	pn := l.planner()
	// at: the order's position in a scan of the whole plan (nil: none)
	emit := func(o mrp.PlannedOrder, at *mrp.Pos) error {
		if o.Kind == mrp.PhantomOrder {
			return nil // as the service lists them (phantoms on request only)
		}
		po := convert.OrderToProto(o)
		if req.GetWithPegging() {
			var (
				sh   []mrp.DemandShare
				rest float64
				err  error
			)
			if at != nil {
				sh, rest, err = pn.PeggedDemandsAt(*at)
			} else {
				sh, rest, err = pn.PeggedDemands(o.ID)
			}
			if err != nil {
				return err
			}
			po.PeggedTo, po.PeggedRest = convert.DemandSharesToProto(sh), rest
		}
		return each(po)
	}
	var (
		orders []mrp.PlannedOrder
		err    error
	)
	switch {
	case req.GetItem() != "" && req.GetDemand() != "":
		return errors.New("give --item or --demand, not both")
	case req.GetItem() != "":
		orders, err = pn.Orders(req.GetItem())
	case req.GetDemand() != "":
		orders, err = pn.DemandOrders(req.GetDemand())
	default:
		// the whole plan, one order at a time
		var eerr error
		serr := pn.ScanOrders(mrp.Pos{}, "", nil, func(at mrp.Pos, o mrp.PlannedOrder) bool {
			eerr = emit(o, &at)
			return eerr == nil
		})
		return cmp.Or(serr, eerr)
	}
	if err != nil {
		return err
	}
	if req.GetWithPegging() {
		pn.PegAhead(orders) // as the service does
	}
	for _, o := range orders {
		if err := emit(o, nil); err != nil {
			return err
		}
	}
	return nil
}

// change applies the changes prepare builds from the current plan as one
// net change in one transaction (mrp.BOMPlan.Update), as the server's
// handlers do.
func (l *localPlant) change(ctx context.Context, prepare func(p *mrp.Planner) ([]mrp.Change, error)) (*mrpv1.NetChange, error) {
	return l.changeTx(ctx, func(tx *mrp.Tx) (*mrp.ChangeResult, error) {
		cs, err := prepare(tx.Planner())
		if err != nil {
			return nil, err
		}
		return tx.Apply(cs...)
	})
}

func (l *localPlant) changeTx(ctx context.Context, apply func(tx *mrp.Tx) (*mrp.ChangeResult, error)) (*mrpv1.NetChange, error) {
	res, elapsed, err := l.p.Update(ctx, apply)
	if err != nil {
		return nil, err
	}
	st := l.p.Store()
	return convert.NetChangeToProto(res, st.Planner(), elapsed, st.Revision(), !l.countsOnly), nil
}

// standardItem checks that item exists and is a standard item (what:
// what it is for, in the message).
func (l *localPlant) standardItem(item, what string) error {
	it, err := l.lb.bs.Item(item)
	if err != nil {
		return err
	}
	if it.Model != "" {
		return fmt.Errorf("%s is configurable (model %s): %s is for a standard item", item, it.Model, what)
	}
	return nil
}

// errUnknown is an unknown demand, receipt or order, worded as a server
// answers it.
func errUnknown(kind, id string) error {
	return fmt.Errorf("%w: unknown %s %q", mrp.ErrNotFound, kind, id)
}

func (l *localPlant) upsertDemand(ctx context.Context, d *mrpv1.Demand, picks []string) (*mrpv1.NetChange, []*mrpv1.PlanningItem, error) {
	due, err := wireDay("due_date", d.GetDueDate())
	if err != nil {
		return nil, nil, err
	}
	it, err := l.lb.bs.Item(d.GetItem())
	if err != nil {
		return nil, nil, err
	}
	md := mrp.Demand{ID: d.GetId(), Item: d.GetItem(), Qty: int64(d.GetQty()), Due: due, Priority: int(d.GetPriority())}
	switch {
	case it.Model == "" && len(picks) > 0:
		return nil, nil, fmt.Errorf("%s is a standard item: it takes no configuration", d.GetItem())
	case it.Model != "" && len(picks) == 0:
		return nil, nil, fmt.Errorf("%s is configurable: give its configuration with --pick", d.GetItem())
	case it.Model != "":
		cfg, _, err := l.lb.configure(ctx, d.GetItem(), picks)
		if err != nil {
			return nil, nil, err
		}
		md.Product, md.Config = d.GetItem(), cfg
	}
	var items []*mrpv1.PlanningItem
	nc, err := l.changeTx(ctx, func(tx *mrp.Tx) (*mrp.ChangeResult, error) {
		// the variant is stored with the demand, in tx
		planned, variant, res, err := l.p.Order(ctx, tx, md)
		if err != nil {
			return nil, err
		}
		items = []*mrpv1.PlanningItem{{Demand: md.ID, Item: planned.Item, Variant: variant, PastHorizon: l.planner().PastHorizon(md.Due)}}
		return res, nil
	})
	return nc, items, err
}

func (l *localPlant) deleteDemands(ctx context.Context, ids []string) (*mrpv1.NetChange, error) {
	return l.change(ctx, func(p *mrp.Planner) ([]mrp.Change, error) {
		var cs []mrp.Change
		for _, id := range ids {
			if _, ok := p.Demand(id); !ok {
				return nil, errUnknown("demand", id)
			}
			cs = append(cs, mrp.RemoveDemand{ID: id})
		}
		return cs, nil
	})
}

func (l *localPlant) upsertReceipt(ctx context.Context, r mrp.Receipt) (*mrpv1.NetChange, error) {
	if err := l.standardItem(r.Item, "a receipt"); err != nil {
		return nil, err
	}
	return l.change(ctx, func(*mrp.Planner) ([]mrp.Change, error) { return []mrp.Change{mrp.SetReceipt{Receipt: r}}, nil })
}

func (l *localPlant) deleteReceipts(ctx context.Context, ids []string) (*mrpv1.NetChange, error) {
	return l.change(ctx, func(p *mrp.Planner) ([]mrp.Change, error) {
		var cs []mrp.Change
		for _, id := range ids {
			if _, ok := p.Receipt(id); !ok {
				return nil, errUnknown("receipt", id)
			}
			cs = append(cs, mrp.RemoveReceipt{ID: id})
		}
		return cs, nil
	})
}

func (l *localPlant) setStock(ctx context.Context, stock []mrp.SetStock) (*mrpv1.NetChange, error) {
	cs := make([]mrp.Change, len(stock))
	for i, x := range stock {
		if err := l.standardItem(x.Item, "stock"); err != nil {
			return nil, err
		}
		cs[i] = x
	}
	return l.change(ctx, func(*mrp.Planner) ([]mrp.Change, error) { return cs, nil })
}

func (l *localPlant) firm(ctx context.Context, id string, qty int64, due string, unfirm bool) (*mrpv1.NetChange, *mrpv1.PlannedOrder, error) {
	var day time.Time
	if due != "" {
		var err error
		if day, err = wireDay("due_date", due); err != nil {
			return nil, nil, err
		}
	}
	var firm *mrp.FirmOrder
	nc, err := l.change(ctx, func(p *mrp.Planner) ([]mrp.Change, error) {
		if unfirm {
			if _, ok := p.FirmOrder(id); !ok {
				return nil, errUnknown("firm planned order", id)
			}
			return []mrp.Change{mrp.RemoveFirm{ID: id}}, nil
		}
		c, err := p.Firm(id, qty, day)
		if err != nil {
			return nil, err
		}
		f := c.(mrp.SetFirm).Order
		firm = &f
		return []mrp.Change{c}, nil
	})
	if err != nil || firm == nil {
		return nc, nil, err
	}
	o, err := l.planner().Order(firm.ID)
	if err != nil {
		return nc, nil, nil // as the server: the order, when the plan has it
	}
	return nc, convert.OrderToProto(o), nil
}

func (l *localPlant) release(ctx context.Context, id string) (*mrpv1.NetChange, *mrpv1.Receipt, error) {
	var rec mrp.Receipt
	nc, err := l.change(ctx, func(p *mrp.Planner) ([]mrp.Change, error) {
		cs, err := p.Release(id)
		if err != nil {
			return nil, err
		}
		rec, _ = mrp.ReleasedReceipt(cs)
		return cs, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return nc, convert.ReceiptToProto(rec), nil
}

// remotePlant is a server's MRP service.
type remotePlant struct {
	cl *clients
	// countsOnly: writes ask for counts only (counts_only)
	countsOnly bool
}

func (r remotePlant) pegDemand(ctx context.Context, demand string, levels int) ([]*mrpv1.Peg, error) {
	s, err := r.cl.mrp.PegDemand(ctx, connect.NewRequest(&mrpv1.PegDemandRequest{Demand: demand, Levels: int32(min(levels, math.MaxInt32))}))
	if err != nil {
		return nil, err
	}
	defer s.Close()
	var out []*mrpv1.Peg
	for s.Receive() {
		out = append(out, s.Msg().GetPegs()...)
	}
	return out, s.Err()
}

func (r remotePlant) pegOrder(ctx context.Context, order string) ([]*mrpv1.DemandShare, float64, error) {
	res, err := r.cl.mrp.PegOrder(ctx, connect.NewRequest(&mrpv1.PegOrderRequest{Order: order}))
	if err != nil {
		return nil, 0, err
	}
	return res.Msg.GetDemands(), res.Msg.GetRest(), nil
}

func (r remotePlant) record(ctx context.Context, item string) (*mrpv1.GetRecordResponse, error) {
	res, err := r.cl.mrp.GetRecord(ctx, connect.NewRequest(&mrpv1.GetRecordRequest{Item: item}))
	if err != nil {
		return nil, err
	}
	return res.Msg, nil
}

func (r remotePlant) exceptions(ctx context.Context, item string, pf pageFlags, stderr io.Writer) ([]*mrpv1.Exception, error) {
	return listExceptionPages(ctx, r.cl, item, pf, stderr)
}

func (r remotePlant) promise(ctx context.Context, item string, picks []string, qty int64, date string) (*mrpv1.PromiseResponse, error) {
	ps, err := wirePicks(picks)
	if err != nil {
		return nil, err
	}
	res, err := r.cl.mrp.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: item, Picks: ps, Qty: float64(qty), Date: date}))
	if err != nil {
		return nil, err
	}
	return res.Msg, nil
}

func (r remotePlant) upsertDemand(ctx context.Context, d *mrpv1.Demand, picks []string) (*mrpv1.NetChange, []*mrpv1.PlanningItem, error) {
	ps, err := wirePicks(picks)
	if err != nil {
		return nil, nil, err
	}
	d.Picks = ps
	res, err := r.cl.mrp.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{d}, CountsOnly: r.countsOnly}))
	if err != nil {
		return nil, nil, err
	}
	return res.Msg.GetChange(), res.Msg.GetItems(), nil
}

func (r remotePlant) deleteDemands(ctx context.Context, ids []string) (*mrpv1.NetChange, error) {
	res, err := r.cl.mrp.DeleteDemands(ctx, connect.NewRequest(&mrpv1.DeleteDemandsRequest{Ids: ids, CountsOnly: r.countsOnly}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetChange(), nil
}

func (r remotePlant) upsertReceipt(ctx context.Context, rc mrp.Receipt) (*mrpv1.NetChange, error) {
	res, err := r.cl.mrp.UpsertReceipts(ctx, connect.NewRequest(&mrpv1.UpsertReceiptsRequest{Receipts: []*mrpv1.Receipt{{
		Id: rc.ID, Item: rc.Item, Qty: float64(rc.Qty), DueDate: convert.Date(rc.Due), Kind: convert.ReceiptKindToProto[rc.Kind]}}, CountsOnly: r.countsOnly}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetChange(), nil
}

func (r remotePlant) deleteReceipts(ctx context.Context, ids []string) (*mrpv1.NetChange, error) {
	res, err := r.cl.mrp.DeleteReceipts(ctx, connect.NewRequest(&mrpv1.DeleteReceiptsRequest{Ids: ids, CountsOnly: r.countsOnly}))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetChange(), nil
}

func (r remotePlant) setStock(ctx context.Context, stock []mrp.SetStock) (*mrpv1.NetChange, error) {
	req := &mrpv1.SetStockRequest{CountsOnly: r.countsOnly}
	for _, x := range stock {
		req.Stock = append(req.Stock, &mrpv1.Stock{Item: x.Item, Qty: float64(x.Qty)})
	}
	res, err := r.cl.mrp.SetStock(ctx, connect.NewRequest(req))
	if err != nil {
		return nil, err
	}
	return res.Msg.GetChange(), nil
}

func (r remotePlant) firm(ctx context.Context, id string, qty int64, due string, unfirm bool) (*mrpv1.NetChange, *mrpv1.PlannedOrder, error) {
	res, err := r.cl.mrp.FirmOrder(ctx, connect.NewRequest(&mrpv1.FirmOrderRequest{Order: id, Qty: float64(qty), DueDate: due, Unfirm: unfirm, CountsOnly: r.countsOnly}))
	if err != nil {
		return nil, nil, err
	}
	return res.Msg.GetChange(), res.Msg.GetOrder(), nil
}

func (r remotePlant) release(ctx context.Context, id string) (*mrpv1.NetChange, *mrpv1.Receipt, error) {
	res, err := r.cl.mrp.ReleaseOrder(ctx, connect.NewRequest(&mrpv1.ReleaseOrderRequest{Order: id, CountsOnly: r.countsOnly}))
	if err != nil {
		return nil, nil, err
	}
	return res.Msg.GetChange(), res.Msg.GetReceipt(), nil
}

func (r remotePlant) replan(ctx context.Context, date string) (*mrpv1.RunResponse, error) {
	res, err := r.cl.mrp.Run(ctx, connect.NewRequest(&mrpv1.RunRequest{Date: date}))
	if err != nil {
		return nil, err
	}
	return res.Msg, nil
}

func (r remotePlant) orders(ctx context.Context, req *mrpv1.ListPlannedOrdersRequest, pf pageFlags, stderr io.Writer, each func(*mrpv1.PlannedOrder) error, restart func()) error {
	return listOrderPages(ctx, r.cl, req, pf, stderr, each, restart)
}
