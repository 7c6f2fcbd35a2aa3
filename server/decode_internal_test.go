package server

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
)

// FuzzDecodeMark: whatever unknown fields a request carries, reading the
// mark never panics and finds one only when the server made it; a mark
// the server makes reads back as the error it was made from.
func FuzzDecodeMark(f *testing.F) {
	f.Add([]byte{}, "request JSON: unexpected EOF", "")
	f.Add(protowire.AppendBytes(protowire.AppendTag(nil, decodeMarkField, protowire.BytesType), []byte("0123456789abcdefd\x01xy")), `unknown field "pickz"`, "")
	f.Add([]byte{0xff, 0xff, 0xff}, "not UTF-8", "picks[0].value")
	f.Fuzz(func(t *testing.T, unknown []byte, msg, field string) {
		m := &configuratorv1.CheckRequest{}
		m.ProtoReflect().SetUnknown(unknown)
		if err := decodeFailure(m); err != nil {
			t.Fatalf("unknown bytes %x read as the server's mark: %v", unknown, err)
		}
		var in error = errors.New(msg)
		if field != "" {
			in = badField(field, "%s", msg)
		}
		markDecodeError(m, in)
		out := decodeFailure(m)
		var fe *fieldError
		switch {
		case out == nil:
			t.Fatalf("mark of %v not found", in)
		case field != "" && (!errors.As(out, &fe) || fe.field != field || fe.problem != msg):
			t.Fatalf("mark of field %q %q read as %#v", field, msg, out)
		case field == "" && out.Error() != msg:
			t.Fatalf("mark of %q read as %q", msg, out.Error())
		}
		if m.GetModel() != "" || len(m.GetPicks()) > 0 {
			t.Fatalf("marked message not empty: %v", m)
		}
	})
}
