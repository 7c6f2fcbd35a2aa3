package server

import (
	"io"
	"net/http"
	"sync"
	"time"
)

// deadlineBody is a request body that must arrive within a time: it sets the
// connection's (HTTP/1) or stream's (HTTP/2) read deadline when the call
// starts and clears it once the body is read to its end or closed. The
// deadline cannot stay: on HTTP/1 the server keeps reading the connection
// after the body (to notice a client going away), and a deadline hit there
// would cancel a call that is still working.
type deadlineBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	clear sync.Once
}

func newDeadlineBody(w http.ResponseWriter, body io.ReadCloser, d time.Duration) io.ReadCloser {
	rc := http.NewResponseController(w)
	if rc.SetReadDeadline(time.Now().Add(d)) != nil {
		return body // a ResponseWriter without deadlines (tests, a custom server)
	}
	return &deadlineBody{ReadCloser: body, rc: rc}
}

func (b *deadlineBody) done() {
	b.clear.Do(func() { _ = b.rc.SetReadDeadline(time.Time{}) })
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.done()
	}
	return n, err
}

func (b *deadlineBody) Close() error {
	b.done()
	return b.ReadCloser.Close()
}
