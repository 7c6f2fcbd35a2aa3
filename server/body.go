package server

import (
	"net/http"
	"time"
)

// bodyDeadline gives the request body d to arrive: the read deadline of the
// connection (HTTP/1) or of the stream (HTTP/2). A slower client's body
// read fails and its connection is closed. The deadline does not outlive
// the body: on HTTP/1 the server clears it when it starts watching the
// connection after the body (a deadline hit there would cancel the call),
// and an HTTP/2 stream's read deadline only concerns its body. A
// ResponseWriter without deadlines (a test recorder) is left alone.
func bodyDeadline(w http.ResponseWriter, d time.Duration) {
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(d))
}
