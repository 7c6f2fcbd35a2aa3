package mrp

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
)

// File names read by [ReadPlant].
const (
	StockFile    = "stock.csv"
	DemandsFile  = "demands.csv"
	ReceiptsFile = "receipts.csv"
	CalendarFile = "calendar.csv"
)

// maxCSVErrors bounds the errors collected from one set of files.
const maxCSVErrors = 50

// Plant is the transactional plant data read from CSV: stock, demands,
// scheduled receipts and calendar overrides. Rows remembers where each
// record came from ("file:row") for error messages.
type Plant struct {
	Stock    map[string]int64
	Demands  []Demand
	Receipts []Receipt
	// Configs holds the configuration of demands for configurable items,
	// by demand ID (demands.csv column config: char=value;char=value).
	Configs map[string]configurator.Configuration
	// Days are calendar.csv's overrides: true working, false not.
	Days map[time.Time]bool
	// Firm holds firm planned orders (kept by the server; no CSV file).
	Firm []FirmOrder
	// Rows: "stock:<item>", "demand:<id>", "receipt:<id>" -> "file:row".
	Rows map[string]string
	// Capacity is the plant's work-center capacity (workcenters.csv and
	// capacity_exceptions.csv), nil when neither file was read: every work
	// center then has the default capacity. Planning does not use it; the
	// finite scheduler and the load report do.
	Capacity *Capacity
	// CapacityExceptions are capacity_exceptions.csv's rows (also in
	// Capacity when workcenters.csv was read). Without workcenters.csv
	// they are not checked against work centers: the server checks them
	// against its master data. [FromBOM] keeps them in the plan's
	// [Calendar].
	CapacityExceptions []CapacityException
	// Confirmations are confirmations.csv's shop-floor confirmations, to
	// pass to [Planner.Confirm].
	Confirmations []Confirmation
}

type csvReader struct {
	file  string
	cols  map[string]int
	errs  []error
	rec   []string             // the current row
	dates map[string]time.Time // dates read so far: a plant has a few hundred
	hint  int                  // expected number of rows (0: unknown)
}

// newCSVReader returns a reader of file r, with a guess of its number of
// rows from its size when r tells it.
func newCSVReader(file string, r io.Reader) *csvReader {
	c := &csvReader{file: file}
	var n int64
	switch x := r.(type) {
	case interface{ Len() int }:
		n = int64(x.Len())
	case interface{ Stat() (os.FileInfo, error) }:
		if fi, err := x.Stat(); err == nil {
			n = fi.Size()
		}
	}
	c.hint = int(min(n/24, 1<<24)) // rows are rarely shorter than 24 bytes
	return c
}

// get returns the trimmed cell of column col in the current row.
func (c *csvReader) get(col string) string {
	k, ok := c.cols[col]
	if !ok || k >= len(c.rec) {
		return ""
	}
	return strings.TrimSpace(c.rec[k])
}

func (c *csvReader) fail(row int, col string, format string, a ...any) {
	if len(c.errs) < maxCSVErrors {
		c.errs = append(c.errs, &CSVError{Pos: bom.Pos{File: c.file, Line: row}, Column: col, Err: fmt.Errorf(format, a...)})
	}
}

// rows reads a CSV with a header, checking the required columns, and calls
// fn for each data row (row numbers are 1-based, the header is row 1).
func (c *csvReader) rows(r io.Reader, required []string, fn func(row int, get func(string) string)) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			c.fail(1, "", "empty file: want a header row with %s", strings.Join(required, ","))
		} else {
			c.fail(1, "", "%v", err)
		}
		return
	}
	c.cols = map[string]int{}
	for k, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := c.cols[h]; dup {
			c.fail(1, h, "duplicate column")
		}
		c.cols[h] = k
	}
	for _, h := range required {
		if _, ok := c.cols[h]; !ok {
			c.fail(1, h, "missing column (header has %s)", strings.Join(head, ","))
		}
	}
	if len(c.errs) > 0 {
		return
	}
	head = slices.Clone(head) // the reader reuses its record
	get := c.get
	row := 1
	for {
		rec, err := cr.Read()
		row++
		if err == io.EOF {
			return
		}
		if err == nil {
			row, _ = cr.FieldPos(0) // the line as an editor shows it
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				c.fail(pe.Line, "", "%v", pe.Err)
			} else {
				c.fail(row, "", "%v", err)
			}
			return
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if !c.utf8(row, head, rec) {
			continue
		}
		c.rec = rec
		fn(row, get)
		if len(c.errs) >= maxCSVErrors {
			return
		}
	}
}

// utf8 reports the cells of a row that are not UTF-8 text (a file saved in
// GBK/GB18030 or another legacy encoding) and says whether all were.
func (c *csvReader) utf8(row int, head, rec []string) bool {
	ok := true
	for k, v := range rec {
		if utf8.ValidString(v) {
			continue
		}
		col := fmt.Sprintf("column %d", k+1)
		if k < len(head) {
			col = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(head[k], "\ufeff")))
		}
		c.fail(row, col, "not valid UTF-8 (a file saved as GBK/GB18030 or another legacy encoding? save it as CSV UTF-8)")
		ok = false
	}
	return ok
}

func (c *csvReader) name(row int, col, v string) string {
	if v == "" {
		c.fail(row, col, "empty")
	}
	return v
}

func (c *csvReader) qty(row int, col, v string, positive bool) int64 {
	q, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(v, 64)
		switch {
		case v == "":
			c.fail(row, col, "empty")
			return 0
		case ferr == nil && f == math.Trunc(f) && math.Abs(f) < 1<<62:
			q = int64(f)
		case ferr == nil:
			c.fail(row, col, "%q is not a whole number of units", v)
			return 0
		default:
			c.fail(row, col, "%q is not a number", v)
			return 0
		}
	}
	if q < 0 || (positive && q == 0) {
		want := ">= 0"
		if positive {
			want = "> 0"
		}
		c.fail(row, col, "%d: want %s", q, want)
	}
	return q
}

func (c *csvReader) date(row int, col, v string) time.Time {
	if t, ok := c.dates[v]; ok {
		return t
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		c.fail(row, col, "%q is not a date (want YYYY-MM-DD)", v)
		return t
	}
	if c.dates == nil {
		c.dates = map[string]time.Time{}
	}
	if len(c.dates) < 1<<16 {
		c.dates[strings.Clone(v)] = t
	}
	return t
}

// ReadStock reads stock.csv: item,qty.
func ReadStock(file string, r io.Reader) (map[string]int64, map[string]int, error) {
	c := newCSVReader(file, r)
	out, rows := make(map[string]int64, c.hint), make(map[string]int, c.hint)
	c.rows(r, []string{"item", "qty"}, func(row int, get func(string) string) {
		item := c.name(row, "item", get("item"))
		q := c.qty(row, "qty", get("qty"), false)
		if prev, dup := rows[item]; dup && item != "" {
			c.fail(row, "item", "%s listed again (first on row %d)", item, prev)
			return
		}
		out[item], rows[item] = q, row
	})
	return out, rows, errors.Join(c.errs...)
}

// ParseConfig parses "char=value;char=value" (a characteristic may repeat
// for multi-valued characteristics).
func ParseConfig(s string) (configurator.Configuration, error) {
	cfg := configurator.Configuration{}
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, fmt.Errorf("%q: want char=value", part)
		}
		cfg[k] = append(cfg[k], v)
	}
	return cfg, nil
}

// ReadDemands reads demands.csv: id,item,qty,due_date (+ priority,
// config, forecast). It returns the demands, their configurations by ID,
// and their rows by ID.
func ReadDemands(file string, r io.Reader) ([]Demand, map[string]configurator.Configuration, map[string]int, error) {
	c := newCSVReader(file, r)
	out := make([]Demand, 0, c.hint)
	cfgs, rows := map[string]configurator.Configuration{}, make(map[string]int, c.hint)
	c.rows(r, []string{"id", "item", "qty", "due_date"}, func(row int, get func(string) string) {
		d := Demand{ID: c.name(row, "id", get("id")), Item: c.name(row, "item", get("item"))}
		d.Qty = c.qty(row, "qty", get("qty"), true)
		d.Due = c.date(row, "due_date", get("due_date"))
		if p := get("priority"); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil {
				c.fail(row, "priority", "%q is not an integer", p)
			}
			d.Priority = n
		}
		if f := get("forecast"); f != "" {
			b, err := strconv.ParseBool(f)
			if err != nil {
				c.fail(row, "forecast", "%q is not true or false", f)
			}
			d.Forecast = b
		}
		if s := get("config"); s != "" {
			cfg, err := ParseConfig(s)
			if err != nil {
				c.fail(row, "config", "%v", err)
			}
			cfgs[d.ID] = cfg
		}
		if prev, dup := rows[d.ID]; dup && d.ID != "" {
			c.fail(row, "id", "%s used again (first on row %d)", d.ID, prev)
			return
		}
		rows[d.ID] = row
		out = append(out, d)
	})
	return out, cfgs, rows, errors.Join(c.errs...)
}

// ReadReceipts reads receipts.csv: id,item,qty,due_date,kind.
func ReadReceipts(file string, r io.Reader) ([]Receipt, map[string]int, error) {
	c := newCSVReader(file, r)
	out := make([]Receipt, 0, c.hint)
	rows := make(map[string]int, c.hint)
	c.rows(r, []string{"id", "item", "qty", "due_date"}, func(row int, get func(string) string) {
		x := Receipt{ID: c.name(row, "id", get("id")), Item: c.name(row, "item", get("item"))}
		x.Qty = c.qty(row, "qty", get("qty"), true)
		x.Due = c.date(row, "due_date", get("due_date"))
		k, err := ParseReceiptKind(get("kind"))
		if err != nil {
			c.fail(row, "kind", "%q: want purchase or production", get("kind"))
		}
		x.Kind = k
		if prev, dup := rows[x.ID]; dup && x.ID != "" {
			c.fail(row, "id", "%s used again (first on row %d)", x.ID, prev)
			return
		}
		rows[x.ID] = row
		out = append(out, x)
	})
	return out, rows, errors.Join(c.errs...)
}

// ReadCalendar reads calendar.csv: date,working (1/0, true/false, yes/no).
func ReadCalendar(file string, r io.Reader) (map[time.Time]bool, error) {
	c := newCSVReader(file, r)
	out := map[time.Time]bool{}
	seen := map[time.Time]int{}
	c.rows(r, []string{"date", "working"}, func(row int, get func(string) string) {
		d := c.date(row, "date", get("date"))
		var w bool
		switch strings.ToLower(get("working")) {
		case "1", "true", "yes", "y":
			w = true
		case "0", "false", "no", "n":
		default:
			c.fail(row, "working", "%q: want 1 or 0", get("working"))
		}
		if prev, dup := seen[d]; dup {
			c.fail(row, "date", "%s listed again (first on row %d)", d.Format(time.DateOnly), prev)
		}
		seen[d] = row
		out[d] = w
	})
	return out, errors.Join(c.errs...)
}

// ReadPlantFS reads a plant's CSV files from the root of fsys:
// stock.csv, demands.csv, receipts.csv, calendar.csv, and the capacity
// (workcenters.csv, capacity_exceptions.csv, see [ReadCapacity]) and
// shop-floor confirmations (confirmations.csv) when present; missing files
// count as empty. All errors of all files are reported together (up to 50
// per file), each as file:row: column: problem, the file named by its path
// in fsys.
func ReadPlantFS(fsys fs.FS) (*Plant, error) { return readPlant(fsys, "") }

// ReadPlant is [ReadPlantFS] of the directory dir.
func ReadPlant(dir string) (*Plant, error) { return readPlant(dirFS(dir), "") }

// ReadPlantAs is [ReadPlant] with prefix joined to the file names in
// messages and rows ("data/demands.csv:7: qty: ...").
func ReadPlantAs(dir, prefix string) (*Plant, error) { return readPlant(dirFS(dir), prefix) }

// ReadPlantFSAs is [ReadPlantFS] with prefix joined to the file names in
// messages and rows.
func ReadPlantFSAs(fsys fs.FS, prefix string) (*Plant, error) { return readPlant(fsys, prefix) }

// dirFS is os.DirFS, with "" meaning the working directory.
func dirFS(dir string) fs.FS { return os.DirFS(cmp.Or(dir, ".")) }

// readFS calls fn with each file of names present in fsys (named in
// messages with prefix joined); missing files are skipped.
func readFS(fsys fs.FS, prefix string, errs *[]error, name string, fn func(file string, r io.Reader) error) {
	f, err := fsys.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		*errs = append(*errs, err)
		return
	}
	defer f.Close()
	shown := name
	if prefix != "" {
		shown = filepath.Join(prefix, name)
	}
	if err := fn(shown, f); err != nil {
		*errs = append(*errs, err)
	}
}

func readPlant(fsys fs.FS, prefix string) (*Plant, error) {
	pl := &Plant{Stock: map[string]int64{}, Configs: map[string]configurator.Configuration{}, Days: map[time.Time]bool{}, Rows: map[string]string{}}
	var errs []error
	open := func(name string, fn func(file string, r io.Reader) error) { readFS(fsys, prefix, &errs, name, fn) }
	// rows by kind, turned into pl.Rows at the end in one map of the right size
	var rowsOf [3]map[string]int
	var fileOf [3]string
	open(StockFile, func(file string, r io.Reader) error {
		s, rows, err := ReadStock(file, r)
		pl.Stock, rowsOf[0], fileOf[0] = s, rows, file
		return err
	})
	open(DemandsFile, func(file string, r io.Reader) error {
		d, cfgs, rows, err := ReadDemands(file, r)
		pl.Demands, pl.Configs, rowsOf[1], fileOf[1] = d, cfgs, rows, file
		return err
	})
	open(ReceiptsFile, func(file string, r io.Reader) error {
		x, rows, err := ReadReceipts(file, r)
		pl.Receipts, rowsOf[2], fileOf[2] = x, rows, file
		return err
	})
	pl.Rows = make(map[string]string, len(rowsOf[0])+len(rowsOf[1])+len(rowsOf[2]))
	for k, kind := range []string{"stock:", "demand:", "receipt:"} {
		var b []byte
		for id, row := range rowsOf[k] {
			b = append(append(append(b[:0], fileOf[k]...), ':'), strconv.Itoa(row)...)
			pl.Rows[kind+id] = string(b)
		}
	}
	open(CalendarFile, func(file string, r io.Reader) error {
		d, err := ReadCalendar(file, r)
		pl.Days = d
		return err
	})
	c, exc, found, err := readCapacity(fsys, prefix)
	if err != nil {
		errs = append(errs, err)
	} else if found {
		pl.Capacity, pl.CapacityExceptions = c, exc
	}
	open(ConfirmationsFile, func(file string, r io.Reader) error {
		cs, err := ReadConfirmations(file, r)
		pl.Confirmations = cs
		return err
	})
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return pl, nil
}

// Check reports plant rows that name items not in items (file:row: item:
// unknown item).
func (pl *Plant) Check(items map[string]bool) error {
	var errs []error
	bad := func(key, item string) {
		if len(errs) < maxCSVErrors && !items[item] {
			file, row := splitAt(pl.Rows[key])
			errs = append(errs, &CSVError{Pos: bom.Pos{File: file, Line: row}, Column: "item", Err: fmt.Errorf("%w %s", ErrUnknownItem, item)})
		}
	}
	for it := range pl.Stock {
		bad("stock:"+it, it)
	}
	for _, d := range pl.Demands {
		bad("demand:"+d.ID, d.Item)
	}
	for _, r := range pl.Receipts {
		bad("receipt:"+r.ID, r.Item)
	}
	return errors.Join(errs...)
}

func splitAt(s string) (string, int) {
	k := strings.LastIndexByte(s, ':')
	if k < 0 {
		return s, 0
	}
	n, _ := strconv.Atoi(s[k+1:])
	return s[:k], n
}
