package server_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"connectrpc.com/connect"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

// TestModelBreakingOrdersRefused: a model under which stored sales orders'
// configurations are invalid (here a rule that rules out the 2.5 t
// capacity some orders have) is refused, by PutModel and by Import, naming
// an order; the plan keeps answering; the old text is taken again.
func TestModelBreakingOrdersRefused(t *testing.T) {
	e := startForklift(t)
	ctx := context.Background()
	p := protocols[1]
	src, err := os.ReadFile(filepath.Join(forkliftDir, "forklift.ctm"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	i := strings.LastIndex(text, "}")
	breaking := text[:i] + "  rule no25 { message en \"t25 discontinued\" capacity != t25 }\n}\n"

	_, err = e.configurator(p).PutModel(ctx, connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "forklift.ctm", Source: breaking}))
	if wantCode(t, err, connect.CodeFailedPrecondition); reasonOf(err) != "BREAKS_ORDERS" || !strings.Contains(err.Error(), "sales-order lines would be invalid: SO-") || !strings.Contains(err.Error(), "no25") {
		t.Fatalf("PutModel of a model breaking stored orders: %v (reason %s)", err, reasonOf(err))
	}
	_, err = e.bom(p).Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Models: []*bomv1.ModelSource{{Filename: "forklift.ctm", Source: breaking}}}))
	if wantCode(t, err, connect.CodeFailedPrecondition); reasonOf(err) != "BREAKS_ORDERS" {
		t.Fatalf("Import of a model breaking stored orders: %v", err)
	}
	if _, err := e.mrp(p).GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{SkipDigest: true})); err != nil {
		t.Fatalf("the plan after the refused model: %v", err)
	}
	// a rule no stored order breaks is taken
	harmless := text[:i] + "  rule fine { message en \"never\" not (capacity = t25 and capacity = t30) }\n}\n"
	if _, err := e.configurator(p).PutModel(ctx, connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "forklift.ctm", Source: harmless})); err != nil {
		t.Fatal(err)
	}
	if _, err := e.mrp(p).GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{SkipDigest: true})); err != nil {
		t.Fatalf("the plan after a harmless model change: %v", err)
	}
}
