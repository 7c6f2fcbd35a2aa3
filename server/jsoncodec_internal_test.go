package server

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
)

// checkPropagateJSON fails t unless the codec writes r as protojson does
// (compared compacted: protojson varies its whitespace on purpose) and the
// text reads back as r.
func checkPropagateJSON(t *testing.T, r *configuratorv1.PropagateResponse) {
	t.Helper()
	c := jsonCodec{"json"}
	got, gotErr := c.Marshal(r)
	want, wantErr := protojson.Marshal(r)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("%v: error %v, protojson's %v", r, gotErr, wantErr)
	}
	if wantErr != nil {
		return
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, compact.Bytes()) {
		t.Fatalf("got  %s\nwant %s", got, compact.Bytes())
	}
	back := &configuratorv1.PropagateResponse{}
	if err := c.Unmarshal(got, back); err != nil || !proto.Equal(back, r) {
		t.Fatalf("%s reads back as %v (%v), want %v", got, back, err, r)
	}
}

func randomString(r *rand.Rand) string {
	alphabet := []string{"a", "t25", "\"", "\\", "\n", "\t", "\x00", "\x01", "\x1f", " ", "<", "&", "é", "吨", "\u2028", "\x7f", "/", "\b", "\f", "\r"}
	var b []byte
	for range r.IntN(5) {
		b = append(b, alphabet[r.IntN(len(alphabet))]...)
	}
	return string(b)
}

func TestPropagateJSONLikeProtojson(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	checkPropagateJSON(t, &configuratorv1.PropagateResponse{})
	for range 2000 {
		res := &configuratorv1.PropagateResponse{}
		for range r.IntN(4) {
			cd := &configuratorv1.CharDomain{Char: randomString(r)}
			for _, list := range []*[]string{&cd.Selected, &cd.Forced, &cd.Possible, &cd.Excluded} {
				for range r.IntN(3) {
					*list = append(*list, randomString(r))
				}
			}
			res.Chars = append(res.Chars, cd)
		}
		checkPropagateJSON(t, res)
	}
	// What it leaves to protojson: text that is not UTF-8, unknown fields.
	checkPropagateJSON(t, &configuratorv1.PropagateResponse{Chars: []*configuratorv1.CharDomain{{Char: "a\xffb"}}})
	checkPropagateJSON(t, &configuratorv1.PropagateResponse{Chars: []*configuratorv1.CharDomain{{Char: "a", Possible: []string{"\xc3"}}}})
	u := &configuratorv1.PropagateResponse{Chars: []*configuratorv1.CharDomain{{Char: "a"}}}
	u.ProtoReflect().SetUnknown([]byte{0x50, 0x01}) // field 10, varint 1
	if _, ok := appendPropagateJSON(nil, u); ok {
		t.Error("a response with unknown fields was encoded by hand")
	}
}

// The forklift model's real answers.
func TestPropagateJSONForklift(t *testing.T) {
	cm := forklift(t)
	d, err := cm.compiled.Propagate(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	checkPropagateJSON(t, &configuratorv1.PropagateResponse{Chars: convert.DomainsToProto(d)})
}

func FuzzPropagateJSON(f *testing.F) {
	f.Add("capacity", "t25", "t15", "", "x")
	f.Add("a\"b", "\\", "\x00", "吨", "\xff")
	f.Fuzz(func(t *testing.T, char, sel, forced, possible, excluded string) {
		res := &configuratorv1.PropagateResponse{Chars: []*configuratorv1.CharDomain{{Char: char}}}
		cd := res.Chars[0]
		for _, x := range []struct {
			s    string
			list *[]string
		}{{sel, &cd.Selected}, {forced, &cd.Forced}, {possible, &cd.Possible}, {excluded, &cd.Excluded}} {
			if x.s != "" {
				*x.list = append(*x.list, x.s, x.s+char)
			}
		}
		checkPropagateJSON(t, res)
	})
}
