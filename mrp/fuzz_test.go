package mrp_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/csvtext"
	"github.com/ctoplan/ctoplan/mrp"
)

// seedFile adds a forklift demo file as a fuzz seed when present.
func seedFile(f *testing.F, name string) {
	if b, err := os.ReadFile(filepath.Join(forkliftDir, name)); err == nil {
		f.Add(b)
	}
}

// checkCSVErr: every error is made of file:row: column: problem lines.
func checkCSVErr(t *testing.T, file string, err error) {
	if err == nil {
		return
	}
	var ce *mrp.CSVError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is not a CSVError", err)
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if !strings.HasPrefix(line, file+":") {
			t.Fatalf("error line %q does not start with %s:", line, file)
		}
	}
}

func FuzzReadDemands(f *testing.F) {
	seedFile(f, "demands.csv")
	f.Add([]byte("id,item,qty,due_date,priority,config\nA,X,1,2026-01-01,2,a=b;c=d\n"))
	f.Add([]byte("id,item,qty,due_date\nA,X,-1,2026-13-01\n\"unterminated"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, cfgs, rows, err := mrp.ReadDemands("demands.csv", bytes.NewReader(b))
		checkCSVErr(t, "demands.csv", err)
		if err == nil {
			if len(rows) != len(ds) {
				t.Fatalf("%d rows for %d demands", len(rows), len(ds))
			}
			seen := map[string]bool{}
			for k, d := range ds {
				if d.Qty <= 0 || d.ID == "" || d.Item == "" || rows[k] < 2 || (k > 0 && rows[k] <= rows[k-1]) || seen[d.ID] ||
					csvtext.NameProblem(d.ID, csvtext.MaxNameBytes) != "" || csvtext.NameProblem(d.Item, csvtext.MaxNameBytes) != "" {
					t.Fatalf("accepted bad demand %+v on row %d", d, rows[k])
				}
				seen[d.ID] = true
			}
			for id := range cfgs {
				if !seen[id] {
					t.Fatalf("config for unknown demand %s", id)
				}
			}
		}
	})
}

func FuzzReadReceipts(f *testing.F) {
	seedFile(f, "receipts.csv")
	f.Add([]byte("id,item,qty,due_date,kind\nR,X,5,2026-02-01,production\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rs, rows, err := mrp.ReadReceipts("receipts.csv", bytes.NewReader(b))
		checkCSVErr(t, "receipts.csv", err)
		if err == nil {
			if len(rows) != len(rs) {
				t.Fatalf("%d rows for %d receipts", len(rows), len(rs))
			}
			seen := map[string]bool{}
			for k, r := range rs {
				if r.Qty <= 0 || r.ID == "" || r.Item == "" || rows[k] < 2 || (k > 0 && rows[k] <= rows[k-1]) || seen[r.ID] ||
					csvtext.NameProblem(r.ID, csvtext.MaxNameBytes) != "" || csvtext.NameProblem(r.Item, csvtext.MaxNameBytes) != "" {
					t.Fatalf("accepted bad receipt %+v on row %d", r, rows[k])
				}
				seen[r.ID] = true
			}
		}
	})
}

func FuzzReadStock(f *testing.F) {
	seedFile(f, "stock.csv")
	f.Add([]byte("item,qty\nX,5\nX,6\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, _, err := mrp.ReadStock("stock.csv", bytes.NewReader(b))
		checkCSVErr(t, "stock.csv", err)
		if err == nil {
			for it, q := range s {
				if q < 0 || it == "" {
					t.Fatalf("accepted bad stock %s %d", it, q)
				}
			}
		}
	})
}

func FuzzReadCalendar(f *testing.F) {
	seedFile(f, "calendar.csv")
	f.Add([]byte("date,working\n2026-01-01,0\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := mrp.ReadCalendar("calendar.csv", bytes.NewReader(b))
		checkCSVErr(t, "calendar.csv", err)
	})
}

func FuzzParseConfig(f *testing.F) {
	f.Add("capacity=t25;lights=led_front;lights=blue_spot")
	f.Add("=;a")
	f.Fuzz(func(t *testing.T, s string) {
		cfg, err := mrp.ParseConfig(s)
		if err != nil {
			return
		}
		for k, vs := range cfg {
			if k == "" || strings.ContainsAny(k, ";=") || slices.Contains(vs, "") {
				t.Fatalf("bad configuration %v from %q", cfg, s)
			}
		}
	})
}

// TestParseConfigEmpty: "char=" gives char an empty entry (an optional
// characteristic left empty, a multi-valued one with none), not the value
// "" (which no multi-valued characteristic has: a bike without lights
// could not be ordered); a value given besides stays.
func TestParseConfigEmpty(t *testing.T) {
	cfg, err := mrp.ParseConfig("frame=alu;motor=;lights=;extras=bell;extras=")
	if err != nil {
		t.Fatal(err)
	}
	want := configurator.Configuration{"frame": {"alu"}, "motor": {}, "lights": {}, "extras": {"bell"}}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("got %q, want %q", cfg, want)
	}
}

// TestCSVErrors checks messages of the plant readers.
func TestCSVErrors(t *testing.T) {
	x := strings.Repeat("x", 100000)                            // a long value
	long := `"` + strings.Repeat("x", 40) + `"… (100000 bytes)` // as messages show it
	cases := []struct {
		read func(string) error
		in   string
		want string
	}{
		{func(s string) error { _, _, err := mrp.ReadStock("stock.csv", strings.NewReader(s)); return err },
			"item,qty\nA,5\nB,-2\nA,1\n", "stock.csv:3: qty: -2: want >= 0\nstock.csv:4: item: A listed again (first on row 2)"},
		{func(s string) error { _, _, err := mrp.ReadStock("stock.csv", strings.NewReader(s)); return err },
			"item\nA\n", "stock.csv:1: qty: missing column (header has item)"},
		{func(s string) error { _, _, err := mrp.ReadReceipts("receipts.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date,kind\nR,A,2.5,2026-01-01,purchase\nS,A,1,01/02/2026,truck\n",
			"receipts.csv:2: qty: \"2.5\" is not a whole number of units\nreceipts.csv:3: due_date: \"01/02/2026\" is not a date (want YYYY-MM-DD)\nreceipts.csv:3: kind: \"truck\": want purchase or production"},
		{func(s string) error { _, err := mrp.ReadCalendar("calendar.csv", strings.NewReader(s)); return err },
			"date,working\n2026-01-01,maybe\n", "calendar.csv:2: working: \"maybe\": want 1 or 0"},
		{func(s string) error { _, _, _, err := mrp.ReadDemands("demands.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date,config\nD,A,3,2026-01-01,capacity\n", "demands.csv:2: config: \"capacity\": want char=value"},
		{func(s string) error { _, _, _, err := mrp.ReadDemands("demands.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date\nSO-\xca\xd6,A,3,2026-01-01\n",
			"demands.csv:2: id: not valid UTF-8 (a file saved as GBK/GB18030 or another legacy encoding? save it as CSV UTF-8)"},
		// a misspelt optional column would be ignored and every line's
		// priority 0; unknown columns far from any (customer), or beside
		// the column they resemble (configs), are allowed
		{func(s string) error { _, _, _, err := mrp.ReadDemands("demands.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date,Priorty,customer\nD,A,3,2026-01-01,1,ACME\n",
			"demands.csv:1: priorty: unknown column, did you mean \"priority\"? (columns not read are ignored: a misspelt one would leave priority empty)"},
		{func(s string) error { _, _, _, err := mrp.ReadDemands("demands.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date,config,configs,customer\nD,A,3,2026-01-01,a=b,,ACME\nD,A,3,2026-01-01,,,\n",
			"demands.csv:3: id: D used again (first on row 2)"},
		// year 1 is the zero time: it read as "no due date", without a row
		{func(s string) error { _, _, _, err := mrp.ReadDemands("demands.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date\nD,A,3,0001-01-01\n",
			"demands.csv:2: due_date: \"0001-01-01\" is before 1900: no day to plan"},
		// a decimal comma splits a value into two cells
		{func(s string) error { _, _, err := mrp.ReadStock("stock.csv", strings.NewReader(s)); return err },
			"item,qty\nA,2,\nB,2,5\n",
			"stock.csv:3: 3 cells for 2 columns (\"5\" beyond the last): a decimal comma? write 0.5, and quote a value that holds a comma"},
		// ';' separates the demands of an order's pegged_to; ':' and ','
		// are read unambiguously (each entry split at its last ':')
		{func(s string) error { _, _, _, err := mrp.ReadDemands("demands.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date\n\"SO,2:7\",A,3,2026-01-01\nSO:1;X,A,3,2026-01-01\n",
			"demands.csv:3: id: demand ID \"SO:1;X\" has ';', which separates the demands an order is pegged to (pegged_to: ID:qty;ID:qty)"},
		{func(s string) error { _, _, err := mrp.ReadStock("stock.csv", strings.NewReader(s)); return err },
			"item,qyt,description_de\nA,5,x\n",
			"stock.csv:1: qyt: unknown column, did you mean \"qty\"? (columns not read are ignored: a misspelt one would leave qty empty)\nstock.csv:1: qty: missing column (header has item,qyt,description_de)"},
		{func(s string) error { _, _, err := mrp.ReadReceipts("receipts.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date,knd\nR,A,2,2026-01-01,purchase\n",
			"receipts.csv:1: knd: unknown column, did you mean \"kind\"? (columns not read are ignored: a misspelt one would leave kind empty)"},
		{func(s string) error {
			_, err := mrp.ReadConfirmations("confirmations.csv", strings.NewReader(s))
			return err
		},
			"id,order,op_seq,good_qty,scrap_qyt,done\nC,O,10,1,0,1\n",
			"confirmations.csv:1: scrap_qyt: unknown column, did you mean \"scrap_qty\"? (columns not read are ignored: a misspelt one would leave scrap_qty empty)"},
		{func(s string) error { _, _, err := mrp.ReadStock("stock.csv", strings.NewReader(s)); return err },
			"item,qty\nA,\"1,000\"\nB,\"12,500,000\"\nC,\"2,5\"\nD,\"1,00\"\nE,\"1,000.5\"\n",
			"stock.csv:2: qty: \"1,000\" is not a number (write it without thousands separators: 1000)\n" +
				"stock.csv:3: qty: \"12,500,000\" is not a number (write it without thousands separators: 12500000)\n" +
				"stock.csv:4: qty: \"2,5\" is not a number (write a decimal point: 2.5)\n" +
				"stock.csv:5: qty: \"1,00\" is not a number (write a decimal point: 1.00)\n" +
				"stock.csv:6: qty: \"1,000.5\" is not a number"},
		// ids and names as the server takes them: at most 256 bytes of
		// printable text (a longer one would not fit a store key)
		{func(s string) error { _, _, _, err := mrp.ReadDemands("demands.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date\nD1,A,1,2027-01-14\n" + strings.Repeat("D", 70001) + ",A,1,2027-01-14\nD1,A\tB,1,2027-01-14\n",
			"demands.csv:3: id: 70001 bytes is too long (at most 256)\n" +
				"demands.csv:4: item: control character U+0009 at byte 1 (ids and names are one line of printable text)\n" +
				"demands.csv:4: id: D1 used again (first on row 2)"},
		{func(s string) error { _, _, err := mrp.ReadFirm("firm.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date\nF1," + strings.Repeat("A", 300) + ",1,2027-01-14\n",
			"firm.csv:2: item: 300 bytes is too long (at most 256)"},
		{func(s string) error { _, _, err := mrp.ReadStock("stock.csv", strings.NewReader(s)); return err },
			"item,qty\n" + strings.Repeat("A", 257) + ",1\n",
			"stock.csv:2: item: 257 bytes is too long (at most 256)"},
		// quantities are decimal, as the format says (not Go's 1_000 or
		// 0x1p4), and at most MaxQty, said at their row and column
		{func(s string) error { _, _, _, err := mrp.ReadDemands("demands.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date\nD1,A,1_000,2027-01-14\nD2,A,0x1p4,2027-01-14\nD3,A,2000000000000,2027-01-14\nD4,A,1e13,2027-01-14\n" +
				"D5,A,99999999999999999999,2027-01-14\nD6,A,1e400,2027-01-14\nD7,A,NaN,2027-01-14\nD8,A,1e3,2027-01-14\n",
			"demands.csv:2: qty: \"1_000\" is not a decimal number (write it without separators: 1000)\n" +
				"demands.csv:3: qty: \"0x1p4\" is not a decimal number (hexadecimal is not read: write it in decimal digits)\n" +
				"demands.csv:4: qty: 2000000000000 is more than 1000000000000, the most a quantity may be\n" +
				"demands.csv:5: qty: 1e13 is more than 1000000000000, the most a quantity may be\n" +
				"demands.csv:6: qty: 99999999999999999999 is more than 1000000000000, the most a quantity may be\n" +
				"demands.csv:7: qty: \"1e400\" is out of range\n" +
				"demands.csv:8: qty: \"NaN\" is not a number"},
		{func(s string) error { _, _, err := mrp.ReadStock("stock.csv", strings.NewReader(s)); return err },
			"item,qty\nA,1000000000000\nB,1000000000001\nC,-1e13\n",
			"stock.csv:3: qty: 1000000000001 is more than 1000000000000, the most a quantity may be\nstock.csv:4: qty: -1e13: want >= 0"},
		// a long value is quoted by its first 40 bytes and its length
		{func(s string) error { _, _, _, err := mrp.ReadDemands("demands.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date,priority,config\nD1,A," + x + "," + x + "," + x + "," + x + "\n",
			"demands.csv:2: qty: " + long + " is not a number\n" +
				"demands.csv:2: due_date: " + long + " is not a date (want YYYY-MM-DD)\n" +
				"demands.csv:2: priority: " + long + " is not an integer\n" +
				"demands.csv:2: config: " + long + ": want char=value"},
		{func(s string) error { _, _, err := mrp.ReadReceipts("receipts.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date,kind\nR1,A,1,2027-01-14," + x + "\n",
			"receipts.csv:2: kind: " + long + ": want purchase or production"},
		{func(s string) error { _, err := mrp.ReadCalendar("calendar.csv", strings.NewReader(s)); return err },
			"date,working\n2027-01-14," + x + "\n",
			"calendar.csv:2: working: " + long + ": want 1 or 0"},
		{func(s string) error { _, _, err := mrp.ReadStock("stock.csv", strings.NewReader(s)); return err },
			"item," + x + "\nA,1\n",
			"stock.csv:1: qty: missing column (header has item," + strings.Repeat("x", 35) + "… (100005 bytes))"},
		{func(s string) error { _, _, err := mrp.ReadStock("stock.csv", strings.NewReader(s)); return err },
			"item,qty\nA,1," + x + "\n",
			"stock.csv:2: 3 cells for 2 columns (" + long + " beyond the last): a decimal comma? write 0.5, and quote a value that holds a comma"},
		// a UTF-16 file (Excel's "Unicode text") says so, not "missing column"
		{func(s string) error { _, _, _, err := mrp.ReadDemands("demands.csv", strings.NewReader(s)); return err },
			"\xff\xfei\x00d\x00,\x00i\x00t\x00e\x00m\x00\n\x00",
			"demands.csv:1: the file is UTF-16 (Excel's \"Unicode text\"); save it as CSV UTF-8"},
		{func(s string) error { _, err := mrp.ReadCalendar("calendar.csv", strings.NewReader(s)); return err },
			"\xfe\xff\x00d\x00a\x00t\x00e",
			"calendar.csv:1: the file is UTF-16 (Excel's \"Unicode text\"); save it as CSV UTF-8"},
		// a row of far more (empty) cells than the header is refused where
		// it is, the rows after it not read; a few empty ones are fine
		{func(s string) error { _, _, _, err := mrp.ReadDemands("demands.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date\nD1,A,1,2027-01-04,,,\n\nD2,A,1,2027-01-04" + strings.Repeat(",", 5000) + "\nD3,A,x,2027-01-04\n",
			"demands.csv:4: 5004 cells, the header has 4: a row may have at most 1000 cells more than its header (empty ones, as some exports write)"},
		{func(s string) error { _, _, err := mrp.ReadStock("stock.csv", strings.NewReader(s)); return err },
			"item,qty" + strings.Repeat(",", 10000) + "\nA,1\n",
			"stock.csv:1: a header of 10002 cells: at most 10000 are read"},
		{func(s string) error { _, _, _, err := mrp.ReadDemands("demands.csv", strings.NewReader(s)); return err },
			"id,item,qty,due_date\nD,A,3,2027-01-10 00:00:00\nE,A,3,2027-01-10T08:00:00Z\nF,A,3,2027-01-10x\n",
			"demands.csv:2: due_date: \"2027-01-10 00:00:00\" is not a date (want YYYY-MM-DD: without the time of day)\n" +
				"demands.csv:3: due_date: \"2027-01-10T08:00:00Z\" is not a date (want YYYY-MM-DD: without the time of day)\n" +
				"demands.csv:4: due_date: \"2027-01-10x\" is not a date (want YYYY-MM-DD)"},
	}
	for _, c := range cases {
		err := c.read(c.in)
		if err == nil || err.Error() != c.want {
			t.Errorf("%.300q:\n got  %.1000v\n want %s", c.in, err, c.want)
		}
	}
}

// FuzzPlan builds a small plant from the fuzzer's bytes (any values, also
// invalid ones), plans it, applies a change and compares with a
// regenerative run: never a panic, and net change always equals it.
func FuzzPlan(f *testing.F) {
	f.Add([]byte{3, 1, 2, 0, 5, 9, 200, 1, 7, 3, 0, 4, 4, 60, 2})
	f.Add([]byte("a fairly long seed to give the fuzzer some structure to mutate 0123456789"))
	f.Fuzz(func(t *testing.T, b []byte) {
		at := 0
		next := func() int {
			if at >= len(b) {
				return 0
			}
			at++
			return int(b[at-1])
		}
		n := 1 + next()%6
		in := &mrp.Input{Stock: map[string]int64{}, Calendar: mrp.Calendar{Start: monday, Horizon: 1 + next()%90}}
		for i := range n {
			it := mrp.Item{ID: string(rune('A' + i)), Kind: mrp.Kind(next() % 4), LeadTime: next()%8 - 1, SafetyStock: int64(next()%20 - 2)}
			it.Lot = mrp.LotSizing{Policy: mrp.LotPolicy(next() % 5), Qty: int64(next() % 30), Periods: next() % 5,
				Min: int64(next() % 10), Max: int64(next() % 40), Multiple: int64(next() % 6), SetupCost: float64(next()), HoldingCost: float64(next()) / 100}
			for range next() % 3 {
				c := next() % (n + 1) // may be unknown or a cycle
				it.Components = append(it.Components, mrp.Component{Item: string(rune('A' + c)), QtyPer: float64(next()%5) / 2, ScrapPct: float64(next() % 20)})
			}
			in.Items = append(in.Items, it)
			in.Stock[it.ID] = int64(next()%50 - 5)
		}
		for k := range next() % 8 {
			in.Demands = append(in.Demands, mrp.Demand{ID: string(rune('a' + k)), Item: string(rune('A' + next()%(n+1))),
				Qty: int64(next()%40 - 2), Due: monday.AddDate(0, 0, next()%100-5), Forecast: next()%4 == 0})
		}
		for k := range next() % 3 {
			in.Receipts = append(in.Receipts, mrp.Receipt{ID: string(rune('r' + k)), Item: string(rune('A' + next()%n)),
				Qty: int64(next()%40 - 1), Due: monday.AddDate(0, 0, next()%60-5)})
		}
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			return
		}
		_ = p.Exceptions()
		for _, id := range p.Items() {
			if _, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: id, Qty: 3, Date: monday.AddDate(0, 0, 5)}); err != nil {
				t.Fatal(err)
			}
		}
		var c mrp.Change
		switch next() % 3 {
		case 0:
			c = mrp.SetDemand{Demand: mrp.Demand{ID: "z", Item: in.Items[next()%n].ID, Qty: int64(next()%30 - 1), Due: monday.AddDate(0, 0, next()%60)}}
		case 1:
			c = mrp.SetStock{Item: in.Items[next()%n].ID, Qty: int64(next()%60 - 1)}
		default:
			it := in.Items[next()%n]
			it.LeadTime = next() % 5
			c = mrp.SetItem{Item: it}
		}
		if _, err := p.Apply(c); err != nil {
			return
		}
		q, err := mrp.New(p.Input(), mrp.DefaultOptions())
		if err != nil {
			t.Fatalf("regenerate after %#v: %v", c, err)
		}
		if a, b := fingerprint(t, p), fingerprint(t, q); a != b {
			t.Fatalf("after %#v net change differs\n%s", c, diff(a, b))
		}
	})
}
