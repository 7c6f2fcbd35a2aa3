package convert

import (
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/configurator/model"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
)

// domainsToProtoSimple is DomainsToProto written the obvious way.
func domainsToProtoSimple(d *configurator.Domains) []*configuratorv1.CharDomain {
	out := make([]*configuratorv1.CharDomain, len(d.Chars))
	for i, cd := range d.Chars {
		x := &configuratorv1.CharDomain{Char: cd.Char}
		for _, v := range cd.Values {
			switch v.Status {
			case configurator.Selected:
				x.Selected = append(x.Selected, v.Value)
			case configurator.Forced:
				x.Forced = append(x.Forced, v.Value)
			case configurator.Possible:
				x.Possible = append(x.Possible, v.Value)
			default:
				x.Excluded = append(x.Excluded, v.Value)
			}
		}
		out[i] = x
	}
	return out
}

func TestDomainsToProto(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		d := &configurator.Domains{Valid: true}
		for c := range r.IntN(6) {
			cd := configurator.CharDomain{Char: string(rune('a' + c))}
			for v := range r.IntN(7) {
				cd.Values = append(cd.Values, configurator.ValueStatus{Value: string(rune('0' + v)), Status: configurator.Status(r.IntN(5))})
			}
			d.Chars = append(d.Chars, cd)
		}
		got, want := DomainsToProto(d), domainsToProtoSimple(d)
		if len(got) != len(want) {
			t.Fatalf("%d chars, want %d", len(got), len(want))
		}
		for i := range got {
			if !proto.Equal(got[i], want[i]) {
				t.Fatalf("%v:\ngot  %v\nwant %v", d.Chars[i], got[i], want[i])
			}
			// The runs are capped: appending to one never overwrites the next.
			for _, run := range [][]string{got[i].Selected, got[i].Forced, got[i].Possible, got[i].Excluded} {
				if cap(run) != len(run) {
					t.Fatalf("a run has room for %d more values", cap(run)-len(run))
				}
			}
		}
	}
}

func forklift(t *testing.T) *configurator.Compiled {
	t.Helper()
	m, err := configurator.ParseFile("../../testdata/forklift/forklift.ctm")
	if err != nil {
		t.Fatalf("forklift model (the demo data is part of the repository): %v", err)
	}
	c, err := configurator.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// What the server sends, the CLI reads back as the engine gave it: the
// characteristics, a propagation (values in the engine's order, which the
// wire form loses by listing them by status), a completed configuration
// (multi values in domain order, which the wire form sorts by name) and a
// conflict.
func TestRoundTrip(t *testing.T) {
	c := forklift(t)
	m := ModelFromProto("forklift", func() []*configuratorv1.Characteristic {
		var out []*configuratorv1.Characteristic
		for _, ch := range c.Model().Chars {
			out = append(out, CharToProto(ch, "EUR"))
		}
		return out
	}())
	if len(m.Chars) != len(c.Model().Chars) {
		t.Fatalf("%d characteristics, want %d", len(m.Chars), len(c.Model().Chars))
	}
	for i, ch := range c.Model().Chars {
		got := m.Chars[i]
		if got.Name != ch.Name || got.Kind != ch.Kind || got.Optional != ch.Optional ||
			!slices.Equal(got.Domain(), ch.Domain()) || !slices.Equal(got.Default, ch.Default) ||
			got.MinCount != ch.MinCount || got.MaxCount != ch.MaxCount {
			t.Errorf("%s: read back as %+v", ch.Name, got)
		}
		for k, v := range ch.Values {
			if p := got.Values[k].Price; p != v.Price {
				t.Errorf("%s=%s: price %d cents read back as %d", ch.Name, v.Name, v.Price, p)
			}
		}
	}
	ctx := context.Background()
	for _, picks := range [][]configurator.Pick{
		nil,
		{{Char: "attachments", Value: "multi_pallet"}, {Char: "lights", Value: "beacon"}, {Char: "lights", Value: "blue_spot"}},
		{{Char: "load_backrest", Value: ""}},
	} {
		d, err := c.Propagate(ctx, picks)
		if err != nil {
			t.Fatal(err)
		}
		back := DomainsFromProto(m, DomainsToProto(d))
		if !reflect.DeepEqual(back.Chars, d.Chars) {
			t.Errorf("%v: domains read back differ:\n got %v\nwant %v", picks, back.Chars, d.Chars)
		}
		if !d.Valid {
			continue
		}
		cfg, err := c.Complete(ctx, picks)
		if err != nil {
			t.Fatal(err)
		}
		if got := ConfigFromProto(m, ConfigToProto(c.Model(), cfg)); !reflect.DeepEqual(got, cfg) {
			t.Errorf("%v: configuration read back as %v, want %v", picks, got, cfg)
		}
	}
	conflict := &configurator.Conflict{
		Picks:       []configurator.Pick{{Char: "mast", Value: "triplex"}, {Char: "capacity", Value: "t50", Exclude: true}},
		Constraints: []configurator.Constraint{{Kind: "rule", Name: "r1", Message: model.Labels{"en": "m1"}}},
	}
	if got := ConflictFromProto(ConflictToProto(conflict)); !reflect.DeepEqual(got, conflict) {
		t.Errorf("conflict read back as %+v, want %+v", got, conflict)
	}
}
