package plantgen_test

import (
	"reflect"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

func TestGenerate(t *testing.T) {
	c := plantgen.Default(3000)
	a, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := plantgen.Generate(c)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same config, different plants")
	}
	c.Seed = 2
	if d, _ := plantgen.Generate(c); reflect.DeepEqual(a, d) {
		t.Fatal("different seeds, same plant")
	}
	if len(a.Items) != 3000 || len(a.Demands) != 6000 {
		t.Fatalf("%d items, %d demands", len(a.Items), len(a.Demands))
	}
	used := map[string]bool{}
	for _, it := range a.Items {
		for _, cm := range it.Components {
			used[cm.Item] = true
		}
		if it.Kind != mrp.Buy && len(it.Components) == 0 {
			t.Fatalf("%s: %v without components", it.ID, it.Kind)
		}
	}
	top := 0
	for _, it := range a.Items {
		if !used[it.ID] {
			top++
		}
	}
	if top != 30 {
		t.Errorf("%d top items, want 30 (1%%)", top)
	}
	p, err := mrp.New(a, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Stats(); s.Levels != c.Levels {
		t.Errorf("%d levels, want %d", s.Levels, c.Levels)
	}
}

func TestValidate(t *testing.T) {
	c := plantgen.Default(10)
	c.FanOutMin = 0
	if _, err := plantgen.Generate(c); err == nil {
		t.Error("fan-out 0 accepted")
	}
}
