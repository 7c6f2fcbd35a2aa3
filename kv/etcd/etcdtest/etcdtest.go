// Package etcdtest starts a real etcd cluster on loopback for tests: each
// member is the etcd binary (Debian's etcd-server, /usr/bin/etcd, or $ETCD)
// with its own free ports and a data directory under the test's temp dir.
// The cluster is stopped when the test ends. A missing binary fails the
// test: it does not skip.
package etcdtest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// Binary is the etcd executable: $ETCD, else etcd on PATH, else
// /usr/bin/etcd.
func Binary() (string, error) {
	if p := os.Getenv("ETCD"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("etcd"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/etcd"); err == nil {
		return "/usr/bin/etcd", nil
	}
	return "", fmt.Errorf("etcd binary not found (install Debian's etcd-server: apt-get install -y etcd-server, or set $ETCD)")
}

// Options tune the members.
type Options struct {
	Members         int // default 3
	MaxTxnOps       int // --max-txn-ops; 0: etcd's default (128)
	MaxRequestBytes int // --max-request-bytes; 0: etcd's default (1.5 MiB)
}

// Cluster is a running test cluster.
type Cluster struct {
	t       testing.TB
	bin     string
	opts    Options
	members []*member
}

type member struct {
	name, dir    string
	client, peer string // URLs
	out          *lockedWriter
	mu           sync.Mutex
	cmd          *exec.Cmd
	exited       chan struct{}
}

// Start starts a cluster and waits until it has a leader (20 s at most).
func Start(t testing.TB, o Options) *Cluster {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Fatal(err)
	}
	if o.Members <= 0 {
		o.Members = 3
	}
	c := &Cluster{t: t, bin: bin, opts: o}
	ports := freePorts(t, 2*o.Members)
	var initial []string
	base := t.TempDir()
	for i := range o.Members {
		m := &member{
			name:   fmt.Sprintf("m%d", i),
			dir:    filepath.Join(base, fmt.Sprintf("m%d", i)),
			client: fmt.Sprintf("http://127.0.0.1:%d", ports[2*i]),
			peer:   fmt.Sprintf("http://127.0.0.1:%d", ports[2*i+1]),
		}
		c.members = append(c.members, m)
		initial = append(initial, m.name+"="+m.peer)
	}
	t.Cleanup(c.stopAll)
	for i := range c.members {
		c.start(i, strings.Join(initial, ","))
	}
	c.WaitHealthy(20 * time.Second)
	return c
}

func (c *Cluster) start(i int, initial string) {
	c.t.Helper()
	m := c.members[i]
	args := []string{
		"--name", m.name, "--data-dir", m.dir,
		"--listen-client-urls", m.client, "--advertise-client-urls", m.client,
		"--listen-peer-urls", m.peer, "--initial-advertise-peer-urls", m.peer,
		"--initial-cluster", initial, "--initial-cluster-state", "new",
		"--initial-cluster-token", "ctoplan-test",
		// Loopback: faster failure detection than the 100 ms / 1 s
		// defaults, with room for a loaded machine.
		"--heartbeat-interval", "50", "--election-timeout", "750",
	}
	if c.opts.MaxTxnOps > 0 {
		args = append(args, "--max-txn-ops", fmt.Sprint(c.opts.MaxTxnOps))
	}
	if c.opts.MaxRequestBytes > 0 {
		args = append(args, "--max-request-bytes", fmt.Sprint(c.opts.MaxRequestBytes))
	}
	cmd := exec.Command(c.bin, args...)
	if m.out == nil {
		m.out = &lockedWriter{}
	}
	cmd.Stdout, cmd.Stderr = m.out, m.out
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("starting etcd member %s: %v", m.name, err)
	}
	m.mu.Lock()
	m.cmd = cmd
	m.exited = make(chan struct{})
	done := m.exited
	m.mu.Unlock()
	go func() { cmd.Wait(); close(done) }()
}

// Endpoints are the members' client URLs.
func (c *Cluster) Endpoints() []string {
	var e []string
	for _, m := range c.members {
		e = append(e, m.client)
	}
	return e
}

// Endpoint is member i's client URL.
func (c *Cluster) Endpoint(i int) string { return c.members[i].client }

// Kill sends SIGKILL to member i and waits for it to exit.
func (c *Cluster) Kill(i int) { c.signal(i, syscall.SIGKILL) }

// Stop stops member i (SIGTERM) and waits for it to exit.
func (c *Cluster) Stop(i int) { c.signal(i, syscall.SIGTERM) }

func (c *Cluster) signal(i int, sig syscall.Signal) {
	m := c.members[i]
	m.mu.Lock()
	cmd, done := m.cmd, m.exited
	m.cmd = nil
	m.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// Restart starts a stopped or killed member i again on its data directory.
func (c *Cluster) Restart(i int) {
	var initial []string
	for _, m := range c.members {
		initial = append(initial, m.name+"="+m.peer)
	}
	c.start(i, strings.Join(initial, ","))
}

// Leader returns the index of the member that leads now, or -1 when none
// answers as leader.
func (c *Cluster) Leader() int {
	for i, m := range c.members {
		cli, err := clientv3.New(clientv3.Config{Endpoints: []string{m.client}, DialTimeout: time.Second, Logger: zap.NewNop()})
		if err != nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		st, err := cli.Status(ctx, m.client)
		cancel()
		cli.Close()
		if err == nil && st.Leader == st.Header.MemberId {
			return i
		}
	}
	return -1
}

// WaitHealthy waits until a linearizable read through every endpoint
// succeeds, or fails the test after d, printing the members' logs.
func (c *Cluster) WaitHealthy(d time.Duration) {
	c.t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := c.ping()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("etcd cluster not healthy after %v: %v\n%s", d, err, c.Logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (c *Cluster) ping() error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: c.Endpoints(), DialTimeout: 2 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err = cli.Get(ctx, "health")
	return err
}

// Logs returns the last lines of every member's output.
func (c *Cluster) Logs() string {
	var b strings.Builder
	for _, m := range c.members {
		if m.out == nil {
			continue
		}
		lines := strings.Split(strings.TrimSpace(m.out.String()), "\n")
		if len(lines) > 15 {
			lines = lines[len(lines)-15:]
		}
		fmt.Fprintf(&b, "--- %s\n%s\n", m.name, strings.Join(lines, "\n"))
	}
	return b.String()
}

func (c *Cluster) stopAll() {
	for i := range c.members {
		c.signal(i, syscall.SIGKILL)
	}
}

// freePorts returns n distinct loopback ports that were free a moment ago.
func freePorts(t testing.TB, n int) []int {
	var ls []net.Listener
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// lockedWriter collects a member's output; exec writes it from its own
// goroutines while Logs reads it.
type lockedWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
