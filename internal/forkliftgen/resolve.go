package main

import (
	"fmt"
	"strconv"

	"github.com/ctoplan/ctoplan/configurator"
)

// selLine is a selected BOM line with its evaluated quantity.
type selLine struct {
	comp string
	qty  float64
}

// resolver selects and evaluates super-BOM lines for a configuration, the
// plain way (no phantoms blown, no sharing): enough to check the data and to
// know which parts the sales orders need.
type resolver struct {
	m     *configurator.Model
	kids  map[string][]Line
	conds map[string]configurator.Expr
	qtys  map[string]configurator.IntExpr
}

func newResolver(g *gen, m *configurator.Model) (*resolver, error) {
	r := &resolver{m: m, kids: map[string][]Line{}, conds: map[string]configurator.Expr{}, qtys: map[string]configurator.IntExpr{}}
	for _, l := range g.lines {
		r.kids[l.Parent] = append(r.kids[l.Parent], l)
		if l.Cond != "" && r.conds[l.Cond] == nil {
			e, err := configurator.ParseExpr(m, configurator.Pos{}, l.Cond)
			if err != nil {
				return nil, err
			}
			r.conds[l.Cond] = e
		}
		if !isNumber(l.Qty) && r.qtys[l.Qty] == nil {
			e, err := configurator.ParseIntExpr(m, configurator.Pos{}, l.Qty)
			if err != nil {
				return nil, err
			}
			r.qtys[l.Qty] = e
		}
	}
	return r, nil
}

// lines returns the lines of parent selected for cfg on date.
func (r *resolver) lines(parent string, cfg configurator.Configuration, date string) ([]selLine, error) {
	var out []selLine
	for _, l := range r.kids[parent] {
		if (l.From != "" && date < l.From) || (l.To != "" && date > l.To) {
			continue
		}
		if l.Cond != "" {
			ok, err := configurator.Eval(r.conds[l.Cond], cfg)
			if err != nil {
				return nil, fmt.Errorf("%s -> %s: condition %q: %v", parent, l.Component, l.Cond, err)
			}
			if !ok {
				continue
			}
		}
		var q float64
		if f, err := strconv.ParseFloat(l.Qty, 64); err == nil {
			q = f
		} else {
			v, err := configurator.EvalInt(r.qtys[l.Qty], cfg)
			if err != nil {
				return nil, fmt.Errorf("%s -> %s: qty_per %q: %v", parent, l.Component, l.Qty, err)
			}
			if v < 0 {
				return nil, fmt.Errorf("%s -> %s: qty_per %q = %d", parent, l.Component, l.Qty, v)
			}
			if v == 0 {
				continue
			}
			q = float64(v)
		}
		out = append(out, selLine{l.Component, q})
	}
	return out, nil
}

// reach returns every item below root for cfg on date.
func (r *resolver) reach(root string, cfg configurator.Configuration, date string) (map[string]bool, error) {
	seen := map[string]bool{}
	var walk func(id string) error
	walk = func(id string) error {
		if seen[id] {
			return nil
		}
		seen[id] = true
		ls, err := r.lines(id, cfg, date)
		if err != nil {
			return err
		}
		for _, l := range ls {
			if err := walk(l.comp); err != nil {
				return err
			}
		}
		return nil
	}
	return seen, walk(root)
}
