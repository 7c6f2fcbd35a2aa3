// Command configure walks a configurator session on the forklift model:
// a few picks with the domains they leave, why a value is excluded, and a
// completed configuration.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"path/filepath"

	"github.com/ctoplan/ctoplan/configurator"
)

func main() {
	data := flag.String("data", "../testdata/forklift", "directory with forklift.ctm")
	flag.Parse()
	if err := run(context.Background(), *data); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, data string) error {
	m, err := configurator.ParseFile(filepath.Join(data, "forklift.ctm"))
	if err != nil {
		return err
	}
	c, err := configurator.Compile(m)
	if err != nil {
		return err
	}
	s := c.NewSession()
	for _, p := range []configurator.Pick{{Char: "capacity", Value: "t50"}, {Char: "mast", Value: "triplex"}} {
		d, err := s.Pick(ctx, p)
		if err != nil {
			return err
		}
		fmt.Printf("after %s: %d characteristics, drive can be %v\n", p, len(d.Chars), open(d, "drive"))
	}
	// a pick that cannot stand is reported by Propagate as Valid: false
	// with its conflict (Check says the same); Explain and Complete
	// return an error for it instead.
	d, err := c.Propagate(ctx, append(s.Picks(), configurator.Pick{Char: "capacity", Value: "t15"}))
	if err != nil {
		return err
	}
	fmt.Println("capacity t15 as well: valid", d.Valid)
	// why is a value excluded?
	if char, value, ok := firstExcluded(s.Domains(), s.Picks()); ok {
		e, err := c.Explain(ctx, s.Picks(), char, value)
		if err != nil {
			return err
		}
		fmt.Println("explain:", e)
	}
	cfg, err := c.Complete(ctx, s.Picks())
	if err != nil {
		return err
	}
	fmt.Printf("completed: %d characteristics, capacity %v mast %v battery %v\n", len(cfg), cfg["capacity"], cfg["mast"], cfg["battery"])
	return nil
}

// open lists the values of char that are still possible or selected.
func open(d *configurator.Domains, char string) []string {
	var out []string
	for _, cd := range d.Chars {
		if cd.Char != char {
			continue
		}
		for _, v := range cd.Values {
			if v.Status != configurator.Excluded {
				out = append(out, v.Value)
			}
		}
	}
	return out
}

// firstExcluded returns the first excluded value of d of a characteristic
// not picked.
func firstExcluded(d *configurator.Domains, picks []configurator.Pick) (char, value string, ok bool) {
	picked := map[string]bool{}
	for _, p := range picks {
		picked[p.Char] = true
	}
	for _, cd := range d.Chars {
		if picked[cd.Char] {
			continue
		}
		for _, v := range cd.Values {
			if v.Status == configurator.Excluded {
				return cd.Char, v.Value, true
			}
		}
	}
	return "", "", false
}
