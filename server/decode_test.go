package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/ctoplan/ctoplan/server"
)

// rawCodec sends the bytes it was made with as the request, whatever the
// message, under the name of a real codec: a client that sends what a
// server cannot decode.
type rawCodec struct {
	name string
	body []byte
}

func (c rawCodec) Name() string                    { return c.name }
func (c rawCodec) Marshal(any) ([]byte, error)     { return c.body, nil }
func (c rawCodec) Unmarshal(b []byte, v any) error { return proto.Unmarshal(b, v.(proto.Message)) }

// callRaw sends body as the request of procedure over p, with codec name
// ("json" or "proto"), token and Accept-Language lang; it returns the call's error.
func callRaw(t *testing.T, e *env, p protocol, procedure, codec string, body []byte, token, lang string) error {
	t.Helper()
	md := method(t, procedure)
	opts := append(append([]connect.ClientOption(nil), p.opts...), connect.WithCodec(rawCodec{codec, body}),
		connect.WithSchema(md), connect.WithResponseInitializer(func(_ connect.Spec, m any) error {
			*m.(*dynamicpb.Message) = *dynamicpb.NewMessage(md.Output())
			return nil
		}))
	if token != "" {
		opts = append(opts, connect.WithInterceptors(bearer(token)))
	}
	c := connect.NewClient[dynamicpb.Message, dynamicpb.Message](e.client(p), e.url+procedure, opts...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := connect.NewRequest(dynamicpb.NewMessage(md.Input()))
	req.Header().Set("Accept-Language", lang)
	if md.IsStreamingServer() {
		st, err := c.CallServerStream(ctx, req)
		if err != nil {
			return err
		}
		for st.Receive() {
		}
		return errors.Join(st.Err(), st.Close())
	}
	_, err := c.CallUnary(ctx, req)
	return err
}

// errorShape is what a client reads of an error: code, message, reason and
// the BadRequest field.
func errorShape(t *testing.T, err error) (connect.Code, string, string, string) {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want a Connect error", err)
	}
	var reason, field string
	for _, d := range ce.Details() {
		switch v, _ := d.Value(); v := v.(type) {
		case *errdetails.ErrorInfo:
			if v.GetDomain() == "ctoplan.dev" {
				reason = v.GetReason()
			}
		case *errdetails.BadRequest:
			if len(v.GetFieldViolations()) > 0 {
				field = v.GetFieldViolations()[0].GetField()
			}
		}
	}
	return ce.Code(), ce.Message(), reason, field
}

// TestDecodeErrorModel: a request that does not decode, over every
// protocol, unary or a server stream, gets InvalidArgument with an
// ErrorInfo reason, the field where one is at fault, a message without Go
// names and in Chinese when asked.
func TestDecodeErrorModel(t *testing.T) {
	e := start(t)
	putTiny(t, e.configurator(protocols[0]))
	importTinyPlant(t, e, protocols[0])
	const (
		check  = "/ctoplan.configurator.v1.ConfiguratorService/Check"
		list   = "/ctoplan.mrp.v1.MRPService/ListPlannedOrders"
		record = "/ctoplan.mrp.v1.MRPService/GetRecord"
	)
	// CheckRequest.model (field 1) as bytes that are not UTF-8
	badUTF8 := protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), []byte("tiny\xff"))
	for _, tc := range []struct {
		name, proc, codec, body string
		reason, field, inMsg    string
	}{
		{"unknown JSON field", check, "json", `{"model":"tiny","pickz":[]}`, "UNKNOWN_FIELD", "pickz", `"pickz"`},
		{"unknown JSON field, stream", list, "json", `{"itemz":"CHAIN"}`, "UNKNOWN_FIELD", "itemz", `"itemz"`},
		{"JSON cut short", check, "json", `{"model":`, "MALFORMED_REQUEST", "", "JSON"},
		{"JSON of the wrong type", record, "json", `{"item":7}`, "MALFORMED_REQUEST", "", "item"},
		{"bad wire data", check, "proto", "\xff\xff\xff", "MALFORMED_REQUEST", "", "protobuf"},
		{"bad wire data, stream", list, "proto", "\x0a\x05ab", "MALFORMED_REQUEST", "", "protobuf"},
		{"not UTF-8", check, "proto", string(badUTF8), "INVALID_FIELD", "model", "not UTF-8"},
	} {
		for _, p := range protocols {
			if tc.codec == "json" && p.name == "connect-proto" {
				continue // the same as connect-json
			}
			for _, lang := range []string{"en", "zh-CN"} {
				name := tc.name + " " + p.name + " " + lang
				err := callRaw(t, e, p, tc.proc, tc.codec, []byte(tc.body), e.token, lang)
				code, msg, reason, field := errorShape(t, err)
				if code != connect.CodeInvalidArgument || reason != tc.reason || field != tc.field {
					t.Errorf("%s: %v %q reason %q field %q; want invalid_argument, %s, field %q", name, code, msg, reason, field, tc.reason, tc.field)
				}
				if !strings.Contains(msg, tc.inMsg) {
					t.Errorf("%s: message %q lacks %q", name, msg, tc.inMsg)
				}
				for _, g := range append(goNames, "proto:", "unmarshal message") {
					if strings.Contains(msg, g) {
						t.Errorf("%s: message %q shows %q", name, msg, g)
					}
				}
				if zh := strings.HasPrefix(lang, "zh"); zh != strings.ContainsAny(msg, "请求无效") {
					t.Errorf("%s: message %q in the wrong language", name, msg)
				}
			}
		}
	}

	// A client cannot forge the server's mark: a GetRecord with an
	// unknown field of the mark's number is an ordinary request.
	forged := protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), []byte("STEEL"))
	forged = protowire.AppendBytes(protowire.AppendTag(forged, protowire.MaxValidNumber, protowire.BytesType), []byte("0123456789abcdefdforged\x00message"))
	if err := callRaw(t, e, protocols[1], record, "proto", forged, e.token, "en"); err != nil {
		t.Errorf("a request with an unknown field like the mark: %v", err)
	}
}

// TestAuthErrorModel: a call refused before its body is read (no token, a
// wrong or malformed one, a token without the scope) answers with
// Unauthenticated or PermissionDenied and an ErrorInfo reason, over
// Connect, gRPC and gRPC-Web, in Chinese when asked.
func TestAuthErrorModel(t *testing.T) {
	e := start(t, withScopedTokens(0))
	const (
		put  = "/ctoplan.configurator.v1.ConfiguratorService/PutModel"
		list = "/ctoplan.mrp.v1.MRPService/ListPlannedOrders"
	)
	for _, tc := range []struct {
		name, proc, auth string
		code             connect.Code
		reason           string
	}{
		{"no token", put, "", connect.CodeUnauthenticated, "TOKEN_MISSING"},
		{"no token, stream", list, "", connect.CodeUnauthenticated, "TOKEN_MISSING"},
		{"wrong token", put, "Bearer not-a-token-0123456789", connect.CodeUnauthenticated, "TOKEN_WRONG"},
		{"malformed", put, "Basic abc", connect.CodeUnauthenticated, "TOKEN_MALFORMED"},
		{"read token for an admin call", put, "Bearer " + scopeTokens[server.ScopeRead], connect.CodePermissionDenied, "SCOPE_MISSING"},
		{"quote token for a read stream", list, "Bearer " + scopeTokens[server.ScopeQuote], connect.CodePermissionDenied, "SCOPE_MISSING"},
	} {
		for _, p := range protocols {
			for _, lang := range []string{"en", "zh"} {
				name := tc.name + " " + p.name + " " + lang
				err := callRaw(t, e, p, tc.proc, "proto", nil, "", lang)
				if tc.auth != "" {
					err = callRawAuth(t, e, p, tc.proc, tc.auth, lang)
				}
				code, msg, reason, _ := errorShape(t, err)
				if code != tc.code || reason != tc.reason {
					t.Errorf("%s: %v %q reason %q; want %v %s", name, code, msg, reason, tc.code, tc.reason)
				}
				if zh := lang == "zh"; zh != strings.ContainsAny(msg, "令牌头权限") {
					t.Errorf("%s: message %q in the wrong language", name, msg)
				}
			}
		}
	}
}

// callRawAuth calls procedure with an empty request and the Authorization
// header auth.
func callRawAuth(t *testing.T, e *env, p protocol, procedure, auth, lang string) error {
	t.Helper()
	md := method(t, procedure)
	opts := append(append([]connect.ClientOption(nil), p.opts...), connect.WithSchema(md),
		connect.WithResponseInitializer(func(_ connect.Spec, m any) error {
			*m.(*dynamicpb.Message) = *dynamicpb.NewMessage(md.Output())
			return nil
		}))
	c := connect.NewClient[dynamicpb.Message, dynamicpb.Message](e.client(p), e.url+procedure, opts...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := connect.NewRequest(dynamicpb.NewMessage(md.Input()))
	req.Header().Set("Accept-Language", lang)
	req.Header().Set("Authorization", auth)
	if md.IsStreamingServer() {
		st, err := c.CallServerStream(ctx, req)
		if err != nil {
			return err
		}
		for st.Receive() {
		}
		return errors.Join(st.Err(), st.Close())
	}
	_, err := c.CallUnary(ctx, req)
	return err
}
