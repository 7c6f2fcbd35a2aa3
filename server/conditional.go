package server

import (
	"context"
	"net/http"
	"strings"

	"connectrpc.com/connect"
)

// notModifiedInterceptor answers a conditional read: a unary call sent as
// an HTTP GET (Connect GET) with If-None-Match naming the ETag of its
// answer gets 304 Not Modified without a body. The ETag is the one the
// handler set (GetModel: the model digest and view; a plan read: the plan
// revision), so the check is exactly as right as the ETag: the answer is
// computed as usual and only its sending is saved. Other protocols and
// POSTs have no 304 (connect-go would turn it into Unknown) and get the
// answer.
type notModifiedInterceptor struct{}

func (notModifiedInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		res, err := next(ctx, req)
		if err != nil || res == nil || req.HTTPMethod() != http.MethodGet {
			return res, err
		}
		if etag := res.Header().Get("ETag"); etag != "" && etagMatch(req.Header().Values("If-None-Match"), etag) {
			return nil, connect.NewNotModifiedError(http.Header{"Etag": {etag}})
		}
		return res, nil
	}
}

func (notModifiedInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (notModifiedInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

// etagMatch reports whether the If-None-Match header values list etag, or
// are "*" (RFC 9110 §13.1.2: a weak comparison, so W/"x" matches "x").
func etagMatch(values []string, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == etag {
				return true
			}
		}
	}
	return false
}
