package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/server"
)

func withCORS(origins ...string) startOpt {
	return func(o *server.Options) { o.CORSOrigins = origins }
}

// preflight sends the OPTIONS request a browser sends before a call from a
// page of origin with the given protocol's headers.
func preflight(t *testing.T, e *env, origin, method, headers string) http.Header {
	t.Helper()
	req, err := http.NewRequest(http.MethodOptions, e.url+"/ctoplan.configurator.v1.ConfiguratorService/Propagate", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", method)
	// A browser sends the header names lower-case and sorted.
	names := strings.Split(headers, ",")
	slices.Sort(names)
	req.Header.Set("Access-Control-Request-Headers", strings.Join(names, ","))
	resp, err := e.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		t.Fatalf("preflight: status %d", resp.StatusCode)
	}
	return resp.Header
}

func TestCORS(t *testing.T) {
	const crm = "https://crm.example.com"
	calls := []struct{ name, method, headers string }{
		{"connect", "POST", "content-type,connect-protocol-version,connect-timeout-ms,authorization,accept-language"},
		{"grpc-web", "POST", "content-type,x-grpc-web,x-user-agent,grpc-timeout,authorization"},
		{"get", "GET", "connect-protocol-version,if-none-match"},
	}
	e := start(t, withCORS(crm, "https://other.example.com"))
	for _, c := range calls {
		h := preflight(t, e, crm, c.method, c.headers)
		if got := h.Get("Access-Control-Allow-Origin"); got != crm {
			t.Errorf("%s preflight from %s: Allow-Origin %q", c.name, crm, got)
		}
		if got := h.Get("Access-Control-Allow-Methods"); !strings.Contains(got, c.method) {
			t.Errorf("%s preflight: Allow-Methods %q lacks %s", c.name, got, c.method)
		}
		allowed := strings.ToLower(h.Get("Access-Control-Allow-Headers"))
		for _, want := range strings.Split(c.headers, ",") {
			if !strings.Contains(allowed, want) {
				t.Errorf("%s preflight: Allow-Headers %q lacks %s", c.name, allowed, want)
			}
		}
		if h := preflight(t, e, "https://evil.example.com", c.method, c.headers); h.Get("Access-Control-Allow-Origin") != "" || h.Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("%s preflight from another origin got CORS headers: %v", c.name, h)
		}
	}

	// An actual call from the page: the answer names the origin and
	// exposes the gRPC-Web error headers.
	req, _ := http.NewRequest(http.MethodPost, e.url+"/ctoplan.configurator.v1.ConfiguratorService/Propagate", strings.NewReader(`{"model":"nope"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", crm)
	resp, err := e.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != crm {
		t.Errorf("call: Allow-Origin %q", got)
	}
	exposed := strings.ToLower(resp.Header.Get("Access-Control-Expose-Headers"))
	for _, want := range []string{"grpc-status", "grpc-message", "grpc-status-details-bin", "etag"} {
		if !strings.Contains(exposed, want) {
			t.Errorf("call: Expose-Headers %q lacks %s", exposed, want)
		}
	}

	// Without --cors-origin: no CORS headers at all.
	plain := start(t)
	h := preflight(t, plain, crm, "POST", calls[0].headers)
	if got := h.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("no CORS configured: preflight got Allow-Origin %q", got)
	}
}
