package main

// The crash-and-fault suite: a real `ctoplan serve` in a child process (this
// test binary, re-executed as the command), killed with SIGKILL in the middle
// of writes, its store directory deleted, its disk filled, its files
// damaged, and 32 clients at once. Every test here is named TestFault...;
// `go test -run Fault ./cmd/ctoplan ./kv` runs the suite alone.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"connectrpc.com/connect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
)

// childArgsEnv carries the ctoplan arguments of a child process (JSON).
const childArgsEnv = "CTOPLAN_TEST_CHILD_ARGS"

// asCommandEnv, set to 1, makes this test binary the ctoplan command of
// its own arguments (a child that bench runs as env.Command).
const asCommandEnv = "CTOPLAN_TEST_AS_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(asCommandEnv) == "1" {
		root := newRootCmd()
		root.SetArgs(os.Args[1:])
		if err := root.Execute(); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	if args := os.Getenv(childArgsEnv); args != "" {
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		root := newRootCmd()
		root.SetArgs(a)
		if err := root.Execute(); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is `ctoplan serve` running in another process.
type child struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	done   chan struct{}
	err    error // after done
}

var childServingRE = regexp.MustCompile(`msg=serving addr=(\S+)`)

// startChild starts `ctoplan serve --addr 127.0.0.1:0 args...` and waits
// until it serves (or fails: then it returns the child with done closed).
func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	a, _ := json.Marshal(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
	c := &child{stderr: &syncBuffer{}, done: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], "-test.run=^$")
	c.cmd.Env = append(os.Environ(), childArgsEnv+"="+string(a))
	c.cmd.Stderr = c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.done
	})
	deadline := time.After(60 * time.Second)
	for {
		if m := childServingRE.FindStringSubmatch(c.stderr.String()); m != nil {
			c.url = "http://" + m[1]
			return c
		}
		select {
		case <-c.done:
			return c
		case <-deadline:
			t.Fatalf("serve did not start in 60 s:\n%s", c.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// kill sends SIGKILL and waits for the process to end.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-c.done
}

// term sends SIGTERM and waits at most limit for the process to end.
func (c *child) term(t *testing.T, limit time.Duration) error {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.done:
		return c.err
	case <-time.After(limit):
		t.Fatalf("serve did not finish within %v of SIGTERM:\n%s", limit, c.stderr.String())
		return nil
	}
}

func (c *child) mrp() mrpv1connect.MRPServiceClient {
	return mrpv1connect.NewMRPServiceClient(http.DefaultClient, c.url)
}

// health asks the gRPC health service (Connect JSON) for the overall status.
func (c *child) health(t *testing.T) string {
	t.Helper()
	resp, err := http.Post(c.url+"/grpc.health.v1.Health/Check", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var r struct{ Status string }
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("health: %v: %s", err, b)
	}
	return r.Status
}

// plantStore makes a store with the tiny plant (models, master data, plant
// data) through the offline CLI, and returns its directory.
func plantStore(t *testing.T) string {
	t.Helper()
	store := filepath.Join(t.TempDir(), "store")
	if _, errOut, err := runCmd(t, newRootCmd(), "mrp", "run", "--store", store, "--data", writeFiles(t, tinyPlant(), nil), "--date", "2026-12-01"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	return store
}

// demand is the i-th demand a writer sends: every third one a configured
// truck (new variants: a transaction over several keys), the others chains.
func demand(id string, i int) *mrpv1.Demand {
	d := &mrpv1.Demand{Id: id, Item: "CHAIN", Qty: float64(1 + i%7), DueDate: fmt.Sprintf("2027-%02d-%02d", 1+i%12, 1+i%28)}
	if i%3 == 0 {
		d.Item = "TRUCK"
		mast := []string{"duplex", "triplex"}[i%2]
		d.Picks = []*configuratorv1.Pick{{Char: "mast", Value: mast}, {Char: "capacity", Value: "t25"}}
	}
	return d
}

// present reports whether the server knows demand id.
func present(ctx context.Context, cl mrpv1connect.MRPServiceClient, id string) (bool, error) {
	s, err := cl.PegDemand(ctx, connect.NewRequest(&mrpv1.PegDemandRequest{Demand: id}))
	if err != nil {
		return false, err
	}
	defer s.Close()
	for s.Receive() {
	}
	switch err := s.Err(); {
	case err == nil:
		return true, nil
	case connect.CodeOf(err) == connect.CodeNotFound:
		return false, nil
	default:
		return false, err
	}
}

// TestFaultKillDuringWrites kills the server with SIGKILL while four
// clients write demands, restarts it on the same store, and checks that
// every acknowledged demand is there; ten rounds.
func TestFaultKillDuringWrites(t *testing.T) {
	store := plantStore(t)
	ctx := context.Background()
	var acked []string
	const rounds, writers = 10, 4
	for round := range rounds {
		c := startChild(t, "--store", store)
		if c.url == "" {
			t.Fatalf("round %d: serve failed to start after a kill:\n%s", round, c.stderr.String())
		}
		// Every demand acknowledged so far survived the last kill (and
		// present tells a missing one).
		cl := c.mrp()
		if ok, err := present(ctx, cl, "never-written"); ok || err != nil {
			t.Fatalf("present(never-written) = %v, %v", ok, err)
		}
		for _, id := range acked {
			ok, err := present(ctx, cl, id)
			if err != nil {
				t.Fatalf("round %d: %s: %v", round, id, err)
			}
			if !ok {
				t.Fatalf("round %d: acknowledged demand %s lost after kill -9", round, id)
			}
		}
		var (
			mu     sync.Mutex
			wg     sync.WaitGroup
			n      atomic.Int64
			killed atomic.Bool
			bad    error
		)
		stop := make(chan struct{})
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					id := fmt.Sprintf("K%02d-%d-%04d", round, w, i)
					_, err := cl.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{demand(id, i)}}))
					if err == nil {
						n.Add(1)
						mu.Lock()
						acked = append(acked, id)
						mu.Unlock()
						continue
					}
					// Killed under the call: the connection broke; that
					// write is not acknowledged. Before the kill no call
					// may fail.
					if !killed.Load() {
						mu.Lock()
						bad = fmt.Errorf("writer %d: %v", w, err)
						mu.Unlock()
					}
					return
				}
			}()
		}
		// Kill at a random moment once some writes went through.
		for n.Load() < 3 {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(rand.N(150)) * time.Millisecond)
		killed.Store(true)
		c.kill(t)
		close(stop)
		wg.Wait()
		if bad != nil {
			t.Fatalf("round %d: %v", round, bad)
		}
	}
	// A killed store is not a damaged one: store verify says so.
	out, _, err := runCmd(t, newRootCmd(), "store", "verify", store)
	if err != nil || !strings.Contains(out, ": ok: ") {
		t.Fatalf("store verify after kill -9: %v\n%s", err, out)
	}
	c := startChild(t, "--store", store)
	cl := c.mrp()
	for _, id := range acked {
		if ok, err := present(ctx, cl, id); err != nil || !ok {
			t.Fatalf("after the last kill: acknowledged demand %s: present %v, %v", id, ok, err)
		}
	}
	if err := c.term(t, 30*time.Second); err != nil {
		t.Fatalf("SIGTERM: %v\n%s", err, c.stderr.String())
	}
	t.Logf("%d kill -9 rounds, %d acknowledged writes, none lost", rounds, len(acked))
}

// TestFaultStoreVanishes deletes the store directory under a running
// server: health turns NOT_SERVING, writes fail Unavailable (instead of
// being acknowledged and lost), reads too, and SIGTERM ends the process.
func TestFaultStoreVanishes(t *testing.T) {
	store := plantStore(t)
	ctx := context.Background()
	c := startChild(t, "--store", store)
	cl := c.mrp()
	if _, err := cl.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{demand("V-1", 1)}})); err != nil {
		t.Fatal(err)
	}
	if s := c.health(t); s != "SERVING_STATUS_SERVING" && s != "SERVING" {
		t.Fatalf("health before: %s", s)
	}
	if err := os.RemoveAll(store); err != nil {
		t.Fatal(err)
	}
	if s := c.health(t); s != "SERVING_STATUS_NOT_SERVING" && s != "NOT_SERVING" {
		t.Fatalf("health after the store vanished: %s", s)
	}
	_, err := cl.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{demand("V-2", 2)}}))
	if connect.CodeOf(err) != connect.CodeUnavailable || !strings.Contains(err.Error(), "vanished") {
		t.Fatalf("write after the store vanished: %v", err)
	}
	err = c.term(t, 30*time.Second)
	if err == nil || !strings.Contains(c.stderr.String(), "vanished") {
		t.Fatalf("exit %v, want a non-zero exit naming the vanished store:\n%s", err, c.stderr.String())
	}
}

// TestFaultDamagedStore damages the store of a stopped server in three
// ways; each time serve exits 1 with a message naming the damage (no panic,
// no empty store), and the files are left for store verify and recovery.
func TestFaultDamagedStore(t *testing.T) {
	clean := plantStore(t)
	// Open and close once so that everything is in a table.
	c := startChild(t, "--store", clean)
	if err := c.term(t, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	ssts, _ := filepath.Glob(filepath.Join(clean, "*.sst"))
	if len(ssts) == 0 {
		t.Fatal("no table in the store")
	}
	sst := filepath.Base(ssts[0])
	for _, tc := range []struct {
		name, file string
		damage     func(dir string) error
	}{
		{"MANIFEST deleted", "MANIFEST", func(d string) error { return os.Remove(filepath.Join(d, "MANIFEST")) }},
		{"table truncated", sst, func(d string) error { return os.Truncate(filepath.Join(d, sst), 100) }},
		{"table byte changed", sst, func(d string) error {
			p := filepath.Join(d, sst)
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b[len(b)/3] ^= 0xff
			return os.WriteFile(p, b, 0o644)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "store")
			if out, err := exec.Command("cp", "-a", clean, dir).CombinedOutput(); err != nil {
				t.Fatalf("%v %s", err, out)
			}
			if err := tc.damage(dir); err != nil {
				t.Fatal(err)
			}
			c := startChild(t, "--store", dir)
			select {
			case <-c.done:
			case <-time.After(30 * time.Second):
				t.Fatal("serve runs on a damaged store")
			}
			msg := c.stderr.String()
			var ee *exec.ExitError
			if c.url != "" || !errors.As(c.err, &ee) || ee.ExitCode() != 1 || !strings.Contains(msg, "corrupt") ||
				!strings.Contains(msg, tc.file) || strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine ") {
				t.Fatalf("serve on a damaged store: %v\n%s", c.err, msg)
			}
		})
	}
}

// TestFaultDiskFull runs the server on an 8 MiB tmpfs and writes until
// the disk is full: writes then fail ResourceExhausted (the process used to
// die with SIGBUS), the server keeps serving reads, and after a restart
// every acknowledged write is there. It needs root to mount the tmpfs;
// kv's TestFaultDiskFullReserve checks the same guard without it.
func TestFaultDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root; kv TestFaultDiskFullReserve covers the guard without it")
	}
	mnt := t.TempDir()
	// The store keeps a reserve of four memtables (4 MiB at --memtable-mb
	// 1) plus its tables free: a 5 MiB disk is full after about 2,300
	// demands (18 writes, each a net change over a plant that grows by
	// 130 demands). That tests the whole path (full disk, refused writes,
	// reads, restart, every acknowledged write there); an 8 MiB disk took
	// 49,000 demands (377 writes) and 29 s for the same path.
	size := "size=5m"
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", size, "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Fatalf("mount: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", mnt).Run() })
	store := filepath.Join(mnt, "store")
	if _, errOut, err := runCmd(t, newRootCmd(), "mrp", "run", "--store", store, "--memtable-mb", "1", "--data", writeFiles(t, tinyPlant(), nil), "--date", "2026-12-01"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	ctx := context.Background()
	c := startChild(t, "--store", store, "--memtable-mb", "1")
	cl := c.mrp()
	var acked []string
	pad := strings.Repeat("x", 230) // long ids (the edge allows 256 bytes): the disk fills sooner
	var full error
	var fullAt time.Time
	// Write until the disk is full, then go on for a second and a half
	// while the store flushes and compacts: each write is acknowledged or
	// refused; the server never dies.
	for i := 0; i < 20000; i++ {
		if full != nil {
			if time.Since(fullAt) > 1500*time.Millisecond {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		var ds []*mrpv1.Demand
		for j := range 130 {
			ds = append(ds, demand(fmt.Sprintf("F%05d-%03d-%s", i, j, pad), i*130+j))
		}
		_, err := cl.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: ds}))
		switch {
		case err == nil:
			for _, d := range ds {
				acked = append(acked, d.GetId())
			}
		case connect.CodeOf(err) == connect.CodeResourceExhausted && strings.Contains(err.Error(), "disk full"):
			if full == nil {
				full, fullAt = err, time.Now()
			}
		default:
			t.Fatalf("write %d: %v\n%s", i, err, c.stderr.String())
		}
	}
	if full == nil {
		t.Fatal("the 5 MiB disk never filled")
	}
	if ok, err := present(ctx, cl, acked[0]); err != nil || !ok {
		t.Fatalf("read on the full disk: %v %v", ok, err)
	}
	if err := c.term(t, 30*time.Second); err != nil {
		t.Fatalf("SIGTERM on a full disk: %v\n%s", err, c.stderr.String())
	}
	c = startChild(t, "--store", store, "--memtable-mb", "1")
	if c.url == "" {
		t.Fatalf("restart on the full disk:\n%s", c.stderr.String())
	}
	cl = c.mrp()
	// every acknowledged demand; under the race detector every 13th and
	// the last of each write (each read is a supply tree over the API,
	// ~6 ms there: 2,340 of them were most of the test)
	for k, id := range acked {
		if raceEnabled && k%13 != 0 && k%130 != 129 {
			continue
		}
		if ok, err := present(ctx, cl, id); err != nil || !ok {
			t.Fatalf("acknowledged %s after restart: %v %v", id[:8], ok, err)
		}
	}
	t.Logf("%d demands acknowledged (%s disk) before: %v", len(acked), size, full)
}

// TestFaultManyClients runs 32 clients at once for two seconds against a
// child server: writers upsert and delete demands, readers peg and plan.
// No call may fail except as the protocol says (a write conflict that
// retries ran out: Aborted), and at the end the server holds exactly the
// demands the writers left.
func TestFaultManyClients(t *testing.T) {
	store := plantStore(t)
	c := startChild(t, "--store", store)
	cl := c.mrp()
	ctx := context.Background()
	const clients = 32
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		errs  []error
		calls atomic.Int64
		want  sync.Map // demand id -> bool (kept)
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	end := time.Now().Add(2 * time.Second)
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(end); i++ {
				calls.Add(1)
				switch {
				case w%2 == 0: // writer: upsert, every fourth deleted again
					id := fmt.Sprintf("M%02d-%04d", w, i)
					_, err := cl.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{demand(id, i)}}))
					if err != nil {
						if connect.CodeOf(err) != connect.CodeAborted {
							fail(fmt.Errorf("upsert %s: %w", id, err))
						}
						continue
					}
					want.Store(id, true)
					if i%4 == 3 {
						if _, err := cl.DeleteDemands(ctx, connect.NewRequest(&mrpv1.DeleteDemandsRequest{Ids: []string{id}})); err != nil {
							if connect.CodeOf(err) != connect.CodeAborted {
								fail(fmt.Errorf("delete %s: %w", id, err))
							}
							continue
						}
						want.Store(id, false)
					}
				case w%4 == 1:
					if _, err := present(ctx, cl, "SO-1"); err != nil {
						fail(fmt.Errorf("peg: %w", err))
					}
				default:
					if _, err := cl.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{})); err != nil {
						fail(fmt.Errorf("stats: %w", err))
					}
				}
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d failed calls, first: %v", len(errs), errs[0])
	}
	// Restart (a clean stop this time) and compare.
	if err := c.term(t, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	c = startChild(t, "--store", store)
	cl = c.mrp()
	n := 0
	want.Range(func(k, v any) bool {
		n++
		ok, err := present(ctx, cl, k.(string))
		if err != nil || ok != v.(bool) {
			t.Errorf("demand %s: present %v (%v), want %v", k, ok, err, v)
			return false
		}
		return true
	})
	t.Logf("%d clients, %d calls, %d demands checked after restart", clients, calls.Load(), n)
}

// TestFaultKillDuringImport kills an offline `bom import --store` (5,000
// parts and 5,000 BOM lines, one transaction) with SIGKILL at moments
// spread over its run: afterwards the store holds all of the import or none
// of it, never a part.
func TestFaultKillDuringImport(t *testing.T) {
	data := bigPlant(t, 5000)
	run := func(store string, killAfter time.Duration) error {
		a, _ := json.Marshal([]string{"bom", "import", "--store", store, data})
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childArgsEnv+"="+string(a))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if killAfter > 0 {
			time.AfterFunc(killAfter, func() { cmd.Process.Signal(syscall.SIGKILL) })
		}
		return cmd.Wait()
	}
	full := filepath.Join(t.TempDir(), "full")
	start := time.Now()
	if err := run(full, 0); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	want := storeState(t, full)
	const rounds = 8
	outcomes := map[string]int{}
	for round := range rounds {
		store := filepath.Join(t.TempDir(), "store")
		// Round r kills in the r-th eighth of the time a whole import took.
		at := took * time.Duration(round) / rounds
		at += time.Duration(rand.N(int64(took / rounds)))
		err := run(store, at)
		switch got := storeState(t, store); {
		case got == want:
			outcomes["complete"]++
		case got == "absent" || strings.HasPrefix(got, "0 keys "):
			outcomes["nothing"]++
		default:
			t.Fatalf("round %d: killed after %v of %v (%v): the store holds part of the import: %s, want %s or nothing",
				round, at.Round(time.Millisecond), took.Round(time.Millisecond), err, got, want)
		}
	}
	t.Logf("%d kills during a %v import: %v", rounds, took.Round(time.Millisecond), outcomes)
}
