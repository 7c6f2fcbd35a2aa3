package server

import (
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
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// This file is the one place where errors become Connect codes:
//
//	bad request field, model text, CSV row  -> InvalidArgument (+ BadRequest / SourceErrors)
//	unknown model, item, variant, order,
//	demand, receipt                          -> NotFound (+ NotFound)
//	invalid configuration                    -> FailedPrecondition (+ configurator.v1.Conflict)
//	write conflict (kv.ErrConflict)          -> Aborted
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

// fieldError is a bad field of a request.
type fieldError struct{ field, problem string }

func (e *fieldError) Error() string { return e.field + ": " + e.problem }

func badField(field, format string, args ...any) error {
	return &fieldError{field: field, problem: fmt.Sprintf(format, args...)}
}

// notFoundError names something the request refers to that does not exist.
type notFoundError struct{ kind, name string }

func (e *notFoundError) Error() string { return fmt.Sprintf("unknown %s %q", e.kind, e.name) }

func notFound(kind, name string) error { return &notFoundError{kind: kind, name: name} }

// toConnect maps err to a *connect.Error with the code and details above.
func (s *Server) toConnect(err error) error {
	if err == nil {
		return nil
	}
	var ce *connect.Error
	if errors.As(err, &ce) {
		return err
	}
	code, detail := classify(err)
	out := connect.NewError(code, err)
	if detail != nil {
		if d, derr := connect.NewErrorDetail(detail); derr == nil {
			out.AddDetail(d)
		}
	}
	if code == connect.CodeInternal {
		s.log.Error("internal error", "err", err)
	}
	return out
}

func classify(err error) (connect.Code, proto.Message) {
	var (
		fe     *fieldError
		nf     *notFoundError
		cfe    *configurator.ConflictError
		list   configurator.ErrorList
		one    *configurator.Error
		bl     bom.ErrorList
		csvErr *mrp.CSVError
	)
	switch {
	case errors.Is(err, kv.ErrUnavailable): // etcd without quorum; before DeadlineExceeded
		return connect.CodeUnavailable, nil
	case errors.Is(err, context.DeadlineExceeded):
		return connect.CodeDeadlineExceeded, nil
	case errors.Is(err, context.Canceled):
		return connect.CodeCanceled, nil
	case errors.Is(err, kv.ErrConflict):
		return connect.CodeAborted, nil
	case errors.Is(err, kv.ErrClosed): // also a vanished store directory (kv.ErrLost)
		return connect.CodeUnavailable, nil
	case errors.Is(err, kv.ErrDiskFull):
		return connect.CodeResourceExhausted, nil
	case errors.Is(err, kv.ErrCorrupt):
		return connect.CodeDataLoss, nil
	case errors.Is(err, kv.ErrTxnTooBig):
		return connect.CodeResourceExhausted, nil
	case errors.As(err, &fe):
		return connect.CodeInvalidArgument, &rpcv1.BadRequest{FieldViolations: []*rpcv1.FieldViolation{{Field: fe.field, Description: fe.problem}}}
	case errors.As(err, &nf):
		return connect.CodeNotFound, &rpcv1.NotFound{Kind: nf.kind, Name: nf.name}
	case errors.Is(err, errNoPlan):
		return connect.CodeFailedPrecondition, nil
	case errors.As(err, &bl):
		return connect.CodeInvalidArgument, bomSourceErrors(bl)
	case errors.As(err, &csvErr):
		return connect.CodeInvalidArgument, mrpSourceErrors(err)
	case errors.As(err, &cfe):
		return connect.CodeFailedPrecondition, convert.ConflictToProto(cfe.Conflict)
	case errors.As(err, &list):
		return connect.CodeInvalidArgument, sourceErrors(list)
	case errors.As(err, &one):
		return connect.CodeInvalidArgument, sourceErrors(configurator.ErrorList{one})
	}
	switch {
	case errors.Is(err, configurator.ErrInvalidConfiguration):
		return connect.CodeFailedPrecondition, nil
	case errors.Is(err, configurator.ErrBadPick), errors.Is(err, configurator.ErrInvalidModel),
		errors.Is(err, configurator.ErrNoValue):
		return connect.CodeInvalidArgument, nil
	case errors.Is(err, configurator.ErrTooLarge), errors.Is(err, bom.ErrTooLarge):
		return connect.CodeResourceExhausted, nil
	case errors.Is(err, bom.ErrNotFound):
		return connect.CodeNotFound, nil
	case errors.Is(err, bom.ErrInvalid), errors.Is(err, bom.ErrCycle), errors.Is(err, bom.ErrNotConfigurable):
		return connect.CodeInvalidArgument, nil
	case errors.Is(err, bom.ErrResolve):
		return connect.CodeFailedPrecondition, nil
	case errors.Is(err, mrp.ErrStale):
		return connect.CodeAborted, nil
	case errors.Is(err, mrp.ErrNotFound), errors.Is(err, mrp.ErrUnknownItem):
		return connect.CodeNotFound, nil
	case errors.Is(err, mrp.ErrInvalid), errors.Is(err, mrp.ErrCycle):
		return connect.CodeInvalidArgument, nil
	}
	return connect.CodeInternal, nil
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
				se.File, se.Line = splitWhere(fe.Where)
			}
			se.Message = fe.Err.Error()
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
			out.Errors = append(out.Errors, &rpcv1.SourceError{File: ce.File, Line: int32(ce.Row), Column: ce.Column, Message: ce.Err.Error()})
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

// splitWhere splits "file:row" into its parts.
func splitWhere(where string) (string, int32) {
	i := strings.LastIndexByte(where, ':')
	if i < 0 {
		return where, 0
	}
	n, err := strconv.Atoi(where[i+1:])
	if err != nil {
		return where, 0
	}
	return where[:i], int32(n)
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
