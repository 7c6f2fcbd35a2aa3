package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
)

// modelServerFlags let a model command ask a running server (--server URL)
// about a stored model (--model NAME, or MODEL given as the name) instead
// of reading a model file.
type modelServerFlags struct {
	server string
	token  string
	model  string
}

func (f *modelServerFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.server, "server", "", "ask a running ctoplan server (e.g. http://127.0.0.1:8080) about a stored model instead of reading a file")
	fl.StringVar(&f.token, "token", "", "with --server: bearer token (default $CTOPLAN_TOKEN)")
	fl.StringVar(&f.model, "model", "", "with --server: name of the stored model (instead of MODEL)")
}

// split separates the model (a file, or with --server a stored model's
// name) from the other positional arguments; want is their number.
func (f *modelServerFlags) split(args []string, want int) (model string, rest []string, err error) {
	switch {
	case f.server == "" && f.model != "":
		return "", nil, errors.New("--model NAME needs --server URL; offline, give the model file as MODEL")
	case f.model != "" && len(args) == want:
		return f.model, args, nil
	case f.model != "":
		return "", nil, fmt.Errorf("with --model, give %d more argument(s), got %d", want, len(args))
	case len(args) == want+1:
		return args[0], args[1:], nil
	}
	return "", nil, fmt.Errorf("want MODEL (a model file, or with --server a stored model's name) and %d more argument(s), got %d arguments", want, len(args))
}

// run connects to the server, loads the model's characteristics and calls
// fn, turning RPC errors into readable ones.
func (f *modelServerFlags) run(cmd *cobra.Command, name string, fn func(*clients, *serverModel) error) (err error) {
	b := backendFlags{server: f.server, token: f.token}
	cl, err := b.open(cmd)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := cl.close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	ctx, cancel := modelContext(cmd)
	defer cancel()
	res, err := cl.conf.GetModel(ctx, connect.NewRequest(&configuratorv1.GetModelRequest{Name: name}))
	if err != nil {
		return readable(err)
	}
	m := &serverModel{name: name, source: res.Msg.GetSource(), chars: res.Msg.GetCharacteristics(), byName: map[string]*configuratorv1.Characteristic{}}
	for _, ch := range m.chars {
		m.byName[ch.GetName()] = ch
	}
	return readable(fn(cl, m))
}

// withPicks runs a model command on --pick flags: with --server against
// the stored model (remote gets the picks in wire form), else on the model
// file (local gets them parsed against it). Each gets a context bounded by
// --timeout.
func (f *modelServerFlags) withPicks(cmd *cobra.Command, name string, pickFlags []string,
	remote func(ctx context.Context, cl *clients, m *serverModel, ps []*configuratorv1.Pick) error,
	local func(ctx context.Context, c *configurator.Compiled, ps []configurator.Pick) error) error {
	if f.server != "" {
		return f.run(cmd, name, func(cl *clients, m *serverModel) error {
			ps, err := m.picks(pickFlags)
			if err != nil {
				return err
			}
			ctx, cancel := modelContext(cmd)
			defer cancel()
			return remote(ctx, cl, m, ps)
		})
	}
	c, err := loadModel(name)
	if err != nil {
		return err
	}
	ps, err := parseModelPicks(c, pickFlags)
	if err != nil {
		return err
	}
	ctx, cancel := modelContext(cmd)
	defer cancel()
	return local(ctx, c, ps)
}

// picksConflict is the readable error for picks that cannot stand
// together, from the engine or a server's detail; nil for other errors.
func picksConflict(err error) error {
	c := rpcConflict(err)
	var ce *configurator.ConflictError
	if errors.As(err, &ce) {
		c = ce.Conflict
	}
	if c == nil {
		return nil
	}
	return fmt.Errorf("the picks cannot stand together: %s", c)
}

// serverModel is the characteristics of a stored model, as GetModel gives
// them: enough to parse picks and print answers in model order.
type serverModel struct {
	name   string
	source string // the stored model's canonical text
	chars  []*configuratorv1.Characteristic
	byName map[string]*configuratorv1.Characteristic
}

// compile compiles the stored model's text, for commands that check their
// input against the model locally.
func (m *serverModel) compile() (*configurator.Compiled, error) {
	parsed, err := configurator.Parse(m.name+" (from the server)", []byte(m.source))
	if err != nil {
		return nil, fmt.Errorf("model %s as the server gave it: %w", m.name, err)
	}
	return configurator.Compile(parsed)
}

// picksToProto is the wire form of picks.
func picksToProto(ps []configurator.Pick) []*configuratorv1.Pick {
	out := make([]*configuratorv1.Pick, len(ps))
	for i, p := range ps {
		out[i] = &configuratorv1.Pick{Char: p.Char, Value: p.Value, Exclude: p.Exclude}
	}
	return out
}

// noneValue rewrites "none" to "" where modelNone says so for the stored
// model; the server checks every other name and value.
func (m *serverModel) noneValue(char, value string) string {
	if value == "none" && m.none(char) {
		return ""
	}
	return value
}

// none is modelNone for the stored model's characteristics.
func (m *serverModel) none(char string) bool {
	ch := m.byName[char]
	if ch == nil || ch.GetKind() != configuratorv1.Kind_KIND_SINGLE || !ch.GetOptional() {
		return false
	}
	for _, v := range ch.GetValues() {
		if v.GetName() == "none" {
			return false
		}
	}
	return true
}

// picks parses --pick flags with parsePicks, in wire form.
func (m *serverModel) picks(in []string) ([]*configuratorv1.Pick, error) {
	ps, err := parsePicks(in, m.none)
	if err != nil {
		return nil, err
	}
	return picksToProto(ps), nil
}

// domain is the values of ch in the order the engine lists them: the
// model's values, integers Min..Max by Step or false, true; then "" for an
// optional single-valued characteristic.
func domainOf(ch *configuratorv1.Characteristic) []string {
	var d []string
	switch ch.GetKind() {
	case configuratorv1.Kind_KIND_SINGLE, configuratorv1.Kind_KIND_MULTI:
		for _, v := range ch.GetValues() {
			d = append(d, v.GetName())
		}
		if ch.GetKind() == configuratorv1.Kind_KIND_SINGLE && ch.GetOptional() {
			d = append(d, "")
		}
	case configuratorv1.Kind_KIND_INT:
		for v, n := ch.GetMin(), 0; ch.GetStep() > 0 && v <= ch.GetMax() && n < configurator.MaxIntDomain; v, n = v+ch.GetStep(), n+1 {
			d = append(d, strconv.FormatInt(v, 10))
		}
	case configuratorv1.Kind_KIND_BOOL:
		d = []string{"false", "true"}
	}
	return d
}

// domainsFromProto rebuilds the engine's domains from a Propagate answer,
// each characteristic's values back in domain order.
func (m *serverModel) domainsFromProto(in []*configuratorv1.CharDomain) *configurator.Domains {
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
		if ch := m.byName[cd.GetChar()]; ch != nil {
			for _, v := range domainOf(ch) {
				if s, ok := status[v]; ok {
					out.Values = append(out.Values, configurator.ValueStatus{Value: v, Status: s})
					delete(status, v)
				}
			}
		}
		for _, v := range seen { // anything the model's characteristics did not list
			if s, ok := status[v]; ok {
				out.Values = append(out.Values, configurator.ValueStatus{Value: v, Status: s})
				delete(status, v)
			}
		}
		d.Chars = append(d.Chars, out)
	}
	return d
}

// conflictFromProto is the engine's conflict for a wire one.
func conflictFromProto(c *configuratorv1.Conflict) *configurator.Conflict {
	out := &configurator.Conflict{}
	for _, p := range c.GetPicks() {
		out.Picks = append(out.Picks, configurator.Pick{Char: p.GetChar(), Value: p.GetValue(), Exclude: p.GetExclude()})
	}
	for _, k := range c.GetConstraints() {
		out.Constraints = append(out.Constraints, configurator.Constraint{Kind: k.GetKind(), Name: k.GetName(), Message: k.GetMessage()})
	}
	return out
}

// rpcConflict is the conflict detail of an RPC error, or nil.
func rpcConflict(err error) *configurator.Conflict {
	var ce *connect.Error
	if !errors.As(err, &ce) {
		return nil
	}
	for _, d := range ce.Details() {
		if v, derr := d.Value(); derr == nil {
			if c, ok := v.(*configuratorv1.Conflict); ok {
				return conflictFromProto(c)
			}
		}
	}
	return nil
}

// modelChars lists a model's characteristics for writeCompletion.
func (m *serverModel) modelChars() []completionChar {
	out := make([]completionChar, len(m.chars))
	for i, ch := range m.chars {
		out[i] = completionChar{ch.GetName(), ch.GetKind() == configuratorv1.Kind_KIND_MULTI}
	}
	return out
}

// configFromProto rebuilds a configuration, each characteristic's values
// in domain order (the server sorts them by name).
func (m *serverModel) configFromProto(in []*configuratorv1.Assignment) configurator.Configuration {
	cfg := configurator.Configuration{}
	for _, a := range in {
		vals := append([]string{}, a.GetValues()...)
		if ch := m.byName[a.GetChar()]; ch != nil && len(vals) > 1 {
			pos := map[string]int{}
			for i, v := range domainOf(ch) {
				pos[v] = i
			}
			sortByPos(vals, pos)
		}
		cfg[a.GetChar()] = vals
	}
	return cfg
}

func sortByPos(vals []string, pos map[string]int) {
	for i := 1; i < len(vals); i++ {
		for j := i; j > 0 && pos[vals[j]] < pos[vals[j-1]]; j-- {
			vals[j], vals[j-1] = vals[j-1], vals[j]
		}
	}
}

var stateToStatus = map[configuratorv1.ValueState]configurator.Status{
	configuratorv1.ValueState_VALUE_STATE_SELECTED: configurator.Selected,
	configuratorv1.ValueState_VALUE_STATE_FORCED:   configurator.Forced,
	configuratorv1.ValueState_VALUE_STATE_POSSIBLE: configurator.Possible,
	configuratorv1.ValueState_VALUE_STATE_EXCLUDED: configurator.Excluded,
}
