package server_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

// TestPromiseNamesPlanVariant: a promise for a configuration names the
// variant the plan builds an order delivering on the promised date as; a
// sales-order line due on that date is planned as the same.
func TestPromiseNamesPlanVariant(t *testing.T) {
	p := protocols[0]
	ctx := context.Background()
	e := start(t)
	importTinyPlant(t, e, p)
	c := e.mrp(p)
	picks := []*configuratorv1.Pick{pick("mast", "duplex")}
	pr, err := c.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "TRUCK", Picks: picks, Qty: 3, Date: "2027-02-01"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(pr.Msg.GetVariant()) != 64 {
		t.Fatalf("promise names no variant: %v", pr.Msg)
	}
	up, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{
		Id: "SO-9", Item: "TRUCK", Picks: picks, Qty: 3, DueDate: pr.Msg.GetDate()}}}))
	if err != nil {
		t.Fatal(err)
	}
	if it := up.Msg.GetItems(); len(it) != 1 || it[0].GetVariant() != pr.Msg.GetVariant() || it[0].GetItem() != pr.Msg.GetItem() {
		t.Errorf("promise: %s as %s; order planned as %v", pr.Msg.GetItem(), pr.Msg.GetVariant(), it)
	}
}
