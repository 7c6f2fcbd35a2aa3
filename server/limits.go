package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ctoplan/ctoplan/bom"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/internal/csvtext"
	"github.com/ctoplan/ctoplan/internal/wirecodec"
	"github.com/ctoplan/ctoplan/mrp"
)

// Limits on the strings of a request, checked at the edge in one place
// (this file) before any handler runs: every string field of every request
// message. The ids in CSV texts are checked by the CSV readers of bom and
// mrp, by the same rule (internal/csvtext), offline as here.
//
//	ids and names  item, demand, receipt, order, variant, model, work
//	               center ids, characteristic names and values, dates,
//	               kinds: at most MaxNameBytes bytes, no control characters
//	               (newline, tab, NUL, DEL, ...)
//	file names     filename, CSV file name: at most MaxFileNameBytes bytes,
//	               no control characters
//	texts          model sources, CSV texts, conditions, quantity
//	               expressions, descriptions: only the request size
//	               (Options.MaxRequestBytes)
//
// Every string must be UTF-8 (protobuf requires it; a binary request that
// is not says which field).
const (
	MaxNameBytes     = csvtext.MaxNameBytes
	MaxFileNameBytes = 1024
)

// textFields are the free-text string fields (by proto field name).
var textFields = map[protoreflect.Name]bool{
	"source": true, "text": true, "condition": true, "qty_expr": true,
	"description": true, "description_zh": true,
}

// fileFields are the file-name string fields (by message and field name).
var fileFields = map[protoreflect.FullName]bool{
	"ctoplan.configurator.v1.PutModelRequest.filename": true,
	"ctoplan.bom.v1.ModelSource.filename":              true,
	"ctoplan.bom.v1.CSVFile.name":                      true,
	"ctoplan.mrp.v1.CSVFile.name":                      true,
}

// nameProblem says what is wrong with an id or name of at most max bytes
// ("" when nothing is): the rule of the CSV readers, which check the ids
// in CSV texts with it.
func nameProblem(s string, max int) string { return csvtext.NameProblem(s, max) }

// checkRequest checks every string field of a request message. A field's
// path ("demands[3].id") is only built for the field at fault: a good
// request costs no allocation per field.
func checkRequest(m proto.Message) error {
	if r, ok := m.(*configuratorv1.PropagateRequest); ok && propagateOK(r) {
		return nil // the call behind every click: no reflection when good
	}
	if e := checkMessage(m.ProtoReflect()); e != nil {
		slices.Reverse(e.path)
		return badField(strings.TrimPrefix(strings.Join(e.path, ""), "."), "%s", e.problem)
	}
	return nil
}

// propagateOK reports whether every string of a Propagate request is a good
// name; when not, the reflective walk finds and names the field.
func propagateOK(r *configuratorv1.PropagateRequest) bool {
	if nameProblem(r.GetModel(), MaxNameBytes) != "" {
		return false
	}
	for _, p := range r.GetPicks() {
		if nameProblem(p.GetChar(), MaxNameBytes) != "" || nameProblem(p.GetValue(), MaxNameBytes) != "" {
			return false
		}
	}
	return true
}

// limitError is a bad field; path holds its segments innermost first.
type limitError struct {
	path    []string
	problem string
}

func (e *limitError) at(segment string) *limitError {
	e.path = append(e.path, segment)
	return e
}

func checkMessage(m protoreflect.Message) *limitError {
	fs := m.Descriptor().Fields()
	for i := range fs.Len() {
		fd := fs.Get(i)
		if fd.IsMap() || !m.Has(fd) {
			continue // no request has a map
		}
		var bad *limitError
		if fd.IsList() {
			l := m.Get(fd).List()
			for k := range l.Len() {
				if bad = checkValue(fd, l.Get(k)); bad != nil {
					bad.at("[" + strconv.Itoa(k) + "]")
					break
				}
			}
		} else {
			bad = checkValue(fd, m.Get(fd))
		}
		if bad != nil {
			return bad.at(string(fd.Name())).at(".")
		}
	}
	return nil
}

func checkValue(fd protoreflect.FieldDescriptor, v protoreflect.Value) *limitError {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return checkMessage(v.Message())
	case protoreflect.StringKind:
		s := v.String()
		max := MaxNameBytes
		switch {
		case textFields[fd.Name()]:
			if !utf8.ValidString(s) {
				return &limitError{problem: "not UTF-8"}
			}
			return nil
		case fileFields[fd.FullName()]:
			max = MaxFileNameBytes
		}
		if p := nameProblem(s, max); p != "" {
			return &limitError{problem: p}
		}
	}
	return nil
}

// limitsInterceptor runs checkRequest on every request message: a bad
// field is InvalidArgument with a BadRequest detail naming it.
type limitsInterceptor struct{ s *Server }

func (l limitsInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if m, ok := req.Any().(proto.Message); ok {
			if err := checkRequest(m); err != nil {
				return nil, l.s.toConnect(err)
			}
		}
		return next(ctx, req)
	}
}

func (l limitsInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (l limitsInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		return next(ctx, checkedConn{conn, l.s})
	}
}

// checkedConn checks the messages a streaming handler receives.
type checkedConn struct {
	connect.StreamingHandlerConn
	s *Server
}

func (c checkedConn) Receive(m any) error {
	if err := c.StreamingHandlerConn.Receive(m); err != nil {
		return err
	}
	if pm, ok := m.(proto.Message); ok {
		if err := checkRequest(pm); err != nil {
			return c.s.toConnect(err)
		}
	}
	return nil
}

// checkPlant checks plant data read from CSV texts, each error at its file,
// row and column: that receipts and stock are for standard items (a
// configurable item is planned through its variants) and that capacity
// exceptions name work centers of the master data. The readers checked the
// ids (csvtext.NameProblem) and quantities (at most mrp.MaxQty).
func (s *Server) checkPlant(pl *mrp.Plant) error {
	var errs []error
	// standard checks a stock item (k < 0) or the k-th receipt
	standard := func(k int, id, item, what string) {
		it, err := s.bom.Item(item)
		if err != nil || it.Model == "" {
			return
		}
		file, row := pl.Rows.Stock(id)
		if k >= 0 {
			file, row = pl.Rows.Receipt(k, id)
		}
		errs = append(errs, &mrp.CSVError{Pos: bom.Pos{File: file, Line: row}, Column: "item",
			Err: fmt.Errorf("%w: %s is configurable (model %s): %s is for a standard item", mrp.ErrInvalid, item, it.Model, what)})
	}
	for k, x := range pl.Receipts {
		standard(k, x.ID, x.Item, "a receipt")
	}
	for _, item := range slices.Sorted(maps.Keys(pl.Stock)) {
		standard(-1, item, item, "stock")
	}
	if len(pl.CapacityExceptions) > 0 {
		known := map[string]bool{}
		for _, w := range s.bom.WorkCenters() {
			known[w.ID] = true
		}
		for k, x := range pl.CapacityExceptions {
			if !known[x.WorkCenter] {
				// rows in file order, after the header
				errs = append(errs, &mrp.CSVError{Pos: bom.Pos{File: mrp.CapacityExceptionsFile, Line: k + 2}, Column: "work_center",
					Err: fmt.Errorf("%w: %s (%s) is not a work center of the master data (import it with workcenters.csv first)", mrp.ErrInvalid, x.WorkCenter, x.Date.Format("2006-01-02"))})
			}
		}
	}
	return errors.Join(errs...)
}

// standardItem checks that a receipt's or stock's item exists and is not
// configurable.
func (s *Server) standardItem(field, item, what string) error {
	it, err := s.bom.Item(item)
	if err != nil {
		return err
	}
	if it.Model != "" {
		return badField(field, "%s is configurable (model %s): %s is for a standard item", item, it.Model, what)
	}
	return nil
}

// protoCodec is Connect's binary protobuf codec, except that a message
// that is not UTF-8 where protobuf requires it (string fields) is refused
// with the path of the field ("demands[0].id: not UTF-8") instead of
// protobuf's "string field contains invalid UTF-8". Requests are decoded
// by protobuf-go, which checks that; answers are encoded by
// [wirecodec.Proto], whose strings came in through such checks.
type protoCodec struct{}

func (protoCodec) Name() string { return "proto" }

func (protoCodec) IsBinary() bool { return true }

func (c protoCodec) Marshal(v any) ([]byte, error) { return c.MarshalAppend(nil, v) }

// MarshalAppend encodes answers by the messages' generated code
// (wirecodec): a whole plan's listing is millions of messages.
func (protoCodec) MarshalAppend(dst []byte, v any) ([]byte, error) {
	return wirecodec.Proto{}.MarshalAppend(dst, v)
}

func (protoCodec) Unmarshal(data []byte, v any) error {
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("%T is not a proto.Message", v)
	}
	err := proto.Unmarshal(data, m)
	if err != nil {
		if p := invalidUTF8Path(m.ProtoReflect().Descriptor(), data, ""); p != "" {
			return badField(p, "not UTF-8 (%s)", utf8Hint)
		}
		return fmt.Errorf("request protobuf: %s", jsonProblem(err))
	}
	return nil
}

// invalidUTF8Path returns the path of the first string field of the wire
// message b (of type md) that is not UTF-8, or "".
func invalidUTF8Path(md protoreflect.MessageDescriptor, b []byte, path string) string {
	count := map[protowire.Number]int{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return ""
		}
		b = b[n:]
		fd := md.Fields().ByNumber(num)
		if fd == nil || typ != protowire.BytesType {
			if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
				return ""
			}
			b = b[n:]
			continue
		}
		v, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return ""
		}
		b = b[n:]
		name := string(fd.Name())
		if path != "" {
			name = path + "." + name
		}
		if fd.IsList() {
			name += "[" + strconv.Itoa(count[num]) + "]"
			count[num]++
		}
		switch fd.Kind() {
		case protoreflect.StringKind:
			if !utf8.Valid(v) {
				return name
			}
		case protoreflect.MessageKind:
			if fd.IsMap() {
				continue
			}
			if p := invalidUTF8Path(fd.Message(), v, name); p != "" {
				return p
			}
		}
	}
	return ""
}

// jsonInvalidUTF8Path returns the path ("demands[0].item", keys as sent) of
// the first string of the JSON text data that is not UTF-8, or "".
func jsonInvalidUTF8Path(data []byte) string {
	type frame struct {
		array   bool
		index   int
		key     string
		wantKey bool
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.array {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			} else {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			}
		}
		return b.String()
	}
	advance := func() { // a value of the innermost container ended
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].wantKey = true
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		raw := data[start:dec.InputOffset()]
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{wantKey: true})
			case '[':
				stack = append(stack, frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				advance()
			}
		case string:
			if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].wantKey {
				stack[n-1].key, stack[n-1].wantKey = t, false
				if !utf8.Valid(raw) {
					return path() + " (a key)"
				}
				continue
			}
			if !utf8.Valid(raw) {
				return path()
			}
			advance()
		default:
			advance()
		}
	}
}
