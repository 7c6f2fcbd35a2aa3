package web_test

import (
	"encoding/json"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
)

// TestRPCPegDemandLevels runs the page's rpc.js in Node against a server
// holding a plant whose supply trees double at every level (A_k and B_k
// each made of A_{k+1} and B_{k+1}): a sales order of A0, 20 levels
// above the bought parts (2^21 - 1 nodes), is refused whole
// (resource_exhausted), and pegDemand falls back to its first three
// levels: 1 + 2 + 4 nodes, the 4 of the last cut. A sales order of A10
// (2^11 - 1 = 2,047 nodes) comes whole, nothing cut. Node is on every
// machine CI runs on (the TypeScript client's check needs it).
func TestRPCPegDemandLevels(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to run the page's rpc.js: ", err)
	}
	h := newHandler(t, false)
	items, bom := plantgen.LadderCSV(20)
	body := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	type file struct {
		Name string `json:"name"`
		Text string `json:"text"`
	}
	if w := do(h, "POST", "/ctoplan.bom.v1.BOMService/Import", body(map[string]any{"csv": []file{{"items.csv", items}, {"bom.csv", bom}}}), token); w.Code != 200 {
		t.Fatalf("import: %d %s", w.Code, w.Body)
	}
	plant := map[string]any{"date": "2026-12-01", "csv": []file{{"demands.csv", "id,item,qty,due_date\nD,A0,2,2026-12-10\nD10,A10,1,2026-12-10\n"}}}
	if w := do(h, "POST", "/ctoplan.mrp.v1.MRPService/ImportPlant", body(plant), token); w.Code != 200 {
		t.Fatalf("import plant: %d %s", w.Code, w.Body)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	rpc, err := filepath.Abs(filepath.Join("static", "rpc.js"))
	if err != nil {
		t.Fatal(err)
	}
	script := `
const [base, file] = process.argv.slice(1);
const f = globalThis.fetch;
globalThis.fetch = (u, o) => f(base + u, o);
const rpc = await import(file);
const out = {};
for (const d of ["D", "D10"]) {
  const pegs = await rpc.pegDemand(d);
  out[d] = { nodes: pegs.length, cut: pegs.filter((p) => p.cut).length, deepest: Math.max(...pegs.map((p) => p.level || 0)) };
}
console.log(JSON.stringify(out));
`
	cmd := exec.Command(node, "--input-type=module", "-e", script, srv.URL, "file://"+rpc)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	type tree struct{ Nodes, Cut, Deepest int }
	var got map[string]tree
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node printed %q: %v", out, err)
	}
	if want := (tree{7, 4, 2}); got["D"] != want {
		t.Errorf("pegDemand(D), a tree too large: %+v, want its first three levels %+v", got["D"], want)
	}
	if want := (tree{2047, 0, 10}); got["D10"] != want {
		t.Errorf("pegDemand(D10): %+v, want the whole tree %+v", got["D10"], want)
	}
}
