package mrp

import (
	"context"
	"slices"
	"testing"
)

// scheduleLinksByTrees is what scheduleLinks sets, by its definition:
// every sales-order line's supply tree ([Planner.SupplyTree]) walked
// from the top, a job's priority the highest of the lines whose trees
// hold it, its After the jobs below it with no job between, its Earliest
// the latest arrival of the purchases below it with no job between, a
// line's tops and material likewise from the top. (The walk FiniteSchedule
// did before, its lists put in job order and a purchase's tie broken by
// ID, as scheduleLinks promises.)
func (p *Planner) scheduleLinksByTrees(t testing.TB) linksFunc {
	return func(_ context.Context, s *Schedule, js *jobSet, prio map[string]int) error {
		after := make([][]int32, len(js.due))
		for d := range p.demands {
			dm := &p.demands[d]
			if !dm.live || dm.in.Forecast {
				continue
			}
			pr := dm.in.Priority
			if v, ok := prio[dm.in.ID]; ok {
				pr = v
			}
			tree, err := p.SupplyTree(dm.in.ID)
			if err != nil {
				t.Fatal(err)
			}
			ds := &demandSched{id: dm.in.ID, due: p.cal.day(dm.in.Due), material: -1}
			s.dem[dm.in.ID] = ds
			var walk func(n *PegNode, parent int)
			walk = func(n *PegNode, parent int) {
				j, isJob := s.index(n.Supply.ID)
				isJob = isJob && n.Supply.Kind != FromStock
				switch {
				case isJob:
					js.prio[j] = max(js.prio[j], pr)
					if parent >= 0 {
						if !slices.Contains(after[parent], int32(j)) {
							after[parent] = append(after[parent], int32(j))
						}
					} else if !slices.Contains(ds.tops, j) {
						ds.tops = append(ds.tops, j)
					}
					parent = j
				case n.Supply.Kind != FromStock && n.Children == nil:
					arrive := p.arrival(n)
					if parent >= 0 {
						js.earliest[parent] = max(js.earliest[parent], arrive)
					} else if arrive > ds.material || (arrive == ds.material && n.Supply.ID < ds.matRef) {
						ds.material, ds.matRef = arrive, n.Supply.ID
					}
				}
				for _, c := range n.Children {
					walk(c, parent)
				}
			}
			for _, n := range tree {
				walk(n, -1)
			}
		}
		js.after = js.after[:0]
		for j := range after {
			slices.Sort(after[j])
			js.after = append(js.after, after[j]...)
			js.afterAt[j+1] = int32(len(js.after))
			s.ord[j].prio = js.prio[j]
		}
		for _, ds := range s.dem {
			slices.Sort(ds.tops)
		}
		return nil
	}
}

// FiniteScheduleBy is FiniteSchedule with priority overrides prio, made
// by scheduleLinks (byTrees false) or by walking every line's supply
// tree (scheduleLinksByTrees).
func FiniteScheduleBy(t testing.TB, p *Planner, c *Capacity, prio map[string]int, byTrees bool) (*Schedule, error) {
	if byTrees {
		return p.finiteScheduleWith(context.Background(), c, prio, p.scheduleLinksByTrees(t))
	}
	return p.finiteScheduleWith(context.Background(), c, prio, p.scheduleLinks)
}
