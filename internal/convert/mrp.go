package convert

import (
	"fmt"
	"math"
	"time"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/mrp"
)

// The capacity, scheduling, rush and progress answers of the MRP service
// (server/capacity.go) and their reading back in the CLI.

// Date is the wire form of a day: YYYY-MM-DD, "" for the zero time.
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// day is a wire day to read into t, named for an error.
type day struct {
	name, s string
	t       *time.Time
}

// days reads wire days, "" as the zero time; an error names the field.
func days(ds ...day) error {
	for _, d := range ds {
		if d.s == "" {
			*d.t = time.Time{}
			continue
		}
		v, err := time.Parse(time.DateOnly, d.s)
		if err != nil {
			return fmt.Errorf("%s: bad date %q (want YYYY-MM-DD)", d.name, d.s)
		}
		*d.t = v
	}
	return nil
}

// wholeQty is a wire quantity read back as the whole number MRP plans in;
// a fraction or a value beyond MRP's limit is an error naming the field.
func wholeQty(field string, q float64) (int64, error) {
	if q != math.Trunc(q) || math.Abs(q) > 1e12 {
		return 0, fmt.Errorf("%s: %v is not a whole quantity", field, q)
	}
	return int64(q), nil
}

// LoadBucketToProto is the wire form of a capacity bucket.
func LoadBucketToProto(b mrp.LoadBucket) *mrpv1.CapacityBucket {
	return &mrpv1.CapacityBucket{WorkCenter: b.WorkCenter, Date: Date(b.Date), LoadHours: b.Load, AvailableHours: b.Available}
}

// LoadBucketFromProto is the capacity bucket of its wire form.
func LoadBucketFromProto(pb *mrpv1.CapacityBucket) (mrp.LoadBucket, error) {
	b := mrp.LoadBucket{WorkCenter: pb.GetWorkCenter(), Load: pb.GetLoadHours(), Available: pb.GetAvailableHours()}
	return b, days(day{"bucket date", pb.GetDate(), &b.Date})
}

// OverloadToProto is the wire form of an overloaded bucket and its orders.
func OverloadToProto(o mrp.Overload) *mrpv1.CapacityOverload {
	x := &mrpv1.CapacityOverload{Bucket: LoadBucketToProto(o.LoadBucket)}
	for _, ol := range o.Orders {
		x.Orders = append(x.Orders, &mrpv1.OrderLoad{Order: ol.Order, Item: ol.Item, Hours: ol.Hours})
	}
	return x
}

// OverloadFromProto is the overloaded bucket of its wire form.
func OverloadFromProto(pb *mrpv1.CapacityOverload) (mrp.Overload, error) {
	b, err := LoadBucketFromProto(pb.GetBucket())
	o := mrp.Overload{LoadBucket: b, Orders: []mrp.OrderLoad{}}
	for _, x := range pb.GetOrders() {
		o.Orders = append(o.Orders, mrp.OrderLoad{Order: x.GetOrder(), Item: x.GetItem(), Hours: x.GetHours()})
	}
	return o, err
}

// FiniteOrderToProto is the wire form of a finitely scheduled order (its
// operations and whether it is released are not sent).
func FiniteOrderToProto(o *mrp.FiniteOrder) *mrpv1.ScheduledOrder {
	return &mrpv1.ScheduledOrder{Order: o.ID, Item: o.Item, Qty: float64(o.Qty), Priority: int32(o.Priority),
		DueDate: Date(o.Due), StartDate: Date(o.Start), FinishDate: Date(o.Finish), LateDays: int32(o.LateDays),
		Forward: o.Forward, Unscheduled: o.Unscheduled, Released: o.Released}
}

// FiniteOrderFromProto is the scheduled order of its wire form (without
// operations and day numbers, which the wire form does not carry).
func FiniteOrderFromProto(pb *mrpv1.ScheduledOrder) (mrp.FiniteOrder, error) {
	o := mrp.FiniteOrder{ID: pb.GetOrder(), Item: pb.GetItem(), Priority: int(pb.GetPriority()),
		LateDays: int(pb.GetLateDays()), Forward: pb.GetForward(), Unscheduled: pb.GetUnscheduled(), Released: pb.GetReleased()}
	q, err := wholeQty("order "+o.ID+" qty", pb.GetQty())
	if err != nil {
		return o, err
	}
	o.Qty = q
	err = days(day{"order " + o.ID + " due_date", pb.GetDueDate(), &o.Due}, day{"order " + o.ID + " start_date", pb.GetStartDate(), &o.Start}, day{"order " + o.ID + " finish_date", pb.GetFinishDate(), &o.Finish})
	return o, err
}

// DeliveryToProto is the wire form of a sales-order line's finite delivery.
func DeliveryToProto(d mrp.Delivery) *mrpv1.SalesOrderDelivery {
	return &mrpv1.SalesOrderDelivery{Demand: d.Demand, DueDate: Date(d.Due), ExpectedDate: Date(d.Expected),
		LateDays: int32(d.LateDays), Limit: d.Limit, Reason: d.Reason}
}

// DeliveryFromProto is the delivery of its wire form (without day numbers).
func DeliveryFromProto(pb *mrpv1.SalesOrderDelivery) (mrp.Delivery, error) {
	d := mrp.Delivery{Demand: pb.GetDemand(), LateDays: int(pb.GetLateDays()), Limit: pb.GetLimit(), Reason: pb.GetReason()}
	err := days(day{"delivery " + d.Demand + " due_date", pb.GetDueDate(), &d.Due}, day{"delivery " + d.Demand + " expected_date", pb.GetExpectedDate(), &d.Expected})
	return d, err
}

// RushAnswerToProto is the wire form of a rush what-if answer; item is the
// rush line's planning item.
func RushAnswerToProto(item string, a *mrp.RushAnswer) *mrpv1.WhatIfRushResponse {
	out := &mrpv1.WhatIfRushResponse{Demand: a.Demand, Item: item, RequestedDate: Date(a.Requested), PromisedDate: Date(a.Promised),
		LateDays: int32(a.LateDays), Limit: a.Limit, Reason: a.Reason}
	for _, d := range a.Delayed {
		out.Delayed = append(out.Delayed, &mrpv1.RushDelay{Demand: d.Demand, BeforeDate: Date(d.Before), AfterDate: Date(d.After),
			Days: int32(d.Days), LateDaysBefore: int32(d.LateBefore), LateDays: int32(d.Late)})
	}
	return out
}

// RushAnswerFromProto is the rush answer of its wire form (it cannot be
// accepted: the changes stay with the server; AcceptRush books it there).
func RushAnswerFromProto(pb *mrpv1.WhatIfRushResponse) (*mrp.RushAnswer, error) {
	a := &mrp.RushAnswer{Demand: pb.GetDemand(), LateDays: int(pb.GetLateDays()), Limit: pb.GetLimit(), Reason: pb.GetReason()}
	if err := days(day{"requested_date", pb.GetRequestedDate(), &a.Requested}, day{"promised_date", pb.GetPromisedDate(), &a.Promised}); err != nil {
		return nil, err
	}
	for _, x := range pb.GetDelayed() {
		d := mrp.Delay{Demand: x.GetDemand(), Days: int(x.GetDays()), LateBefore: int(x.GetLateDaysBefore()), Late: int(x.GetLateDays())}
		if err := days(day{"delayed " + d.Demand + " before_date", x.GetBeforeDate(), &d.Before}, day{"delayed " + d.Demand + " after_date", x.GetAfterDate(), &d.After}); err != nil {
			return nil, err
		}
		a.Delayed = append(a.Delayed, d)
	}
	return a, nil
}

// OrderStatusToProto is the wire form of a sales-order line's status.
func OrderStatusToProto(st *mrp.OrderStatus) *mrpv1.SalesOrderStatus {
	return &mrpv1.SalesOrderStatus{Demand: st.Demand, OpsDone: int32(st.OpsDone), OpsTotal: int32(st.OpsTotal),
		LatestOrder: st.Latest, LatestFinishDate: Date(st.LatestFinish), PromisedDate: Date(st.Promised),
		ExpectedDate: Date(st.Expected), LateDays: int32(st.LateDays), AtRisk: st.AtRisk, Reason: st.Reason}
}

// OrderStatusFromProto is the status of its wire form.
func OrderStatusFromProto(pb *mrpv1.SalesOrderStatus) (*mrp.OrderStatus, error) {
	st := &mrp.OrderStatus{Demand: pb.GetDemand(), OpsDone: int(pb.GetOpsDone()), OpsTotal: int(pb.GetOpsTotal()), Latest: pb.GetLatestOrder(),
		LateDays: int(pb.GetLateDays()), AtRisk: pb.GetAtRisk(), Reason: pb.GetReason()}
	err := days(day{"status " + st.Demand + " latest_finish_date", pb.GetLatestFinishDate(), &st.LatestFinish}, day{"status " + st.Demand + " promised_date", pb.GetPromisedDate(), &st.Promised}, day{"status " + st.Demand + " expected_date", pb.GetExpectedDate(), &st.Expected})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// OrderKindToProto is the wire kind of a planned order (moved verbatim
// from server/mrp.go).
var OrderKindToProto = map[mrp.OrderKind]mrpv1.OrderKind{
	mrp.Production: mrpv1.OrderKind_ORDER_KIND_PRODUCTION, mrp.Requisition: mrpv1.OrderKind_ORDER_KIND_PURCHASE,
	mrp.PhantomOrder: mrpv1.OrderKind_ORDER_KIND_PHANTOM,
}

// OrderToProto is the wire form of a planned order (moved verbatim from
// server/mrp.go: the server lists orders with it, the CLI prints them).
func OrderToProto(o mrp.PlannedOrder) *mrpv1.PlannedOrder {
	out := &mrpv1.PlannedOrder{Id: o.ID, Item: o.Item, Kind: OrderKindToProto[o.Kind], Qty: float64(o.Qty),
		ReleaseDate: Date(o.Release), DueDate: Date(o.Due), PastDue: o.ReleaseDay < 0, Firm: o.Firm}
	out.Operations = opsToProto(o.Operations)
	return out
}

// opsToProto is the wire form of a planned order's operations (nil for
// none), the messages cut from one block.
func opsToProto(ops []mrp.ScheduledOp) []*mrpv1.ScheduledOperation {
	if len(ops) == 0 {
		return nil
	}
	slab := make([]mrpv1.ScheduledOperation, len(ops))
	out := make([]*mrpv1.ScheduledOperation, len(ops))
	for k, op := range ops {
		m := &slab[k]
		m.Seq, m.WorkCenter, m.Hours = int32(op.Seq), op.WorkCenter, op.Hours
		m.Start, m.End = op.Start.Format(time.RFC3339), op.End.Format(time.RFC3339)
		out[k] = m
	}
	return out
}

// OrdersToProto is OrderToProto of each order of a plan p (its dates as
// p's calendar has them as text, [mrp.Planner.DateText]), the messages cut
// from one block: a listing of a whole plan converts millions.
func OrdersToProto(p *mrp.Planner, orders []mrp.PlannedOrder) []*mrpv1.PlannedOrder {
	slab := make([]mrpv1.PlannedOrder, len(orders))
	out := make([]*mrpv1.PlannedOrder, len(orders))
	for k := range orders {
		o := &orders[k]
		m := &slab[k]
		m.Id, m.Item, m.Kind, m.Qty = o.ID, o.Item, OrderKindToProto[o.Kind], float64(o.Qty)
		m.ReleaseDate, m.DueDate, m.PastDue, m.Firm = p.DateText(o.ReleaseDay), p.DateText(o.DueDay), o.ReleaseDay < 0, o.Firm
		m.Operations = opsToProto(o.Operations)
		out[k] = m
	}
	return out
}

// ExceptionKindToProto is the wire kind of an MRP exception.
var ExceptionKindToProto = map[mrp.ExceptionKind]mrpv1.ExceptionKind{
	mrp.RescheduleIn:     mrpv1.ExceptionKind_EXCEPTION_KIND_RESCHEDULE_IN,
	mrp.RescheduleOut:    mrpv1.ExceptionKind_EXCEPTION_KIND_RESCHEDULE_OUT,
	mrp.Cancel:           mrpv1.ExceptionKind_EXCEPTION_KIND_CANCEL,
	mrp.ReleasePastDue:   mrpv1.ExceptionKind_EXCEPTION_KIND_RELEASE_PAST_DUE,
	mrp.BelowSafetyStock: mrpv1.ExceptionKind_EXCEPTION_KIND_BELOW_SAFETY_STOCK,
	mrp.Late:             mrpv1.ExceptionKind_EXCEPTION_KIND_LATE,
}

// ExceptionToProto is the wire form of an MRP exception (moved verbatim
// from server/mrp.go).
func ExceptionToProto(e mrp.Exception) *mrpv1.Exception {
	return &mrpv1.Exception{Kind: ExceptionKindToProto[e.Kind], Item: e.Item, Ref: e.Ref, Date: Date(e.Date), To: Date(e.To),
		Qty: float64(e.Qty), Limit: e.Limit, Message: e.String()}
}

// SupplyKindToProto is the wire kind of a peg's supply.
var SupplyKindToProto = map[mrp.SupplyKind]mrpv1.SupplyKind{
	mrp.FromStock: mrpv1.SupplyKind_SUPPLY_KIND_STOCK, mrp.FromReceipt: mrpv1.SupplyKind_SUPPLY_KIND_RECEIPT,
	mrp.FromPlanned: mrpv1.SupplyKind_SUPPLY_KIND_PLANNED,
}

// PegsToProto is the wire form of a demand's supply tree
// ([mrp.Planner.PegTree]): its nodes depth first, each with its
// level and the supply it serves (moved from server/mrp.go).
//
// A tree of the 50k default plant has ~28,000 nodes: the messages are cut
// from one block, the supplies' IDs made in one (PegTree.SupplyIDs) and
// the dates are the calendar's strings, so that converting costs a few
// allocations, not four a node.
func PegsToProto(tree *mrp.PegTree) []*mrpv1.Peg {
	n := tree.Len()
	slab := make([]mrpv1.Peg, n)
	pegs := make([]*mrpv1.Peg, n)
	ids := tree.SupplyIDs()
	dq := tree.DemandQtys()
	for k := range pegs {
		pg := &slab[k]
		pg.Level, pg.Item, pg.SupplyKind = int32(tree.Level(k)), tree.Item(k), SupplyKindToProto[tree.Kind(k)]
		pg.Supply, pg.Date, pg.Qty, pg.Cut = ids[k], tree.DateText(k), float64(tree.Qty(k)), tree.Cut(k)
		pg.DemandQty = math.Round(dq[k]*1e6) / 1e6 // no float noise in JSON
		if par := tree.Parent(k); par >= 0 {
			pg.Parent = ids[par]
		}
		pegs[k] = pg
	}
	return pegs
}

// DemandSharesToProto is the wire form of the demands a planned order
// serves ([mrp.Planner.PeggedDemands]).
func DemandSharesToProto(sh []mrp.DemandShare) []*mrpv1.DemandShare {
	if len(sh) == 0 {
		return nil
	}
	// two allocations, not one a share: a listing converts millions
	slab := make([]mrpv1.DemandShare, len(sh))
	out := make([]*mrpv1.DemandShare, len(sh))
	for k, x := range sh {
		slab[k].Demand, slab[k].Qty = x.Demand, x.Qty
		out[k] = &slab[k]
	}
	return out
}

// ShareBlocks converts the pegging of many orders (a listing's batch),
// cutting the messages from blocks of a few thousand instead of two
// allocations an order. The zero value is ready to use.
type ShareBlocks struct {
	msgs []mrpv1.DemandShare
	ptrs []*mrpv1.DemandShare
}

// shareBlock is how many messages a block of ShareBlocks holds at least.
const shareBlock = 4096

// Convert is DemandSharesToProto of sh.
func (b *ShareBlocks) Convert(sh []mrp.DemandShare) []*mrpv1.DemandShare {
	n := len(sh)
	if n == 0 {
		return nil
	}
	if cap(b.msgs)-len(b.msgs) < n {
		b.msgs = make([]mrpv1.DemandShare, 0, max(n, shareBlock))
		b.ptrs = make([]*mrpv1.DemandShare, 0, max(n, shareBlock))
	}
	lo := len(b.msgs)
	b.msgs, b.ptrs = b.msgs[:lo+n], b.ptrs[:lo+n]
	for k, x := range sh {
		m := &b.msgs[lo+k]
		m.Demand, m.Qty = x.Demand, x.Qty
		b.ptrs[lo+k] = m
	}
	// capped: an append to one order's list cannot reach the next's
	return b.ptrs[lo : lo+n : lo+n]
}

// RecordToProto is the wire form of an item's time-phased record (the
// plan revision is the caller's).
func RecordToProto(r *mrp.Record) *mrpv1.GetRecordResponse {
	out := &mrpv1.GetRecordResponse{Item: r.Item, OnHand: float64(r.OnHand), SafetyStock: float64(r.SafetyStock)}
	for _, d := range r.Days {
		out.Days = append(out.Days, &mrpv1.RecordDay{Date: Date(d.Date), Gross: float64(d.Gross), Receipts: float64(d.Receipts), Planned: float64(d.Planned), Balance: float64(d.Balance)})
	}
	return out
}

// NetChangeToProto is the wire form of a net change res on the plan p at
// revision rev, the change's transaction having taken elapsed.
func NetChangeToProto(res *mrp.ChangeResult, p *mrp.Planner, elapsed time.Duration, rev uint64, ids bool) *mrpv1.NetChange {
	items, orders := p.Size()
	nc := &mrpv1.NetChange{TouchedCount: int32(res.NumTouched()), ChangedCount: int32(res.NumChanged()), Items: int32(items), PlannedOrders: int32(orders),
		Exceptions: int32(p.ExceptionCount()), ElapsedMs: float64(elapsed.Microseconds()) / 1000, PlanRevision: rev}
	if ids {
		nc.Touched, nc.Changed = res.Touched(), res.Changed()
	}
	return nc
}

// ReceiptKindToProto is the wire kind of a scheduled receipt.
var ReceiptKindToProto = map[mrp.ReceiptKind]mrpv1.ReceiptKind{
	mrp.PurchaseOrder: mrpv1.ReceiptKind_RECEIPT_KIND_PURCHASE, mrp.ProductionOrder: mrpv1.ReceiptKind_RECEIPT_KIND_PRODUCTION,
}

// ReceiptToProto is the wire form of a scheduled receipt.
func ReceiptToProto(r mrp.Receipt) *mrpv1.Receipt {
	return &mrpv1.Receipt{Id: r.ID, Item: r.Item, Qty: float64(r.Qty), DueDate: Date(r.Due), Kind: ReceiptKindToProto[r.Kind]}
}

// RunToProto is the wire form of a plan p made on start at revision rev,
// planning having taken elapsed.
func RunToProto(p *mrp.Planner, rev uint64, start time.Time, elapsed time.Duration) *mrpv1.RunResponse {
	st := p.Stats()
	return &mrpv1.RunResponse{Items: int32(st.Items), Levels: int32(st.Levels), PlannedOrders: int32(st.Orders),
		Exceptions: int32(p.ExceptionCount()), ElapsedMs: float64(elapsed.Microseconds()) / 1000, Date: start.Format(time.DateOnly), PlanRevision: rev}
}
