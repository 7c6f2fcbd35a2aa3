package main

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
	"github.com/ctoplan/ctoplan/server"
)

// bomBackend answers the bom commands: package bom on a store in this
// process (offline), or a running server's BOM service (--server). The
// answers are the BOM service's records, which the commands print (their
// plain JSON is --format json); offline they are built from bom's types by
// internal/convert, as the server builds them. See docs/design.md, "The
// CLI's one path".
type bomBackend interface {
	// importData imports the master-data CSVs and models of req (its Csv
	// and Models) in one transaction.
	importData(ctx context.Context, req *bomv1.ImportRequest) (*bomv1.ImportResponse, error)
	// resolve resolves a configuration of item (picks completed with the
	// model's defaults; none and defaults: the all-default configuration)
	// into its stored variant.
	resolve(ctx context.Context, item string, picks []string, date string) (*bomv1.ResolveResponse, error)
	explode(ctx context.Context, t bomTarget, qty float64, summary bool) ([]*bomv1.ExplodeLine, error)
	whereUsed(ctx context.Context, item string) (*bomv1.WhereUsedResponse, error)
	cost(ctx context.Context, t bomTarget, lot float64) (*bomv1.CostRollupResponse, error)
	leadTime(ctx context.Context, t bomTarget) (*bomv1.LeadTimeResponse, error)
}

// bomTarget is what a bom command works on: a variant id, a standard item
// on a date, or a configurable item with picks (resolved and stored
// first).
type bomTarget struct {
	item, variant, date string
	picks               []string
}

// runBOM opens the backend the flags name, loads --data into it, runs fn
// and, offline on --store, stores what the command wrote in one
// transaction when it succeeded (a command that fails stores nothing).
func (c *common) runBOM(cmd *cobra.Command, fn func(context.Context, bomBackend) error) (err error) {
	ctx := cmd.Context()
	f := &c.backend
	if f.server != "" {
		return c.run(cmd, func(cl *clients) error { return fn(ctx, remoteBOM{cl}) })
	}
	return c.withLocalStore(cmd, func(ctx context.Context, lb *localBOM) error {
		if c.data != "" {
			if err := loadBOMData(cmd, lb, c.data, true); err != nil {
				return err
			}
		}
		return fn(ctx, lb)
	})
}

// withLocalStore opens the command's store in this process (--store DIR,
// or in memory), runs fn on a bom.Store over it and, on --store, stores
// what fn wrote in one transaction when it succeeded (a command that
// fails stores nothing).
func (c *common) withLocalStore(cmd *cobra.Command, fn func(context.Context, *localBOM) error) (err error) {
	ctx := cmd.Context()
	f := &c.backend
	db, err := f.storeOpts.open(cmd, f.store)
	if err != nil {
		return err
	}
	// Writes go to an overlay, committed to --store in one transaction
	// at the end; in memory they go to the store itself.
	var ov *kv.Overlay
	work := db
	if f.store != "" {
		ov = kv.NewOverlay(db)
		work = ov
	}
	defer func() {
		var cerr error
		if ov != nil {
			cerr = ov.Close()
		}
		if cerr = errors.Join(cerr, db.Close()); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bs, err := bom.Open(ctx, work)
	if err != nil {
		return err
	}
	if err := fn(ctx, &localBOM{bs: bs, db: work}); err != nil {
		return err
	}
	if ov == nil {
		return nil
	}
	fitted, err := f.storeOpts.fit(cmd, f.store, db, ov)
	if err != nil {
		return err
	}
	db = fitted
	return ov.CommitTo(ctx, db)
}

// localBOM is package bom on a store in this process.
type localBOM struct {
	bs *bom.Store
	db kv.DB // the store's DB, for the plan's planning items
}

func (l *localBOM) importData(ctx context.Context, req *bomv1.ImportRequest) (*bomv1.ImportResponse, error) {
	d := &bom.Data{}
	var (
		errs  bom.ErrorList
		kinds []string
	)
	for _, f := range req.GetCsv() {
		kind := convert.MasterFiles[f.GetKind()]
		if kind == "" {
			kind = path.Base(f.GetName())
		}
		switch kind {
		case bom.ItemsFile, bom.BOMFile, bom.RoutingsFile, bom.WorkCentersFile:
		default:
			return nil, fmt.Errorf("%s: %q is not one of %s, %s, %s, %s (name the file so)",
				f.GetName(), kind, bom.ItemsFile, bom.BOMFile, bom.RoutingsFile, bom.WorkCentersFile)
		}
		kinds = append(kinds, kind)
		part, err := bom.ReadCSV(f.GetName(), kind, strings.NewReader(f.GetText()))
		if err != nil {
			var el bom.ErrorList
			if errors.As(err, &el) {
				errs = append(errs, el...)
				continue
			}
			return nil, err
		}
		d.Items = append(d.Items, part.Items...)
		d.Lines = append(d.Lines, part.Lines...)
		d.Ops = append(d.Ops, part.Ops...)
		d.WorkCenters = append(d.WorkCenters, part.WorkCenters...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	// the models as texts, stored as given (as the server stores them);
	// the models the import uses: the request's and those of its
	// configurable items taken from the registry
	var models []bom.ModelText
	names := map[string]bool{}
	for _, ms := range req.GetModels() {
		m, err := configurator.Read(ms.GetFilename(), strings.NewReader(ms.GetSource()))
		if err != nil {
			return nil, err
		}
		names[m.Name] = true
		models = append(models, bom.ModelText{File: ms.GetFilename(), Source: []byte(ms.GetSource())})
	}
	n := len(names)
	for _, it := range d.Items {
		if it.Model != "" && !names[it.Model] {
			names[it.Model] = true
			n++
		}
	}
	if err := l.bs.ImportTexts(ctx, d, models, convert.ImportReplace(req, kinds)); err != nil {
		return nil, err
	}
	return &bomv1.ImportResponse{Items: int32(len(d.Items)), Lines: int32(len(d.Lines)), Operations: int32(len(d.Ops)),
		WorkCenters: int32(len(d.WorkCenters)), Models: int32(n), Revision: l.bs.Revision()}, nil
}

// day reads an effectivity --date: "" is today in the time zone of the
// plant the store holds (UTC without one), as a server's.
func (l *localBOM) day(ctx context.Context, s string) (time.Time, error) {
	if s != "" {
		return wireDay("--date", s)
	}
	c, err := mrp.StoredCalendar(ctx, l.db)
	if err != nil && !errors.Is(err, mrp.ErrNoPlan) {
		return time.Time{}, err
	}
	return mrp.Today(clock(), c.TimeZone)
}

// configure completes picks on item's model (none: the all-default
// configuration); it returns the model too.
func (l *localBOM) configure(ctx context.Context, item string, picks []string) (configurator.Configuration, *configurator.Model, error) {
	it, err := l.bs.Item(item)
	if err != nil {
		return nil, nil, err
	}
	if it.Model == "" {
		return nil, nil, fmt.Errorf("%s is a standard item: it takes no configuration", item)
	}
	c, err := l.bs.Model(it.Model)
	if err != nil {
		return nil, nil, err
	}
	ps, err := parseModelPicks(c, picks)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := c.Complete(ctx, ps)
	if err != nil {
		return nil, nil, conflictError(err)
	}
	return cfg, c.Model(), nil
}

// conflictError prints a conflict as a server's error does: the picks that
// cannot stand together and the rules involved.
func conflictError(err error) error {
	var ce *configurator.ConflictError
	if !errors.As(err, &ce) {
		return err
	}
	return fmt.Errorf("%w\n%s", configurator.ErrInvalidConfiguration, conflictText(convert.ConflictToProto(ce.Conflict), "  "))
}

func (l *localBOM) resolve(ctx context.Context, item string, picks []string, date string) (*bomv1.ResolveResponse, error) {
	day, err := l.day(ctx, date)
	if err != nil {
		return nil, err
	}
	cfg, m, err := l.configure(ctx, item, picks)
	if err != nil {
		return nil, err
	}
	v, err := l.bs.Resolve(ctx, item, cfg, day)
	if err != nil {
		return nil, err
	}
	pi, err := l.planningItem(ctx, item, cfg)
	if err != nil {
		return nil, err
	}
	return &bomv1.ResolveResponse{Variant: convert.VariantToProto(v, m), PlanningItem: pi}, nil
}

// planningItem is the plan's item for a configuration of item, as the
// server names it: "" when the store holds no plan.
func (l *localBOM) planningItem(ctx context.Context, item string, cfg configurator.Configuration) (string, error) {
	if cfg == nil {
		return item, nil
	}
	st, err := mrp.OpenStore(ctx, l.db)
	if errors.Is(err, mrp.ErrNoPlan) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	c := st.Planner().Calendar()
	src, err := mrp.NewBOMSource(ctx, l.bs, c.Start, c.Horizon)
	if err != nil {
		return "", err
	}
	return src.PlanningItem(ctx, item, cfg)
}

// variant finds the variant t names.
func (l *localBOM) variant(ctx context.Context, t bomTarget) (*bom.Variant, error) {
	if t.variant != "" {
		v, err := l.bs.Variant(ctx, t.variant)
		var old *bom.OldVariantError
		if errors.As(err, &old) {
			return nil, err
		}
		if errors.Is(err, bom.ErrNotFound) {
			return nil, fmt.Errorf("unknown variant %q", t.variant)
		}
		return v, err
	}
	day, err := l.day(ctx, t.date)
	if err != nil {
		return nil, err
	}
	if len(t.picks) == 0 {
		// a read: a standard item on a date not resolved before is not
		// stored
		return l.bs.ResolveTransient(ctx, t.item, nil, day)
	}
	cfg, _, err := l.configure(ctx, t.item, t.picks)
	if err != nil {
		return nil, err
	}
	return l.bs.Resolve(ctx, t.item, cfg, day)
}

func (l *localBOM) explode(ctx context.Context, t bomTarget, qty float64, summary bool) ([]*bomv1.ExplodeLine, error) {
	if qty < 0 {
		return nil, errors.New("--qty must not be negative")
	}
	if qty == 0 {
		qty = 1
	}
	v, err := l.variant(ctx, t)
	if err != nil {
		return nil, err
	}
	var lines []*bomv1.ExplodeLine
	add := func(x *bomv1.ExplodeLine) {
		if it, err := l.bs.Item(x.Item); err == nil {
			x.Description, x.Kind, x.Uom = it.Description, convert.ItemKindToProto[it.Kind], it.UOM
		}
		lines = append(lines, x)
	}
	if summary {
		for _, r := range v.Summarize(qty) {
			add(&bomv1.ExplodeLine{Item: r.Item, Qty: r.Qty})
		}
		return lines, nil
	}
	ex, err := v.Explode(qty)
	if err != nil {
		return nil, err
	}
	for _, x := range ex {
		add(&bomv1.ExplodeLine{Level: int32(x.Level), Position: x.Position, Item: x.Item, QtyPer: x.QtyPer, ScrapPct: x.ScrapPct, Qty: x.Qty})
	}
	return lines, nil
}

func (l *localBOM) whereUsed(_ context.Context, item string) (*bomv1.WhereUsedResponse, error) {
	if _, err := l.bs.Item(item); err != nil {
		return nil, err
	}
	out := &bomv1.WhereUsedResponse{Top: l.bs.WhereUsedTop(item)}
	for _, x := range l.bs.WhereUsed(item) {
		out.Lines = append(out.Lines, convert.LineToProto(x))
	}
	return out, nil
}

func (l *localBOM) cost(ctx context.Context, t bomTarget, lot float64) (*bomv1.CostRollupResponse, error) {
	if lot < 0 {
		return nil, errors.New("--lot must not be negative")
	}
	v, err := l.variant(ctx, t)
	if err != nil {
		return nil, err
	}
	c := v.Cost(lot)
	cur := server.DefaultOptions().Currency // the currency the offline server used
	return &bomv1.CostRollupResponse{Material: convert.Money(cur, c.Material), Setup: convert.Money(cur, c.Setup),
		Run: convert.Money(cur, c.Run), Total: convert.Money(cur, c.Total())}, nil
}

func (l *localBOM) leadTime(ctx context.Context, t bomTarget) (*bomv1.LeadTimeResponse, error) {
	v, err := l.variant(ctx, t)
	if err != nil {
		return nil, err
	}
	days, p := v.CumulativeLeadTime()
	return &bomv1.LeadTimeResponse{Days: days, CriticalPath: p}, nil
}

// remoteBOM is a server's BOM service.
type remoteBOM struct{ cl *clients }

func (r remoteBOM) importData(ctx context.Context, req *bomv1.ImportRequest) (*bomv1.ImportResponse, error) {
	res, err := r.cl.bom.Import(ctx, connect.NewRequest(req))
	if err != nil {
		return nil, readable(err)
	}
	return res.Msg, nil
}

func (r remoteBOM) resolve(ctx context.Context, item string, picks []string, date string) (*bomv1.ResolveResponse, error) {
	ps, err := wirePicks(picks)
	if err != nil {
		return nil, err
	}
	req := &bomv1.ResolveRequest{Item: item, Picks: ps, Date: date}
	if len(ps) == 0 {
		// the all-default configuration of ITEM's model
		it, err := r.cl.bom.GetItem(ctx, connect.NewRequest(&bomv1.GetItemRequest{Id: item}))
		if err != nil {
			return nil, err
		}
		model := it.Msg.GetItem().GetModel()
		if model == "" {
			return nil, fmt.Errorf("%s is a standard item: it has no configuration", item)
		}
		res, err := r.cl.conf.Complete(ctx, connect.NewRequest(&configuratorv1.CompleteRequest{Model: model}))
		if err != nil {
			return nil, err
		}
		req.Configuration = res.Msg.GetConfiguration()
	}
	res, err := r.cl.bom.Resolve(ctx, connect.NewRequest(req))
	if err != nil {
		return nil, err
	}
	return res.Msg, nil
}

// target is the RPC target of t: a configurable item with picks is
// resolved (and stored) first.
func (r remoteBOM) target(ctx context.Context, t bomTarget) (*bomv1.Target, error) {
	if t.variant != "" {
		return &bomv1.Target{Variant: t.variant}, nil
	}
	if len(t.picks) == 0 {
		return &bomv1.Target{Item: t.item, Date: t.date}, nil
	}
	ps, err := wirePicks(t.picks)
	if err != nil {
		return nil, err
	}
	res, err := r.cl.bom.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: t.item, Picks: ps, Date: t.date}))
	if err != nil {
		return nil, err
	}
	return &bomv1.Target{Variant: res.Msg.GetVariant().GetId()}, nil
}

func (r remoteBOM) explode(ctx context.Context, t bomTarget, qty float64, summary bool) ([]*bomv1.ExplodeLine, error) {
	tg, err := r.target(ctx, t)
	if err != nil {
		return nil, err
	}
	stream, err := r.cl.bom.Explode(ctx, connect.NewRequest(&bomv1.ExplodeRequest{Target: tg, Quantity: qty, Summarised: summary}))
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	var lines []*bomv1.ExplodeLine
	for stream.Receive() {
		lines = append(lines, stream.Msg().GetLines()...)
	}
	return lines, stream.Err()
}

func (r remoteBOM) whereUsed(ctx context.Context, item string) (*bomv1.WhereUsedResponse, error) {
	res, err := r.cl.bom.WhereUsed(ctx, connect.NewRequest(&bomv1.WhereUsedRequest{Item: item}))
	if err != nil {
		return nil, err
	}
	return res.Msg, nil
}

func (r remoteBOM) cost(ctx context.Context, t bomTarget, lot float64) (*bomv1.CostRollupResponse, error) {
	tg, err := r.target(ctx, t)
	if err != nil {
		return nil, err
	}
	res, err := r.cl.bom.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: tg, LotSize: &lot})) // 0 sent too: each item's own lot
	if err != nil {
		return nil, err
	}
	return res.Msg, nil
}

func (r remoteBOM) leadTime(ctx context.Context, t bomTarget) (*bomv1.LeadTimeResponse, error) {
	tg, err := r.target(ctx, t)
	if err != nil {
		return nil, err
	}
	res, err := r.cl.bom.LeadTime(ctx, connect.NewRequest(&bomv1.LeadTimeRequest{Target: tg}))
	if err != nil {
		return nil, err
	}
	return res.Msg, nil
}
