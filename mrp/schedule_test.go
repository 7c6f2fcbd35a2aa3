package mrp_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestScheduleJobsHandWorked: work center W has 8 h a day, V 8 h a day,
// days 0-9. In order of priority, then due day, then ID:
//
//	J2 (priority 5, due 1, W 12 h): backwards from day 1: 8 h on day 1,
//	    4 h on day 0.                                    -> days 0-1
//	J1 (due 2, W 10 h): 8 h on day 2; day 1 is full; 2 h of day 0's
//	    remaining 4 h.                                    -> days 0-2
//	J3 (due 2, W 6 h then V 4 h): backwards V takes 4 h of day 2, then
//	    W has only day 0's last 2 h before day 2: does not fit. Forwards
//	    from day 0: W 2 h on day 0, days 1 and 2 full, 4 h on day 3; V
//	    4 h on day 3.                          -> days 0-3, one day late
//	J4 (due 3, W 4 h, after J3): earliest day 3 (J3 finishes then);
//	    backwards: the last 4 h of W on day 3.            -> day 3
//	J5 (due 3, W 1 h, material on day 4): due before its earliest day:
//	    forwards from day 4: 1 h on day 4.       -> day 4, one day late
//
// W per day: 0: 4 + 2 + 2 = 8, 1: 8, 2: 8, 3: 4 + 4 = 8, 4: 1.
func TestScheduleJobsHandWorked(t *testing.T) {
	jobs := []mrp.Job{
		{ID: "J1", Due: 2, Ops: []mrp.JobOp{{WorkCenter: "W", Hours: 10}}},
		{ID: "J2", Due: 1, Priority: 5, Ops: []mrp.JobOp{{WorkCenter: "W", Hours: 12}}},
		{ID: "J3", Due: 2, Ops: []mrp.JobOp{{WorkCenter: "W", Hours: 6}, {WorkCenter: "V", Hours: 4}}},
		{ID: "J4", Due: 3, Ops: []mrp.JobOp{{WorkCenter: "W", Hours: 4}}, After: []int{2}},
		{ID: "J5", Due: 3, Earliest: 4, Ops: []mrp.JobOp{{WorkCenter: "W", Hours: 1}}},
	}
	plans, err := mrp.ScheduleJobs(jobs, 10, func(string, int) float64 { return 8 })
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"J1 0-2 late 0 W[0:2 2:8]",
		"J2 0-1 late 0 W[0:4 1:8]",
		"J3 0-3 late 1 forward W[0:2 3:4] V[3:4]",
		"J4 3-3 late 0 W[3:4]",
		"J5 4-4 late 1 forward W[4:1]",
	}
	for j, pl := range plans {
		if got := planLine(jobs[j], pl); got != want[j] {
			t.Errorf("got  %s\nwant %s", got, want[j])
		}
	}
}

// TestScheduleJobsOrder: W has 8 h a day and every job takes a whole
// day of it, due on day 0 or 1, so each job gets the first free day in
// the order they are taken: by priority, then due day, then ID, and jobs
// alike in all three (the two named A) in their order in the list. So
// C (priority 1) takes day 0; then the due-0 jobs A, A, B take days 1-3
// (index 1 before index 4, though B comes first in the list); then "0"
// (due 1, the smallest ID but a later due day), day 4.
func TestScheduleJobsOrder(t *testing.T) {
	w := []mrp.JobOp{{WorkCenter: "W", Hours: 8}}
	jobs := []mrp.Job{
		{ID: "B", Ops: w},
		{ID: "A", Ops: w},
		{ID: "0", Due: 1, Ops: w},
		{ID: "C", Priority: 1, Ops: w},
		{ID: "A", Ops: w},
	}
	plans, err := mrp.ScheduleJobs(jobs, 10, func(string, int) float64 { return 8 })
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"B 3-3 late 3 forward W[3:8]",
		"A 1-1 late 1 forward W[1:8]",
		"0 4-4 late 3 forward W[4:8]",
		"C 0-0 late 0 W[0:8]",
		"A 2-2 late 2 forward W[2:8]",
	}
	for j, pl := range plans {
		if got := planLine(jobs[j], pl); got != want[j] {
			t.Errorf("job %d: got  %s\nwant %s", j, got, want[j])
		}
	}
}

func planLine(j mrp.Job, pl mrp.JobPlan) string {
	s := fmt.Sprintf("%s %d-%d late %d", j.ID, pl.Start, pl.Finish, pl.Late)
	if pl.Forward {
		s += " forward"
	}
	for k, op := range pl.Ops {
		var ds []string
		for _, d := range op.Days {
			ds = append(ds, fmt.Sprintf("%d:%g", d.Day, d.Hours))
		}
		s += " " + j.Ops[k].WorkCenter + "[" + strings.Join(ds, " ") + "]"
	}
	return s
}

// checkSchedule checks the definition of a finite schedule: no work
// center above its capacity on any day, every operation's hours placed
// in full within its days, operations in sequence, no job before its
// earliest day or before the jobs it waits for, a backward job on time,
// lateness as finish - due.
func checkSchedule(t *testing.T, jobs []mrp.Job, plans []mrp.JobPlan, days int, avail func(string, int) float64) {
	t.Helper()
	load := map[string]float64{}
	for j, pl := range plans {
		job := jobs[j]
		if pl.Unscheduled != "" {
			continue
		}
		prevFinish := max(0, job.Earliest)
		for _, a := range job.After {
			if plans[a].Unscheduled == "" {
				prevFinish = max(prevFinish, plans[a].Finish)
			}
		}
		if pl.Start < prevFinish {
			t.Errorf("%s starts on day %d before day %d (earliest / components)", job.ID, pl.Start, prevFinish)
		}
		for k, op := range pl.Ops {
			if op.Start < prevFinish {
				t.Errorf("%s op %d starts on day %d before the one before it finishes (%d)", job.ID, k, op.Start, prevFinish)
			}
			sum := 0.0
			for n, d := range op.Days {
				if d.Day < op.Start || d.Day > op.Finish || (n > 0 && d.Day <= op.Days[n-1].Day) || d.Hours <= 0 {
					t.Errorf("%s op %d: day %+v outside %d-%d or out of order", job.ID, k, d, op.Start, op.Finish)
				}
				sum += d.Hours
				load[fmt.Sprint(job.Ops[k].WorkCenter, "/", d.Day)] += d.Hours
			}
			if d := sum - job.Ops[k].Hours; d > 1e-6 || d < -1e-6 {
				t.Errorf("%s op %d: %g h placed of %g", job.ID, k, sum, job.Ops[k].Hours)
			}
			prevFinish = op.Finish
		}
		if len(pl.Ops) > 0 && (pl.Start != pl.Ops[0].Start || pl.Finish != pl.Ops[len(pl.Ops)-1].Finish) {
			t.Errorf("%s: start/finish %d/%d not its operations'", job.ID, pl.Start, pl.Finish)
		}
		if !pl.Forward && pl.Finish > job.Due {
			t.Errorf("%s: scheduled backwards but finishes on %d after due %d", job.ID, pl.Finish, job.Due)
		}
		if pl.Late != max(0, pl.Finish-job.Due) {
			t.Errorf("%s: late %d, finish %d due %d", job.ID, pl.Late, pl.Finish, job.Due)
		}
	}
	for k, h := range load {
		var wc string
		var d int
		i := strings.LastIndexByte(k, '/')
		wc = k[:i]
		fmt.Sscan(k[i+1:], &d)
		if a := avail(wc, d); h > a+1e-6 {
			t.Errorf("%s day %d loaded %g h above capacity %g h", wc, d, h, a)
		}
	}
}

// TestScheduleJobsProperty schedules random jobs (random capacities with
// closed days, priorities, precedence, material dates) and checks the
// definition.
func TestScheduleJobsProperty(t *testing.T) {
	runs := 300
	if raceEnabled {
		runs = 40
	}
	for seed := range runs {
		r := rand.New(rand.NewPCG(uint64(seed), 17))
		days := 20 + r.IntN(40)
		nwc := 1 + r.IntN(4)
		capa := make([][]float64, nwc)
		for w := range capa {
			capa[w] = make([]float64, days)
			for d := range capa[w] {
				if r.IntN(5) > 0 {
					capa[w][d] = float64(r.IntN(17)) / 2
				}
			}
		}
		avail := func(wc string, d int) float64 {
			var w int
			fmt.Sscanf(wc, "W%d", &w)
			return capa[w][d]
		}
		jobs := make([]mrp.Job, 5+r.IntN(30))
		for j := range jobs {
			jb := mrp.Job{ID: fmt.Sprintf("J%02d", j), Priority: r.IntN(3), Due: r.IntN(days)}
			if r.IntN(4) == 0 {
				jb.Earliest = r.IntN(days / 2)
			}
			for range r.IntN(4) {
				h := float64(r.IntN(25)) / 2
				jb.Ops = append(jb.Ops, mrp.JobOp{WorkCenter: fmt.Sprintf("W%d", r.IntN(nwc)), Hours: h})
			}
			if j > 0 && r.IntN(3) == 0 {
				jb.After = []int{r.IntN(j)}
			}
			jobs[j] = jb
		}
		scheduleChecked(t, jobs, days, avail)
		if t.Failed() {
			t.Fatalf("seed %d", seed)
		}
	}
}

func TestScheduleJobsErrors(t *testing.T) {
	one := func(string, int) float64 { return 8 }
	if _, err := mrp.ScheduleJobs([]mrp.Job{{ID: "A", After: []int{0}}}, 5, one); err == nil {
		t.Error("a job waiting for itself: no error")
	}
	if _, err := mrp.ScheduleJobs([]mrp.Job{{ID: "A", After: []int{1}}, {ID: "B", After: []int{0}}}, 5, one); err == nil {
		t.Error("a cycle: no error")
	}
	if _, err := mrp.ScheduleJobs([]mrp.Job{{ID: "A", Ops: []mrp.JobOp{{WorkCenter: "W", Hours: -1}}}}, 5, one); err == nil {
		t.Error("negative hours: no error")
	}
	// a work center without capacity: the job is unscheduled, with the reason
	pl, err := mrp.ScheduleJobs([]mrp.Job{{ID: "A", Ops: []mrp.JobOp{{WorkCenter: "W", Hours: 1}}}, {ID: "B", After: []int{0}}}, 5, func(string, int) float64 { return 0 })
	if err != nil || !strings.Contains(pl[0].Unscheduled, "W has no free capacity") || !strings.Contains(pl[1].Unscheduled, "waits for A") {
		t.Errorf("no capacity: %v %+v", err, pl)
	}
}

// TestScheduleJobsLongOperations: thousands of jobs whose operations
// span up to a few hundred days each (their days come from slabs that
// fill up and from lists that outgrow them) and more jobs than a window
// of placement holds, checked against the definition.
func TestScheduleJobsLongOperations(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	days := 900
	avail := func(wc string, d int) float64 {
		if d%7 == 5 || d%7 == 6 {
			return 0
		}
		if wc == "W1" {
			return 8
		}
		return 60
	}
	jobs := make([]mrp.Job, 3000)
	for j := range jobs {
		jb := mrp.Job{ID: fmt.Sprintf("J%04d", j), Priority: r.IntN(3), Due: r.IntN(days)}
		for range 1 + r.IntN(3) {
			op := mrp.JobOp{WorkCenter: "W0", Hours: float64(r.IntN(8))}
			if r.IntN(300) == 0 {
				op = mrp.JobOp{WorkCenter: "W1", Hours: float64(520 + r.IntN(200))} // 65-90 working days
			}
			jb.Ops = append(jb.Ops, op)
		}
		if j > 0 && r.IntN(3) == 0 {
			jb.After = []int{r.IntN(j)}
		}
		jobs[j] = jb
	}
	plans := scheduleChecked(t, jobs, days, avail)
	long, placed := 0, 0
	for _, pl := range plans {
		if pl.Unscheduled == "" {
			placed++
		}
		for _, op := range pl.Ops {
			if len(op.Days) > 64 {
				long++
			}
		}
	}
	if long == 0 || placed < 1000 {
		t.Fatalf("%d operations over 64 days, %d of %d jobs placed: want both", long, placed, len(jobs))
	}
}

// scheduleChecked schedules jobs and checks the plans against the
// definition (checkSchedule).
func scheduleChecked(t *testing.T, jobs []mrp.Job, days int, avail func(string, int) float64) []mrp.JobPlan {
	t.Helper()
	plans, err := mrp.ScheduleJobs(jobs, days, avail)
	if err != nil {
		t.Fatal(err)
	}
	checkSchedule(t, jobs, plans, days, avail)
	return plans
}
