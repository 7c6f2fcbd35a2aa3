package plantgen

import (
	"fmt"
	"strings"
)

// LadderCSV returns the master data (items.csv and bom.csv texts) of a
// plant whose supply trees double at every level: top item A0 is made of
// A1 and B1, A_k and B_k each of A_{k+1} and B_{k+1}, one of each per
// unit, no lead times; the items of level levels are bought. A sales
// order of A0 has a supply tree of 2^(levels+1) - 1 nodes over only
// 2*levels + 1 distinct orders: the shape of a deep bill of material with
// shared parts, for the tests of trees too large to give whole.
func LadderCSV(levels int) (items, bom string) {
	var it, b strings.Builder
	it.WriteString("item,description,uom,kind,lead_time_days,unit_cost\n")
	b.WriteString("parent,component,qty_per\n")
	for k := 0; k <= levels; k++ {
		for _, c := range []string{"A", "B"} {
			if k == 0 && c == "B" {
				continue
			}
			kind := "make"
			if k == levels {
				kind = "buy"
			}
			fmt.Fprintf(&it, "%s%d,part,pc,%s,0,1\n", c, k, kind)
			if k < levels {
				fmt.Fprintf(&b, "%s%d,A%d,1\n%s%d,B%d,1\n", c, k, k+1, c, k, k+1)
			}
		}
	}
	return it.String(), b.String()
}
