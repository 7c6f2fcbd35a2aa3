package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress shows a spinner with label and the elapsed time on w while a
// slow step runs (one RPC: there is no finer progress to show), only when
// w is a terminal; the returned function ends it and clears the line.
func progress(w io.Writer, label string) (stop func()) {
	f, ok := w.(*os.File)
	if !ok || !isTerminal(f) {
		return func() {}
	}
	done, finished := make(chan struct{}), make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		const frames = `|/-\`
		for i := 0; ; i++ {
			select {
			case <-done:
				fmt.Fprint(f, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprintf(f, "\r%c %s %.1fs", frames[i%len(frames)], label, time.Since(start).Seconds())
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
