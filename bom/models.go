package bom

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ctoplan/ctoplan/configurator"
)

// model is a product model with its compiled form and canonical source (as
// stored).
type model struct {
	name string
	src  []byte // configurator.Format output
	m    *configurator.Model
	c    *configurator.Compiled
}

func newModel(m *configurator.Model) (*model, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("bom: model %s: %w", m.Name, err)
	}
	c, err := configurator.Compile(m)
	if err != nil {
		return nil, fmt.Errorf("bom: model %s: %w", m.Name, err)
	}
	return &model{name: m.Name, src: configurator.Format(m), m: m, c: c}, nil
}

// parseModel reads a model back from its stored source.
func parseModel(name string, src []byte) (*model, error) {
	m, err := configurator.Parse(name+".ctm", src)
	if err != nil {
		return nil, fmt.Errorf("bom: stored model %s: %w", name, err)
	}
	if m.Name != name {
		return nil, fmt.Errorf("bom: stored model %s is named %s", name, m.Name)
	}
	return newModel(m)
}

func (m *model) at(src Source, col int) configurator.Pos {
	if src.File == "" && src.Row == 0 {
		return configurator.Pos{}
	}
	return configurator.Pos{File: src.File, Line: src.Row, Col: col}
}

func (m *model) parseCond(src Source, col int, text string) (configurator.Expr, error) {
	return configurator.ParseExpr(m.m, m.at(src, col), text)
}

func (m *model) parseQty(src Source, col int, text string) (configurator.IntExpr, error) {
	return configurator.ParseIntExpr(m.m, m.at(src, col), text)
}

func (m *model) key(cfg configurator.Configuration) (string, error) { return m.c.Key(cfg) }

func (m *model) validate(ctx context.Context, cfg configurator.Configuration) error {
	return m.c.ValidateConfiguration(ctx, cfg)
}

// LoadModels reads every .ctm file in dir and returns the models by name
// (the name declared in the file, which should match the file name).
func LoadModels(dir string) (map[string]*configurator.Model, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.ctm"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	out := map[string]*configurator.Model{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		m, err := configurator.Parse(f, src)
		if err != nil {
			return nil, err
		}
		if base := strings.TrimSuffix(filepath.Base(f), ".ctm"); base != m.Name {
			return nil, fmt.Errorf("%s: model is named %s; name the file %s.ctm", f, m.Name, m.Name)
		}
		if _, dup := out[m.Name]; dup {
			return nil, fmt.Errorf("%s: model %s defined twice", f, m.Name)
		}
		out[m.Name] = m
	}
	return out, nil
}
