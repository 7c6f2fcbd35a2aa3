package main

import (
	"context"
	"errors"
	"fmt"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
)

// modelBackend answers the model commands: the configurator library on a
// model file (offline), or a running server's stored model (--server),
// whose answers internal/convert maps back to configurator's types. Each
// command has one body over it and prints once (see docs/design.md, "The
// CLI's one path").
type modelBackend interface {
	// model is the characteristics, in model order.
	model() *configurator.Model
	// picks parses --pick flags with parsePicks; offline each name and
	// value is checked here, a server checks them itself.
	picks(in []string) ([]configurator.Pick, error)
	// value is a CHAR=VALUE argument's value, "none" read as picks does.
	value(char, value string) (string, error)
	// compiled is the model compiled in this process (a server's stored
	// text compiled here), for commands that read their input against it.
	compiled() (*configurator.Compiled, error)
	propagate(ctx context.Context, ps []configurator.Pick) (*configurator.Domains, error)
	complete(ctx context.Context, ps []configurator.Pick) (configurator.Configuration, string, error)
	explain(ctx context.Context, ps []configurator.Pick, char, value string) (*configurator.Explanation, error)
	check(ctx context.Context, ps []configurator.Pick) (*configurator.CheckResult, error)
}

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

// with opens the backend of the model called name (a file offline, a
// stored model with --server) and runs fn on it with a context bounded by
// modelTimeout; RPC errors come back readable.
func (f *modelServerFlags) with(cmd *cobra.Command, name string, fn func(context.Context, modelBackend) error) (err error) {
	ctx, cancel := modelContext(cmd)
	defer cancel()
	if f.server == "" {
		c, err := loadModel(name)
		if err != nil {
			return err
		}
		return fn(ctx, localModel{c})
	}
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
	res, err := cl.conf.GetModel(ctx, connect.NewRequest(&configuratorv1.GetModelRequest{Name: name, View: configuratorv1.ModelView_MODEL_VIEW_FULL}))
	if err != nil {
		return readable(err)
	}
	m := &remoteModel{cl: cl, name: name, source: res.Msg.GetSource(), m: convert.ModelFromProto(name, res.Msg.GetCharacteristics())}
	return readable(fn(ctx, m))
}

// pickHelp is the help of --pick on every command that takes it.
const pickHelp = "a pick char=value or char!=value (repeatable); none = no value of an optional characteristic"

// modelPicks are the flags of a model command on MODEL and --pick flags.
type modelPicks struct {
	modelServerFlags
	picks []string
}

func (f *modelPicks) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.picks, "pick", nil, pickHelp)
	f.modelServerFlags.register(cmd)
}

// run is the body of such a command: it opens the backend of MODEL (want
// more arguments follow it, given to fn as rest), parses the picks on it
// and calls fn.
func (f *modelPicks) run(cmd *cobra.Command, args []string, want int, fn func(ctx context.Context, b modelBackend, rest []string, ps []configurator.Pick) error) error {
	name, rest, err := f.split(args, want)
	if err != nil {
		return err
	}
	return f.with(cmd, name, func(ctx context.Context, b modelBackend) error {
		ps, err := b.picks(f.picks)
		if err != nil {
			return err
		}
		return fn(ctx, b, rest, ps)
	})
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
	if len(c.Picks) == 0 {
		// no pick takes part: the rules alone conflict
		return fmt.Errorf("the model is invalid, whatever is picked: %s", c)
	}
	return fmt.Errorf("the picks cannot stand together: %s", c)
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
				return convert.ConflictFromProto(c)
			}
		}
	}
	return nil
}

// localModel is the library on a compiled model file.
type localModel struct{ c *configurator.Compiled }

func (l localModel) model() *configurator.Model                { return l.c.Model() }
func (l localModel) compiled() (*configurator.Compiled, error) { return l.c, nil }
func (l localModel) picks(in []string) ([]configurator.Pick, error) {
	return parseModelPicks(l.c, in)
}

func (l localModel) value(char, value string) (string, error) {
	err := modelCheckPick(l.c, char, &value)
	return value, err
}

func (l localModel) propagate(ctx context.Context, ps []configurator.Pick) (*configurator.Domains, error) {
	return l.c.Propagate(ctx, ps)
}

func (l localModel) complete(ctx context.Context, ps []configurator.Pick) (configurator.Configuration, string, error) {
	cfg, err := l.c.Complete(ctx, ps)
	if err != nil {
		return nil, "", err
	}
	key, err := l.c.Key(cfg)
	return cfg, key, err
}

func (l localModel) explain(ctx context.Context, ps []configurator.Pick, char, value string) (*configurator.Explanation, error) {
	return l.c.Explain(ctx, ps, char, value)
}

func (l localModel) check(ctx context.Context, ps []configurator.Pick) (*configurator.CheckResult, error) {
	return l.c.Check(ctx, ps)
}

// remoteModel is a server's stored model, as GetModel gives it: its
// characteristics parse picks and order the answers; every answer comes
// from the server.
type remoteModel struct {
	cl     *clients
	name   string
	source string              // the stored model's canonical text
	m      *configurator.Model // its characteristics, without rules
}

func (r *remoteModel) model() *configurator.Model { return r.m }

// compiled compiles the stored model's text, for commands that check their
// input against the model locally.
func (r *remoteModel) compiled() (*configurator.Compiled, error) {
	parsed, err := configurator.Parse(r.name+" (from the server)", []byte(r.source))
	if err != nil {
		return nil, fmt.Errorf("model %s as the server gave it: %w", r.name, err)
	}
	return configurator.Compile(parsed)
}

func (r *remoteModel) picks(in []string) ([]configurator.Pick, error) {
	return parsePicks(in, modelNone(r.m))
}

// value rewrites "none" where modelNone says so for the stored model; the
// server checks every other name and value.
func (r *remoteModel) value(char, value string) (string, error) {
	if value == "none" && modelNone(r.m)(char) {
		return "", nil
	}
	return value, nil
}

// propagate gives invalid picks as domains that are not valid, as the
// library does.
func (r *remoteModel) propagate(ctx context.Context, ps []configurator.Pick) (*configurator.Domains, error) {
	res, err := r.cl.conf.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: r.name, Picks: convert.PicksToProto(ps)}))
	if c := rpcConflict(err); c != nil {
		return &configurator.Domains{Conflict: c}, nil
	}
	if err != nil {
		return nil, err
	}
	return convert.DomainsFromProto(r.m, res.Msg.GetChars()), nil
}

func (r *remoteModel) complete(ctx context.Context, ps []configurator.Pick) (configurator.Configuration, string, error) {
	res, err := r.cl.conf.Complete(ctx, connect.NewRequest(&configuratorv1.CompleteRequest{Model: r.name, Picks: convert.PicksToProto(ps)}))
	if err != nil {
		return nil, "", err
	}
	return convert.ConfigFromProto(r.m, res.Msg.GetConfiguration()), res.Msg.GetKey(), nil
}

func (r *remoteModel) explain(ctx context.Context, ps []configurator.Pick, char, value string) (*configurator.Explanation, error) {
	res, err := r.cl.conf.Explain(ctx, connect.NewRequest(&configuratorv1.ExplainRequest{Model: r.name, Picks: convert.PicksToProto(ps), Char: char, Value: value}))
	if err != nil {
		return nil, err
	}
	return convert.ExplanationFromProto(char, value, res.Msg), nil
}

func (r *remoteModel) check(ctx context.Context, ps []configurator.Pick) (*configurator.CheckResult, error) {
	res, err := r.cl.conf.Check(ctx, connect.NewRequest(&configuratorv1.CheckRequest{Model: r.name, Picks: convert.PicksToProto(ps)}))
	if err != nil {
		return nil, err
	}
	out := &configurator.CheckResult{Valid: res.Msg.GetValid()}
	if !out.Valid {
		out.Conflict = convert.ConflictFromProto(res.Msg.GetConflict())
	}
	return out, nil
}

// completionChars lists a model's characteristics for writeCompletion.
func completionChars(m *configurator.Model) []completionChar {
	out := make([]completionChar, len(m.Chars))
	for i, ch := range m.Chars {
		out[i] = completionChar{ch.Name, ch.Kind == configurator.Multi}
	}
	return out
}
