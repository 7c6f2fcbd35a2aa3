package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/kv/etcd"
	"github.com/ctoplan/ctoplan/kv/etcd/etcdtest"
	"github.com/ctoplan/ctoplan/mrp"
	"github.com/ctoplan/ctoplan/server"
)

// TestFaultReplicasEtcd runs three `ctoplan serve` processes on one
// 3-member etcd cluster. Two clients write demands on replicas 0 and 1;
// meanwhile replica 2 is killed with SIGKILL, then the etcd leader, and a
// new replica 2 starts on the degraded cluster. No acknowledged write is
// lost on any replica, and all three report the same revision and digest.
func TestFaultReplicasEtcd(t *testing.T) {
	c := etcdtest.Start(t, etcdtest.Options{})
	var hosts []string
	for _, e := range c.Endpoints() {
		hosts = append(hosts, strings.TrimPrefix(e, "http://"))
	}
	store := "etcd://" + strings.Join(hosts, ",") + "/replicas"
	if _, errOut, err := runCmd(t, newRootCmd(), "mrp", "run", "--store", store, "--data", writeFiles(t, tinyPlant(), nil), "--date", "2026-12-01"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	var reps [3]*child
	for i := range reps {
		if reps[i] = startChild(t, "--store", store); reps[i].url == "" {
			t.Fatalf("replica %d did not start:\n%s", i, reps[i].stderr.String())
		}
	}
	ctx := context.Background()
	var (
		mu    sync.Mutex
		acked []string
		last  uint64 // the highest revision a write reported
		wg    sync.WaitGroup
		stop  = make(chan struct{})
	)
	for w := range 2 {
		cl := reps[w].mrp()
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("R%d-%04d", w, i)
				cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
				res, err := cl.UpsertDemands(cctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{demand(id, i)}}))
				cancel()
				if err != nil {
					continue // an etcd member down: not acknowledged; go on
				}
				rev, _ := strconv.ParseUint(res.Header().Get(server.HeaderRevision), 10, 64)
				mu.Lock()
				acked = append(acked, id)
				last = max(last, rev)
				mu.Unlock()
			}
		})
	}
	wait := func(n int) {
		for deadline := time.Now().Add(30 * time.Second); ; {
			mu.Lock()
			k := len(acked)
			mu.Unlock()
			if k >= n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("only %d of %d writes acknowledged in 30 s\n%s", k, n, c.Logs())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	wait(5)
	reps[2].kill(t)
	wait(10)
	c.Kill(max(c.Leader(), 0))
	if reps[2] = startChild(t, "--store", store); reps[2].url == "" {
		t.Fatalf("replica 2 did not restart:\n%s", reps[2].stderr.String())
	}
	wait(20)
	close(stop)
	wg.Wait()
	// Every write is in the store now (a call that timed out may have
	// committed after its client gave up): ask for the stored revision.
	o, err := etcd.ParseURL(store)
	if err != nil {
		t.Fatal(err)
	}
	db, err := etcd.Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := mrp.StoredRevision(ctx, db)
	db.Close()
	if err != nil || stored < last {
		t.Fatalf("stored revision %d (%v), a write reported %d", stored, err, last)
	}
	last = stored

	digest := ""
	for i, r := range reps {
		req := connect.NewRequest(&mrpv1.GetPlanStatsRequest{})
		req.Header().Set(server.HeaderMinRevision, strconv.FormatUint(last, 10))
		cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		ps, err := r.mrp().GetPlanStats(cctx, req)
		cancel()
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
		if ps.Msg.GetRevision() < last {
			t.Fatalf("replica %d at revision %d, asked for %d", i, ps.Msg.GetRevision(), last)
		}
		if i == 0 {
			last, digest = ps.Msg.GetRevision(), ps.Msg.GetDigest()
		} else if ps.Msg.GetRevision() != last || ps.Msg.GetDigest() != digest {
			t.Fatalf("replica %d at revision %d digest %s; replica 0 at %d %s", i, ps.Msg.GetRevision(), ps.Msg.GetDigest(), last, digest)
		}
		for _, id := range acked {
			if ok, err := present(ctx, r.mrp(), id); err != nil || !ok {
				t.Fatalf("replica %d: acknowledged demand %s: present %v, %v", i, id, ok, err)
			}
		}
	}
	t.Logf("%d writes acknowledged, replicas at revision %d", len(acked), last)
}
