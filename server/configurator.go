package server

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"connectrpc.com/connect"

	"github.com/ctoplan/ctoplan/configurator"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/internal/typo"
	"github.com/ctoplan/ctoplan/mrp"
)

// configuratorService adapts package configurator to
// ctoplan.configurator.v1.ConfiguratorService.
type configuratorService struct{ s *Server }

func (c *configuratorService) PutModel(ctx context.Context, req *connect.Request[configuratorv1.PutModelRequest]) (*connect.Response[configuratorv1.PutModelResponse], error) {
	file := req.Msg.GetFilename()
	if file == "" {
		file = "model.ctm"
	}
	src := req.Msg.GetSource()
	if src == "" {
		return nil, c.s.toConnect(badField("source", "empty model text"))
	}
	// a model under which stored sales orders' configurations are invalid
	// is refused (the plan could not be rebuilt on it); the plan is held
	// from the check to the write
	unlock, err := c.s.checkModels(ctx, map[string]string{file: src})
	defer unlock()
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	// a feature model (by file name) is stored as .ctm: bom.Store.PutModel
	cm, err := c.s.models.put(ctx, file, src)
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	return connect.NewResponse(&configuratorv1.PutModelResponse{Model: modelInfo(cm)}), nil
}

func (c *configuratorService) ListModels(ctx context.Context, req *connect.Request[configuratorv1.ListModelsRequest]) (*connect.Response[configuratorv1.ListModelsResponse], error) {
	n, after, err := readNamePage(req.Msg.GetPageSize(), req.Msg.GetPageToken())
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	names, next := pageOfNames(c.s.models.bom.ModelNames(), n, after)
	list, err := c.s.models.list(ctx, names)
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	out := &configuratorv1.ListModelsResponse{NextPageToken: next}
	for _, cm := range list {
		out.Models = append(out.Models, modelInfo(cm))
	}
	return connect.NewResponse(out), nil
}

func (c *configuratorService) GetModel(ctx context.Context, req *connect.Request[configuratorv1.GetModelRequest]) (*connect.Response[configuratorv1.GetModelResponse], error) {
	cm, err := c.s.models.get(ctx, req.Msg.GetName())
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	view := req.Msg.GetView()
	if _, ok := configuratorv1.ModelView_name[int32(view)]; !ok {
		return nil, c.s.toConnect(badField("view", "unknown view %d (want MODEL_VIEW_BASIC or MODEL_VIEW_FULL)", view))
	}
	out := &configuratorv1.GetModelResponse{Model: modelInfo(cm)}
	etag := "basic"
	if view == configuratorv1.ModelView_MODEL_VIEW_FULL {
		out.Source, etag = string(configurator.Format(cm.model)), "full"
	}
	for _, ch := range cm.model.Chars {
		out.Characteristics = append(out.Characteristics, convert.CharToProto(ch, cm.model.Currency))
	}
	res := connect.NewResponse(out)
	// the digest names the model's canonical text, so the answer of a view
	res.Header().Set("ETag", `"`+out.GetModel().GetDigest()+"-"+etag+`"`)
	return res, nil
}

func (c *configuratorService) Check(ctx context.Context, req *connect.Request[configuratorv1.CheckRequest]) (*connect.Response[configuratorv1.CheckResponse], error) {
	cm, picks, done, err := c.s.modelAndPicks(ctx, req.Msg.GetModel(), req.Msg.GetPicks())
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	defer done()
	res, err := cm.compiled.Check(ctx, picks)
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	out := &configuratorv1.CheckResponse{Valid: res.Valid}
	if !res.Valid {
		out.Conflict = convert.ConflictToProto(res.Conflict)
	}
	return connect.NewResponse(out), nil
}

func (c *configuratorService) Propagate(ctx context.Context, req *connect.Request[configuratorv1.PropagateRequest]) (*connect.Response[configuratorv1.PropagateResponse], error) {
	cm, picks, err := c.s.modelPicks(ctx, req.Msg.GetModel(), req.Msg.GetPicks())
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	var (
		key  string
		from *configurator.Witnesses
	)
	if cm.memo != nil {
		key = memoKey(picks)
		if ans, ok := cm.memo.get(key); ok {
			return connect.NewResponse(ans.res), nil
		}
		// A user's next click: the picks before the last one were
		// likely asked just before; start from their witnesses.
		if n := len(picks); n > 0 {
			if ans, ok := cm.memo.get(memoKey(picks[:n-1])); ok {
				from = ans.wit
			}
		}
	}
	done, err := c.s.query(ctx)
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	defer done()
	d, wit, err := cm.compiled.PropagateFrom(ctx, picks, from)
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	if !d.Valid {
		return nil, c.s.toConnect(&configurator.ConflictError{Conflict: d.Conflict})
	}
	res := &configuratorv1.PropagateResponse{Chars: convert.DomainsToProto(d)}
	cm.memo.put(key, memoAnswer{res: res, wit: wit})
	return connect.NewResponse(res), nil
}

func (c *configuratorService) Explain(ctx context.Context, req *connect.Request[configuratorv1.ExplainRequest]) (*connect.Response[configuratorv1.ExplainResponse], error) {
	cm, picks, done, err := c.s.modelAndPicks(ctx, req.Msg.GetModel(), req.Msg.GetPicks())
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	defer done()
	if err := checkCharValue(cm.model, "", req.Msg.GetChar(), req.Msg.GetValue()); err != nil {
		return nil, c.s.toConnect(err)
	}
	e, err := cm.compiled.Explain(ctx, picks, req.Msg.GetChar(), req.Msg.GetValue())
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	return connect.NewResponse(convert.ExplanationToProto(e)), nil
}

func (c *configuratorService) Complete(ctx context.Context, req *connect.Request[configuratorv1.CompleteRequest]) (*connect.Response[configuratorv1.CompleteResponse], error) {
	cm, picks, done, err := c.s.modelAndPicks(ctx, req.Msg.GetModel(), req.Msg.GetPicks())
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	defer done()
	cfg, err := cm.compiled.Complete(ctx, picks)
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	key, err := cm.compiled.Key(cfg)
	if err != nil {
		return nil, c.s.toConnect(err)
	}
	return connect.NewResponse(&configuratorv1.CompleteResponse{
		Configuration: convert.ConfigToProto(cm.model, cfg),
		Key:           key,
		Price:         convert.MoneyCents(cm.model.Currency, cm.model.Price(cfg)),
	}), nil
}

// modelAndPicks looks up the model and checks every pick names a
// characteristic and a value of it, so that a typo is InvalidArgument naming
// the field, not an empty answer.
//
// It also waits for a query turn (see Options.MaxQueries): the caller must
// call done when the query finished.
func (s *Server) modelAndPicks(ctx context.Context, name string, in []*configuratorv1.Pick) (cm *compiledModel, picks []configurator.Pick, done func(), err error) {
	cm, picks, err = s.modelPicks(ctx, name, in)
	if err != nil {
		return nil, nil, nil, err
	}
	done, err = s.query(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	return cm, picks, done, nil
}

// modelPicks is modelAndPicks without waiting for a query turn.
func (s *Server) modelPicks(ctx context.Context, name string, in []*configuratorv1.Pick) (*compiledModel, []configurator.Pick, error) {
	cm, err := s.models.get(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	picks, err := picksFromProto(cm.model, cm.values, "picks", in)
	if err != nil {
		return nil, nil, err
	}
	return cm, picks, nil
}

// picksFromProto checks and converts picks; values (nil: none) are m's
// value sets, which spare the check of a valid pick its allocations.
func picksFromProto(m *configurator.Model, values valueSets, field string, in []*configuratorv1.Pick) ([]configurator.Pick, error) {
	out := make([]configurator.Pick, len(in))
	for i, p := range in {
		if !values[p.GetChar()][p.GetValue()] {
			if err := checkCharValue(m, fmt.Sprintf("%s[%d]", field, i), p.GetChar(), p.GetValue()); err != nil {
				return nil, err
			}
		}
		out[i] = configurator.Pick{Char: p.GetChar(), Value: p.GetValue(), Exclude: p.GetExclude()}
	}
	return out, nil
}

// valueSets holds, per characteristic, the values checkCharValue accepts.
type valueSets map[string]map[string]bool

func newValueSets(m *configurator.Model) valueSets {
	out := make(valueSets, len(m.Chars))
	for _, ch := range m.Chars {
		set := map[string]bool{}
		for _, v := range ch.Domain() {
			set[v] = true
		}
		if ch.Kind == configurator.Single && ch.Optional {
			set[""] = true
		}
		out[ch.Name] = set
	}
	return out
}

// checkCharValue reports an unknown characteristic or value as a bad field
// (prefix.char / prefix.value; just char / value when prefix is empty).
func checkCharValue(m *configurator.Model, prefix, char, value string) error {
	dot := func(f string) string {
		if prefix == "" {
			return f
		}
		return prefix + "." + f
	}
	ch := m.Char(char)
	if ch == nil {
		if char == "" {
			return badField(dot("char"), "missing characteristic name")
		}
		return badField(dot("char"), "model %s has no characteristic %s%s", m.Name, typo.Quote(char), didYouMean(char, m.CharNames()))
	}
	if value == "" && ch.Kind == configurator.Single && ch.Optional {
		return nil
	}
	for _, v := range ch.Domain() {
		if v == value {
			return nil
		}
	}
	return badField(dot("value"), "%s is not a value of %s (%s)%s", typo.Quote(value), char, domainHint(ch), didYouMean(value, ch.Domain()))
}

// didYouMean is " (did you mean "x"?)" for the closest candidate, or "".
func didYouMean(name string, candidates []string) string {
	return typo.DidYouMean(name, candidates)
}

func domainHint(ch *configurator.Characteristic) string {
	switch ch.Kind {
	case configurator.Int:
		return fmt.Sprintf("%d..%d step %d", ch.Min, ch.Max, ch.Step)
	case configurator.Bool:
		return "true or false"
	}
	d := ch.Domain()
	if len(d) > 8 {
		return fmt.Sprintf("one of %v ...", d[:8])
	}
	return fmt.Sprintf("one of %v", d)
}

func modelInfo(cm *compiledModel) *configuratorv1.ModelInfo {
	m := cm.model
	return &configuratorv1.ModelInfo{
		Name:            m.Name,
		Version:         m.Version,
		Labels:          m.Labels,
		Currency:        m.Currency,
		Characteristics: int32(len(m.Chars)),
		Rules:           int32(len(m.Rules)),
		Tables:          int32(len(m.Tables)),
		Digest:          cm.digest,
	}
}

// checkModels holds the plan (as a change does) and checks that the models
// given (file name -> text) break no order of it (mrp.BOMPlan.CheckModel);
// a text that does not read is left to the write to report. The caller
// calls unlock once it stored the models (or gave up), also after an error.
func (s *Server) checkModels(ctx context.Context, models map[string]string) (unlock func(), err error) {
	s.lockPlan()
	unlock = s.mrp.mu.Unlock
	if err := s.mrp.plan.CatchUp(ctx); err != nil && !errors.Is(err, mrp.ErrNoPlan) {
		return unlock, err
	}
	for file, src := range models {
		m, err := configurator.Read(file, strings.NewReader(src))
		if err != nil {
			continue
		}
		if err := s.mrp.plan.CheckModel(ctx, m); err != nil {
			return unlock, err
		}
	}
	return unlock, nil
}
