package configurator_test

import (
	"context"
	"fmt"

	"github.com/ctoplan/ctoplan/configurator"
)

func ExampleCompiled_Propagate() {
	m, err := configurator.ParseFile("testdata/engine/bike.ctm")
	if err != nil {
		panic(err)
	}
	c, err := configurator.Compile(m)
	if err != nil {
		panic(err)
	}
	d, err := c.Propagate(context.Background(), []configurator.Pick{{Char: "frame", Value: "carbon"}})
	if err != nil {
		panic(err)
	}
	for _, cd := range d.Chars[:4] {
		fmt.Print(cd.Char, ":")
		for _, v := range cd.Values {
			fmt.Printf(" %s=%s", v.Value, v.Status)
		}
		fmt.Println()
	}
	// Output:
	// frame: alu=excluded steel=excluded carbon=selected
	// gears: g1=possible g8=possible g11=possible
	// brakes: rim=excluded disc=forced
	// rack: front=excluded rear=excluded =forced
}

func ExampleCompiled_Explain() {
	m, err := configurator.ParseFile("testdata/engine/bike.ctm")
	if err != nil {
		panic(err)
	}
	c, err := configurator.Compile(m)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	picks := []configurator.Pick{{Char: "frame", Value: "carbon"}}
	e, err := c.Explain(ctx, picks, "brakes", "rim")
	if err != nil {
		panic(err)
	}
	fmt.Println(e)
	res, err := c.Check(ctx, append(picks, configurator.Pick{Char: "ebike", Value: "true"}))
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Valid, res.Conflict)
	// Output:
	// brakes=rim is excluded because of frame=carbon; rule carbon_disc (A carbon frame needs disc brakes)
	// false frame=carbon, ebike=true conflict with table no_light_carbon (No carbon e-bike)
}

func ExampleCompiled_Complete() {
	m, err := configurator.ParseFile("testdata/engine/bike.ctm")
	if err != nil {
		panic(err)
	}
	c, err := configurator.Compile(m)
	if err != nil {
		panic(err)
	}
	cfg, err := c.Complete(context.Background(), []configurator.Pick{{Char: "frame", Value: "carbon"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(cfg["frame"], cfg["brakes"], cfg["rack"], cfg["wheel"])
	// Output:
	// [carbon] [disc] [] [28]
}
