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
	"sync"
	"time"
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/csvtext"
	"github.com/ctoplan/ctoplan/internal/typo"
)

// File names read by [ReadPlant].
const (
	StockFile    = "stock.csv"
	DemandsFile  = "demands.csv"
	ReceiptsFile = "receipts.csv"
	CalendarFile = "calendar.csv"
	FirmFile     = "firm.csv"
)

// maxCSVErrors bounds the errors collected from one set of files.
const maxCSVErrors = 50

// Plant is the transactional plant data read from CSV: stock, demands,
// scheduled receipts and calendar overrides. Rows remembers where each
// record came from for error messages.
type Plant struct {
	Stock    map[string]int64
	Demands  []Demand
	Receipts []Receipt
	// Configs holds the configuration of demands for configurable items,
	// by demand ID (demands.csv column config: char=value;char=value).
	Configs map[string]configurator.Configuration
	// Days are calendar.csv's overrides: true working, false not.
	Days map[time.Time]bool
	// Firm holds firm planned orders (firm.csv).
	Firm []FirmOrder
	// Rows tells the file and row of each stock, demand and receipt
	// record read from CSV; nil when the plant was not read from files.
	Rows *PlantRows
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

// colsOf returns the indices of the columns names in the current file's
// header (-1 for a column it lacks), for [csvReader.cell]; call it from
// the function rows calls, once the header is read.
func (c *csvReader) colsOf(names ...string) []int {
	ix := make([]int, len(names))
	for j, n := range names {
		k, ok := c.cols[n]
		if !ok {
			k = -1
		}
		ix[j] = k
	}
	return ix
}

// cell returns the trimmed cell of column k of the current row ("" when
// k < 0 or the row is shorter).
func (c *csvReader) cell(k int) string {
	if k < 0 || k >= len(c.rec) {
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
// known lists every column the file's reader takes (required among them):
// other columns are ignored, unless one is a plausible misspelling of a
// known column the header lacks (typo.Column).
func (c *csvReader) rows(r io.Reader, required, known []string, fn func(row int, get func(string) string)) {
	cr := csv.NewReader(csvtext.NewReader(r, ',', true))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	head, err := cr.Read()
	var te *csvtext.Error
	if err != nil {
		switch {
		case err == io.EOF:
			c.fail(1, "", "empty file: want a header row with %s", strings.Join(required, ","))
		case errors.As(err, &te):
			c.fail(te.Line, "", "%s", te.Msg)
		default:
			c.fail(1, "", "%v", err)
		}
		return
	}
	c.cols = map[string]int{}
	for k, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := c.cols[h]; dup {
			c.fail(1, csvtext.Short(h), "duplicate column")
		}
		c.cols[h] = k
	}
	for _, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if col := typo.Column(h, known, func(k string) bool { _, ok := c.cols[k]; return ok }); col != "" {
			c.fail(1, csvtext.Short(h), "%s", typo.ColumnMessage(col))
		}
	}
	for _, h := range required {
		if _, ok := c.cols[h]; !ok {
			c.fail(1, h, "missing column (header has %s)", csvtext.Short(strings.Join(head, ",")))
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
			switch {
			case errors.As(err, &pe):
				c.fail(pe.Line, "", "%v", pe.Err)
			case errors.As(err, &te):
				c.fail(te.Line, "", "%s", te.Msg) // a row of far more cells than the header
			default:
				c.fail(row, "", "%v", err)
			}
			return
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if msg := typo.ExtraCells(len(head), rec); msg != "" {
			c.fail(row, "", "%s", msg)
			continue
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

// name reads an id or name (item, demand, order, work center): not
// empty, and as the server takes one (csvtext.NameProblem: at most 256
// bytes of printable text; a longer one would not fit a store key). It
// returns "" for one refused.
func (c *csvReader) name(row int, col, v string) string {
	if v == "" {
		c.fail(row, col, "empty")
	}
	if p := csvtext.NameProblem(v, csvtext.MaxNameBytes); p != "" {
		c.fail(row, col, "%s", p)
		return ""
	}
	return v
}

// qty reads a whole number of units in [0, MaxQty] (above 0 when
// positive is set), written as docs/csv-format.md says: decimal, an
// exponent allowed (1e3), no separators (csvtext.Number).
func (c *csvReader) qty(row int, col, v string, positive bool) int64 {
	want := ">= 0"
	if positive {
		want = "> 0"
	}
	q, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		f, ferr := csvtext.Number(v)
		switch {
		case v == "":
			c.fail(row, col, "empty")
		case ferr != nil:
			c.fail(row, col, "%v", ferr)
		case f != math.Trunc(f):
			c.fail(row, col, "%s is not a whole number of units", csvtext.Quote(v))
		case f < 0:
			c.fail(row, col, "%s: want %s", csvtext.Short(v), want)
		case f > MaxQty:
			c.fail(row, col, "%s is more than %d, the most a quantity may be", csvtext.Short(v), int64(MaxQty))
		default:
			return c.qtyBounds(row, col, int64(f), positive, want)
		}
		return 0
	}
	return c.qtyBounds(row, col, q, positive, want)
}

// qtyBounds checks q, a quantity of qty.
func (c *csvReader) qtyBounds(row int, col string, q int64, positive bool, want string) int64 {
	switch {
	case q < 0 || (positive && q == 0):
		c.fail(row, col, "%d: want %s", q, want)
	case q > MaxQty:
		c.fail(row, col, "%d is more than %d, the most a quantity may be", q, int64(MaxQty))
		return 0
	}
	return q
}

// ParseDay reads a planning day, YYYY-MM-DD, from 1900 on: an earlier
// one ("0001-01-01" above all, the zero time) is no day to plan, and read
// as such it meant "no date" further on. The CSV readers and the server
// read every date of plant data with it.
func ParseDay(v string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s is not a date (want YYYY-MM-DD%s)", csvtext.Quote(v), bom.DateHint(v))
	}
	if t.Year() < 1900 {
		return time.Time{}, fmt.Errorf("%s is before 1900: no day to plan", csvtext.Quote(v))
	}
	return t, nil
}

// ParseStart reads a planning date (day 0 of a plan of horizon days, 0
// for the default 365) as [ParseDay] does, and refuses one too late to
// plan from: every day of the plan, and the 730 days past it a finite
// schedule may use, must be a date up to 9999-12-31. (With the default
// horizon the latest planning date is 9996-12-31.) The calendar refuses
// such a date too ([ErrInvalid]); this says so before any data is read.
func ParseStart(v string, horizon int) (time.Time, error) {
	t, err := ParseDay(v)
	if err != nil {
		return t, err
	}
	if horizon <= 0 {
		horizon = 365 // a negative one is the calendar's error
	}
	if err := checkStart(t, horizon); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

func (c *csvReader) date(row int, col, v string) time.Time {
	if t, ok := c.dates[v]; ok {
		return t
	}
	t, err := ParseDay(v)
	if err != nil {
		c.fail(row, col, "%v", err)
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

// ReadStock reads stock.csv: item,qty. It returns the stock by item and
// the items' rows.
func ReadStock(file string, r io.Reader) (map[string]int64, map[string]int, error) {
	c := newCSVReader(file, r)
	out, rows := make(map[string]int64, c.hint), make(map[string]int, c.hint)
	var ix []int
	c.rows(r, []string{"item", "qty"}, []string{"item", "qty"}, func(row int, _ func(string) string) {
		if ix == nil {
			ix = c.colsOf("item", "qty")
		}
		item := c.name(row, "item", c.cell(ix[0]))
		q := c.qty(row, "qty", c.cell(ix[1]), false)
		if prev, dup := rows[item]; dup && item != "" {
			c.fail(row, "item", "%s listed again (first on row %d)", item, prev)
			return
		}
		out[item], rows[item] = q, row
	})
	return out, rows, errors.Join(c.errs...)
}

// idRows keeps the IDs and rows of a file's records in file order and
// finds the IDs used twice without a map while they come in ascending
// order (as exports usually list them: a repeat can then only be the last
// ID); from the first ID out of order on, a map of the IDs read answers.
type idRows struct {
	ids     []string
	rows    []int
	last    string // the last nonempty ID while in order
	lastRow int
	seen    map[string]int // ID -> row, once out of order
}

func newIDRows(hint int) idRows {
	return idRows{ids: make([]string, 0, hint), rows: make([]int, 0, hint)}
}

// first returns the row of the record already read with ID id, if any
// (the empty ID is never a repeat).
func (d *idRows) first(id string) (int, bool) {
	if id == "" {
		return 0, false
	}
	if d.seen == nil {
		switch {
		case id > d.last:
			return 0, false
		case id == d.last:
			return d.lastRow, true
		}
		d.seen = make(map[string]int, cap(d.ids))
		for k, x := range d.ids {
			if x != "" {
				d.seen[x] = d.rows[k]
			}
		}
	}
	row, ok := d.seen[id]
	return row, ok
}

// add records a record with ID id on row row (id not a repeat: see first).
func (d *idRows) add(id string, row int) {
	d.ids = append(d.ids, id)
	d.rows = append(d.rows, row)
	switch {
	case id == "":
	case d.seen != nil:
		d.seen[id] = row
	default:
		d.last, d.lastRow = id, row
	}
}

// ParseConfig parses "char=value;char=value" (a characteristic may repeat
// for multi-valued characteristics); "char=" gives char no value (an
// optional characteristic left empty, a multi-valued one with none
// chosen).
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
			return nil, fmt.Errorf("%s: want char=value", csvtext.Quote(part))
		}
		if v == "" {
			if cfg[k] == nil {
				cfg[k] = []string{}
			}
			continue
		}
		cfg[k] = append(cfg[k], v)
	}
	return cfg, nil
}

// ReadDemands reads demands.csv: id,item,qty,due_date (+ priority,
// config, forecast). It returns the demands, their configurations by ID,
// and their rows (rows[k] is the row of the k-th demand).
func ReadDemands(file string, r io.Reader) ([]Demand, map[string]configurator.Configuration, []int, error) {
	out, cfgs, ids, err := readDemands(file, r)
	return out, cfgs, ids.rows, err
}

func readDemands(file string, r io.Reader) ([]Demand, map[string]configurator.Configuration, idRows, error) {
	c := newCSVReader(file, r)
	out := make([]Demand, 0, c.hint)
	cfgs, ids := map[string]configurator.Configuration{}, newIDRows(c.hint)
	var ix []int
	cols := []string{"id", "item", "qty", "due_date", "priority", "forecast", "config"}
	c.rows(r, cols[:4], cols, func(row int, _ func(string) string) {
		if ix == nil {
			ix = c.colsOf(cols...)
		}
		d := Demand{ID: c.name(row, "id", c.cell(ix[0])), Item: c.name(row, "item", c.cell(ix[1]))}
		d.Qty = c.qty(row, "qty", c.cell(ix[2]), true)
		d.Due = c.date(row, "due_date", c.cell(ix[3]))
		if p := c.cell(ix[4]); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil {
				c.fail(row, "priority", "%s is not an integer", csvtext.Quote(p))
			}
			d.Priority = n
		}
		if f := c.cell(ix[5]); f != "" {
			b, err := strconv.ParseBool(f)
			if err != nil {
				c.fail(row, "forecast", "%s is not true or false", csvtext.Quote(f))
			}
			d.Forecast = b
		}
		if s := c.cell(ix[6]); s != "" {
			cfg, err := ParseConfig(s)
			if err != nil {
				c.fail(row, "config", "%v", err)
			}
			cfgs[d.ID] = cfg
		}
		if strings.ContainsRune(d.ID, ';') {
			c.fail(row, "id", "%s", demandIDProblem(d.ID))
		}
		if prev, dup := ids.first(d.ID); dup {
			c.fail(row, "id", "%s used again (first on row %d)", d.ID, prev)
			return
		}
		ids.add(d.ID, row)
		out = append(out, d)
	})
	return out, cfgs, ids, errors.Join(c.errs...)
}

// ReadReceipts reads receipts.csv: id,item,qty,due_date,kind. It returns
// the receipts and their rows (rows[k] is the row of the k-th receipt).
func ReadReceipts(file string, r io.Reader) ([]Receipt, []int, error) {
	out, ids, err := readReceipts(file, r)
	return out, ids.rows, err
}

func readReceipts(file string, r io.Reader) ([]Receipt, idRows, error) {
	return readIDRecords(file, r, []string{"id", "item", "qty", "due_date"}, []string{"id", "item", "qty", "due_date", "kind"},
		func(c *csvReader, row int, ix []int) (Receipt, string, bool) {
			x := Receipt{ID: c.name(row, "id", c.cell(ix[0])), Item: c.name(row, "item", c.cell(ix[1]))}
			x.Qty = c.qty(row, "qty", c.cell(ix[2]), true)
			x.Due = c.date(row, "due_date", c.cell(ix[3]))
			k, err := ParseReceiptKind(c.cell(ix[4]))
			if err != nil {
				c.fail(row, "kind", "%s: want purchase or production", csvtext.Quote(c.cell(ix[4])))
			}
			x.Kind = k
			return x, x.ID, true
		})
}

// readIDRecords reads a file of records with a unique id column: the
// header must name required; record makes one record from a row
// (c.cell(ix[k]) is its column cols[k]) and returns its ID, or false to
// leave the row out (having reported why). A repeated ID is an error at
// its row.
func readIDRecords[T any](file string, r io.Reader, required, cols []string, record func(c *csvReader, row int, ix []int) (T, string, bool)) ([]T, idRows, error) {
	c := newCSVReader(file, r)
	out := make([]T, 0, c.hint)
	ids := newIDRows(c.hint)
	var ix []int
	c.rows(r, required, cols, func(row int, _ func(string) string) {
		if ix == nil {
			ix = c.colsOf(cols...)
		}
		x, id, ok := record(c, row, ix)
		if !ok {
			return
		}
		if prev, dup := ids.first(id); dup {
			c.fail(row, "id", "%s used again (first on row %d)", id, prev)
			return
		}
		ids.add(id, row)
		out = append(out, x)
	})
	return out, ids, errors.Join(c.errs...)
}

// ReadFirm reads firm.csv: id,item,qty,due_date, the firm planned orders.
// It returns them and their rows (rows[k] is the row of the k-th order).
// An ID with '#' must start with its item ("ITEM#..." names a planned
// order of ITEM).
func ReadFirm(file string, r io.Reader) ([]FirmOrder, []int, error) {
	out, ids, err := readFirm(file, r)
	return out, ids.rows, err
}

func readFirm(file string, r io.Reader) ([]FirmOrder, idRows, error) {
	cols := []string{"id", "item", "qty", "due_date"}
	return readIDRecords(file, r, cols, cols, func(c *csvReader, row int, ix []int) (FirmOrder, string, bool) {
		x := FirmOrder{ID: c.name(row, "id", c.cell(ix[0])), Item: c.name(row, "item", c.cell(ix[1]))}
		x.Qty = c.qty(row, "qty", c.cell(ix[2]), true)
		x.Due = c.date(row, "due_date", c.cell(ix[3]))
		if x.Item != "" && orderIDOf(x.ID, x.Item) != "" {
			c.fail(row, "id", "%s: an ID with '#' must start with its item (%s#...)", x.ID, x.Item)
			return x, "", false
		}
		return x, x.ID, true
	})
}

// ReadCalendar reads calendar.csv: date,working (1/0, true/false, yes/no).
func ReadCalendar(file string, r io.Reader) (map[time.Time]bool, error) {
	c := newCSVReader(file, r)
	out := map[time.Time]bool{}
	seen := map[time.Time]int{}
	c.rows(r, []string{"date", "working"}, []string{"date", "working"}, func(row int, get func(string) string) {
		d := c.date(row, "date", get("date"))
		var w bool
		switch strings.ToLower(get("working")) {
		case "1", "true", "yes", "y":
			w = true
		case "0", "false", "no", "n":
		default:
			c.fail(row, "working", "%s: want 1 or 0", csvtext.Quote(get("working")))
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
// stock.csv, demands.csv, receipts.csv, firm.csv, calendar.csv, and the capacity
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
	pl := &Plant{Stock: map[string]int64{}, Configs: map[string]configurator.Configuration{}, Days: map[time.Time]bool{}, Rows: &PlantRows{}}
	var errs []error
	open := func(name string, fn func(file string, r io.Reader) error) { readFS(fsys, prefix, &errs, name, fn) }
	rs := pl.Rows
	open(StockFile, func(file string, r io.Reader) error {
		s, rows, err := ReadStock(file, r)
		pl.Stock, rs.stock, rs.StockFile = s, rows, file
		return err
	})
	open(DemandsFile, func(file string, r io.Reader) error {
		d, cfgs, ids, err := readDemands(file, r)
		pl.Demands, pl.Configs, rs.of[0], rs.DemandsFile = d, cfgs, ids, file
		return err
	})
	open(ReceiptsFile, func(file string, r io.Reader) error {
		x, ids, err := readReceipts(file, r)
		pl.Receipts, rs.of[1], rs.ReceiptsFile = x, ids, file
		return err
	})
	open(FirmFile, func(file string, r io.Reader) error {
		x, ids, err := readFirm(file, r)
		pl.Firm, rs.of[2], rs.FirmFile = x, ids, file
		return err
	})
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
	if len(errs) == 0 && len(pl.Firm) > 0 && len(pl.Receipts) > 0 {
		errs = append(errs, firmReceiptIDs(pl)...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return pl, nil
}

// firmReceiptIDs refuses a firm order whose ID a scheduled receipt has:
// once released a firm order is the receipt of its ID, so one ID would
// name two orders (and pegging and exceptions could not tell them apart).
func firmReceiptIDs(pl *Plant) []error {
	recs := make(map[string]int, len(pl.Receipts))
	for k, r := range pl.Receipts {
		recs[r.ID] = k
	}
	var errs []error
	for k, f := range pl.Firm {
		rk, ok := recs[f.ID]
		if !ok {
			continue
		}
		file, row := pl.Rows.Firm(k, f.ID)
		rfile, rrow := pl.Rows.Receipt(rk, f.ID)
		errs = append(errs, &CSVError{Pos: bom.Pos{File: file, Line: row}, Column: "id",
			Err: fmt.Errorf("%w: %s is the ID of a scheduled receipt too (%s): a firm planned order and a receipt are one order once it is released; give one of them another ID", ErrInvalid, f.ID, bom.Pos{File: rfile, Line: rrow})})
		if len(errs) == maxCSVErrors {
			break
		}
	}
	return errs
}

// PlantRows tells where the stock, demand, receipt and firm order records
// of a [Plant] were read, for messages. The rows of demands, receipts and
// firm orders are kept in slices in file order, one int each, and named
// only when asked. A nil *PlantRows knows no rows.
type PlantRows struct {
	// StockFile, DemandsFile, ReceiptsFile and FirmFile name the files as
	// messages show them.
	StockFile, DemandsFile, ReceiptsFile, FirmFile string

	stock map[string]int // item -> row
	of    [3]idRows      // demands, receipts, firm orders: IDs and rows as read
	once  [3]sync.Once
	index [3]map[string]int // ID -> position in of[k], for a lookup whose hint misses
}

// Stock returns the file and row of item's stock record ("", 0 when not
// known).
func (r *PlantRows) Stock(item string) (file string, row int) {
	if r == nil {
		return "", 0
	}
	if row, ok := r.stock[item]; ok {
		return r.StockFile, row
	}
	return "", 0
}

// Demand returns the file and row of the demand with ID id, k being its
// index in [Plant.Demands] as read (a hint: after demands were removed or
// reordered the ID is looked up); "", 0 when not known.
func (r *PlantRows) Demand(k int, id string) (file string, row int) {
	if r == nil {
		return "", 0
	}
	if row := r.find(0, k, id); row > 0 {
		return r.DemandsFile, row
	}
	return "", 0
}

// Receipt is [PlantRows.Demand] for [Plant.Receipts].
func (r *PlantRows) Receipt(k int, id string) (file string, row int) {
	if r == nil {
		return "", 0
	}
	if row := r.find(1, k, id); row > 0 {
		return r.ReceiptsFile, row
	}
	return "", 0
}

// Firm is [PlantRows.Demand] for [Plant.Firm].
func (r *PlantRows) Firm(k int, id string) (file string, row int) {
	if r == nil {
		return "", 0
	}
	if row := r.find(2, k, id); row > 0 {
		return r.FirmFile, row
	}
	return "", 0
}

// find returns the row of the record with ID id of kind kind (0 demands, 1
// receipts, 2 firm orders), k being its expected position; 0 when there
// is none.
func (r *PlantRows) find(kind, k int, id string) int {
	d := &r.of[kind]
	if k >= 0 && k < len(d.ids) && d.ids[k] == id {
		return d.rows[k]
	}
	r.once[kind].Do(func() {
		m := make(map[string]int, len(d.ids))
		for j, x := range d.ids {
			if _, ok := m[x]; !ok {
				m[x] = j
			}
		}
		r.index[kind] = m
	})
	if j, ok := r.index[kind][id]; ok {
		return d.rows[j]
	}
	return 0
}

// Check reports plant rows that name items not in items (file:row: item:
// unknown item), and receipts whose ID names another item's planned
// orders (see [receiptOrderID]).
func (pl *Plant) Check(items map[string]bool) error {
	var errs []error
	bad := func(file string, row int, item string) {
		errs = append(errs, &CSVError{Pos: bom.Pos{File: file, Line: row}, Column: "item", Err: fmt.Errorf("%w %s", ErrUnknownItem, item)})
	}
	for it := range pl.Stock {
		if len(errs) < maxCSVErrors && !items[it] {
			file, row := pl.Rows.Stock(it)
			bad(file, row, it)
		}
	}
	for k, d := range pl.Demands {
		if len(errs) < maxCSVErrors && !items[d.Item] {
			file, row := pl.Rows.Demand(k, d.ID)
			bad(file, row, d.Item)
		}
	}
	for k, r := range pl.Receipts {
		if len(errs) < maxCSVErrors && !items[r.Item] {
			file, row := pl.Rows.Receipt(k, r.ID)
			bad(file, row, r.Item)
		}
		if items[orderIDOf(r.ID, r.Item)] && len(errs) < maxCSVErrors {
			file, row := pl.Rows.Receipt(k, r.ID)
			errs = append(errs, &CSVError{Pos: bom.Pos{File: file, Line: row}, Column: "id", Err: receiptOrderID(&r)})
		}
	}
	for k, f := range pl.Firm {
		if len(errs) < maxCSVErrors && !items[f.Item] {
			file, row := pl.Rows.Firm(k, f.ID)
			bad(file, row, f.Item)
		}
	}
	return errors.Join(errs...)
}
