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
	res, err := cl.conf.GetModel(ctx, connect.NewRequest(&configuratorv1.GetModelRequest{Name: name, View: configuratorv1.ModelView_MODEL_VIEW_FULL}))
	if err != nil {
		return readable(err)
	}
	m := &serverModel{name: name, source: res.Msg.GetSource(), model: convert.ModelFromProto(name, res.Msg.GetCharacteristics())}
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
	source string              // the stored model's canonical text
	model  *configurator.Model // its characteristics, without rules
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

// noneValue rewrites "none" to "" where modelNone says so for the stored
// model; the server checks every other name and value.
func (m *serverModel) noneValue(char, value string) string {
	if value == "none" && modelNone(m.model)(char) {
		return ""
	}
	return value
}

// picks parses --pick flags with parsePicks, in wire form.
func (m *serverModel) picks(in []string) ([]*configuratorv1.Pick, error) {
	ps, err := parsePicks(in, modelNone(m.model))
	if err != nil {
		return nil, err
	}
	return convert.PicksToProto(ps), nil
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

// modelChars lists a model's characteristics for writeCompletion.
func (m *serverModel) modelChars() []completionChar {
	out := make([]completionChar, len(m.model.Chars))
	for i, ch := range m.model.Chars {
		out[i] = completionChar{ch.Name, ch.Kind == configurator.Multi}
	}
	return out
}
