package etcd

import (
	"fmt"
	"strings"
)

// Scheme starts a store URL for [ParseURL].
const Scheme = "etcd://"

// IsURL reports whether s names an etcd store (starts with etcd://).
func IsURL(s string) bool { return strings.HasPrefix(s, Scheme) }

// ParseURL reads etcd://HOST:PORT[,HOST:PORT...][/PREFIX] into options with
// the defaults; PREFIX (default "ctoplan") namespaces the keys, so several
// deployments can share a cluster.
func ParseURL(s string) (Options, error) {
	if !IsURL(s) {
		return Options{}, fmt.Errorf("kv/etcd: %q: want %sHOST:PORT[,HOST:PORT...][/PREFIX]", s, Scheme)
	}
	rest := strings.TrimPrefix(s, Scheme)
	hosts, prefix, _ := strings.Cut(rest, "/")
	var eps []string
	for i, h := range strings.Split(hosts, ",") {
		host, port, ok := strings.Cut(h, ":")
		if !ok || host == "" || port == "" || strings.Trim(port, "0123456789") != "" {
			return Options{}, fmt.Errorf("kv/etcd: %q: endpoint %d %q: want HOST:PORT", s, i+1, h)
		}
		eps = append(eps, "http://"+h)
	}
	o := DefaultOptions(eps...)
	if prefix = strings.Trim(prefix, "/"); prefix != "" {
		o.Prefix = prefix + "/"
	}
	return o, nil
}
