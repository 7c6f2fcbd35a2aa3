package configurator_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

var update = flag.Bool("update", false, "rewrite the golden files of the script tests")

// TestEngineScripts runs the scripts in testdata/engine/script: a model,
// then propagate / check / explain / complete commands with their picks;
// the output must equal the .golden file beside the script.
func TestEngineScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/engine/script/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatal("no scripts", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			got := runScript(t, f)
			golden := strings.TrimSuffix(f, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s:\n%s", golden, got)
			}
		})
	}
}

func scriptPicks(t *testing.T, fields []string) []configurator.Pick {
	var picks []configurator.Pick
	for _, f := range fields {
		i := strings.Index(f, "=")
		if i <= 0 {
			t.Fatalf("bad pick %q", f)
		}
		p := configurator.Pick{Char: f[:i], Value: f[i+1:]}
		if strings.HasSuffix(p.Char, "!") {
			p.Char, p.Exclude = strings.TrimSuffix(p.Char, "!"), true
		}
		if p.Value == "none" {
			p.Value = ""
		}
		picks = append(picks, p)
	}
	return picks
}

func runScript(t *testing.T, path string) string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	var out strings.Builder
	var c *configurator.Compiled
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		fmt.Fprintf(&out, "> %s\n", line)
		switch fields[0] {
		case "model":
			c = loadCompiled(t, filepath.Join(filepath.Dir(path), fields[1]))
			continue
		case "propagate":
			d, err := c.Propagate(ctx, scriptPicks(t, fields[1:]))
			if err != nil {
				t.Fatal(err)
			}
			if !d.Valid {
				fmt.Fprintf(&out, "invalid: %s\n", d.Conflict)
				continue
			}
			for _, cd := range d.Chars {
				fmt.Fprintf(&out, "%s:", cd.Char)
				for _, v := range cd.Values {
					name := v.Value
					if name == "" {
						name = "none"
					}
					fmt.Fprintf(&out, " %s(%s)", name, v.Status)
				}
				out.WriteString("\n")
			}
		case "check":
			res, err := c.Check(ctx, scriptPicks(t, fields[1:]))
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid {
				out.WriteString("valid\n")
			} else {
				fmt.Fprintf(&out, "invalid: %s\n", res.Conflict)
			}
		case "explain":
			target := scriptPicks(t, fields[1:2])[0]
			var picks []configurator.Pick
			if len(fields) > 2 && fields[2] == "|" {
				picks = scriptPicks(t, fields[3:])
			}
			e, err := c.Explain(ctx, picks, target.Char, target.Value)
			if err != nil {
				fmt.Fprintf(&out, "error: %v\n", err)
				continue
			}
			fmt.Fprintf(&out, "%s\n", e)
		case "complete":
			cfg, err := c.Complete(ctx, scriptPicks(t, fields[1:]))
			if err != nil {
				fmt.Fprintf(&out, "error: %v\n", err)
				continue
			}
			for _, ch := range c.Model().Chars {
				fmt.Fprintf(&out, "%s=%s\n", ch.Name, strings.Join(cfg[ch.Name], ","))
			}
		default:
			t.Fatalf("%s: unknown command %q", path, fields[0])
		}
	}
	return out.String()
}
