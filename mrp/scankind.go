package mrp

// ScanExceptionsOf is [Planner.ScanExceptions] visiting only the messages
// whose kind keep accepts (all of them when keep is nil), at the same
// positions: a position either hands out is good for both. A message of
// another kind is skipped without being built (its IDs and dates), and
// when keep accepts none of the items' kinds (only [Late]) the items are
// skipped altogether: a page of late demands then costs its own size,
// not a look at every item's messages.
func (p *Planner) ScanExceptionsOf(from Pos, item string, keep func(ExceptionKind) bool, late func() []Exception, fn func(Pos, Exception) bool) error {
	if keep == nil {
		return p.ScanExceptions(from, item, late, fn)
	}
	var want [Late + 1]bool
	items := false // some kind of the items' messages is wanted
	for k := range want {
		want[k] = keep(ExceptionKind(k))
		items = items || want[k] && ExceptionKind(k) != Late
	}
	lo, hi := max(from.Item, 0), len(p.items)
	if item != "" {
		i, ok := p.index[item]
		if !ok {
			return &ItemError{Item: item, Err: ErrUnknownItem}
		}
		lo, hi = max(lo, int(i)), min(hi, int(i)+1)
	}
	if !items {
		lo = hi
	}
	for i := lo; i < hi; i++ {
		it := &p.items[i]
		k0 := 0
		if i == from.Item {
			k0 = max(from.K, 0)
		}
		// positions as itemExceptions lists them: the netting messages,
		// then the past-due releases
		for x := k0; x < len(it.exc); x++ {
			if want[it.exc[x].kind] && !fn(Pos{i, x}, p.excMessage(int32(i), x)) {
				return nil
			}
		}
		if !want[ReleasePastDue] {
			continue
		}
		for k, n := max(k0-len(it.exc), 0), p.nPastDue(it); k < n; k++ {
			if !fn(Pos{i, len(it.exc) + k}, p.pastDue(int32(i), k)) {
				return nil
			}
		}
	}
	if !want[Late] {
		return nil
	}
	p.scanLate(from, late, fn)
	return nil
}
