package wirecodec

import (
	"bytes"
	stdgzip "compress/gzip"
	"fmt"
	"io"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

func orders() *mrpv1.ListPlannedOrdersResponse {
	return &mrpv1.ListPlannedOrdersResponse{PlanRevision: 7, NextPageToken: "tok", Orders: []*mrpv1.PlannedOrder{
		{Id: "FRAME#2026-01-07", Item: "FRAME", Kind: mrpv1.OrderKind_ORDER_KIND_PRODUCTION, Qty: 12.5,
			ReleaseDate: "2026-01-05", DueDate: "2026-01-07", PastDue: true, PeggedRest: 3,
			PeggedTo:   []*mrpv1.DemandShare{{Demand: "SO-1", Qty: 4}, {Demand: "SO-2/ä", Qty: 5.5}},
			Operations: []*mrpv1.ScheduledOperation{{Seq: 10, WorkCenter: "WELD", Hours: 2.25, Start: "2026-01-05T08:00:00Z", End: "2026-01-05T10:15:00Z"}}},
		{Id: "NUT#2026-01-02.2", Item: "NUT", Kind: mrpv1.OrderKind_ORDER_KIND_PURCHASE, Qty: 1e9, Firm: true},
		{},
	}}
}

// The codec's bytes are protobuf-go's (fields in number order, no maps
// here), and they decode to the message again, by either library.
func TestProtoSameBytes(t *testing.T) {
	for _, m := range []proto.Message{orders(), &mrpv1.PlannedOrder{}, &mrpv1.DemandShare{Demand: "x"}} {
		want, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Proto{}.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%T: codec %x, protobuf-go %x", m, got, want)
		}
		back := m.ProtoReflect().New().Interface()
		if err := (Proto{}).Unmarshal(got, back); err != nil {
			t.Fatal(err)
		}
		if !proto.Equal(back, m) {
			t.Fatalf("%T: decoded %v, want %v", m, back, m)
		}
	}
}

// MarshalAppend appends after what dst holds.
func TestProtoMarshalAppend(t *testing.T) {
	m := orders()
	want, _ := proto.Marshal(m)
	dst := []byte("head")
	got, err := Proto{}.MarshalAppend(dst, m)
	if err != nil {
		t.Fatal(err)
	}
	if string(got[:4]) != "head" || !bytes.Equal(got[4:], want) {
		t.Fatalf("appended %x", got)
	}
}

// A message with a map (its entries in any order) decodes to what was
// encoded; MarshalStable's bytes do not depend on the map's order.
func TestProtoMaps(t *testing.T) {
	m := &configuratorv1.ModelInfo{Name: "m", Labels: map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}}
	b, err := Proto{}.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back configuratorv1.ModelInfo
	if err := (Proto{}).Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(&back, m) {
		t.Fatalf("decoded %v, want %v", &back, m)
	}
	first, _ := Proto{}.MarshalStable(m)
	for range 20 {
		again, err := Proto{}.MarshalStable(m)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, first) {
			t.Fatal("MarshalStable: bytes differ between calls")
		}
	}
}

// Unmarshal replaces what the message held, as proto.Unmarshal does (the
// generated code alone would merge into it).
func TestProtoUnmarshalResets(t *testing.T) {
	b, _ := proto.Marshal(&mrpv1.PlannedOrder{Id: "B", PeggedTo: []*mrpv1.DemandShare{{Demand: "SO-9"}}})
	m := &mrpv1.PlannedOrder{Id: "A", Qty: 3, PeggedTo: []*mrpv1.DemandShare{{Demand: "SO-1"}}}
	if err := (Proto{}).Unmarshal(b, m); err != nil {
		t.Fatal(err)
	}
	if m.Id != "B" || m.Qty != 0 || len(m.PeggedTo) != 1 || m.PeggedTo[0].Demand != "SO-9" {
		t.Fatalf("decoded into a used message: %v", m)
	}
}

// Messages without generated code go through protobuf-go; bad input and
// values that are no messages are errors, not panics.
func TestProtoFallbackAndErrors(t *testing.T) {
	s, _ := structpb.NewStruct(map[string]any{"k": "v"})
	b, err := Proto{}.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back structpb.Struct
	if err := (Proto{}).Unmarshal(b, &back); err != nil || !proto.Equal(&back, s) {
		t.Fatalf("struct: %v, %v", &back, err)
	}
	if _, err := (Proto{}).Marshal(42); err == nil {
		t.Error("Marshal(42): no error")
	}
	if err := (Proto{}).Unmarshal(nil, "x"); err == nil {
		t.Error(`Unmarshal into "x": no error`)
	}
	if err := (Proto{}).Unmarshal([]byte{0x0a, 0x05, 'a'}, &mrpv1.PlannedOrder{}); err == nil {
		t.Error("truncated field: no error")
	}
}

// batch is a ListPlannedOrders answer as the server sends a whole plan's
// listing: 500 orders, each pegged to up to 10 sales-order lines.
func batch() *mrpv1.ListPlannedOrdersResponse {
	out := &mrpv1.ListPlannedOrdersResponse{PlanRevision: 3}
	for k := range 500 {
		o := &mrpv1.PlannedOrder{Id: "P0012345#2026-03-17", Item: "P0012345", Kind: mrpv1.OrderKind_ORDER_KIND_PURCHASE,
			Qty: float64(10 + k), ReleaseDate: "2026-03-10", DueDate: "2026-03-17"}
		for j := range k % 11 {
			o.PeggedTo = append(o.PeggedTo, &mrpv1.DemandShare{Demand: "SO0012345", Qty: float64(j + 1)})
		}
		out.Orders = append(out.Orders, o)
	}
	return out
}

// BenchmarkListingCodec encodes and decodes the answers of a listing, by
// this codec and by protobuf-go (Connect's own codec): ns/order.
func BenchmarkListingCodec(b *testing.B) {
	m := batch()
	n := float64(len(m.Orders))
	wire, _ := proto.Marshal(m)
	for _, c := range []struct {
		name      string
		marshal   func([]byte, proto.Message) ([]byte, error)
		unmarshal func([]byte, proto.Message) error
	}{
		{"codec=vtproto", func(dst []byte, m proto.Message) ([]byte, error) { return Proto{}.MarshalAppend(dst, m) },
			func(b []byte, m proto.Message) error { return Proto{}.Unmarshal(b, m) }},
		{"codec=protobuf-go", func(dst []byte, m proto.Message) ([]byte, error) { return proto.MarshalOptions{}.MarshalAppend(dst, m) },
			proto.Unmarshal},
	} {
		b.Run(c.name+"/op=marshal", func(b *testing.B) {
			var buf []byte
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if buf, err = c.marshal(buf[:0], m); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/order")
		})
		b.Run(c.name+"/op=unmarshal", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var out mrpv1.ListPlannedOrdersResponse
				if err := c.unmarshal(wire, &out); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/order")
		})
	}
}

// The decoded strings do not share the caller's buffer: Connect reuses it
// for the next message once Unmarshal returns.
func TestProtoUnmarshalOwnsStrings(t *testing.T) {
	want := orders()
	data, _ := proto.Marshal(want)
	var got mrpv1.ListPlannedOrdersResponse
	if err := (Proto{}).Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	for k := range data {
		data[k] = 'x'
	}
	if !proto.Equal(&got, want) {
		t.Fatalf("after the buffer was reused: %v, want %v", &got, want)
	}
}

// Gzip's output is gzip as the standard library reads it, and it reads
// the standard library's, its reader and writer reused through Reset as
// Connect's pools do.
func TestGzipInterop(t *testing.T) {
	var texts [][]byte
	for k := range 4 {
		var b bytes.Buffer
		for j := range 2000 * (k + 1) {
			fmt.Fprintf(&b, "P%07d#2026-01-%02d,%d;", j, j%28+1, j*k)
		}
		texts = append(texts, b.Bytes())
	}
	w := Gzip.Compressor()
	r := Gzip.Decompressor()
	for _, text := range texts {
		var z bytes.Buffer
		w.Reset(&z)
		if _, err := w.Write(text); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		std, err := stdgzip.NewReader(bytes.NewReader(z.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := io.ReadAll(std); err != nil || !bytes.Equal(got, text) {
			t.Fatalf("the standard library read %d bytes (%v) of %d", len(got), err, len(text))
		}
		var sz bytes.Buffer
		sw := stdgzip.NewWriter(&sz)
		sw.Write(text)
		sw.Close()
		if err := r.Reset(&sz); err != nil {
			t.Fatal(err)
		}
		if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, text) {
			t.Fatalf("read %d bytes (%v) of the standard library's %d", len(got), err, len(text))
		}
	}
	if err := r.Reset(bytes.NewReader([]byte("not gzip"))); err == nil {
		t.Error("not gzip: no error")
	}
}
