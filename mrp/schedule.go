package mrp

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// Job is one order for [ScheduleJobs]: operations in sequence, each on a
// work center, to be placed on the work centers' free capacity.
type Job struct {
	ID       string
	Priority int // higher is scheduled first
	// Due is the day the last operation should finish (day 0 is the
	// first schedulable day).
	Due int
	// Release is the planned start; informational (a job that does not
	// fit backwards from Due starts as early as it can: day 0 or when
	// the jobs it waits for are done).
	Release int
	// Earliest is the first day any operation may use (material: the
	// day its purchased components arrive); 0 for none.
	Earliest int
	Ops      []JobOp
	// After lists jobs (indices) that must finish before this one starts
	// (the orders of its components).
	After []int
}

// JobOp is one operation of a [Job].
type JobOp struct {
	WorkCenter string
	Hours      float64
}

// DayHours is the hours of an operation on one day.
type DayHours struct {
	Day   int
	Hours float64
}

// JobPlan is where [ScheduleJobs] put a job.
type JobPlan struct {
	// Start and Finish are the days of the first operation's first hour
	// and the last operation's last hour (Start = Finish = the earliest
	// possible day for a job without operations).
	Start, Finish int
	// Forward is set when the job did not fit backwards from its due
	// date and was scheduled forwards as early as possible.
	Forward bool
	// Late is how many days after Due it finishes (0 when on time).
	Late int
	// Ops are the operations' days, in sequence.
	Ops []OpPlan
	// Unscheduled says why the job could not be placed within the
	// schedule's days (a work center without capacity); then the other
	// fields are zero.
	Unscheduled string
	// held is what held a late job's start: the job (index) it waited
	// for, heldEarliest for its Earliest day, heldNone when it was not
	// held (it started after the day it could have).
	held int32
	// heldTo is the day held ends (the earliest day the job may start);
	// heldToo is set for a held job that, once started, took longer than
	// its lead time (its work centers' capacity delayed it as well)
	heldTo  int32
	heldToo bool
}

const (
	heldNone     = -1
	heldEarliest = -2
)

// OpPlan is one operation's place in a [JobPlan].
type OpPlan struct {
	Start, Finish int
	Days          []DayHours
}

// ScheduleJobs schedules jobs finitely on days [0, days) of work centers
// whose free hours on a day are avail(work center, day): in order of
// priority (highest first), then due day, then ID, each job's operations
// in sequence (an operation starts on or after the day the one before it
// finishes, and may share that day), each on its work center's hours not
// yet taken by an earlier job. A job is first placed backwards from the
// end of its due day, as late as capacity allows; when that would start
// before day 0, before Earliest or before a job in After finishes, it is placed forwards
// from that earliest day instead. A job's After jobs are scheduled before
// it whatever their priority. Operations of zero hours take no capacity
// and sit on the day they could start.
func ScheduleJobs(jobs []Job, days int, avail func(wc string, day int) float64) ([]JobPlan, error) {
	return scheduleJobs(context.Background(), jobs, days, avail)
}

// scheduleJobs is ScheduleJobs, given up with ctx's error when ctx ends.
func scheduleJobs(ctx context.Context, jobs []Job, days int, avail func(wc string, day int) float64) ([]JobPlan, error) {
	js := &jobSet{
		id:       func(j int) string { return jobs[j].ID },
		prio:     make([]int, len(jobs)),
		due:      make([]int, len(jobs)),
		earliest: make([]int, len(jobs)),
		opAt:     make([]int32, len(jobs)+1),
		afterAt:  make([]int32, len(jobs)+1),
	}
	nops, nafter := 0, 0
	for j := range jobs {
		nops, nafter = nops+len(jobs[j].Ops), nafter+len(jobs[j].After)
	}
	js.opW, js.opH, js.after = make([]int32, 0, nops), make([]float64, 0, nops), make([]int32, 0, nafter)
	for j := range jobs {
		jb := &jobs[j]
		js.prio[j], js.due[j], js.earliest[j] = jb.Priority, jb.Due, jb.Earliest
		for _, op := range jb.Ops {
			js.opW, js.opH = append(js.opW, js.wc(op.WorkCenter)), append(js.opH, op.Hours)
		}
		js.opAt[j+1] = int32(len(js.opW))
		for _, a := range jb.After {
			if a < 0 || a >= len(jobs) || a == j {
				return nil, fmt.Errorf("%w: schedule: job %s waits for job %d", ErrInvalid, jb.ID, a)
			}
			js.after = append(js.after, int32(a))
		}
		js.afterAt[j+1] = int32(len(js.after))
	}
	out := &planSink{plans: make([]JobPlan, len(jobs)), ops: make([]OpPlan, len(js.opW)), opAt: js.opAt}
	if err := placeJobs(ctx, js, days, avail, out); err != nil {
		return nil, err
	}
	return out.plans, nil
}

// jobSet is what placeJobs places: jobs 0..len(due)-1 as columns (a
// finite schedule's millions of jobs as [Job]s, each with its lists,
// took ~600 MB on the 50k default plant beside the orders they become).
type jobSet struct {
	id                  func(j int) string
	prio, due, earliest []int // see Job
	// release is each job's lead-time release day (nil: unknown), to
	// tell a late arrival of what it waits for from one on time
	release []int32
	// job j's operations are opW[opAt[j]:opAt[j+1]] (work centers, as
	// indices into wcs) and opH (hours) likewise
	opAt []int32
	opW  []int32
	opH  []float64
	wcs  []string
	// job j waits for the jobs after[afterAt[j]:afterAt[j+1]]
	afterAt []int32
	after   []int32
	// wcIx indexes wcs, lastWC and lastW are the last name asked of wc
	wcIx   map[string]int32
	lastWC string
	lastW  int32
}

// wc returns work center name's index in js.wcs, adding it if new
// (operations in a row mostly name the same work center: no map
// lookup then).
func (js *jobSet) wc(name string) int32 {
	if js.wcIx != nil && name == js.lastWC {
		return js.lastW
	}
	if js.wcIx == nil {
		js.wcIx = map[string]int32{}
	}
	w, ok := js.wcIx[name]
	if !ok {
		w = int32(len(js.wcs))
		js.wcIx[name] = w
		js.wcs = append(js.wcs, name)
	}
	js.lastWC, js.lastW = name, w
	return w
}

// sink is where placeJobs puts each job: put receives job j's plan
// (plan.Ops are the scheduler's, valid during the call only; their Days
// are kept); touch reads what put will write first (see
// scheduler.touch) and returns something of it.
type sink interface {
	put(j int, plan *JobPlan)
	touch(j int, op int32) int
}

// planSink keeps the plans as [JobPlan]s, their operations in one list.
type planSink struct {
	plans []JobPlan
	ops   []OpPlan
	opAt  []int32
}

func (o *planSink) put(j int, plan *JobPlan) {
	pl := *plan
	pl.Ops = nil
	if plan.Unscheduled == "" {
		ops := o.ops[o.opAt[j]:o.opAt[j+1]:o.opAt[j+1]]
		copy(ops, plan.Ops)
		pl.Ops = ops
	}
	o.plans[j] = pl
}

func (o *planSink) touch(j int, op int32) int {
	t := o.plans[j].Late
	if int(op) < len(o.ops) {
		t += o.ops[op].Start
	}
	return t
}

// placeJobs is scheduleJobs of the jobs js, put into out.
func placeJobs(ctx context.Context, js *jobSet, days int, avail func(wc string, day int) float64, out sink) error {
	if days < 1 {
		return fmt.Errorf("%w: schedule: %d days", ErrInvalid, days)
	}
	n := len(js.due)
	s := &scheduler{days: days, js: js, out: out, state: make([]uint8, n), wcs: js.wcs}
	s.fin = make([]int, n)
	maxOps := 0
	for j := range n {
		if j%(16*cancelEvery) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		o0, o1 := js.opAt[j], js.opAt[j+1]
		maxOps = max(maxOps, int(o1-o0))
		for _, h := range js.opH[o0:o1] {
			if !(h >= 0 && h < 1e12) {
				return fmt.Errorf("%w: schedule: order %s needs an operation of %.4g hours, more than a schedule takes (below 1e12): its quantity is too large for its routing", ErrInvalid, js.id(j), h)
			}
		}
		for _, a := range js.after[js.afterAt[j]:js.afterAt[j+1]] {
			if a < 0 || int(a) >= n || int(a) == j {
				return fmt.Errorf("%w: schedule: job %s waits for job %d", ErrInvalid, js.id(j), a)
			}
		}
	}
	// the operations' plans of the job being placed (put copies them)
	s.opPlans = make([]OpPlan, maxOps)
	s.free = make([][]float64, len(s.wcs))
	s.next = make([][]int32, len(s.wcs))
	s.prev = make([][]int32, len(s.wcs))
	flat := make([]float64, len(s.wcs)*days)
	links := make([]int32, 2*len(s.wcs)*(days+1))
	for w, wc := range s.wcs {
		s.free[w] = flat[w*days : (w+1)*days : (w+1)*days]
		// next[d] / prev[d+1]: union-find over full days; index days is a
		// sentinel past the end, prev index 0 one before day 0
		s.next[w] = links[2*w*(days+1) : (2*w+1)*(days+1)]
		s.prev[w] = links[(2*w+1)*(days+1) : (2*w+2)*(days+1)]
		for d := range days {
			s.free[w][d] = max(avail(wc, d), 0)
		}
		for d := range days + 1 {
			s.next[w][d] = int32(d)
			s.prev[w][d] = int32(d)
		}
		for d := range days {
			if s.free[w][d] <= capEps {
				s.markFull(w, d)
			}
		}
	}
	// by priority, due day and ID, stably: keys side by side sorted by
	// priority, due day and index (no two alike), then each run of one
	// priority and due day stably by ID; a million jobs' keys rather
	// than a million far reads a comparison, and IDs compared only
	// within a run
	keys := make([]jobKey, n)
	for j := range n {
		keys[j] = jobKey{js.prio[j], js.due[j], int32(j)}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := sortJobKeys(ctx, keys); err != nil {
		return err
	}
	done := 0 // keys sorted by ID since the last look at ctx
	// a run's keys beside their jobs' IDs, read in one loop whose reads
	// do not wait on each other (the comparisons read each job's ID
	// from the job: two misses a comparison, 2 of the 15 CPU-s of
	// placing the 50k default plant's jobs)
	type idKey struct {
		id string
		k  jobKey
	}
	var run []idKey
	for a := 0; a < len(keys); {
		b := a + 1
		for b < len(keys) && keys[b].prio == keys[a].prio && keys[b].due == keys[a].due {
			b++
		}
		if b-a > 1 {
			run = run[:0]
			for _, k := range keys[a:b] {
				run = append(run, idKey{js.id(int(k.j)), k})
			}
			slices.SortStableFunc(run, func(x, y idKey) int { return cmp.Compare(x.id, y.id) })
			for n := range run {
				keys[a+n] = run[n].k
			}
			if done += b - a; done >= cancelEvery {
				if err := ctx.Err(); err != nil {
					return err
				}
				done = 0
			}
		}
		a = b
	}
	// in windows of the keys: what each job needs read first for the
	// whole window, in a loop whose reads do not wait on each other (the
	// jobs lie all over memory; read as each is placed, they missed the
	// cache one after another)
	const window = 256
	refs := make([]jobRef, window)
	for a := 0; a < len(keys); a += window {
		if a%cancelEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		ks := keys[a:min(a+window, len(keys))]
		for n, k := range ks {
			refs[n] = s.ref(int(k.j))
		}
		for n := range ks {
			s.touch(&refs[n])
		}
		for n := range ks {
			if err := s.schedule(&refs[n]); err != nil {
				return err
			}
		}
	}
	return nil
}

// jobRef is what placing job j reads of it.
type jobRef struct {
	j             int
	o0, o1        int32 // its operations: opW, opH[o0:o1]
	due, earliest int
	after         []int32
}

func (s *scheduler) ref(j int) jobRef {
	js := s.js
	return jobRef{j: j, o0: js.opAt[j], o1: js.opAt[j+1], due: js.due[j], earliest: js.earliest[j], after: js.after[js.afterAt[j]:js.afterAt[j+1]]}
}

// touch reads what placing r will read and write first (where its plan
// goes, the state of the first job it waits for), so that a window's
// misses overlap; the sum is kept so that the reads are made.
func (s *scheduler) touch(r *jobRef) {
	t := s.out.touch(r.j, r.o0)
	if len(r.after) > 0 {
		t += int(s.state[r.after[0]])
	}
	s.sink += t
}

// jobKey is a job's place in the order ScheduleJobs places jobs in:
// priority, due day and index j.
type jobKey struct {
	prio, due int
	j         int32
}

// countSortMax is the widest range of due days or priorities
// sortJobKeys sorts by counting.
const countSortMax = 1 << 20

// sortJobKeys sorts keys, given in index order, by priority (higher
// first), then due day, then index: by counting, stably, first by due day
// and then by priority, when both lie within countSortMax of each other
// (a finite schedule's do: days of the horizon, a few priorities), which
// takes two passes over the keys and looks at ctx between them;
// otherwise by comparison. It returns ctx's error if ctx ends first. (A
// comparison sort of the 5.3 million jobs of the 50,000-item default
// plant took ~1.5 s without a look at ctx.)
func sortJobKeys(ctx context.Context, keys []jobKey) error {
	if len(keys) < 2 {
		return nil
	}
	loD, hiD, loP, hiP := keys[0].due, keys[0].due, keys[0].prio, keys[0].prio
	for _, k := range keys {
		loD, hiD, loP, hiP = min(loD, k.due), max(hiD, k.due), min(loP, k.prio), max(hiP, k.prio)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if uint64(hiD-loD) >= countSortMax || uint64(hiP-loP) >= countSortMax {
		slices.SortFunc(keys, func(x, y jobKey) int {
			if x.prio != y.prio {
				return cmp.Compare(y.prio, x.prio)
			}
			if x.due != y.due {
				return cmp.Compare(x.due, y.due)
			}
			return cmp.Compare(x.j, y.j)
		})
		return ctx.Err()
	}
	tmp := make([]jobKey, len(keys))
	// by due day (index order kept within a day), into tmp
	countSort(keys, tmp, hiD-loD+1, func(k jobKey) int { return k.due - loD })
	if err := ctx.Err(); err != nil {
		return err
	}
	// by priority, higher first (day order kept), back into keys
	countSort(tmp, keys, hiP-loP+1, func(k jobKey) int { return hiP - k.prio })
	return ctx.Err()
}

// countSort copies src into dst stably ordered by the bucket of each key
// (0 <= bucket(k) < n).
func countSort(src, dst []jobKey, n int, bucket func(jobKey) int) {
	at := make([]int, n+1)
	for _, k := range src {
		at[bucket(k)+1]++
	}
	for b := 1; b <= n; b++ {
		at[b] += at[b-1]
	}
	for _, k := range src {
		b := bucket(k)
		dst[at[b]] = k
		at[b]++
	}
}

// cancelEvery is how many jobs (or items) a finite schedule places (or
// links) between two looks at its context: a few milliseconds' worth on
// the 50,000-item default plant.
const cancelEvery = 1024

type scheduler struct {
	days  int
	js    *jobSet
	out   sink
	state []uint8        // 0 new, 1 in progress, 2 placed, 3 not placed
	fin   []int          // a placed job's Finish
	why   map[int]string // a job not placed: why
	sink  int            // see touch
	wcs   []string
	// cur is the plan of the job being placed, opPlans its operations'
	cur     JobPlan
	opPlans []OpPlan
	// slab holds the operations' days (DayHours), cut as they are
	// placed; a job's operations take theirs from slab[slabAt:]
	slab   []DayHours
	slabAt int
	free   [][]float64
	// next[w][d] leads (union-find) to the first day >= d with free hours
	// (days when none); prev[w][d+1] to the last day <= d with free hours,
	// plus one (0 when none).
	next, prev [][]int32
	taken      []take // the current job's tentative allocations
}

type take struct {
	w, d int
	h    float64
}

func find(a []int32, x int32) int32 {
	r := x
	for a[r] != r {
		r = a[r]
	}
	for a[x] != r {
		a[x], x = r, a[x]
	}
	return r
}

func (s *scheduler) markFull(w, d int) {
	s.next[w][d] = int32(d + 1)
	s.prev[w][d+1] = int32(d)
}

// nextFree is the first day >= d with free hours on w (s.days if none).
func (s *scheduler) nextFree(w, d int) int { return int(find(s.next[w], int32(d))) }

// prevFree is the last day <= d with free hours on w (-1 if none).
func (s *scheduler) prevFree(w, d int) int { return int(find(s.prev[w], int32(d+1))) - 1 }

func (s *scheduler) schedule(r *jobRef) error {
	j := r.j
	switch s.state[j] {
	case 2, 3:
		return nil
	case 1:
		return fmt.Errorf("%w: schedule: job %s waits for itself", ErrInvalid, s.js.id(j))
	}
	s.state[j] = 1
	earliest := max(0, r.earliest)
	// held: what the start waits for, the latest of its purchased
	// components' arrival and the jobs it waits for
	held := int32(heldNone)
	if earliest > 0 {
		held = heldEarliest
	}
	for _, a := range r.after {
		if s.state[a] < 2 {
			ra := s.ref(int(a))
			if err := s.schedule(&ra); err != nil {
				return err
			}
		}
		if s.state[a] == 2 {
			if s.fin[a] > earliest {
				earliest, held = s.fin[a], a
			}
		} else {
			s.unscheduled(j, "waits for "+s.js.id(int(a))+": "+s.why[int(a)])
			return nil
		}
	}
	s.state[j] = 2
	plan := &s.cur
	*plan = JobPlan{Ops: s.opPlans[:r.o1-r.o0]}
	ws, hs := s.js.opW[r.o0:r.o1], s.js.opH[r.o0:r.o1]
	if s.backward(r.due, ws, hs, plan, earliest) {
		s.commit()
	} else {
		s.rollback()
		plan.Forward = true
		if why := s.forward(ws, hs, plan, earliest); why != "" {
			s.rollback()
			s.unscheduled(j, why)
			return nil
		}
		s.commit()
	}
	if len(ws) == 0 {
		plan.Start, plan.Finish = earliest, earliest
	} else {
		plan.Start, plan.Finish = plan.Ops[0].Start, plan.Ops[len(ws)-1].Finish
	}
	plan.Late = max(0, plan.Finish-r.due)
	// a late job was held by what it waited for when that came after its
	// release day (without release days: when it started on that day);
	// its work centers delayed it too when it took longer from then on
	// than its lead time's days from release to due
	switch {
	case plan.Late == 0:
		held = heldNone
	case s.js.release == nil:
		if plan.Start > earliest {
			held = heldNone
		}
	case earliest <= int(s.js.release[j]):
		held = heldNone
	default:
		plan.heldToo = plan.Finish > earliest+r.due-int(s.js.release[j])
	}
	plan.held, plan.heldTo = held, int32(earliest)
	s.fin[j] = plan.Finish
	s.out.put(j, plan)
	return nil
}

// unscheduled marks job j as not placed, for reason why.
func (s *scheduler) unscheduled(j int, why string) {
	if s.why == nil {
		s.why = map[int]string{}
	}
	s.why[j] = why
	s.state[j] = 3
	s.cur = JobPlan{Unscheduled: why}
	s.out.put(j, &s.cur)
}

// backward places the job's operations from the end of its due day
// backwards; false when they would start before earliest.
func (s *scheduler) backward(due int, ws []int32, hs []float64, plan *JobPlan, earliest int) bool {
	d := min(due, s.days-1)
	if d < earliest {
		return false
	}
	for k := len(ws) - 1; k >= 0; k-- {
		w := int(ws[k])
		left := hs[k]
		op := &plan.Ops[k]
		op.Days = nil
		if left <= capEps {
			op.Start, op.Finish = d, d
			continue
		}
		last := -1
		days := s.days0()
		for left > capEps {
			d = s.prevFree(w, d)
			if d < earliest {
				return false
			}
			h := min(left, s.free[w][d])
			if h <= capEps { // used up by this job's own earlier (later-sequence) operation
				d--
				continue
			}
			s.take(w, d, h)
			days = append(days, DayHours{Day: d, Hours: h})
			left -= h
			if last < 0 {
				last = d
			}
			if left > capEps {
				d--
			}
		}
		slices.Reverse(days)
		op.Days = s.cut(days)
		op.Start, op.Finish = d, last
	}
	return true
}

// forward places the job's operations from day earliest forwards; a
// reason when a work center has no free hours left within the days.
func (s *scheduler) forward(ws []int32, hs []float64, plan *JobPlan, earliest int) string {
	d := earliest
	for k := range ws {
		w := int(ws[k])
		left := hs[k]
		op := &plan.Ops[k]
		op.Days = nil
		if left <= capEps {
			op.Start, op.Finish = min(d, s.days-1), min(d, s.days-1)
			continue
		}
		first := -1
		days := s.days0()
		for left > capEps {
			d = s.nextFree(w, d)
			if d >= s.days {
				return fmt.Sprintf("work center %s has no free capacity left for operation %d within %d days", s.wcs[w], k+1, s.days)
			}
			h := min(left, s.free[w][d])
			if h <= capEps {
				d++
				continue
			}
			s.take(w, d, h)
			days = append(days, DayHours{Day: d, Hours: h})
			left -= h
			if first < 0 {
				first = d
			}
			if left > capEps {
				d++
			}
		}
		op.Days = s.cut(days)
		op.Start, op.Finish = first, d
	}
	return ""
}

// slabSize is how many operation days one slab holds.
const slabSize = 1 << 14

// days0 returns an empty list to append an operation's days to: the free
// end of the slab (a list that outgrows it is copied out by append).
func (s *scheduler) days0() []DayHours {
	if len(s.slab)-s.slabAt < 64 {
		s.slab, s.slabAt = make([]DayHours, slabSize), 0
	}
	return s.slab[s.slabAt:s.slabAt:len(s.slab)]
}

// cut keeps days, made from days0, as an operation's: the slab's space it
// took is not given out again (nor written through the list's capacity).
func (s *scheduler) cut(days []DayHours) []DayHours {
	if len(days) == 0 {
		return nil
	}
	if len(s.slab) > s.slabAt && &days[0] == &s.slab[s.slabAt] {
		s.slabAt += len(days)
	}
	return days[:len(days):len(days)]
}

func (s *scheduler) take(w, d int, h float64) {
	s.free[w][d] -= h
	s.taken = append(s.taken, take{w, d, h})
}

func (s *scheduler) commit() {
	for _, t := range s.taken {
		if s.free[t.w][t.d] <= capEps {
			s.markFull(t.w, t.d)
		}
	}
	s.taken = s.taken[:0]
}

func (s *scheduler) rollback() {
	for _, t := range s.taken {
		s.free[t.w][t.d] += t.h
	}
	s.taken = s.taken[:0]
}
