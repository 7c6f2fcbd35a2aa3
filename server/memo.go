package server

import (
	"slices"
	"strings"
	"sync"

	"github.com/ctoplan/ctoplan/configurator"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
)

// propMemo remembers the Propagate answers of one compiled model, keyed by
// the canonical pick set. Propagate is a pure function of the model and
// the set of picks (complete semantics: order and repetition of picks do
// not change valid domains), and a memo belongs to one compiledModel, so a
// PutModel, which makes a new compiledModel, can never be answered from the
// old model's memo. Only valid answers are kept: a conflict's minimal
// explanation is cheap to lose and may depend on the pick order.
//
// With each answer it keeps the witnesses of the propagation (valid
// configurations satisfying the picks, see configurator.Witnesses): the
// next click of the same user asks for these picks plus one, which is not
// remembered, but its propagation starts from them and needs fewer solver
// calls.
//
// It holds at most max answers and evicts with the CLOCK rule (an answer
// used since the hand last passed stays one more round), so the shared
// prefixes of many users' sessions (nothing picked, one pick) stay while
// one-off deep pick sets pass through.
type propMemo struct {
	mu    sync.Mutex
	max   int
	byKey map[string]int // key -> slot
	slots []memoSlot
	hand  int
}

type memoSlot struct {
	key  string
	ans  memoAnswer
	used bool
}

// memoAnswer is a remembered answer and the witnesses found computing it.
type memoAnswer struct {
	res *configuratorv1.PropagateResponse
	wit *configurator.Witnesses
}

func newPropMemo(max int) *propMemo {
	if max <= 0 {
		return nil
	}
	return &propMemo{max: max, byKey: make(map[string]int, max)}
}

// memoKey is the canonical text of a pick set: the picks sorted, without
// repeats. The names are the model's own (picks are checked before), which
// never hold the control bytes used as separators.
func memoKey(picks []configurator.Pick) string {
	parts := make([]string, len(picks))
	for i, p := range picks {
		x := "\x01"
		if p.Exclude {
			x = "\x02"
		}
		parts[i] = p.Char + x + p.Value
	}
	slices.Sort(parts)
	parts = slices.Compact(parts)
	return strings.Join(parts, "\x00")
}

// get returns the remembered answer for key, and whether there is one. A
// nil memo remembers nothing.
func (m *propMemo) get(key string) (memoAnswer, bool) {
	if m == nil {
		return memoAnswer{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.byKey[key]
	if !ok {
		return memoAnswer{}, false
	}
	m.slots[i].used = true
	return m.slots[i].ans, true
}

// put remembers an answer, which must not be changed afterwards: it is
// shared by every response that repeats it.
func (m *propMemo) put(key string, ans memoAnswer) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.byKey[key]; ok {
		return
	}
	if len(m.slots) < m.max {
		m.byKey[key] = len(m.slots)
		m.slots = append(m.slots, memoSlot{key: key, ans: ans})
		return
	}
	for m.slots[m.hand].used {
		m.slots[m.hand].used = false
		m.hand = (m.hand + 1) % len(m.slots)
	}
	delete(m.byKey, m.slots[m.hand].key)
	m.slots[m.hand] = memoSlot{key: key, ans: ans}
	m.byKey[key] = m.hand
	m.hand = (m.hand + 1) % len(m.slots)
}

// len is the number of remembered answers.
func (m *propMemo) len() int {
	if m == nil {
		return 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.slots)
}
