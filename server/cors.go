package server

import (
	"net/http"
	"slices"
	"time"

	connectcors "connectrpc.com/cors"
	"github.com/rs/cors"
)

// withCORS answers CORS preflights and adds Access-Control-* headers to the
// answers for the origins of Options.CORSOrigins (none: next unchanged, a
// browser page on another origin cannot call). The allowed methods and
// headers are those of the Connect protocol (POST and GET), gRPC-Web and
// the bearer token (Authorization), Accept-Language and If-None-Match (a
// conditional read); grpc-status, grpc-message and
// grpc-status-details-bin are exposed so that a gRPC-Web client reads the
// errors, and ETag so that a page sees the plan revision of a read. It wraps the whole handler, before authorization: a preflight
// carries no token.
func withCORS(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	headers := append(connectcors.AllowedHeaders(), "Authorization", "Accept-Language", "If-None-Match")
	return cors.New(cors.Options{
		AllowedOrigins: slices.Clone(origins),
		AllowedMethods: connectcors.AllowedMethods(),
		AllowedHeaders: headers,
		ExposedHeaders: append(connectcors.ExposedHeaders(), "ETag"),
		MaxAge:         int(2 * time.Hour / time.Second),
	}).Handler(next)
}
