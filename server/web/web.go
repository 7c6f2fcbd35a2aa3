// Package web is the quoting page: a salesperson configures a product,
// quotes it and orders it in the browser. The page is plain HTML, CSS and
// JavaScript embedded in the binary (no build step); it talks the Connect
// protocol's JSON form to the server that serves it, so it needs nothing
// but [Handler] mounted beside the RPC services (server.New does that).
//
// The page's stable contract for tests and for teams that embed it:
//
//   - every value of every characteristic is an element with data-char,
//     data-value and data-status (selected, forced, possible or excluded);
//   - /?model=NAME&pick=CHAR=VALUE&pick=... opens the page with those picks
//     applied (item=ID, qty=N, date=YYYY-MM-DD and lang=en|zh too);
//   - the document receives a "ctoplan:propagated" event after each update
//     of the values.
//
// All RPC calls of the page live in static/rpc.js.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed static
var static embed.FS

// Files are the page's files (index.html, app.js, rpc.js, style.css).
func Files() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded directory exists: a build error otherwise
	}
	return sub
}

// Handler serves the page: GET / is index.html, GET /ui/NAME the page's
// other files. Mount it on "GET /{$}" and "GET /ui/" so that it never
// answers an RPC path. Anything else is 404.
func Handler() http.Handler {
	files := http.FileServerFS(Files())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// The page runs only its own scripts and talks only to its own
		// server; it may be framed (CRM teams embed it).
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		name, ok := strings.CutPrefix(r.URL.Path, "/ui/")
		switch {
		case r.URL.Path == "/":
			serveIndex(w, r)
		case ok && name != "" && !strings.Contains(name, "/") && name != "index.html":
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/" + name
			files.ServeHTTP(w, r2)
		default:
			http.NotFound(w, r)
		}
	})
}

// serveIndex writes index.html itself (http.FileServer would redirect a
// request for /index.html to /, and / is not a file server path here).
func serveIndex(w http.ResponseWriter, r *http.Request) {
	b, err := fs.ReadFile(Files(), "index.html")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodHead {
		return
	}
	w.Write(b)
}
