package mrp

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/ctoplan/ctoplan/kv"
)

// Key layout in the kv store (all under "mrp/"):
//
//	mrp/meta                  JSON: format version, generation, next journal number, revision, basis
//	mrp/g/<gen>/meta          JSON: calendar and options
//	mrp/g/<gen>/i/<item>      JSON: sequence number and Item
//	mrp/g/<gen>/s/<item>      JSON: on-hand quantity
//	mrp/g/<gen>/d/<demand>    JSON: sequence number and Demand
//	mrp/g/<gen>/r/<receipt>   JSON: sequence number and Receipt
//	mrp/g/<gen>/f/<order>     JSON: sequence number and FirmOrder
//	mrp/g/<gen>/p/<item>      binary: the item's planned orders, exceptions, slack
//	mrp/g/<gen>/c/<id>        JSON: a shop-floor Confirmation (progress_change.go)
//	mrp/g/<gen>/o/<order>     JSON: a confirmed order's quantity at its first confirmation
//	mrp/j/<gen>/<n>           JSON: the n-th change batch applied since the snapshot, with its revision
//
// A snapshot (generation) holds inputs and plan; it is written in batches
// and becomes visible when mrp/meta names it, so a crash while writing one
// leaves the previous state. Every net change after it is one transaction
// appending its batch of changes to the journal. Opening loads the snapshot
// and replays the journal by net change, which is deterministic: the plan
// is exactly the one before the restart. [Store.Checkpoint] writes a new
// snapshot and drops the journal. Sequence numbers keep the order records
// were added in, so a reopened planner lists them as before.
const (
	keyMeta  = "mrp/meta"
	formatV2 = 2
	// snapshotBatch bounds the bytes written per transaction of a snapshot
	// (less on a store whose transactions hold less: snapshotLimits).
	snapshotBatch = 2 << 20
)

func genPrefix(gen uint64) string     { return fmt.Sprintf("mrp/g/%016x/", gen) }
func journalPrefix(gen uint64) string { return fmt.Sprintf("mrp/j/%016x/", gen) }

// ErrNoPlan is returned by [OpenStore] when the store holds no plan.
var ErrNoPlan = errors.New("mrp: store holds no plan")

type meta struct {
	Version int
	Gen     uint64
	Next    uint64 // next journal number
	// Rev is the store's revision: one more for every journal entry and
	// every snapshot of new inputs ([Store.Reset]).
	Rev uint64 `json:",omitempty"`
	// Basis is the caller's revision of the master data the items were
	// built from (0: none given).
	Basis uint64 `json:",omitempty"`
	// Calendar and Options are the generation's (mrp/g/<gen>/meta); stores
	// written before that key kept them here.
	Calendar *Calendar `json:",omitempty"`
	Options  *Options  `json:",omitempty"`
}

// genMeta is a generation's calendar and options (mrp/g/<gen>/meta): large
// (the calendar's overrides), so not in mrp/meta, which every net change
// rewrites.
type genMeta struct {
	Calendar Calendar
	Options  Options
}

type seqRec[T any] struct {
	Seq int
	Rec T
}

// Store keeps a [Planner] persisted in a kv database: its inputs and its
// plan survive a restart, and every net change is one transaction that
// appends one journal entry with the next [Store.Revision].
//
// A Store is not safe for concurrent use: its methods, and queries on its
// [Store.Planner], need the caller's synchronisation (a sync.RWMutex: the
// read lock for queries, the write lock for everything that changes the
// plan, including [Store.Quote]). One writing Store per database: a second
// one on the same database that fell behind fails its next Apply with
// [ErrStale] instead of writing over the first one's journal.
type Store struct {
	db kv.DB
	p  *Planner
	m  meta
	// quoted are items in the planner that no snapshot or journal entry
	// holds (added by [Store.Quote]); the first change that refers to one
	// journals it.
	quoted map[string]bool
	// peg, when set, is the peg limit its planner keeps whatever the
	// stored options say (SetPegLimit)
	peg *int
	// huge: its planner asks for huge pages whenever it is made or
	// reread (SetHugePages)
	huge bool
	// stale says that a reload failed (after a failed write, or a failed
	// catch-up): the planner may hold changes that are not stored, or not
	// all of those that are, whatever m says. The next Update or CatchUp
	// reloads it whole before anything else; applying journal entries on
	// top of it would give another plan than the stored one at the same
	// revision.
	stale bool
}

// SetPegLimit sets the peg limit of the store's planner (see
// [Options.PegLimit]) and keeps it when the planner is reloaded from the
// database (another writer's changes, a failed write); the next snapshot
// ([Store.Reset], [Store.Checkpoint]) stores it with the options. Like
// [Store.Apply], it must not run beside other calls.
func (s *Store) SetPegLimit(n int) {
	s.peg = &n
	s.p.SetPegLimit(n)
}

// SetHugePages, on, makes the store's planner ask for huge pages for its
// memory ([Planner.AdviseHugePages]) now and whenever it is reread from
// the database or replanned ([Store.Reset]): for a store kept open for
// many changes, such as a server's. Like [Store.Apply], it must not run
// beside other calls.
func (s *Store) SetHugePages(on bool) {
	s.huge = on
	if on {
		s.p.AdviseHugePages()
	}
}

// HugePages reports whether [Store.SetHugePages] is on.
func (s *Store) HugePages() bool { return s.huge }

// StoreOption sets a property of the snapshot [CreateStore] or
// [Store.Reset] writes.
type StoreOption func(*meta)

// WithBasis records the revision of the master data the input's items were
// built from (e.g. bom.Store.Revision), for [Store.Basis].
func WithBasis(rev uint64) StoreOption { return func(m *meta) { m.Basis = rev } }

// CreateStore plans in from scratch and saves inputs and plan into db,
// replacing any plan stored there before.
func CreateStore(ctx context.Context, db kv.DB, in *Input, opts Options, so ...StoreOption) (*Store, error) {
	p, err := NewContext(ctx, in, opts)
	if err != nil {
		return nil, err
	}
	var old meta
	if err := db.View(ctx, func(tx kv.Txn) error {
		return getMeta(tx, &old)
	}); err != nil && !errors.Is(err, ErrNoPlan) {
		return nil, err
	}
	s := &Store{db: db, p: p, m: old}
	if err := s.snapshot(ctx, true, so); err != nil {
		return nil, err
	}
	return s, nil
}

// Reset replaces the store's inputs with in, planned from scratch with the
// store's options, as a new snapshot (one revision). The planner
// [Store.Planner] returned before is not changed: ask for it again. On error
// the store is as it was.
func (s *Store) Reset(ctx context.Context, in *Input, so ...StoreOption) error {
	p, err := NewContext(ctx, in, s.p.opts)
	if err != nil {
		return err
	}
	q := &Store{db: s.db, p: p, m: s.m, peg: s.peg, huge: s.huge}
	q.m.Basis = 0
	if err := q.snapshot(ctx, true, so); err != nil {
		return err
	}
	*s = *q
	if s.huge {
		s.p.AdviseHugePages()
	}
	return nil
}

// Revision is the store's revision: it grows by one with every applied
// change batch (one journal entry) and every [Store.Reset].
func (s *Store) Revision() uint64 { return s.m.Rev }

// Basis is the master-data revision given with [WithBasis] when the
// current inputs were written (0: none).
func (s *Store) Basis() uint64 { return s.m.Basis }

// Checkpoint writes the current inputs and plan as a new snapshot and
// drops the journal, so that the next open replays nothing.
func (s *Store) Checkpoint(ctx context.Context) error { return s.snapshot(ctx, false, nil) }

// snapshot writes generation s.m.Gen+1 in batches, switches mrp/meta to it
// in one transaction, then deletes the old generation and journal. A
// snapshot of new inputs (fresh) is a revision of its own.
func (s *Store) snapshot(ctx context.Context, fresh bool, so []StoreOption) (err error) {
	p := s.p
	oldGen, hadOld := s.m.Gen, s.m.Version != 0
	gen, err := s.claimGen(ctx)
	if err != nil {
		return err
	}
	pre := genPrefix(gen)
	// clear leftovers of an interrupted snapshot of the same generation
	if err := deleteBatched(ctx, s.db, pre); err != nil {
		return err
	}
	// A snapshot that fails before its switch (a full disk, a cancelled
	// context) or whose switch is refused (ErrStale) leaves no half
	// generation taking space (best effort); after any other error of the
	// switch its outcome is unknown, and the generation is kept.
	switching := false
	defer func() {
		if err != nil && (!switching || errors.Is(err, ErrStale)) {
			_ = deleteBatched(context.WithoutCancel(ctx), s.db, pre)
		}
	}()
	type kvp struct{ k, v []byte }
	var batch []kvp
	size := 0
	maxEntries, maxBytes := snapshotLimits(s.db)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.db.Update(ctx, func(tx kv.Txn) error {
			for _, x := range batch {
				if err := tx.Set(x.k, x.v); err != nil {
					return err
				}
			}
			return nil
		})
		batch, size = batch[:0], 0
		return err
	}
	put := func(k string, v []byte) error {
		batch = append(batch, kvp{[]byte(k), v})
		size += len(k) + len(v) + 32
		if size >= maxBytes || len(batch) >= maxEntries {
			return flush()
		}
		return nil
	}
	for i := range p.items {
		it := &p.items[i]
		b, err := json.Marshal(seqRec[Item]{Seq: i, Rec: it.in})
		if err != nil {
			return err
		}
		if err := put(pre+"i/"+it.in.ID, b); err != nil {
			return err
		}
		if it.onhand != 0 {
			q, _ := json.Marshal(it.onhand)
			if err := put(pre+"s/"+it.in.ID, q); err != nil {
				return err
			}
		}
		if err := put(pre+"p/"+it.in.ID, p.encodePlan(int32(i))); err != nil {
			return err
		}
	}
	seq := 0
	for k := range p.demands {
		if d := &p.demands[k]; d.live {
			b, _ := json.Marshal(seqRec[Demand]{Seq: seq, Rec: d.in})
			seq++
			if err := put(pre+"d/"+d.in.ID, b); err != nil {
				return err
			}
		}
	}
	seq = 0
	for k := range p.recs {
		if r := &p.recs[k]; r.live {
			b, _ := json.Marshal(seqRec[Receipt]{Seq: seq, Rec: r.in})
			seq++
			if err := put(pre+"r/"+r.in.ID, b); err != nil {
				return err
			}
		}
	}
	seq = 0
	for k := range p.firms {
		if f := &p.firms[k]; f.live {
			b, _ := json.Marshal(seqRec[FirmOrder]{Seq: seq, Rec: f.in})
			seq++
			if err := put(pre+"f/"+f.in.ID, b); err != nil {
				return err
			}
		}
	}
	if err := p.saveProgress(pre, put); err != nil {
		return err
	}
	gm, err := json.Marshal(genMeta{Calendar: p.calIn, Options: p.opts})
	if err != nil {
		return err
	}
	if err := put(pre+"meta", gm); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	m := meta{Version: formatV2, Gen: gen, Rev: s.m.Rev, Basis: s.m.Basis}
	if fresh {
		m.Rev++
	}
	for _, o := range so {
		o(&m)
	}
	superseded := uint64(0) // another Store's generation this switch replaces
	switching = true
	if err := s.db.Update(ctx, func(tx kv.Txn) error {
		superseded = 0
		if hadOld {
			var cur meta
			if err := getMeta(tx, &cur); err != nil && !errors.Is(err, ErrNoPlan) {
				return err
			}
			if !fresh && (cur.Gen != oldGen || cur.Rev != s.m.Rev) {
				// a checkpoint of a plan others changed since would drop
				// their changes
				return fmt.Errorf("%w (checkpoint at revision %d, store at %d)", ErrStale, s.m.Rev, cur.Rev)
			}
			// another writer's revisions since: stay above them
			m.Rev = max(m.Rev, cur.Rev+1)
			if !fresh {
				m.Rev = cur.Rev
			}
			if cur.Gen != oldGen && cur.Gen != gen {
				superseded = cur.Gen
			}
		}
		return putMeta(tx, &m)
	}); err != nil {
		return err
	}
	s.m, s.quoted = m, nil
	if superseded != 0 {
		if err := deleteBatched(ctx, s.db, genPrefix(superseded)); err != nil {
			return err
		}
		if err := deleteBatched(ctx, s.db, journalPrefix(superseded)); err != nil {
			return err
		}
	}
	if hadOld {
		if err := deleteBatched(ctx, s.db, genPrefix(oldGen)); err != nil {
			return err
		}
		if err := deleteBatched(ctx, s.db, journalPrefix(oldGen)); err != nil {
			return err
		}
	}
	return nil
}

// keyGens is the highest generation number any snapshot claimed (decimal).
const keyGens = "mrp/gens"

// claimGen returns a generation number no other snapshot of the database
// uses: one more than both the stored generation and every one claimed
// before (by this or another Store on the database, a replica), claimed in
// one transaction. Two replicas writing snapshots at the same time thus
// never write into each other's generation; the later switch of mrp/meta
// wins, and the loser's snapshot is left for [Store.Checkpoint] or the next
// snapshot of that replica to be ignored (it is never read).
func (s *Store) claimGen(ctx context.Context) (uint64, error) {
	var gen uint64
	err := s.db.Update(ctx, func(tx kv.Txn) error {
		gen = s.m.Gen + 1
		var cur meta
		switch err := getMeta(tx, &cur); {
		case err == nil:
			gen = max(gen, cur.Gen+1)
		case !errors.Is(err, ErrNoPlan):
			return err
		}
		switch b, err := tx.Get([]byte(keyGens)); {
		case err == nil:
			var n uint64
			if _, err := fmt.Sscan(string(b), &n); err != nil {
				return fmt.Errorf("mrp: store %s: %w", keyGens, err)
			}
			gen = max(gen, n+1)
		case !errors.Is(err, kv.ErrNotFound):
			return err
		}
		return tx.Set([]byte(keyGens), fmt.Appendf(nil, "%d", gen))
	})
	return gen, err
}

func getMeta(tx kv.Txn, m *meta) error {
	b, err := tx.Get([]byte(keyMeta))
	if errors.Is(err, kv.ErrNotFound) {
		return ErrNoPlan
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, m); err != nil {
		return fmt.Errorf("mrp: store meta: %w", err)
	}
	if m.Version != formatV2 {
		return fmt.Errorf("mrp: store format %d, want %d", m.Version, formatV2)
	}
	return nil
}

func putMeta(tx kv.Txn, m *meta) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return tx.Set([]byte(keyMeta), b)
}

// OpenStore loads the planner saved in db: the snapshot's inputs and plan
// as they were (nothing is replanned from scratch), then the journal's
// changes by net change. The options are those it was created with.
func OpenStore(ctx context.Context, db kv.DB) (*Store, error) {
	var p *Planner
	var m meta
	err := db.View(ctx, func(tx kv.Txn) error {
		var err error
		p, m, err = load(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Store{db: db, p: p, m: m}, nil
}

// StoredCalendar is the calendar of the plan saved in db (planning date,
// horizon, time zone, ...: no change of the journal alters it) read
// without loading the plan, as a command that only needs the plant's time
// zone wants it ([ErrNoPlan] when db holds none).
func StoredCalendar(ctx context.Context, db kv.DB) (Calendar, error) {
	var c Calendar
	err := db.View(ctx, func(tx kv.Txn) error {
		var m meta
		if err := getMeta(tx, &m); err != nil {
			return err
		}
		gm, err := getGenMeta(tx, &m)
		c = gm.Calendar
		return err
	})
	return c, err
}

// getGenMeta reads the calendar and options of generation m.Gen (m is
// the store's meta, [getMeta]).
func getGenMeta(tx kv.Txn, m *meta) (genMeta, error) {
	pre := genPrefix(m.Gen)
	switch b, err := tx.Get([]byte(pre + "meta")); {
	case err == nil:
		var g genMeta
		if err := json.Unmarshal(b, &g); err != nil {
			return genMeta{}, fmt.Errorf("mrp: store %smeta: %w", pre, err)
		}
		return g, nil
	case errors.Is(err, kv.ErrNotFound) && m.Calendar != nil && m.Options != nil:
		return genMeta{Calendar: *m.Calendar, Options: *m.Options}, nil
	case errors.Is(err, kv.ErrNotFound):
		return genMeta{}, fmt.Errorf("mrp: store %smeta missing", pre)
	default:
		return genMeta{}, err
	}
}

// load reads the snapshot and replays the journal.
func load(ctx context.Context, tx kv.Txn) (*Planner, meta, error) {
	var m meta
	var gm genMeta
	in := &Input{Stock: map[string]int64{}}
	var items []seqRec[Item]
	var dems []seqRec[Demand]
	var recs []seqRec[Receipt]
	var firms []seqRec[FirmOrder]
	var journal [][]byte
	plans := map[string][]byte{}
	conf, orig := map[string][]byte{}, map[string][]byte{}
	err := func() error {
		if err := getMeta(tx, &m); err != nil {
			return err
		}
		pre := genPrefix(m.Gen)
		g, err := getGenMeta(tx, &m)
		if err != nil {
			return err
		}
		gm = g
		if err := scanJSON(tx, pre+"i/", &items); err != nil {
			return err
		}
		if err := scanJSON(tx, pre+"d/", &dems); err != nil {
			return err
		}
		if err := scanJSON(tx, pre+"r/", &recs); err != nil {
			return err
		}
		if err := scanJSON(tx, pre+"f/", &firms); err != nil {
			return err
		}
		if err := kv.ScanPrefix(tx, []byte(pre+"s/"), func(k, v []byte) error {
			var q int64
			if err := json.Unmarshal(v, &q); err != nil {
				return fmt.Errorf("mrp: store %s: %w", k, err)
			}
			in.Stock[string(k[len(pre)+2:])] = q
			return nil
		}); err != nil {
			return err
		}
		if err := kv.ScanPrefix(tx, []byte(pre+"p/"), func(k, v []byte) error {
			plans[string(k[len(pre)+2:])] = slices.Clone(v)
			return nil
		}); err != nil {
			return err
		}
		for _, x := range []struct {
			key string
			m   map[string][]byte
		}{{keyConfirmation, conf}, {keyOrigQty, orig}} {
			if err := kv.ScanPrefix(tx, []byte(pre+x.key), func(k, v []byte) error {
				x.m[string(k[len(pre)+len(x.key):])] = slices.Clone(v)
				return nil
			}); err != nil {
				return err
			}
		}
		return kv.ScanPrefix(tx, []byte(journalPrefix(m.Gen)), func(_, v []byte) error {
			journal = append(journal, slices.Clone(v))
			return nil
		})
	}()
	if err != nil {
		return nil, m, err
	}
	in.Calendar = gm.Calendar
	in.Items = sortSeq(items)
	in.Demands = sortSeq(dems)
	in.Receipts = sortSeq(recs)
	in.Firm = sortSeq(firms)
	if err := gm.Options.Validate(); err != nil {
		return nil, m, err
	}
	p := &Planner{opts: gm.Options, calIn: in.Calendar}
	if err := p.load(in); err != nil {
		return nil, m, fmt.Errorf("mrp: stored inputs: %w", err)
	}
	for i := range p.items {
		b, ok := plans[p.items[i].in.ID]
		if !ok {
			return nil, m, fmt.Errorf("mrp: store has no plan for item %s", p.items[i].in.ID)
		}
		if err := p.decodePlan(int32(i), b); err != nil {
			return nil, m, fmt.Errorf("mrp: stored plan of %s: %w", p.items[i].in.ID, err)
		}
	}
	if err := p.loadProgress(conf, orig); err != nil {
		return nil, m, err
	}
	for k, b := range journal {
		if err := ctx.Err(); err != nil {
			return nil, m, err
		}
		_, cs, err := decodeEntry(b)
		if err != nil {
			return nil, m, fmt.Errorf("mrp: journal entry %d: %w", k, err)
		}
		if _, err := p.Apply(cs...); err != nil {
			return nil, m, fmt.Errorf("mrp: replaying journal entry %d: %w", k, err)
		}
	}
	return p, m, nil
}

// Planner returns the store's planner for queries. Change it only through
// the store ([Store.Apply], [Store.Update], [Store.Quote]).
func (s *Store) Planner() *Planner { return s.p }

// Apply is [Planner.Apply] made durable: the batch of changes is appended
// to the journal as one entry, in one transaction, with the next
// revision. If the changes are invalid or the write fails, the error is
// returned and the planner (the same *Planner as before) is left as it
// was.
func (s *Store) Apply(ctx context.Context, changes ...Change) (*ChangeResult, error) {
	var res *ChangeResult
	err := s.Update(ctx, func(tx *Tx) error {
		var err error
		res, err = tx.Apply(changes...)
		return err
	})
	return res, err
}

// Tx is one write transaction of a [Store]'s database, in which [Store.Update]
// runs the caller's function: the caller writes its own keys with the
// embedded kv.Txn (e.g. a bom variant through a Tx method of its store)
// and changes the plan with [Tx.Apply]; everything commits together.
type Tx struct {
	kv.Txn
	s       *Store
	changes []jchange
	quoted  []string // quoted items the entry journals
	commit  []func() // run after the commit (OnCommit)
}

// OnCommit registers fn to run once the transaction committed (e.g. a
// bom.Pending's Apply); it does not run when the transaction fails or is
// retried.
func (tx *Tx) OnCommit(fn func()) { tx.commit = append(tx.commit, fn) }

// Apply applies changes to the plan (as [Planner.Apply]) and adds them to
// the transaction's journal entry.
func (tx *Tx) Apply(changes ...Change) (*ChangeResult, error) {
	b, quoted, err := tx.s.journalChanges(changes, tx.quoted)
	if err != nil {
		return nil, err
	}
	res, err := tx.s.p.Apply(changes...)
	if err != nil {
		return nil, err
	}
	tx.changes = append(tx.changes, b...)
	tx.quoted = quoted
	return res, nil
}

// Planner is the store's planner, with the changes applied so far.
func (tx *Tx) Planner() *Planner { return tx.s.p }

// Update runs fn in one transaction of the store's database and commits
// its writes and its plan changes ([Tx.Apply]) as one journal entry with
// the next revision: both are stored or neither. When fn fails, the write
// fails, or the database runs fn again (a conflict retry), the planner is
// first restored to the stored state, so it never keeps a change that was
// not stored. Restoring rereads the store (as [OpenStore]): failures cost
// a reload, successes nothing. When that reread fails too (the database
// unreachable), the store is stale: the next Update or [Store.CatchUp]
// rereads it first, so that no journal entry is applied to a planner
// that holds a change the journal does not.
func (s *Store) Update(ctx context.Context, fn func(*Tx) error) error {
	dirty := false // the planner holds changes of an attempt not committed
	var m meta
	var journaled []string
	var commit []func()
	err := s.db.Update(ctx, func(txn kv.Txn) error {
		if dirty || s.stale {
			p, cur, err := load(ctx, txn)
			if err != nil {
				return err
			}
			s.restore(p, cur)
			dirty = false
		}
		tx := &Tx{Txn: txn, s: s}
		err := fn(tx)
		dirty, journaled, commit = len(tx.changes) > 0, tx.quoted, tx.commit
		if err == nil && !dirty {
			return nil
		}
		var cur meta
		if err := getMeta(txn, &cur); err != nil {
			return err
		}
		if cur.Gen != s.m.Gen || cur.Next != s.m.Next || cur.Rev != s.m.Rev {
			// also when fn failed: a change refused by a planner behind
			// the store (a firm order another writer made, not caught
			// up yet: "not found") is stale, not invalid
			stale := fmt.Errorf("%w (generation %d.%d revision %d, expected %d.%d revision %d)",
				ErrStale, cur.Gen, cur.Next, cur.Rev, s.m.Gen, s.m.Next, s.m.Rev)
			if err != nil {
				stale = fmt.Errorf("%w; behind it: %v", stale, err)
			}
			return stale
		}
		if err != nil {
			return err
		}
		m = s.m
		m.Next++
		m.Rev++
		b, err := json.Marshal(jentry{Rev: m.Rev, Changes: tx.changes})
		if err != nil {
			return err
		}
		if err := txn.Set([]byte(fmt.Sprintf("%s%016x", journalPrefix(m.Gen), s.m.Next)), b); err != nil {
			return err
		}
		return putMeta(txn, &m)
	})
	if err != nil {
		if dirty {
			if rerr := s.reload(ctx); rerr != nil {
				return fmt.Errorf("%w (and reloading the planner failed: %v)", err, rerr)
			}
		}
		return err
	}
	if dirty {
		s.m = m
		for _, id := range journaled {
			delete(s.quoted, id)
		}
	}
	for _, fn := range commit {
		fn()
	}
	return nil
}

// reload restores the planner to the stored state; when it fails, the
// store is stale until a later reload succeeds.
func (s *Store) reload(ctx context.Context) error {
	err := s.db.View(ctx, func(tx kv.Txn) error {
		p, m, err := load(ctx, tx)
		if err != nil {
			return err
		}
		s.restore(p, m)
		return nil
	})
	if err != nil {
		s.stale = true
	}
	return err
}

// restore makes the store's planner (the same *Planner the caller may
// hold) the loaded planner q.
func (s *Store) restore(q *Planner, m meta) {
	s.p.takeOver(q)
	s.m, s.quoted, s.stale = m, nil, false
	if s.peg != nil {
		s.p.SetPegLimit(*s.peg)
	}
	if s.huge {
		s.p.AdviseHugePages()
	}
}

// Stale reports whether a reload of the planner failed (after a failed
// write, see [Store.Update]): the planner may hold a change the store does
// not, so it must not be read until [Store.CatchUp] or the next
// [Store.Update] rereads it ([BOMPlan.Fresh] is false meanwhile).
func (s *Store) Stale() bool { return s.stale }

// DropQuoted rereads the planner from the store, dropping the items
// [Store.Quote] added; the *Planner stays the same.
func (s *Store) DropQuoted(ctx context.Context) error { return s.reload(ctx) }

// Quoted is the number of items [Store.Quote] added that no change
// refers to.
func (s *Store) Quoted() int { return len(s.quoted) }

// journalChanges encodes changes for the journal; a change that refers to
// an item only quoted so far first journals that item (and its quoted
// components, first). done lists the quoted items the entry journals
// already; the list is returned extended.
func (s *Store) journalChanges(cs []Change, done []string) ([]jchange, []string, error) {
	var out []jchange
	if len(s.quoted) > 0 {
		seen := map[string]bool{}
		for _, id := range done {
			seen[id] = true
		}
		var add func(id string)
		add = func(id string) {
			if !s.quoted[id] || seen[id] {
				return
			}
			seen[id] = true
			done = append(done, id)
			k, ok := s.p.index[id]
			if !ok {
				return
			}
			it := cloneItem(&s.p.items[k].in)
			for _, c := range it.Components {
				add(c.Item)
			}
			for _, bc := range it.BOMChanges {
				for _, c := range bc.Components {
					add(c.Item)
				}
			}
			out = append(out, jchange{Op: "set-item", Item: &it})
		}
		for _, c := range cs {
			for _, id := range changeItems(c) {
				add(id)
			}
		}
	}
	js, err := encodeChanges(cs)
	if err != nil {
		return nil, nil, err
	}
	return append(out, js...), done, nil
}

func changeItems(c Change) []string {
	switch c := c.(type) {
	case SetDemand:
		return []string{c.Demand.Item}
	case SetReceipt:
		return []string{c.Receipt.Item}
	case SetStock:
		return []string{c.Item}
	case SetFirm:
		return []string{c.Order.Item}
	case SetItem:
		ids := []string{}
		for _, x := range c.Item.Components {
			ids = append(ids, x.Item)
		}
		for _, bc := range c.Item.BOMChanges {
			for _, x := range bc.Components {
				ids = append(ids, x.Item)
			}
		}
		return ids
	}
	return nil
}

// jentry is one journal entry: the changes of one transaction and the
// store revision it made. (Entries before revisions were recorded are a
// bare array of changes.)
type jentry struct {
	Rev     uint64
	Changes []jchange
}

func decodeEntry(b []byte) (uint64, []Change, error) {
	if len(b) > 0 && b[0] == '[' {
		cs, err := decodeChanges(b)
		return 0, cs, err
	}
	var e jentry
	if err := json.Unmarshal(b, &e); err != nil {
		return 0, nil, err
	}
	cs, err := fromJournal(e.Changes)
	return e.Rev, cs, err
}

// jchange is the journal encoding of one Change.
type jchange struct {
	Op      string
	Demand  *Demand       `json:",omitempty"`
	Receipt *Receipt      `json:",omitempty"`
	Firm    *FirmOrder    `json:",omitempty"`
	Item    *Item         `json:",omitempty"`
	Confirm *Confirmation `json:",omitempty"`
	ID      string        `json:",omitempty"`
	Qty     int64         `json:",omitempty"`
}

func encodeChanges(cs []Change) ([]jchange, error) {
	out := make([]jchange, len(cs))
	for k, c := range cs {
		switch c := c.(type) {
		case SetDemand:
			out[k] = jchange{Op: "set-demand", Demand: &c.Demand}
		case RemoveDemand:
			out[k] = jchange{Op: "remove-demand", ID: c.ID}
		case SetReceipt:
			out[k] = jchange{Op: "set-receipt", Receipt: &c.Receipt}
		case RemoveReceipt:
			out[k] = jchange{Op: "remove-receipt", ID: c.ID}
		case SetStock:
			out[k] = jchange{Op: "set-stock", ID: c.Item, Qty: c.Qty}
		case SetItem:
			out[k] = jchange{Op: "set-item", Item: &c.Item}
		case SetFirm:
			out[k] = jchange{Op: "set-firm", Firm: &c.Order}
		case RemoveFirm:
			out[k] = jchange{Op: "remove-firm", ID: c.ID}
		case SetConfirmation:
			out[k] = jchange{Op: "confirm", Confirm: &c.Confirmation}
		default:
			return nil, fmt.Errorf("%w: change %T", ErrInvalid, c)
		}
	}
	return out, nil
}

func decodeChanges(b []byte) ([]Change, error) {
	var in []jchange
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, err
	}
	return fromJournal(in)
}

func fromJournal(in []jchange) ([]Change, error) {
	out := make([]Change, len(in))
	for k, c := range in {
		switch {
		case c.Op == "set-demand" && c.Demand != nil:
			out[k] = SetDemand{Demand: *c.Demand}
		case c.Op == "remove-demand":
			out[k] = RemoveDemand{ID: c.ID}
		case c.Op == "set-receipt" && c.Receipt != nil:
			out[k] = SetReceipt{Receipt: *c.Receipt}
		case c.Op == "remove-receipt":
			out[k] = RemoveReceipt{ID: c.ID}
		case c.Op == "set-stock":
			out[k] = SetStock{Item: c.ID, Qty: c.Qty}
		case c.Op == "set-item" && c.Item != nil:
			out[k] = SetItem{Item: *c.Item}
		case c.Op == "set-firm" && c.Firm != nil:
			out[k] = SetFirm{Order: *c.Firm}
		case c.Op == "remove-firm":
			out[k] = RemoveFirm{ID: c.ID}
		case c.Op == "confirm" && c.Confirm != nil:
			out[k] = SetConfirmation{Confirmation: *c.Confirm}
		default:
			return nil, fmt.Errorf("unknown change %q", c.Op)
		}
	}
	return out, nil
}

func (p *Planner) encodePlan(i int32) []byte {
	it := &p.items[i]
	b := make([]byte, 0, 16+len(it.due)*6)
	b = binary.AppendUvarint(b, uint64(len(it.due)))
	for k := range it.due {
		b = binary.AppendVarint(b, int64(it.due[k]))
		b = binary.AppendVarint(b, it.qty[k])
	}
	b = binary.AppendUvarint(b, uint64(len(it.exc)))
	for _, x := range it.exc {
		kb, ref := byte(x.kind), ""
		switch {
		case x.ref >= 0:
			ref = p.recs[x.ref].in.ID
		case x.ref <= -2:
			kb, ref = kb|0x80, p.firms[-2-x.ref].in.ID // a firm planned order
		}
		b = append(b, kb)
		b = binary.AppendUvarint(b, uint64(len(ref)))
		b = append(b, ref...)
		b = binary.AppendVarint(b, int64(x.day))
		b = binary.AppendVarint(b, int64(x.to))
		b = binary.AppendVarint(b, x.qty)
	}
	b = binary.AppendVarint(b, it.slack)
	return b
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
		// counts bounded by the bytes left (an order takes two varints,
		// an exception at least five bytes), not by the plan's shape: a
		// maximum lot size splits a day's lot into as many orders as it
		// takes (a bound of 64 a day refused a plan it had stored)
		n := uv()
		if n > uint64(len(b))/2 {
			panic(bad)
		}
		if n > 0 {
			it.due, it.qty = p.ncArena.alloc(int(n))
		}
		for k := range int(n) {
			it.due[k] = int32(sv())
			it.qty[k] = sv()
		}
		it.setEnds()
		ne := uv()
		if ne > uint64(len(b))/5 {
			panic(bad)
		}
		for range ne {
			if len(b) == 0 {
				panic(bad)
			}
			x := exc{kind: ExceptionKind(b[0] &^ 0x80), ref: -1}
			firm := b[0]&0x80 != 0
			b = b[1:]
			l := uv()
			if l > uint64(len(b)) {
				panic(bad)
			}
			ref := string(b[:l])
			b = b[l:]
			switch {
			case firm:
				k, ok := p.firmIx[ref]
				if !ok {
					panic(bad)
				}
				x.ref = -2 - k
			case ref != "":
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

// deleteBatched deletes every key under prefix, a bounded number per
// transaction.
func deleteBatched(ctx context.Context, db kv.DB, prefix string) error {
	most, _ := snapshotLimits(db)
	for {
		var keys [][]byte
		if err := db.View(ctx, func(tx kv.Txn) error {
			return kv.ScanPrefix(tx, []byte(prefix), func(k, _ []byte) error {
				keys = append(keys, slices.Clone(k))
				if len(keys) >= most {
					return kv.ErrStop
				}
				return nil
			})
		}); err != nil {
			return err
		}
		if len(keys) == 0 {
			return nil
		}
		if err := db.Update(ctx, func(tx kv.Txn) error {
			for _, k := range keys {
				if err := tx.Delete(k); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
}

// snapshotLimits is what one transaction of a snapshot writes at most on
// db: 10,000 entries or snapshotBatch bytes, or half of what a transaction
// of a Badger store with a small memtable may hold (with --memtable-mb 8
// one holds 1.2 MiB, and every checkpoint failed with a transaction too
// big once a plan grew).
func snapshotLimits(db kv.DB) (entries, bytes int) {
	entries, bytes = 10000, snapshotBatch
	if b, ok := db.(interface{ MemTableSize() int64 }); ok {
		e, by := kv.TxnLimit(b.MemTableSize())
		entries, bytes = max(1, min(entries, int(e/2))), max(1, min(bytes, int(by/2)))
	}
	return entries, bytes
}
