package benchmarks

import (
	"strings"
	"testing"
	"time"
)

var sink []byte

// TestHarnessCount: "5x" runs the body exactly five times; Loop's first
// call starts the timer, so setup before it is not counted.
func TestHarnessCount(t *testing.T) {
	calls, body := 0, 0
	res, err := runBench(func(b B) {
		calls++
		time.Sleep(30 * time.Millisecond) // setup: not timed
		for b.Loop() {
			body++
		}
		b.ReportMetric(42, "things/op")
	}, benchTime{n: 5})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || body != 5 || res.N != 5 {
		t.Fatalf("calls %d, body %d, N %d; want 1, 5, 5", calls, body, res.N)
	}
	if res.T >= 30*time.Millisecond {
		t.Errorf("timed %v: the setup sleep was counted", res.T)
	}
	if res.Extra["things/op"] != 42 {
		t.Errorf("extra = %v, want things/op 42", res.Extra)
	}
}

// TestHarnessAllocs: each iteration makes one 1 MiB allocation (escaping
// to sink), so allocs/op is at least 1 and B/op at least 1 MiB; the
// allocations made while the timer is stopped (ten more of 1 MiB) are not
// counted, so B/op stays below 2 MiB.
func TestHarnessAllocs(t *testing.T) {
	res, err := runBench(func(b B) {
		b.ReportAllocs()
		for b.Loop() {
			sink = make([]byte, 1<<20)
			b.StopTimer()
			for range 10 {
				sink = make([]byte, 1<<20)
			}
			b.StartTimer()
		}
	}, benchTime{n: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.AllocsPerOp() < 1 || res.BytesPerOp() < 1<<20 || res.BytesPerOp() >= 2<<20 {
		t.Fatalf("allocs/op %d, B/op %d; want >= 1 and in [1 MiB, 2 MiB)", res.AllocsPerOp(), res.BytesPerOp())
	}
}

// TestHarnessBudget: a 40 ms budget over 10 ms iterations runs about four
// of them (at least 4: the budget is of timed time; a loaded machine may
// oversleep, so only a loose upper bound), and ns/op is about 10 ms.
func TestHarnessBudget(t *testing.T) {
	res, err := runBench(func(b B) {
		for b.Loop() {
			time.Sleep(10 * time.Millisecond)
		}
	}, benchTime{d: 40 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.N < 1 || res.N > 4 || res.T < 40*time.Millisecond {
		t.Fatalf("N %d in %v; want 1-4 iterations covering 40ms", res.N, res.T)
	}
	if ns := res.NsPerOp(); ns < int64(10*time.Millisecond) {
		t.Errorf("ns/op %d, want >= 10 ms", ns)
	}
}

// TestHarnessFatal: Fatal stops the benchmark and Run reports its text.
func TestHarnessFatal(t *testing.T) {
	after := false
	_, err := runBench(func(b B) {
		for b.Loop() {
			b.Fatalf("engine said %s", "no")
			after = true
		}
	}, benchTime{n: 3})
	if err == nil || !strings.Contains(err.Error(), "engine said no") || after {
		t.Fatalf("err %v, ran past Fatal %v", err, after)
	}
	if _, err := runBench(func(B) {}, benchTime{n: 1}); err == nil {
		t.Fatal("a function that never calls Loop: no error")
	}
}

func TestParseBenchTime(t *testing.T) {
	for _, c := range []struct {
		in   string
		want benchTime
		bad  bool
	}{
		{"", benchTime{d: time.Second}, false},
		{"5x", benchTime{n: 5}, false},
		{"200ms", benchTime{d: 200 * time.Millisecond}, false},
		{"0x", benchTime{}, true},
		{"-1s", benchTime{}, true},
		{"fast", benchTime{}, true},
	} {
		got, err := parseBenchTime(c.in)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("parseBenchTime(%q) = %v, %v", c.in, got, err)
		}
	}
}
