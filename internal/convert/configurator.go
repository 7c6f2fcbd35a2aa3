package convert

import (
	"sort"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/configurator/model"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
)

var kindToProto = map[configurator.CharKind]configuratorv1.Kind{
	configurator.Single: configuratorv1.Kind_KIND_SINGLE,
	configurator.Multi:  configuratorv1.Kind_KIND_MULTI,
	configurator.Int:    configuratorv1.Kind_KIND_INT,
	configurator.Bool:   configuratorv1.Kind_KIND_BOOL,
}

// constraintKindToProto is the wire kind of configurator.Constraint.Kind
// ("rule" or "table", the only kinds the engine names).
var constraintKindToProto = map[string]configuratorv1.ConstraintKind{
	"rule":  configuratorv1.ConstraintKind_CONSTRAINT_KIND_RULE,
	"table": configuratorv1.ConstraintKind_CONSTRAINT_KIND_TABLE,
}

var constraintKindFromProto = invert(constraintKindToProto)

// CharToProto is the wire form of a characteristic; prices are in
// currency (the model's).
func CharToProto(ch *configurator.Characteristic, currency string) *configuratorv1.Characteristic {
	out := &configuratorv1.Characteristic{
		Name:     ch.Name,
		Labels:   ch.Labels,
		Kind:     kindToProto[ch.Kind],
		Optional: ch.Optional,
		Min:      ch.Min,
		Max:      ch.Max,
		Step:     ch.Step,
		MinCount: int32(ch.MinCount),
		MaxCount: int32(ch.MaxCount),
		Default:  ch.Default,
	}
	for _, v := range ch.Values {
		val := &configuratorv1.Value{Name: v.Name, Labels: v.Labels}
		if v.Price != 0 {
			val.Price = MoneyCents(currency, v.Price)
		}
		out.Values = append(out.Values, val)
	}
	return out
}

// ConfigToProto lists a configuration in model order.
func ConfigToProto(m *configurator.Model, cfg configurator.Configuration) []*configuratorv1.Assignment {
	out := make([]*configuratorv1.Assignment, 0, len(cfg))
	for _, ch := range m.Chars {
		vals, ok := cfg[ch.Name]
		if !ok {
			continue
		}
		vals = append([]string(nil), vals...)
		sort.Strings(vals)
		out = append(out, &configuratorv1.Assignment{Char: ch.Name, Values: vals})
	}
	return out
}

// StatusToProto is the wire state of each status.
var StatusToProto = map[configurator.Status]configuratorv1.ValueState{
	configurator.Selected: configuratorv1.ValueState_VALUE_STATE_SELECTED,
	configurator.Forced:   configuratorv1.ValueState_VALUE_STATE_FORCED,
	configurator.Possible: configuratorv1.ValueState_VALUE_STATE_POSSIBLE,
	configurator.Excluded: configuratorv1.ValueState_VALUE_STATE_EXCLUDED,
}

// DomainsToProto lists the values of each characteristic by status. The
// messages and value lists of one answer share three allocations (it is
// built for every Propagate call: one per message and list showed as the
// server's largest source of garbage).
func DomainsToProto(d *configurator.Domains) []*configuratorv1.CharDomain {
	n := 0
	for _, cd := range d.Chars {
		n += len(cd.Values)
	}
	vals := make([]string, 0, n)
	msgs := make([]configuratorv1.CharDomain, len(d.Chars))
	out := make([]*configuratorv1.CharDomain, len(d.Chars))
	for i, cd := range d.Chars {
		x := &msgs[i]
		x.Char = cd.Char
		// Each status's values as one capped run of vals, in domain order.
		for _, st := range [...]configurator.Status{configurator.Selected, configurator.Forced, configurator.Possible, configurator.Excluded} {
			start := len(vals)
			for _, v := range cd.Values {
				if v.Status == st || (st == configurator.Excluded && !knownStatus(v.Status)) {
					vals = append(vals, v.Value)
				}
			}
			if len(vals) == start {
				continue
			}
			run := vals[start:len(vals):len(vals)]
			switch st {
			case configurator.Selected:
				x.Selected = run
			case configurator.Forced:
				x.Forced = run
			case configurator.Possible:
				x.Possible = run
			default:
				x.Excluded = run
			}
		}
		out[i] = x
	}
	return out
}

// knownStatus reports whether s is one of the four statuses (anything else
// is listed as excluded, as before).
func knownStatus(s configurator.Status) bool {
	switch s {
	case configurator.Selected, configurator.Forced, configurator.Possible, configurator.Excluded:
		return true
	}
	return false
}

// PickText is a wire pick as the domain writes it (and --pick takes it):
// char=value or char!=value, "none" for the empty value.
func PickText(p *configuratorv1.Pick) string {
	v := p.GetValue()
	if v == "" {
		v = "none"
	}
	if p.GetExclude() {
		return p.GetChar() + "!=" + v
	}
	return p.GetChar() + "=" + v
}

// PicksToProto is the wire form of picks.
func PicksToProto(ps []configurator.Pick) []*configuratorv1.Pick {
	out := make([]*configuratorv1.Pick, len(ps))
	for i, p := range ps {
		out[i] = &configuratorv1.Pick{Char: p.Char, Value: p.Value, Exclude: p.Exclude}
	}
	return out
}

// ConstraintsToProto is the wire form of constraints, with their source
// position when known.
func ConstraintsToProto(cs []configurator.Constraint) []*configuratorv1.Constraint {
	out := make([]*configuratorv1.Constraint, len(cs))
	for i, k := range cs {
		pos := ""
		if k.Pos.Line > 0 {
			pos = k.Pos.String()
		}
		out[i] = &configuratorv1.Constraint{Kind: constraintKindToProto[k.Kind], Name: k.Name, Message: k.Message, Position: pos}
	}
	return out
}

// ConflictToProto is the wire form of a conflict (nil for nil).
func ConflictToProto(c *configurator.Conflict) *configuratorv1.Conflict {
	if c == nil {
		return nil
	}
	return &configuratorv1.Conflict{
		Picks:       PicksToProto(c.Picks),
		Constraints: ConstraintsToProto(c.Constraints),
		Message:     c.String(),
	}
}

// ExplanationToProto is the Explain answer of an explanation.
func ExplanationToProto(e *configurator.Explanation) *configuratorv1.ExplainResponse {
	out := &configuratorv1.ExplainResponse{State: StatusToProto[e.Status]}
	if e.Status == configurator.Excluded || e.Status == configurator.Forced {
		c := &configurator.Conflict{Picks: e.Picks, Constraints: e.Constraints}
		out.Reason = ConflictToProto(c)
		out.Reason.Message = e.String()
	}
	return out
}

// kindFromProto is the domain kind of a wire one.
var kindFromProto = invert(kindToProto)

// CharFromProto is the characteristic of its wire form (without source
// positions, which the wire form does not carry).
func CharFromProto(pb *configuratorv1.Characteristic) *configurator.Characteristic {
	ch := &configurator.Characteristic{
		Name:     pb.GetName(),
		Labels:   pb.GetLabels(),
		Kind:     kindFromProto[pb.GetKind()],
		Optional: pb.GetOptional(),
		Min:      pb.GetMin(),
		Max:      pb.GetMax(),
		Step:     pb.GetStep(),
		MinCount: int(pb.GetMinCount()),
		MaxCount: int(pb.GetMaxCount()),
		Default:  pb.GetDefault(),
	}
	for _, v := range pb.GetValues() {
		// The server writes prices with MoneyCents; an amount that does
		// not read back is shown as no price rather than failing a read.
		cents, _ := AmountCents(v.GetPrice().GetAmount())
		ch.Values = append(ch.Values, &model.Value{Name: v.GetName(), Labels: v.GetLabels(), Price: cents})
	}
	return ch
}

// ModelFromProto is a model of the characteristics a GetModel answer
// lists (no rules: enough to look characteristics and domains up).
func ModelFromProto(name string, chars []*configuratorv1.Characteristic) *configurator.Model {
	m := &configurator.Model{Name: name}
	for _, pb := range chars {
		m.Chars = append(m.Chars, CharFromProto(pb))
	}
	return m
}

// PicksFromProto is the domain form of wire picks, unchecked (the server
// checks names and values against the model itself).
func PicksFromProto(in []*configuratorv1.Pick) []configurator.Pick {
	out := make([]configurator.Pick, len(in))
	for i, p := range in {
		out[i] = configurator.Pick{Char: p.GetChar(), Value: p.GetValue(), Exclude: p.GetExclude()}
	}
	return out
}

// ConflictFromProto is the domain conflict of a wire one (positions are
// not read back).
func ConflictFromProto(c *configuratorv1.Conflict) *configurator.Conflict {
	out := &configurator.Conflict{}
	if ps := c.GetPicks(); len(ps) > 0 {
		out.Picks = PicksFromProto(ps)
	}
	for _, k := range c.GetConstraints() {
		out.Constraints = append(out.Constraints, configurator.Constraint{Kind: constraintKindFromProto[k.GetKind()], Name: k.GetName(), Message: k.GetMessage()})
	}
	return out
}

// StatusFromProto is the domain status of each wire state.
var StatusFromProto = invert(StatusToProto)

// invert is the inverse of a one-to-one map.
func invert[K, V comparable](m map[K]V) map[V]K {
	out := make(map[V]K, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

// engineOrder is the order in which the engine lists the values of ch: its
// domain, then "" (no value) for an optional single-valued one.
func engineOrder(ch *configurator.Characteristic) []string {
	d := ch.Domain()
	if ch.Kind == configurator.Single && ch.Optional {
		d = append(d, "")
	}
	return d
}

// DomainsFromProto is the engine's answer of a Propagate response: each
// characteristic's values back in the engine's order (the wire form lists
// them by status), values m does not know after those in wire order.
func DomainsFromProto(m *configurator.Model, in []*configuratorv1.CharDomain) *configurator.Domains {
	d := &configurator.Domains{Valid: true}
	for _, cd := range in {
		status := map[string]configurator.Status{}
		var seen []string
		add := func(vs []string, s configurator.Status) {
			for _, v := range vs {
				status[v] = s
				seen = append(seen, v)
			}
		}
		add(cd.GetSelected(), configurator.Selected)
		add(cd.GetForced(), configurator.Forced)
		add(cd.GetPossible(), configurator.Possible)
		add(cd.GetExcluded(), configurator.Excluded)
		out := configurator.CharDomain{Char: cd.GetChar()}
		var order []string
		if ch := m.Char(cd.GetChar()); ch != nil {
			order = engineOrder(ch)
		}
		for _, v := range append(order, seen...) {
			if s, ok := status[v]; ok {
				out.Values = append(out.Values, configurator.ValueStatus{Value: v, Status: s})
				delete(status, v)
			}
		}
		d.Chars = append(d.Chars, out)
	}
	return d
}

// ConfigFromProto is the configuration of wire assignments, each
// characteristic's values in the engine's order (the wire form sorts them
// by name).
func ConfigFromProto(m *configurator.Model, in []*configuratorv1.Assignment) configurator.Configuration {
	cfg := configurator.Configuration{}
	for _, a := range in {
		vals := append([]string{}, a.GetValues()...)
		if ch := m.Char(a.GetChar()); ch != nil && len(vals) > 1 {
			pos := map[string]int{}
			for i, v := range engineOrder(ch) {
				pos[v] = i
			}
			sort.SliceStable(vals, func(i, j int) bool { return pos[vals[i]] < pos[vals[j]] })
		}
		cfg[a.GetChar()] = vals
	}
	return cfg
}

// ExplanationFromProto is the explanation of char=value in an Explain
// answer (constraint positions are not read back).
func ExplanationFromProto(char, value string, res *configuratorv1.ExplainResponse) *configurator.Explanation {
	e := &configurator.Explanation{Char: char, Value: value, Status: StatusFromProto[res.GetState()]}
	if r := res.GetReason(); r != nil {
		c := ConflictFromProto(r)
		e.Picks, e.Constraints = c.Picks, c.Constraints
	}
	return e
}
