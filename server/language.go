package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
)

// errorInterceptor gives every error a handler returns the one shape a
// client can rely on (see errors.go): the code, a message without Go
// package prefixes in the caller's language, a google.rpc.ErrorInfo with a
// stable reason, a google.rpc.ResourceInfo naming what was not found and a
// google.rpc.BadRequest with the request field at fault. On success it
// writes the human sentences of a Check or Explain answer (the conflict
// summary, the explanation) in the caller's language.
type errorInterceptor struct{}

func (errorInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if err := decodeFailure(req.Any()); err != nil { // see decode.go
			return nil, present(err, nil, language(req.Header()))
		}
		res, err := next(ctx, req)
		msg, _ := req.Any().(proto.Message)
		if err != nil {
			return res, present(err, msg, language(req.Header()))
		}
		if res != nil {
			switch a := res.Any().(type) {
			case *configuratorv1.CheckResponse, *configuratorv1.ExplainResponse:
				if lang := language(req.Header()); lang != "en" {
					localizeAnswer(a, msg, lang)
				}
			}
		}
		return res, nil
	}
}

func (errorInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (errorInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		rc := &recordingConn{StreamingHandlerConn: conn}
		if err := next(ctx, rc); err != nil {
			return present(err, rc.first, language(conn.RequestHeader()))
		}
		return nil
	}
}

// recordingConn keeps the first request message of a stream (every
// ctoplan stream takes one) to name the field of an error.
type recordingConn struct {
	connect.StreamingHandlerConn
	first proto.Message
}

func (c *recordingConn) Receive(m any) error {
	err := c.StreamingHandlerConn.Receive(m)
	if err == nil {
		err = decodeFailure(m) // see decode.go
	}
	if err == nil && c.first == nil {
		c.first, _ = m.(proto.Message)
	}
	return err
}

// language is the language of the answer: "zh" when Accept-Language prefers
// Chinese to English, else "en".
func language(h http.Header) string {
	best, bestQ := "en", -1.0
	for _, part := range strings.Split(h.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if (primary == "zh" || primary == "en") && q > bestQ && q > 0 {
			best, bestQ = primary, q
		}
	}
	return best
}

// localized is an error with the message the client reads; it unwraps to
// the domain error.
type localized struct {
	msg string
	err error
}

func (e *localized) Error() string { return e.msg }
func (e *localized) Unwrap() error { return e.err }

// present is err as the client gets it.
func present(err error, req proto.Message, lang string) error {
	var ce *connect.Error
	domain := err
	code := connect.CodeUnknown
	if errors.As(err, &ce) {
		code = ce.Code()
		if u := ce.Unwrap(); u != nil {
			domain = u
		}
	}
	p := classify(domain)
	if ce == nil {
		code = p.code
	} else if p.reason == "INTERNAL" && code != connect.CodeInternal {
		// An error Connect or an interceptor made: its code is its reason.
		p.reason = strings.ToUpper(code.String())
	}
	if p.code == connect.CodeNotFound && p.field == "" && req != nil {
		p.field = fieldNamed(req.ProtoReflect(), p.name, "")
	}
	text := cleanMessage(domain.Error())
	if ce != nil && domain == err {
		text = cleanMessage(ce.Message())
	}
	if lang == "zh" {
		text = zhMessage(p, text)
	}
	out := connect.NewError(code, &localized{msg: text, err: domain})
	if ce != nil {
		for k, v := range ce.Meta() {
			out.Meta()[k] = v
		}
		for _, d := range ce.Details() {
			out.AddDetail(d)
		}
	}
	info := &errdetails.ErrorInfo{Reason: p.reason, Domain: errorDomain}
	meta := map[string]string{}
	var details []proto.Message
	if p.code == connect.CodeNotFound {
		if p.kind != "" {
			meta["kind"] = p.kind
			meta["name"] = p.name
		}
		details = append(details, &errdetails.ResourceInfo{ResourceType: p.kind, ResourceName: p.name, Description: text})
	}
	if p.field != "" {
		meta["field"] = p.field
		desc := p.fieldProblem
		if desc == "" {
			desc = text
		}
		details = append(details, &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: p.field, Description: desc}}})
	}
	if len(meta) > 0 {
		info.Metadata = meta
	}
	if c, ok := p.detail.(*configuratorv1.Conflict); ok && lang != "en" {
		c.Message = conflictSentence(c, lang)
	}
	if p.detail != nil {
		details = append(details, p.detail)
	}
	for _, m := range append([]proto.Message{info}, details...) {
		if d, derr := connect.NewErrorDetail(m); derr == nil {
			out.AddDetail(d)
		}
	}
	return out
}

// fieldNamed is the path of the first string field of m (depth first,
// prefix its path) whose value is name: the request field that named
// the unknown thing ("" when none does).
func fieldNamed(m protoreflect.Message, name, prefix string) string {
	if name == "" {
		return ""
	}
	var found string
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		path := prefix + string(fd.Name())
		switch {
		case fd.IsList() && fd.Kind() == protoreflect.MessageKind:
			l := v.List()
			for i := 0; i < l.Len() && found == ""; i++ {
				found = fieldNamed(l.Get(i).Message(), name, path+"["+strconv.Itoa(i)+"].")
			}
		case fd.IsList() && fd.Kind() == protoreflect.StringKind:
			l := v.List()
			for i := 0; i < l.Len() && found == ""; i++ {
				if l.Get(i).String() == name {
					found = path + "[" + strconv.Itoa(i) + "]"
				}
			}
		case fd.IsMap():
		case fd.Kind() == protoreflect.MessageKind:
			found = fieldNamed(v.Message(), name, path+".")
		case fd.Kind() == protoreflect.StringKind && v.String() == name:
			found = path
		}
		return found == ""
	})
	return found
}

// goPrefixes are the package prefixes of the domain sentinels ("mrp: not
// found"), which say nothing to a client.
var goPrefixes = []string{"configurator: ", "bom: ", "mrp: ", "kv: ", "server: ", "convert: ", "ctoplan: "}

// cleanMessage drops the Go package prefixes from msg, at its start and
// after each ": " or "; ".
func cleanMessage(msg string) string {
	for _, p := range goPrefixes {
		if !strings.Contains(msg, p) {
			continue
		}
		var b strings.Builder
		for rest := msg; ; {
			i := strings.Index(rest, p)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(rest[:i])
			if i == 0 && b.Len() == 0 || i >= 2 && (rest[i-2:i] == ": " || rest[i-2:i] == "; ") || i >= 1 && rest[i-1] == '(' {
				// a prefix: drop it
			} else {
				b.WriteString(p)
			}
			rest = rest[i+len(p):]
		}
		msg = b.String()
	}
	return msg
}

// zhKinds name the kinds of NotFound in Chinese.
var zhKinds = map[string]string{
	"model": "模型", "item": "物料", "variant": "变型", "order": "订单", "demand": "需求",
	"receipt": "入库单", "firm planned order": "确认的计划订单", "node": "BOM 节点",
}

// zhReasons head a Chinese message; the specifics that follow stay as the
// domain wrote them.
var zhReasons = map[string]string{
	"INVALID_FIELD": "请求字段无效", "NO_PLANT_DATA": "尚无工厂数据：请先导入库存、需求、入库和日历（MRPService.ImportPlant）",
	"INVALID_SOURCE": "源文本有错误", "INVALID_CONFIGURATION": "配置无效", "BAD_PICK": "选择无效",
	"INVALID_MODEL": "模型无效", "NO_VALUE": "特征没有可用的值", "MODEL_TOO_LARGE": "模型太大",
	"EXPLOSION_TOO_LARGE": "BOM 展开太大", "TREE_TOO_LARGE": "供应树太大：请减少层数", "INVALID_INPUT": "输入无效", "BOM_CYCLE": "BOM 有循环",
	"NOT_CONFIGURABLE": "物料不可配置", "CANNOT_RESOLVE": "无法解析变型", "BREAKS_ORDERS": "此变更会使计划中的订单无效", "WRITE_CONFLICT": "写冲突，请重试",
	"PLAN_CHANGED":      "分页令牌签发后计划已变更：请从第一页重新列出",
	"STORE_UNAVAILABLE": "存储不可用", "DISK_FULL": "磁盘已满", "STORE_CORRUPT": "存储已损坏",
	"TRANSACTION_TOO_BIG": "事务太大", "DEADLINE_EXCEEDED": "超时", "CANCELED": "已取消",
	"INTERNAL": "内部错误", "NOT_FOUND": "未找到",
	"MALFORMED_REQUEST": "请求无法解码", "UNKNOWN_FIELD": "请求含未知字段",
	"TOKEN_MISSING": "需要令牌", "TOKEN_MALFORMED": "Authorization 头格式错误", "TOKEN_WRONG": "令牌无效",
	"SCOPE_MISSING": "令牌权限不足",
}

// zhMessage is the Chinese message of problem p whose English text is en.
func zhMessage(p problem, en string) string {
	if p.code == connect.CodeNotFound && p.kind != "" {
		kind := zhKinds[p.kind]
		if kind == "" {
			kind = p.kind
		}
		return "未找到" + kind + "“" + p.name + "”"
	}
	if p.reason == "INVALID_FIELD" {
		return "请求字段 " + p.field + " 无效：" + p.fieldProblem
	}
	if p.reason == "NO_PLANT_DATA" {
		return zhReasons[p.reason]
	}
	if c, ok := p.detail.(*configuratorv1.Conflict); ok {
		return "配置无效：" + conflictSentence(c, "zh")
	}
	head := zhReasons[p.reason]
	if head == "" {
		head = "错误"
	}
	return head + "：" + en
}

// localizeAnswer writes the sentences of answer (to request req) in lang.
func localizeAnswer(answer any, req proto.Message, lang string) {
	switch a := answer.(type) {
	case *configuratorv1.CheckResponse:
		if a.GetConflict() != nil {
			a.Conflict.Message = conflictSentence(a.Conflict, lang)
		}
	case *configuratorv1.ExplainResponse:
		r, ok := req.(*configuratorv1.ExplainRequest)
		if ok && a.GetReason() != nil {
			a.Reason.Message = explainSentence(r, a, lang)
		}
	}
}

// pickText is a pick as the domain writes it: char=value, char!=value.
func pickText(p *configuratorv1.Pick) string { return convert.PickText(p) }

// constraintText is a constraint's message in lang, else its kind and name.
func constraintText(k *configuratorv1.Constraint, lang string) string {
	if m := k.GetMessage()[lang]; m != "" {
		return m
	}
	kinds := map[configuratorv1.ConstraintKind]string{configuratorv1.ConstraintKind_CONSTRAINT_KIND_RULE: "规则", configuratorv1.ConstraintKind_CONSTRAINT_KIND_TABLE: "表"}
	if z := kinds[k.GetKind()]; z != "" {
		return z + " " + k.GetName()
	}
	return strings.ToLower(strings.TrimPrefix(k.GetKind().String(), "CONSTRAINT_KIND_")) + " " + k.GetName()
}

// conflictSentence is the one-line summary of a conflict in lang (zh).
func conflictSentence(c *configuratorv1.Conflict, lang string) string {
	var b strings.Builder
	if len(c.GetPicks()) == 0 {
		b.WriteString("模型没有有效的配置")
	}
	for i, p := range c.GetPicks() {
		if i > 0 {
			b.WriteString("、")
		}
		b.WriteString(pickText(p))
	}
	if len(c.GetConstraints()) > 0 {
		if len(c.GetPicks()) > 0 {
			b.WriteString(" 与")
		} else {
			b.WriteString("：")
		}
		for i, k := range c.GetConstraints() {
			if i > 0 {
				b.WriteString("；")
			} else if len(c.GetPicks()) > 0 {
				b.WriteString(" ")
			}
			b.WriteString(constraintText(k, lang))
		}
		if len(c.GetPicks()) > 0 {
			b.WriteString(" 冲突")
		}
	} else if len(c.GetPicks()) > 0 {
		b.WriteString(" 不能同时成立")
	}
	return b.String()
}

// explainSentence is Explain's sentence in lang (zh): "mast=duplex 被排除，
// 因为 ...".
func explainSentence(r *configuratorv1.ExplainRequest, a *configuratorv1.ExplainResponse, lang string) string {
	v := r.GetValue()
	if v == "" {
		v = "none"
	}
	state := map[configuratorv1.ValueState]string{
		configuratorv1.ValueState_VALUE_STATE_EXCLUDED: "被排除",
		configuratorv1.ValueState_VALUE_STATE_FORCED:   "被强制",
	}[a.GetState()]
	s := r.GetChar() + "=" + v + " " + state
	var reasons []string
	for _, p := range a.GetReason().GetPicks() {
		reasons = append(reasons, pickText(p))
	}
	for _, k := range a.GetReason().GetConstraints() {
		reasons = append(reasons, constraintText(k, lang))
	}
	if len(reasons) == 0 {
		return s + "，由 " + r.GetChar() + " 的取值范围决定"
	}
	return s + "，因为 " + strings.Join(reasons, "；")
}
