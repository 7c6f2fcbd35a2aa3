// Package ginicopy copies a gini solver whole and fast: gini v1.0.4's Copy
// drops the decay schedule of the decision heuristic and allocates one
// watch list per literal, and every query solver of the configurator is a
// copy.
package ginicopy

import (
	"reflect"
	"sync"
	"unsafe"

	"github.com/go-air/gini"
)

// Copy returns a copy of g: what g.Copy() returns, with the copy's
// decision heuristic made whole, made with one allocation for all its
// watch lists.
//
// gini v1.0.4's Guess.Copy leaves out the fields of the activity decay
// schedule (decayMin, decayMax, decayMaxMax, decayMaxDecay, decays,
// restartDecays); a copy then decays with a factor near zero, its bump
// increment reaches +Inf after a few dozen conflicts, and from then on
// every bump rescales the activity of every variable. On Freetz (31k
// variables) that was more than half of the time of a propagation, and
// every query solver is a copy. The missing fields are copied here from g
// through reflection; [Fixed] tells whether they were found
// (TestSolverCopyKeepsDecay fails when a gini upgrade renames them).
//
// gini's Vars.Copy allocates each literal's watch list on its own: three
// quarters of the time of a copy of Freetz's compiled solver, and garbage
// for the collector to sweep. Copy has gini copy everything else, then
// carves the watch lists out of one array, each list's capacity its
// length as in gini's copy, so that gini's later appends to a list
// reallocate it and never write over its neighbour's. [Fast] tells
// whether it can (TestFastLayout fails when a gini upgrade changes the
// fields it reaches); otherwise Copy is gini's Copy with the repair.
func Copy(g *gini.Gini) *gini.Gini {
	l := theLayout
	var h *gini.Gini
	if l.fast {
		h = l.copyOf(g)
	} else {
		h = g.Copy()
	}
	l.fixGuessCopy(h, g)
	return h
}

// Fixed reports whether [Copy] can repair gini's copies.
func Fixed() bool { return theLayout.decay != nil }

// Fast reports whether [Copy] copies the watch lists itself.
func Fast() bool { return theLayout.fast }

// copyOf is g.Copy() but for the watch lists: gini's S.Copy runs on a
// shallow copy of g's xo.S whose Vars have no watch lists, and the copy
// gets g's lists carved out of one array. g is only read, under its
// mutex, as gini's S.Copy does.
func (l *layout) copyOf(g *gini.Gini) *gini.Gini {
	s := l.s(g)
	if s == nil {
		return g.Copy()
	}
	mu := (*sync.Mutex)(l.rmu.at(s))
	mu.Lock()
	defer mu.Unlock()

	// tmp: g's S without the watch lists (and with mutexes of its own).
	tmp := reflect.New(l.sType).UnsafePointer()
	for _, f := range l.sFields {
		reflect.NewAt(f.Type, unsafe.Add(tmp, f.Offset)).Elem().Set(
			reflect.NewAt(f.Type, unsafe.Add(s, f.Offset)).Elem())
	}
	vars := l.vars.ptrAt(s)
	tmpVars := reflect.New(l.varsType)
	tmpVars.Elem().Set(reflect.NewAt(l.varsType, vars).Elem())
	*(*[][]uint64)(l.watches.at(tmpVars.UnsafePointer())) = nil
	*(*unsafe.Pointer)(l.vars.at(tmp)) = tmpVars.UnsafePointer()
	var tg gini.Gini
	*(*unsafe.Pointer)(l.xo.at(unsafe.Pointer(&tg))) = tmp
	h := tg.Copy()

	ws := *(*[][]uint64)(l.watches.at(vars))
	*(*[][]uint64)(l.watches.at(l.vars.ptrAt(l.s(h)))) = carve(ws)
	return h
}

// carve copies the lists ws into one backing array: list i is
// back[a:b:b], so that an append to it reallocates rather than writing
// over list i+1, as an append to gini's own copy (make([]Watch, len))
// does.
func carve(ws [][]uint64) [][]uint64 {
	n := 0
	for _, w := range ws {
		n += len(w)
	}
	back := make([]uint64, n)
	out := make([][]uint64, len(ws), cap(ws))
	a := 0
	for i, w := range ws {
		b := a + copy(back[a:], w)
		out[i] = back[a:b:b]
		a = b
	}
	return out
}

// fixGuessCopy copies the decay schedule of src's heuristic into dst's and
// reports whether it could.
func (l *layout) fixGuessCopy(dst, src *gini.Gini) bool {
	s, d := l.part(src, l.guess), l.part(dst, l.guess)
	if l.decay == nil || s == nil || d == nil {
		return false
	}
	for _, f := range l.decay {
		switch f.Type.Kind() {
		case reflect.Float64:
			*(*float64)(unsafe.Add(d, f.Offset)) = *(*float64)(unsafe.Add(s, f.Offset))
		case reflect.Int64:
			*(*int64)(unsafe.Add(d, f.Offset)) = *(*int64)(unsafe.Add(s, f.Offset))
		case reflect.Int:
			*(*int)(unsafe.Add(d, f.Offset)) = *(*int)(unsafe.Add(s, f.Offset))
		}
	}
	return true
}
