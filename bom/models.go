package bom

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/ctoplan/ctoplan/configurator"
)

// Model is a product model in the store's registry: the source text as it
// was stored (so that positions in errors and explanations point into it)
// and its parsed and compiled forms. A Model never changes: storing a new
// text under its name makes a new Model. Safe for concurrent use.
type Model struct {
	name    string
	file    string
	src     []byte // the stored source text
	digest  string // sha256 of configurator.Format(m), hex
	textKey string // sha256 of file and src: the compile cache key
	m       *configurator.Model
	c       *configurator.Compiled
}

// Name is the model's name.
func (m *Model) Name() string { return m.name }

// File is the file name the source was stored under.
func (m *Model) File() string { return m.file }

// Source is the stored source text (do not modify it).
func (m *Model) Source() []byte { return m.src }

// Digest is the hex SHA-256 of the model's canonical text
// (configurator.Format): equal digests mean equal models whatever their
// layout.
func (m *Model) Digest() string { return m.digest }

// Model is the parsed model (do not modify it).
func (m *Model) Model() *configurator.Model { return m.m }

// Compiled is the compiled model, ready for queries.
func (m *Model) Compiled() *configurator.Compiled { return m.c }

// modelRecord is what the store keeps under bom/model/<name>.
type modelRecord struct {
	File   string `json:"file"`
	Source string `json:"source"`
}

func (r modelRecord) key() string {
	h := sha256.New()
	h.Write([]byte(r.File))
	h.Write([]byte{0})
	h.Write([]byte(r.Source))
	return hex.EncodeToString(h.Sum(nil))
}

// ModelText is a product model as its source text, as [Store.PutModel]
// takes it: File names it in errors and positions, and its extension says
// the format (a feature model, [configurator.IsForeign], is stored as the
// .ctm model it reads as).
type ModelText struct {
	File   string
	Source []byte
}

// record is the record t is stored as: its text as given, or a feature
// model's .ctm text under the file name with .ctm.
func (t ModelText) record() (modelRecord, error) {
	if !configurator.IsForeign(t.File) {
		return modelRecord{File: t.File, Source: string(t.Source)}, nil
	}
	fm, err := configurator.Read(t.File, bytes.NewReader(t.Source))
	if err != nil {
		return modelRecord{}, modelError{err}
	}
	return modelRecord{File: strings.TrimSuffix(t.File, filepath.Ext(t.File)) + ".ctm", Source: string(configurator.Format(fm))}, nil
}

// compileModel parses, validates and compiles a model text. Its errors
// match [ErrInvalid] and the configurator's own error and say
// file:line:col.
//
// parsed, when not nil, is the model rec.Source is the canonical text of
// (see recordOf): it is compiled as it is instead of parsing the text
// again, so its positions are those of the file it was parsed from.
func compileModel(ctx context.Context, rec modelRecord, parsed *configurator.Model) (*Model, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m := parsed
	if m == nil {
		var err error
		if m, err = configurator.Parse(rec.File, []byte(rec.Source)); err != nil {
			return nil, modelError{err}
		}
	}
	if m.Name == "" {
		return nil, modelError{fmt.Errorf("%s: the model has no name", rec.File)}
	}
	if err := m.Validate(); err != nil {
		return nil, modelError{fmt.Errorf("model %s: %w", m.Name, err)}
	}
	c, err := configurator.CompileContext(ctx, m)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, modelError{fmt.Errorf("model %s: %w", m.Name, err)}
	}
	canon := []byte(rec.Source)
	if parsed == nil {
		canon = configurator.Format(m)
	}
	sum := sha256.Sum256(canon)
	return &Model{name: m.Name, file: rec.File, src: []byte(rec.Source), digest: hex.EncodeToString(sum[:]),
		textKey: rec.key(), m: m, c: c}, nil
}

// modelError is a model that does not parse or compile: it says so in the
// configurator's words and matches both [ErrInvalid] and the
// configurator's error.
type modelError struct{ err error }

func (e modelError) Error() string   { return e.err.Error() }
func (e modelError) Unwrap() []error { return []error{ErrInvalid, e.err} }

// recordOf is the record a model given as a configurator.Model is stored
// as: its canonical text, under the file it was read from (a feature
// model's with .ctm for its extension; <name>.ctm without a file). Once reloaded from the store, its positions point into that
// text, not into the file it was first parsed from.
func recordOf(m *configurator.Model) modelRecord {
	file := m.Pos.File
	if file == "" {
		file = m.Name + ".ctm"
	} else if configurator.IsForeign(file) {
		file = strings.TrimSuffix(file, filepath.Ext(file)) + ".ctm"
	}
	return modelRecord{File: file, Source: string(configurator.Format(m))}
}

// registry is the product models by name at one store generation:
// immutable once built, replaced as a whole by a write.
type registry struct {
	gen   uint64 // meta.Gen it reflects
	names map[string]*regEntry
}

// regEntry is a stored model, compiled on first use.
type regEntry struct {
	rec modelRecord
	mu  sync.Mutex // held while compiling
	m   *Model     // nil until compiled
}

func (r *registry) sortedNames() []string { return slices.Sorted(maps.Keys(r.names)) }

// with returns a copy of r with the given models replacing or adding
// entries, at generation gen.
func (r *registry) with(gen uint64, ms ...*Model) *registry {
	out := &registry{gen: gen, names: maps.Clone(r.names)}
	for _, m := range ms {
		out.names[m.name] = &regEntry{rec: modelRecord{File: m.file, Source: string(m.src)}, m: m}
	}
	return out
}

// compiled returns the model of an entry, compiling it once (through the
// cache, so that a text compiled before is not compiled again). A failure
// is not kept: it may be the caller's deadline.
func (mc *modelCache) compiled(ctx context.Context, e *regEntry) (*Model, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		m, err := mc.get(ctx, e.rec, nil)
		if err != nil {
			return nil, err
		}
		e.m = m
	}
	return e.m, nil
}

// modelCache keeps compiled models by the digest of their stored text, so
// that a text is compiled once however often it is stored, imported or
// reloaded. It keeps at most max models beyond those the registry holds,
// evicting the oldest.
type modelCache struct {
	mu    sync.Mutex
	max   int
	byKey map[string]*Model
	order []string // keys, oldest first
}

func newModelCache(max int) *modelCache {
	return &modelCache{max: max, byKey: map[string]*Model{}}
}

// get returns the compiled model of rec, compiling it on a miss (parsed:
// see compileModel).
func (mc *modelCache) get(ctx context.Context, rec modelRecord, parsed *configurator.Model) (*Model, error) {
	key := rec.key()
	mc.mu.Lock()
	m := mc.byKey[key]
	mc.mu.Unlock()
	if m != nil {
		return m, nil
	}
	m, err := compileModel(ctx, rec, parsed)
	if err != nil {
		return nil, err
	}
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if old := mc.byKey[key]; old != nil {
		return old, nil // compiled concurrently: keep one
	}
	if mc.max <= 0 {
		return m, nil
	}
	for len(mc.order) >= mc.max {
		delete(mc.byKey, mc.order[0])
		mc.order = mc.order[1:]
	}
	mc.byKey[key] = m
	mc.order = append(mc.order, key)
	return m, nil
}

func (m *Model) at(src Pos, col int) configurator.Pos {
	if !src.IsValid() {
		return configurator.Pos{}
	}
	return configurator.Pos{File: src.File, Line: src.Line, Col: col}
}

func (m *Model) parseCond(src Pos, col int, text string) (configurator.Expr, error) {
	return configurator.ParseExpr(m.m, m.at(src, col), text)
}

func (m *Model) parseQty(src Pos, col int, text string) (configurator.IntExpr, error) {
	return configurator.ParseIntExpr(m.m, m.at(src, col), text)
}

func (m *Model) key(cfg configurator.Configuration) (string, error) { return m.c.Key(cfg) }

func (m *Model) validate(ctx context.Context, cfg configurator.Configuration) error {
	return m.c.ValidateConfiguration(ctx, cfg)
}

// modelPatterns are the model files [LoadModels] reads in a directory.
var modelPatterns = []string{"*.ctm", "*.uvl", "*.dimacs", "*.cnf", "*.xml"}

// LoadModels reads every model file in dir and returns the models by name:
// .ctm files (the name declared in the file, which must match the file
// name) and feature models in the formats [configurator.IsForeign] names
// (.uvl, .dimacs, .cnf, .xml), named by their file. Two files of one name
// (car.ctm and car.uvl) are an error.
func LoadModels(dir string) (map[string]*configurator.Model, error) {
	var files []string
	for _, pat := range modelPatterns {
		f, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			return nil, err
		}
		files = append(files, f...)
	}
	slices.Sort(files)
	out := map[string]*configurator.Model{}
	from := map[string]string{}
	for _, f := range files {
		m, err := configurator.LoadFile(f)
		if err != nil {
			return nil, err
		}
		if filepath.Ext(f) == ".ctm" {
			if base := strings.TrimSuffix(filepath.Base(f), ".ctm"); base != m.Name {
				return nil, fmt.Errorf("%s: model is named %s; name the file %s.ctm", f, m.Name, m.Name)
			}
		}
		if prev, dup := from[m.Name]; dup {
			return nil, fmt.Errorf("%s: model %s defined twice (also in %s)", f, m.Name, prev)
		}
		out[m.Name], from[m.Name] = m, f
	}
	return out, nil
}
