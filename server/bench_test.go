package server_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
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

// truckSeed numbers the trucks of a whole benchmark run: every walk starts
// from its own seed, so no two clients (and no two sub-benchmarks on the
// same server) repeat a walk; what they share is what salespeople share.
var truckSeed atomic.Uint64

// walker is one salesperson configuring trucks: start from nothing picked,
// propagate, pick a random value that is still possible, propagate again,
// until no value is possible any more (the truck is complete); then the
// next truck, from a new seed. A forklift truck takes about 45 calls.
type walker struct {
	rng   *rand.Rand
	picks []*configuratorv1.Pick
	seen  *keySet
	wit   *configurator.Witnesses // inproc-from: the previous call's
}

func newWalker(seen *keySet) *walker {
	return &walker{rng: rand.New(rand.NewPCG(truckSeed.Add(1), 11)), seen: seen}
}

// walkers are the salespeople of one server. A benchmark run takes as many
// as it has clients and gives them back, so the next run (or the b.N run
// after the first) carries on with their trucks: the calls measured are in
// the steady-state mix of a truck's early, expensive calls (few picks, much
// still open) and its later, cheaper ones, not only the first calls of 64
// fresh trucks.
type walkers struct {
	mu   sync.Mutex
	free []*walker
	seen *keySet
}

func newWalkers() *walkers { return &walkers{seen: newKeySet()} }

func (p *walkers) get() *walker {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		w := p.free[n-1]
		p.free = p.free[:n-1]
		return w
	}
	return newWalker(p.seen)
}

func (p *walkers) put(w *walker) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, w)
}

// step makes one call with the current picks and takes the next pick from
// the possible values it returns (char, value pairs).
func (w *walker) step(propagate func([]*configuratorv1.Pick) ([][2]string, error)) error {
	w.seen.add(w.picks)
	possible, err := propagate(w.picks)
	if err != nil {
		return err
	}
	if len(possible) == 0 {
		w.rng = rand.New(rand.NewPCG(truckSeed.Add(1), 11))
		w.picks = w.picks[:0:0]
		w.wit = nil
		return nil
	}
	p := possible[w.rng.IntN(len(possible))]
	w.picks = append(w.picks, pick(p[0], p[1]))
	return nil
}

func possibleOf(res *configuratorv1.PropagateResponse) [][2]string {
	var out [][2]string
	for _, cd := range res.GetChars() {
		for _, v := range cd.GetPossible() {
			out = append(out, [2]string{cd.GetChar(), v})
		}
	}
	return out
}

// keySet counts the pick sets asked (as sets: order does not matter) and
// how many were asked before, by any client: the hit rate an unbounded
// memo would have on this workload.
type keySet struct {
	mu            sync.Mutex
	keys          map[string]bool
	calls, repeat int
}

func newKeySet() *keySet { return &keySet{keys: map[string]bool{}} }

func (s *keySet) add(picks []*configuratorv1.Pick) {
	parts := make([]string, len(picks))
	for i, p := range picks {
		parts[i] = p.GetChar() + "=" + p.GetValue()
	}
	slices.Sort(parts)
	k := strings.Join(parts, ",")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.keys[k] {
		s.repeat++
	}
	s.keys[k] = true
}

// snapshot returns calls and repeats so far.
func (s *keySet) snapshot() (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls, s.repeat
}

// BenchmarkPropagateRPC measures the round trip of Propagate on the
// forklift model over loopback and reports latency percentiles of single
// calls. Every client is a salesperson walking trucks (see walker), so the
// pick sets are those of real sessions: a few short ones shared by many
// (nothing picked, one pick), the rest seen once.
//
//   - inproc: the engine alone (configurator.Propagate), the floor;
//     inproc-from: the engine starting each call from the witnesses of
//     the walk's previous call (configurator.PropagateFrom), as the
//     server does when the previous pick set is in its memo;
//   - <codec>/...: a server with the default Propagate memo (answers of
//     pick sets asked before, by anyone, cost no solver time);
//     <codec>-nomemo/...: a server without it, every call runs the engine;
//   - .../1: one client calling serially (the RPC's own cost);
//   - .../64: 64 concurrent clients in a closed loop. With no think time,
//     latency there is about 64 / throughput: it measures queueing on the
//     machine's cores as much as the service.
//   - .../64x10Hz and .../64x1Hz: 64 concurrent clients, each calling ten
//     times (a salesperson clicking very fast) or once a second: 640 or 64
//     calls/s offered, the interactive load the service is built for.
//     (Their runs take b.N/640 and b.N/64 seconds.)
//
// Salespeople carry on with their trucks from one run to the next (see
// walkers), so run the sub-benchmarks of one server together.
//
// repeat-frac is the share of calls whose pick set was asked before on
// that server (an upper bound of the memo's hit rate); cpu-ms/call is the
// CPU time of the whole process (in-process clients included) per call.
func BenchmarkPropagateRPC(b *testing.B) {
	src, err := os.ReadFile(forkliftModel)
	if err != nil {
		b.Fatalf("forklift model (the demo data is part of the repository): %v", err)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	url := map[bool]string{}
	pools := map[bool]*walkers{true: newWalkers(), false: newWalkers()} // per server, both codecs
	for _, memo := range []bool{true, false} {
		var opts []startOpt
		if !memo {
			opts = append(opts, withMemo(0))
		}
		e := start(&testing.T{}, opts...)
		defer e.stop()
		setup := configuratorv1connect.NewConfiguratorServiceClient(hc, e.url, connect.WithInterceptors(bearer(e.token)))
		if _, err := setup.PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "forklift.ctm", Source: string(src)})); err != nil {
			b.Fatal(err)
		}
		url[memo] = e.url
	}

	// The engine alone: cold (every call from scratch) and from the
	// witnesses of the walk's previous call, as the server's memo does.
	m, err := configurator.Parse("forklift.ctm", src)
	if err != nil {
		b.Fatal(err)
	}
	cm, err := configurator.Compile(m)
	if err != nil {
		b.Fatal(err)
	}
	for _, from := range []bool{false, true} {
		name := "inproc"
		if from {
			name = "inproc-from"
		}
		pool := newWalkers()
		b.Run(name, func(b *testing.B) {
			measure(b, 1, 0, pool, func(w *walker) error {
				return w.step(func(picks []*configuratorv1.Pick) ([][2]string, error) {
					ps := make([]configurator.Pick, len(picks))
					for i, p := range picks {
						ps[i] = configurator.Pick{Char: p.GetChar(), Value: p.GetValue()}
					}
					d, next, err := cm.PropagateFrom(context.Background(), ps, w.wit)
					if err != nil {
						return nil, err
					}
					if from {
						w.wit = next
					}
					var out [][2]string
					for _, cd := range d.Chars {
						for _, v := range cd.Values {
							if v.Status == configurator.Possible {
								out = append(out, [2]string{cd.Char, v.Value})
							}
						}
					}
					return out, nil
				})
			})
		})
	}
	for _, p := range []protocol{
		{name: "connect-json", opts: []connect.ClientOption{connect.WithProtoJSON()}},
		{name: "connect-proto"},
	} {
		for _, memo := range []bool{true, false} {
			c := configuratorv1connect.NewConfiguratorServiceClient(hc, url[memo], p.opts...)
			propagate := func(picks []*configuratorv1.Pick) ([][2]string, error) {
				res, err := c.Propagate(context.Background(), connect.NewRequest(&configuratorv1.PropagateRequest{Model: "forklift", Picks: picks}))
				if err != nil {
					return nil, err
				}
				return possibleOf(res.Msg), nil
			}
			pool := pools[memo]
			call := func(w *walker) error { return w.step(propagate) }
			name := p.name
			if !memo {
				name += "-nomemo"
			}
			for _, clients := range []int{1, 64} {
				b.Run(fmt.Sprintf("%s/%d", name, clients), func(b *testing.B) { measure(b, clients, 0, pool, call) })
			}
			b.Run(name+"/64x10Hz", func(b *testing.B) { measure(b, 64, 100*time.Millisecond, pool, call) })
			b.Run(name+"/64x1Hz", func(b *testing.B) { measure(b, 64, time.Second, pool, call) })
		}
	}
}

// measure runs call from the given number of goroutines, each with a
// walker from pool, each starting a call every period (back to back when
// 0, or when a call takes longer), and reports the p50 and p99 latency of
// single calls, the throughput, CPU per call and the share of repeated pick
// sets.
func measure(b *testing.B, clients int, period time.Duration, pool *walkers, call func(*walker) error) {
	var (
		mu  sync.Mutex
		lat []time.Duration
	)
	seen := pool.seen
	b.ReportAllocs()
	calls0, repeat0 := seen.snapshot()
	cpu0 := cpuTime()
	run := func(pb interface{ Next() bool }, seed uint64) {
		w := pool.get()
		defer pool.put(w)
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
			if err := call(w); err != nil {
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
		calls1, repeat1 := seen.snapshot()
		if calls1 > calls0 {
			b.ReportMetric(float64(repeat1-repeat0)/float64(calls1-calls0), "repeat-frac")
		}
	}
}

// loop adapts b.Loop to the Next method RunParallel's PB has.
type loop struct{ b *testing.B }

func (l loop) Next() bool { return l.b.Loop() }

func testingProcs() int { return runtime.GOMAXPROCS(0) }
