package main

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"connectrpc.com/connect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	"github.com/ctoplan/ctoplan/kv/etcd/etcdtest"
)

// TestServeEtcd runs serve on a real 3-member etcd cluster: a model written
// through one server is read by the next one on the same cluster, --backup
// works on the etcd store, and the forklift demo imports into etcd and
// answers where-used as from Badger.
func TestServeEtcd(t *testing.T) {
	c := etcdtest.Start(t, etcdtest.Options{})
	var hosts []string
	for _, e := range c.Endpoints() {
		hosts = append(hosts, strings.TrimPrefix(e, "http://"))
	}
	store := "etcd://" + strings.Join(hosts, ",") + "/serve-test"

	url, stop := serveFor(t, "--store", store)
	cl := configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, url)
	put := connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: tinyFiles["tiny.ctm"]})
	if _, err := cl.PutModel(context.Background(), put); err != nil {
		t.Fatal(err)
	}
	if log, err := stop(); err != nil {
		t.Fatalf("serve: %v\n%s", err, log)
	}

	url, stop = serveFor(t, "--store", store)
	cl = configuratorv1connect.NewConfiguratorServiceClient(http.DefaultClient, url)
	res, err := cl.ListModels(context.Background(), connect.NewRequest(&configuratorv1.ListModelsRequest{}))
	if err != nil || len(res.Msg.GetModels()) != 1 {
		t.Errorf("second server on the same cluster: %v %v", res, err)
	}
	if log, err := stop(); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}

	backup := filepath.Join(t.TempDir(), "backup.kv")
	if _, errOut, err := runCmd(t, newServeCmd(), "--store", store, "--backup", backup); err != nil || !strings.Contains(errOut, "backup written") {
		t.Errorf("backup: %v %s", err, errOut)
	}
	// The forklift demo (about 5,000 records in one import: a big commit
	// on etcd) answers as it does from Badger.
	fk := store + "-forklift"
	badger := filepath.Join(t.TempDir(), "store")
	for _, st := range []string{fk, badger} {
		if _, errOut, err := runCmd(t, newBOMCmd(), "import", "--store", st, "../../testdata/forklift"); err != nil {
			t.Fatalf("import into %s: %v\n%s", st, err, errOut)
		}
	}
	a, _, err := runCmd(t, newBOMCmd(), "where-used", "--store", fk, "WELDWIRE-G3SI1", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := runCmd(t, newBOMCmd(), "where-used", "--store", badger, "WELDWIRE-G3SI1", "--format", "csv")
	if err != nil || a != b || len(a) < 100 {
		t.Errorf("etcd store answers differently from Badger: %v\n%s\n%s", err, a, b)
	}

	if _, _, err := runCmd(t, newServeCmd(), "--store", "etcd://nohostport"); err == nil || !strings.Contains(err.Error(), "want HOST:PORT") {
		t.Errorf("bad etcd URL: %v", err)
	}
}
