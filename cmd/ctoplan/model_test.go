package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

const engineTestdata = "../../configurator/testdata/engine"

func runModel(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(append([]string{"model"}, args...))
	err := cmd.Execute()
	return out.String(), err
}

func TestModelAnalyzeJSON(t *testing.T) {
	for _, tc := range []struct {
		file       string
		core, dead []string
	}{
		{"small.dimacs", []string{"root", "a"}, []string{"b"}},
		{"bike.ctm", []string{}, []string{}},
		{"small.xml", []string{}, []string{}},
	} {
		out, err := runModel(t, "analyze", "--format", "json", filepath.Join(engineTestdata, tc.file))
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		var res struct {
			Valid     bool     `json:"valid"`
			Core      []string `json:"core"`
			Dead      []string `json:"dead"`
			ElapsedMS *float64 `json:"elapsed_ms"`
			LoadMS    *float64 `json:"load_ms"`
			CompileMS *float64 `json:"compile_ms"`
			TotalMS   *float64 `json:"total_ms"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%s: %v\n%s", tc.file, err, out)
		}
		if res.LoadMS == nil || res.CompileMS == nil || res.TotalMS == nil || *res.TotalMS < *res.ElapsedMS {
			t.Errorf("%s: timings missing or inconsistent: %s", tc.file, out)
		}
		if !res.Valid || res.ElapsedMS == nil || strings.Join(res.Core, " ") != strings.Join(tc.core, " ") || strings.Join(res.Dead, " ") != strings.Join(tc.dead, " ") {
			t.Errorf("%s: got %s", tc.file, out)
		}
	}
}

func TestModelAnalyzeText(t *testing.T) {
	out, err := runModel(t, "analyze", filepath.Join(engineTestdata, "small.dimacs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"valid: yes", "core (2): root a", "dead (1): b"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

// TestModelAnalyzeFailOnInvalid: a model with no valid configuration is
// printed as such, and with --fail-on-invalid the run fails too (a CI
// gate: it exited 0); a valid one passes with the flag.
func TestModelAnalyzeFailOnInvalid(t *testing.T) {
	dir := t.TempDir()
	unsat := filepath.Join(dir, "unsat.ctm")
	if err := os.WriteFile(unsat, []byte("model u {\n  char a bool\n  rule r1 { a }\n  rule r2 { not a }\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runModel(t, "analyze", unsat)
	if err != nil || !strings.Contains(out, "valid: no") {
		t.Errorf("analyze without the flag: %v\n%s", err, out)
	}
	out, err = runModel(t, "analyze", "--fail-on-invalid", unsat)
	if err == nil || !strings.Contains(err.Error(), "model u has no valid configuration") || !strings.Contains(out, "valid: no") {
		t.Errorf("analyze --fail-on-invalid of an unsatisfiable model: %v\n%s", err, out)
	}
	if _, err := runModel(t, "analyze", "--fail-on-invalid", filepath.Join(engineTestdata, "small.dimacs")); err != nil {
		t.Errorf("analyze --fail-on-invalid of a valid model: %v", err)
	}
}

func TestModelCheckBatch(t *testing.T) {
	out, err := runModel(t, "check", filepath.Join(engineTestdata, "bike.ctm"), "--batch", filepath.Join(engineTestdata, "configs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := `row 2: invalid: frame=carbon, brakes=rim conflict with rule carbon_disc (A carbon frame needs disc brakes)
row 3: invalid: gears=g1, ebike=true conflict with rule ebike_gears (The e-bike motor needs at least 8 gears)
row 4: valid
row 5: invalid: frame=carbon, rack=rear conflict with rule carbon_no_rack (A carbon frame takes no rack)
row 6: invalid: ebike=true, wheel=26 conflict with rule ebike_wheels (E-bikes come with 27 inch wheels or larger)
1 valid, 4 invalid
`
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// The Renault sales file (space-separated) is accepted as it is.
func TestModelCheckRenaultSales(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "data", "configurator", "renault")
	if _, err := os.Stat(dir); err != nil {
		t.Fatal("shared benchmark data not found (../shared/data beside the repository)")
	}
	if testing.Short() {
		t.Skip("short")
	}
	// A slice of the file keeps the test quick under -race.
	src, err := os.ReadFile(filepath.Join(dir, "renault-medium-sales.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(src), "\n")
	part := filepath.Join(t.TempDir(), "sales.txt")
	if err := os.WriteFile(part, []byte(strings.Join(lines[:301], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runModel(t, "check", "--only-invalid", filepath.Join(dir, "renault-medium.xcsp21.xml"), "--batch", part)
	if err != nil {
		t.Fatal(err)
	}
	if out != "300 valid, 0 invalid\n" {
		t.Errorf("got %q", out)
	}
}

func TestModelPropagateCompleteExplain(t *testing.T) {
	bike := filepath.Join(engineTestdata, "bike.ctm")
	out, err := runModel(t, "propagate", bike, "--pick", "frame=carbon")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"frame: alu(excluded) steel(excluded) carbon(selected)", "brakes: rim(excluded) disc(forced)", "rack: front(excluded) rear(excluded) none(forced)", "ebike: false(forced) true(excluded)"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	out, err = runModel(t, "complete", bike, "--pick", "ebike=true")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"frame=alu\n", "gears=g8\n", "brakes=rim\n", "rack=none\n", "extras={}\n", "wheel=28\n", "ebike=true\n", "key "} {
		if !strings.Contains(out, want) {
			t.Errorf("complete: missing %q in\n%s", want, out)
		}
	}
	out, err = runModel(t, "explain", bike, "brakes=rim", "--pick", "frame=carbon")
	if err != nil {
		t.Fatal(err)
	}
	if want := "brakes=rim is excluded because of frame=carbon; rule carbon_disc (A carbon frame needs disc brakes)\n"; out != want {
		t.Errorf("explain: got %q, want %q", out, want)
	}
}

func TestModelFmt(t *testing.T) {
	out, err := runModel(t, "fmt", filepath.Join(engineTestdata, "bike.ctm"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "model bike {") {
		t.Errorf("got %q", out)
	}
}

// TestModelFmtConverts: fmt writes a model of another format as .ctm
// that reads as the same model: a FeatureIDE model (names with spaces, an
// alternative group, a constraint with its description) analyzes the same
// from its .ctm form.
func TestModelFmtConverts(t *testing.T) {
	dir := t.TempDir()
	fm := filepath.Join(dir, "car.xml")
	os.WriteFile(fm, []byte(`<featureModel><struct><and name="Car" mandatory="true">
<alt name="Engine" mandatory="true"><feature name="Petrol"/><feature name="Diesel"/></alt>
<feature name="Tow Bar"/></and></struct>
<constraints><rule><description>tow needs diesel</description><imp><var>Tow Bar</var><var>Diesel</var></imp></rule></constraints></featureModel>`), 0o644)
	src, err := runModel(t, "fmt", fm)
	if err != nil {
		t.Fatal(err)
	}
	ctm := filepath.Join(dir, "car.ctm")
	os.WriteFile(ctm, []byte(src), 0o644)
	for _, pick := range []string{"Petrol=true", "Tow Bar=true"} {
		a, err := runModel(t, "propagate", fm, "--pick", pick)
		if err != nil {
			t.Fatal(err)
		}
		b, err := runModel(t, "propagate", ctm, "--pick", pick)
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		if a != b || !strings.Contains(a, "Diesel: false(excluded) true(forced)") && pick == "Tow Bar=true" {
			t.Errorf("after %s, from the FeatureIDE model:\n%s\nfrom its .ctm form:\n%s", pick, a, b)
		}
	}
	if !strings.Contains(src, `message en "tow needs diesel"`) {
		t.Errorf("the constraint's description is lost:\n%s", src)
	}
}

func TestModelBadInput(t *testing.T) {
	bike := filepath.Join(engineTestdata, "bike.ctm")
	dir := t.TempDir()
	badCSV := filepath.Join(dir, "bad.csv")
	os.WriteFile(badCSV, []byte("frame,gears\nalu,g9\n"), 0o644)
	badHeader := filepath.Join(dir, "badh.csv")
	os.WriteFile(badHeader, []byte("frame,gear\nalu,g8\n"), 0o644)
	// a model without a valid configuration: its rules conflict whatever
	// is picked, and the error says so, not that the picks do
	unsat := filepath.Join(dir, "unsat.dimacs")
	os.WriteFile(unsat, []byte("c 1 a\nc 2 b\np cnf 2 2\n1 0\n-1 0\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"analyze", "nope.dimacs"}, "no such file"},
		{[]string{"analyze", "--format", "yaml", bike}, `invalid argument "yaml" for "--format" flag: want one of table, json, csv`},
		{[]string{"analyze", filepath.Join(dir, "x.txt")}, "no such file"},
		{[]string{"propagate", bike, "--pick", "frame=wood"}, `unknown value "wood" for frame`},
		{[]string{"propagate", bike, "--pick", "colour=red"}, `unknown characteristic "colour"`},
		{[]string{"propagate", bike, "--pick", "frame"}, "want char=value"},
		{[]string{"propagate", bike, "--pick", "frame=carbon", "--pick", "brakes=rim"}, "cannot stand together"},
		{[]string{"complete", bike, "--pick", "frame=carbon", "--pick", "rack=rear"}, "carbon_no_rack"},
		{[]string{"check", bike}, "missing --batch"},
		{[]string{"check", bike, "--batch", badHeader}, "badh.csv:1: column 2: unknown characteristic \"gear\""},
		{[]string{"explain", bike, "brakes"}, "want CHAR=VALUE"},
		{[]string{"propagate", unsat}, "the model has no valid configuration, whatever is picked"},
		{[]string{"propagate", unsat, "--pick", "b=true"}, "the model has no valid configuration, whatever is picked"},
		{[]string{"complete", unsat, "--pick", "b=true"}, "the model is invalid, whatever is picked: the model has no valid configuration"},
	} {
		_, err := runModel(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want it to contain %q", tc.args, err, tc.want)
		}
	}
}

// A bad cell or a row of the wrong length is that row's error: the batch
// goes on, prints every row and counts the errors; the run fails at the end.
func TestModelCheckBatchBadRows(t *testing.T) {
	bike := filepath.Join(engineTestdata, "bike.ctm")
	batch := filepath.Join(t.TempDir(), "b.csv")
	os.WriteFile(batch, []byte("frame,gears,wheel\ncarbn,g8,\nalu,g8\nalu,,028\nalu,g9,\nal\"u,g8,\nalu,g8,28\n"), 0o644)
	out, err := runModel(t, "check", bike, "--batch", batch)
	want := `row 2: error: column frame: unknown value "carbn" for frame (did you mean "carbon"?)
row 3: error: 2 cells for 3 columns
row 4: error: column wheel: value "028" for wheel is not spelled canonically: write "28"
row 5: error: column gears: unknown value "g9" for gears (did you mean "g1"?)
row 6: error: bare " in non-quoted-field
row 7: valid
1 valid, 0 invalid, 5 errors
`
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if err == nil || !strings.Contains(err.Error(), "b.csv: 5 rows with errors") {
		t.Errorf("error %v, want one counting the rows with errors", err)
	}
}

// The separator is the header's: comma, semicolon, tab, or spaces.
func TestModelCheckBatchSeparators(t *testing.T) {
	bike := filepath.Join(engineTestdata, "bike.ctm")
	want := "row 2: invalid: frame=carbon, brakes=rim conflict with rule carbon_disc (A carbon frame needs disc brakes)\nrow 3: valid\n1 valid, 1 invalid\n"
	for name, text := range map[string]string{
		"comma":     "frame,brakes,rack\ncarbon,rim,\nalu,,rear\n",
		"semicolon": "frame;brakes;rack\ncarbon;rim;\nalu;;rear\n",
		"tab":       "frame\tbrakes\track\ncarbon\trim\t\nalu\t\trear\n",
		"spaces":    "frame  brakes rack\ncarbon rim none\nalu disc  rear\n",
		"bom+crlf":  "\ufeffframe;brakes;rack\r\ncarbon;rim;\r\nalu;;rear\r\n",
	} {
		batch := filepath.Join(t.TempDir(), name+".csv")
		os.WriteFile(batch, []byte(text), 0o644)
		out, err := runModel(t, "check", bike, "--batch", batch)
		if err != nil || out != want {
			t.Errorf("%s: got %v\n%s\nwant\n%s", name, err, out, want)
		}
	}
}

// --fail-on-invalid fails the run when any row is invalid, after printing
// every row.
func TestModelCheckFailOnInvalid(t *testing.T) {
	bike := filepath.Join(engineTestdata, "bike.ctm")
	configs := filepath.Join(engineTestdata, "configs.csv")
	out, err := runModel(t, "check", bike, "--batch", configs, "--fail-on-invalid")
	if err == nil || !strings.Contains(err.Error(), "4 invalid rows") || !strings.HasSuffix(out, "1 valid, 4 invalid\n") {
		t.Errorf("got %v\n%s", err, out)
	}
	valid := filepath.Join(t.TempDir(), "ok.csv")
	os.WriteFile(valid, []byte("frame\nalu\nsteel\n"), 0o644)
	if out, err := runModel(t, "check", bike, "--batch", valid, "--fail-on-invalid"); err != nil || out != "row 2: valid\nrow 3: valid\n2 valid, 0 invalid\n" {
		t.Errorf("all valid: got %v\n%s", err, out)
	}
}

// TestModelCompileErrorNamesFileOnce: a model that parses but is too large
// to compile names its file once, with the line and column, in every
// model command (analyze printed "big.ctm: big.ctm:2:8: ...").
func TestModelCompileErrorNamesFileOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.ctm")
	src := "model big {\n  char n int 0..900000 { }\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"check", path, "--pick", "n=1"},
		{"analyze", path},
		{"propagate", path},
		{"complete", path},
		{"explain", path, "n=1"},
	} {
		_, _, err := runCmd(t, newModelCmd(), args...)
		if err == nil || strings.Count(err.Error(), path) != 1 || !strings.HasPrefix(err.Error(), path+":2:8: configurator: model too large to compile") {
			t.Errorf("%s: got %v, want one %s:2:8: prefix", args[0], err, path)
		}
	}
}

// TestOneShotGC: overlapping analyze runs set GOGC=800 once and the last
// to finish restores what was set before; with GOGC in the environment
// nothing changes.
func TestOneShotGC(t *testing.T) {
	gcPercent := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }
	t.Setenv("GOGC", "")
	os.Unsetenv("GOGC")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	r1 := oneShotGC()
	r2 := oneShotGC()
	if p := gcPercent(); p != oneShotGCPercent {
		t.Fatalf("inside two runs: GOGC %d, want %d", p, oneShotGCPercent)
	}
	r1()
	if p := gcPercent(); p != oneShotGCPercent {
		t.Fatalf("one run left: GOGC %d, want %d", p, oneShotGCPercent)
	}
	r2()
	if p := gcPercent(); p != 100 {
		t.Fatalf("after both: GOGC %d, want 100 as before", p)
	}
	t.Setenv("GOGC", "50")
	oneShotGC()()
	if p := gcPercent(); p != 100 {
		t.Fatalf("GOGC set by the user: GOGC %d changed, want 100 untouched", p)
	}
}
