// Package wirecodec is the binary protobuf codec of ctoplan's RPC server
// and client: Connect's "proto" codec, with the messages' generated
// marshalling and unmarshalling code (protoc-gen-go-vtproto, in gen/)
// instead of protobuf-go's reflection-driven tables.
//
// A whole listing of a 50,000-item plant's plan is 6.4 M planned orders;
// through protobuf-go the server spent ~9 CPU-s marshalling them and the
// client ~9 CPU-s unmarshalling (docs/benchmarks.md, "The listing through
// the server"). The bytes are the same: both encode fields in field-number
// order (maps aside, which neither orders), so a peer using any other
// protobuf library reads them alike.
//
// One difference: the generated unmarshalling does not check that string
// fields are UTF-8, as protobuf-go does. The server therefore decodes
// requests with protobuf-go (see server's protoCodec), and this codec's
// Unmarshal is for a client reading its server's answers, whose strings the
// server has validated when they came in.
package wirecodec

import (
	"bytes"
	"fmt"
	"slices"

	"connectrpc.com/connect"
	"github.com/klauspost/compress/gzip"
	"google.golang.org/protobuf/proto"
)

// vtMessage is a message with generated marshalling code.
type vtMessage interface {
	SizeVT() int
	MarshalToSizedBufferVT([]byte) (int, error)
	UnmarshalVTUnsafe([]byte) error
}

// Proto is the codec: use it as connect.WithCodec(wirecodec.Proto{}).
// Messages without generated code (none of ctoplan's, but a caller's
// may be) go through protobuf-go.
type Proto struct{}

// Name is Connect's name of the binary protobuf codec.
func (Proto) Name() string { return "proto" }

// IsBinary reports that the encoding is not text (Connect GET requests
// carry it base64-encoded).
func (Proto) IsBinary() bool { return true }

// Marshal encodes v.
func (c Proto) Marshal(v any) ([]byte, error) { return c.MarshalAppend(nil, v) }

// MarshalAppend appends v's encoding to dst (Connect reuses its buffers
// through it).
func (Proto) MarshalAppend(dst []byte, v any) ([]byte, error) {
	if m, ok := v.(vtMessage); ok {
		n := m.SizeVT()
		at := len(dst)
		dst = slices.Grow(dst, n)[:at+n]
		if _, err := m.MarshalToSizedBufferVT(dst[at:]); err != nil {
			return nil, err
		}
		return dst, nil
	}
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("%T is not a proto.Message", v)
	}
	return proto.MarshalOptions{}.MarshalAppend(dst, m)
}

// MarshalStable encodes v deterministically (maps by key), as Connect
// needs for a GET request's URL (so that a cache sees one key): by
// protobuf-go, since the generated code does not order maps. Requests are
// small.
func (Proto) MarshalStable(v any) ([]byte, error) {
	m, ok := v.(proto.Message)
	if !ok {
		return nil, fmt.Errorf("%T is not a proto.Message", v)
	}
	return proto.MarshalOptions{Deterministic: true}.Marshal(m)
}

// Unmarshal decodes data into v, which it resets first.
//
// The message's strings and bytes share one copy of data, made here
// (Connect reuses data's buffer once this returns) and never written
// again: one allocation for a message instead of one for each string (a
// listing's answer of 500 orders holds ~5,000). A string kept from the
// message keeps that copy in memory.
func (Proto) Unmarshal(data []byte, v any) error {
	if m, ok := v.(vtMessage); ok {
		if r, ok := v.(interface{ Reset() }); ok {
			r.Reset()
		}
		return m.UnmarshalVTUnsafe(bytes.Clone(data))
	}
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("%T is not a proto.Message", v)
	}
	return proto.Unmarshal(data, m)
}

// Gzip is the "gzip" compression of the server's answers and of what the
// CLI accepts from a server on another machine: klauspost/compress's
// gzip, at its fastest level for writing. On a whole listing of a default
// 2,000-item plant the standard library's flate took ~60% of both sides'
// CPU time (BenchmarkListPlannedOrdersPlant in package server); this one
// reads and writes the same format in a fraction of that. Register it
// with connect.WithCompression (handlers) or connect.WithAcceptCompression
// (clients): Gzip.Name, Gzip.Decompressor, Gzip.Compressor.
var Gzip = struct {
	Name         string
	Decompressor func() connect.Decompressor
	Compressor   func() connect.Compressor
}{
	Name:         "gzip",
	Decompressor: func() connect.Decompressor { return &gzip.Reader{} },
	Compressor: func() connect.Compressor {
		w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed) // a valid level: no error
		return w
	},
}
