package server

import (
	"context"
	"time"

	"connectrpc.com/connect"
)

// deadlineInterceptor gives every call a deadline: the client's, capped at
// max, or max when the client set none.
type deadlineInterceptor struct{ max time.Duration }

func (d deadlineInterceptor) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= d.max {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d.max)
}

func (d deadlineInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		ctx, cancel := d.bound(ctx)
		defer cancel()
		return next(ctx, req)
	}
}

func (d deadlineInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (d deadlineInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		ctx, cancel := d.bound(ctx)
		defer cancel()
		return next(ctx, conn)
	}
}
