package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/internal/csvtext"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// This file is the one place where errors become Connect codes:
//
//	bad request field, model text, CSV row  -> InvalidArgument (+ BadRequest / SourceErrors)
//	unknown model, item, variant, order,
//	demand, receipt                          -> NotFound (+ ResourceInfo, BadRequest)
//	invalid configuration                    -> FailedPrecondition (+ configurator.v1.Conflict)
//	a model under which stored sales orders'
//	configurations are invalid               -> FailedPrecondition (BREAKS_ORDERS)
//	write conflict (kv.ErrConflict)          -> Aborted
//	page token of an earlier plan revision   -> Aborted (PLAN_CHANGED)
//	store closed or lost (kv.ErrClosed)      -> Unavailable
//	no etcd quorum (kv.ErrUnavailable)       -> Unavailable
//	disk full (kv.ErrDiskFull)               -> ResourceExhausted
//	store damaged (kv.ErrCorrupt)            -> DataLoss
//	transaction too big                      -> ResourceExhausted
//	deadline, cancellation                   -> DeadlineExceeded, Canceled
//	anything else                            -> Internal (logged)
//
// Two kinds are answered before a call reaches its handler: no or a wrong
// bearer token is Unauthenticated, a token without the call's scope
// PermissionDenied (auth.go); a field beyond the limits of limits.go is a
// bad request field like any other.
//
// Every error also carries a google.rpc.ErrorInfo with a stable reason
// (INVALID_FIELD, ITEM_NOT_FOUND, BAD_PICK, INVALID_CONFIGURATION...) and
// the domain "ctoplan.dev", and a message without Go package prefixes in
// the caller's language (Accept-Language: en or zh): errorInterceptor in
// language.go adds them to whatever a handler returns.

// fieldError is a bad field of a request.
type fieldError struct{ field, problem string }

func (e *fieldError) Error() string { return e.field + ": " + e.problem }

func badField(field, format string, args ...any) error {
	return &fieldError{field: field, problem: fmt.Sprintf(format, args...)}
}

// seenOnce refuses a request list naming one key twice: field (the
// element's path, e.g. "demands[3].id") names key given again, first at
// list[first]. What one request does to one record is one thing: two
// entries for it (which wins?) are an input error.
type seenOnce struct {
	list  string
	first map[string]int
}

func newSeenOnce(list string) *seenOnce { return &seenOnce{list: list, first: map[string]int{}} }

func (o *seenOnce) check(field, key string, i int) error {
	if k, dup := o.first[key]; dup {
		return badField(field, "%q given again (first at %s[%d]): one entry per record", key, o.list, k)
	}
	o.first[key] = i
	return nil
}

// notFoundError names something the request refers to that does not
// exist; why, when set, says more (a variant ID of an older master-data
// revision).
type notFoundError struct {
	kind, name string
	why        error
}

func (e *notFoundError) Error() string {
	if e.why != nil {
		return e.why.Error()
	}
	return fmt.Sprintf("unknown %s %q", e.kind, e.name)
}

func notFound(kind, name string) error { return &notFoundError{kind: kind, name: name} }

// toConnect maps err to a *connect.Error with the code and details above.
// The handlers call it; errorInterceptor (language.go) then gives every
// error its reason, its message in the caller's language and its details.
func (s *Server) toConnect(err error) error {
	if err == nil {
		return nil
	}
	var ce *connect.Error
	if errors.As(err, &ce) {
		return err
	}
	p := classify(err)
	out := connect.NewError(p.code, err)
	if p.code == connect.CodeInternal {
		s.log.Error("internal error", "err", err)
	}
	return out
}

// errorDomain is the ErrorInfo domain of every ctoplan error.
const errorDomain = "ctoplan.dev"

// problem is what the client learns of an error: its code, its stable
// reason (google.rpc.ErrorInfo), and its details.
type problem struct {
	code   connect.Code
	reason string
	// the unknown thing of a NotFound: kind ("item", "demand"...) and name
	kind, name string
	// a bad field: path in the request and what is wrong
	field, fieldProblem string
	detail              proto.Message // SourceErrors or Conflict
}

func classify(err error) problem {
	var (
		fe     *fieldError
		de     *decodeError
		ae     *authError
		nf     *notFoundError
		cfe    *configurator.ConflictError
		list   configurator.ErrorList
		one    *configurator.Error
		bl     bom.ErrorList
		csvErr *mrp.CSVError
		ie     *mrp.ItemError
	)
	switch {
	case errors.Is(err, kv.ErrUnavailable): // etcd without quorum; before DeadlineExceeded
		return problem{code: connect.CodeUnavailable, reason: "STORE_UNAVAILABLE"}
	case errors.Is(err, context.DeadlineExceeded):
		return problem{code: connect.CodeDeadlineExceeded, reason: "DEADLINE_EXCEEDED"}
	case errors.Is(err, context.Canceled):
		return problem{code: connect.CodeCanceled, reason: "CANCELED"}
	case errors.Is(err, kv.ErrConflict):
		return problem{code: connect.CodeAborted, reason: "WRITE_CONFLICT"}
	case errors.Is(err, kv.ErrClosed): // also a vanished store directory (kv.ErrLost)
		return problem{code: connect.CodeUnavailable, reason: "STORE_UNAVAILABLE"}
	case errors.Is(err, kv.ErrDiskFull):
		return problem{code: connect.CodeResourceExhausted, reason: "DISK_FULL"}
	case errors.Is(err, kv.ErrCorrupt):
		return problem{code: connect.CodeDataLoss, reason: "STORE_CORRUPT"}
	case errors.Is(err, kv.ErrTxnTooBig):
		return problem{code: connect.CodeResourceExhausted, reason: "TRANSACTION_TOO_BIG"}
	case errors.As(err, &fe):
		return problem{code: connect.CodeInvalidArgument, reason: "INVALID_FIELD", field: fe.field, fieldProblem: fe.problem}
	case errors.As(err, &de) && de.field != "":
		return problem{code: connect.CodeInvalidArgument, reason: "UNKNOWN_FIELD", field: de.field, fieldProblem: de.msg}
	case errors.As(err, &de):
		return problem{code: connect.CodeInvalidArgument, reason: "MALFORMED_REQUEST"}
	case errors.As(err, &ae):
		return problem{code: ae.code, reason: ae.reason}
	case errors.As(err, &nf):
		return notFoundProblem(nf.kind, nf.name)
	case errors.Is(err, errPlanChanged):
		return problem{code: connect.CodeAborted, reason: "PLAN_CHANGED"}
	case errors.Is(err, errNoPlan):
		return problem{code: connect.CodeFailedPrecondition, reason: "NO_PLANT_DATA"}
	case errors.As(err, &bl):
		return problem{code: connect.CodeInvalidArgument, reason: "INVALID_SOURCE", detail: bomSourceErrors(bl)}
	case errors.As(err, &csvErr):
		return problem{code: connect.CodeInvalidArgument, reason: "INVALID_SOURCE", detail: mrpSourceErrors(err)}
	case errors.As(err, &cfe):
		return problem{code: connect.CodeFailedPrecondition, reason: "INVALID_CONFIGURATION", detail: convert.ConflictToProto(cfe.Conflict)}
	case errors.As(err, &list):
		return problem{code: connect.CodeInvalidArgument, reason: "INVALID_SOURCE", detail: sourceErrors(list)}
	case errors.As(err, &one):
		return problem{code: connect.CodeInvalidArgument, reason: "INVALID_SOURCE", detail: sourceErrors(configurator.ErrorList{one})}
	case errors.Is(err, mrp.ErrUnknownItem) && errors.As(err, &ie):
		return notFoundProblem("item", ie.Item)
	}
	switch {
	case errors.Is(err, configurator.ErrInvalidConfiguration):
		return problem{code: connect.CodeFailedPrecondition, reason: "INVALID_CONFIGURATION"}
	case errors.Is(err, configurator.ErrBadPick):
		return problem{code: connect.CodeInvalidArgument, reason: "BAD_PICK"}
	case errors.Is(err, configurator.ErrInvalidModel):
		return problem{code: connect.CodeInvalidArgument, reason: "INVALID_MODEL"}
	case errors.Is(err, configurator.ErrNoValue):
		return problem{code: connect.CodeInvalidArgument, reason: "NO_VALUE"}
	case errors.Is(err, configurator.ErrTooLarge):
		return problem{code: connect.CodeResourceExhausted, reason: "MODEL_TOO_LARGE"}
	case errors.Is(err, bom.ErrTooLarge):
		return problem{code: connect.CodeResourceExhausted, reason: "EXPLOSION_TOO_LARGE"}
	case errors.Is(err, mrp.ErrTooLarge):
		return problem{code: connect.CodeResourceExhausted, reason: "TREE_TOO_LARGE"}
	// bom and mrp share one sentinel per class (mrp.ErrNotFound is
	// bom.ErrNotFound, and so on), so one test per class covers both.
	case errors.Is(err, bom.ErrNotFound), errors.Is(err, mrp.ErrUnknownItem):
		kind, name := notFoundName(err)
		return notFoundProblem(kind, name)
	case errors.Is(err, bom.ErrInvalid):
		return problem{code: connect.CodeInvalidArgument, reason: "INVALID_INPUT"}
	case errors.Is(err, bom.ErrCycle):
		return problem{code: connect.CodeInvalidArgument, reason: "BOM_CYCLE"}
	case errors.Is(err, bom.ErrNotConfigurable):
		return problem{code: connect.CodeInvalidArgument, reason: "NOT_CONFIGURABLE"}
	case errors.Is(err, bom.ErrResolve):
		return problem{code: connect.CodeFailedPrecondition, reason: "CANNOT_RESOLVE"}
	case errors.Is(err, mrp.ErrBreaksOrders):
		return problem{code: connect.CodeFailedPrecondition, reason: "BREAKS_ORDERS"}
	case errors.Is(err, mrp.ErrStale):
		return problem{code: connect.CodeAborted, reason: "STALE_REPLICA"}
	}
	return problem{code: connect.CodeInternal, reason: "INTERNAL"}
}

// notFoundProblem is the NotFound of a kind of thing and its name; the
// reason is the kind's ("ITEM_NOT_FOUND", "DEMAND_NOT_FOUND"...).
func notFoundProblem(kind, name string) problem {
	r := "NOT_FOUND"
	if kind != "" {
		r = strings.ToUpper(strings.ReplaceAll(kind, " ", "_")) + "_NOT_FOUND"
	}
	return problem{code: connect.CodeNotFound, reason: r, kind: kind, name: name}
}

// notFoundKinds are the kinds of thing the domain packages name after their
// not-found sentinels ("mrp: not found: demand SO-9", "bom: not found: item
// \"X\"", "order \"A#2027-01-08\"", "mrp: unknown item X"), longest first.
var notFoundKinds = []string{"firm planned order", "demand", "receipt", "order", "variant", "node", "item"}

// notFoundName finds the kind and name of the unknown thing in the text of
// a domain not-found error ("", "" when it names none).
func notFoundName(err error) (kind, name string) {
	msg := err.Error()
	for _, sentinel := range []error{bom.ErrNotFound, mrp.ErrUnknownItem} {
		i := strings.Index(msg, sentinel.Error())
		if i < 0 {
			continue
		}
		rest := strings.TrimLeft(msg[i+len(sentinel.Error()):], ": ")
		if sentinel == mrp.ErrUnknownItem {
			return "item", firstWord(rest)
		}
		for _, k := range notFoundKinds {
			if strings.HasPrefix(rest, k+" ") {
				return k, firstWord(rest[len(k)+1:])
			}
		}
	}
	return "", ""
}

// firstWord is the first word of s, unquoted when it is a quoted string.
func firstWord(s string) string {
	if strings.HasPrefix(s, `"`) {
		if q, err := strconv.QuotedPrefix(s); err == nil {
			u, _ := strconv.Unquote(q)
			return u
		}
	}
	if i := strings.IndexAny(s, " :,;()"); i >= 0 {
		s = s[:i]
	}
	return s
}

// bomSourceErrors lists the problems of a BOM import: each at its CSV
// file:row and column, or at the file:line:col of a condition inside it.
func bomSourceErrors(list bom.ErrorList) *rpcv1.SourceErrors {
	out := &rpcv1.SourceErrors{}
	for _, e := range list {
		se := &rpcv1.SourceError{Message: e.Error()}
		var fe *bom.FieldError
		var ce *configurator.Error
		var cl configurator.ErrorList
		switch {
		case errors.As(e, &cl) && len(cl) > 0:
			ce = cl[0]
			fallthrough
		case ce != nil || errors.As(e, &ce):
			se.File, se.Line, se.Col = ce.Pos.File, int32(ce.Pos.Line), int32(ce.Pos.Col)
		}
		if errors.As(e, &fe) {
			se.Column = fe.Column
			if se.File == "" {
				se.File, se.Line, se.Col = cmp.Or(fe.Pos.File, fe.Record), int32(fe.Pos.Line), int32(fe.Pos.Col)
			}
			se.Message = csvtext.ShortenQuoted(fe.Err.Error()) // as fe.Error() shows it
		}
		out.Errors = append(out.Errors, se)
	}
	return out
}

// mrpSourceErrors lists every CSV error in err's tree (errors.Join of
// several files' errors) at its file:row and column.
func mrpSourceErrors(err error) *rpcv1.SourceErrors {
	out := &rpcv1.SourceErrors{}
	var walk func(error)
	walk = func(e error) {
		var ce *mrp.CSVError
		if c, ok := e.(*mrp.CSVError); ok {
			ce = c
		}
		if ce != nil {
			out.Errors = append(out.Errors, &rpcv1.SourceError{File: ce.Pos.File, Line: int32(ce.Pos.Line), Column: ce.Column, Message: csvtext.ShortenQuoted(ce.Err.Error())}) // as ce.Error() shows it
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}

func sourceErrors(list configurator.ErrorList) *rpcv1.SourceErrors {
	out := &rpcv1.SourceErrors{}
	for _, e := range list {
		out.Errors = append(out.Errors, &rpcv1.SourceError{
			File: e.Pos.File, Line: int32(e.Pos.Line), Col: int32(e.Pos.Col), Message: e.Msg,
		})
	}
	return out
}
