package server

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
)

func forklift(t *testing.T) *compiledModel {
	t.Helper()
	src, err := os.ReadFile("../testdata/forklift/forklift.ctm")
	if err != nil {
		t.Fatalf("forklift model (the demo data is part of the repository): %v", err)
	}
	bs, err := bom.Open(context.Background(), kv.NewMemory())
	if err != nil {
		t.Fatal(err)
	}
	bm, err := bs.PutModel(context.Background(), "forklift.ctm", src)
	if err != nil {
		t.Fatal(err)
	}
	return newCompiledModel(bm, 0)
}

// The value sets accept exactly what checkCharValue accepts.
func TestValueSetsAgreeWithCheck(t *testing.T) {
	cm := forklift(t)
	for _, ch := range cm.model.Chars {
		for _, v := range append(ch.Domain(), "", "none", "x", "03000", "3000 ", "+3000", "2000.0", "TRUE", "true", "false", "t25") {
			fast := cm.values[ch.Name][v]
			slow := checkCharValue(cm.model, "", ch.Name, v) == nil
			if fast != slow {
				t.Errorf("%s=%q: value set says %v, checkCharValue %v", ch.Name, v, fast, slow)
			}
		}
	}
	if cm.values["no_such_char"]["x"] {
		t.Error("an unknown characteristic passes")
	}
}

// A request naming a megabyte characteristic or value is refused with the
// name shortened, not repeated whole.
func TestCheckCharValueShortensLongNames(t *testing.T) {
	cm := forklift(t)
	huge := strings.Repeat("a", 1<<20)
	short := `"` + huge[:40] + `"… (1048576 bytes)`
	for _, tc := range []struct{ char, value, want string }{
		{huge, "x", "char: model forklift has no characteristic " + short},
		{"mast", huge, "value: " + short + " is not a value of mast ("},
	} {
		err := checkCharValue(cm.model, "", tc.char, tc.value)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || len(err.Error()) > 2048 {
			t.Errorf("got %.300v\nwant it to start with %s", err, tc.want)
		}
	}
}
