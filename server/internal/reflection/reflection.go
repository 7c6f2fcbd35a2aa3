// Package reflection serves gRPC server reflection (v1, and v1alpha on
// the same messages) for the server's Connect mux, from the protobuf
// global registry: what `grpcurl` and `buf curl` use to list and describe
// the services.
//
// It does what connectrpc.com/grpcreflect's static reflector did here
// (its logic is adapted from that package, Apache License 2.0) without
// that package's cost at initialisation: grpcreflect parses its embedded
// descriptor set of the health and reflection services when the program
// starts (about 0.4 MB and 3,500 allocations), which every ctoplan
// command paid, served or not. Here those two services' descriptors come
// from grpc-go's generated packages, whose registration is lazy, and
// the rest of the work happens per request.
package reflection

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"connectrpc.com/connect"
	_ "google.golang.org/grpc/health/grpc_health_v1" // grpc.health.v1 in the global registry, for describing the health service
	rpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// The mux paths of the reflection service, v1 and v1alpha (binary
// compatible: the same messages serve both).
const (
	PathV1      = "/grpc.reflection.v1.ServerReflection/"
	PathV1Alpha = "/grpc.reflection.v1alpha.ServerReflection/"
	method      = "ServerReflectionInfo"
)

// Handlers returns the v1 and v1alpha reflection handlers for services
// (fully qualified names), to mount at [PathV1] and [PathV1Alpha]. Like
// the gRPC reflection service they need HTTP/2 (a bidirectional stream).
func Handlers(services ...string) (v1, v1alpha http.Handler) {
	r := &reflector{services: slices.Clone(services), files: protoregistry.GlobalFiles, types: protoregistry.GlobalTypes}
	return connect.NewBidiStreamHandler(PathV1+method, r.serve), connect.NewBidiStreamHandler(PathV1Alpha+method, r.serve)
}

type reflector struct {
	services []string
	files    *protoregistry.Files
	types    *protoregistry.Types
}

// serve answers the requests of one stream.
func (r *reflector) serve(_ context.Context, stream *connect.BidiStream[rpb.ServerReflectionRequest, rpb.ServerReflectionResponse]) error {
	sent := map[string]bool{} // files already sent on this stream, by path
	for {
		req, err := stream.Receive()
		if errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		res := &rpb.ServerReflectionResponse{ValidHost: req.Host, OriginalRequest: req}
		files := func(data [][]byte, err error) {
			if err != nil {
				res.MessageResponse = notFound(err)
				return
			}
			res.MessageResponse = &rpb.ServerReflectionResponse_FileDescriptorResponse{
				FileDescriptorResponse: &rpb.FileDescriptorResponse{FileDescriptorProto: data},
			}
		}
		switch m := req.MessageRequest.(type) {
		case *rpb.ServerReflectionRequest_FileByFilename:
			files(r.fileByPath(m.FileByFilename, sent))
		case *rpb.ServerReflectionRequest_FileContainingSymbol:
			files(r.fileContainingSymbol(m.FileContainingSymbol, sent))
		case *rpb.ServerReflectionRequest_FileContainingExtension:
			files(r.fileContainingExtension(m.FileContainingExtension.ContainingType, m.FileContainingExtension.ExtensionNumber, sent))
		case *rpb.ServerReflectionRequest_AllExtensionNumbersOfType:
			nums, err := r.extensionNumbers(m.AllExtensionNumbersOfType)
			if err != nil {
				res.MessageResponse = notFound(err)
			} else {
				res.MessageResponse = &rpb.ServerReflectionResponse_AllExtensionNumbersResponse{
					AllExtensionNumbersResponse: &rpb.ExtensionNumberResponse{BaseTypeName: m.AllExtensionNumbersOfType, ExtensionNumber: nums},
				}
			}
		case *rpb.ServerReflectionRequest_ListServices:
			list := &rpb.ListServiceResponse{}
			for _, name := range r.services {
				list.Service = append(list.Service, &rpb.ServiceResponse{Name: name})
			}
			res.MessageResponse = &rpb.ServerReflectionResponse_ListServicesResponse{ListServicesResponse: list}
		default:
			return connect.NewError(connect.CodeInvalidArgument, fmt.Errorf("invalid MessageRequest: %v", req.MessageRequest))
		}
		if err := stream.Send(res); err != nil {
			return err
		}
	}
}

func (r *reflector) fileByPath(path string, sent map[string]bool) ([][]byte, error) {
	fd, err := r.files.FindFileByPath(path)
	if err != nil {
		return nil, err
	}
	return withDependencies(fd, sent)
}

func (r *reflector) fileContainingSymbol(name string, sent map[string]bool) ([][]byte, error) {
	d, err := r.files.FindDescriptorByName(protoreflect.FullName(name))
	if err != nil {
		return nil, err
	}
	fd := d.ParentFile()
	if fd == nil {
		return nil, fmt.Errorf("no file for symbol %s", name)
	}
	return withDependencies(fd, sent)
}

func (r *reflector) fileContainingExtension(message string, number int32, sent map[string]bool) ([][]byte, error) {
	x, err := r.types.FindExtensionByNumber(protoreflect.FullName(message), protoreflect.FieldNumber(number))
	if err != nil {
		return nil, err
	}
	fd := x.TypeDescriptor().ParentFile()
	if fd == nil {
		return nil, fmt.Errorf("no file for extension %d of message %s", number, message)
	}
	return withDependencies(fd, sent)
}

func (r *reflector) extensionNumbers(message string) ([]int32, error) {
	nums := []int32{}
	name := protoreflect.FullName(message)
	r.types.RangeExtensionsByMessage(name, func(x protoreflect.ExtensionType) bool {
		nums = append(nums, int32(x.TypeDescriptor().Number()))
		return true
	})
	if len(nums) == 0 {
		if _, err := r.files.FindDescriptorByName(name); err != nil {
			return nil, err
		}
	}
	slices.Sort(nums)
	return nums, nil
}

// withDependencies serializes root and, breadth first, each file it
// imports that was not sent on the stream yet (root always: the client
// asked for it). Placeholders (missing dependencies) are left out; a
// placeholder root is not found.
func withDependencies(root protoreflect.FileDescriptor, sent map[string]bool) ([][]byte, error) {
	if root.IsPlaceholder() {
		return nil, protoregistry.NotFound
	}
	var out [][]byte
	visited := map[string]bool{}
	queue := []protoreflect.FileDescriptor{root}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		if f.IsPlaceholder() || visited[f.Path()] {
			continue
		}
		visited[f.Path()] = true
		if len(out) == 0 || !sent[f.Path()] {
			sent[f.Path()] = true
			b, err := proto.Marshal(protodesc.ToFileDescriptorProto(f))
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		}
		imports := f.Imports()
		for i := range imports.Len() {
			queue = append(queue, imports.Get(i).FileDescriptor)
		}
	}
	return out, nil
}

func notFound(err error) *rpb.ServerReflectionResponse_ErrorResponse {
	return &rpb.ServerReflectionResponse_ErrorResponse{
		ErrorResponse: &rpb.ErrorResponse{ErrorCode: int32(connect.CodeNotFound), ErrorMessage: err.Error()},
	}
}
