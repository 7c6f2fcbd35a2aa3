package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/ctoplan/ctoplan/configurator"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
)

const forkliftModel = "../testdata/forklift/forklift.ctm"

// pickSets returns n valid pick lists on the forklift model: k random picks
// taken one at a time from what propagation still allows.
func pickSets(b *testing.B, c configuratorv1connect.ConfiguratorServiceClient, n, k int) [][]*configuratorv1.Pick {
	rng := rand.New(rand.NewPCG(1, 2))
	var out [][]*configuratorv1.Pick
	for range n {
		var picks []*configuratorv1.Pick
		for range k {
			res, err := c.Propagate(context.Background(), connect.NewRequest(&configuratorv1.PropagateRequest{Model: "forklift", Picks: picks}))
			if err != nil {
				b.Fatal(err)
			}
			var open []*configuratorv1.Pick
			for _, cd := range res.Msg.GetChars() {
				for _, v := range cd.GetPossible() {
					open = append(open, pick(cd.GetChar(), v))
				}
			}
			if len(open) == 0 {
				break
			}
			picks = append(picks, open[rng.IntN(len(open))])
		}
		out = append(out, picks)
	}
	return out
}

// BenchmarkPropagateRPC measures the round trip of Propagate on the
// forklift model over loopback, each call with one of 66 prepared valid pick
// lists of 0-5 picks, and reports latency percentiles of single calls:
//
//   - inproc: the engine alone (configurator.Propagate), the floor;
//   - <codec>/1: one client calling serially (the RPC's own cost);
//   - <codec>/64: 64 concurrent clients in a closed loop. With no think
//     time, latency there is about 64 / throughput: it measures queueing on
//     the machine's cores as much as the service.
//   - <codec>/64x10Hz and <codec>/64x1Hz: 64 concurrent clients, each
//     calling ten times (a salesperson clicking very fast) or once a
//     second: 640 or 64 calls/s offered, the interactive load the service
//     is built for. (Their runs take b.N/640 and b.N/64 seconds.)
func BenchmarkPropagateRPC(b *testing.B) {
	src, err := os.ReadFile(forkliftModel)
	if err != nil {
		b.Skipf("forklift model: %v", err)
	}
	e := start(&testing.T{})
	defer e.stop()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	setup := configuratorv1connect.NewConfiguratorServiceClient(hc, e.url, connect.WithInterceptors(bearer(e.token)))
	if _, err := setup.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "forklift.ctm", Source: string(src)})); err != nil {
		b.Fatal(err)
	}
	var sets [][]*configuratorv1.Pick
	for k := range 6 {
		sets = append(sets, pickSets(b, setup, 11, k)...)
	}

	b.Run("inproc", func(b *testing.B) {
		m, err := configurator.Parse("forklift.ctm", src)
		if err != nil {
			b.Fatal(err)
		}
		cm, err := configurator.Compile(m)
		if err != nil {
			b.Fatal(err)
		}
		dsets := make([][]configurator.Pick, len(sets))
		for i, s := range sets {
			for _, p := range s {
				dsets[i] = append(dsets[i], configurator.Pick{Char: p.GetChar(), Value: p.GetValue()})
			}
		}
		measure(b, 1, 0, func(rng *rand.Rand) error {
			_, err := cm.Propagate(context.Background(), dsets[rng.IntN(len(dsets))])
			return err
		})
	})
	for _, p := range []protocol{
		{name: "connect-json", opts: []connect.ClientOption{connect.WithProtoJSON()}},
		{name: "connect-proto"},
	} {
		c := configuratorv1connect.NewConfiguratorServiceClient(hc, e.url, p.opts...)
		call := func(rng *rand.Rand) error {
			req := connect.NewRequest(&configuratorv1.PropagateRequest{Model: "forklift", Picks: sets[rng.IntN(len(sets))]})
			_, err := c.Propagate(context.Background(), req)
			return err
		}
		for _, clients := range []int{1, 64} {
			b.Run(fmt.Sprintf("%s/%d", p.name, clients), func(b *testing.B) { measure(b, clients, 0, call) })
		}
		b.Run(p.name+"/64x10Hz", func(b *testing.B) { measure(b, 64, 100*time.Millisecond, call) })
		b.Run(p.name+"/64x1Hz", func(b *testing.B) { measure(b, 64, time.Second, call) })
	}
}

// measure runs call from the given number of goroutines, each starting a
// call every period (back to back when 0, or when a call takes longer), and
// reports the p50 and p99 latency of single calls and the throughput.
func measure(b *testing.B, clients int, period time.Duration, call func(*rand.Rand) error) {
	var (
		mu  sync.Mutex
		lat []time.Duration
	)
	b.ReportAllocs()
	cpu0 := cpuTime()
	run := func(pb interface{ Next() bool }, seed uint64) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var mine []time.Duration
		if period > 0 {
			// Spread the clients' phases over the period.
			time.Sleep(time.Duration(rng.Int64N(int64(period))))
		}
		next := time.Now()
		for pb.Next() {
			if period > 0 {
				time.Sleep(time.Until(next))
				next = next.Add(period)
			}
			t0 := time.Now()
			if err := call(rng); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	}
	if clients == 1 {
		run(loop{b}, 1)
	} else {
		b.SetParallelism((clients + testingProcs() - 1) / testingProcs())
		var seed atomic.Uint64
		b.RunParallel(func(pb *testing.PB) { run(pb, seed.Add(1)) })
	}
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		q := func(f float64) float64 { return float64(lat[int(f*float64(len(lat)-1))]) / 1e6 }
		b.ReportMetric(q(0.50), "p50-ms")
		b.ReportMetric(q(0.99), "p99-ms")
		b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "calls/s")
		// CPU time of the whole process (server and client) per call: what
		// a call costs, apart from waiting for a core on a busy machine.
		b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(len(lat)), "cpu-ms/call")
	}
}

// loop adapts b.Loop to the Next method RunParallel's PB has.
type loop struct{ b *testing.B }

func (l loop) Next() bool { return l.b.Loop() }

func testingProcs() int { return runtime.GOMAXPROCS(0) }
