package server_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
)

// tinyModel: a triplex mast needs the 2.5 t truck.
const tinyModel = `model tiny {
  version "1"
  currency EUR
  char capacity single {
    default t15
    value t15
    value t25 { price 1800 }
  }
  char mast single {
    default duplex
    value duplex
    value triplex { price 2500 }
  }
  char lift_height int 2000..3000 step 500 { default 2000 }
  rule triplex_capacity {
    message en "A triplex mast needs the 2.5 t truck"
    mast = triplex -> capacity = t25
  }
}
`

func pick(char, value string) *configuratorv1.Pick {
	return &configuratorv1.Pick{Char: char, Value: value}
}

func putTiny(t *testing.T, c configuratorv1connect.ConfiguratorServiceClient) {
	t.Helper()
	res, err := c.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyModel}))
	if err != nil {
		t.Fatal(err)
	}
	m := res.Msg.GetModel()
	if m.GetName() != "tiny" || m.GetCharacteristics() != 3 || m.GetRules() != 1 || len(m.GetDigest()) != 64 {
		t.Fatalf("PutModel: %v", m)
	}
}

func state(res *configuratorv1.PropagateResponse, char, value string) configuratorv1.ValueState {
	for _, cd := range res.GetChars() {
		if cd.GetChar() != char {
			continue
		}
		switch {
		case slices.Contains(cd.GetSelected(), value):
			return configuratorv1.ValueState_VALUE_STATE_SELECTED
		case slices.Contains(cd.GetForced(), value):
			return configuratorv1.ValueState_VALUE_STATE_FORCED
		case slices.Contains(cd.GetPossible(), value):
			return configuratorv1.ValueState_VALUE_STATE_POSSIBLE
		case slices.Contains(cd.GetExcluded(), value):
			return configuratorv1.ValueState_VALUE_STATE_EXCLUDED
		}
	}
	return configuratorv1.ValueState_VALUE_STATE_UNSPECIFIED
}

// TestConfiguratorService calls every RPC over every protocol.
func TestConfiguratorService(t *testing.T) {
	e := start(t)
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			ctx := context.Background()
			c := e.configurator(p)
			putTiny(t, c)

			list, err := c.ListModels(ctx, connect.NewRequest(&configuratorv1.ListModelsRequest{}))
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Msg.GetModels()) != 1 || list.Msg.GetModels()[0].GetName() != "tiny" {
				t.Errorf("ListModels: %v", list.Msg)
			}

			got, err := c.GetModel(ctx, connect.NewRequest(&configuratorv1.GetModelRequest{Name: "tiny", View: configuratorv1.ModelView_MODEL_VIEW_FULL}))
			if err != nil {
				t.Fatal(err)
			}
			basic, err := c.GetModel(ctx, connect.NewRequest(&configuratorv1.GetModelRequest{Name: "tiny"}))
			if err != nil {
				t.Fatal(err)
			}
			// AIP-157: the default view is BASIC, without the source; the
			// ETag is the digest and the view.
			digest := got.Msg.GetModel().GetDigest()
			if basic.Msg.GetSource() != "" || len(basic.Msg.GetCharacteristics()) != 3 || len(digest) != 64 ||
				basic.Header().Get("ETag") != `"`+digest+`-basic"` || got.Header().Get("ETag") != `"`+digest+`-full"` {
				t.Errorf("GetModel BASIC: %v (ETag %q), FULL ETag %q", basic.Msg, basic.Header().Get("ETag"), got.Header().Get("ETag"))
			}
			if len(got.Msg.GetCharacteristics()) != 3 || got.Msg.GetCharacteristics()[2].GetKind() != configuratorv1.Kind_KIND_INT ||
				!strings.Contains(got.Msg.GetSource(), "triplex_capacity") {
				t.Errorf("GetModel: %v", got.Msg)
			}

			chk, err := c.Check(ctx, connect.NewRequest(&configuratorv1.CheckRequest{Model: "tiny", Picks: []*configuratorv1.Pick{pick("mast", "triplex")}}))
			if err != nil || !chk.Msg.GetValid() {
				t.Fatalf("Check valid: %v %v", chk, err)
			}
			chk, err = c.Check(ctx, connect.NewRequest(&configuratorv1.CheckRequest{Model: "tiny", Picks: []*configuratorv1.Pick{
				pick("capacity", "t15"), pick("lift_height", "2500"), pick("mast", "triplex")}}))
			if err != nil {
				t.Fatal(err)
			}
			if chk.Msg.GetValid() {
				t.Fatal("Check: t15 with triplex is valid")
			}
			checkConflict(t, chk.Msg.GetConflict())

			prop, err := c.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: "tiny", Picks: []*configuratorv1.Pick{pick("capacity", "t15")}}))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []struct {
				char, value string
				want        configuratorv1.ValueState
			}{
				{"capacity", "t15", configuratorv1.ValueState_VALUE_STATE_SELECTED},
				{"capacity", "t25", configuratorv1.ValueState_VALUE_STATE_EXCLUDED},
				{"mast", "duplex", configuratorv1.ValueState_VALUE_STATE_FORCED},
				{"mast", "triplex", configuratorv1.ValueState_VALUE_STATE_EXCLUDED},
				{"lift_height", "2500", configuratorv1.ValueState_VALUE_STATE_POSSIBLE},
			} {
				if got := state(prop.Msg, w.char, w.value); got != w.want {
					t.Errorf("Propagate: %s=%s is %v, want %v", w.char, w.value, got, w.want)
				}
			}

			ex, err := c.Explain(ctx, connect.NewRequest(&configuratorv1.ExplainRequest{Model: "tiny",
				Picks: []*configuratorv1.Pick{pick("capacity", "t15"), pick("lift_height", "3000")}, Char: "mast", Value: "triplex"}))
			if err != nil {
				t.Fatal(err)
			}
			if ex.Msg.GetState() != configuratorv1.ValueState_VALUE_STATE_EXCLUDED {
				t.Errorf("Explain state %v", ex.Msg.GetState())
			}
			r := ex.Msg.GetReason()
			if len(r.GetPicks()) != 1 || pickString(r.GetPicks()[0]) != "capacity=t15" ||
				len(r.GetConstraints()) != 1 || r.GetConstraints()[0].GetName() != "triplex_capacity" {
				t.Errorf("Explain: %v", r)
			}

			comp, err := c.Complete(ctx, connect.NewRequest(&configuratorv1.CompleteRequest{Model: "tiny", Picks: []*configuratorv1.Pick{pick("mast", "triplex")}}))
			if err != nil {
				t.Fatal(err)
			}
			cfg := map[string]string{}
			for _, a := range comp.Msg.GetConfiguration() {
				cfg[a.GetChar()] = strings.Join(a.GetValues(), ",")
			}
			if cfg["capacity"] != "t25" || cfg["mast"] != "triplex" || cfg["lift_height"] != "2000" ||
				comp.Msg.GetPrice().GetAmount() != "4300" || comp.Msg.GetPrice().GetCurrencyCode() != "EUR" || len(comp.Msg.GetKey()) < 32 {
				t.Errorf("Complete: %v", comp.Msg)
			}
		})
	}
}

func pickString(p *configuratorv1.Pick) string { return p.GetChar() + "=" + p.GetValue() }

func checkConflict(t *testing.T, c *configuratorv1.Conflict) {
	t.Helper()
	var picks []string
	for _, p := range c.GetPicks() {
		picks = append(picks, pickString(p))
	}
	slices.Sort(picks)
	if !slices.Equal(picks, []string{"capacity=t15", "mast=triplex"}) {
		t.Errorf("conflict picks %v, want the minimal capacity=t15, mast=triplex", picks)
	}
	if len(c.GetConstraints()) != 1 || c.GetConstraints()[0].GetName() != "triplex_capacity" ||
		c.GetConstraints()[0].GetMessage()["en"] != "A triplex mast needs the 2.5 t truck" ||
		!strings.HasPrefix(c.GetConstraints()[0].GetPosition(), "tiny.ctm:") {
		t.Errorf("conflict constraints %v", c.GetConstraints())
	}
}

// TestConfiguratorErrors checks the codes and details of every error class.
func TestConfiguratorErrors(t *testing.T) {
	e := start(t)
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			ctx := context.Background()
			c := e.configurator(p)
			putTiny(t, c)

			// Compile errors: InvalidArgument with file:line:col.
			_, err := c.PutModel(ctx, connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "bad.ctm",
				Source: "model bad {\n  char mast single {\n    value duplex\n  }\n  rule r { mast = triplx }\n}\n"}))
			ce := wantCode(t, err, connect.CodeInvalidArgument)
			se := detail[*rpcv1.SourceErrors](t, ce)
			if len(se.GetErrors()) == 0 || se.GetErrors()[0].GetFile() != "bad.ctm" || se.GetErrors()[0].GetLine() != 5 ||
				se.GetErrors()[0].GetCol() == 0 || !strings.Contains(se.GetErrors()[0].GetMessage(), `"triplx"`) {
				t.Errorf("compile error detail: %v", se)
			}
			// ... and the bad model was not stored.
			if _, err := c.GetModel(ctx, connect.NewRequest(&configuratorv1.GetModelRequest{Name: "bad"})); err == nil {
				t.Error("a model that does not compile was stored")
			}

			// Unknown model: NotFound.
			_, err = c.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: "nosuch"}))
			ce = wantCode(t, err, connect.CodeNotFound)
			if nf := detail[*errdetails.ResourceInfo](t, ce); nf.GetResourceType() != "model" || nf.GetResourceName() != "nosuch" {
				t.Errorf("NotFound detail %v", nf)
			}

			// Bad pick: InvalidArgument naming the field.
			_, err = c.Check(ctx, connect.NewRequest(&configuratorv1.CheckRequest{Model: "tiny",
				Picks: []*configuratorv1.Pick{pick("mast", "duplex"), pick("mast", "triplx")}}))
			ce = wantCode(t, err, connect.CodeInvalidArgument)
			if br := detail[*errdetails.BadRequest](t, ce); br.GetFieldViolations()[0].GetField() != "picks[1].value" {
				t.Errorf("BadRequest detail %v", br)
			}
			_, err = c.Explain(ctx, connect.NewRequest(&configuratorv1.ExplainRequest{Model: "tiny", Char: "colour", Value: "red"}))
			ce = wantCode(t, err, connect.CodeInvalidArgument)
			if br := detail[*errdetails.BadRequest](t, ce); br.GetFieldViolations()[0].GetField() != "char" {
				t.Errorf("BadRequest detail %v", br)
			}

			// Invalid picks: FailedPrecondition with the minimal conflict.
			bad := []*configuratorv1.Pick{pick("capacity", "t15"), pick("mast", "triplex"), pick("lift_height", "2000")}
			_, err = c.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: "tiny", Picks: bad}))
			checkConflict(t, detail[*configuratorv1.Conflict](t, wantCode(t, err, connect.CodeFailedPrecondition)))
			_, err = c.Complete(ctx, connect.NewRequest(&configuratorv1.CompleteRequest{Model: "tiny", Picks: bad}))
			checkConflict(t, detail[*configuratorv1.Conflict](t, wantCode(t, err, connect.CodeFailedPrecondition)))
		})
	}
}

// TestConfiguratorJSON calls the service as curl does: plain HTTP POST with
// a JSON body.
func TestConfiguratorJSON(t *testing.T) {
	e := start(t)
	code, body := e.postJSON(configuratorv1connect.ConfiguratorServicePutModelProcedure,
		`{"filename":"tiny.ctm","source":`+jsonString(tinyModel)+`}`, true)
	if code != http.StatusOK || body["model"].(map[string]any)["name"] != "tiny" {
		t.Fatalf("PutModel: %d %v", code, body)
	}
	code, body = e.postJSON(configuratorv1connect.ConfiguratorServicePropagateProcedure,
		`{"model":"tiny","picks":[{"char":"capacity","value":"t15"}]}`, false)
	if code != http.StatusOK {
		t.Fatalf("Propagate: %d %v", code, body)
	}
	chars := body["chars"].([]any)
	mast := chars[1].(map[string]any)
	if mast["char"] != "mast" || mast["excluded"].([]any)[0] != "triplex" || mast["forced"].([]any)[0] != "duplex" {
		t.Errorf("Propagate: %v", mast)
	}
	code, body = e.postJSON(configuratorv1connect.ConfiguratorServiceCheckProcedure,
		`{"model":"tiny","picks":[{"char":"mast","value":"triplex"},{"char":"capacity","value":"t15"}]}`, false)
	if code != http.StatusOK || body["valid"] != nil {
		t.Fatalf("Check: %d %v", code, body)
	}
	code, body = e.postJSON(configuratorv1connect.ConfiguratorServiceCompleteProcedure,
		`{"model":"tiny","picks":[{"char":"mast","value":"triplex"},{"char":"capacity","value":"t15"}]}`, false)
	if code != http.StatusBadRequest || body["code"] != "failed_precondition" || len(body["details"].([]any)) != 2 { // ErrorInfo, Conflict
		t.Errorf("Complete with a conflict: %d %v", code, body)
	}
	for _, proc := range []string{
		configuratorv1connect.ConfiguratorServiceListModelsProcedure,
		configuratorv1connect.ConfiguratorServiceGetModelProcedure,
		configuratorv1connect.ConfiguratorServiceExplainProcedure,
	} {
		req := `{"name":"tiny"}`
		switch {
		case strings.HasSuffix(proc, "ListModels"):
			req = `{}` // unknown fields are an error
		case strings.HasSuffix(proc, "Explain"):
			req = `{"model":"tiny","picks":[{"char":"capacity","value":"t15"}],"char":"mast","value":"triplex"}`
		}
		if code, body := e.postJSON(proc, req, false); code != http.StatusOK {
			t.Errorf("%s: %d %v", proc, code, body)
		}
	}
	// Broken JSON: 400 invalid_argument.
	if code, body := e.postJSON(configuratorv1connect.ConfiguratorServiceCheckProcedure, `{"model":"tiny","picks":[}`, false); code != http.StatusBadRequest || body["code"] != "invalid_argument" {
		t.Errorf("broken JSON: %d %v", code, body)
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// TestPutModelOtherFormats: a feature model uploaded by its file name's
// extension (.uvl here) is stored as the .ctm model it reads as; one that
// does not read is refused with its position in the uploaded text.
func TestPutModelOtherFormats(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.configurator(protocols[0])
	uvl := "features\n\tCar\n\t\tmandatory\n\t\t\tEngine\n\t\t\t\talternative\n\t\t\t\t\tPetrol\n\t\t\t\t\tElectric\n\t\toptional\n\t\t\t\"Tow Bar\"\n" +
		"constraints\n\t\"Tow Bar\" => Petrol\n"
	res, err := c.PutModel(ctx, connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "car.uvl", Source: uvl}))
	if err != nil {
		t.Fatal(err)
	}
	if m := res.Msg.GetModel(); m.GetName() != "car" || m.GetCharacteristics() != 5 {
		t.Fatalf("PutModel: %v", m)
	}
	pr, err := c.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: "car", Picks: []*configuratorv1.Pick{pick("Electric", "true")}}))
	if err != nil {
		t.Fatal(err)
	}
	if s := state(pr.Msg, "Tow Bar", "true"); s != configuratorv1.ValueState_VALUE_STATE_EXCLUDED {
		t.Errorf("Tow Bar=true after Electric: %v, want excluded", s)
	}
	gm, err := c.GetModel(ctx, connect.NewRequest(&configuratorv1.GetModelRequest{Name: "car", View: configuratorv1.ModelView_MODEL_VIEW_FULL}))
	if err != nil {
		t.Fatal(err)
	}
	if src := gm.Msg.GetSource(); !strings.HasPrefix(src, "model car {") || !strings.Contains(src, "rule `alternative under Engine`") {
		t.Errorf("stored source:\n%s", src)
	}
	// BOMService.Import takes one too
	imp, err := e.bom(protocols[0]).Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Models: []*bomv1.ModelSource{{Filename: "bike.uvl",
		Source: "features\n\tBike\n\t\toptional\n\t\t\tBell\n"}}}))
	if err != nil || imp.Msg.GetModels() != 1 {
		t.Fatalf("Import of a UVL model: %v, %v", imp, err)
	}
	if _, err := c.GetModel(ctx, connect.NewRequest(&configuratorv1.GetModelRequest{Name: "bike"})); err != nil {
		t.Fatalf("the imported UVL model: %v", err)
	}
	_, err = c.PutModel(ctx, connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "bad.uvl", Source: "features\n\tA\nconstraints\n\tA => B\n"}))
	se := detail[*rpcv1.SourceErrors](t, wantCode(t, err, connect.CodeInvalidArgument))
	if len(se.GetErrors()) != 1 || se.GetErrors()[0].GetFile() != "bad.uvl" || se.GetErrors()[0].GetLine() != 4 || !strings.Contains(se.GetErrors()[0].GetMessage(), `unknown feature "B"`) {
		t.Errorf("bad UVL: %v", se)
	}
}
