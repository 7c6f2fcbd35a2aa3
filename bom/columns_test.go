package bom_test

import (
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
)

// TestStoredRowColumnsAfterReopen: a stored row checked against a new
// model text is reported at the column of the problem in its CSV row
// (condition, qty_per and a routing's condition), also by a Store that
// loaded the rows from the DB.
func TestStoredRowColumnsAfterReopen(t *testing.T) {
	s, db := newStore(t)
	if err := importCSV(t, s, csvFS(goodItems, goodBOM, goodRoutings, goodWC)); err != nil {
		t.Fatal(err)
	}
	// large becomes big, blue navy, wheels wheel_count
	r := strings.NewReplacer("value large", "value big", "size = large", "size = big", "value blue", "value navy",
		"char wheels", "char wheel_count", "wheels = 4", "wheel_count = 4")
	cart := r.Replace(cartModel)
	if _, err := configurator.Parse("cart.ctm", []byte(cart)); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`bom.csv:3:26: condition: unknown value "large" for size`,
		`bom.csv:4:10: qty_per: unknown characteristic "wheels"`,
		`routings.csv:3:29: condition: unknown value "blue" for colour`,
	}
	reopened, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for name, st := range map[string]*bom.Store{"store": s, "reopened": reopened} {
		_, err := st.PutModel(ctx, "cart.ctm", []byte(cart))
		if err == nil {
			t.Fatalf("%s: a model the stored rows do not read in was stored", name)
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error lacks %q:\n%v", name, w, err)
			}
		}
	}
}
