package reflection_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
	"github.com/ctoplan/ctoplan/server/internal/reflection"
)

var services = []string{grpchealth.HealthV1ServiceName, configuratorv1connect.ConfiguratorServiceName, bomv1connect.BOMServiceName, mrpv1connect.MRPServiceName}

// serve starts an HTTP/2 (TLS) server with the handlers and returns a
// reflection client stream to it.
func serve(t *testing.T, mount func(*http.ServeMux)) *grpcreflect.ClientStream {
	t.Helper()
	mux := http.NewServeMux()
	mount(mux)
	srv := httptest.NewUnstartedServer(mux)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	s := grpcreflect.NewClient(srv.Client(), srv.URL, connect.WithGRPC()).NewStream(context.Background())
	t.Cleanup(func() { _, _ = s.Close() })
	return s
}

func names(fs []*descriptorpb.FileDescriptorProto) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.GetName())
	}
	return out
}

// TestAgainstGrpcreflect asks ours and connectrpc.com/grpcreflect's static
// reflector (what the server used before) the same questions on one
// stream each, in the same order: every symbol of the ctoplan services'
// files, the health and reflection services, files by name, extension
// numbers, and names that do not exist. The answers must be the same
// files (for the health and reflection services, which grpcreflect takes
// from its own embedded copies, the same file names), and the same
// errors.
func TestAgainstGrpcreflect(t *testing.T) {
	ours := serve(t, func(m *http.ServeMux) {
		v1, v1alpha := reflection.Handlers(services...)
		m.Handle(reflection.PathV1, v1)
		m.Handle(reflection.PathV1Alpha, v1alpha)
	})
	r := grpcreflect.NewStaticReflector(services...)
	oracle := serve(t, func(m *http.ServeMux) { m.Handle(grpcreflect.NewHandlerV1(r)) })

	gotS, err := ours.ListServices()
	if err != nil {
		t.Fatal(err)
	}
	wantS, err := oracle.ListServices()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(gotS, wantS) || len(gotS) != len(services) {
		t.Fatalf("services %v, grpcreflect %v", gotS, wantS)
	}

	// every symbol declared in the ctoplan files
	var symbols []protoreflect.FullName
	protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if !strings.HasPrefix(fd.Path(), "ctoplan/") {
			return true
		}
		for i := range fd.Services().Len() {
			sd := fd.Services().Get(i)
			symbols = append(symbols, sd.FullName())
			for j := range sd.Methods().Len() {
				symbols = append(symbols, sd.Methods().Get(j).FullName())
			}
		}
		for i := range fd.Messages().Len() {
			symbols = append(symbols, fd.Messages().Get(i).FullName())
		}
		for i := range fd.Enums().Len() {
			symbols = append(symbols, fd.Enums().Get(i).FullName())
		}
		return true
	})
	if len(symbols) < 50 {
		t.Fatalf("only %d symbols in the ctoplan files", len(symbols))
	}
	same := func(what string, got, want []*descriptorpb.FileDescriptorProto, gotErr, wantErr error, exact bool) {
		t.Helper()
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%s: error %v, grpcreflect %v", what, gotErr, wantErr)
		}
		if gotErr != nil {
			if connect.CodeOf(gotErr) != connect.CodeOf(wantErr) || connect.CodeOf(gotErr) != connect.CodeNotFound {
				t.Errorf("%s: code %v, grpcreflect %v, want not_found", what, connect.CodeOf(gotErr), connect.CodeOf(wantErr))
			}
			return
		}
		if len(got) == 0 || !slices.Equal(names(got), names(want)) {
			t.Fatalf("%s: files %v, grpcreflect %v", what, names(got), names(want))
		}
		if exact {
			for i := range got {
				if !proto.Equal(got[i], want[i]) {
					t.Errorf("%s: file %s differs from grpcreflect's", what, got[i].GetName())
				}
			}
		}
	}
	for _, s := range symbols {
		got, gotErr := ours.FileContainingSymbol(s)
		want, wantErr := oracle.FileContainingSymbol(s)
		same(string(s), got, want, gotErr, wantErr, true)
	}
	for _, s := range []protoreflect.FullName{"grpc.health.v1.Health", "grpc.health.v1.HealthCheckRequest", "grpc.reflection.v1.ServerReflection"} {
		got, gotErr := ours.FileContainingSymbol(s)
		want, wantErr := oracle.FileContainingSymbol(s)
		same(string(s), got, want, gotErr, wantErr, false)
	}
	for _, s := range []protoreflect.FullName{"no.such.Service", "ctoplan.configurator.v1.NoSuchMessage", ""} {
		got, gotErr := ours.FileContainingSymbol(s)
		want, wantErr := oracle.FileContainingSymbol(s)
		same(string(s), got, want, gotErr, wantErr, true)
		if gotErr == nil {
			t.Errorf("%q found", s)
		}
	}
	for _, f := range []string{"ctoplan/mrp/v1/mrp.proto", "google/protobuf/descriptor.proto", "google/protobuf/timestamp.proto", "nope.proto"} {
		got, gotErr := ours.FileByFilename(f)
		want, wantErr := oracle.FileByFilename(f)
		same(f, got, want, gotErr, wantErr, true)
	}
	for _, m := range []protoreflect.FullName{"google.protobuf.FieldOptions", "ctoplan.configurator.v1.Pick", "no.such.Message"} {
		got, gotErr := ours.AllExtensionNumbers(m)
		want, wantErr := oracle.AllExtensionNumbers(m)
		if (gotErr == nil) != (wantErr == nil) || !slices.Equal(got, want) {
			t.Errorf("extensions of %s: %v %v, grpcreflect %v %v", m, got, gotErr, want, wantErr)
		}
	}
}

// TestV1Alpha: a client that finds no v1 service falls back to v1alpha,
// which answers the same.
func TestV1Alpha(t *testing.T) {
	s := serve(t, func(m *http.ServeMux) {
		_, v1alpha := reflection.Handlers(services...)
		m.Handle(reflection.PathV1Alpha, v1alpha)
	})
	got, err := s.ListServices()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(services) || string(got[1]) != configuratorv1connect.ConfiguratorServiceName {
		t.Errorf("v1alpha lists %v", got)
	}
	fs, err := s.FileContainingSymbol(configuratorv1connect.ConfiguratorServiceName)
	if err != nil || len(fs) == 0 {
		t.Fatalf("v1alpha: %v, %v", names(fs), err)
	}
	_, err = s.FileContainingSymbol("no.such.Service")
	var ce *connect.Error
	if !errors.As(err, &ce) || ce.Code() != connect.CodeNotFound {
		t.Errorf("v1alpha, unknown symbol: %v", err)
	}
}
