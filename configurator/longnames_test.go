package configurator_test

import (
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

// huge is a name, number or text of a megabyte, as a hostile or broken
// input holds it; short is how a message repeats it.
var (
	huge      = strings.Repeat("a", 1<<20)
	hugeDigit = strings.Repeat("9", 1<<20)
	short     = `"` + huge[:40] + `"… (1048576 bytes)`
)

// maxMessage bounds an error message about an input holding a megabyte
// name: a message repeats a long name shortened (typo.Quote), never whole.
const maxMessage = 2048

// TestLongNamesShortenedInErrors: every reader's errors about a name,
// number or text of a megabyte repeat it shortened (its first 40 bytes,
// "…" and its length), so that one error is a line, not a megabyte.
func TestLongNamesShortenedInErrors(t *testing.T) {
	base := "model m {\n  char mast single { value duplex value triplex }\n  char h int 0..10\n%s\n}\n"
	ctm := func(line string) func() error {
		return func() error {
			_, err := configurator.Parse("t.ctm", []byte(strings.Replace(base, "%s", line, 1)))
			return err
		}
	}
	for _, tc := range []struct {
		name string
		read func() error
		want string // the whole message, or with a trailing "…" its start
	}{
		{"unknown characteristic", ctm("  rule r { " + huge + " }"), `t.ctm:4:12: unknown characteristic ` + short},
		{"unknown value", ctm("  rule r { mast = " + huge + " }"), `t.ctm:4:19: unknown value ` + short + ` for mast`},
		{"unknown backquoted value", ctm("  rule r { mast in {duplex, `" + huge + "`} }"), `t.ctm:4:29: unknown value ` + short + ` for mast`},
		{"unknown column", ctm("  table t allowed (" + huge + ") { (duplex) }"), `t.ctm:4:20: unknown characteristic ` + short},
		{"unexpected name", ctm("  " + huge), `t.ctm:4:3: expected char, rule, table, label, version or currency, found ` + short},
		{"unexpected string", ctm(`  rule r { mast = "` + huge + `" }`), "t.ctm:4:19: a value is a name, not a string: write " + huge[:40] + "… (1048576 bytes) (or `...` for a name that is not an identifier)"},
		{"malformed number", ctm("  char x int 0..1" + huge), "t.ctm:4:17: malformed number 1" + huge[:39] + "… (1048577 bytes) (a name…"},
		{"integer out of range", ctm("  char x int 0.." + hugeDigit), "t.ctm:4:17: integer " + hugeDigit[:40] + "… (1048576 bytes) is out of range"},
		{"integer in a rule", ctm("  rule r { h < " + hugeDigit + " }"), "t.ctm:4:16: integer " + hugeDigit[:40] + "… (1048576 bytes) is out of range"},
		{"decimal", ctm("  rule r { h < 1." + hugeDigit + " }"), "t.ctm:4:16: 1." + hugeDigit[:38] + "… (1048578 bytes) is not an integer…"},
		// An over-long declared name is an error of its own, and the other
		// messages that name it shorten it too.
		{"declared name", ctm("  char " + huge + " single { }"), `t.ctm:4:8: characteristic name: name "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"... is 1048576 bytes long (at most 256)` + "\n" +
			"t.ctm:4:8: single " + huge[:40] + "… (1048576 bytes) has no values"},
		{"ParseExpr", func() error {
			_, err := configurator.ParseExpr(exprModel, configurator.Pos{File: "bom.csv", Line: 2, Col: 5}, "cold and "+huge)
			return err
		}, `bom.csv:2:14: unknown characteristic ` + short},
		{"Violations", func() error {
			_, err := exprModel.Violations(configurator.Configuration{huge: {"x"}})
			return err
		}, `configurator: characteristic has no usable value in the configuration: unknown characteristic ` + short},
		{"ReadDIMACS literal", func() error {
			_, err := configurator.ReadDIMACS("t.dimacs", strings.NewReader("p cnf 1 1\n1 x"+huge+" 0\n"))
			return err
		}, `t.dimacs:2:3: bad literal "x` + huge[:39] + `"… (1048577 bytes) (want a decimal integer)`},
		{"ReadDIMACS problem line", func() error {
			_, err := configurator.ReadDIMACS("t.dimacs", strings.NewReader("p cnf 1 1 "+huge+"\n"))
			return err
		}, `t.dimacs:1:1: bad problem line "p cnf 1 1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"… (1048586 bytes) (want "p cnf VARS CLAUSES")`},
		// UVL lines and FeatureIDE texts are bounded (1 MB, 64 KB): a
		// name of 60,000 bytes.
		{"ReadUVL", func() error {
			_, err := configurator.ReadUVL("u.uvl", strings.NewReader("features\n\tA\n\t\toptional\n\t\t\tB\nconstraints\n\tA => "+huge[:60000]+"\n"))
			return err
		}, `u.uvl:6:7: unknown feature "` + huge[:40] + `"… (60000 bytes)`},
		{"ReadUVL unexpected", func() error {
			_, err := configurator.ReadUVL("u.uvl", strings.NewReader("features\n\tA\n\t\toptional\n\t\t\tB\nconstraints\n\tA B"+huge[:60000]+"\n"))
			return err
		}, `u.uvl:6:4: unexpected "B` + huge[:39] + `"… (60001 bytes) in the constraint`},
		{"ReadFeatureIDE", func() error {
			_, err := configurator.ReadFeatureIDE("f.xml", strings.NewReader(`<featureModel><struct><and name="R"><feature name="A"/></and></struct><constraints><rule><var>`+huge[:60000]+`</var></rule></constraints></featureModel>`))
			return err
		}, `f.xml:1:90: unknown feature "` + huge[:40] + `"… (60000 bytes)`},
		{"ReadXCSP", func() error {
			_, err := configurator.ReadXCSP("x.xml", strings.NewReader(`<instance><domains><domain name="D">0 `+huge+`</domain></domains></instance>`))
			return err
		}, `x.xml:1:39: domain D: bad value ` + short},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.read()
			if err == nil {
				t.Fatal("no error")
			}
			got := err.Error()
			if len(got) > maxMessage {
				t.Errorf("a message of %d bytes: %.200s…", len(got), got)
			}
			if start, ok := strings.CutSuffix(tc.want, "…"); ok {
				if !strings.HasPrefix(got, start) {
					t.Errorf("got  %.300s\nwant %s…", got, start)
				}
			} else if got != tc.want {
				t.Errorf("got  %.300s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestLongPicksShortenedInErrors: a pick naming a megabyte characteristic
// or value is refused with the name shortened.
func TestLongPicksShortenedInErrors(t *testing.T) {
	c, err := configurator.Compile(exprModel)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{c.ValueError(huge, "x"), `unknown characteristic ` + short},
		{c.ValueError("mast", huge), `unknown value ` + short + ` for mast (values: duplex, triplex, 1.5t, 48, 007)`},
		{func() error {
			_, err := c.Propagate(t.Context(), []configurator.Pick{{Char: huge, Value: "x"}})
			return err
		}(), `configurator: bad pick: pick ` + huge[:40] + `… (1048578 bytes): unknown characteristic ` + short},
		{func() error {
			_, err := c.Propagate(t.Context(), []configurator.Pick{{Char: "mast", Value: huge}})
			return err
		}(), `configurator: bad pick: pick mast=` + huge[:35] + `… (1048581 bytes): unknown value ` + short + ` for mast (values: duplex, triplex, 1.5t, 48, 007)`},
	} {
		if tc.err == nil || tc.err.Error() != tc.want {
			t.Errorf("got  %.300v\nwant %s", tc.err, tc.want)
		}
	}
}
