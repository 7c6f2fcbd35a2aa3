package bom

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
)

// Key layout in the kv store (every key starts with "bom/", so that other
// packages can share the store):
//
//	bom/meta                   JSON {"version":2,"rev":N,"gen":G}: format version, master-data revision, write generation
//	bom/item/<item>            JSON Item
//	bom/bom/<parent>           JSON []Line: the parent's whole super BOM
//	bom/rtg/<item>             JSON []Op: the item's whole routing
//	bom/wc/<work center>       JSON WorkCenter
//	bom/model/<name>           JSON {"file":...,"source":...}: a product model as stored
//	bom/used/<comp>\x00<parent> empty: where-used index of the super BOM
//	bom/node/<32-byte hash>    canonical binary node encoding (see Node)
//	bom/var/<8-byte rev><32-byte variant id>  JSON variant record
//
// Master data is JSON: it changes seldom, is small next to the resolved
// nodes, and stays readable in backups; encoding/json writes struct fields in
// declaration order and map keys sorted, so it is deterministic. Nodes use
// their canonical binary encoding (see [Node]), which is also what their
// hash is computed over. Variant records live under the master-data revision
// they were resolved with: an import that changes them starts a new
// revision, and old records stay as history (their nodes never change).
//
// The revision counts changes of what variants are resolved from (the
// master data, where rows came from aside, and the canonical text of a
// model some item uses: see sameBasis); the generation counts every write
// of master data or models. Each write reads the stored generation in its
// own transaction: when another Store on the same DB wrote since this one
// last loaded, it reloads the master data and models from that transaction
// and applies the change on top of them, so two Stores on one DB never
// hand out one revision twice nor validate against an old catalogue.
const (
	pMeta  = "bom/meta"
	pItem  = "bom/item/"
	pBOM   = "bom/bom/"
	pRtg   = "bom/rtg/"
	pWC    = "bom/wc/"
	pModel = "bom/model/"
	pUsed  = "bom/used/"
	pNode  = "bom/node/"
	pVar   = "bom/var/"

	// storeVersion 2 keeps every product model once, as its source text
	// with its file name; version 1 stores are not read.
	storeVersion = 2
)

// Store is the BOM and routing engine on a [kv.DB], and the registry of
// product models: master data, every product model (once, compiled once
// per stored text), and the resolved variants with their shared nodes. It
// is safe for concurrent use; imports are serialised. Several Stores may
// share one DB: each write applies on top of what the others stored.
type Store struct {
	db     kv.DB
	imp    sync.Mutex // serialises this Store's own writes
	cat    atomic.Pointer[catalog]
	reg    atomic.Pointer[registry]
	models *modelCache

	mu       sync.RWMutex
	nodes    map[Hash]*Node      // every stored node
	variants map[string]*Variant // current revision, by variant id
	// seen maps the exact text of a configuration already resolved (item,
	// epoch, values in model order) to its variant: a repeat costs one map
	// lookup instead of the configurator's canonical key.
	seen map[string]*Variant
	// sub maps a sub-assembly's subKey (see subtree.go) to its node.
	sub     map[string]Hash
	checked map[string]bool // model index + key of validated passed-down configurations
}

type meta struct {
	Version int    `json:"version"`
	Rev     uint64 `json:"rev"`
	Gen     uint64 `json:"gen"`
}

// Options tune [OpenOptions]. The zero value means the defaults.
type Options struct {
	// ModelCache is how many compiled product models are kept, by the
	// digest of their stored text, beyond the current ones: storing,
	// importing or reloading a text compiled before does not compile it
	// again. 0 means 16; negative keeps none.
	ModelCache int
}

// Open is [OpenOptions] with the default options.
func Open(ctx context.Context, db kv.DB) (*Store, error) { return OpenOptions(ctx, db, Options{}) }

// OpenOptions loads the master data, models and resolved nodes from db. An
// empty db gives an empty Store. The Store does not own db: close it
// yourself after the last use of the Store.
func OpenOptions(ctx context.Context, db kv.DB, opts Options) (*Store, error) {
	n := opts.ModelCache
	if n == 0 {
		n = 16
	}
	s := &Store{db: db, models: newModelCache(n), nodes: map[Hash]*Node{}, variants: map[string]*Variant{}, seen: map[string]*Variant{}, sub: map[string]Hash{}, checked: map[string]bool{}}
	var (
		cat *catalog
		reg *registry
	)
	err := db.View(ctx, func(txn kv.Txn) error {
		var err error
		if cat, reg, err = s.load(ctx, txn); err != nil {
			return err
		}
		return kv.ScanPrefix(txn, []byte(pNode), func(k, v []byte) error {
			var h Hash
			copy(h[:], k[len(pNode):])
			n, err := decodeNode(bytes.Clone(v), h)
			if err != nil {
				return err
			}
			s.nodes[h] = n
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	s.cat.Store(cat)
	s.reg.Store(reg)
	return s, nil
}

// readMeta reads the stored metadata (zero for an empty store).
func readMeta(txn kv.Txn) (meta, error) {
	var mt meta
	b, err := txn.Get([]byte(pMeta))
	switch {
	case errors.Is(err, kv.ErrNotFound):
		return mt, nil
	case err != nil:
		return mt, err
	}
	if err := json.Unmarshal(b, &mt); err != nil {
		return mt, fmt.Errorf("bom: store metadata: %w", err)
	}
	if mt.Version != storeVersion {
		return mt, fmt.Errorf("bom: store format version %d, this program reads %d (rebuild the store: import the master data and models again)", mt.Version, storeVersion)
	}
	return mt, nil
}

// load reads the master data and the models from txn and builds the
// catalogue (compiling the models items use) and the registry.
func (s *Store) load(ctx context.Context, txn kv.Txn) (*catalog, *registry, error) {
	mt, err := readMeta(txn)
	if err != nil {
		return nil, nil, err
	}
	d := &Data{}
	if err := scanJSON(txn, pItem, func(it *Item) { d.Items = append(d.Items, it) }); err != nil {
		return nil, nil, err
	}
	if err := scanJSON(txn, pBOM, func(ls *[]*Line) { d.Lines = append(d.Lines, *ls...) }); err != nil {
		return nil, nil, err
	}
	if err := scanJSON(txn, pRtg, func(os *[]*Op) { d.Ops = append(d.Ops, *os...) }); err != nil {
		return nil, nil, err
	}
	if err := scanJSON(txn, pWC, func(w *WorkCenter) { d.WorkCenters = append(d.WorkCenters, w) }); err != nil {
		return nil, nil, err
	}
	reg := &registry{gen: mt.Gen, names: map[string]*regEntry{}}
	err = kv.ScanPrefix(txn, []byte(pModel), func(k, v []byte) error {
		var rec modelRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("bom: stored %s: %w", k, err)
		}
		reg.names[string(k[len(pModel):])] = &regEntry{rec: rec}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	ms, err := s.usedModels(ctx, d, reg, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("bom: stored model: %w", err)
	}
	cat, err := buildCatalog(d, ms, reg.sortedNames())
	if err != nil {
		return nil, nil, fmt.Errorf("bom: stored master data no longer validates: %w", err)
	}
	cat.rev = mt.Rev
	cat.data = d
	return cat, reg, nil
}

// usedModels returns, sorted by name, the models the items of d use:
// from given when it has them, else from reg. A model neither has is left
// out (buildCatalog reports it with the item's row).
func (s *Store) usedModels(ctx context.Context, d *Data, reg *registry, given map[string]*Model) ([]*Model, error) {
	used := map[string]bool{}
	for _, it := range d.Items {
		if it.Model != "" {
			used[it.Model] = true
		}
	}
	var ms []*Model
	for _, name := range slices.Sorted(maps.Keys(used)) {
		if m := given[name]; m != nil {
			ms = append(ms, m)
			continue
		}
		e := reg.names[name]
		if e == nil {
			continue
		}
		m, err := s.models.compiled(ctx, e)
		if err != nil {
			return nil, err
		}
		if m.name != name {
			return nil, fmt.Errorf("%w: model stored as %s is named %s", ErrInvalid, name, m.name)
		}
		ms = append(ms, m)
	}
	return ms, nil
}

func scanJSON[T any](txn kv.Txn, prefix string, fn func(*T)) error {
	return kv.ScanPrefix(txn, []byte(prefix), func(k, v []byte) error {
		var x T
		if err := json.Unmarshal(v, &x); err != nil {
			return fmt.Errorf("bom: stored %s: %w", k, err)
		}
		fn(&x)
		return nil
	})
}

// Revision is the master-data revision: 0 for an empty store, +1 per import
// or model text that changes what variants are resolved from (see
// [Store.Import]). Variant IDs belong to the revision they were resolved
// in.
func (s *Store) Revision() uint64 { return s.cat.Load().rev }

// ImportDir reads the master-data CSV files in dir (see [ReadDir]) and the
// models they name from modelDir ("" means dir), and imports them.
func (s *Store) ImportDir(ctx context.Context, dir, modelDir string) error {
	d, err := ReadDir(dir)
	if err != nil {
		return err
	}
	if modelDir == "" {
		modelDir = dir
	}
	models, err := LoadModels(modelDir)
	if err != nil {
		return err
	}
	return s.Import(ctx, d, models)
}

// Import merges d into the master data in one transaction: items and work
// centers are added or replaced by id; every parent that has lines in d gets
// exactly those lines as its new super BOM, and every item with operations
// in d gets exactly those as its routing; models (by name) are added to the
// registry or replace the model of their name there. An item's model comes
// from models or else from the registry. The merged whole is validated
// first: on any problem the error (an [ErrorList] wrapping [ErrInvalid])
// lists them and nothing changes.
//
// An import starts a new revision unless the master data stays the same
// (the rows' files and positions aside: those are stored as imported) and
// every model items use keeps its canonical text: importing the data
// stored already keeps the revision and the variant IDs handed out.
//
// A model given as a configurator.Model is stored as its canonical text
// (configurator.Format) under the file it was parsed from;
// [Store.ImportTexts] stores source texts as given.
func (s *Store) Import(ctx context.Context, d *Data, models map[string]*configurator.Model) error {
	return s.ImportReplace(ctx, d, models, Replace{})
}

// Replace names the kinds of master data an import gives whole: for each
// kind set, what the store holds of it and the import does not give goes
// (items and work centers it does not list are deleted; parents without
// lines in it have no super BOM any more, items without operations in it
// no routing). An import of a whole data set sets the kinds of the files
// it has, so that a file given with a row less deletes that row; kinds not
// set merge as [Store.Import] describes.
type Replace struct{ Items, BOM, Routings, WorkCenters bool }

// ImportReplace is [Store.Import] with the kinds r names replaced whole.
// What stays must still hold together (a BOM line kept must name items
// that stay): otherwise it fails as Import does, naming the row.
func (s *Store) ImportReplace(ctx context.Context, d *Data, models map[string]*configurator.Model, r Replace) error {
	return s.importWith(ctx, func(txn kv.Txn) (*Pending, error) { return s.ImportReplaceTx(ctx, txn, d, models, r) })
}

// ImportTexts is [Store.ImportReplace] with the models given as their
// source texts, each stored as given, as [Store.PutModel] stores it (its
// positions are those of the file, its comments stay), and checked with
// the new master data, not the rows it replaces. Two texts of one model
// name are an error.
func (s *Store) ImportTexts(ctx context.Context, d *Data, models []ModelText, r Replace) error {
	return s.importWith(ctx, func(txn kv.Txn) (*Pending, error) { return s.ImportTextsTx(ctx, txn, d, models, r) })
}

// importWith runs an import of the Store's own in one transaction and
// applies it.
func (s *Store) importWith(ctx context.Context, fn func(kv.Txn) (*Pending, error)) error {
	s.imp.Lock()
	defer s.imp.Unlock()
	var p *Pending
	err := s.db.Update(ctx, func(txn kv.Txn) error {
		var err error
		p, err = fn(txn)
		return err
	})
	if err != nil {
		if errors.Is(err, ErrInvalid) {
			return err
		}
		return fmt.Errorf("bom: import: %w", err)
	}
	p.Apply()
	return nil
}

// Pending is a change written into a caller's transaction by
// [Store.ImportTx] or [Store.PutModelTx]. Once that transaction committed,
// call Apply to make the Store serve the change. When the transaction is
// rolled back, drop it: the Store stays as it was. A Store that missed an
// Apply serves the old data until its next write, which finds the newer
// generation in the DB and reloads.
type Pending struct {
	s   *Store
	cat *catalog // nil: the catalogue did not change
	reg *registry
	// variant publishes a variant [Store.ResolveTx] wrote (reg is nil then)
	variant func() *Variant
}

// Apply publishes the change to the Store; call it once, after the commit.
// Applying a change older than one already applied does nothing.
func (p *Pending) Apply() {
	if p.variant != nil {
		p.variant()
		return
	}
	if p.reg == nil {
		return // nothing was written
	}
	s := p.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur := s.reg.Load(); cur != nil && cur.gen >= p.reg.gen {
		return
	}
	s.reg.Store(p.reg)
	if p.cat != nil && p.cat != s.cat.Load() {
		s.cat.Store(p.cat)
		s.variants = map[string]*Variant{}
		s.seen = map[string]*Variant{}
		s.sub = map[string]Hash{}
		s.checked = map[string]bool{}
	}
}

// base returns the catalogue and registry a write in txn applies on top
// of: the Store's own when the DB holds the generation it loaded (or a
// pending change of this transaction produced), else the stored state,
// reloaded from txn.
func (s *Store) base(ctx context.Context, txn kv.Txn) (*catalog, *registry, meta, error) {
	mt, err := readMeta(txn)
	if err != nil {
		return nil, nil, mt, err
	}
	s.mu.RLock()
	cat, reg := s.cat.Load(), s.reg.Load()
	s.mu.RUnlock()
	if reg.gen == mt.Gen && cat.rev == mt.Rev {
		return cat, reg, mt, nil
	}
	cat, reg, err = s.load(ctx, txn)
	return cat, reg, mt, err
}

// ImportTx is [Store.Import] inside the caller's transaction txn (of the
// Store's DB): it validates, writes into txn and returns the change to
// [Pending.Apply] once txn committed. Nothing is written when it fails.
// Several ImportTx and PutModelTx may share one transaction; each sees the
// writes of the ones before.
func (s *Store) ImportTx(ctx context.Context, txn kv.Txn, d *Data, models map[string]*configurator.Model) (*Pending, error) {
	return s.ImportReplaceTx(ctx, txn, d, models, Replace{})
}

// ImportReplaceTx is [Store.ImportReplace] inside the caller's transaction
// txn, as [Store.ImportTx].
func (s *Store) ImportReplaceTx(ctx context.Context, txn kv.Txn, d *Data, models map[string]*configurator.Model, r Replace) (*Pending, error) {
	given := map[string]*Model{}
	for _, name := range slices.Sorted(maps.Keys(models)) {
		m := models[name]
		if m.Name != name {
			return nil, fmt.Errorf("%w: model %q is named %q", ErrInvalid, name, m.Name)
		}
		cm, err := s.models.get(ctx, recordOf(m), m)
		if err != nil {
			return nil, err
		}
		given[name] = cm
	}
	return s.importTx(ctx, txn, d, given, r)
}

// ImportTextsTx is [Store.ImportTexts] inside the caller's transaction
// txn, as [Store.ImportTx].
func (s *Store) ImportTextsTx(ctx context.Context, txn kv.Txn, d *Data, models []ModelText, r Replace) (*Pending, error) {
	given := map[string]*Model{}
	for _, t := range models {
		rec, err := t.record()
		if err != nil {
			return nil, err
		}
		m, err := s.models.get(ctx, rec, nil)
		if err != nil {
			return nil, err
		}
		if prev := given[m.name]; prev != nil {
			return nil, fmt.Errorf("%w: %s: model %s given twice (also in %s)", ErrInvalid, rec.File, m.name, prev.file)
		}
		given[m.name] = m
	}
	return s.importTx(ctx, txn, d, given, r)
}

// importTx validates d merged into the stored master data with the models
// given (compiled, by name) and writes it into txn. The revision goes up
// unless what variants are resolved from stays the same (see sameBasis).
func (s *Store) importTx(ctx context.Context, txn kv.Txn, d *Data, given map[string]*Model, r Replace) (*Pending, error) {
	old, oldReg, mt, err := s.base(ctx, txn)
	if err != nil {
		return nil, err
	}
	merged, changed := mergeData(old.data, d, r)
	ms, err := s.usedModels(ctx, merged, oldReg, given)
	if err != nil {
		return nil, err
	}
	names := oldReg.sortedNames()
	for name := range given {
		if oldReg.names[name] == nil {
			names = append(names, name)
		}
	}
	cat, err := buildCatalog(merged, ms, names)
	if err != nil {
		return nil, err
	}
	if err := cat.configurableBuys(); err != nil {
		return nil, err
	}
	cat.rev = mt.Rev
	if !sameBasis(old, cat) {
		cat.rev++
	}
	cat.data = merged
	var fresh []*Model
	for _, name := range slices.Sorted(maps.Keys(given)) {
		if e := oldReg.names[name]; e == nil || e.rec.key() != given[name].textKey {
			fresh = append(fresh, given[name])
		}
	}
	reg := oldReg.with(mt.Gen+1, fresh...)

	w := &writer{txn: txn}
	w.json(pMeta, meta{Version: storeVersion, Rev: cat.rev, Gen: reg.gen})
	for _, id := range changed.items {
		w.del(pItem + id)
	}
	for _, it := range d.Items {
		w.json(pItem+it.ID, it)
	}
	for _, id := range changed.workCenters {
		w.del(pWC + id)
	}
	for _, wc := range d.WorkCenters {
		w.json(pWC+wc.ID, wc)
	}
	// in key order (the B-tree takes ordered inserts at a fraction of the
	// cost of random ones); the where-used entries of the old super BOMs go,
	// then the new ones come
	var used []string
	for _, parent := range slices.Sorted(maps.Keys(changed.parents)) {
		for _, c := range old.kids[parent] {
			w.del(pUsed + c + "\x00" + parent)
		}
		ls := make([]*Line, 0, len(cat.lines[parent]))
		for _, l := range cat.lines[parent] {
			ls = append(ls, l.Line)
		}
		if len(ls) == 0 {
			w.del(pBOM + parent)
		} else {
			w.json(pBOM+parent, ls)
		}
		for _, c := range cat.kids[parent] {
			used = append(used, pUsed+c+"\x00"+parent)
		}
	}
	slices.Sort(used)
	for _, k := range used {
		w.set(k, nil)
	}
	for _, item := range slices.Sorted(maps.Keys(changed.routings)) {
		os := make([]*Op, 0, len(cat.ops[item]))
		for _, o := range cat.ops[item] {
			os = append(os, o.Op)
		}
		if len(os) == 0 {
			w.del(pRtg + item)
		} else {
			w.json(pRtg+item, os)
		}
	}
	for _, m := range fresh {
		w.json(pModel+m.name, modelRecord{File: m.file, Source: string(m.src)})
	}
	if w.err != nil {
		return nil, w.err
	}
	return &Pending{s: s, cat: cat, reg: reg}, nil
}

// sameBasis reports whether b resolves every variant as a does: the same
// items, BOM lines, operations and work centers (where they came from
// aside: a row's file and position) and the used models of the same
// canonical text. A write that leaves it so keeps the revision, and with
// it the variant IDs handed out.
func sameBasis(a, b *catalog) bool {
	if len(a.models) != len(b.models) {
		return false
	}
	for i, m := range a.models {
		if m.name != b.models[i].name || m.digest != b.models[i].digest {
			return false
		}
	}
	sameItem := func(x, y *Item) bool {
		x1, y1 := *x, *y
		x1.Src, y1.Src = Pos{}, Pos{}
		return x1 == y1
	}
	sameWC := func(x, y *WorkCenter) bool {
		x1, y1 := *x, *y
		x1.Src, y1.Src = Pos{}, Pos{}
		return x1 == y1
	}
	sameLines := func(x, y []*cline) bool {
		return slices.EqualFunc(x, y, func(l, m *cline) bool {
			l1, m1 := *l.Line, *m.Line
			l1.Src, l1.condCol, l1.qtyCol = Pos{}, 0, 0
			m1.Src, m1.condCol, m1.qtyCol = Pos{}, 0, 0
			return l1 == m1
		})
	}
	sameOps := func(x, y []*cop) bool {
		return slices.EqualFunc(x, y, func(o, p *cop) bool {
			o1, p1 := *o.Op, *p.Op
			o1.Src, o1.condCol = Pos{}, 0
			p1.Src, p1.condCol = Pos{}, 0
			return o1 == p1
		})
	}
	return maps.EqualFunc(a.items, b.items, sameItem) && maps.EqualFunc(a.wcs, b.wcs, sameWC) &&
		maps.EqualFunc(a.lines, b.lines, sameLines) && maps.EqualFunc(a.ops, b.ops, sameOps)
}

// PutModel stores a product model's source text (file names it in errors
// and positions) under the model's name, replacing any model of that name,
// in one transaction. When items use the model, the master data is checked
// against the new text (conditions and quantity formulas must still parse)
// and the revision goes up unless its canonical text stays the same; on any
// problem nothing is stored. Storing the text (and file name) stored
// already writes nothing. A file name whose extension names another format
// ([configurator.IsForeign]: .uvl, .dimacs, .cnf, .xml) is read as that
// format and stored as the .ctm model it reads as, under the name with
// .ctm.
func (s *Store) PutModel(ctx context.Context, file string, src []byte) (*Model, error) {
	s.imp.Lock()
	defer s.imp.Unlock()
	var (
		m *Model
		p *Pending
	)
	err := s.db.Update(ctx, func(txn kv.Txn) error {
		var err error
		m, p, err = s.PutModelTx(ctx, txn, file, src)
		return err
	})
	if err != nil {
		if errors.Is(err, ErrInvalid) {
			return nil, err
		}
		return nil, fmt.Errorf("bom: put model: %w", err)
	}
	p.Apply()
	return m, nil
}

// PutModelTx is [Store.PutModel] inside the caller's transaction txn (see
// [Store.ImportTx]).
func (s *Store) PutModelTx(ctx context.Context, txn kv.Txn, file string, src []byte) (*Model, *Pending, error) {
	rec, err := ModelText{File: file, Source: src}.record()
	if err != nil {
		return nil, nil, err
	}
	m, err := s.models.get(ctx, rec, nil)
	if err != nil {
		return nil, nil, err
	}
	old, oldReg, mt, err := s.base(ctx, txn)
	if err != nil {
		return nil, nil, err
	}
	if e := oldReg.names[m.name]; e != nil && e.rec == rec {
		// stored already: nothing to write (a reloaded state is published)
		p := &Pending{s: s}
		if old != s.cat.Load() {
			p.cat, p.reg = old, oldReg
		}
		m, err := s.models.compiled(ctx, e)
		return m, p, err
	}
	reg := oldReg.with(mt.Gen+1, m)
	var cat *catalog
	rev := mt.Rev
	if _, used := old.byName[m.name]; used {
		ms, err := s.usedModels(ctx, old.data, reg, nil)
		if err != nil {
			return nil, nil, err
		}
		if cat, err = buildCatalog(old.data, ms, reg.sortedNames()); err != nil {
			return nil, nil, err
		}
		if !sameBasis(old, cat) {
			rev++
		}
		cat.rev = rev
		cat.data = old.data
	} else if old != s.cat.Load() {
		cat = old // reloaded: publish what was read
	}
	w := &writer{txn: txn}
	w.json(pMeta, meta{Version: storeVersion, Rev: rev, Gen: reg.gen})
	w.json(pModel+m.name, rec)
	if w.err != nil {
		return nil, nil, w.err
	}
	return m, &Pending{s: s, cat: cat, reg: reg}, nil
}

// StoredModel returns the product model called name from the registry,
// compiling it on first use.
func (s *Store) StoredModel(ctx context.Context, name string) (*Model, error) {
	e := s.reg.Load().names[name]
	if e == nil {
		return nil, fmt.Errorf("%w: model %q", ErrNotFound, name)
	}
	return s.models.compiled(ctx, e)
}

// ModelNames returns the names of the stored product models, sorted.
func (s *Store) ModelNames() []string { return s.reg.Load().sortedNames() }

type changes struct {
	parents, routings map[string]bool
	// items and work centers deleted (by a Replace)
	items, workCenters []string
}

// mergeData applies d on top of base (nil: empty) as Import describes,
// each kind r names replacing that kind of base whole.
func mergeData(base, d *Data, r Replace) (*Data, changes) {
	if base == nil {
		base = &Data{}
	}
	ch := changes{parents: map[string]bool{}, routings: map[string]bool{}}
	for _, l := range d.Lines {
		ch.parents[l.Parent] = true
	}
	if r.BOM {
		for _, l := range base.Lines {
			ch.parents[l.Parent] = true
		}
	}
	for _, o := range d.Ops {
		ch.routings[o.Item] = true
	}
	if r.Routings {
		for _, o := range base.Ops {
			ch.routings[o.Item] = true
		}
	}
	out := &Data{}
	newItems := map[string]bool{}
	for _, it := range d.Items {
		newItems[it.ID] = true
	}
	for _, it := range base.Items {
		switch {
		case newItems[it.ID]:
		case r.Items:
			ch.items = append(ch.items, it.ID)
		default:
			out.Items = append(out.Items, it)
		}
	}
	out.Items = append(out.Items, d.Items...)
	newWC := map[string]bool{}
	for _, w := range d.WorkCenters {
		newWC[w.ID] = true
	}
	for _, w := range base.WorkCenters {
		switch {
		case newWC[w.ID]:
		case r.WorkCenters:
			ch.workCenters = append(ch.workCenters, w.ID)
		default:
			out.WorkCenters = append(out.WorkCenters, w)
		}
	}
	out.WorkCenters = append(out.WorkCenters, d.WorkCenters...)
	for _, l := range base.Lines {
		if !ch.parents[l.Parent] {
			out.Lines = append(out.Lines, l)
		}
	}
	out.Lines = append(out.Lines, d.Lines...)
	for _, o := range base.Ops {
		if !ch.routings[o.Item] {
			out.Ops = append(out.Ops, o)
		}
	}
	out.Ops = append(out.Ops, d.Ops...)
	return out, ch
}

// writer collects the first error of a series of writes.
type writer struct {
	txn kv.Txn
	err error
}

func (w *writer) set(k string, v []byte) {
	if w.err == nil {
		w.err = w.txn.Set([]byte(k), v)
	}
}

func (w *writer) del(k string) {
	if w.err == nil {
		w.err = w.txn.Delete([]byte(k))
	}
}

func (w *writer) json(k string, v any) {
	if w.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		w.err = err
		return
	}
	w.set(k, b)
}

// lineJSON and opJSON are a super BOM line and an operation as the store
// keeps them: with the columns of their condition and quantity formula in
// the CSV row, so that a stored row checked again (against a new model
// text) is reported at the column of the problem, as at its import.
type (
	lineFields Line
	opFields   Op
	lineJSON   struct {
		*lineFields
		CondCol int `json:"cc,omitempty"`
		QtyCol  int `json:"qc,omitempty"`
	}
	opJSON struct {
		*opFields
		CondCol int `json:"cc,omitempty"`
	}
)

// MarshalJSON writes the line as the store keeps it.
func (l *Line) MarshalJSON() ([]byte, error) {
	return json.Marshal(lineJSON{(*lineFields)(l), l.condCol, l.qtyCol})
}

// UnmarshalJSON reads a line as the store keeps it.
func (l *Line) UnmarshalJSON(b []byte) error {
	j := lineJSON{lineFields: (*lineFields)(l)}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	l.condCol, l.qtyCol = j.CondCol, j.QtyCol
	return nil
}

// MarshalJSON writes the operation as the store keeps it.
func (o *Op) MarshalJSON() ([]byte, error) {
	return json.Marshal(opJSON{(*opFields)(o), o.condCol})
}

// UnmarshalJSON reads an operation as the store keeps it.
func (o *Op) UnmarshalJSON(b []byte) error {
	j := opJSON{opFields: (*opFields)(o)}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	o.condCol = j.CondCol
	return nil
}

// variantRecord is what the store keeps per variant.
type variantRecord struct {
	Item   string                     `json:"item"`
	Key    string                     `json:"key,omitempty"`
	Epoch  Date                       `json:"epoch,omitempty"`
	Root   string                     `json:"root"`
	Config configurator.Configuration `json:"cfg,omitempty"`
}

func variantID(item, key string, ep Date) string {
	h := sha256.New()
	h.Write([]byte(item))
	h.Write([]byte{0})
	h.Write([]byte(key))
	var b [5]byte
	binary.BigEndian.PutUint32(b[1:], uint32(ep))
	h.Write(b[:])
	var sum [32]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

func variantKey(rev uint64, id string) []byte {
	k := make([]byte, 0, len(pVar)+8+32)
	k = append(k, pVar...)
	k = binary.BigEndian.AppendUint64(k, rev)
	b, _ := hex.DecodeString(id)
	return append(k, b...)
}

// Resolve returns the variant of item for configuration cfg on the day of
// at: the exact multi-level BOM and routing. cfg must be a full valid
// configuration of the item's model (an invalid one gives an error wrapping
// configurator.ErrInvalidConfiguration that carries the minimal conflict as
// a *configurator.ConflictError); a standard item takes a nil cfg.
//
// A configuration seen before is a cache lookup; a new one is validated,
// resolved, and stored with its new nodes in one transaction.
func (s *Store) Resolve(ctx context.Context, item string, cfg configurator.Configuration, at time.Time) (*Variant, error) {
	return s.resolve(ctx, item, cfg, at, true)
}

// ResolveTransient is [Store.Resolve] that writes nothing: a variant
// stored before is returned as Resolve returns it, a new one is resolved in
// memory and neither stored nor cached (not even its nodes or the check of
// a passed-down configuration), so the caller holds its only reference and
// it is garbage once dropped. It is for reads that need a variant (a
// quote, a cost or lead time on a new date) without letting every such
// read grow the store. Resolve it later to keep it: the same configuration
// gives the same ID and nodes.
func (s *Store) ResolveTransient(ctx context.Context, item string, cfg configurator.Configuration, at time.Time) (*Variant, error) {
	return s.resolve(ctx, item, cfg, at, false)
}

func (s *Store) resolve(ctx context.Context, item string, cfg configurator.Configuration, at time.Time, persist bool) (*Variant, error) {
	v, publish, err := s.resolveIn(ctx, nil, item, cfg, at, persist)
	if err != nil || publish == nil {
		return v, err
	}
	return publish(), nil
}

// resolveIn resolves as [Store.Resolve]; a new variant is written into txn
// (nil: a transaction of its own, committed before it returns) and
// publish, called after the commit, caches it and returns the variant to
// hand out. publish is nil when nothing was written.
func (s *Store) resolveIn(ctx context.Context, txn kv.Txn, item string, cfg configurator.Configuration, at time.Time, persist bool) (*Variant, func() *Variant, error) {
	v, write, publish, err := s.prepare(ctx, item, cfg, at, persist)
	if err != nil || write == nil {
		return v, nil, err
	}
	if txn != nil {
		err = write(txn)
	} else {
		err = s.db.Update(ctx, write)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("bom: store variant of %s: %w", item, err)
	}
	return v, publish, nil
}

// prepare resolves as [Store.Resolve] and writes nothing: a new variant
// comes with write, which writes it and its new nodes into a transaction,
// and publish, to call after that transaction committed (see resolveIn).
// write and publish are nil when there is nothing to store (a variant
// stored or cached before, or persist unset).
func (s *Store) prepare(ctx context.Context, item string, cfg configurator.Configuration, at time.Time, persist bool) (v *Variant, write func(kv.Txn) error, publish func() *Variant, err error) {
	cat := s.cat.Load()
	it := cat.items[item]
	if it == nil {
		return nil, nil, nil, fmt.Errorf("%w: item %q%s", ErrNotFound, item, suggestItem(cat, item))
	}
	ep := cat.epoch(DateOf(at))
	var m *Model
	var key string
	var arr [1024]byte
	fast, fastOK := arr[:0], false
	if it.Model != "" {
		m = cat.models[cat.byName[it.Model]]
		if fast, fastOK = exactKey(fast, item, ep, m, cfg); fastOK {
			s.mu.RLock()
			v := s.seen[string(fast)]
			s.mu.RUnlock()
			if v != nil && v.cat == cat {
				return v, nil, nil, nil
			}
		}
		if cfg == nil {
			return nil, nil, nil, fmt.Errorf("%w: %s is configured by model %s; give a configuration", ErrNotConfigurable, item, m.name)
		}
		var err error
		if key, err = m.key(cfg); err != nil {
			return nil, nil, nil, fmt.Errorf("bom: %s: %w", item, err)
		}
	} else if len(cfg) > 0 {
		return nil, nil, nil, fmt.Errorf("%w: %s has no model; resolve it without a configuration", ErrNotConfigurable, item)
	}
	id := variantID(item, key, ep)
	s.mu.RLock()
	v = s.variants[id]
	s.mu.RUnlock()
	if v != nil && v.cat == cat {
		s.remember(persist && fastOK, fast, v)
		return v, nil, nil, nil
	}
	if v, err := s.loadVariant(ctx, cat, id); v != nil || err != nil {
		if v != nil {
			s.remember(persist && fastOK, fast, v)
		}
		return v, nil, nil, err
	}

	var cc *cfgCtx
	if m != nil {
		if err := m.validate(ctx, cfg); err != nil {
			return nil, nil, nil, fmt.Errorf("bom: %s: %w", item, err)
		}
		cc = &cfgCtx{mi: cat.byName[it.Model], cfg: canonicalConfig(m, cfg), key: key}
	}
	r := newResolver(ctx, cat, DateOf(at))
	r.known = s.node
	r.check = s.checkConfig
	if !persist {
		r.check = s.checkConfigOnce
	}
	r.sub = s.subNode
	root, err := r.resolveNode(item, cc)
	if err != nil {
		return nil, nil, nil, err
	}
	var cfgCopy configurator.Configuration
	if cc != nil {
		cfgCopy = cc.cfg
	}
	var more func(Hash) *Node
	if r.partial {
		more = s.node
	}
	v = newVariant(cat, id, item, key, cfgCopy, ep, root.Hash, r.nodes, more)
	if !persist {
		return v, nil, nil, nil
	}
	rec, err := json.Marshal(variantRecord{Item: item, Key: key, Epoch: ep, Root: root.Hash.String(), Config: cfgCopy})
	if err != nil {
		return nil, nil, nil, err
	}
	// the closures keep what they need of r, not r (its memo maps): a
	// caller may hold many prepared variants (ResolveStandard)
	fresh, subNew := r.fresh, r.subNew
	write = func(txn kv.Txn) error {
		for _, f := range fresh {
			if err := txn.Set(nodeKey(f.n.Hash), f.enc); err != nil {
				return err
			}
		}
		return txn.Set(variantKey(cat.rev, id), rec)
	}
	fk := "" // not the slice: it lives on the stack
	if fastOK {
		fk = string(fast)
	}
	return v, write, func() *Variant { return s.publish(cat, fresh, subNew, id, v, fk) }, nil
}

// publish caches a variant that was stored (and its new nodes) and returns
// the one to hand out: an equal variant cached meanwhile wins.
// fastKey is the exact key of the configuration ("" when it has none).
func (s *Store) publish(cat *catalog, fresh []freshNode, subNew map[string]Hash, id string, v *Variant, fastKey string) *Variant {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range fresh {
		if old := s.nodes[f.n.Hash]; old == nil {
			s.nodes[f.n.Hash] = f.n
		}
	}
	if s.cat.Load() != cat {
		return v // an import came in between: do not cache
	}
	for k, h := range subNew {
		s.sub[k] = h
	}
	if old := s.variants[id]; old != nil {
		v = old
	}
	s.variants[id] = v
	if fastKey != "" {
		s.seen[fastKey] = v
	}
	return v
}

// Epochs returns the first days of the effectivity epochs that overlap the
// days from..to (both included): from itself, then every later day up to
// to on which some line's effectivity starts or ends. Resolving any item on
// any day gives the same result as on the latest of these days on or
// before it, so these are the only days a plan over from..to needs to
// resolve a BOM on. The times are midnight UTC.
func (s *Store) Epochs(from, to time.Time) []time.Time {
	cat := s.cat.Load()
	f, t := DateOf(from), DateOf(to)
	out := []time.Time{f.Time()}
	i := sort.Search(len(cat.changes), func(i int) bool { return cat.changes[i] > f })
	for ; i < len(cat.changes) && cat.changes[i] <= t; i++ {
		out = append(out, cat.changes[i].Time())
	}
	return out
}

func (s *Store) remember(ok bool, key []byte, v *Variant) {
	if !ok {
		return
	}
	s.mu.Lock()
	if s.cat.Load() == v.cat {
		s.seen[string(key)] = v
	}
	s.mu.Unlock()
}

// exactKey appends an exact, unambiguous text of (item, epoch, cfg): the
// values of every characteristic of m in model order, each value list
// sorted. Equal texts mean equal configurations, so a hit in Store.seen is
// sound; configurations that differ only in spelling are merely missed
// there and found by the configurator's key. ok is false when cfg has
// characteristics m does not have.
func exactKey(buf []byte, item string, ep Date, m *Model, cfg configurator.Configuration) ([]byte, bool) {
	buf = appendString(buf, item)
	buf = binary.AppendVarint(buf, int64(ep))
	n := 0
	for _, ch := range m.m.Chars {
		vs, ok := cfg[ch.Name]
		if !ok {
			return buf, false
		}
		n++
		buf = binary.AppendUvarint(buf, uint64(len(vs)))
		if len(vs) > 1 && !slices.IsSorted(vs) {
			vs = slices.Sorted(slices.Values(vs))
		}
		for _, v := range vs {
			buf = appendString(buf, v)
		}
	}
	return buf, n == len(cfg)
}

// canonicalConfig copies a validated configuration with every value spelled
// as the model's domain spells it. The configurator accepts an int value in
// any decimal spelling ("04", "+4") and keys it like "4", but conditions
// compare values as text: evaluating the raw spelling would resolve another
// BOM under the same variant id.
//
// A full configuration may leave out a multi-valued or an optional
// characteristic (none chosen: its key is that of an empty entry); the
// canonical one has the empty entry, so that conditions reading it see
// no value rather than no entry, as the configuration's key (and so a
// variant resolved before from the spelled-out configuration) does.
func canonicalConfig(m *Model, cfg configurator.Configuration) configurator.Configuration {
	out := make(configurator.Configuration, len(cfg))
	for _, ch := range m.m.Chars {
		if _, ok := cfg[ch.Name]; !ok && (ch.Kind == configurator.Multi || ch.Kind == configurator.Single && ch.Optional) {
			out[ch.Name] = []string{}
		}
	}
	for k, vs := range cfg {
		vs = slices.Clone(vs)
		if ch := m.m.Char(k); ch != nil && ch.Kind == configurator.Int {
			for i, v := range vs {
				if n, err := strconv.ParseInt(v, 10, 64); err == nil {
					vs[i] = strconv.FormatInt(n, 10)
				}
			}
		}
		out[k] = vs
	}
	return out
}

func nodeKey(h Hash) []byte {
	return append([]byte(pNode), h[:]...)
}

func (s *Store) subNode(key string) *Node {
	s.mu.RLock()
	defer s.mu.RUnlock()
	h, ok := s.sub[key]
	if !ok {
		return nil
	}
	return s.nodes[h]
}

func (s *Store) node(h Hash) *Node {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.nodes[h]
}

// checkConfig validates a passed-down configuration once per model and key.
func (s *Store) checkConfig(ctx context.Context, m *Model, key string, cfg configurator.Configuration) error {
	ck := m.name + "\x00" + key
	s.mu.RLock()
	ok := s.checked[ck]
	s.mu.RUnlock()
	if ok {
		return nil
	}
	if err := m.validate(ctx, cfg); err != nil {
		return err
	}
	s.mu.Lock()
	s.checked[ck] = true
	s.mu.Unlock()
	return nil
}

// checkConfigOnce is checkConfig without remembering a new check.
func (s *Store) checkConfigOnce(ctx context.Context, m *Model, key string, cfg configurator.Configuration) error {
	s.mu.RLock()
	ok := s.checked[m.name+"\x00"+key]
	s.mu.RUnlock()
	if ok {
		return nil
	}
	return m.validate(ctx, cfg)
}

// loadVariant reads a variant of the current revision from the store.
//
// The store is the truth and s.nodes only a cache of it: a variant record
// is committed together with its new nodes, but another Resolve publishes
// those nodes in s.nodes only after its commit. A reader that finds the
// record in that window reads the nodes it lacks from the same read
// transaction (which sees the record, so it sees the nodes too) instead of
// reporting them missing.
func (s *Store) loadVariant(ctx context.Context, cat *catalog, id string) (*Variant, error) {
	var rec variantRecord
	var root Hash
	found := false
	nodes := map[Hash]*Node{}
	loaded := map[Hash]*Node{} // read from the store, not yet in s.nodes
	err := s.db.View(ctx, func(txn kv.Txn) error {
		b, err := txn.Get(variantKey(cat.rev, id))
		if errors.Is(err, kv.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		if err := json.Unmarshal(b, &rec); err != nil {
			return err
		}
		if root, err = ParseHash(rec.Root); err != nil {
			return err
		}
		var walk func(h Hash) error
		walk = func(h Hash) error {
			if nodes[h] != nil {
				return nil
			}
			n := s.node(h)
			if n == nil {
				b, err := txn.Get(nodeKey(h))
				if errors.Is(err, kv.ErrNotFound) {
					return fmt.Errorf("%w: node %s of variant %s is missing from the store", ErrNotFound, h, id)
				}
				if err != nil {
					return err
				}
				if n, err = decodeNode(bytes.Clone(b), h); err != nil {
					return err
				}
				loaded[h] = n
			}
			nodes[h] = n
			for _, l := range n.Lines {
				if !l.Child.IsZero() {
					if err := walk(l.Child); err != nil {
						return err
					}
				}
			}
			return nil
		}
		return walk(root)
	})
	if err != nil || !found {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for h, n := range loaded {
		if old := s.nodes[h]; old != nil {
			nodes[h] = old
		} else {
			s.nodes[h] = n
		}
	}
	v := newVariant(cat, id, rec.Item, rec.Key, rec.Config, rec.Epoch, root, nodes, nil)
	if s.cat.Load() == cat {
		if old := s.variants[id]; old != nil {
			return old, nil
		}
		s.variants[id] = v
	}
	return v, nil
}

// Variant returns a variant of the current master-data revision by its ID.
func (s *Store) Variant(ctx context.Context, id string) (*Variant, error) {
	cat := s.cat.Load()
	s.mu.RLock()
	v := s.variants[id]
	s.mu.RUnlock()
	if v != nil && v.cat == cat {
		return v, nil
	}
	if len(id) != 64 {
		return nil, fmt.Errorf("%w: variant %q", ErrNotFound, id)
	}
	if _, err := hex.DecodeString(id); err != nil {
		return nil, fmt.Errorf("%w: variant %q", ErrNotFound, id)
	}
	v, err := s.loadVariant(ctx, cat, id)
	if err == nil && v == nil {
		err = s.unknownVariant(ctx, cat.rev, id)
	}
	return v, err
}

// oldRevisions is how many revisions before the current one
// [Store.Variant] looks through for an unknown variant ID (one read each),
// to say that it is an old one.
const oldRevisions = 1000

// unknownVariant is the error for a variant ID that is not in revision
// rev: an [*OldVariantError] when one of the revisions before has it.
func (s *Store) unknownVariant(ctx context.Context, rev uint64, id string) error {
	var found uint64
	err := s.db.View(ctx, func(txn kv.Txn) error {
		for r := rev; r > 0 && rev-r < oldRevisions; r-- {
			_, err := txn.Get(variantKey(r-1, id))
			if errors.Is(err, kv.ErrNotFound) {
				continue
			}
			if err == nil {
				found = r
			}
			return err
		}
		return nil
	})
	switch {
	case err != nil:
		return err
	case found > 0:
		return &OldVariantError{ID: id, Revision: found - 1, Current: rev}
	}
	return fmt.Errorf("%w: variant %s (in master-data revision %d)", ErrNotFound, id, rev)
}

// Node returns a stored node by hash.
func (s *Store) Node(h Hash) (*Node, error) {
	if n := s.node(h); n != nil {
		return n, nil
	}
	return nil, fmt.Errorf("%w: node %s", ErrNotFound, h)
}

// Item returns an item of the master data (do not modify it).
func (s *Store) Item(id string) (*Item, error) {
	cat := s.cat.Load()
	if it := cat.items[id]; it != nil {
		return it, nil
	}
	return nil, fmt.Errorf("%w: item %q%s", ErrNotFound, id, suggestItem(cat, id))
}

// Items returns every item, sorted by id (do not modify them).
func (s *Store) Items() []*Item {
	cat := s.cat.Load()
	out := make([]*Item, len(cat.ids))
	for i, id := range cat.ids {
		out[i] = cat.items[id]
	}
	return out
}

// Lines returns the super BOM of parent in position order (do not modify).
func (s *Store) Lines(parent string) []*Line {
	cat := s.cat.Load()
	out := make([]*Line, len(cat.lines[parent]))
	for i, l := range cat.lines[parent] {
		out[i] = l.Line
	}
	return out
}

// Routing returns the routing of item in operation order (do not modify).
func (s *Store) Routing(item string) []*Op {
	cat := s.cat.Load()
	out := make([]*Op, len(cat.ops[item]))
	for i, o := range cat.ops[item] {
		out[i] = o.Op
	}
	return out
}

// WorkCenters returns every work center, sorted by id (do not modify).
func (s *Store) WorkCenters() []*WorkCenter {
	cat := s.cat.Load()
	out := make([]*WorkCenter, 0, len(cat.wcs))
	for _, id := range slices.Sorted(maps.Keys(cat.wcs)) {
		out = append(out, cat.wcs[id])
	}
	return out
}

// Model returns the compiled product model called name (see
// [Store.StoredModel]).
func (s *Store) Model(name string) (*configurator.Compiled, error) {
	m, err := s.StoredModel(context.Background(), name)
	if err != nil {
		return nil, err
	}
	return m.c, nil
}

// LowLevelCodes returns the low-level code of every item: 0 for items used
// by no line, otherwise one more than the highest code of its parents, over
// the whole super BOM (all conditions, all effectivity periods). MRP plans
// items in increasing code order.
func (s *Store) LowLevelCodes() map[string]int { return s.cat.Load().levels() }

// WhereUsed returns the super BOM lines that use item (one level up), by
// parent and position.
func (s *Store) WhereUsed(item string) []*Line {
	cat := s.cat.Load()
	var out []*Line
	for _, p := range cat.parents[item] {
		for _, l := range cat.lines[p] {
			if l.Component == item {
				out = append(out, l.Line)
			}
		}
	}
	return out
}

// WhereUsedTop returns the top-level items (used by no line) that contain
// item at any depth, sorted; an item that is itself top-level is its own
// answer.
func (s *Store) WhereUsedTop(item string) []string {
	cat := s.cat.Load()
	if cat.items[item] == nil {
		return nil
	}
	seen := map[string]bool{item: true}
	stack := []string{item}
	var tops []string
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		ps := cat.parents[id]
		if len(ps) == 0 {
			tops = append(tops, id)
		}
		for _, p := range ps {
			if !seen[p] {
				seen[p] = true
				stack = append(stack, p)
			}
		}
	}
	slices.Sort(tops)
	return tops
}

// Stats counts what the store holds.
type Stats struct {
	Revision                  uint64
	Items, Parents, Routings  int
	WorkCenters, Models, Used int
	// Nodes and Variants count stored resolved nodes and variant records
	// (of every revision); the Bytes fields are their keys plus values.
	Nodes, Variants         int
	NodeBytes, VariantBytes int64
}

// Stats scans the store and counts its keys.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	st := Stats{Revision: s.Revision()}
	err := s.db.View(ctx, func(txn kv.Txn) error {
		return kv.ScanPrefix(txn, []byte("bom/"), func(k, v []byte) error {
			ks := string(k)
			n := int64(len(k) + len(v))
			switch {
			case strings.HasPrefix(ks, pItem):
				st.Items++
			case strings.HasPrefix(ks, pBOM):
				st.Parents++
			case strings.HasPrefix(ks, pRtg):
				st.Routings++
			case strings.HasPrefix(ks, pWC):
				st.WorkCenters++
			case strings.HasPrefix(ks, pModel):
				st.Models++
			case strings.HasPrefix(ks, pUsed):
				st.Used++
			case strings.HasPrefix(ks, pNode):
				st.Nodes++
				st.NodeBytes += n
			case strings.HasPrefix(ks, pVar):
				st.Variants++
				st.VariantBytes += n
			}
			return nil
		})
	})
	return st, err
}

// DB returns the database the Store lives in.
func (s *Store) DB() kv.DB { return s.db }
