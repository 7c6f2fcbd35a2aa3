package mrp

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ctoplan/ctoplan/internal/csvtext"
)

// Confirmation is a shop-floor confirmation of one operation of a
// released production order: good and scrapped units, hours worked, and
// whether the operation is finished. Confirmations add up; one sent
// again with the same ID replaces the earlier one.
type Confirmation struct {
	ID    string
	Order string // the released production order (scheduled receipt ID)
	Seq   int    // the operation (routing sequence number)
	Good  int64
	Scrap int64
	Hours float64
	Done  bool
}

// OpProgress is the progress of one operation: its confirmations added
// up.
type OpProgress struct {
	Seq         int
	WorkCenter  string
	Good, Scrap int64
	Hours       float64
	Done        bool
}

// Progress holds the confirmations of a plan's released production
// orders. Its state depends only on the set of confirmations, not on the
// order they arrived in.
type Progress struct {
	conf map[string]Confirmation
	// orig is each confirmed order's quantity before any scrap
	orig map[string]int64
}

func (p *Planner) prog() *Progress {
	if p.progress == nil {
		p.progress = &Progress{conf: map[string]Confirmation{}, orig: map[string]int64{}}
	}
	return p.progress
}

// Confirm records confirmations of released production orders and
// applies what they change as a net change: scrap reduces the order's
// receipt (the original quantity less all scrap confirmed for it; no unit
// left removes it), and the capacity load and finite schedule count only
// the remaining operations (done ones none, a started one its run time
// for the units not yet confirmed good). It is [Planner.Apply] of one
// [SetConfirmation] per confirmation: all are checked before any is
// recorded. Through a [Store], apply SetConfirmation changes to journal
// them.
func (p *Planner) Confirm(cs ...Confirmation) (*ChangeResult, error) {
	changes := make([]Change, len(cs))
	for k, c := range cs {
		changes[k] = SetConfirmation{Confirmation: c}
	}
	return p.Apply(changes...)
}

func (p *Planner) checkConfirmation(c Confirmation) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: confirmation %s: "+format, append([]any{ErrInvalid, c.ID}, a...)...)
	}
	if c.ID == "" {
		return fmt.Errorf("%w: confirmation of order %s operation %d without an id", ErrInvalid, c.Order, c.Seq)
	}
	r, ok := p.recIx[c.Order]
	if !ok || p.recs[r].in.Kind != ProductionOrder {
		return bad("%s is not a released production order", c.Order)
	}
	if c.Good < 0 || c.Scrap < 0 || c.Good > MaxQty || c.Scrap > MaxQty || !(c.Hours >= 0 && c.Hours < 1e9) {
		return bad("good %d, scrap %d, hours %v: want numbers >= 0", c.Good, c.Scrap, c.Hours)
	}
	if !slices.ContainsFunc(p.items[p.recs[r].item].in.Operations, func(o Operation) bool { return o.Seq == c.Seq }) {
		return bad("order %s (item %s) has no operation %d", c.Order, p.recs[r].in.Item, c.Seq)
	}
	return nil
}

// scrap is all scrap confirmed for order id.
func (pr *Progress) scrap(id string) int64 {
	var n int64
	for _, c := range pr.conf {
		if c.Order == id {
			n += c.Scrap
		}
	}
	return n
}

// ops adds up the confirmations of order id per operation, in the
// confirmations' ID order (so that the hours add up to the same float
// whatever order they came in).
func (pr *Progress) ops(id string) map[int]*OpProgress {
	if pr == nil {
		return nil
	}
	var ids []string
	for k, c := range pr.conf {
		if c.Order == id {
			ids = append(ids, k)
		}
	}
	if ids == nil {
		return nil
	}
	slices.Sort(ids)
	out := map[int]*OpProgress{}
	for _, k := range ids {
		c := pr.conf[k]
		o := out[c.Seq]
		if o == nil {
			o = &OpProgress{Seq: c.Seq}
			out[c.Seq] = o
		}
		o.Good += c.Good
		o.Scrap += c.Scrap
		o.Hours += c.Hours
		o.Done = o.Done || c.Done
	}
	return out
}

// OrderProgress returns the progress of a released production order, one
// entry per routing operation in sequence.
func (p *Planner) OrderProgress(id string) ([]OpProgress, error) {
	r, ok := p.recIx[id]
	if !ok || p.recs[r].in.Kind != ProductionOrder {
		return nil, fmt.Errorf("%w: released production order %s", ErrNotFound, id)
	}
	got := p.progress.ops(id)
	ops := routing(&p.items[p.recs[r].item])
	out := make([]OpProgress, len(ops))
	for k, op := range ops {
		out[k] = OpProgress{Seq: op.Seq, WorkCenter: op.WorkCenter}
		if g := got[op.Seq]; g != nil {
			out[k] = *g
			out[k].WorkCenter = op.WorkCenter
		}
	}
	return out, nil
}

// Confirmations returns every recorded confirmation, by ID.
func (p *Planner) Confirmations() []Confirmation {
	if p.progress == nil {
		return nil
	}
	out := make([]Confirmation, 0, len(p.progress.conf))
	for _, c := range p.progress.conf {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Confirmation) int { return cmpString(a.ID, b.ID) })
	return out
}

// remainingOps is the routing of released order r as still to be done:
// finished operations dropped, the others as their remaining hours
// (SetupHours; RunHours 0): setup plus run time for the whole quantity
// when nothing was confirmed, run time for the units not yet confirmed
// good once started.
func (p *Planner) remainingOps(r int) []Operation {
	rc := &p.recs[r]
	ops := routing(&p.items[rc.item])
	got := p.progress.ops(rc.in.ID)
	if got == nil {
		return ops
	}
	out := make([]Operation, 0, len(ops))
	for _, op := range ops {
		g := got[op.Seq]
		switch {
		case g == nil:
			out = append(out, op)
		case !g.Done:
			h := op.RunHours * float64(max(0, rc.in.Qty-g.Good))
			out = append(out, Operation{Seq: op.Seq, WorkCenter: op.WorkCenter, SetupHours: h, HoursPerDay: op.HoursPerDay})
		}
	}
	return out
}

// ConfirmationsFile is the shop-floor confirmations file of a plant
// directory.
const ConfirmationsFile = "confirmations.csv"

// ReadConfirmations reads confirmations.csv:
// id,order,op_seq,good_qty,scrap_qty,hours,done (done: 1/0, true/false,
// yes/no; empty is 0).
func ReadConfirmations(file string, r io.Reader) ([]Confirmation, error) {
	c := newCSVReader(file, r)
	var out []Confirmation
	seen := map[string]int{}
	c.rows(r, []string{"id", "order", "op_seq"}, []string{"id", "order", "op_seq", "good_qty", "scrap_qty", "hours", "done"}, func(row int, get func(string) string) {
		x := Confirmation{ID: c.name(row, "id", get("id")), Order: c.name(row, "order", get("order"))}
		seq, err := strconv.Atoi(get("op_seq"))
		if err != nil {
			c.fail(row, "op_seq", "%s is not an integer", csvtext.Quote(get("op_seq")))
		}
		x.Seq = seq
		if v := get("good_qty"); v != "" {
			x.Good = c.qty(row, "good_qty", v, false)
		}
		if v := get("scrap_qty"); v != "" {
			x.Scrap = c.qty(row, "scrap_qty", v, false)
		}
		x.Hours = c.hours(row, "hours", get("hours"), 1e6)
		switch strings.ToLower(get("done")) {
		case "1", "true", "yes", "y":
			x.Done = true
		case "", "0", "false", "no", "n":
		default:
			c.fail(row, "done", "%s: want 1 or 0", csvtext.Quote(get("done")))
		}
		if prev, dup := seen[x.ID]; dup && x.ID != "" {
			c.fail(row, "id", "%s used again (first on row %d)", x.ID, prev)
			return
		}
		seen[x.ID] = row
		out = append(out, x)
	})
	return out, errors.Join(c.errs...)
}

// OrderStatus is where a sales-order line stands: what a salesperson
// tells the customer.
type OrderStatus struct {
	Demand string
	// OpsDone of OpsTotal operations of the production orders of its
	// supply tree are finished.
	OpsDone, OpsTotal int
	// Latest is the open production order of its supply tree that
	// finishes last in the finite schedule, on LatestFinish.
	Latest       string
	LatestFinish time.Time
	// Promised is the due date, Expected the finite-capacity delivery.
	Promised, Expected time.Time
	LateDays           int
	// AtRisk is set when Expected is after Promised; Reason says why
	// (an overloaded work center, a late purchase).
	AtRisk bool
	Reason string
}

// Status reports a sales-order line's progress through its pegging:
// operations done of all its production orders (released ones count their
// confirmations), the latest-finishing open order and the expected
// delivery in the finite schedule s (of this plan version) against the
// promised date.
func (p *Planner) Status(s *Schedule, demandID string) (*OrderStatus, error) {
	return p.status(s, demandID, false)
}

// status is Status, reading the tree's supplies from its distinct ones
// when shared is set (see demandSupplies).
func (p *Planner) status(s *Schedule, demandID string, shared bool) (*OrderStatus, error) {
	if di, ok := p.demandIx[demandID]; !ok || !p.demands[di].live {
		return nil, fmt.Errorf("%w: demand %s", ErrNotFound, demandID)
	}
	dl, err := s.Delivery(demandID)
	if err != nil {
		return nil, err
	}
	st := &OrderStatus{Demand: demandID, Promised: dl.Due, Expected: dl.Expected, LateDays: dl.LateDays, AtRisk: dl.LateDays > 0, Reason: dl.Reason}
	latest := math.MinInt
	// every receipt and planned order of the tree once, in its order (the
	// first of those finishing last is the latest)
	err = p.demandSupplies(demandID, shared, func(i int32, kind SupplyKind, ref int32) {
		var id string
		if kind == FromReceipt {
			id = p.recs[ref].in.ID
		} else {
			id = p.orderID(i, int(ref))
		}
		if it := &p.items[i]; it.in.Kind == Make {
			st.OpsTotal += len(routing(it))
			if kind == FromReceipt {
				for _, g := range p.progress.ops(id) {
					if g.Done {
						st.OpsDone++
					}
				}
			}
		}
		if o, ok := s.Order(id); ok && o.Unscheduled == "" && len(o.Ops) > 0 && o.FinishDay > latest {
			latest, st.Latest, st.LatestFinish = o.FinishDay, o.ID, o.Finish
		}
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}
