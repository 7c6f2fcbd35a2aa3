package etcd_test

import (
	"fmt"
	"testing"

	"github.com/ctoplan/ctoplan/kv/etcd"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want: endpoints and prefix, or the error
	}{
		{"etcd://127.0.0.1:2379", "[http://127.0.0.1:2379] ctoplan/"},
		{"etcd://a:1,b:2,c:3/plant-7/", "[http://a:1 http://b:2 http://c:3] plant-7/"},
		{"etcd://a:1/x/y", "[http://a:1] x/y/"},
		{"etcd://a", `kv/etcd: "etcd://a": endpoint 1 "a": want HOST:PORT`},
		{"etcd://a:1,,b:2", `kv/etcd: "etcd://a:1,,b:2": endpoint 2 "": want HOST:PORT`},
		{"etcd://a:x1", `kv/etcd: "etcd://a:x1": endpoint 1 "a:x1": want HOST:PORT`},
		{"http://a:1", `kv/etcd: "http://a:1": want etcd://HOST:PORT[,HOST:PORT...][/PREFIX]`},
	} {
		o, err := etcd.ParseURL(tc.in)
		got := fmt.Sprint(o.Endpoints, " ", o.Prefix)
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("ParseURL(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		tune func(*etcd.Options)
		want string
	}{
		{func(o *etcd.Options) { o.Endpoints = nil }, "kv/etcd: no endpoints"},
		{func(o *etcd.Options) { o.Prefix = "plant" }, `kv/etcd: Prefix "plant": want one ending in /`},
		{func(o *etcd.Options) { o.MaxTxnOps = 2 }, "kv/etcd: MaxTxnOps 2: want at least 3"},
		{func(o *etcd.Options) { o.MaxRequestBytes = 1000 }, "kv/etcd: MaxRequestBytes 1000: want at least 64 KiB"},
	} {
		o := etcd.DefaultOptions("127.0.0.1:2379")
		tc.tune(&o)
		if err := o.Validate(); err == nil || err.Error() != tc.want {
			t.Errorf("Validate = %v, want %s", err, tc.want)
		}
	}
	if err := etcd.DefaultOptions("127.0.0.1:2379").Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}
