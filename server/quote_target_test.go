package server_test

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
)

// TestCostLeadTimeOfConfiguration: CostRollup and LeadTime of a
// configurable item with picks answer what they answer for the variant
// Resolve stores for the same picks on the same day, and store nothing.
func TestCostLeadTimeOfConfiguration(t *testing.T) {
	p := protocols[0]
	e := start(t)
	importTiny(t, e, p)
	ctx := context.Background()
	c := e.bom(p)
	picks := []*configuratorv1.Pick{pick("mast", "triplex")}
	quoted := &bomv1.Target{Item: "TRUCK", Picks: picks, Date: "2026-12-01"}

	before, err := c.GetStats(ctx, connect.NewRequest(&bomv1.GetStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	qc, err := c.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: quoted}))
	if err != nil {
		t.Fatal(err)
	}
	ql, err := c.LeadTime(ctx, connect.NewRequest(&bomv1.LeadTimeRequest{Target: quoted}))
	if err != nil {
		t.Fatal(err)
	}
	after, err := c.GetStats(ctx, connect.NewRequest(&bomv1.GetStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if after.Msg.GetVariants() != before.Msg.GetVariants() || after.Msg.GetNodes() != before.Msg.GetNodes() {
		t.Errorf("quoting stored: %v -> %v", before.Msg, after.Msg)
	}

	res, err := c.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: "TRUCK", Picks: picks, Date: "2026-12-01"}))
	if err != nil {
		t.Fatal(err)
	}
	stored := &bomv1.Target{Variant: res.Msg.GetVariant().GetId()}
	sc, err := c.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: stored}))
	if err != nil {
		t.Fatal(err)
	}
	sl, err := c.LeadTime(ctx, connect.NewRequest(&bomv1.LeadTimeRequest{Target: stored}))
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(qc.Msg, sc.Msg) || qc.Msg.GetTotal().GetAmount() == "0" || strings.HasPrefix(qc.Msg.GetTotal().GetAmount(), "-") {
		t.Errorf("CostRollup of the picks %v, of the stored variant %v", qc.Msg, sc.Msg)
	}
	if !proto.Equal(ql.Msg, sl.Msg) || ql.Msg.GetDays() <= 0 {
		t.Errorf("LeadTime of the picks %v, of the stored variant %v", ql.Msg, sl.Msg)
	}
	// a bad pick is a bad request
	_, err = c.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: &bomv1.Target{Item: "TRUCK", Picks: []*configuratorv1.Pick{pick("mast", "nope")}}}))
	if connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Errorf("bad pick: %v", err)
	}
}

// TestListItems: the items a model configures are the configurable items
// naming it; all items without a model; an unknown model is NotFound.
func TestListItems(t *testing.T) {
	p := protocols[0]
	e := start(t)
	importTiny(t, e, p)
	ctx := context.Background()
	c := e.bom(p)
	all, err := c.ListItems(ctx, connect.NewRequest(&bomv1.ListItemsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, it := range all.Msg.GetItems() {
		if it.GetModel() == "tiny" {
			want = append(want, it.GetId())
		}
	}
	got, err := c.ListItems(ctx, connect.NewRequest(&bomv1.ListItemsRequest{Model: "tiny"}))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range got.Msg.GetItems() {
		ids = append(ids, it.GetId())
	}
	if len(ids) != 1 || ids[0] != "TRUCK" || len(want) != 1 || len(all.Msg.GetItems()) < 5 {
		t.Errorf("items of tiny: %v (all: %d, with model tiny: %v)", ids, len(all.Msg.GetItems()), want)
	}
	if _, err := c.ListItems(ctx, connect.NewRequest(&bomv1.ListItemsRequest{Model: "nope"})); connect.CodeOf(err) != connect.CodeNotFound {
		t.Errorf("unknown model: %v", err)
	}
}
