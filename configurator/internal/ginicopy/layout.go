package ginicopy

import (
	"reflect"
	"sync"
	"unsafe"

	"github.com/go-air/gini"
)

// field is where a field of one of gini's structs lies, found once per
// process by reflection; ok is false when a gini upgrade renamed or
// retyped it, and the function that needs it then falls back.
type field struct {
	off uintptr
	ok  bool
}

// at is the address of the field in the struct at p.
func (f field) at(p unsafe.Pointer) unsafe.Pointer { return unsafe.Add(p, f.off) }

// ptrAt reads the pointer field f of the struct at p (nil when p is).
func (f field) ptrAt(p unsafe.Pointer) unsafe.Pointer {
	if p == nil {
		return nil
	}
	return *(*unsafe.Pointer)(f.at(p))
}

// layout is what ginicopy knows of gini v1.0.4's unexported structures:
// gini.Gini{xo *xo.S}, and the parts of xo.S it reads or writes.
type layout struct {
	xo field // gini.Gini.xo, a *xo.S

	// xo.S's pointer fields to its parts.
	vars, cdb, trail, guess field

	vals       field // xo.Vars.Vals []int8
	checkModel field // xo.Cdb.checkModel bool
	props      field // xo.Trail.Props int64
	cache      field // xo.Guess.cache []int8

	// xo.Guess's decay schedule (guessCopyFields), all found or none.
	decay []reflect.StructField

	// For copyOf; fast is false unless every one was found.
	fast     bool
	sType    reflect.Type          // xo.S
	sFields  []reflect.StructField // xo.S's fields but its two mutexes
	rmu      field                 // xo.S.rmu, the mutex gini's S.Copy holds
	varsType reflect.Type          // xo.Vars
	watches  field                 // xo.Vars.Watches [][]xo.Watch, Watch a uint64
}

var guessCopyFields = [...]string{"decays", "restartDecays", "decayMin", "decayMax", "decayMaxMax", "decayMaxDecay"}

// theLayout is the layout, looked up once when the package is
// initialised (a few reflection lookups): the accessors then cost a load
// and an add per field, where a lookup by name per call was 1.5% of a
// forklift Session.Pick.
var theLayout = newLayout()

var (
	int8s = reflect.TypeFor[[]int8]()
	mutex = reflect.TypeFor[sync.Mutex]()
)

// structField finds the field name of the struct type t (nil t: none)
// when ok accepts its type.
func structField(t reflect.Type, name string, ok func(reflect.Type) bool) (reflect.StructField, bool) {
	if t == nil || t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	f, found := t.FieldByName(name)
	if !found || len(f.Index) != 1 || !ok(f.Type) {
		return reflect.StructField{}, false
	}
	return f, true
}

func isType(want reflect.Type) func(reflect.Type) bool {
	return func(t reflect.Type) bool { return t == want }
}

func isKind(k reflect.Kind) func(reflect.Type) bool {
	return func(t reflect.Type) bool { return t.Kind() == k }
}

func isStructPtr(t reflect.Type) bool {
	return t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct
}

func newLayout() *layout {
	l := &layout{}
	find := func(t reflect.Type, name string, ok func(reflect.Type) bool) (field, reflect.Type) {
		f, found := structField(t, name, ok)
		if !found {
			return field{}, nil
		}
		return field{off: f.Offset, ok: true}, f.Type
	}
	gType := reflect.TypeFor[gini.Gini]()
	var sPtr reflect.Type
	l.xo, sPtr = find(gType, "xo", isStructPtr)
	if !l.xo.ok {
		return l
	}
	l.sType = sPtr.Elem()
	part := func(name string) (field, reflect.Type) {
		f, t := find(l.sType, name, isStructPtr)
		if t != nil {
			t = t.Elem()
		}
		return f, t
	}
	var cdbType, trailType, guessType reflect.Type
	l.vars, l.varsType = part("Vars")
	l.cdb, cdbType = part("Cdb")
	l.trail, trailType = part("Trail")
	l.guess, guessType = part("Guess")
	l.vals, _ = find(l.varsType, "Vals", isType(int8s))
	l.checkModel, _ = find(cdbType, "checkModel", isKind(reflect.Bool))
	l.props, _ = find(trailType, "Props", isKind(reflect.Int64))
	l.cache, _ = find(guessType, "cache", isType(int8s))
	for _, name := range guessCopyFields {
		f, ok := structField(guessType, name, func(t reflect.Type) bool {
			k := t.Kind()
			return k == reflect.Float64 || k == reflect.Int || k == reflect.Int64
		})
		if !ok {
			l.decay = nil
			break
		}
		l.decay = append(l.decay, f)
	}

	// The fast copy needs gini.Gini to be the pointer to xo.S alone, S's
	// mutexes (not to be copied) and Vars, and Vars.Watches a slice of
	// slices of a uint64 type.
	if gType.NumField() != 1 || !l.vars.ok {
		return l
	}
	l.rmu, _ = find(l.sType, "rmu", isType(mutex))
	gmu, _ := find(l.sType, "gmu", isType(mutex))
	l.watches, _ = find(l.varsType, "Watches", func(t reflect.Type) bool {
		return t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Slice && t.Elem().Elem().Kind() == reflect.Uint64
	})
	if !l.rmu.ok || !gmu.ok || !l.watches.ok {
		return l
	}
	for i := range l.sType.NumField() {
		if f := l.sType.Field(i); f.Type != mutex {
			l.sFields = append(l.sFields, f)
		}
	}
	l.fast = len(l.sFields) == l.sType.NumField()-2
	return l
}

// s is g's *xo.S, or nil.
func (l *layout) s(g *gini.Gini) unsafe.Pointer {
	if !l.xo.ok {
		return nil
	}
	return l.xo.ptrAt(unsafe.Pointer(g))
}

// part is the struct g's xo.S points to by its field f (one of l.vars,
// l.cdb, l.trail, l.guess), or nil.
func (l *layout) part(g *gini.Gini, f field) unsafe.Pointer {
	if !f.ok {
		return nil
	}
	return f.ptrAt(l.s(g))
}
