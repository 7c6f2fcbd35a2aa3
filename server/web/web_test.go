package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/server"
)

// newHandler is a server's handler with a token set (anonymous callers may
// read and quote), with or without the page.
func newHandler(t *testing.T, noPage bool) http.Handler {
	t.Helper()
	o := server.DefaultOptions()
	o.Token = token
	o.NoPage = noPage
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	db := kv.NewMemory()
	t.Cleanup(func() { db.Close() })
	srv, err := server.New(context.Background(), db, o)
	if err != nil {
		t.Fatal(err)
	}
	return srv.Handler()
}

func do(h http.Handler, method, path, body, auth string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		r.Header.Set("Authorization", "Bearer "+auth)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestPageBesideRPCs: the page and its files need no token; the RPCs keep
// their scopes (the page does not open a way around them); paths that are
// neither are 404, not the page; --no-page serves no page.
func TestPageBesideRPCs(t *testing.T) {
	h := newHandler(t, false)
	for _, c := range []struct {
		method, path string
		code         int
		ctype        string
	}{
		{"GET", "/", 200, "text/html"},
		{"HEAD", "/", 200, "text/html"},
		{"GET", "/?model=forklift&pick=capacity=t25", 200, "text/html"},
		{"GET", "/ui/app.js", 200, "text/javascript"},
		{"GET", "/ui/rpc.js", 200, "text/javascript"},
		{"GET", "/ui/style.css", 200, "text/css"},
		{"GET", "/ui/", 404, ""},
		{"GET", "/ui/index.html", 404, ""},
		{"GET", "/ui/nope.js", 404, ""},
		{"GET", "/ui/a/b.js", 404, ""},
		{"GET", "/index.html", 404, ""},
		{"POST", "/", 405, ""},
		{"GET", "/ctoplan.configurator.v1.ConfiguratorService/Nope", 404, ""},
	} {
		w := do(h, c.method, c.path, "", "")
		if w.Code != c.code || !strings.HasPrefix(w.Header().Get("Content-Type"), c.ctype) {
			t.Errorf("%s %s: %d %q, want %d %q", c.method, c.path, w.Code, w.Header().Get("Content-Type"), c.code, c.ctype)
		}
		if c.code == 200 && !strings.Contains(w.Header().Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("%s %s: no content security policy", c.method, c.path)
		}
		if c.code != 200 && strings.Contains(w.Body.String(), "<html") {
			t.Errorf("%s %s answered with the page", c.method, c.path)
		}
	}
	if w := do(h, "GET", "/", "", ""); !strings.Contains(w.Body.String(), `src="/ui/app.js"`) {
		t.Errorf("GET / is not the page: %.200s", w.Body.String())
	}
	// RPCs as before: anonymous may read, not plan; the token may.
	const list = "/ctoplan.configurator.v1.ConfiguratorService/ListModels"
	const resolve = "/ctoplan.bom.v1.BOMService/Resolve"
	if w := do(h, "POST", list, "{}", ""); w.Code != 200 || w.Body.String() != "{}" {
		t.Errorf("anonymous ListModels: %d %s", w.Code, w.Body)
	}
	if w := do(h, "POST", resolve, `{"item":"X"}`, ""); w.Code != 401 || !strings.Contains(w.Body.String(), "unauthenticated") {
		t.Errorf("anonymous Resolve: %d %s", w.Code, w.Body)
	}
	if w := do(h, "POST", resolve, `{"item":"X"}`, token); w.Code != 404 || !strings.Contains(w.Body.String(), "not_found") {
		t.Errorf("Resolve with the token: %d %s", w.Code, w.Body)
	}

	off := newHandler(t, true)
	for _, p := range []string{"/", "/ui/app.js"} {
		if w := do(off, "GET", p, "", ""); w.Code != 404 {
			t.Errorf("NoPage: GET %s: %d", p, w.Code)
		}
	}
	if w := do(off, "POST", list, "{}", ""); w.Code != 200 {
		t.Errorf("NoPage: ListModels %d", w.Code)
	}
}
