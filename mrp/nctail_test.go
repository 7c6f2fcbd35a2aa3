package mrp_test

import (
	"fmt"
	"math"
	"runtime"
	"runtime/metrics"
	"slices"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/cputime"
	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// ncStep is what BenchmarkNetChangeTail records of one net change.
type ncStep struct {
	k                    int
	wall, cpu, ser       time.Duration
	touched, reqs        int
	runDays              int    // requirement changes left after summing per item and day
	orderDays            int    // order-days of the plan that changed (ncOrderDays)
	gcs                  uint64 // GC cycles that ended during the change
	heap, live           uint64 // heap objects' bytes after the change; live heap at the last GC
	gcCPU                time.Duration
	alloc                uint64
	levels               []mrp.NCLevel
	pre, plan, imbalance time.Duration // summed over levels
	startLat, joinLat    time.Duration
	post, rest           time.Duration
	// of rest: the ID lists, the counters, pegChanged (NetChangeTraceEnd)
	idsT, cntT, pegT time.Duration
}

// BenchmarkNetChangeTail runs BenchmarkNetChange's steps on the 50k
// default plant with net change's level timing on, and logs where the
// slow changes' time goes: their size, garbage collection, the serial
// parts between levels, the workers' start and the wait for the last one.
// locked: the calling goroutine locked to its thread, as in
// BenchmarkNetChange (which measures its thread's CPU time); free: not,
// as a server's request goroutine; free before and after locked, as the
// first run also pays for growing scratch space and order lists.
func BenchmarkNetChangeTail(b *testing.B) {
	in, p := defaultPlanner(b, 50000)
	for _, locked := range []bool{false, true, false} {
		name := "free"
		if locked {
			name = "locked"
		}
		b.Run(name, func(b *testing.B) {
			if locked {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
			}
			mrp.TraceNetChange(p, true)
			defer mrp.TraceNetChange(p, false)
			ms := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}, {Name: "/cpu/classes/gc/total:cpu-seconds"}, {Name: "/gc/heap/allocs:bytes"},
				{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
			read := func() (uint64, float64, uint64) {
				metrics.Read(ms)
				return ms[0].Value.Uint64(), ms[1].Value.Float64(), ms[2].Value.Uint64()
			}
			var steps []ncStep
			k := 0
			b.ReportAllocs()
			for b.Loop() {
				ch := changeDemand(in, k)
				g0, gc0, a0 := read()
				e0, an0 := mrp.NetChangeRequirementChanges(p), mrp.NetChangeAnatomy(p)
				t0, c0, s0 := time.Now(), cputime.Process(), cputime.Thread()
				res, err := p.Apply(ch)
				wall := time.Since(t0)
				st := ncStep{k: k, wall: wall, cpu: cputime.Process() - c0, ser: cputime.Thread() - s0}
				k++
				if err != nil {
					b.Fatal(err)
				}
				g1, gc1, a1 := read()
				st.gcs, st.gcCPU, st.alloc = g1-g0, time.Duration((gc1-gc0)*1e9), a1-a0
				st.heap, st.live = ms[3].Value.Uint64(), ms[4].Value.Uint64()
				st.runDays = mrp.NetChangeAnatomy(p).Sub(an0).RunDays
				st.touched, st.reqs = res.NumTouched(), mrp.NetChangeRequirementChanges(p)-e0
				st.levels = mrp.NetChangeTrace(p)
				var last time.Duration
				for _, l := range st.levels {
					st.pre += l.Laid - l.Start
					st.plan += l.Joined - l.Laid
					st.post += l.End - l.Joined
					last = l.End
					if l.Parallel {
						st.startLat += slices.Min(l.WStart) - l.Laid
						st.imbalance += slices.Max(l.WEnd) - slices.Min(l.WEnd)
						st.joinLat += l.Joined - slices.Max(l.WEnd)
					}
				}
				st.rest = wall - last
				ie, ce, pe := mrp.NetChangeTraceEnd(p)
				st.idsT, st.cntT, st.pegT = ie-last, ce-ie, pe-ce
				steps = append(steps, st)
			}
			n := len(steps)
			for j, d := range ncOrderDays(b, in, n) {
				steps[j].orderDays = d
			}
			pct := func(f func(s ncStep) time.Duration, q float64) float64 {
				v := make([]time.Duration, n)
				for j, s := range steps {
					v[j] = f(s)
				}
				slices.Sort(v)
				return float64(v[int(q*float64(n-1))].Microseconds()) / 1000
			}
			wallOf := func(s ncStep) time.Duration { return s.wall }
			b.ReportMetric(pct(wallOf, 0.5), "ms/netchange-p50")
			b.ReportMetric(pct(wallOf, 0.99), "ms/netchange-p99")
			b.ReportMetric(pct(func(s ncStep) time.Duration { return s.cpu }, 0.5), "cpu-ms/netchange-p50")
			b.ReportMetric(pct(func(s ncStep) time.Duration { return s.cpu }, 0.99), "cpu-ms/netchange-p99")
			if locked && cputime.ThreadMeasured {
				// the CPU time of the calling goroutine, locked to its
				// thread (net change's serial parts), and a bound on the
				// wall time with two free cores: the serial part plus
				// half of the rest
				bound2 := func(s ncStep) time.Duration { return s.ser + max(s.cpu-s.ser, 0)/2 }
				b.ReportMetric(pct(func(s ncStep) time.Duration { return s.ser }, 0.5), "cpu-ms/netchange-serial-p50")
				b.ReportMetric(pct(bound2, 0.5), "cpu-ms/netchange-2core-p50")
				b.ReportMetric(pct(bound2, 0.99), "cpu-ms/netchange-2core-p99")
			}
			if n < 50 {
				return
			}
			// the size of a change against its wall time
			var sx, sy, sxx, syy, sxy float64
			for _, s := range steps {
				x, y := float64(s.reqs), float64(s.wall.Microseconds())
				sx, sy, sxx, syy, sxy = sx+x, sy+y, sxx+x*x, syy+y*y, sxy+x*y
			}
			fn := float64(n)
			r := (fn*sxy - sx*sy) / math.Sqrt((fn*sxx-sx*sx)*(fn*syy-sy*sy))
			b.Logf("%d changes; correlation of wall time with requirement changes: %.2f", n, r)
			row := func(tag string, s ncStep) string {
				return fmt.Sprintf("%-6s wall %6.2f cpu %6.2f ser %5.2f | reqs %6d touched %5d | gc %d gcCPU %5.2f alloc %4dKB | pre %5.2f plan %6.2f (start %4.2f imbal %4.2f join %4.2f) post %4.2f rest %4.2f (ids %4.2f cnt %4.2f peg %4.2f)",
					tag, msOf(s.wall), msOf(s.cpu), msOf(s.ser), s.reqs, s.touched, s.gcs, msOf(s.gcCPU), s.alloc>>10,
					msOf(s.pre), msOf(s.plan), msOf(s.startLat), msOf(s.imbalance), msOf(s.joinLat), msOf(s.post), msOf(s.rest), msOf(s.idsT), msOf(s.cntT), msOf(s.pegT))
			}
			med := ncStep{}
			for _, f := range []struct {
				get func(s *ncStep) *time.Duration
			}{
				{func(s *ncStep) *time.Duration { return &s.wall }}, {func(s *ncStep) *time.Duration { return &s.cpu }},
				{func(s *ncStep) *time.Duration { return &s.ser }}, {func(s *ncStep) *time.Duration { return &s.gcCPU }},
				{func(s *ncStep) *time.Duration { return &s.pre }}, {func(s *ncStep) *time.Duration { return &s.plan }},
				{func(s *ncStep) *time.Duration { return &s.startLat }}, {func(s *ncStep) *time.Duration { return &s.imbalance }},
				{func(s *ncStep) *time.Duration { return &s.joinLat }}, {func(s *ncStep) *time.Duration { return &s.post }},
				{func(s *ncStep) *time.Duration { return &s.rest }},
				{func(s *ncStep) *time.Duration { return &s.idsT }}, {func(s *ncStep) *time.Duration { return &s.cntT }},
				{func(s *ncStep) *time.Duration { return &s.pegT }},
			} {
				*f.get(&med) = time.Duration(pct(func(s ncStep) time.Duration { return *f.get(&s) }, 0.5) * 1e6)
			}
			reqs := make([]int, n)
			for j, s := range steps {
				reqs[j] = s.reqs
			}
			slices.Sort(reqs)
			med.reqs = reqs[n/2]
			b.Log(row("p50s", med))
			if testing.Verbose() {
				for _, s := range steps {
					var lv []string
					for _, l := range s.levels {
						lv = append(lv, fmt.Sprintf("%d:%d/%d/%.2f", l.Level, l.Queued, l.Changes, msOf(l.Joined-l.Laid)))
					}
					b.Logf("step %d %.3f %.3f %d %d %d %v", s.k, msOf(s.wall), msOf(s.cpu), s.reqs, s.touched, s.gcs, lv)
				}
			}
			bySlow := slices.Clone(steps)
			slices.SortFunc(bySlow, func(a, b ncStep) int { return int(b.wall - a.wall) })
			for _, s := range bySlow[:8] {
				b.Log(row(fmt.Sprintf("#%d", s.k), s))
			}
			s := bySlow[0]
			for _, l := range s.levels {
				var slow mrp.NCChunk
				for _, ch := range l.Chunks {
					if ch.End-ch.Start > slow.End-slow.Start {
						slow = ch
					}
				}
				b.Logf("  slowest, level %d: %d queued, %d changes, parallel %v: start %.2f laid %.2f joined %.2f end %.2f; workers start %v end %v items %v; slowest chunk: worker %d items [%d, %d) %.2f ms ending %.2f",
					l.Level, l.Queued, l.Changes, l.Parallel, msOf(l.Start), msOf(l.Laid), msOf(l.Joined), msOf(l.End), l.WStart, l.WEnd, l.WItems,
					slow.W, slow.Lo, slow.Hi, msOf(slow.End-slow.Start), msOf(slow.End))
			}
			b.Log(ncTailTable(steps))
			bySize := slices.Clone(steps)
			slices.SortFunc(bySize, func(a, b ncStep) int { return b.reqs - a.reqs })
			for _, s := range bySize[:4] {
				b.Log(row(fmt.Sprintf("big#%d", s.k), s))
			}
		})
	}
}

// ncTailTable compares the slowest 5% of the steps by wall time with the
// middle tenth (ranks 45-55%): medians of each figure, the share of steps
// in which a GC cycle ended, and the ratio slow/median.
func ncTailTable(steps []ncStep) string {
	by := slices.Clone(steps)
	slices.SortFunc(by, func(a, b ncStep) int { return int(a.wall - b.wall) })
	n := len(by)
	mid := by[n*45/100 : n*55/100+1]
	slow := by[n-max(1, n*5/100):]
	med := func(g []ncStep, f func(s ncStep) float64) float64 {
		v := make([]float64, len(g))
		for j, s := range g {
			v[j] = f(s)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	rows := []struct {
		name string
		f    func(s ncStep) float64
	}{
		{"wall ms", func(s ncStep) float64 { return msOf(s.wall) }},
		{"CPU ms", func(s ncStep) float64 { return msOf(s.cpu) }},
		{"serial CPU ms", func(s ncStep) float64 { return msOf(s.ser) }},
		{"items touched", func(s ncStep) float64 { return float64(s.touched) }},
		{"requirement changes passed on", func(s ncStep) float64 { return float64(s.reqs) }},
		{"requirement changes summed (item-days)", func(s ncStep) float64 { return float64(s.runDays) }},
		{"order-days changed", func(s ncStep) float64 { return float64(s.orderDays) }},
		{"CPU ns per order-day changed", func(s ncStep) float64 { return float64(s.cpu.Nanoseconds()) / float64(max(1, s.orderDays)) }},
		{"steps with a GC cycle (share)", func(s ncStep) float64 { return float64(min(s.gcs, 1)) }},
		{"GC CPU ms", func(s ncStep) float64 { return msOf(s.gcCPU) }},
		{"KB allocated", func(s ncStep) float64 { return float64(s.alloc >> 10) }},
		{"heap objects MB", func(s ncStep) float64 { return float64(s.heap >> 20) }},
		{"live heap at last GC MB", func(s ncStep) float64 { return float64(s.live >> 20) }},
		{"wall in plan (levels) ms", func(s ncStep) float64 { return msOf(s.plan) }},
		{"workers' end spread ms", func(s ncStep) float64 { return msOf(s.imbalance) }},
	}
	out := fmt.Sprintf("\n| per change (medians) | middle tenth (%d) | slowest 5%% (%d) | slow/median |\n|---|---|---|---|\n", len(mid), len(slow))
	for _, r := range rows {
		m, sl := med(mid, r.f), med(slow, r.f)
		if r.name == "steps with a GC cycle (share)" {
			// a share, not a median
			m, sl = 0, 0
			for _, s := range mid {
				m += r.f(s) / float64(len(mid))
			}
			for _, s := range slow {
				sl += r.f(s) / float64(len(slow))
			}
		}
		ratio := "-"
		if m != 0 {
			ratio = fmt.Sprintf("%.2f", sl/m)
		}
		out += fmt.Sprintf("| %s | %.4g | %.4g | %s |\n", r.name, m, sl, ratio)
	}
	ks := make([]int, len(slow))
	for j, s := range slow {
		ks[j] = s.k
	}
	return out + fmt.Sprintf("slowest steps: %v", ks)
}

// ncOrderDays replays n of BenchmarkNetChangeTail's steps on a fresh
// planner of the same plant and counts, for each, the order-days of the
// plan that changed (the touched items' orders compared with a copy kept
// current). Done apart from the timed runs, whose caches and heap the
// copies would disturb; the steps are deterministic, so the counts are
// those of the timed steps. Cached per n.
func ncOrderDays(tb testing.TB, in *mrp.Input, n int) []int {
	if d, ok := ncDaysCache[n]; ok {
		return d
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		tb.Fatal(err)
	}
	snap := mrp.SnapshotPlan(p)
	days := make([]int, n)
	for k := range n {
		res, err := p.Apply(changeDemand(in, k))
		if err != nil {
			tb.Fatal(err)
		}
		for _, id := range res.Touched() {
			c, _, _ := mrp.ChangedOrderDays(p, snap, id)
			days[k] += c
			mrp.RefreshSnapshot(p, snap, id)
		}
	}
	ncDaysCache[n] = days
	return days
}

var ncDaysCache = map[int][]int{}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// TestNetChangeTrace: the level timing BenchmarkNetChangeTail reads adds
// up. On a 2,000-item plant with every level spread over the workers,
// each change's traced levels come in level order with their times in
// order, the queued items sum to the touched items, the requirement
// changes laid out sum to those passed on plus the two of the replaced
// sales-order line (its old quantity out, its new one in), and the
// workers of a parallel level planned all its items between its start and
// its join, in chunks that hold each of them once.
func TestNetChangeTrace(t *testing.T) {
	c := plantgen.Default(2000)
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	o := mrp.DefaultOptions()
	o.Workers = 2 // whatever GOMAXPROCS is
	p, err := mrp.New(in, o)
	if err != nil {
		t.Fatal(err)
	}
	mrp.SetNetChangeParallelMin(p, 1)
	mrp.TraceNetChange(p, true)
	parallel := 0
	for k := range 20 {
		ch := changeDemand(in, k)
		e0 := mrp.NetChangeRequirementChanges(p)
		res, err := p.Apply(ch)
		if err != nil {
			t.Fatal(err)
		}
		reqs := mrp.NetChangeRequirementChanges(p) - e0
		levels := mrp.NetChangeTrace(p)
		queued, changes := 0, 0
		for j, l := range levels {
			if j > 0 && l.Level <= levels[j-1].Level {
				t.Errorf("change %d: level %d traced after level %d", k, l.Level, levels[j-1].Level)
			}
			if !(l.Start <= l.Laid && l.Laid <= l.Joined && l.Joined <= l.End) {
				t.Errorf("change %d, level %d: times out of order: %v %v %v %v", k, l.Level, l.Start, l.Laid, l.Joined, l.End)
			}
			queued += l.Queued
			changes += l.Changes
			if !l.Parallel {
				continue
			}
			parallel++
			items := 0
			for w := range l.WItems {
				items += l.WItems[w]
				if l.WStart[w] < l.Laid || l.WEnd[w] < l.WStart[w] || l.WEnd[w] > l.Joined {
					t.Errorf("change %d, level %d: worker %d from %v to %v, level planned from %v to %v",
						k, l.Level, w, l.WStart[w], l.WEnd[w], l.Laid, l.Joined)
				}
			}
			if items != l.Queued {
				t.Errorf("change %d, level %d: workers planned %d items of %d", k, l.Level, items, l.Queued)
			}
			// the chunks: each queued item in exactly one, of at most 16,
			// each within its worker's time, a worker's in time order
			seen := make([]int, l.Queued)
			last := make([]time.Duration, len(l.WItems))
			for _, ch := range l.Chunks {
				if ch.Lo >= ch.Hi || ch.Hi-ch.Lo > 16 || ch.Hi > l.Queued {
					t.Errorf("change %d, level %d: chunk [%d, %d) of %d items", k, l.Level, ch.Lo, ch.Hi, l.Queued)
					continue
				}
				for h := ch.Lo; h < ch.Hi; h++ {
					seen[h]++
				}
				if ch.Start < l.WStart[ch.W] || ch.End < ch.Start || ch.End > l.WEnd[ch.W] || ch.Start < last[ch.W] {
					t.Errorf("change %d, level %d: worker %d's chunk from %v to %v (worker from %v to %v, its last chunk ended %v)",
						k, l.Level, ch.W, ch.Start, ch.End, l.WStart[ch.W], l.WEnd[ch.W], last[ch.W])
				}
				last[ch.W] = ch.End
			}
			for h, n := range seen {
				if n != 1 {
					t.Errorf("change %d, level %d: queued item %d in %d chunks", k, l.Level, h, n)
				}
			}
		}
		if queued != res.NumTouched() {
			t.Errorf("change %d: %d items queued over the levels, %d touched", k, queued, res.NumTouched())
		}
		if changes != reqs+2 {
			t.Errorf("change %d: %d requirement changes laid out, %d passed on + 2", k, changes, reqs)
		}
	}
	if parallel == 0 {
		t.Error("no level was planned by all workers")
	}
}

// TestChangeResultLists: ChangeResult.Touched lists each item once,
// Changed is the touched items (in the same order) whose orders or
// exception messages changed, and every item whose orders changed is in
// it; on a 600-item plant, levels planned by one worker and by two.
func TestChangeResultLists(t *testing.T) {
	// each change compares a formatted snapshot of the whole plan: smaller
	// under the race detector, where it took minutes
	items, changes := 400, 10
	if testing.Short() || raceEnabled {
		items, changes = 150, 4
	}
	for _, parMin := range []int{1 << 30, 1} {
		c := plantgen.Default(items)
		c.Seed = 3
		in, err := plantgen.Generate(c)
		if err != nil {
			t.Fatal(err)
		}
		o := mrp.DefaultOptions()
		o.Workers = 2
		p, err := mrp.New(in, o)
		if err != nil {
			t.Fatal(err)
		}
		mrp.SetNetChangeParallelMin(p, parMin)
		snap := func() map[string]string {
			m := ordersByItem(t, p)
			for _, e := range p.Exceptions() {
				m[e.Item+" exc"] += e.String() + ";"
			}
			return m
		}
		before := snap()
		changed := 0
		for k := range changes {
			d := in.Demands[(k/2*211)%len(in.Demands)]
			if k%2 == 0 {
				d.Qty += 7
			}
			res, err := p.Apply(mrp.SetDemand{Demand: d})
			if err != nil {
				t.Fatal(err)
			}
			after := snap()
			pos := map[string]int{}
			for j, id := range res.Touched() {
				if _, dup := pos[id]; dup {
					t.Fatalf("change %d: %s touched twice", k, id)
				}
				pos[id] = j
			}
			inChanged := map[string]bool{}
			last := -1
			for _, id := range res.Changed() {
				j, ok := pos[id]
				if !ok || j <= last {
					t.Fatalf("change %d: changed item %s not touched, or out of order", k, id)
				}
				last = j
				inChanged[id] = true
				if before[id] == after[id] && before[id+" exc"] == after[id+" exc"] {
					t.Errorf("change %d: %s listed as changed, its orders and exceptions are the same", k, id)
				}
			}
			for _, id := range p.Items() {
				if before[id] != after[id] && !inChanged[id] {
					t.Errorf("change %d (parallel min %d): %s's orders changed, not listed", k, parMin, id)
				}
			}
			changed += res.NumChanged()
			before = after
		}
		if changed == 0 {
			t.Fatal("no change changed any item")
		}
	}
}

// TestNCOrderDays: the order-days ncOrderDays counts per step with its copy
// kept current (touched items only) equal those counted against a full
// copy of the plan taken before each step, on a 2,000-item plant, and are
// not all zero.
func TestNCOrderDays(t *testing.T) {
	in, err := plantgen.Generate(plantgen.Default(2000))
	if err != nil {
		t.Fatal(err)
	}
	const n = 24
	got := ncOrderDays(t, in, n)
	delete(ncDaysCache, n)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for k := range n {
		ch := changeDemand(in, k)
		before := mrp.SnapshotPlan(p)
		if _, err := p.Apply(ch); err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, id := range p.Items() {
			c, _, _ := mrp.ChangedOrderDays(p, before, id)
			want += c
		}
		if got[k] != want {
			t.Errorf("step %d: %d order-days changed counted over the touched items, %d over the whole plan", k, got[k], want)
		}
		total += want
	}
	if total == 0 {
		t.Error("no step changed any order-day")
	}
}

// BenchmarkNetChangeCaller is BenchmarkNetChange's changes on the 50k
// default plant made from a goroutine locked to its thread and from one
// that is not, in alternating blocks of 50 changes (order swapped every
// other pair of blocks) in one process, on one planner: what locking the
// caller costs net change's wall time (its thread parked and woken at
// every parallel level's join). BenchmarkNetChange used to lock it to
// measure the serial part; a program calling Apply does not.
func BenchmarkNetChangeCaller(b *testing.B) {
	in, p := defaultPlanner(b, 50000)
	var lat [2][]time.Duration // free, locked
	k := 0
	step := func() time.Duration {
		ch := changeDemand(in, k)
		k++
		t0 := time.Now()
		if _, err := p.Apply(ch); err != nil {
			b.Error(err)
		}
		return time.Since(t0)
	}
	for range 20 { // the scratch space's first growth, in neither
		step()
	}
	blk := 0
	for b.Loop() {
		mode := blk % 2
		if blk/2%2 == 1 {
			mode = 1 - mode
		}
		blk++
		done := make(chan struct{})
		go func() {
			defer close(done)
			if mode == 1 {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
			}
			for range 50 {
				lat[mode] = append(lat[mode], step())
			}
		}()
		<-done
	}
	for m, name := range []string{"free", "locked"} {
		l := slices.Clone(lat[m])
		if len(l) == 0 {
			continue
		}
		slices.Sort(l)
		b.ReportMetric(float64(l[len(l)/2].Microseconds())/1000, name+"-ms/netchange-p50")
		b.ReportMetric(float64(l[len(l)*99/100].Microseconds())/1000, name+"-ms/netchange-p99")
	}
}

// BenchmarkNetChangeBig repeats one of BenchmarkNetChange's biggest
// changes on the 50k default plant (steps 140 and 141: the line
// in.Demands[70*7919 % len] up by 3 and back, ~835k requirement changes
// passed on each, ~5x the median), one pair per iteration, so that a
// profile or a CPU figure sees the tail's changes only. The calling
// goroutine is locked to its thread (as BenchmarkNetChange's was).
func BenchmarkNetChangeBig(b *testing.B) {
	in, p := defaultPlanner(b, 50000)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	d := in.Demands[(70*7919)%len(in.Demands)]
	up := d
	up.Qty += 3
	var wall, cpu []time.Duration
	e0 := mrp.NetChangeRequirementChanges(p)
	for b.Loop() {
		for _, x := range []mrp.Demand{up, d} {
			t0, c0 := time.Now(), cputime.Process()
			if _, err := p.Apply(mrp.SetDemand{Demand: x}); err != nil {
				b.Fatal(err)
			}
			wall, cpu = append(wall, time.Since(t0)), append(cpu, cputime.Process()-c0)
		}
	}
	slices.Sort(wall)
	slices.Sort(cpu)
	b.ReportMetric(msOf(wall[len(wall)/2]), "ms/netchange-p50")
	b.ReportMetric(msOf(cpu[len(cpu)/2]), "cpu-ms/netchange-p50")
	b.ReportMetric(float64(mrp.NetChangeRequirementChanges(p)-e0)/float64(len(wall)), "req-changes/op")
}

// TestNetChangeResultIDsHand: the result's lists of touched and changed
// items, planned alone and by two workers (every level parallel).
//
// A (make, lead time 0) needs 2 B a unit; B and C are bought, lead time
// 0. Demands: A 5 on day 1, C 3 on day 2. Plan: A 5@1, B 10@1, C 3@2.
//   - A's demand 5 -> 7: A 7@1 (level 0), so B 14@1 (level 1): touched
//     and changed [A B], in level order.
//   - C's demand 3 -> 1: C 1@2: touched and changed [C] (A and B, planned
//     by the last change, not listed again).
//   - A's demand 7 -> 6: A 6@1, B 12@1: [A B] again.
func TestNetChangeResultIDsHand(t *testing.T) {
	for _, parMin := range []int{1, 1 << 30} {
		in := &mrp.Input{
			Items: []mrp.Item{
				{ID: "A", Kind: mrp.Make, Components: []mrp.Component{{Item: "B", QtyPer: 2}}},
				{ID: "B", Kind: mrp.Buy}, {ID: "C", Kind: mrp.Buy},
			},
			Demands:  []mrp.Demand{dem("A1", "A", 5, 1), dem("C2", "C", 3, 2)},
			Calendar: everyDay(20),
		}
		p := twoWorkerPlanner(t, in, parMin)
		want(t, p, "A", "5@1/1")
		want(t, p, "B", "10@1/1")
		for _, c := range []struct {
			d                mrp.Demand
			touched, changed []string
		}{
			{dem("A1", "A", 7, 1), []string{"A", "B"}, []string{"A", "B"}},
			{dem("C2", "C", 1, 2), []string{"C"}, []string{"C"}},
			{dem("A1", "A", 6, 1), []string{"A", "B"}, []string{"A", "B"}},
		} {
			res, err := p.Apply(mrp.SetDemand{Demand: c.d})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Touched(), c.touched) || !slices.Equal(res.Changed(), c.changed) {
				t.Errorf("parMin %d, %s -> %d: touched %q changed %q; want %q %q", parMin, c.d.Item, c.d.Qty, res.Touched(), res.Changed(), c.touched, c.changed)
			}
		}
		want(t, p, "B", "12@1/1")
		want(t, p, "C", "1@2/2")
	}
}

// twoWorkerPlanner plans in with two workers, net change spreading levels
// of parMin or more queued items over them.
func twoWorkerPlanner(t *testing.T, in *mrp.Input, parMin int) *mrp.Planner {
	t.Helper()
	o := mrp.DefaultOptions()
	o.Workers = 2
	p, err := mrp.New(in, o)
	if err != nil {
		t.Fatal(err)
	}
	mrp.SetNetChangeParallelMin(p, parMin)
	return p
}

// TestNetChangeResultIDs: on the 2,000-item default plant, by two workers
// and alone, the result's lists equal the touched and changed items' IDs
// read by item, have no item twice, and Changed is a part of Touched in
// its order; a result's lists stay as they were through later changes,
// an item added (the items relinked) among them, and two results added
// up list the first's items, then the second's.
func TestNetChangeResultIDs(t *testing.T) {
	in, err := plantgen.Generate(plantgen.Default(2000))
	if err != nil {
		t.Fatal(err)
	}
	for _, parMin := range []int{1, 1 << 30} {
		p := twoWorkerPlanner(t, in, parMin)
		var prev *mrp.ChangeResult
		var prevT []string
		big := 0
		for k := range 12 {
			res, err := p.Apply(changeDemand(in, k))
			if err != nil {
				t.Fatal(err)
			}
			wt, wc := mrp.NetChangeItemIDs(p)
			if !slices.Equal(res.Touched(), wt) || !slices.Equal(res.Changed(), wc) {
				t.Fatalf("parMin %d, change %d: %d touched, %d changed; by item %d, %d (or the IDs differ)", parMin, k, res.NumTouched(), res.NumChanged(), len(wt), len(wc))
			}
			seen := map[string]bool{}
			j := 0
			for _, id := range res.Touched() {
				if seen[id] {
					t.Fatalf("change %d: %s touched twice", k, id)
				}
				seen[id] = true
				if j < res.NumChanged() && res.Changed()[j] == id {
					j++
				}
			}
			if j != res.NumChanged() {
				t.Errorf("change %d: Changed is not a part of Touched in its order", k)
			}
			if k == 6 {
				// a new item: the planner's item IDs are listed anew
				if _, err := p.Apply(mrp.SetItem{Item: mrp.Item{ID: fmt.Sprint("NEW", parMin), Kind: mrp.Buy}}); err != nil {
					t.Fatal(err)
				}
			}
			if prev != nil && !slices.Equal(prev.Touched(), prevT) {
				t.Errorf("change %d overwrote the last result's Touched", k)
			}
			if prev != nil {
				sum := &mrp.ChangeResult{}
				sum.Add(prev)
				sum.Add(res)
				if want := append(slices.Clone(prevT), res.Touched()...); !slices.Equal(sum.Touched(), want) || sum.NumChanged() != prev.NumChanged()+res.NumChanged() {
					t.Errorf("change %d: two results added up list %d touched, %d changed; want %d, %d", k, sum.NumTouched(), sum.NumChanged(), len(want), prev.NumChanged()+res.NumChanged())
				}
			}
			prev, prevT = res, slices.Clone(res.Touched())
			if res.NumChanged() > 100 {
				big++
			}
		}
		if big == 0 {
			t.Errorf("parMin %d: no change changed over 100 items", parMin)
		}
	}
}
