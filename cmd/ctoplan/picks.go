package main

import (
	"fmt"
	"strings"

	"github.com/ctoplan/ctoplan/configurator"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
)

// noneRule says whether the spelling "none" stands for the empty value of
// a characteristic.
type noneRule func(char string) bool

// noneAlways is the rule of the bom and mrp commands, which do not load the
// model: "none" is always the empty value, and the server checks it.
func noneAlways(string) bool { return true }

// modelNone is the rule of a known model: "none" is the empty value of an
// optional single-valued characteristic that has no value named none.
func modelNone(m *configurator.Model) noneRule {
	return func(char string) bool {
		ch := m.Char(char)
		return ch != nil && ch.Kind == configurator.Single && ch.Optional && ch.Value("none") == nil
	}
}

// parsePicks is the one parser of --pick flags: char=value, or char!=value
// to exclude a value; blanks around char and value are dropped, and the
// value "none" becomes "" where none says so. An error names the flag, its
// position among the --pick flags (1-based) and what was wrong.
func parsePicks(in []string, none noneRule) ([]configurator.Pick, error) {
	out := make([]configurator.Pick, 0, len(in))
	for i, s := range in {
		p, err := parsePick(s, none)
		if err != nil {
			return nil, fmt.Errorf("--pick #%d %q: %v", i+1, s, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// parsePick parses one pick; see parsePicks.
func parsePick(s string, none noneRule) (configurator.Pick, error) {
	var p configurator.Pick
	c, v, ok := strings.Cut(s, "!=")
	if ok {
		p.Exclude = true
	} else if c, v, ok = strings.Cut(s, "="); !ok {
		return p, fmt.Errorf("want char=value or char!=value")
	}
	p.Char, p.Value = strings.TrimSpace(c), strings.TrimSpace(v)
	if p.Char == "" || strings.ContainsAny(p.Char, "!=") {
		return p, fmt.Errorf("want char=value or char!=value (no characteristic name before the =)")
	}
	if p.Value == "none" && none(p.Char) {
		p.Value = ""
	}
	return p, nil
}

// parseModelPicks parses --pick flags against a compiled model and checks
// each name and value, with the flag and its position in an error.
func parseModelPicks(c *configurator.Compiled, in []string) ([]configurator.Pick, error) {
	ps, err := parsePicks(in, modelNone(c.Model()))
	if err != nil {
		return nil, err
	}
	for i, p := range ps {
		if err := c.ValueError(p.Char, p.Value); err != nil {
			return nil, fmt.Errorf("--pick #%d %q: %v", i+1, in[i], err)
		}
	}
	return ps, nil
}

// modelCheckPick checks that char names a characteristic of c and value
// one of its values, rewriting "none" as modelNone says.
func modelCheckPick(c *configurator.Compiled, char string, value *string) error {
	if *value == "none" && modelNone(c.Model())(char) {
		*value = ""
		return nil
	}
	return c.ValueError(char, *value)
}

// wirePicks parses --pick flags of the bom and mrp commands into their wire
// form (the server checks names and values against the model).
func wirePicks(in []string) ([]*configuratorv1.Pick, error) {
	ps, err := parsePicks(in, noneAlways)
	if err != nil {
		return nil, err
	}
	return convert.PicksToProto(ps), nil
}
