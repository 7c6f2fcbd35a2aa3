package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"connectrpc.com/connect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
)

func TestModelCheckPicks(t *testing.T) {
	bike := filepath.Join(engineTestdata, "bike.ctm")
	for _, tc := range []struct {
		args    []string
		want    string
		wantErr string
	}{
		{[]string{"--pick", "frame=carbon"}, "valid\n", ""},
		{[]string{"--pick", "frame=carbon", "--pick", "rack=none"}, "valid\n", ""},
		{[]string{"--pick", "frame=carbon", "--pick", "brakes=rim"},
			"invalid: frame=carbon, brakes=rim conflict with rule carbon_disc (A carbon frame needs disc brakes)\n", ""},
		{[]string{"--pick", "frame=carbon", "--pick", "brakes=rim", "--fail-on-invalid"},
			"invalid: frame=carbon, brakes=rim conflict with rule carbon_disc (A carbon frame needs disc brakes)\n", "--pick: invalid configuration"},
		{[]string{"--pick", "frame=carbon", "--pick", "brakes=rim", "--format", "csv"},
			"result,detail\ninvalid,\"frame=carbon, brakes=rim conflict with rule carbon_disc (A carbon frame needs disc brakes)\"\n", ""},
		{[]string{"--pick", "frame=carbon", "--format", "csv"}, "result,detail\nvalid,\n", ""},
		{[]string{"--pick", "frame=carbon", "--only-invalid"}, "", ""},
		{[]string{"--pick", "frame=carbon", "--format", "json"}, "{\n  \"valid\": true\n}\n", ""},
	} {
		out, err := runModel(t, append([]string{"check", bike}, tc.args...)...)
		if out != tc.want {
			t.Errorf("%v:\ngot  %q\nwant %q", tc.args, out, tc.want)
		}
		if (err == nil) != (tc.wantErr == "") || (err != nil && err.Error() != tc.wantErr) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.wantErr)
		}
	}
	out, err := runModel(t, "check", bike, "--pick", "frame=carbon", "--pick", "brakes=rim", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		Valid    bool
		Conflict struct{ Picks, Constraints []string }
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || j.Valid || strings.Join(j.Conflict.Picks, " ") != "frame=carbon brakes=rim" || strings.Join(j.Conflict.Constraints, " ") != "rule carbon_disc" {
		t.Errorf("json: %v %+v\n%s", err, j, out)
	}
}

func TestModelCheckBatchFormats(t *testing.T) {
	bike := filepath.Join(engineTestdata, "bike.ctm")
	batch := filepath.Join(t.TempDir(), "b.csv")
	os.WriteFile(batch, []byte("frame,brakes\ncarbon,rim\nalu,disc\ncarbn,disc\n"), 0o644)
	out, err := runModel(t, "check", bike, "--batch", batch, "--format", "csv")
	if err == nil || !strings.Contains(err.Error(), "1 row with errors") {
		t.Errorf("error %v, want 1 row with errors", err)
	}
	want := "row,result,detail\n" +
		"2,invalid,\"frame=carbon, brakes=rim conflict with rule carbon_disc (A carbon frame needs disc brakes)\"\n" +
		"3,valid,\n" +
		"4,error,\"column frame: unknown value \"\"carbn\"\" for frame (did you mean \"\"carbon\"\"?)\"\n"
	if out != want {
		t.Errorf("csv:\ngot  %q\nwant %q", out, want)
	}
	out, _ = runModel(t, "check", bike, "--batch", batch, "--format", "json")
	var j struct {
		Rows []struct {
			Row   int
			Valid bool
			Error string
		}
		Valid, Invalid, Errors int
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || len(j.Rows) != 3 || j.Valid != 1 || j.Invalid != 1 || j.Errors != 1 ||
		j.Rows[1].Row != 3 || !j.Rows[1].Valid || j.Rows[2].Error == "" {
		t.Errorf("json: %v %+v\n%s", err, j, out)
	}
}

func TestModelCheckBadInput(t *testing.T) {
	bike := filepath.Join(engineTestdata, "bike.ctm")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check", bike}, "missing --batch CONFIGS or --pick"},
		{[]string{"check", bike, "--pick", "frame=carbn"}, `--pick #1 "frame=carbn": unknown value "carbn" for frame (did you mean "carbon"?)`},
		{[]string{"check", bike, "--pick", "frme=carbon"}, `unknown characteristic "frme"`},
		{[]string{"check", bike, "--pick", "frame"}, "want char=value or char!=value"},
		{[]string{"check", bike, "--pick", "frame=alu", "--format", "xml"}, `invalid argument "xml" for "--format" flag: want one of table, json, csv`},
		{[]string{"check", bike, "--pick", "frame=alu", "--batch", "x.csv"}, "either --pick flags or --batch"},
		{[]string{"check", bike, "--pick", "frame=alu", "--model", "bike"}, "--model NAME needs --server URL"},
		{[]string{"check", filepath.Join(t.TempDir(), "nope.ctm"), "--pick", "frame=alu"}, "nope.ctm"},
	} {
		out, err := runModel(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want it to contain %q", tc.args, err, tc.want)
		}
		if out != "" {
			t.Errorf("%v: printed %q before failing", tc.args, out)
		}
	}
}

// TestModelCheckServer checks through a running server (the Check RPC):
// output and errors must be those of the offline run on the file.
func TestModelCheckServer(t *testing.T) {
	bike := filepath.Join(engineTestdata, "bike.ctm")
	src, err := os.ReadFile(bike)
	if err != nil {
		t.Fatal(err)
	}
	url, stop := serveFor(t, "--store", filepath.Join(t.TempDir(), "store"), "--token", "t0ken-0123456789abcdef")
	defer func() {
		if log, err := stop(); err != nil {
			t.Errorf("serve: %v\n%s", err, log)
		}
	}()
	conf := configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, url, connect.WithInterceptors(bearer("t0ken-0123456789abcdef")))
	res, err := conf.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "bike.ctm", Source: string(src)}))
	if err != nil {
		t.Fatal(err)
	}
	name := res.Msg.GetModel().GetName()
	batch := filepath.Join(t.TempDir(), "b.csv")
	os.WriteFile(batch, []byte("frame,brakes,rack\ncarbon,rim,\nalu,disc,none\ncarbn,disc,\nsteel\n"), 0o644)
	configs := filepath.Join(engineTestdata, "configs.csv")
	for _, tc := range [][]string{
		{"--pick", "frame=carbon"},
		{"--pick", "frame=carbon", "--pick", "brakes=rim"},
		{"--pick", "frame=carbon", "--pick", "brakes=rim", "--fail-on-invalid"},
		{"--pick", "frame=carbon", "--pick", "rack!=none", "--format", "json"},
		{"--pick", "frame=carbon", "--pick", "brakes=rim", "--format", "csv"},
		{"--pick", "frame=carbn"},
		{"--batch", configs},
		{"--batch", configs, "--only-invalid", "--format", "json"},
		{"--batch", batch},
		{"--batch", batch, "--format", "csv"},
	} {
		want, wantErr := runModel(t, append([]string{"check", bike}, tc...)...)
		for _, srvArgs := range [][]string{
			append([]string{"check", name, "--server", url}, tc...),
			append([]string{"check", "--server", url, "--model", name}, tc...),
		} {
			got, gotErr := runModel(t, srvArgs...)
			if got != want {
				t.Errorf("%v:\ngot  %q\nwant %q", srvArgs, got, want)
			}
			if (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
				t.Errorf("%v: error %v, want %v", srvArgs, gotErr, wantErr)
			}
		}
	}
	if _, err := runModel(t, "check", "bicycle", "--server", url, "--pick", "frame=alu"); err == nil || !strings.Contains(err.Error(), "bicycle") {
		t.Errorf("unknown model: got %v", err)
	}
}

// TestModelCheckBatchCells: a one-column file is CSV (its quotes are
// quotes); a multi-valued characteristic lists its values in one cell
// (two lights of a truck in one row); a characteristic named by two
// columns is refused, and so is a row of far more cells than the header
// (before encoding/csv makes a string of each).
func TestModelCheckBatchCells(t *testing.T) {
	fl := filepath.Join("..", "..", "testdata", "forklift", "forklift.ctm")
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	out, err := runModel(t, "check", fl, "--batch", write("one.csv", "capacity\n\"t30\"\n"), "--format", "csv")
	if err != nil || out != "row,result,detail\n2,valid,\n" {
		t.Errorf("one quoted column: %v\n%s", err, out)
	}
	out, err = runModel(t, "check", fl, "--batch", write("multi.csv", "lights,capacity\n\"led_front,beacon\",t15\nled_front|beacon,t15\nled_front;nope,t15\n"), "--format", "csv")
	if err == nil || !strings.Contains(out, "2,valid,\n3,valid,\n4,error,\"column lights: unknown value \"\"nope\"\"") {
		t.Errorf("multi-valued cells: %v\n%s", err, out)
	}
	_, err = runModel(t, "check", fl, "--batch", write("twice.csv", "capacity,capacity\nt15,t25\n"))
	if err == nil || !strings.Contains(err.Error(), "twice.csv:1: column 2: capacity is column 1 too") {
		t.Errorf("a characteristic in two columns: %v", err)
	}
	_, err = runModel(t, "check", fl, "--batch", write("wide.csv", "lights,capacity\nbeacon,t15\nbeacon,t15"+strings.Repeat(",", 5000)+"\n"))
	if err == nil || !strings.Contains(err.Error(), "wide.csv:3: 5002 cells, the header has 2: a row may have at most 1000 cells more") {
		t.Errorf("a row of 5002 cells: %v", err)
	}
}

// TestReadmeFeatureModel: the README's feature-model example answers as
// it reads (the file is part of the repository).
func TestReadmeFeatureModel(t *testing.T) {
	car := filepath.Join("..", "..", "testdata", "featuremodels", "car.xml")
	out, err := runModel(t, "explain", car, "Tow Bar=true", "--pick", "Electric=true")
	if err != nil || !strings.Contains(out, "Tow Bar=true is excluded because of Electric=true") || !strings.Contains(out, "rule constraint 1 (tow needs petrol)") {
		t.Errorf("explain: %v\n%s", err, out)
	}
	if out, err := runModel(t, "fmt", car); err != nil || !strings.Contains(out, "model car {") {
		t.Errorf("fmt: %v\n%s", err, out)
	}
}
