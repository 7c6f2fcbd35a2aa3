package main

import (
	"errors"
	"fmt"
	"strings"

	"connectrpc.com/connect"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"

	"github.com/ctoplan/ctoplan/internal/convert"
)

// readable turns an RPC error into the message a person should read: the
// error's own text, then one line per detail (each source error as
// file:line:col: message, the picks and rules of a conflict).
func readable(err error) error {
	var ce *connect.Error
	if !errors.As(err, &ce) {
		return err
	}
	var b strings.Builder
	b.WriteString(ce.Message())
	// detail adds one indented line, unless it only repeats the message
	// (a single error's detail usually does).
	detail := func(line string) {
		if line == ce.Message() {
			return
		}
		b.WriteString("\n  ")
		b.WriteString(line)
	}
	for _, d := range ce.Details() {
		v, derr := d.Value()
		if derr != nil {
			continue
		}
		switch m := v.(type) {
		case *rpcv1.SourceErrors:
			for _, e := range m.GetErrors() {
				detail(sourcePos(e) + e.GetMessage())
			}
		case *errdetails.BadRequest:
			for _, f := range m.GetFieldViolations() {
				if f.GetDescription() == ce.Message() {
					continue // a NotFound's field: the message says it all
				}
				detail(f.GetField() + ": " + f.GetDescription())
			}
		case *configuratorv1.Conflict:
			b.WriteString("\n")
			b.WriteString(conflictText(m, "  "))
		}
	}
	if ce.Code() == connect.CodeUnavailable || ce.Code() == connect.CodeUnauthenticated {
		return fmt.Errorf("%s (%s)", b.String(), ce.Code())
	}
	return errors.New(b.String())
}

func sourcePos(e *rpcv1.SourceError) string {
	var p string
	switch {
	case e.GetLine() > 0 && e.GetCol() > 0:
		p = fmt.Sprintf("%s:%d:%d: ", e.GetFile(), e.GetLine(), e.GetCol())
	case e.GetLine() > 0:
		p = fmt.Sprintf("%s:%d: ", e.GetFile(), e.GetLine())
	case e.GetFile() != "":
		p = e.GetFile() + ": "
	}
	if e.GetColumn() != "" {
		p += e.GetColumn() + ": "
	}
	return p
}

// conflictText prints a conflict: the picks that cannot stand together and
// the rules involved with their English messages.
func conflictText(c *configuratorv1.Conflict, indent string) string {
	var b strings.Builder
	picks := make([]string, len(c.GetPicks()))
	for i, p := range c.GetPicks() {
		picks[i] = pickText(p)
	}
	fmt.Fprintf(&b, "%sthese picks cannot stand together: %s", indent, strings.Join(picks, ", "))
	for _, r := range c.GetConstraints() {
		fmt.Fprintf(&b, "\n%s  %s %s", indent, enumWord(r.GetKind().Descriptor(), r.GetKind().Number()), r.GetName())
		if msg := r.GetMessage()["en"]; msg != "" {
			fmt.Fprintf(&b, ": %s", msg)
		}
	}
	return b.String()
}

// pickText prints a pick as --pick takes it.
func pickText(p *configuratorv1.Pick) string { return convert.PickText(p) }
