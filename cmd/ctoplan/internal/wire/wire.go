// Package wire holds what the ctoplan commands and the demo (package
// demo) both need of the RPC answers: reading the streamed listings whole,
// and the text of wire values (picks, order kinds, quantities, money).
//
// # Basics
//
// [ListOrders] and [ListExceptions] collect a server stream; [OrderKind], [Num] and [Money] print values as every command prints
// them.
//
// # Caveats
//
// A listing is read whole into memory: for the bulk output of
// `mrp run --data` the CLI writes rows straight from the plan instead
// (internal/mrprun).
package wire

import (
	"context"
	"math"
	"strconv"
	"strings"
	"sync"

	"connectrpc.com/connect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
)

// ListOrders reads the planned orders ListPlannedOrders streams for req.
func ListOrders(ctx context.Context, cl mrpv1connect.MRPServiceClient, req *mrpv1.ListPlannedOrdersRequest) ([]*mrpv1.PlannedOrder, error) {
	s, err := cl.ListPlannedOrders(ctx, connect.NewRequest(req))
	if err != nil {
		return nil, err
	}
	defer s.Close()
	var out []*mrpv1.PlannedOrder
	for s.Receive() {
		out = append(out, s.Msg().GetOrders()...)
	}
	return out, s.Err()
}

// ListExceptions reads the exceptions of item ("" for all).
func ListExceptions(ctx context.Context, cl mrpv1connect.MRPServiceClient, item string) ([]*mrpv1.Exception, error) {
	s, err := cl.ListExceptions(ctx, connect.NewRequest(&mrpv1.ListExceptionsRequest{Item: item}))
	if err != nil {
		return nil, err
	}
	defer s.Close()
	var out []*mrpv1.Exception
	for s.Receive() {
		out = append(out, s.Msg().GetExceptions()...)
	}
	return out, s.Err()
}

// OrderKind is an order kind's lower-case word (planned, firm, ...).
func OrderKind(k mrpv1.OrderKind) string {
	if w := orderKindWords(); k >= 0 && int(k) < len(w) {
		return w[k]
	}
	return orderKindWord(k)
}

// orderKindWords are OrderKind's words of the kinds the proto names, made
// once: a whole plan's listing prints millions of orders' kinds.
var orderKindWords = sync.OnceValue(func() []string {
	vs := mrpv1.OrderKind(0).Descriptor().Values()
	var w []string
	for i := range vs.Len() {
		n := int(vs.Get(i).Number())
		if n < 0 || n > 64 {
			continue
		}
		for len(w) <= n {
			w = append(w, orderKindWord(mrpv1.OrderKind(len(w))))
		}
	}
	return w
})

func orderKindWord(k mrpv1.OrderKind) string {
	return strings.ToLower(strings.TrimPrefix(k.String(), "ORDER_KIND_"))
}

// Num prints a quantity without float noise (at most 6 decimals).
func Num(f float64) string { return strconv.FormatFloat(math.Round(f*1e6)/1e6, 'f', -1, 64) }

// Money prints an amount with two decimals.
func Money(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// ConstraintKind is a constraint kind's lower-case word (rule, table).
func ConstraintKind(k configuratorv1.ConstraintKind) string {
	return strings.ToLower(strings.TrimPrefix(k.String(), "CONSTRAINT_KIND_"))
}

// Amount prints a wire amount with two decimals (as it came, when it is
// not a decimal number: the server never sends one).
func Amount(m *rpcv1.Money) string {
	f, err := convert.ParseAmount(m.GetAmount())
	if err != nil {
		return m.GetAmount()
	}
	return Money(f)
}
