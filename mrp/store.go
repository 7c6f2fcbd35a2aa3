package mrp

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/ctoplan/ctoplan/internal/kv"
)

// Key layout in the kv store (all under "mrp/"):
//
//	mrp/meta            JSON: format version, calendar, options
//	mrp/i/<item>        JSON: sequence number and Item
//	mrp/s/<item>        JSON: on-hand quantity
//	mrp/d/<demand>      JSON: sequence number and Demand
//	mrp/r/<receipt>     JSON: sequence number and Receipt
//	mrp/p/<item>        binary: the item's planned orders, exceptions, slack
//
// Sequence numbers keep the order records were added in, so that a
// reopened planner lists items, demands and receipts as before.
const (
	keyMeta    = "mrp/meta"
	preItem    = "mrp/i/"
	preStock   = "mrp/s/"
	preDemand  = "mrp/d/"
	preReceipt = "mrp/r/"
	prePlan    = "mrp/p/"
	formatV1   = 1
)

// ErrNoPlan is returned by [OpenStore] when the store holds no plan.
var ErrNoPlan = errors.New("mrp: store holds no plan")

type meta struct {
	Version  int
	Calendar Calendar
	Options  Options
}

type seqRec[T any] struct {
	Seq int
	Rec T
}

// Store keeps a [Planner] persisted in a kv database: its inputs and its
// last plan survive a restart, and every net change is one transaction.
type Store struct {
	db kv.DB
	p  *Planner
}

// CreateStore plans in from scratch and saves inputs and plan into db in
// one transaction, replacing any plan stored there before.
func CreateStore(ctx context.Context, db kv.DB, in *Input, opts Options) (*Store, error) {
	p, err := New(in, opts)
	if err != nil {
		return nil, err
	}
	err = db.Update(ctx, func(tx kv.Txn) error {
		if err := deletePrefix(tx, "mrp/"); err != nil {
			return err
		}
		m, _ := json.Marshal(meta{Version: formatV1, Calendar: p.calIn, Options: p.opts})
		if err := tx.Set([]byte(keyMeta), m); err != nil {
			return err
		}
		for i := range p.items {
			if err := p.putItem(tx, int32(i)); err != nil {
				return err
			}
			if err := p.putPlan(tx, int32(i)); err != nil {
				return err
			}
		}
		for k := range p.demands {
			if err := p.putDemand(tx, int32(k)); err != nil {
				return err
			}
		}
		for k := range p.recs {
			if err := p.putReceipt(tx, int32(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Store{db: db, p: p}, nil
}

// OpenStore loads the planner saved in db: inputs and plan as they were
// (nothing is replanned), with the options it was created with.
func OpenStore(ctx context.Context, db kv.DB) (*Store, error) {
	var m meta
	in := &Input{Stock: map[string]int64{}}
	var items []seqRec[Item]
	var dems []seqRec[Demand]
	var recs []seqRec[Receipt]
	plans := map[string][]byte{}
	err := db.View(ctx, func(tx kv.Txn) error {
		b, err := tx.Get([]byte(keyMeta))
		if errors.Is(err, kv.ErrNotFound) {
			return ErrNoPlan
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("mrp: store meta: %w", err)
		}
		if m.Version != formatV1 {
			return fmt.Errorf("mrp: store format %d, want %d", m.Version, formatV1)
		}
		if err := scanJSON(tx, preItem, &items); err != nil {
			return err
		}
		if err := scanJSON(tx, preDemand, &dems); err != nil {
			return err
		}
		if err := scanJSON(tx, preReceipt, &recs); err != nil {
			return err
		}
		if err := kv.ScanPrefix(tx, []byte(preStock), func(k, v []byte) error {
			var q int64
			if err := json.Unmarshal(v, &q); err != nil {
				return fmt.Errorf("mrp: store %s: %w", k, err)
			}
			in.Stock[string(k[len(preStock):])] = q
			return nil
		}); err != nil {
			return err
		}
		return kv.ScanPrefix(tx, []byte(prePlan), func(k, v []byte) error {
			plans[string(k[len(prePlan):])] = slices.Clone(v)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	in.Calendar = m.Calendar
	in.Items = sortSeq(items)
	in.Demands = sortSeq(dems)
	in.Receipts = sortSeq(recs)
	if err := m.Options.Validate(); err != nil {
		return nil, err
	}
	p := &Planner{opts: m.Options, calIn: in.Calendar}
	if err := p.load(in); err != nil {
		return nil, fmt.Errorf("mrp: stored inputs: %w", err)
	}
	for i := range p.items {
		b, ok := plans[p.items[i].in.ID]
		if !ok {
			return nil, fmt.Errorf("mrp: store has no plan for item %s", p.items[i].in.ID)
		}
		if err := p.decodePlan(int32(i), b); err != nil {
			return nil, fmt.Errorf("mrp: stored plan of %s: %w", p.items[i].in.ID, err)
		}
	}
	return &Store{db: db, p: p}, nil
}

// Planner returns the store's planner for queries. Change it only through
// [Store.Apply].
func (s *Store) Planner() *Planner { return s.p }

// Apply is [Planner.Apply] made durable: the changed inputs and the plans of
// the touched items are written in one transaction. If that write fails,
// the planner is reloaded from the store (which still holds the state
// before the change) and the error is returned.
func (s *Store) Apply(ctx context.Context, changes ...Change) (*ChangeResult, error) {
	p := s.p
	res, err := p.Apply(changes...)
	if err != nil {
		return nil, err
	}
	err = s.db.Update(ctx, func(tx kv.Txn) error {
		for _, c := range changes {
			if err := p.putChange(tx, c); err != nil {
				return err
			}
		}
		for _, id := range res.Touched {
			if err := p.putPlan(tx, p.index[id]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		q, rerr := OpenStore(ctx, s.db)
		if rerr != nil {
			return nil, fmt.Errorf("%w (and reloading the planner failed: %v)", err, rerr)
		}
		s.p = q.p
		return nil, err
	}
	return res, nil
}

// putChange writes the current state of whatever c changed.
func (p *Planner) putChange(tx kv.Txn, c Change) error {
	switch c := c.(type) {
	case SetDemand:
		return p.putDemandID(tx, c.Demand.ID)
	case RemoveDemand:
		return p.putDemandID(tx, c.ID)
	case SetReceipt:
		return p.putReceiptID(tx, c.Receipt.ID)
	case RemoveReceipt:
		return p.putReceiptID(tx, c.ID)
	case SetStock:
		return p.putItem(tx, p.index[c.Item])
	case SetItem:
		i := p.index[c.Item.ID]
		if err := p.putItem(tx, i); err != nil {
			return err
		}
		return p.putPlan(tx, i) // a new item may not be touched
	}
	return nil
}

func (p *Planner) putDemandID(tx kv.Txn, id string) error {
	if k, ok := p.demandIx[id]; ok {
		return p.putDemand(tx, k)
	}
	return tx.Delete([]byte(preDemand + id))
}

func (p *Planner) putReceiptID(tx kv.Txn, id string) error {
	if k, ok := p.recIx[id]; ok {
		return p.putReceipt(tx, k)
	}
	return tx.Delete([]byte(preReceipt + id))
}

func (p *Planner) putItem(tx kv.Txn, i int32) error {
	it := &p.items[i]
	b, err := json.Marshal(seqRec[Item]{Seq: int(i), Rec: it.in})
	if err != nil {
		return err
	}
	if err := tx.Set([]byte(preItem+it.in.ID), b); err != nil {
		return err
	}
	if it.onhand == 0 {
		return tx.Delete([]byte(preStock + it.in.ID))
	}
	q, _ := json.Marshal(it.onhand)
	return tx.Set([]byte(preStock+it.in.ID), q)
}

func (p *Planner) putDemand(tx kv.Txn, k int32) error {
	d := &p.demands[k]
	if !d.live {
		return nil
	}
	b, err := json.Marshal(seqRec[Demand]{Seq: int(k), Rec: d.in})
	if err != nil {
		return err
	}
	return tx.Set([]byte(preDemand+d.in.ID), b)
}

func (p *Planner) putReceipt(tx kv.Txn, k int32) error {
	r := &p.recs[k]
	if !r.live {
		return nil
	}
	b, err := json.Marshal(seqRec[Receipt]{Seq: int(k), Rec: r.in})
	if err != nil {
		return err
	}
	return tx.Set([]byte(preReceipt+r.in.ID), b)
}

func (p *Planner) putPlan(tx kv.Txn, i int32) error {
	it := &p.items[i]
	b := make([]byte, 0, 16+len(it.due)*6)
	b = binary.AppendUvarint(b, uint64(len(it.due)))
	for k := range it.due {
		b = binary.AppendVarint(b, int64(it.due[k]))
		b = binary.AppendVarint(b, it.qty[k])
	}
	b = binary.AppendUvarint(b, uint64(len(it.exc)))
	for _, x := range it.exc {
		b = append(b, byte(x.kind))
		ref := ""
		if x.ref >= 0 {
			ref = p.recs[x.ref].in.ID
		}
		b = binary.AppendUvarint(b, uint64(len(ref)))
		b = append(b, ref...)
		b = binary.AppendVarint(b, int64(x.day))
		b = binary.AppendVarint(b, int64(x.to))
		b = binary.AppendVarint(b, x.qty)
	}
	b = binary.AppendVarint(b, it.slack)
	return tx.Set([]byte(prePlan+it.in.ID), b)
}

func (p *Planner) decodePlan(i int32, b []byte) error {
	bad := errors.New("corrupt record")
	uv := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			panic(bad)
		}
		b = b[n:]
		return v
	}
	sv := func() int64 {
		v, n := binary.Varint(b)
		if n <= 0 {
			panic(bad)
		}
		b = b[n:]
		return v
	}
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				if r != bad {
					panic(r)
				}
				err = bad
			}
		}()
		it := &p.items[i]
		n := uv()
		if n > uint64(p.cal.horizon)*64 {
			panic(bad)
		}
		if n > 0 {
			it.due, it.qty = p.ncArena.alloc(int(n))
		}
		for k := range int(n) {
			it.due[k] = int32(sv())
			it.qty[k] = sv()
		}
		ne := uv()
		if ne > 1<<20 {
			panic(bad)
		}
		for range ne {
			if len(b) == 0 {
				panic(bad)
			}
			x := exc{kind: ExceptionKind(b[0]), ref: -1}
			b = b[1:]
			l := uv()
			if l > uint64(len(b)) {
				panic(bad)
			}
			ref := string(b[:l])
			b = b[l:]
			if ref != "" {
				k, ok := p.recIx[ref]
				if !ok {
					panic(bad)
				}
				x.ref = k
			}
			x.day, x.to, x.qty = int32(sv()), int32(sv()), sv()
			it.exc = append(it.exc, x)
		}
		it.slack = sv()
	}()
	return err
}

func scanJSON[T any](tx kv.Txn, prefix string, out *[]seqRec[T]) error {
	return kv.ScanPrefix(tx, []byte(prefix), func(k, v []byte) error {
		var r seqRec[T]
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("mrp: store %s: %w", k, err)
		}
		*out = append(*out, r)
		return nil
	})
}

func sortSeq[T any](rs []seqRec[T]) []T {
	slices.SortFunc(rs, func(a, b seqRec[T]) int { return cmp.Compare(a.Seq, b.Seq) })
	out := make([]T, len(rs))
	for k, r := range rs {
		out[k] = r.Rec
	}
	return out
}

func deletePrefix(tx kv.Txn, prefix string) error {
	var keys [][]byte
	if err := kv.ScanPrefix(tx, []byte(prefix), func(k, _ []byte) error {
		keys = append(keys, slices.Clone(k))
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
