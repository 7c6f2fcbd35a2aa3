package server_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
)

// callJSON calls procedure with the request written in proto JSON, as a
// unary or server-stream call with the server's token, asking for answers
// in lang; it returns the call's error.
func callJSON(t *testing.T, e *env, p protocol, procedure, body, lang string) error {
	t.Helper()
	md := method(t, procedure)
	req := dynamicpb.NewMessage(md.Input())
	if err := protojson.Unmarshal([]byte(body), req); err != nil {
		t.Fatalf("%s: test request %s: %v", procedure, body, err)
	}
	opts := append(e.writeOpts(p), connect.WithSchema(md), connect.WithResponseInitializer(func(_ connect.Spec, m any) error {
		*m.(*dynamicpb.Message) = *dynamicpb.NewMessage(md.Output())
		return nil
	}))
	c := connect.NewClient[dynamicpb.Message, dynamicpb.Message](e.client(p), e.url+procedure, opts...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r := connect.NewRequest(req)
	r.Header().Set("Accept-Language", lang)
	if md.IsStreamingServer() {
		st, err := c.CallServerStream(ctx, r)
		if err != nil {
			return err
		}
		for st.Receive() {
		}
		return errors.Join(st.Err(), st.Close())
	}
	_, err := c.CallUnary(ctx, r)
	return err
}

// goNames are what no message may show a client: Go package prefixes and
// generated type names.
var goNames = []string{"mrp:", "bom:", "configurator:", "kv:", "server:", "*mrpv1", "*bomv1", "*configuratorv1", "unmarshal into"}

// TestErrorModel: every RPC's not-found and invalid cases answer with the
// code, the ErrorInfo reason, the structured detail (what was not found,
// which field), a message without Go names, in English or Chinese.
func TestErrorModel(t *testing.T) {
	e := start(t)
	importTinyPlant(t, e, protocols[0])
	putTiny(t, e.configurator(protocols[0]))
	const (
		cfg = "/" + configuratorv1connect.ConfiguratorServiceName + "/"
		bm  = "/" + bomv1connect.BOMServiceName + "/"
		mr  = "/" + mrpv1connect.MRPServiceName + "/"
	)
	for _, tc := range []struct {
		proc, body string
		code       connect.Code
		reason     string
		kind, name string // the ResourceInfo of a NotFound
		field      string // the BadRequest field path
		zh         string // in the Chinese message
	}{
		{cfg + "GetModel", `{"name":"nosuch"}`, connect.CodeNotFound, "MODEL_NOT_FOUND", "model", "nosuch", "name", "未找到模型“nosuch”"},
		{cfg + "Check", `{"model":"nosuch"}`, connect.CodeNotFound, "MODEL_NOT_FOUND", "model", "nosuch", "model", "未找到模型"},
		{cfg + "Propagate", `{"model":"nosuch"}`, connect.CodeNotFound, "MODEL_NOT_FOUND", "model", "nosuch", "model", "未找到模型"},
		{cfg + "Explain", `{"model":"tiny","char":"colour","value":"red"}`, connect.CodeInvalidArgument, "INVALID_FIELD", "", "", "char", "请求字段 char 无效"},
		{cfg + "Complete", `{"model":"nosuch"}`, connect.CodeNotFound, "MODEL_NOT_FOUND", "model", "nosuch", "model", "未找到"},
		{cfg + "Check", `{"model":"tiny","picks":[{"char":"mast","value":"triplx"}]}`, connect.CodeInvalidArgument, "INVALID_FIELD", "", "", "picks[0].value", "无效"},
		{cfg + "PutModel", `{"filename":"bad.ctm","source":"model bad {"}`, connect.CodeInvalidArgument, "INVALID_SOURCE", "", "", "", "源文本有错误"},
		{bm + "GetItem", `{"id":"NOSUCH"}`, connect.CodeNotFound, "ITEM_NOT_FOUND", "item", "NOSUCH", "id", "未找到物料“NOSUCH”"},
		{bm + "Resolve", `{"item":"NOSUCH","date":"2026-12-01"}`, connect.CodeNotFound, "ITEM_NOT_FOUND", "item", "NOSUCH", "item", "未找到物料"},
		{bm + "Resolve", `{"item":"TRUCK","picks":[{"char":"mast","value":"triplx"}],"date":"2026-12-01"}`, connect.CodeInvalidArgument, "", "", "", "", "无效"},
		{bm + "Explode", `{"target":{"item":"NOSUCH"},"quantity":1}`, connect.CodeNotFound, "ITEM_NOT_FOUND", "item", "NOSUCH", "target.item", "未找到物料"},
		{bm + "WhereUsed", `{"item":"NOSUCH"}`, connect.CodeNotFound, "ITEM_NOT_FOUND", "item", "NOSUCH", "item", "未找到物料"},
		{bm + "CostRollup", `{"target":{"item":"NOSUCH"},"lotSize":1}`, connect.CodeNotFound, "ITEM_NOT_FOUND", "item", "NOSUCH", "target.item", "未找到物料"},
		{bm + "LeadTime", `{"target":{"item":"NOSUCH"}}`, connect.CodeNotFound, "ITEM_NOT_FOUND", "item", "NOSUCH", "target.item", "未找到物料"},
		{mr + "PegDemand", `{"demand":"SO-NOSUCH"}`, connect.CodeNotFound, "DEMAND_NOT_FOUND", "demand", "SO-NOSUCH", "demand", "未找到需求“SO-NOSUCH”"},
		{mr + "ListPlannedOrders", `{"demand":"SO-NOSUCH"}`, connect.CodeNotFound, "DEMAND_NOT_FOUND", "demand", "SO-NOSUCH", "demand", "未找到需求"},
		{mr + "ListPlannedOrders", `{"item":"NOSUCH"}`, connect.CodeNotFound, "ITEM_NOT_FOUND", "item", "NOSUCH", "item", "未找到物料"},
		{mr + "PegOrder", `{"order":"NOSUCH#2027-01-08"}`, connect.CodeNotFound, "ORDER_NOT_FOUND", "order", "NOSUCH#2027-01-08", "order", "未找到订单"},
		{mr + "GetRecord", `{"item":"NOSUCH"}`, connect.CodeNotFound, "ITEM_NOT_FOUND", "item", "NOSUCH", "item", "未找到物料“NOSUCH”"},
		{mr + "Promise", `{"item":"NOSUCH","qty":1,"date":"2026-12-02"}`, connect.CodeNotFound, "ITEM_NOT_FOUND", "item", "NOSUCH", "item", "未找到物料"},
		{mr + "DeleteDemands", `{"ids":["SO-NOSUCH"]}`, connect.CodeNotFound, "DEMAND_NOT_FOUND", "demand", "SO-NOSUCH", "ids[0]", "未找到需求"},
		{mr + "DeleteReceipts", `{"ids":["PO-NOSUCH"]}`, connect.CodeNotFound, "RECEIPT_NOT_FOUND", "receipt", "PO-NOSUCH", "ids[0]", "未找到入库单"},
		{mr + "UpsertDemands", `{"demands":[{"id":"SO-9","item":"NOSUCH","qty":1,"dueDate":"2027-01-10"}]}`, connect.CodeNotFound, "ITEM_NOT_FOUND", "item", "NOSUCH", "demands[0].item", "未找到物料"},
		{mr + "SetStock", `{"stock":[{"item":"NOSUCH","qty":4}]}`, connect.CodeNotFound, "ITEM_NOT_FOUND", "item", "NOSUCH", "stock[0].item", "未找到物料"},
		{mr + "UpsertDemands", `{"demands":[{"id":"SO-9","item":"CHAIN","qty":1,"dueDate":"2027-13-10"}]}`, connect.CodeInvalidArgument, "INVALID_FIELD", "", "", "demands[0].due_date", "请求字段"},
	} {
		for _, p := range []protocol{protocols[0], protocols[3]} {
			for _, lang := range []string{"en-GB,en;q=0.9", "zh-CN,zh;q=0.9,en;q=0.5"} {
				name := tc.proc + " " + tc.body + " " + p.name + " " + lang
				err := callJSON(t, e, p, tc.proc, tc.body, lang)
				var ce *connect.Error
				if !errors.As(err, &ce) {
					t.Errorf("%s: got %v, want a Connect error", name, err)
					continue
				}
				if ce.Code() != tc.code {
					t.Errorf("%s: code %v (%s), want %v", name, ce.Code(), ce.Message(), tc.code)
				}
				for _, g := range goNames {
					if strings.Contains(ce.Message(), g) {
						t.Errorf("%s: message %q shows %q", name, ce.Message(), g)
					}
				}
				if strings.HasPrefix(lang, "zh") && !strings.Contains(ce.Message(), tc.zh) {
					t.Errorf("%s: message %q, want %q in it", name, ce.Message(), tc.zh)
				}
				var info *errdetails.ErrorInfo
				var res *errdetails.ResourceInfo
				var br *errdetails.BadRequest
				for _, d := range ce.Details() {
					switch v, _ := d.Value(); v := v.(type) {
					case *errdetails.ErrorInfo:
						info = v
					case *errdetails.ResourceInfo:
						res = v
					case *errdetails.BadRequest:
						br = v
					}
				}
				if info == nil || info.GetDomain() != "ctoplan.dev" || info.GetReason() == "" || (tc.reason != "" && info.GetReason() != tc.reason) {
					t.Errorf("%s: ErrorInfo %v, want reason %s", name, info, tc.reason)
				}
				if tc.kind != "" && (res.GetResourceType() != tc.kind || res.GetResourceName() != tc.name) {
					t.Errorf("%s: ResourceInfo %v, want %s %q", name, res, tc.kind, tc.name)
				}
				if tc.field != "" && (len(br.GetFieldViolations()) == 0 || br.GetFieldViolations()[0].GetField() != tc.field) {
					t.Errorf("%s: BadRequest %v, want field %s", name, br, tc.field)
				}
			}
		}
	}
}

// TestStrictJSON: an unknown field of a JSON request is InvalidArgument
// naming the field, without Go type names.
func TestStrictJSON(t *testing.T) {
	e := start(t)
	putTiny(t, e.configurator(protocols[0]))
	for _, tc := range []struct{ proc, body, want string }{
		{"/" + configuratorv1connect.ConfiguratorServiceName + "/Check", `{"model":"tiny","pickz":[]}`, `"pickz"`},
		{"/" + mrpv1connect.MRPServiceName + "/Promise", `{"item":"CHAIN","qty":"x"}`, `qty`},
	} {
		code, body := e.postJSON(tc.proc, tc.body, true)
		msg, _ := body["message"].(string)
		if code != http.StatusBadRequest || body["code"] != "invalid_argument" || !strings.Contains(msg, tc.want) {
			t.Errorf("%s %s: %d %v", tc.proc, tc.body, code, body)
		}
		for _, g := range goNames {
			if strings.Contains(msg, g) {
				t.Errorf("%s: message %q shows %q", tc.proc, msg, g)
			}
		}
	}
}

var _ protoreflect.MethodDescriptor // method() in auth_test.go returns one

// TestChineseSentences: Check's conflict summary, Explain's sentence and a
// conflict error's message come in Chinese for Accept-Language zh, with the
// rule's zh message; in English otherwise.
func TestChineseSentences(t *testing.T) {
	e := start(t)
	c := e.configurator(protocols[0])
	src := strings.Replace(tinyModel, `message en "A triplex mast needs the 2.5 t truck"`,
		`message en "A triplex mast needs the 2.5 t truck"
    message zh "三级门架需要 2.5 吨车型"`, 1)
	if _, err := c.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: src})); err != nil {
		t.Fatal(err)
	}
	bad := []*configuratorv1.Pick{pick("mast", "triplex"), pick("capacity", "t15")}
	for _, lang := range []string{"zh-CN", "en-US", ""} {
		zh := lang == "zh-CN"
		req := connect.NewRequest(&configuratorv1.CheckRequest{Model: "tiny", Picks: bad})
		req.Header().Set("Accept-Language", lang)
		res, err := c.Check(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		got := res.Msg.GetConflict().GetMessage()
		want := "mast=triplex、capacity=t15 与 三级门架需要 2.5 吨车型 冲突"
		if !zh {
			want = "mast=triplex, capacity=t15 conflict with rule triplex_capacity (A triplex mast needs the 2.5 t truck)"
		}
		if got != want {
			t.Errorf("%q: Check summary %q, want %q", lang, got, want)
		}

		ereq := connect.NewRequest(&configuratorv1.ExplainRequest{Model: "tiny", Picks: bad[1:], Char: "mast", Value: "triplex"})
		ereq.Header().Set("Accept-Language", lang)
		eres, err := c.Explain(context.Background(), ereq)
		if err != nil {
			t.Fatal(err)
		}
		got = eres.Msg.GetReason().GetMessage()
		want = "mast=triplex 被排除，因为 capacity=t15；三级门架需要 2.5 吨车型"
		if !zh {
			want = "mast=triplex is excluded because of capacity=t15; rule triplex_capacity (A triplex mast needs the 2.5 t truck)"
		}
		if got != want {
			t.Errorf("%q: Explain sentence %q, want %q", lang, got, want)
		}

		creq := connect.NewRequest(&configuratorv1.CompleteRequest{Model: "tiny", Picks: bad})
		creq.Header().Set("Accept-Language", lang)
		_, err = c.Complete(context.Background(), creq)
		ce := wantCode(t, err, connect.CodeFailedPrecondition)
		if zh != strings.Contains(ce.Message(), "配置无效：mast=triplex、capacity=t15 与 三级门架需要 2.5 吨车型 冲突") {
			t.Errorf("%q: Complete conflict message %q", lang, ce.Message())
		}
		if cf := detail[*configuratorv1.Conflict](t, ce); zh != strings.Contains(cf.GetMessage(), "冲突") {
			t.Errorf("%q: Conflict detail message %q", lang, cf.GetMessage())
		}
	}
}
