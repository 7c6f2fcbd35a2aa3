package main

import (
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

// pickModel has an optional single (rack), an optional single with a value
// named none (light), a required single (frame) and a multi (extras).
const pickModel = `model picks {
  char frame single {
    value alu
    value steel
  }
  char rack optional {
    value front
    value rear
  }
  char light optional {
    value none
    value dynamo
  }
  char extras multi {
    value bell
    value lights
  }
}
`

func compilePickModel(t *testing.T) *configurator.Compiled {
	t.Helper()
	m, err := configurator.Parse("picks.ctm", []byte(pickModel))
	if err != nil {
		t.Fatal(err)
	}
	c, err := configurator.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParsePicks(t *testing.T) {
	c := compilePickModel(t)
	type pick = configurator.Pick
	for _, tc := range []struct {
		name  string
		in    []string
		none  string // "always" (bom, mrp) or "model"
		want  []pick
		error string // a part of the error, "" for none
	}{
		{"value", []string{"frame=alu"}, "model", []pick{{Char: "frame", Value: "alu"}}, ""},
		{"exclude", []string{"frame!=steel"}, "model", []pick{{Char: "frame", Value: "steel", Exclude: true}}, ""},
		{"blanks dropped", []string{" frame = alu "}, "model", []pick{{Char: "frame", Value: "alu"}}, ""},
		{"blanks around !=", []string{"frame != alu"}, "model", []pick{{Char: "frame", Value: "alu", Exclude: true}}, ""},
		{"none of an optional char", []string{"rack=none"}, "model", []pick{{Char: "rack"}}, ""},
		{"none excluded", []string{"rack!=none"}, "model", []pick{{Char: "rack", Exclude: true}}, ""},
		{"a value named none stays", []string{"light=none"}, "model", []pick{{Char: "light", Value: "none"}}, ""},
		{"none of a required char stays none", []string{"frame=none"}, "model", []pick{{Char: "frame", Value: "none"}}, ""},
		{"none without the model", []string{"frame=none", "light=none"}, "always", []pick{{Char: "frame"}, {Char: "light"}}, ""},
		{"multi values", []string{"extras=bell", "extras=lights", "extras!=bell"}, "model",
			[]pick{{Char: "extras", Value: "bell"}, {Char: "extras", Value: "lights"}, {Char: "extras", Value: "bell", Exclude: true}}, ""},
		{"empty value", []string{"rack="}, "model", []pick{{Char: "rack"}}, ""},
		{"value with =", []string{"a=b=c"}, "always", []pick{{Char: "a", Value: "b=c"}}, ""},
		{"no flags", nil, "model", []pick{}, ""},
		{"no =", []string{"frame=alu", "rack"}, "model", nil, `--pick #2 "rack": want char=value or char!=value`},
		{"no char", []string{"=alu"}, "always", nil, `--pick #1 "=alu": want char=value`},
		{"no char before !=", []string{"!=alu"}, "always", nil, `--pick #1 "!=alu": want char=value`},
		{"= before !=", []string{"a=b!=c"}, "always", nil, `--pick #1 "a=b!=c": want char=value`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rule := noneAlways
			if tc.none == "model" {
				rule = modelNone(c.Model())
			}
			got, err := parsePicks(tc.in, rule)
			if tc.error != "" {
				if err == nil || !strings.Contains(err.Error(), tc.error) {
					t.Fatalf("parsePicks(%q) = %v, %v; want an error with %q", tc.in, got, err, tc.error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("parsePicks(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("parsePicks(%q)[%d] = %+v, want %+v", tc.in, i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestParseModelPicks checks the names and values against the model, with
// the flag and its position in the error.
func TestParseModelPicks(t *testing.T) {
	c := compilePickModel(t)
	for _, tc := range []struct {
		in    []string
		error string
	}{
		{[]string{"frame=alu", "rack=none", "light=none"}, ""},
		{[]string{"frame=alu", "frame=titan"}, `--pick #2 "frame=titan": `},
		{[]string{"colour=red"}, `--pick #1 "colour=red": unknown characteristic "colour"`},
		{[]string{"frame=none"}, `--pick #1 "frame=none": `},
	} {
		_, err := parseModelPicks(c, tc.in)
		if tc.error == "" {
			if err != nil {
				t.Errorf("%q: %v", tc.in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.error) {
			t.Errorf("%q: error %v, want one with %q", tc.in, err, tc.error)
		}
	}
}
