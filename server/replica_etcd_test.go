package server_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/kv/etcd"
	"github.com/ctoplan/ctoplan/kv/etcd/etcdtest"
	"github.com/ctoplan/ctoplan/mrp"
	"github.com/ctoplan/ctoplan/server"
)

// openEtcd opens a new connection to the cluster under prefix.
func openEtcd(t testing.TB, c *etcdtest.Cluster, prefix string) kv.DB {
	t.Helper()
	o := etcd.DefaultOptions(c.Endpoints()...)
	o.Prefix = prefix
	o.RequestTimeout = 2 * time.Second
	db, err := etcd.Open(context.Background(), o)
	if err != nil {
		t.Fatalf("open etcd: %v\n%s", err, c.Logs())
	}
	return db
}

// upsert writes demand id (1 CHAIN) on e and returns the revision the
// response reports.
func upsert(ctx context.Context, e *env, id string) (uint64, error) {
	res, err := e.mrp(protocols[1]).UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{
		Demands: []*mrpv1.Demand{{Id: id, Item: "CHAIN", Qty: 1, DueDate: "2027-01-10"}}}))
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(res.Header().Get(server.HeaderRevision), 10, 64)
}

// statsAt asks e for its plan stats once it applied revision rev.
func statsAt(t *testing.T, e *env, rev uint64) *mrpv1.GetPlanStatsResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := connect.NewRequest(&mrpv1.GetPlanStatsRequest{})
	req.Header().Set(server.HeaderMinRevision, strconv.FormatUint(rev, 10))
	res, err := e.mrp(protocols[1]).GetPlanStats(ctx, req)
	if err != nil {
		t.Fatalf("GetPlanStats at revision %d: %v", rev, err)
	}
	if res.Msg.GetRevision() < rev {
		t.Fatalf("asked for revision %d, served %d", rev, res.Msg.GetRevision())
	}
	return res.Msg
}

// storedDigest opens the plan stored under prefix afresh.
func storedDigest(t *testing.T, c *etcdtest.Cluster, prefix string) (*mrp.Store, string) {
	t.Helper()
	db := openEtcd(t, c, prefix)
	defer db.Close()
	st, err := mrp.OpenStore(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return st, st.Planner().Digest()
}

// TestReplicasEtcd runs three server replicas, each on its own connection
// to a real 3-member etcd cluster:
//   - a write on one replica is read on the next with Ctoplan-Min-Revision,
//     and all replicas at the same revision report the digest of the stored
//     plan;
//   - during a write loop on two replicas, an etcd member is killed (-9)
//     and the third replica stops and a new one starts: no acknowledged
//     write is lost, the survivors and the new replica converge to one
//     digest;
//   - with two of three members stopped, a write fails with Unavailable.
func TestReplicasEtcd(t *testing.T) {
	c := etcdtest.Start(t, etcdtest.Options{})
	ctx := context.Background()
	const prefix = "rep/"
	var reps []*env
	for range 3 {
		reps = append(reps, startOn(t, openEtcd(t, c, prefix), true))
	}
	importTinyPlant(t, reps[0], protocols[1]) // 2 demands

	// Read your writes across replicas.
	n := 6
	var rev uint64
	for k := range n {
		var err error
		if rev, err = upsert(ctx, reps[k%3], fmt.Sprintf("D-%d", k)); err != nil {
			t.Fatalf("write %d on replica %d: %v", k, k%3, err)
		}
		if ps := statsAt(t, reps[(k+1)%3], rev); ps.GetDemands() != int32(2+k+1) {
			t.Fatalf("write %d: replica %d at revision %d has %d demands, want %d", k, (k+1)%3, ps.GetRevision(), ps.GetDemands(), 2+k+1)
		}
	}
	st, want := storedDigest(t, c, prefix)
	if st.Revision() != rev {
		t.Fatalf("store at revision %d, last write reported %d", st.Revision(), rev)
	}
	for i, e := range reps {
		if ps := statsAt(t, e, rev); ps.GetDigest() != want || ps.GetRevision() != rev {
			t.Fatalf("replica %d: revision %d digest %s, store: %d %s", i, ps.GetRevision(), ps.GetDigest(), rev, want)
		}
	}

	// The model uploaded through replica 0 is served by every replica
	// (each wrote since, so each reloaded the master data and models).
	for i, e := range reps {
		if _, err := e.configurator(protocols[1]).Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: "tiny"})); err != nil {
			t.Fatalf("replica %d: Propagate on the model uploaded through replica 0: %v", i, err)
		}
	}

	// Failures during a write loop.
	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
		stop  = make(chan struct{})
	)
	for w := range 2 {
		wg.Go(func() {
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("W%d-%d", w, k)
				cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				_, err := upsert(cctx, reps[w], id)
				cancel()
				if err == nil {
					mu.Lock()
					acked = append(acked, id)
					mu.Unlock()
				}
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	killed := max(c.Leader(), 0)
	c.Kill(killed)
	if err := reps[2].stop(); err != nil {
		t.Logf("stopping replica 2: %v", err)
	}
	time.Sleep(time.Second)
	reps[2] = startOn(t, openEtcd(t, c, prefix), true) // a new replica on a degraded cluster
	time.Sleep(500 * time.Millisecond)
	close(stop)
	wg.Wait()
	if len(acked) == 0 {
		t.Fatalf("no write acknowledged during the failures\n%s", c.Logs())
	}
	st, want = storedDigest(t, c, prefix)
	for _, id := range acked {
		if _, ok := st.Planner().Demand(id); !ok {
			t.Fatalf("acknowledged demand %s lost (of %d acknowledged)", id, len(acked))
		}
	}
	for i, e := range reps {
		if ps := statsAt(t, e, st.Revision()); ps.GetDigest() != want {
			t.Fatalf("replica %d at revision %d: digest %s, store at %d: %s", i, ps.GetRevision(), ps.GetDigest(), st.Revision(), want)
		}
	}
	t.Logf("%d writes acknowledged during the failures; all replicas at revision %d", len(acked), st.Revision())

	// A minority refuses writes: stop the members still running but one.
	for i := range 3 {
		if i != killed && i != (killed+1)%3 {
			c.Stop(i)
		}
	}
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	_, err := upsert(cctx, reps[0], "MINORITY")
	if ce := new(connect.Error); !errors.As(err, &ce) || ce.Code() != connect.CodeUnavailable {
		t.Fatalf("write on a minority: %v, want Unavailable", err)
	}
}
