package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
)

// plainJSON writes m as the plain JSON a shell user pipes into jq, not
// proto JSON: field names as in the .proto files (lower-case snake_case),
// every field present (zero values too: 0, "", false, [], {}; an unset
// message field is null; of a oneof only the member that is set), 64-bit
// integers as numbers (not strings), enum values as lower-case words
// without the type's prefix ("production", not "ORDER_KIND_PRODUCTION"),
// fields in .proto order. Dates and times are the strings the server wrote
// (RFC 3339: 2027-01-08, 2027-01-08T07:30:00+08:00); bytes are base64.
// Money (ctoplan.rpc.v1.Money) keeps its exact decimal amount but as a
// JSON number: {"currency_code":"EUR","amount":23256.32}.
func plainJSON(m proto.Message) []byte {
	var b bytes.Buffer
	appendMessage(&b, m.ProtoReflect())
	return b.Bytes()
}

func appendMessage(b *bytes.Buffer, m protoreflect.Message) {
	if mo, ok := m.Interface().(*rpcv1.Money); ok {
		appendMoney(b, mo)
		return
	}
	b.WriteByte('{')
	fields := m.Descriptor().Fields()
	first := true
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if fd.ContainingOneof() != nil && !fd.ContainingOneof().IsSynthetic() && !m.Has(fd) {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		appendString(b, string(fd.Name()))
		b.WriteByte(':')
		switch {
		case fd.IsList():
			l := m.Get(fd).List()
			b.WriteByte('[')
			for j := 0; j < l.Len(); j++ {
				if j > 0 {
					b.WriteByte(',')
				}
				appendValue(b, fd, l.Get(j))
			}
			b.WriteByte(']')
		case fd.IsMap():
			appendMap(b, fd, m.Get(fd).Map())
		case fd.Kind() == protoreflect.MessageKind || fd.Kind() == protoreflect.GroupKind:
			if !m.Has(fd) {
				b.WriteString("null")
				continue
			}
			appendMessage(b, m.Get(fd).Message())
		default:
			appendValue(b, fd, m.Get(fd))
		}
	}
	b.WriteByte('}')
}

// appendMoney writes an amount with its decimal string as a JSON number
// (exact: no float64 in between), or as a string should it not be a
// decimal number (the server never sends one).
func appendMoney(b *bytes.Buffer, m *rpcv1.Money) {
	b.WriteString(`{"currency_code":`)
	appendString(b, m.GetCurrencyCode())
	b.WriteString(`,"amount":`)
	switch a := m.GetAmount(); {
	case a == "":
		b.WriteByte('0')
	case func() bool { _, err := convert.ParseAmount(a); return err == nil }():
		b.WriteString(a)
	default:
		appendString(b, a)
	}
	b.WriteByte('}')
}

// appendMap writes a map with its keys sorted, so output is stable.
func appendMap(b *bytes.Buffer, fd protoreflect.FieldDescriptor, mp protoreflect.Map) {
	type entry struct {
		k string
		v protoreflect.Value
	}
	var es []entry
	mp.Range(func(k protoreflect.MapKey, v protoreflect.Value) bool {
		es = append(es, entry{k.String(), v})
		return true
	})
	slices.SortFunc(es, func(x, y entry) int { return strings.Compare(x.k, y.k) })
	b.WriteByte('{')
	for i, e := range es {
		if i > 0 {
			b.WriteByte(',')
		}
		appendString(b, e.k)
		b.WriteByte(':')
		appendValue(b, fd.MapValue(), e.v)
	}
	b.WriteByte('}')
}

// appendValue writes one scalar, enum or message value of field fd.
func appendValue(b *bytes.Buffer, fd protoreflect.FieldDescriptor, v protoreflect.Value) {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		appendMessage(b, v.Message())
	case protoreflect.BoolKind:
		b.WriteString(strconv.FormatBool(v.Bool()))
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		b.WriteString(strconv.FormatUint(v.Uint(), 10))
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			b.WriteString("null")
			return
		}
		bits := 64
		if fd.Kind() == protoreflect.FloatKind {
			bits = 32
		}
		b.WriteString(strconv.FormatFloat(f, 'g', -1, bits))
	case protoreflect.StringKind:
		appendString(b, v.String())
	case protoreflect.BytesKind:
		appendString(b, base64.StdEncoding.EncodeToString(v.Bytes()))
	case protoreflect.EnumKind:
		appendString(b, enumWord(fd.Enum(), v.Enum()))
	}
}

// enumWord is an enum value as a lower-case word: ORDER_KIND_PRODUCTION of
// enum OrderKind is "production"; a number without a name is its decimal.
func enumWord(ed protoreflect.EnumDescriptor, n protoreflect.EnumNumber) string {
	vd := ed.Values().ByNumber(n)
	if vd == nil {
		return strconv.Itoa(int(n))
	}
	name := strings.TrimPrefix(string(vd.Name()), upperSnake(string(ed.Name()))+"_")
	return strings.ToLower(name)
}

// upperSnake is OrderKind as ORDER_KIND.
func upperSnake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' && i > 0 {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

// appendString writes s as a JSON string (no HTML escaping: this is for a
// terminal and jq, not a web page).
func appendString(b *bytes.Buffer, s string) { b.Write(appendJSONString(b.AvailableBuffer(), s)) }

// appendJSONString is appendString appending to b.
func appendJSONString(b []byte, s string) []byte {
	if plainASCII(s) {
		// what Encode writes for it, without its reflection and
		// allocations (a listing of millions of orders writes several
		// strings each)
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	var e bytes.Buffer
	enc := json.NewEncoder(&e)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)                          // a string always encodes
	return append(b, e.Bytes()[:e.Len()-1]...) // less Encode's newline
}

// plainASCII reports whether s is printable ASCII without '"' or '\\':
// a JSON string of its bytes between quotes, as encoding/json writes it
// with HTML escaping off.
func plainASCII(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		// eight bytes at once: a byte below 0x20 or of 0x80 and up, or
		// a '"', '\\' or DEL (each found as a zero byte of x^c)
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		q, bs, del := x^('"'*ones), x^('\\'*ones), x^(0x7f*ones)
		if (x-0x20*ones)&^x&highs|x&highs|(q-ones)&^q&highs|(bs-ones)&^bs&highs|(del-ones)&^del&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
