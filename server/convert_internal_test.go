package server

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/ctoplan/ctoplan/configurator"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
)

func forklift(t *testing.T) *compiledModel {
	t.Helper()
	src, err := os.ReadFile("../testdata/forklift/forklift.ctm")
	if err != nil {
		t.Fatalf("forklift model (the demo data is part of the repository): %v", err)
	}
	cm, err := compileSource(context.Background(), "forklift.ctm", string(src))
	if err != nil {
		t.Fatal(err)
	}
	return cm
}

// The value sets accept exactly what checkCharValue accepts.
func TestValueSetsAgreeWithCheck(t *testing.T) {
	cm := forklift(t)
	for _, ch := range cm.model.Chars {
		for _, v := range append(ch.Domain(), "", "none", "x", "03000", "3000 ", "+3000", "2000.0", "TRUE", "true", "false", "t25") {
			fast := cm.values[ch.Name][v]
			slow := checkCharValue(cm.model, "", ch.Name, v) == nil
			if fast != slow {
				t.Errorf("%s=%q: value set says %v, checkCharValue %v", ch.Name, v, fast, slow)
			}
		}
	}
	if cm.values["no_such_char"]["x"] {
		t.Error("an unknown characteristic passes")
	}
}

// domainsToProtoSimple is domainsToProto written the obvious way.
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
		got, want := domainsToProto(d), domainsToProtoSimple(d)
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
