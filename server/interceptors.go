package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"connectrpc.com/connect"
)

// writeCall reports whether a procedure changes state: everything that is
// not declared NO_SIDE_EFFECTS in the proto.
func writeCall(spec connect.Spec) bool {
	return spec.IdempotencyLevel != connect.IdempotencyNoSideEffects
}

// authInterceptor requires "Authorization: Bearer <token>" on write calls.
type authInterceptor struct{ token []byte }

func (a authInterceptor) check(spec connect.Spec, h interface{ Get(string) string }) error {
	if !writeCall(spec) {
		return nil
	}
	got, ok := strings.CutPrefix(h.Get("Authorization"), "Bearer ")
	if !ok {
		return connect.NewError(connect.CodeUnauthenticated,
			errors.New("this call changes state: send the server's token as \"Authorization: Bearer <token>\""))
	}
	if subtle.ConstantTimeCompare([]byte(got), a.token) != 1 {
		return connect.NewError(connect.CodeUnauthenticated, errors.New("wrong bearer token"))
	}
	return nil
}

func (a authInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if err := a.check(req.Spec(), req.Header()); err != nil {
			return nil, err
		}
		return next(ctx, req)
	}
}

func (a authInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (a authInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		if err := a.check(conn.Spec(), conn.RequestHeader()); err != nil {
			return err
		}
		return next(ctx, conn)
	}
}

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
