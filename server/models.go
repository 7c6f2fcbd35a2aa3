package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sort"
	"sync"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
)

// Models live in the store as their source text (so positions in errors and
// explanations point into the file the engineer wrote) and are compiled once
// per process, on first use, then cached.
var modelPrefix = []byte("server/model/")

func modelKey(name string) []byte { return append(append([]byte(nil), modelPrefix...), name...) }

type storedModel struct {
	File   string `json:"file"`
	Source string `json:"source"`
}

// compiledModel is a parsed and compiled model with its stored text.
type compiledModel struct {
	stored   storedModel
	model    *configurator.Model
	compiled *configurator.Compiled
	digest   string
	values   valueSets
	memo     *propMemo // nil when disabled
}

type modelCache struct {
	db       kv.DB
	memoSize int // Options.PropagateMemo
	mu       sync.Mutex
	// byName holds one entry per model name; the entry's once compiles it.
	byName map[string]*modelEntry
}

type modelEntry struct {
	once sync.Once
	m    *compiledModel
	err  error
}

func newModelCache(db kv.DB, memoSize int) *modelCache {
	return &modelCache{db: db, memoSize: memoSize, byName: map[string]*modelEntry{}}
}

// compileSource parses and compiles a model text.
func compileSource(ctx context.Context, file, src string) (*compiledModel, error) {
	m, err := configurator.Parse(file, []byte(src))
	if err != nil {
		return nil, err
	}
	c, err := configurator.CompileContext(ctx, m)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(configurator.Format(m))
	return &compiledModel{
		stored:   storedModel{File: file, Source: src},
		model:    m,
		compiled: c,
		digest:   hex.EncodeToString(sum[:]),
		values:   newValueSets(m),
	}, nil
}

// put compiles src and stores it under the model's name, replacing any
// model of that name. Nothing is stored when it does not compile or when
// with fails: with runs with a context that joins the model's write to the
// next BOM-store transaction it makes (see updateJoined), so that a model
// the BOM uses changes in both places in one transaction. with may be nil.
func (mc *modelCache) put(ctx context.Context, file, src string, with func(context.Context, *compiledModel) error) (*compiledModel, error) {
	cm, err := compileSource(ctx, file, src)
	if err != nil {
		return nil, err
	}
	if cm.model.Name == "" {
		return nil, badField("source", "the model has no name")
	}
	var w func(context.Context) error
	if with != nil {
		w = func(ctx context.Context) error { return with(ctx, cm) }
	}
	if err := mc.store(ctx, []*compiledModel{cm}, w); err != nil {
		return nil, err
	}
	return cm, nil
}

// store writes compiled models (see put) in one transaction, joined to the
// BOM-store transaction with makes, if any, and caches them once committed.
func (mc *modelCache) store(ctx context.Context, cms []*compiledModel, with func(context.Context) error) error {
	vals := make([][]byte, len(cms))
	for i, cm := range cms {
		val, err := json.Marshal(cm.stored)
		if err != nil {
			return err
		}
		vals[i] = val
	}
	write := func(txn kv.Txn) error {
		for i, cm := range cms {
			if err := txn.Set(modelKey(cm.model.Name), vals[i]); err != nil {
				return err
			}
		}
		return nil
	}
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if err := updateJoined(ctx, mc.db, write, with); err != nil {
		return err
	}
	for _, cm := range cms {
		cm.memo = newPropMemo(mc.memoSize)
		e := &modelEntry{m: cm}
		e.once.Do(func() {})
		mc.byName[cm.model.Name] = e
	}
	return nil
}

// get returns the compiled model called name, compiling the stored text on
// first use.
func (mc *modelCache) get(ctx context.Context, name string) (*compiledModel, error) {
	if name == "" {
		return nil, badField("model", "missing model name")
	}
	mc.mu.Lock()
	e, ok := mc.byName[name]
	if !ok {
		e = &modelEntry{}
		mc.byName[name] = e
	}
	mc.mu.Unlock()
	e.once.Do(func() {
		var val []byte
		err := mc.db.View(ctx, func(txn kv.Txn) error {
			var err error
			val, err = txn.Get(modelKey(name))
			return err
		})
		if err != nil {
			e.err = err
			return
		}
		var sm storedModel
		if err := json.Unmarshal(val, &sm); err != nil {
			e.err = err
			return
		}
		e.m, e.err = compileSource(ctx, sm.File, sm.Source)
		if e.err == nil {
			e.m.memo = newPropMemo(mc.memoSize)
		}
	})
	if e.err != nil {
		// Do not cache failures: the model may be stored later, or the
		// failure was a deadline.
		mc.mu.Lock()
		if mc.byName[name] == e {
			delete(mc.byName, name)
		}
		mc.mu.Unlock()
		if errors.Is(e.err, kv.ErrNotFound) {
			return nil, notFound("model", name)
		}
		return nil, e.err
	}
	return e.m, nil
}

// list returns the stored models in name order.
func (mc *modelCache) list(ctx context.Context) ([]*compiledModel, error) {
	var names []string
	err := mc.db.View(ctx, func(txn kv.Txn) error {
		return kv.ScanPrefix(txn, modelPrefix, func(k, _ []byte) error {
			names = append(names, string(k[len(modelPrefix):]))
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]*compiledModel, 0, len(names))
	for _, n := range names {
		cm, err := mc.get(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, cm)
	}
	return out, nil
}
