package server

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
)

// jsonCodec is Connect's JSON codec (protojson) with two differences: an
// unknown field in a request is an error (a misspelt "pickz" must not be
// dropped silently), named by its JSON path without Go type names; and: a PropagateResponse, the answer to every
// click of every user, is written by a hand-made encoder instead of
// protojson's reflection, which cost about as much server CPU as the
// engine's propagation on the forklift model. The output is what protojson
// writes (compacted); the encoder falls back to protojson for anything it
// does not handle (unknown fields, text that is not UTF-8).
type jsonCodec struct{ name string }

// jsonCodecs replace Connect's two JSON codecs.
func jsonCodecs() []jsonCodec {
	return []jsonCodec{{"json"}, {"json; charset=utf-8"}}
}

func (c jsonCodec) Name() string { return c.name }

func (c jsonCodec) IsBinary() bool { return false }

func (c jsonCodec) Marshal(v any) ([]byte, error) { return c.MarshalAppend(nil, v) }

func (c jsonCodec) MarshalAppend(dst []byte, v any) ([]byte, error) {
	if r, ok := v.(*configuratorv1.PropagateResponse); ok {
		if out, ok := appendPropagateJSON(dst, r); ok {
			return out, nil
		}
	}
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("%T is not a proto.Message", v)
	}
	return protojson.MarshalOptions{}.MarshalAppend(dst, m)
}

func (c jsonCodec) Unmarshal(data []byte, v any) error {
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("%T is not a proto.Message", v)
	}
	if len(data) == 0 {
		return errors.New("zero-length payload is not a valid JSON object")
	}
	if err := (protojson.UnmarshalOptions{}).Unmarshal(data, m); err != nil {
		if !utf8.Valid(data) {
			if p := jsonInvalidUTF8Path(data); p != "" {
				return badField(p, "not UTF-8 (%s)", utf8Hint)
			}
			return fmt.Errorf("request JSON: %s (%s)", jsonProblem(err), utf8Hint)
		}
		return fmt.Errorf("request JSON: %s", jsonProblem(err))
	}
	return nil
}

// jsonProblem is protojson's error without its "proto:" prefix (written
// with a regular or a no-break space, at random, to keep callers from
// matching the text).
func jsonProblem(err error) string {
	msg := err.Error()
	for _, p := range []string{"proto: ", "proto:\u00a0"} {
		msg = strings.TrimPrefix(msg, p)
	}
	return msg
}

// utf8Hint follows every "not UTF-8" a request gets.
const utf8Hint = "every text field must be UTF-8: convert the text, e.g. iconv -f latin1 -t utf-8"

// appendPropagateJSON appends r as protojson would write it, or reports
// false (and dst unchanged) when r holds something it leaves to protojson.
func appendPropagateJSON(dst []byte, r *configuratorv1.PropagateResponse) ([]byte, bool) {
	if len(r.ProtoReflect().GetUnknown()) > 0 {
		return dst, false
	}
	out := append(dst, '{')
	if len(r.GetChars()) > 0 {
		out = append(out, `"chars":[`...)
		for i, cd := range r.GetChars() {
			if len(cd.ProtoReflect().GetUnknown()) > 0 {
				return dst, false
			}
			if i > 0 {
				out = append(out, ',')
			}
			out = append(out, '{')
			first := true
			if cd.GetChar() != "" {
				var ok bool
				if out, ok = appendJSONString(append(out, `"char":`...), cd.GetChar()); !ok {
					return dst, false
				}
				first = false
			}
			for _, f := range [...]struct {
				name string
				vals []string
			}{{"selected", cd.GetSelected()}, {"forced", cd.GetForced()}, {"possible", cd.GetPossible()}, {"excluded", cd.GetExcluded()}} {
				if len(f.vals) == 0 {
					continue
				}
				if !first {
					out = append(out, ',')
				}
				first = false
				out = append(append(append(out, '"'), f.name...), `":[`...)
				for j, v := range f.vals {
					if j > 0 {
						out = append(out, ',')
					}
					var ok bool
					if out, ok = appendJSONString(out, v); !ok {
						return dst, false
					}
				}
				out = append(out, ']')
			}
			out = append(out, '}')
		}
		out = append(out, ']')
	}
	return append(out, '}'), true
}

// appendJSONString appends s quoted as protojson quotes strings: '"', '\'
// and control characters escaped, nothing else; false when s is not UTF-8.
func appendJSONString(out []byte, s string) ([]byte, bool) {
	out = append(out, '"')
	for i := 0; i < len(s); {
		b := s[i]
		if b >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				return out, false
			}
			out = append(out, s[i:i+n]...)
			i += n
			continue
		}
		switch {
		case b == '"' || b == '\\':
			out = append(out, '\\', b)
		case b < ' ':
			out = append(out, '\\')
			switch b {
			case '\b':
				out = append(out, 'b')
			case '\f':
				out = append(out, 'f')
			case '\n':
				out = append(out, 'n')
			case '\r':
				out = append(out, 'r')
			case '\t':
				out = append(out, 't')
			default:
				out = append(out, 'u')
				out = append(out, "0000"[1+(bits.Len32(uint32(b))-1)/4:]...)
				out = strconv.AppendUint(out, uint64(b), 16)
			}
		default:
			out = append(out, b)
		}
		i++
	}
	return append(out, '"'), true
}
