package server_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/kv/etcd/etcdtest"
)

// BenchmarkReplicasPropagate is Propagate on the forklift model with 1, 2
// and 3 server replicas in this process, each on its own connection to a
// 3-member etcd cluster on loopback, 64 concurrent salespeople spread over
// the replicas round-robin, no memo (every call runs the engine). On one
// machine the replicas share its cores: calls/s stays flat and
// cpu-ms/call (whole process) stays flat if nothing serialises across
// replicas; on N machines throughput scales with N.
func BenchmarkReplicasPropagate(b *testing.B) {
	src, err := os.ReadFile(forkliftModel)
	if err != nil {
		b.Fatalf("forklift model (the demo data is part of the repository): %v", err)
	}
	c := etcdtest.Start(b, etcdtest.Options{})
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	var clients []configuratorv1connect.ConfiguratorServiceClient
	pool := newWalkers()
	for n := 1; n <= 3; n++ {
		e := startOn(&testing.T{}, openEtcd(b, c, "bench/"), true, withMemo(0))
		defer e.stop()
		cl := configuratorv1connect.NewConfiguratorServiceClient(hc, e.url, connect.WithInterceptors(bearer(e.token)))
		if n == 1 {
			if _, err := cl.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "forklift.ctm", Source: string(src)})); err != nil {
				b.Fatal(err)
			}
		}
		// the new replica serves the model (loaded at start or followed)
		deadline := time.Now().Add(20 * time.Second)
		for {
			_, err := cl.Propagate(context.Background(), connect.NewRequest(&configuratorv1.PropagateRequest{Model: "forklift"}))
			if err == nil {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("replica %d does not serve the model: %v", n, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		clients = append(clients, cl)
		var next atomic.Uint64
		call := func(w *walker) error {
			cl := clients[next.Add(1)%uint64(len(clients))]
			return w.step(func(picks []*configuratorv1.Pick) ([][2]string, error) {
				res, err := cl.Propagate(context.Background(), connect.NewRequest(&configuratorv1.PropagateRequest{Model: "forklift", Picks: picks}))
				if err != nil {
					return nil, err
				}
				return possibleOf(res.Msg), nil
			})
		}
		b.Run(fmt.Sprintf("replicas=%d/64", n), func(b *testing.B) { measure(b, 64, 0, pool, call) })
	}
}
