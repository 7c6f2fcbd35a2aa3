package server_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
)

// page lists one page of planned orders: their IDs and the next token.
func page(t *testing.T, c mrpv1connect.MRPServiceClient, req *mrpv1.ListPlannedOrdersRequest) ([]string, string, error) {
	t.Helper()
	s, err := c.ListPlannedOrders(context.Background(), connect.NewRequest(req))
	if err != nil {
		return nil, "", err
	}
	var ids []string
	var next string
	for s.Receive() {
		for _, o := range s.Msg().GetOrders() {
			ids = append(ids, o.GetId())
		}
		next = s.Msg().GetNextPageToken()
	}
	return ids, next, s.Err()
}

func reasonOf(err error) string {
	var ce *connect.Error
	if !errors.As(err, &ce) {
		return ""
	}
	for _, d := range ce.Details() {
		if v, err := d.Value(); err == nil {
			if info, ok := v.(*errdetails.ErrorInfo); ok {
				return info.GetReason()
			}
		}
	}
	return ""
}

// TestListPlannedOrdersPaging: the pages of a list, concatenated, are the
// unpaged list; filters select what the definition says; a token is only
// good for its filters and its plan revision.
func TestListPlannedOrdersPaging(t *testing.T) {
	p := protocols[0]
	e := start(t)
	importTinyPlant(t, e, p)
	c := e.mrp(p)
	all := orders(t, c, &mrpv1.ListPlannedOrdersRequest{})
	if len(all) < 4 {
		t.Fatalf("%d orders: too few to page", len(all))
	}
	var want []string
	for _, o := range all {
		want = append(want, o.GetId())
	}
	for _, size := range []int32{1, 2, 3, int32(len(all)), int32(len(all)) + 5} {
		var got []string
		req := &mrpv1.ListPlannedOrdersRequest{PageSize: size}
		for pages := 0; ; pages++ {
			ids, next, err := page(t, c, req)
			if err != nil {
				t.Fatalf("page size %d, page %d: %v", size, pages, err)
			}
			if len(ids) > int(size) || (next != "" && len(ids) != int(size)) {
				t.Fatalf("page size %d, page %d: %d orders, next %q", size, pages, len(ids), next)
			}
			got = append(got, ids...)
			if next == "" {
				break
			}
			req.PageToken = next
		}
		if !slices.Equal(got, want) {
			t.Errorf("page size %d: pages give %v, the list %v", size, got, want)
		}
	}

	// Filters, against the definition on the unpaged list.
	var purchases, dueBy []string
	for _, o := range all {
		if o.GetKind() == mrpv1.OrderKind_ORDER_KIND_PURCHASE {
			purchases = append(purchases, o.GetId())
		}
		if o.GetDueDate() >= "2026-12-10" && o.GetDueDate() <= "2027-01-10" {
			dueBy = append(dueBy, o.GetId())
		}
	}
	if got, _, err := page(t, c, &mrpv1.ListPlannedOrdersRequest{Kind: mrpv1.OrderKind_ORDER_KIND_PURCHASE}); err != nil || !slices.Equal(got, purchases) || len(got) == 0 {
		t.Errorf("kind PURCHASE: %v %v, want %v", got, err, purchases)
	}
	if got, _, err := page(t, c, &mrpv1.ListPlannedOrdersRequest{DueFrom: "2026-12-10", DueTo: "2027-01-10"}); err != nil || !slices.Equal(got, dueBy) {
		t.Errorf("due 2026-12-10..2027-01-10: %v %v, want %v", got, err, dueBy)
	}
	if _, _, err := page(t, c, &mrpv1.ListPlannedOrdersRequest{DueFrom: "12/10/2026"}); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Errorf("bad due_from: %v", err)
	}

	// Tokens: garbage, other filters, an earlier plan revision.
	_, tok, err := page(t, c, &mrpv1.ListPlannedOrdersRequest{PageSize: 1})
	if err != nil || tok == "" {
		t.Fatalf("first page: %q %v", tok, err)
	}
	if _, _, err := page(t, c, &mrpv1.ListPlannedOrdersRequest{PageSize: 1, PageToken: "garbage"}); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Errorf("garbage token: %v", err)
	}
	if _, _, err := page(t, c, &mrpv1.ListPlannedOrdersRequest{PageSize: 1, PageToken: tok, Item: "STEEL"}); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Errorf("token with other filters: %v", err)
	}
	if _, err := c.SetStock(context.Background(), connect.NewRequest(&mrpv1.SetStockRequest{Stock: []*mrpv1.Stock{{Item: "CHAIN", Qty: 7}}})); err != nil {
		t.Fatal(err)
	}
	_, _, err = page(t, c, &mrpv1.ListPlannedOrdersRequest{PageSize: 1, PageToken: tok})
	if connect.CodeOf(err) != connect.CodeAborted || reasonOf(err) != "PLAN_CHANGED" {
		t.Errorf("token of an earlier revision: %v (reason %q)", err, reasonOf(err))
	}
}

// TestListExceptionsPaging: exception pages concatenate to the list.
func TestListExceptionsPaging(t *testing.T) {
	p := protocols[0]
	e := start(t)
	importTinyPlant(t, e, p)
	c := e.mrp(p)
	ctx := context.Background()
	// a rush order: late, so there are exceptions
	if _, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{
		{Id: "SP-2", Item: "CHAIN", Qty: 500, DueDate: "2026-12-02"}, {Id: "SP-3", Item: "CHAIN", Qty: 500, DueDate: "2026-12-03"}}})); err != nil {
		t.Fatal(err)
	}
	list := func(req *mrpv1.ListExceptionsRequest) ([]string, string) {
		s, err := c.ListExceptions(ctx, connect.NewRequest(req))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		var next string
		for _, m := range collect(t, s) {
			for _, x := range m.GetExceptions() {
				out = append(out, x.GetMessage())
			}
			next = m.GetNextPageToken()
		}
		return out, next
	}
	want, _ := list(&mrpv1.ListExceptionsRequest{})
	if len(want) < 2 {
		t.Fatalf("%d exceptions: too few to page", len(want))
	}
	var got []string
	req := &mrpv1.ListExceptionsRequest{PageSize: 1}
	for {
		xs, next := list(req)
		got = append(got, xs...)
		if next == "" {
			break
		}
		req.PageToken = next
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages %v, list %v", got, want)
	}
	late, _ := list(&mrpv1.ListExceptionsRequest{Kind: mrpv1.ExceptionKind_EXCEPTION_KIND_LATE})
	if len(late) == 0 || len(late) > len(want) {
		t.Errorf("late: %v of %v", late, want)
	}
}

// modelPage lists one page of models: their names and the next token.
func modelPage(c configuratorv1connect.ConfiguratorServiceClient, size int32, token string) ([]string, string, error) {
	res, err := c.ListModels(context.Background(), connect.NewRequest(&configuratorv1.ListModelsRequest{PageSize: size, PageToken: token}))
	if err != nil {
		return nil, "", err
	}
	var names []string
	for _, m := range res.Msg.GetModels() {
		names = append(names, m.GetName())
	}
	return names, res.Msg.GetNextPageToken(), nil
}

// putNamed stores the tiny model under another name.
func putNamed(t *testing.T, c configuratorv1connect.ConfiguratorServiceClient, name string) {
	t.Helper()
	src := strings.Replace(tinyModel, "model tiny {", "model "+name+" {", 1)
	if _, err := c.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: name + ".ctm", Source: src})); err != nil {
		t.Fatal(err)
	}
}

// TestListModelsPaging: pages by name. Five models a..e in pages of 2 are
// [a b] [c d] [e]; the pages of any size concatenate to the unpaged list;
// a model stored between two pages after the cursor is in the next page,
// one stored before it is in none, and no model repeats.
func TestListModelsPaging(t *testing.T) {
	for _, p := range []protocol{protocols[0], protocols[2]} {
		t.Run(p.name, func(t *testing.T) {
			e := start(t)
			c := e.configurator(p)
			for _, n := range []string{"d", "b", "e", "a", "c"} {
				putNamed(t, c, n)
			}
			all, next, err := modelPage(c, 0, "")
			if err != nil || next != "" || !slices.Equal(all, []string{"a", "b", "c", "d", "e"}) {
				t.Fatalf("unpaged: %v %q %v", all, next, err)
			}
			for _, size := range []int32{1, 2, 3, 5, 6} {
				var got []string
				tok := ""
				for pages := 0; pages < 10; pages++ {
					names, next, err := modelPage(c, size, tok)
					if err != nil {
						t.Fatalf("size %d: %v", size, err)
					}
					if len(names) > int(size) || (next != "" && len(names) != int(size)) {
						t.Fatalf("size %d: page %v, next %q", size, names, next)
					}
					got = append(got, names...)
					if tok = next; tok == "" {
						break
					}
				}
				if !slices.Equal(got, all) {
					t.Errorf("size %d: pages give %v, want %v", size, got, all)
				}
			}

			// [a b], then "aa" (behind the cursor) and "bb" (after it) are stored
			first, tok, err := modelPage(c, 2, "")
			if err != nil || !slices.Equal(first, []string{"a", "b"}) {
				t.Fatalf("first page %v %v", first, err)
			}
			putNamed(t, c, "aa")
			putNamed(t, c, "bb")
			var rest []string
			for tok != "" {
				var names []string
				if names, tok, err = modelPage(c, 2, tok); err != nil {
					t.Fatal(err)
				}
				rest = append(rest, names...)
			}
			if want := []string{"bb", "c", "d", "e"}; !slices.Equal(rest, want) {
				t.Errorf("after storing aa and bb: rest %v, want %v", rest, want)
			}

			for _, bad := range []struct {
				size  int32
				token string
				field string
			}{{-1, "", "page_size"}, {2, "bm90IGEgdG9rZW4", "page_token"}, {2, "%%%", "page_token"}} {
				_, _, err := modelPage(c, bad.size, bad.token)
				ce := wantCode(t, err, connect.CodeInvalidArgument)
				if br := detail[*errdetails.BadRequest](t, ce); br.GetFieldViolations()[0].GetField() != bad.field {
					t.Errorf("size %d token %q: %v, want field %s", bad.size, bad.token, br, bad.field)
				}
			}
		})
	}
}

// TestFiniteSchedulePaging: the pages of the forklift's finite schedule,
// concatenated, are the unpaged schedule (orders in order, with every
// field), the deliveries come once, with the first page; a page never
// holds more than its size; a token is only good for its
// deliveries_only and its plan revision.
func TestFiniteSchedulePaging(t *testing.T) {
	e := startForklift(t)
	ctx := context.Background()
	c := e.mrp(protocols[0])
	all, err := c.FiniteSchedule(ctx, connect.NewRequest(&mrpv1.FiniteScheduleRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	want := all.Msg.GetOrders()
	if len(want) < 4 || len(all.Msg.GetDeliveries()) == 0 || all.Msg.GetNextPageToken() != "" || all.Msg.GetPlanRevision() == 0 {
		t.Fatalf("unpaged: %d orders, %d deliveries, next %q, revision %d", len(want), len(all.Msg.GetDeliveries()), all.Msg.GetNextPageToken(), all.Msg.GetPlanRevision())
	}
	str := func(os []*mrpv1.ScheduledOrder) []string {
		var s []string
		for _, o := range os {
			s = append(s, o.String())
		}
		return s
	}
	for _, size := range []int32{1, 3, int32(len(want)) - 1, int32(len(want)), int32(len(want)) + 5} {
		var got []*mrpv1.ScheduledOrder
		deliveries := 0
		req := &mrpv1.FiniteScheduleRequest{PageSize: size}
		for pages := 0; ; pages++ {
			res, err := c.FiniteSchedule(ctx, connect.NewRequest(req))
			if err != nil {
				t.Fatalf("page size %d, page %d: %v", size, pages, err)
			}
			m := res.Msg
			if len(m.GetOrders()) > int(size) || (m.GetNextPageToken() != "" && len(m.GetOrders()) != int(size)) {
				t.Fatalf("page size %d, page %d: %d orders, next %q", size, pages, len(m.GetOrders()), m.GetNextPageToken())
			}
			if pages > 0 && len(m.GetDeliveries()) > 0 {
				t.Fatalf("page size %d: deliveries on page %d", size, pages)
			}
			got, deliveries = append(got, m.GetOrders()...), deliveries+len(m.GetDeliveries())
			if m.GetNextPageToken() == "" {
				break
			}
			req.PageToken = m.GetNextPageToken()
		}
		if !slices.Equal(str(got), str(want)) || deliveries != len(all.Msg.GetDeliveries()) {
			t.Errorf("page size %d: pages give %d orders and %d deliveries, unpaged %d and %d", size, len(got), deliveries, len(want), len(all.Msg.GetDeliveries()))
		}
	}
	first, err := c.FiniteSchedule(ctx, connect.NewRequest(&mrpv1.FiniteScheduleRequest{PageSize: 2}))
	if err != nil || first.Msg.GetNextPageToken() == "" {
		t.Fatalf("first page: %v", err)
	}
	tok := first.Msg.GetNextPageToken()
	if _, err := c.FiniteSchedule(ctx, connect.NewRequest(&mrpv1.FiniteScheduleRequest{PageSize: -1})); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Errorf("negative page size: %v", err)
	}
	if _, err := c.FiniteSchedule(ctx, connect.NewRequest(&mrpv1.FiniteScheduleRequest{PageSize: 2, PageToken: "garbage"})); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Errorf("garbage token: %v", err)
	}
	if _, err := c.FiniteSchedule(ctx, connect.NewRequest(&mrpv1.FiniteScheduleRequest{PageSize: 2, PageToken: tok, DeliveriesOnly: true})); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Errorf("token with deliveries_only: %v", err)
	}
	if _, err := c.SetStock(ctx, connect.NewRequest(&mrpv1.SetStockRequest{Stock: []*mrpv1.Stock{{Item: "CHG-EXT-48-100A", Qty: 3}}})); err != nil {
		t.Fatal(err)
	}
	_, err = c.FiniteSchedule(ctx, connect.NewRequest(&mrpv1.FiniteScheduleRequest{PageSize: 2, PageToken: tok}))
	if connect.CodeOf(err) != connect.CodeAborted || reasonOf(err) != "PLAN_CHANGED" {
		t.Errorf("token of an earlier revision: %v (reason %q)", err, reasonOf(err))
	}
}
