package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/cobra"
)

// runCmd runs cmd with args and returns its stdout, stderr and error.
func runCmd(t *testing.T, cmd *cobra.Command, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SilenceUsage = true
	cmd.SilenceErrors = true
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errb.String(), err
}

// A tiny configurable truck: a triplex mast needs the 2.5 t truck; the mast
// follows the mast characteristic.
var tinyFiles = map[string]string{
	"tiny.ctm": `model tiny {
  version "1"
  currency EUR
  char capacity single {
    default t15
    value t15
    value t25 { price 1800 }
  }
  char mast single {
    default duplex
    value duplex
    value triplex { price 2500 }
  }
  rule triplex_capacity {
    message en "A triplex mast needs the 2.5 t truck"
    mast = triplex -> capacity = t25
  }
}
`,
	"items.csv": `item,description,uom,kind,lead_time_days,unit_cost,model
TRUCK,Tiny truck,pc,make,2,0,tiny
FRAME,Frame,pc,make,3,0,
MAST-D,Duplex mast,pc,make,2,0,
MAST-T,Triplex mast,pc,make,4,0,
CHAIN,Chain,pc,buy,10,12.5,
STEEL,Steel plate,kg,buy,5,2,
`,
	"bom.csv": `parent,component,qty_per,scrap_pct,condition,position
TRUCK,FRAME,1,,,0010
TRUCK,MAST-D,1,,mast = duplex,0020
TRUCK,MAST-T,1,,mast = triplex,0020
FRAME,STEEL,120,5,,0010
MAST-D,CHAIN,2,,,0010
MAST-T,CHAIN,3,,,0010
`,
	"routings.csv": `item,op_seq,work_center,setup_hours,run_hours_per_unit
TRUCK,10,ASSY,1,2
FRAME,10,WELD,0.5,1
`,
	"workcenters.csv": `work_center,rate_per_hour
ASSY,50
WELD,60
`,
}

// writeFiles writes files into a new temporary directory, with changes
// applied (a value "" deletes the file).
func writeFiles(t *testing.T, files map[string]string, changes map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if c, ok := changes[name]; ok {
			text = c
		}
		if text == "" {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, text := range changes {
		if _, ok := files[name]; !ok && text != "" {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func TestProgressOnlyOnTerminal(t *testing.T) {
	var b bytes.Buffer
	stop := progress(&b, "working")
	stop()
	if b.Len() != 0 {
		t.Errorf("progress wrote %q to a buffer", b.String())
	}
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	progress(f, "working")()
	if fi, _ := f.Stat(); fi.Size() != 0 {
		t.Errorf("progress wrote to a regular file")
	}
}

// TestLoopback: the server URLs on this machine, whose answers the CLI
// takes uncompressed, and the others.
func TestLoopback(t *testing.T) {
	for u, want := range map[string]bool{
		"http://127.0.0.1:8080": true, "http://localhost:8080": true, "https://[::1]:8443": true, "http://127.1.2.3": true,
		"http://10.0.0.5:8080": false, "https://plan.example.com": false, "http://[2001:db8::1]:80": false, "::bad": false,
		"http://localhost.example.com": false,
	} {
		if got := loopback(u); got != want {
			t.Errorf("loopback(%q) = %v, want %v", u, got, want)
		}
	}
}
