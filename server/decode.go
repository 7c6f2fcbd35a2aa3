package server

import (
	"crypto/rand"
	"errors"
	"regexp"
	"sync"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// A request that does not decode (bad JSON, bad protobuf wire data, an
// unknown JSON field, a string that is not UTF-8) gets the error model of
// every other error: InvalidArgument with a google.rpc.ErrorInfo reason
// (MALFORMED_REQUEST, UNKNOWN_FIELD or INVALID_FIELD) and the field, in the
// caller's language. connect-go decodes a unary request before any
// interceptor runs and wraps a codec's error in its own error, without
// details. So the server's codecs do not fail on a request: checkedCodec
// leaves the message empty and marked with the problem (an unknown field
// holding a per-process key, the kind of problem, the field and the message), and errorInterceptor, the
// first to see the request, answers the mark as it answers a handler's
// error. A mark a client sends itself lacks the key and is an ordinary
// unknown field.

// decodeError is a request body that does not decode; field is the
// unknown JSON field it names, if any.
type decodeError struct{ field, msg string }

func (e *decodeError) Error() string { return e.msg }

// checkedCodec is a server codec whose decode errors are marked on the
// message (see above) instead of returned.
type checkedCodec struct{ appendCodec }

// appendCodec is a codec that also appends (connect-go uses MarshalAppend
// when a codec has it).
type appendCodec interface {
	connect.Codec
	MarshalAppend(dst []byte, v any) ([]byte, error)
}

func (c checkedCodec) Unmarshal(data []byte, v any) error {
	err := c.appendCodec.Unmarshal(data, v)
	m, ok := v.(proto.Message)
	if err == nil || !ok {
		return err
	}
	markDecodeError(m, err)
	return nil
}

// decodeMarkField is the field number of the mark: the largest valid one.
const decodeMarkField = protowire.MaxValidNumber

// decodeMarkKey starts every mark: a client cannot forge one. It and
// unknownJSONField are made on first use, not at package initialisation,
// which every ctoplan command pays, served or not (issue 14).
var decodeMarkKey = sync.OnceValue(func() (k [16]byte) {
	_, _ = rand.Read(k[:]) // never fails (crypto/rand)
	return k
})

var unknownJSONField = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`unknown field "([^"]+)"`) })

// markDecodeError empties m and marks it with err.
func markDecodeError(m proto.Message, err error) {
	kind, field, msg := byte('d'), "", err.Error()
	var fe *fieldError
	switch {
	case errors.As(err, &fe):
		kind, field, msg = 'f', fe.field, fe.problem
	default:
		if s := unknownJSONField().FindStringSubmatch(msg); s != nil {
			field = s[1]
		}
	}
	key := decodeMarkKey()
	mark := append(key[:], kind)
	mark = append(protowire.AppendString(mark, field), msg...)
	proto.Reset(m)
	m.ProtoReflect().SetUnknown(protowire.AppendBytes(protowire.AppendTag(nil, decodeMarkField, protowire.BytesType), mark))
}

// decodeFailure returns the decode error m is marked with (nil: none).
func decodeFailure(v any) error {
	m, ok := v.(proto.Message)
	if !ok || m == nil {
		return nil
	}
	u := m.ProtoReflect().GetUnknown()
	if len(u) == 0 {
		return nil
	}
	num, typ, n := protowire.ConsumeTag(u)
	if n < 0 || num != decodeMarkField || typ != protowire.BytesType {
		return nil
	}
	mark, n2 := protowire.ConsumeBytes(u[n:])
	key := decodeMarkKey()
	if n2 < 0 || n+n2 != len(u) || len(mark) < len(key)+2 || string(mark[:len(key)]) != string(key[:]) {
		return nil
	}
	kind := mark[len(key)]
	field, n3 := protowire.ConsumeString(mark[len(key)+1:])
	if n3 < 0 {
		return nil
	}
	msg := string(mark[len(key)+1+n3:])
	if kind == 'f' {
		return &fieldError{field: field, problem: msg}
	}
	return &decodeError{field: field, msg: msg}
}
