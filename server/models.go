package server

import (
	"context"
	"errors"
	"sync"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
)

// Product models have one owner, the BOM store's model registry
// (bom.Store.PutModel, StoredModel): it keeps each model once, as its
// source text, and compiles it once per text. The server keeps only what
// it derives from a compiled model to answer queries fast: the value sets
// that check picks and the Propagate memo. They belong to one *bom.Model,
// so a model stored again with a new text gets new ones.

// compiledModel is a model of the registry with the server's derived data.
type compiledModel struct {
	bm       *bom.Model
	model    *configurator.Model
	compiled *configurator.Compiled
	digest   string
	values   valueSets
	memo     *propMemo // nil when disabled
}

func newCompiledModel(bm *bom.Model, memoSize int) *compiledModel {
	return &compiledModel{bm: bm, model: bm.Model(), compiled: bm.Compiled(), digest: bm.Digest(),
		values: newValueSets(bm.Model()), memo: newPropMemo(memoSize)}
}

// modelViews holds the derived data of the current model of each name.
type modelViews struct {
	bom      *bom.Store
	memoSize int // Options.PropagateMemo
	mu       sync.Mutex
	byName   map[string]*compiledModel
}

func newModelViews(bs *bom.Store, memoSize int) *modelViews {
	return &modelViews{bom: bs, memoSize: memoSize, byName: map[string]*compiledModel{}}
}

// view returns the derived data of bm, made once per *bom.Model.
func (mv *modelViews) view(bm *bom.Model) *compiledModel {
	mv.mu.Lock()
	defer mv.mu.Unlock()
	cm := mv.byName[bm.Name()]
	if cm == nil || cm.bm != bm {
		cm = newCompiledModel(bm, mv.memoSize)
		mv.byName[bm.Name()] = cm
	}
	return cm
}

// put stores a model text in the registry (see bom.Store.PutModel: a model
// items use is checked against them and changes in one transaction with
// the master-data revision).
func (mv *modelViews) put(ctx context.Context, file, src string) (*compiledModel, error) {
	bm, err := mv.bom.PutModel(ctx, file, []byte(src))
	if err != nil {
		return nil, err
	}
	return mv.view(bm), nil
}

// get returns the model called name.
func (mv *modelViews) get(ctx context.Context, name string) (*compiledModel, error) {
	if name == "" {
		return nil, badField("model", "missing model name")
	}
	bm, err := mv.bom.StoredModel(ctx, name)
	if errors.Is(err, bom.ErrNotFound) {
		return nil, notFound("model", name)
	}
	if err != nil {
		return nil, err
	}
	return mv.view(bm), nil
}

// list returns the stored models called names, in that order.
func (mv *modelViews) list(ctx context.Context, names []string) ([]*compiledModel, error) {
	out := make([]*compiledModel, 0, len(names))
	for _, n := range names {
		cm, err := mv.get(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, cm)
	}
	return out, nil
}
