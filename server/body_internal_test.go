package server

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestBodyDeadlineClearedAtEOF: a call whose body came in time may run
// longer than the body timeout. On HTTP/1 a read deadline still set on the
// connection after the body would fire in the server's background read and
// cancel the call's context (net/http clears it when that read starts).
func TestBodyDeadlineClearedAtEOF(t *testing.T) {
	s := &Server{guard: newGuard(Options{}), opts: Options{BodyTimeout: 100 * time.Millisecond}}
	ts := httptest.NewServer(s.authorize(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		select {
		case <-time.After(400 * time.Millisecond): // 4 body timeouts
			fmt.Fprintf(w, "ok %d", len(b))
		case <-r.Context().Done():
			http.Error(w, "cancelled: "+r.Context().Err().Error(), http.StatusInternalServerError)
		}
	})))
	defer ts.Close()
	for range 2 { // the second call reuses the keep-alive connection
		resp, err := ts.Client().Post(ts.URL+"/x", "text/plain", strings.NewReader("hello"))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "ok 5" {
			t.Fatalf("status %d: %s", resp.StatusCode, b)
		}
	}
}
