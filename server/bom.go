package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"connectrpc.com/connect"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/internal/typo"
	"github.com/ctoplan/ctoplan/mrp"
)

// bomService adapts package bom to ctoplan.bom.v1.BOMService.
type bomService struct{ s *Server }

// explodeBatch is how many lines one stream message carries.
const explodeBatch = 500

func (b *bomService) Import(ctx context.Context, req *connect.Request[bomv1.ImportRequest]) (*connect.Response[bomv1.ImportResponse], error) {
	d, models, n, kinds, err := b.s.importData(req.Msg)
	if err != nil {
		return nil, b.s.toConnect(err)
	}
	// A model under which stored sales orders are invalid is refused, as
	// PutModel refuses it.
	if len(models) > 0 {
		texts := map[string]string{}
		for _, m := range models {
			texts[m.File] = string(m.Source)
		}
		unlock, err := b.s.checkModels(ctx, texts)
		defer unlock()
		if err != nil {
			return nil, b.s.toConnect(err)
		}
	}
	// The request's models go to the model registry in the import's
	// transaction, as their texts (as PutModel stores them), checked with
	// the request's master data; items take the others from it.
	if err := b.s.bom.ImportTexts(ctx, d, models, convert.ImportReplace(req.Msg, kinds)); err != nil {
		return nil, b.s.toConnect(err)
	}
	return connect.NewResponse(&bomv1.ImportResponse{
		Items:       int32(len(d.Items)),
		Lines:       int32(len(d.Lines)),
		Operations:  int32(len(d.Ops)),
		WorkCenters: int32(len(d.WorkCenters)),
		Models:      int32(n),
		Revision:    b.s.bom.Revision(),
	}), nil
}

// importData turns an import request into bom data and the model texts it
// carries (each read once, to refuse a bad one first), and counts the
// models the import uses: the request's and those of its configurable
// items taken from the registry, and names the kinds of its CSV files.
func (s *Server) importData(msg *bomv1.ImportRequest) (*bom.Data, []bom.ModelText, int, []string, error) {
	d := &bom.Data{}
	var (
		errs  bom.ErrorList
		kinds []string
	)
	for i, f := range msg.GetCsv() {
		kind, err := masterFileKind(i, f)
		if err != nil {
			return nil, nil, 0, nil, err
		}
		kinds = append(kinds, kind)
		name := f.GetName()
		if name == "" {
			name = kind
		}
		part, err := bom.ReadCSV(name, kind, strings.NewReader(f.GetText()))
		if err != nil {
			var l bom.ErrorList
			if errors.As(err, &l) {
				errs = append(errs, l...)
				continue
			}
			return nil, nil, 0, nil, err
		}
		d.Items = append(d.Items, part.Items...)
		d.Lines = append(d.Lines, part.Lines...)
		d.Ops = append(d.Ops, part.Ops...)
		d.WorkCenters = append(d.WorkCenters, part.WorkCenters...)
	}
	if len(errs) > 0 {
		return nil, nil, 0, nil, errs
	}
	for i, it := range msg.GetItems() {
		x, err := s.itemFromProto(fmt.Sprintf("items[%d]", i), it)
		if err != nil {
			return nil, nil, 0, nil, err
		}
		d.Items = append(d.Items, x)
	}
	for i, l := range msg.GetLines() {
		x, err := lineFromProto(l)
		if err != nil {
			return nil, nil, 0, nil, badField(fmt.Sprintf("lines[%d]", i), "%v", err)
		}
		d.Lines = append(d.Lines, x)
	}
	for _, o := range msg.GetOperations() {
		d.Ops = append(d.Ops, &bom.Op{Item: o.GetItem(), Seq: int(o.GetSeq()), WorkCenter: o.GetWorkCenter(),
			SetupHours: o.GetSetupHours(), RunHours: o.GetRunHours(), Condition: o.GetCondition(), Description: o.GetDescription()})
	}
	for i, w := range msg.GetWorkCenters() {
		rate, err := s.costIn(fmt.Sprintf("work_centers[%d].rate_per_hour", i), w.GetRatePerHour())
		if err != nil {
			return nil, nil, 0, nil, err
		}
		d.WorkCenters = append(d.WorkCenters, &bom.WorkCenter{ID: w.GetId(), Description: w.GetDescription(),
			RatePerHour: rate, HoursPerDay: w.GetHoursPerDay(), Units: int(w.GetUnits()), Efficiency: w.GetEfficiencyPct() / 100})
	}
	var texts []bom.ModelText
	names := map[string]bool{}
	for i, ms := range msg.GetModels() {
		file := cmp.Or(ms.GetFilename(), fmt.Sprintf("models[%d].ctm", i))
		// by the name's extension, a feature model too (configurator.Read)
		m, err := configurator.Read(file, strings.NewReader(ms.GetSource()))
		if err != nil {
			return nil, nil, 0, nil, err
		}
		names[m.Name] = true
		texts = append(texts, bom.ModelText{File: file, Source: []byte(ms.GetSource())})
	}
	n := len(names)
	for _, it := range d.Items {
		if it.Model != "" && !names[it.Model] {
			names[it.Model] = true
			n++
		}
	}
	return d, texts, n, kinds, nil
}

// itemFromProto is the item of a wire one at field.
func (s *Server) itemFromProto(field string, it *bomv1.Item) (*bom.Item, error) {
	lp, err := lotPolicyFromProto(field+".lot_policy", it.GetLotPolicy())
	if err != nil {
		return nil, err
	}
	var costs [3]float64
	for k, m := range []struct {
		name string
		m    *rpcv1.Money
	}{{"unit_cost", it.GetUnitCost()}, {"setup_cost", it.GetSetupCost()}, {"holding_cost", it.GetHoldingCost()}} {
		if costs[k], err = s.costIn(field+"."+m.name, m.m); err != nil {
			return nil, err
		}
	}
	kind := bom.Make
	switch it.GetKind() {
	case bomv1.ItemKind_ITEM_KIND_BUY:
		kind = bom.Buy
	case bomv1.ItemKind_ITEM_KIND_PHANTOM:
		kind = bom.Phantom
	}
	x := &bom.Item{ID: it.GetId(), Description: it.GetDescription(), DescriptionZh: it.GetDescriptionZh(), UOM: it.GetUom(),
		Kind: kind, LeadTimeDays: it.GetLeadTimeDays(), LeadTimeFromRouting: it.GetLeadTimeFromRouting(), UnitCost: costs[0],
		LotPolicy: lp, LotQty: it.GetLotQty(), MinQty: it.GetMinQty(), MaxQty: it.GetMaxQty(), Multiple: it.GetMultiple(),
		SafetyStock: it.GetSafetyStock(), ScrapPct: it.GetScrapPct(), Model: it.GetModel(),
		SetupCost: costs[1], HoldingCost: costs[2]}
	if col, msg := bom.WholeLotProblem(x); msg != "" {
		return nil, badField(field+"."+col, "%s", msg)
	}
	return x, nil
}

func lineFromProto(l *bomv1.BOMLine) (*bom.Line, error) {
	x := &bom.Line{Parent: l.GetParent(), Component: l.GetComponent(), Qty: l.GetQty(), QtyExpr: l.GetQtyExpr(),
		ScrapPct: l.GetScrapPct(), Position: l.GetPosition(), Condition: l.GetCondition()}
	for _, f := range []struct {
		s string
		d *bom.Date
	}{{l.GetValidFrom(), &x.ValidFrom}, {l.GetValidTo(), &x.ValidTo}} {
		if f.s == "" {
			continue
		}
		v, err := bom.ParseDate(f.s)
		if err != nil {
			return nil, err
		}
		*f.d = v
	}
	return x, nil
}

// itemToProto is the wire form of an item; setup and holding costs are
// unset when zero (derived from the unit cost, see bomv1.Item).
func (s *Server) itemToProto(it *bom.Item) *bomv1.Item {
	out := &bomv1.Item{Id: it.ID, Description: it.Description, DescriptionZh: it.DescriptionZh, Uom: it.UOM,
		Kind: convert.ItemKindToProto[it.Kind], LeadTimeDays: it.LeadTimeDays, LeadTimeFromRouting: it.LeadTimeFromRouting,
		UnitCost: s.cost(it.UnitCost), LotPolicy: lotPolicyToProto[it.LotPolicy], LotQty: it.LotQty, MinQty: it.MinQty, MaxQty: it.MaxQty,
		Multiple: it.Multiple, SafetyStock: it.SafetyStock, ScrapPct: it.ScrapPct, Model: it.Model}
	if it.SetupCost != 0 {
		out.SetupCost = s.cost(it.SetupCost)
	}
	if it.HoldingCost != 0 {
		out.HoldingCost = s.cost(it.HoldingCost)
	}
	return out
}

// parseDay reads an optional YYYY-MM-DD field: "" is today in the
// plant's time zone (see today).
func (s *Server) parseDay(field, v string) (time.Time, error) {
	if v == "" {
		return s.today(s.plantZone())
	}
	return parseDate(field, v)
}

// today is the plant's day now (Options.Now) in time zone tz ("" is
// UTC): mrp.Today, the one rule for "today".
func (s *Server) today(tz string) (time.Time, error) {
	now := time.Now
	if s.opts.Now != nil {
		now = s.opts.Now
	}
	return mrp.Today(now(), tz)
}

// plantZone is the time zone of the plan served ("" = UTC, also without
// a plan).
func (s *Server) plantZone() string {
	st := &s.mrp
	st.mu.RLock()
	defer st.mu.RUnlock()
	if st.plan == nil || st.store() == nil {
		return ""
	}
	return st.store().Planner().Calendar().TimeZone
}

// parseDate reads a YYYY-MM-DD field as mrp.ParseDay does (from 1900
// on), naming the field.
func parseDate(field, s string) (time.Time, error) {
	t, err := mrp.ParseDay(s)
	if err != nil {
		return time.Time{}, badField(field, "%v", err)
	}
	return t, nil
}

// parseStart reads a planning date field for a plan of horizon days (0:
// 365) as mrp.ParseStart does: from 1900 on, and early enough for the
// plan and its finite schedule to end by 9999-12-31.
func parseStart(field, s string, horizon int) (time.Time, error) {
	t, err := mrp.ParseStart(s, horizon)
	if err != nil {
		return time.Time{}, badField(field, "%v", err)
	}
	return t, nil
}

// configuration turns the assignments or picks of a request into a full
// configuration of the item's model: assignments as they are, picks
// completed with the model's defaults.
func (s *Server) configuration(ctx context.Context, item string, asg []*configuratorv1.Assignment, picks []*configuratorv1.Pick) (configurator.Configuration, error) {
	if len(asg) == 0 && len(picks) == 0 {
		return nil, nil
	}
	if len(asg) > 0 && len(picks) > 0 {
		return nil, badField("picks", "give either a configuration or picks, not both")
	}
	it, err := s.bom.Item(item)
	if err != nil {
		return nil, err
	}
	if it.Model == "" {
		return nil, badField("item", "%s is a standard item: it takes no configuration", item)
	}
	c, err := s.bom.Model(it.Model)
	if err != nil {
		return nil, err
	}
	if len(asg) > 0 {
		cfg := configurator.Configuration{}
		for i, a := range asg {
			if c.Model().Char(a.GetChar()) == nil {
				return nil, badField(fmt.Sprintf("configuration[%d].char", i), "model %s has no characteristic %s%s", it.Model, typo.Quote(a.GetChar()), didYouMean(a.GetChar(), c.Model().CharNames()))
			}
			cfg[a.GetChar()] = append(cfg[a.GetChar()], a.GetValues()...)
		}
		return cfg, nil
	}
	ps, err := picksFromProto(c.Model(), nil, "picks", picks)
	if err != nil {
		return nil, err
	}
	return c.Complete(ctx, ps)
}

func (b *bomService) Resolve(ctx context.Context, req *connect.Request[bomv1.ResolveRequest]) (*connect.Response[bomv1.ResolveResponse], error) {
	m := req.Msg
	if m.GetItem() == "" {
		return nil, b.s.toConnect(badField("item", "missing item"))
	}
	day, err := b.s.parseDay("date", m.GetDate())
	if err != nil {
		return nil, b.s.toConnect(err)
	}
	cfg, err := b.s.configuration(ctx, m.GetItem(), m.GetConfiguration(), m.GetPicks())
	if err != nil {
		return nil, b.s.toConnect(err)
	}
	v, err := b.s.bom.Resolve(ctx, m.GetItem(), cfg, day)
	if err != nil {
		return nil, b.s.toConnect(err)
	}
	pi, err := b.s.planningItem(ctx, m.GetItem(), cfg)
	if err != nil {
		return nil, b.s.toConnect(err)
	}
	return connect.NewResponse(&bomv1.ResolveResponse{Variant: b.s.variantToProto(v), PlanningItem: pi}), nil
}

func (s *Server) variantToProto(v *bom.Variant) *bomv1.Variant {
	var m *configurator.Model
	if v.Config != nil {
		if it, err := s.bom.Item(v.Item); err == nil {
			if c, err := s.bom.Model(it.Model); err == nil {
				m = c.Model()
			}
		}
	}
	return convert.VariantToProto(v, m)
}

// target finds the variant a request names: a variant id, or a standard
// item resolved on the date.
func (s *Server) target(ctx context.Context, t *bomv1.Target) (*bom.Variant, error) {
	switch {
	case t.GetVariant() != "" && t.GetItem() != "":
		return nil, badField("target", "give a variant or an item, not both")
	case t.GetVariant() != "":
		v, err := s.bom.Variant(ctx, t.GetVariant())
		var old *bom.OldVariantError
		if errors.As(err, &old) {
			return nil, &notFoundError{kind: "variant", name: t.GetVariant(), why: old}
		}
		if errors.Is(err, bom.ErrNotFound) {
			return nil, notFound("variant", t.GetVariant())
		}
		return v, err
	case t.GetItem() != "":
		day, err := s.parseDay("target.date", t.GetDate())
		if err != nil {
			return nil, err
		}
		// A read: a standard item on a date not resolved before, or a
		// configuration, is not stored (ResolveTransient).
		var cfg configurator.Configuration
		if len(t.GetConfiguration()) > 0 || len(t.GetPicks()) > 0 {
			if cfg, err = s.configuration(ctx, t.GetItem(), t.GetConfiguration(), t.GetPicks()); err != nil {
				return nil, err
			}
		}
		return s.bom.ResolveTransient(ctx, t.GetItem(), cfg, day)
	}
	return nil, badField("target", "missing variant or item")
}

func (b *bomService) ListItems(ctx context.Context, req *connect.Request[bomv1.ListItemsRequest]) (*connect.Response[bomv1.ListItemsResponse], error) {
	model := req.Msg.GetModel()
	rev := b.s.bom.Revision()
	if model != "" {
		if _, err := b.s.bom.Model(model); err != nil {
			return nil, b.s.toConnect(err)
		}
	}
	out := &bomv1.ListItemsResponse{Revision: rev}
	for _, it := range b.s.bom.Items() {
		if model == "" || it.Model == model {
			out.Items = append(out.Items, b.s.itemToProto(it))
		}
	}
	slices.SortFunc(out.Items, func(a, b *bomv1.Item) int { return strings.Compare(a.GetId(), b.GetId()) })
	return connect.NewResponse(out), nil
}

func (b *bomService) GetItem(ctx context.Context, req *connect.Request[bomv1.GetItemRequest]) (*connect.Response[bomv1.GetItemResponse], error) {
	id := req.Msg.GetId()
	base, planning := mrp.PlanningItemBase(id)
	if planning {
		// a planning item of the plan: ITEM's master data
		if err := b.s.planned(ctx, id); err != nil {
			return nil, b.s.toConnect(err)
		}
	} else {
		base = ""
	}
	it, err := b.s.bom.Item(cmp.Or(base, id))
	if err != nil {
		return nil, b.s.toConnect(err)
	}
	out := &bomv1.GetItemResponse{
		Item:         b.s.itemToProto(it),
		LowLevelCode: int32(b.s.bom.LowLevelCodes()[it.ID]),
		UsedInTop:    b.s.bom.WhereUsedTop(it.ID),
		BaseItem:     base,
	}
	out.Item.Id = id
	return connect.NewResponse(out), nil
}

func (b *bomService) Explode(ctx context.Context, req *connect.Request[bomv1.ExplodeRequest], stream *connect.ServerStream[bomv1.ExplodeResponse]) error {
	v, err := b.s.target(ctx, req.Msg.GetTarget())
	if err != nil {
		return b.s.toConnect(err)
	}
	qty := req.Msg.GetQuantity()
	if msg := convert.AmountProblem(qty); msg != "" {
		return b.s.toConnect(badField("quantity", "%s", msg))
	}
	if qty == 0 {
		qty = 1
	}
	var lines []*bomv1.ExplodeLine
	add := func(l *bomv1.ExplodeLine) {
		if it, err := b.s.bom.Item(l.Item); err == nil {
			l.Description, l.Kind, l.Uom = it.Description, convert.ItemKindToProto[it.Kind], it.UOM
		}
		lines = append(lines, l)
	}
	if req.Msg.GetSummarised() {
		for _, r := range v.Summarize(qty) {
			add(&bomv1.ExplodeLine{Item: r.Item, Qty: r.Qty})
		}
	} else {
		ex, err := v.Explode(qty)
		if err != nil {
			return b.s.toConnect(err)
		}
		for _, l := range ex {
			add(&bomv1.ExplodeLine{Level: int32(l.Level), Position: l.Position, Item: l.Item, QtyPer: l.QtyPer, ScrapPct: l.ScrapPct, Qty: l.Qty})
		}
	}
	for len(lines) > 0 {
		n := min(len(lines), explodeBatch)
		if err := stream.Send(&bomv1.ExplodeResponse{Lines: lines[:n]}); err != nil {
			return err
		}
		lines = lines[n:]
	}
	return nil
}

func (b *bomService) WhereUsed(ctx context.Context, req *connect.Request[bomv1.WhereUsedRequest]) (*connect.Response[bomv1.WhereUsedResponse], error) {
	id := req.Msg.GetItem()
	if _, err := b.s.bom.Item(id); err != nil {
		return nil, b.s.toConnect(err)
	}
	out := &bomv1.WhereUsedResponse{Top: b.s.bom.WhereUsedTop(id)}
	for _, l := range b.s.bom.WhereUsed(id) {
		out.Lines = append(out.Lines, convert.LineToProto(l))
	}
	return connect.NewResponse(out), nil
}

func (b *bomService) CostRollup(ctx context.Context, req *connect.Request[bomv1.CostRollupRequest]) (*connect.Response[bomv1.CostRollupResponse], error) {
	v, err := b.s.target(ctx, req.Msg.GetTarget())
	if err != nil {
		return nil, b.s.toConnect(err)
	}
	lot := 1.0 // unset; an explicit 0 is each item's own lot size
	if req.Msg.LotSize != nil {
		lot = req.Msg.GetLotSize()
	}
	if msg := convert.LotProblem(lot); msg != "" {
		return nil, b.s.toConnect(badField("lot_size", "%s", msg))
	}
	c := v.Cost(lot)
	return connect.NewResponse(&bomv1.CostRollupResponse{Material: b.s.cost(c.Material), Setup: b.s.cost(c.Setup), Run: b.s.cost(c.Run), Total: b.s.cost(c.Total())}), nil
}

func (b *bomService) LeadTime(ctx context.Context, req *connect.Request[bomv1.LeadTimeRequest]) (*connect.Response[bomv1.LeadTimeResponse], error) {
	v, err := b.s.target(ctx, req.Msg.GetTarget())
	if err != nil {
		return nil, b.s.toConnect(err)
	}
	days, p := v.CumulativeLeadTime()
	return connect.NewResponse(&bomv1.LeadTimeResponse{Days: days, CriticalPath: p}), nil
}

func (b *bomService) GetStats(ctx context.Context, _ *connect.Request[bomv1.GetStatsRequest]) (*connect.Response[bomv1.GetStatsResponse], error) {
	st, err := b.s.bom.Stats(ctx)
	if err != nil {
		return nil, b.s.toConnect(err)
	}
	return connect.NewResponse(&bomv1.GetStatsResponse{Revision: st.Revision, Items: int32(st.Items), Models: int32(st.Models),
		WorkCenters: int32(st.WorkCenters), Variants: int32(st.Variants), Nodes: int32(st.Nodes),
		NodeBytes: st.NodeBytes, VariantBytes: st.VariantBytes}), nil
}
