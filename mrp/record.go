package mrp

import (
	"fmt"
	"time"
)

// Record is an item's time-phased MRP record: every day on which
// something happens, with the projected available balance at its end.
type Record struct {
	Item        string
	OnHand      int64
	SafetyStock int64
	Days        []RecordDay
}

// RecordDay is one day of a [Record]. Receipts are the scheduled receipts
// counted that day (after any reschedule-in); Planned the planned orders due.
type RecordDay struct {
	Day      int
	Date     time.Time
	Gross    int64
	Receipts int64
	Planned  int64
	Balance  int64
}

// replan recomputes item i's netting into w without storing it and
// returns the last requirement day; the caller must clear w.gross[:hi+1].
func (p *Planner) replan(w *worker, i int32) int {
	w.ensure(p.cal.horizon)
	it := &p.items[i]
	if it.cached {
		// the kept gross requirements equal what gather would pull
		p.net(w, it, it.gd, it.gq)
		return fill(w.gross, it.gd, it.gq)
	}
	hi := p.gather(w, i)
	w.sparse(hi)
	clear(w.gross[:hi+1])
	p.net(w, it, w.cd, w.cq)
	return fill(w.gross, w.cd, w.cq)
}

// Record returns the time-phased record of an item. It recomputes the
// item's netting from the stored plan of its parents (cheap) and never
// changes the plan.
func (p *Planner) Record(itemID string) (*Record, error) {
	i, ok := p.index[itemID]
	if !ok {
		return nil, &ItemError{Item: itemID, Err: ErrUnknownItem}
	}
	w := p.newWorker()
	hi := p.replan(w, i)
	it := &p.items[i]
	r := &Record{Item: itemID, OnHand: it.onhand, SafetyStock: it.in.SafetyStock}
	rec := make([]int64, p.cal.horizon)
	for k, d := range w.recDay {
		rec[d] += p.recs[w.recs[k]].in.Qty
	}
	pl := make([]int64, p.cal.horizon)
	for k, d := range it.due {
		pl[d] += it.qty[k]
	}
	bal := it.onhand
	for d := range p.cal.horizon {
		var g int64
		if d <= hi {
			g = w.gross[d]
		}
		if g == 0 && rec[d] == 0 && pl[d] == 0 {
			continue
		}
		bal += rec[d] + pl[d] - g
		r.Days = append(r.Days, RecordDay{Day: d, Date: p.cal.date(d), Gross: g, Receipts: rec[d], Planned: pl[d], Balance: bal})
	}
	clear(w.gross[:hi+1])
	return r, nil
}

// String prints the record as a small table.
func (r *Record) String() string {
	s := fmt.Sprintf("%s on hand %d safety stock %d\n", r.Item, r.OnHand, r.SafetyStock)
	s += fmt.Sprintf("%-10s %8s %8s %8s %8s\n", "date", "gross", "receipts", "planned", "balance")
	for _, d := range r.Days {
		s += fmt.Sprintf("%-10s %8d %8d %8d %8d\n", d.Date.Format(time.DateOnly), d.Gross, d.Receipts, d.Planned, d.Balance)
	}
	return s
}
