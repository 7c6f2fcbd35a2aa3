package benchmarks

import (
	"bytes"
	"os"
	"strconv"
	"time"
)

// watchChildPeak samples the peak resident set (VmHWM) of the running
// process pid until stop is called, and stop returns the highest value
// read, in bytes (0 when none could be read).
//
// The rusage of an ended child is not the child's own peak on Linux: a
// child started by a large process (os/exec forks with the parent's
// memory) carries the parent's high-water mark across exec into its
// ru_maxrss, so a bench process of 2.6 GB reported every command it ran
// as 2.6 GB. VmHWM belongs to the child's own address space after exec;
// it only grows, so the last sample before the child ends is its peak up
// to a few milliseconds.
func watchChildPeak(pid int) (stop func() uint64) {
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	done := make(chan struct{})
	res := make(chan uint64, 1)
	go func() {
		var peak uint64
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			if v := readHWM(path); v > peak {
				peak = v
			}
			select {
			case <-done:
				res <- peak
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); return <-res }
}

// readHWM reads the VmHWM line of a /proc status file, in bytes.
func readHWM(path string) uint64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	_, after, ok := bytes.Cut(b, []byte("VmHWM:"))
	if !ok {
		return 0
	}
	line, _, _ := bytes.Cut(after, []byte("\n"))
	f := bytes.Fields(line) // "123456", "kB"
	if len(f) == 0 {
		return 0
	}
	kb, err := strconv.ParseUint(string(f[0]), 10, 64)
	if err != nil {
		return 0
	}
	return kb * 1024
}
