package server

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"connectrpc.com/connect"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/mrp"
)

// Capacity, finite scheduling, rush orders and shop-floor progress: thin
// adapters of package mrp (capacity.go, load.go, finite.go, whatif.go,
// progress.go).

// capacity is the plant's capacity from the master data's work centers
// (workcenters.csv: capacity_hours_per_day, units, efficiency_pct) and
// plan p's capacity exceptions per date (capacity_exceptions.csv of
// ImportPlant, kept in the plan's calendar). ImportPlant refuses an
// exception of an unknown work center; one whose work center the master
// data dropped since is left out.
func (s *Server) capacity(*mrp.Planner) (*mrp.Capacity, error) {
	return s.mrp.plan.Capacity()
}

func (m *mrpService) CapacityLoad(ctx context.Context, req *connect.Request[mrpv1.CapacityLoadRequest]) (*connect.Response[mrpv1.CapacityLoadResponse], error) {
	s := m.s
	from, to, err := dayRange("from", req.Msg.GetFrom(), "to", req.Msg.GetTo())
	if err != nil {
		return nil, s.toConnect(err)
	}
	var resp *connect.Response[mrpv1.CapacityLoadResponse]
	err = s.withPlan(ctx, func(p *mrp.Planner) error {
		c, err := s.capacity(p)
		if err != nil {
			return err
		}
		l := p.CapacityLoad(c)
		wc := req.Msg.GetWorkCenter()
		if wc != "" && !contains(l.WorkCenters(), wc) {
			return notFound("work center", wc)
		}
		if req.Msg.GetOverloads() {
			out := &mrpv1.CapacityLoadResponse{}
			for _, o := range l.Overloads() {
				if (wc != "" && o.WorkCenter != wc) || (!from.IsZero() && o.Date.Before(from)) || (!to.IsZero() && o.Date.After(to)) {
					continue
				}
				out.Overloads = append(out.Overloads, convert.OverloadToProto(o))
			}
			resp = connect.NewResponse(out)
			return nil
		}
		bs := l.Days(wc, from, to)
		if req.Msg.GetWeek() {
			bs = l.Weeks(wc, from, to)
		}
		out := &mrpv1.CapacityLoadResponse{Buckets: make([]*mrpv1.CapacityBucket, len(bs))}
		for k, b := range bs {
			out.Buckets[k] = convert.LoadBucketToProto(b)
		}
		resp = connect.NewResponse(out)
		return nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return resp, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// schedule is the finite schedule of plan p on the plant's capacity; of
// the current plan it is made once per plan and master-data revision and
// shared (mrp.BOMPlan.Schedule: seconds on a 10,000-item plant, for every
// status query, listing and rush what-if). mrp.mu is held.
func (s *Server) schedule(p *mrp.Planner) (*mrp.Capacity, *mrp.Schedule, error) {
	s.warm.use()
	if st := s.mrp.store(); st != nil && st.Planner() == p {
		return s.mrp.plan.Schedule()
	}
	c, err := s.capacity(p)
	if err != nil {
		return nil, nil, err
	}
	sc, err := p.FiniteSchedule(c)
	return c, sc, err
}

// salesOrders are the plan's sales-order lines (not forecasts), by input
// order.
func salesOrders(p *mrp.Planner) []string {
	var ids []string
	for _, d := range p.Input().Demands {
		if !d.Forecast {
			ids = append(ids, d.ID)
		}
	}
	return ids
}

// maxSchedulePageSize caps FiniteSchedule's page_size: its orders are
// small messages, and a 50,000-item plant's schedule has millions.
const maxSchedulePageSize = 10000

func (m *mrpService) FiniteSchedule(ctx context.Context, req *connect.Request[mrpv1.FiniteScheduleRequest]) (*connect.Response[mrpv1.FiniteScheduleResponse], error) {
	s := m.s
	msg := req.Msg
	var (
		out = &mrpv1.FiniteScheduleResponse{}
		rev uint64
	)
	err := s.withPlan(ctx, func(p *mrp.Planner) error {
		rev = s.planRevision()
		pg, err := readPageMax(msg.GetPageSize(), msg.GetPageToken(), rev, filterKey("schedule", strconv.FormatBool(msg.GetDeliveriesOnly())), maxSchedulePageSize)
		if err != nil {
			return err
		}
		_, sc, err := s.schedule(p)
		if err != nil {
			return err
		}
		if !msg.GetDeliveriesOnly() {
			lo, hi, next := pg.cut(sc.Len())
			out.Orders, out.NextPageToken = make([]*mrpv1.ScheduledOrder, hi-lo), next
			var o mrp.FiniteOrder
			for i := range out.Orders {
				sc.OrderAt(lo+i, &o)
				out.Orders[i] = convert.FiniteOrderToProto(&o)
			}
		}
		if msg.GetPageToken() != "" {
			return nil // the deliveries came with the first page
		}
		for _, id := range salesOrders(p) {
			dl, err := sc.Delivery(id)
			if err != nil {
				continue // a line beyond the horizon has no supply to schedule
			}
			out.Deliveries = append(out.Deliveries, convert.DeliveryToProto(dl))
		}
		return nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	out.PlanRevision = rev
	return withETag(connect.NewResponse(out), rev), nil
}

// rushDemand checks a rush line as UpsertDemands checks a demand and
// returns it as an mrp demand (a configured one with Product and Config).
func (s *Server) rushDemand(ctx context.Context, d *mrpv1.Demand) (mrp.Demand, error) {
	const f = "rush"
	if d == nil {
		return mrp.Demand{}, badField(f, "missing rush order")
	}
	if d.GetId() == "" {
		return mrp.Demand{}, badField(f+".id", "missing id")
	}
	n, err := checkQty(f+".qty", d.GetQty())
	if err != nil {
		return mrp.Demand{}, err
	}
	if d.GetForecast() {
		return mrp.Demand{}, badField(f+".forecast", "a rush order is a sales-order line, not a forecast")
	}
	due, err := s.parseDay(f+".due_date", d.GetDueDate())
	if err != nil {
		return mrp.Demand{}, err
	}
	cfg, err := s.orderConfig(ctx, f, d.GetItem(), d.GetConfiguration(), d.GetPicks())
	if err != nil {
		return mrp.Demand{}, err
	}
	md := mrp.Demand{ID: d.GetId(), Item: d.GetItem(), Qty: n, Due: due, Priority: int(d.GetPriority())}
	if cfg != nil {
		md.Product, md.Config = d.GetItem(), cfg
	}
	return md, nil
}

func rushAnswer(item string, a *mrp.RushAnswer) *mrpv1.WhatIfRushResponse {
	return convert.RushAnswerToProto(item, a)
}

func (m *mrpService) WhatIfRush(ctx context.Context, req *connect.Request[mrpv1.WhatIfRushRequest]) (*connect.Response[mrpv1.WhatIfRushResponse], error) {
	s := m.s
	md, err := s.rushDemand(ctx, req.Msg.GetRush())
	if err != nil {
		return nil, s.toConnect(err)
	}
	st := &s.mrp
	// exclusive: the BOM source may be rebuilt; the plan does not change
	s.lockPlan()
	defer st.mu.Unlock()
	if err := s.ensurePlan(ctx); err != nil {
		return nil, s.toConnect(err)
	}
	c, err := s.capacity(st.store().Planner())
	if err != nil {
		return nil, s.toConnect(err)
	}
	var src *mrp.BOMSource
	if md.Product != "" {
		if src, err = s.source(ctx); err != nil {
			return nil, s.toConnect(err)
		}
	}
	r, err := st.store().RushFor(ctx, src, md)
	if err != nil {
		return nil, s.toConnect(err)
	}
	_, base, err := s.schedule(st.store().Planner())
	if err != nil {
		return nil, s.toConnect(err)
	}
	a, err := st.store().Planner().WhatIf(c, base, r)
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(rushAnswer(r.Demand.Item, a)), nil
}

func (m *mrpService) AcceptRush(ctx context.Context, req *connect.Request[mrpv1.AcceptRushRequest]) (*connect.Response[mrpv1.AcceptRushResponse], error) {
	s := m.s
	md, err := s.rushDemand(ctx, req.Msg.GetRush())
	if err != nil {
		return nil, s.toConnect(err)
	}
	var answer *mrpv1.WhatIfRushResponse
	nc, err := s.changeTx(ctx, req.Msg, func(tx *mrp.Tx) (*mrp.ChangeResult, error) {
		p := tx.Planner()
		capa, err := s.capacity(p)
		if err != nil {
			return nil, err
		}
		var src *mrp.BOMSource
		if md.Product != "" {
			if src, err = s.source(ctx); err != nil {
				return nil, err
			}
		}
		// as UpsertDemands: a configured line's variant is stored, in the
		// change's transaction
		cs, d, err := tx.OrderChanges(ctx, src, md)
		if err != nil {
			return nil, err
		}
		r := mrp.Rush{Demand: d}
		for _, c := range cs {
			if si, ok := c.(mrp.SetItem); ok {
				r.Items = append(r.Items, si.Item)
			}
		}
		_, base, err := s.schedule(p)
		if err != nil {
			return nil, err
		}
		a, err := p.WhatIf(capa, base, r)
		if err != nil {
			return nil, err
		}
		answer = rushAnswer(d.Item, a)
		return tx.Apply(a.Accept()...)
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.AcceptRushResponse{Answer: answer, Change: nc}), nil
}

func (m *mrpService) ConfirmOperations(ctx context.Context, req *connect.Request[mrpv1.ConfirmOperationsRequest]) (*connect.Response[mrpv1.ConfirmOperationsResponse], error) {
	s := m.s
	var cs []mrp.Confirmation
	once := newSeenOnce("confirmations")
	for i, c := range req.Msg.GetConfirmations() {
		if c.GetId() == "" {
			return nil, s.toConnect(badField(fmt.Sprintf("confirmations[%d].id", i), "missing id"))
		}
		if err := once.check(fmt.Sprintf("confirmations[%d].id", i), c.GetId(), i); err != nil {
			return nil, s.toConnect(err)
		}
		good, err := wholeQty(fmt.Sprintf("confirmations[%d].good_qty", i), c.GetGoodQty(), 0)
		if err != nil {
			return nil, s.toConnect(err)
		}
		scrap, err := wholeQty(fmt.Sprintf("confirmations[%d].scrap_qty", i), c.GetScrapQty(), 0)
		if err != nil {
			return nil, s.toConnect(err)
		}
		cs = append(cs, mrp.Confirmation{ID: c.GetId(), Order: c.GetOrder(), Seq: int(c.GetOpSeq()), Good: good,
			Scrap: scrap, Hours: c.GetHours(), Done: c.GetDone()})
	}
	var errs []error
	for i, f := range req.Msg.GetCsv() {
		name := f.GetName()
		if name == "" {
			name = fmt.Sprintf("csv[%d]", i)
		}
		if k := f.GetKind(); k != mrpv1.PlantFile_PLANT_FILE_UNSPECIFIED && k != mrpv1.PlantFile_PLANT_FILE_CONFIRMATIONS {
			errs = append(errs, badField(fmt.Sprintf("csv[%d].kind", i), "%s: want PLANT_FILE_CONFIRMATIONS (%s)", k, mrp.ConfirmationsFile))
			continue
		}
		x, err := mrp.ReadConfirmations(name, strings.NewReader(f.GetText()))
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: %w", mrp.ErrInvalid, err))
			continue
		}
		cs = append(cs, x...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, s.toConnect(err)
	}
	if len(cs) == 0 {
		return nil, s.toConnect(badField("confirmations", "no confirmation given"))
	}
	nc, err := s.change(ctx, req.Msg, func(*mrp.Planner) ([]mrp.Change, error) {
		changes := make([]mrp.Change, len(cs))
		for k, c := range cs {
			changes[k] = mrp.SetConfirmation{Confirmation: c}
		}
		return changes, nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return connect.NewResponse(&mrpv1.ConfirmOperationsResponse{Change: nc, Confirmations: int32(len(cs))}), nil
}

func (m *mrpService) SalesOrderStatus(ctx context.Context, req *connect.Request[mrpv1.SalesOrderStatusRequest]) (*connect.Response[mrpv1.SalesOrderStatusResponse], error) {
	s := m.s
	if len(req.Msg.GetDemands()) == 0 {
		return nil, s.toConnect(badField("demands", "name at least one sales-order line"))
	}
	var resp *connect.Response[mrpv1.SalesOrderStatusResponse]
	err := s.withPlan(ctx, func(p *mrp.Planner) error {
		_, sc, err := s.schedule(p)
		if err != nil {
			return err
		}
		out := &mrpv1.SalesOrderStatusResponse{}
		for _, id := range req.Msg.GetDemands() {
			st, err := p.Status(sc, id)
			if err != nil {
				return err
			}
			out.Statuses = append(out.Statuses, convert.OrderStatusToProto(st))
		}
		resp = connect.NewResponse(out)
		return nil
	})
	if err != nil {
		return nil, s.toConnect(err)
	}
	return resp, nil
}
