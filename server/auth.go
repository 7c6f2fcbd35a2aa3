package server

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/reflect/protoreflect"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
)

// Scopes is a set of rights a bearer token grants. Every RPC needs exactly
// one scope ([ProcedureScope]); scopes do not imply each other (a token for
// everything lists all four).
type Scopes uint8

const (
	// ScopeRead: ask the stored data and the plan (models, items,
	// explosions, costs, lead times, planned orders, pegging, exceptions).
	ScopeRead Scopes = 1 << iota
	// ScopeQuote: configure and promise (Check, Propagate, Explain,
	// Complete, Promise). Nothing a quote computes is stored.
	ScopeQuote
	// ScopePlan: change the plant data and replan (stock, demands,
	// receipts, ImportPlant, Run), and Resolve, which stores the variant it
	// finds (as ordering it does).
	ScopePlan
	// ScopeAdmin: change the master data and models (PutModel, Import) and
	// read the whole store (Backup).
	ScopeAdmin

	// AllScopes is every scope: what --token grants.
	AllScopes = ScopeRead | ScopeQuote | ScopePlan | ScopeAdmin
)

type scopeName struct {
	s    Scopes
	name string
}

var scopeNames = []scopeName{{ScopeRead, "read"}, {ScopeQuote, "quote"}, {ScopePlan, "plan"}, {ScopeAdmin, "admin"}}

// String lists the scopes comma-separated ("none" for the empty set).
func (s Scopes) String() string {
	var names []string
	for _, n := range scopeNames {
		if s&n.s != 0 {
			names = append(names, n.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ",")
}

// ParseScopes reads a comma-separated list of read, quote, plan and admin;
// "all" is every scope, "none" (or "") no scope.
func ParseScopes(text string) (Scopes, error) {
	var s Scopes
	if text == "" || text == "none" {
		return 0, nil
	}
	for _, w := range strings.Split(text, ",") {
		w = strings.TrimSpace(w)
		if w == "all" {
			s |= AllScopes
			continue
		}
		i := slices.IndexFunc(scopeNames, func(n scopeName) bool { return n.name == w })
		if i < 0 {
			return 0, fmt.Errorf("unknown scope %q (want read, quote, plan, admin, all or none)", w)
		}
		s |= scopeNames[i].s
	}
	return s, nil
}

// procedureScopes is the one place that says which scope each RPC needs.
// TestEveryProcedureHasAScope walks the generated service descriptors and
// checks that every method is here and enforced; New refuses to start if
// one is missing.
var procedureScopes = map[string]Scopes{
	configuratorv1connect.ConfiguratorServicePutModelProcedure:   ScopeAdmin,
	configuratorv1connect.ConfiguratorServiceListModelsProcedure: ScopeRead,
	configuratorv1connect.ConfiguratorServiceGetModelProcedure:   ScopeRead,
	configuratorv1connect.ConfiguratorServiceCheckProcedure:      ScopeQuote,
	configuratorv1connect.ConfiguratorServicePropagateProcedure:  ScopeQuote,
	configuratorv1connect.ConfiguratorServiceExplainProcedure:    ScopeQuote,
	configuratorv1connect.ConfiguratorServiceCompleteProcedure:   ScopeQuote,

	bomv1connect.BOMServiceImportProcedure:     ScopeAdmin,
	bomv1connect.BOMServiceResolveProcedure:    ScopePlan,
	bomv1connect.BOMServiceGetItemProcedure:    ScopeRead,
	bomv1connect.BOMServiceListItemsProcedure:  ScopeRead,
	bomv1connect.BOMServiceExplodeProcedure:    ScopeRead,
	bomv1connect.BOMServiceWhereUsedProcedure:  ScopeRead,
	bomv1connect.BOMServiceCostRollupProcedure: ScopeRead,
	bomv1connect.BOMServiceLeadTimeProcedure:   ScopeRead,
	bomv1connect.BOMServiceGetStatsProcedure:   ScopeRead,

	mrpv1connect.MRPServiceImportPlantProcedure:       ScopePlan,
	mrpv1connect.MRPServiceUpsertDemandsProcedure:     ScopePlan,
	mrpv1connect.MRPServiceDeleteDemandsProcedure:     ScopePlan,
	mrpv1connect.MRPServiceUpsertReceiptsProcedure:    ScopePlan,
	mrpv1connect.MRPServiceDeleteReceiptsProcedure:    ScopePlan,
	mrpv1connect.MRPServiceSetStockProcedure:          ScopePlan,
	mrpv1connect.MRPServiceRunProcedure:               ScopePlan,
	mrpv1connect.MRPServiceListPlannedOrdersProcedure: ScopeRead,
	mrpv1connect.MRPServiceGetRecordProcedure:         ScopeRead,
	mrpv1connect.MRPServicePegDemandProcedure:         ScopeRead,
	mrpv1connect.MRPServicePegOrderProcedure:          ScopeRead,
	mrpv1connect.MRPServiceListExceptionsProcedure:    ScopeRead,
	mrpv1connect.MRPServicePromiseProcedure:           ScopeQuote,
	mrpv1connect.MRPServiceFirmOrderProcedure:         ScopePlan,
	mrpv1connect.MRPServiceReleaseOrderProcedure:      ScopePlan,
	mrpv1connect.MRPServiceGetPlanStatsProcedure:      ScopeRead,
	mrpv1connect.MRPServiceBackupProcedure:            ScopeAdmin,
	mrpv1connect.MRPServiceCapacityLoadProcedure:      ScopeRead,
	mrpv1connect.MRPServiceFiniteScheduleProcedure:    ScopeRead,
	mrpv1connect.MRPServiceSalesOrderStatusProcedure:  ScopeRead,
	mrpv1connect.MRPServiceWhatIfRushProcedure:        ScopeQuote,
	mrpv1connect.MRPServiceAcceptRushProcedure:        ScopePlan,
	mrpv1connect.MRPServiceConfirmOperationsProcedure: ScopePlan,
}

// ServiceDescriptors are the RPC services a [Server] serves.
func ServiceDescriptors() []protoreflect.ServiceDescriptor {
	return []protoreflect.ServiceDescriptor{
		configuratorv1.File_ctoplan_configurator_v1_configurator_proto.Services().ByName("ConfiguratorService"),
		bomv1.File_ctoplan_bom_v1_bom_proto.Services().ByName("BOMService"),
		mrpv1.File_ctoplan_mrp_v1_mrp_proto.Services().ByName("MRPService"),
	}
}

// ProcedureScope returns the scope a procedure ("/pkg.Service/Method")
// needs; ok is false for a path that is not an RPC of ctoplan's services
// (health, reflection, unknown paths).
func ProcedureScope(procedure string) (s Scopes, ok bool) {
	s, ok = procedureScopes[procedure]
	return s, ok
}

// checkScopeTable reports a served method without a declared scope.
func checkScopeTable() error {
	for _, sd := range ServiceDescriptors() {
		ms := sd.Methods()
		for i := range ms.Len() {
			p := "/" + string(sd.FullName()) + "/" + string(ms.Get(i).Name())
			if _, ok := procedureScopes[p]; !ok {
				return fmt.Errorf("server: %s has no scope in procedureScopes (auth.go)", p)
			}
		}
	}
	return nil
}

// MinTokenBytes is the shortest token a token file may hold.
const MinTokenBytes = 16

// ReadTokenFile reads a token file: one token per line, then white space,
// then its comma-separated scopes (see [ParseScopes]); blank lines and lines
// starting with # are skipped. Tokens are at least [MinTokenBytes] bytes of
// printable ASCII without spaces, each listed once:
//
//	# ctoplan serve --token-file tokens
//	1b0c8e2f7a4d49c6b3e5 quote          CRM quoting front end
//	9d7e61a0f2c34b58a9c1 read,quote,plan planners
//	0f3a5c7e9b1d2f4a6c8e all            operations
//
// Anything after the scopes is a comment.
func ReadTokenFile(name string) (map[string]Scopes, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readTokens(name, f)
}

func readTokens(name string, r io.Reader) (map[string]Scopes, error) {
	out := map[string]Scopes{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		at := fmt.Sprintf("%s:%d", name, line)
		if len(fields) < 2 {
			return nil, fmt.Errorf("%s: want TOKEN SCOPES (e.g. \"<token> read,quote\")", at)
		}
		tok := fields[0]
		if len(tok) < MinTokenBytes {
			return nil, fmt.Errorf("%s: token of %d bytes is too short (at least %d; e.g. openssl rand -hex 16)", at, len(tok), MinTokenBytes)
		}
		for _, c := range []byte(tok) {
			if c <= ' ' || c >= 0x7f {
				return nil, fmt.Errorf("%s: a token is printable ASCII", at)
			}
		}
		s, err := ParseScopes(fields[1])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", at, err)
		}
		if _, dup := out[tok]; dup {
			return nil, fmt.Errorf("%s: the same token twice", at)
		}
		out[tok] = s
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no tokens", name)
	}
	return out, nil
}

// guard decides what a caller may do from its bearer token.
type guard struct {
	on     bool                // any token configured
	tokens map[[32]byte]Scopes // by SHA-256 of the token
	anon   Scopes              // callers without a token
}

func newGuard(o Options) *guard {
	g := &guard{tokens: map[[32]byte]Scopes{}, anon: AllScopes}
	if o.Token != "" {
		g.tokens[sha256.Sum256([]byte(o.Token))] = AllScopes
	}
	for t, s := range o.Tokens {
		if t != "" {
			g.tokens[sha256.Sum256([]byte(t))] |= s
		}
	}
	if len(g.tokens) > 0 {
		g.on, g.anon = true, o.Anonymous
	}
	return g
}

// check returns nil when the request's token (or the lack of one) grants
// need, else a Connect error: Unauthenticated without a valid token,
// PermissionDenied with a token that lacks the scope. Tokens are compared
// by their SHA-256, so the lookup time does not depend on how much of a
// guess matches a real token.
func (g *guard) check(procedure string, need Scopes, h http.Header) error {
	if !g.on {
		return nil
	}
	auth := h.Get("Authorization")
	if auth == "" {
		if g.anon&need != 0 {
			return nil
		}
		return authErr(connect.CodeUnauthenticated, "TOKEN_MISSING",
			"%s needs a token with scope %v: send \"Authorization: Bearer <token>\"", procedure, need)
	}
	scheme, tok, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") { // the scheme is case-insensitive (RFC 9110)
		return authErr(connect.CodeUnauthenticated, "TOKEN_MALFORMED", "malformed Authorization header: want \"Bearer <token>\"")
	}
	have, ok := g.tokens[sha256.Sum256([]byte(tok))]
	if !ok {
		return authErr(connect.CodeUnauthenticated, "TOKEN_WRONG", "wrong bearer token")
	}
	if (have|g.anon)&need == 0 {
		return authErr(connect.CodePermissionDenied, "SCOPE_MISSING", "%s needs scope %v; this token has %v", procedure, need, have)
	}
	return nil
}

// authError is a refused call: its code (Unauthenticated or
// PermissionDenied) and its ErrorInfo reason.
type authError struct {
	code   connect.Code
	reason string
	msg    string
}

func (e *authError) Error() string { return e.msg }

func authErr(code connect.Code, reason, format string, args ...any) error {
	return connect.NewError(code, &authError{code: code, reason: reason, msg: fmt.Sprintf(format, args...)})
}

// authorize refuses a call the caller has no scope for before anything of
// its body is read (an anonymous client cannot make the server read and
// decompress a large body), answering in the call's protocol (Connect,
// gRPC or gRPC-Web). It also bounds the time to read the body.
func (s *Server) authorize(next http.Handler) http.Handler {
	ew := connect.NewErrorWriter()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if need, ok := procedureScopes[r.URL.Path]; ok {
			if err := s.guard.check(r.URL.Path, need, r.Header); err != nil {
				if ew.IsSupported(r) {
					// the error model of every other error: reason, language
					ew.Write(w, r, present(err, nil, language(r.Header)))
				} else {
					http.Error(w, err.Error(), http.StatusUnauthorized)
				}
				return
			}
			// Every ctoplan RPC takes one request message. (Reflection, a
			// bidirectional stream, keeps its body open while a client
			// asks: no body deadline there.)
			if s.opts.BodyTimeout > 0 && r.Body != nil && r.Body != http.NoBody {
				bodyDeadline(w, s.opts.BodyTimeout)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// authInterceptor checks the scope again from the call's spec: the HTTP
// check above already refused the call, this one holds for handlers
// mounted without it (Server.Handler wraps it, a custom mux might not).
type authInterceptor struct{ g *guard }

func (a authInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if err := a.g.check(req.Spec().Procedure, procedureScopes[req.Spec().Procedure], req.Header()); err != nil {
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
		if err := a.g.check(conn.Spec().Procedure, procedureScopes[conn.Spec().Procedure], conn.RequestHeader()); err != nil {
			return err
		}
		return next(ctx, conn)
	}
}
