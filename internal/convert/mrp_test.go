package convert_test

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestMRPRoundTrip: what the server sends of the capacity, schedule, rush
// and status answers reads back as the value it came from (for the fields
// the wire carries: no operations, day numbers or accept changes).
func TestMRPRoundTrip(t *testing.T) {
	b := mrp.LoadBucket{WorkCenter: "ASSY", Date: day("2026-12-07"), Load: 12.5, Available: 16}
	if got, err := convert.LoadBucketFromProto(convert.LoadBucketToProto(b)); err != nil || got != b {
		t.Errorf("bucket: %+v %v, want %+v", got, err, b)
	}
	o := mrp.FiniteOrder{ID: "MO-1", Item: "FRAME", Qty: 20, Priority: 10, Due: day("2026-12-10"), Start: day("2026-12-03"),
		Finish: day("2026-12-11"), LateDays: 1, Forward: true, Released: true}
	if got, err := convert.FiniteOrderFromProto(convert.FiniteOrderToProto(&o)); err != nil || !reflect.DeepEqual(got, o) {
		t.Errorf("order: %+v %v, want %+v", got, err, o)
	}
	// An unscheduled order has no dates: "" on the wire, zero times back.
	u := mrp.FiniteOrder{ID: "MO-2", Item: "X", Qty: 1, Unscheduled: "no routing"}
	pb := convert.FiniteOrderToProto(&u)
	if pb.GetStartDate() != "" {
		t.Errorf("zero start sent as %q, want empty", pb.GetStartDate())
	}
	if got, err := convert.FiniteOrderFromProto(pb); err != nil || !reflect.DeepEqual(got, u) {
		t.Errorf("unscheduled: %+v %v, want %+v", got, err, u)
	}
	d := mrp.Delivery{Demand: "SO-1", Due: day("2026-12-10"), Expected: day("2026-12-14"), LateDays: 4, Limit: "MO-1", Reason: "ASSY overloaded"}
	if got, err := convert.DeliveryFromProto(convert.DeliveryToProto(d)); err != nil || got != d {
		t.Errorf("delivery: %+v %v, want %+v", got, err, d)
	}
	a := &mrp.RushAnswer{Demand: "R1", Requested: day("2027-02-19"), Promised: day("2027-02-22"), LateDays: 3, Limit: "PO-9", Reason: "material",
		Delayed: []mrp.Delay{{Demand: "SO-2", Before: day("2027-01-04"), After: day("2027-01-17"), Days: 13, LateBefore: 0, Late: 13}}}
	pa := convert.RushAnswerToProto("FL-TRUCK@ab12", a)
	if pa.GetItem() != "FL-TRUCK@ab12" {
		t.Errorf("rush item %q", pa.GetItem())
	}
	if got, err := convert.RushAnswerFromProto(pa); err != nil || !reflect.DeepEqual(got, a) {
		t.Errorf("rush: %+v %v, want %+v", got, err, a)
	}
	st := &mrp.OrderStatus{Demand: "SO-1", OpsDone: 1, OpsTotal: 4, Latest: "MO-1", LatestFinish: day("2026-12-11"), Promised: day("2026-12-10"),
		Expected: day("2026-12-11"), LateDays: 1, AtRisk: true, Reason: "ASSY overloaded"}
	if got, err := convert.OrderStatusFromProto(convert.OrderStatusToProto(st)); err != nil || !reflect.DeepEqual(got, st) {
		t.Errorf("status: %+v %v, want %+v", got, err, st)
	}
}

// TestMRPBadDate: a date the CLI cannot read is an error naming the field,
// not a zero date.
func TestMRPBadDate(t *testing.T) {
	_, err := convert.OrderStatusFromProto(&mrpv1.SalesOrderStatus{Demand: "SO-1", PromisedDate: "2026-13-01"})
	if err == nil || !strings.Contains(err.Error(), "SO-1 promised_date") {
		t.Errorf("err = %v, want one naming SO-1 promised_date", err)
	}
	if _, err := convert.LoadBucketFromProto(&mrpv1.CapacityBucket{Date: "07.12.2026"}); err == nil {
		t.Error("bucket with a bad date: no error")
	}
}

// TestPickText: a wire pick prints as --pick takes it back.
func TestPickText(t *testing.T) {
	for _, c := range []struct {
		p    *configuratorv1.Pick
		want string
	}{
		{&configuratorv1.Pick{Char: "mast", Value: "triplex"}, "mast=triplex"},
		{&configuratorv1.Pick{Char: "mast", Value: "duplex", Exclude: true}, "mast!=duplex"},
		{&configuratorv1.Pick{Char: "rack"}, "rack=none"},
	} {
		if got := convert.PickText(c.p); got != c.want {
			t.Errorf("PickText(%v) = %q, want %q", c.p, got, c.want)
		}
	}
}

// TestOrdersToProto: a listing's messages, cut from one block with the
// calendar's date strings, are OrderToProto's, order by order, on a
// generated plant with routings and past-due orders.
func TestOrdersToProto(t *testing.T) {
	c := plantgen.Default(300)
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	os := p.AllOrders()
	ops, past := 0, 0
	for _, o := range os {
		ops += len(o.Operations)
		if o.ReleaseDay < 0 {
			past++
		}
	}
	if len(os) < 1000 || ops == 0 || past == 0 {
		t.Fatalf("%d orders, %d operations, %d past due: the plant tests too little", len(os), ops, past)
	}
	got := convert.OrdersToProto(p, os)
	for k, o := range os {
		if want := convert.OrderToProto(o); !proto.Equal(got[k], want) {
			t.Fatalf("order %s: %v, want %v", o.ID, got[k], want)
		}
	}
}

// TestShareBlocks: the pegging of many orders converted from blocks is
// DemandSharesToProto's, list by list, across blocks and for lists longer
// than a block; a list converted earlier is not changed by later ones,
// nor by an append to another.
func TestShareBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var b convert.ShareBlocks
	var in [][]mrp.DemandShare
	var out [][]*mrpv1.DemandShare
	for n := range 400 {
		size := r.IntN(40)
		switch n % 97 {
		case 0:
			size = 0
		case 5:
			size = 5000 // longer than a block
		}
		sh := make([]mrp.DemandShare, size)
		for j := range sh {
			sh[j] = mrp.DemandShare{Demand: "SO" + strconv.Itoa(r.IntN(1000)), Qty: float64(r.IntN(50)) / 4}
		}
		in = append(in, sh)
		got := b.Convert(sh)
		if len(out) > 0 && len(got) > 0 {
			prev := out[len(out)-1]
			_ = append(prev, &mrpv1.DemandShare{Demand: "appended"})
		}
		out = append(out, got)
	}
	for n, sh := range in {
		want := convert.DemandSharesToProto(sh)
		if len(out[n]) != len(want) {
			t.Fatalf("list %d: %d messages, want %d", n, len(out[n]), len(want))
		}
		for j := range want {
			if !proto.Equal(out[n][j], want[j]) {
				t.Fatalf("list %d, share %d: %v, want %v", n, j, out[n][j], want[j])
			}
		}
	}
}
