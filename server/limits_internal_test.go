package server

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

// BenchmarkCheckRequest: the edge check of a Propagate request with 20
// picks (the call behind every click: a direct check), and of an
// UpsertDemands request with 20 demands (the reflective walk).
func BenchmarkCheckRequest(b *testing.B) {
	prop := &configuratorv1.PropagateRequest{Model: "forklift"}
	up := &mrpv1.UpsertDemandsRequest{}
	for i := range 20 {
		prop.Picks = append(prop.Picks, &configuratorv1.Pick{Char: "char_" + strconv.Itoa(i), Value: "value_" + strconv.Itoa(i)})
		up.Demands = append(up.Demands, &mrpv1.Demand{Id: "SO-" + strconv.Itoa(i), Item: "FL-TRUCK", Qty: 1, DueDate: "2027-01-01",
			Picks: []*configuratorv1.Pick{{Char: "mast", Value: "triplex"}}})
	}
	for _, bc := range []struct {
		name    string
		m       proto.Message
		strings int
	}{{"propagate", prop, 41}, {"upsert-demands", up, 20 * 5}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := checkRequest(bc.m); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(bc.strings), "ns/string")
		})
	}
}

// TestPropagateFastPath: propagateOK checks every string field of a
// PropagateRequest (a new one would be skipped: this test then fails), and
// a bad one is named by the reflective walk.
func TestPropagateFastPath(t *testing.T) {
	var got []string
	var walk func(md protoreflect.MessageDescriptor, path string)
	walk = func(md protoreflect.MessageDescriptor, path string) {
		fs := md.Fields()
		for i := range fs.Len() {
			f := fs.Get(i)
			switch f.Kind() {
			case protoreflect.StringKind:
				got = append(got, path+string(f.Name()))
			case protoreflect.MessageKind:
				walk(f.Message(), path+string(f.Name())+".")
			}
		}
	}
	walk((&configuratorv1.PropagateRequest{}).ProtoReflect().Descriptor(), "")
	if want := []string{"model", "picks.char", "picks.value"}; !slices.Equal(got, want) {
		t.Fatalf("PropagateRequest strings %v; propagateOK checks %v", got, want)
	}
	for _, tc := range []struct {
		req   *configuratorv1.PropagateRequest
		field string
	}{
		{&configuratorv1.PropagateRequest{Model: "m\n"}, "model"},
		{&configuratorv1.PropagateRequest{Model: "m", Picks: []*configuratorv1.Pick{{Char: "a", Value: "b"}, {Char: "a\x7f", Value: "b"}}}, "picks[1].char"},
		{&configuratorv1.PropagateRequest{Model: "m", Picks: []*configuratorv1.Pick{{Char: "a", Value: strings.Repeat("v", 257)}}}, "picks[0].value"},
	} {
		err := checkRequest(tc.req)
		var fe *fieldError
		if !errors.As(err, &fe) || fe.field != tc.field {
			t.Errorf("%v: %v, want a bad %s", tc.req, err, tc.field)
		}
	}
	if err := checkRequest(&configuratorv1.PropagateRequest{Model: "m", Picks: []*configuratorv1.Pick{{Char: "a", Value: strings.Repeat("v", 256)}}}); err != nil {
		t.Errorf("256 bytes: %v", err)
	}
}

func TestJSONInvalidUTF8Path(t *testing.T) {
	for in, want := range map[string]string{
		"{\"demands\":[{\"id\":\"SO-1\",\"qty\":3,\"picks\":[{\"char\":\"a\",\"value\":\"b\"}],\n \"item\":\"CH\xffAIN\"}]}": "demands[0].item",
		"{\"a\":[1,{\"b\":true},\"x\",[\"\xfe\"]]}":           "a[3][0]",
		"{\"ok\":\"é\",\"k\xff\":1}":                          "k\ufffd (a key)",
		"{\"csv\":[{\"text\":\"fine\"},{\"text\":\"\xc3\"}]}": "csv[1].text",
		"{\"all\":\"good\"}":                                  "",
		"{\"broken\":":                                        "",
	} {
		if got := jsonInvalidUTF8Path([]byte(in)); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// FuzzInvalidUTF8Path: the wire walk never panics, names a field only when
// protobuf refuses the message, and one whenever protobuf refuses it for
// text that is not UTF-8.
func FuzzInvalidUTF8Path(f *testing.F) {
	good, _ := proto.Marshal(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{Id: "SO-1", Item: "CHAIN", Qty: 3,
		Picks: []*configuratorv1.Pick{{Char: "mast", Value: "triplex"}}}}})
	f.Add(good)
	bad := slices.Clone(good)
	bad[bytes.Index(bad, []byte("CHAIN"))+2] = 0xff
	f.Add(bad)
	f.Add([]byte{0x0a, 0x80})
	md := (&mrpv1.UpsertDemandsRequest{}).ProtoReflect().Descriptor()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := invalidUTF8Path(md, b, "")
		err := proto.Unmarshal(b, &mrpv1.UpsertDemandsRequest{})
		if p != "" && err == nil {
			t.Fatalf("%q: path %s, but protobuf accepts it", b, p)
		}
		if p == "" && err != nil && strings.Contains(err.Error(), "UTF-8") {
			t.Fatalf("%q: protobuf says %v, the walk finds no field", b, err)
		}
	})
}

// FuzzJSONInvalidUTF8Path: the token walk never panics and names a string
// only in text that is not UTF-8.
func FuzzJSONInvalidUTF8Path(f *testing.F) {
	f.Add([]byte("{\"demands\":[{\"id\":\"SO-1\",\"item\":\"CH\xffAIN\"}]}"))
	f.Add([]byte(`{"a":[1,{"b":true},"x",["y"]]}`))
	f.Add([]byte(`]]]}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if p := jsonInvalidUTF8Path(b); p != "" && utf8.Valid(b) {
			t.Fatalf("%q: path %q in UTF-8 text", b, p)
		}
	})
}
