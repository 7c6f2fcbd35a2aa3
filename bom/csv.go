package bom

import (
	"bytes"
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
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/internal/csvtext"
	"github.com/ctoplan/ctoplan/internal/typo"
)

// The master-data file names, as documented in docs/csv-format.md.
const (
	ItemsFile       = "items.csv"
	BOMFile         = "bom.csv"
	RoutingsFile    = "routings.csv"
	WorkCentersFile = "workcenters.csv"
)

// ReadDir reads the master-data CSV files found in dir (any subset of
// items.csv, bom.csv, routings.csv and workcenters.csv; at least one). Every
// bad row is reported; the error is an [ErrorList].
func ReadDir(dir string) (*Data, error) {
	return ReadFS(os.DirFS(dir), dir)
}

// ReadFS is [ReadDir] on a file system; prefix is prepended to file names
// in messages ("" for bare names).
func ReadFS(fsys fs.FS, prefix string) (*Data, error) {
	d := &Data{}
	var e errs
	found := 0
	for _, name := range []string{ItemsFile, BOMFile, RoutingsFile, WorkCentersFile} {
		f, err := fsys.Open(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		shown := name
		if prefix != "" {
			shown = filepath.Join(prefix, name)
		}
		if err != nil {
			e.add(fmt.Errorf("%s: %w", shown, err))
			continue
		}
		found++
		var part *Data
		part, err = readCSV(shown, name, f)
		f.Close()
		if err != nil {
			var l ErrorList
			if errors.As(err, &l) {
				for _, x := range l {
					e.add(x)
				}
			} else {
				e.add(err)
			}
			continue
		}
		d.Items = append(d.Items, part.Items...)
		d.Lines = append(d.Lines, part.Lines...)
		d.Ops = append(d.Ops, part.Ops...)
		d.WorkCenters = append(d.WorkCenters, part.WorkCenters...)
	}
	if found == 0 && len(e.list) == 0 {
		return nil, fmt.Errorf("%w: %s: none of %s, %s, %s, %s found", ErrInvalid, prefix, ItemsFile, BOMFile, RoutingsFile, WorkCentersFile)
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	return d, nil
}

// ReadCSV reads one master-data file; kind is its base name (items.csv,
// bom.csv, routings.csv or workcenters.csv) and name is used in messages.
func ReadCSV(name, kind string, r io.Reader) (*Data, error) {
	return readCSV(name, kind, r)
}

func readCSV(name, kind string, r io.Reader) (*Data, error) {
	var spec []column
	switch kind {
	case ItemsFile:
		spec = itemColumns
	case BOMFile:
		spec = lineColumns
	case RoutingsFile:
		spec = opColumns
	case WorkCentersFile:
		spec = wcColumns
	default:
		return nil, fmt.Errorf("%w: %s: unknown master-data file (want %s, %s, %s or %s)", ErrInvalid, name, ItemsFile, BOMFile, RoutingsFile, WorkCentersFile)
	}
	// The whole file is kept to find where quoted fields start (csv's
	// FieldPos points at the opening quote); master-data files are small.
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	src := &rawText{b: raw}
	// csvtext refuses a UTF-16 file and a row of far more cells than the
	// header before encoding/csv makes a string of each
	cr := csv.NewReader(csvtext.NewReader(bytes.NewReader(raw), ',', false))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var e errs
	header, err := cr.Read()
	if err == io.EOF {
		return nil, ErrorList{fieldErr(fileAt(name, 1), "", "empty file (want a header row)")}
	}
	if err != nil {
		return nil, ErrorList{csvErr(name, err)}
	}
	idx := make([]int, len(spec))
	for i := range idx {
		idx[i] = -1
	}
	names := make([]string, len(header))
	for j, h := range header {
		if j == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // Excel's byte-order mark
		}
		h = strings.ToLower(strings.TrimSpace(h))
		names[j] = h
		for i, c := range spec {
			if c.name == h {
				if idx[i] >= 0 {
					e.addf(fileAt(name, 1), h, "column appears twice")
				}
				idx[i] = j
			}
		}
	}
	known := make([]string, len(spec))
	for i, c := range spec {
		known[i] = c.name
	}
	for _, h := range names {
		if col := typo.Column(h, known, func(k string) bool { return slices.Contains(names, k) }); col != "" {
			e.addf(fileAt(name, 1), h, "%s", typo.ColumnMessage(col))
		}
	}
	if len(header) == 1 && strings.Count(header[0], ";") > 0 {
		return nil, ErrorList{fieldErr(fileAt(name, 1), "", "the header is separated by ';': write the file comma-separated (CSV with ',' as separator)")}
	}
	for i, c := range spec {
		if c.required && idx[i] < 0 {
			e.addf(fileAt(name, 1), c.name, "missing required column")
		}
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	d := &Data{}
	vals := make([]string, len(spec))
	for !e.full() {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			e.add(csvErr(name, err))
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err == csv.ErrFieldCount {
				continue
			}
			break // quoting errors leave the reader out of step
		}
		row, _ := cr.FieldPos(0)
		blank := true
		for i := range spec {
			vals[i] = ""
			if j := idx[i]; j >= 0 && j < len(rec) {
				vals[i] = strings.TrimSpace(rec[j])
			}
		}
		for _, f := range rec {
			if strings.TrimSpace(f) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue
		}
		pos := Pos{File: name, Line: row}
		if msg := typo.ExtraCells(len(header), rec); msg != "" {
			e.addf(at{pos: pos}, "", "%s", msg)
			continue
		}
		p := rowParser{where: at{pos: pos}, e: &e}
		if !validUTF8(p, spec, vals) {
			continue
		}
		for i, c := range spec {
			if c.required && c.nonEmpty && vals[i] == "" {
				p.e.addf(p.where, c.name, "value required")
			}
		}
		switch kind {
		case ItemsFile:
			d.Items = append(d.Items, p.item(vals, pos))
		case BOMFile:
			l := p.line(vals, pos)
			l.qtyCol, l.condCol = src.colOf(cr, idx[2], rec), src.colOf(cr, idx[6], rec)
			d.Lines = append(d.Lines, l)
		case RoutingsFile:
			o := p.op(vals, pos)
			o.condCol = src.colOf(cr, idx[5], rec)
			d.Ops = append(d.Ops, o)
		case WorkCentersFile:
			d.WorkCenters = append(d.WorkCenters, p.workCenter(vals, pos))
		}
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	return d, nil
}

// validUTF8 reports the columns of a row that are not UTF-8 text: what a
// spreadsheet saved in a legacy code page (GBK on Chinese Windows) gives.
// Left alone, the bytes would be stored as replacement characters.
func validUTF8(p rowParser, spec []column, vals []string) bool {
	ok := true
	for i, c := range spec {
		if !utf8.ValidString(vals[i]) {
			p.e.addf(p.where, c.name, "not valid UTF-8 (a file saved as GBK/GB18030 or another legacy encoding? save it as CSV UTF-8)")
			ok = false
		}
	}
	return ok
}

// rawText is a CSV file's bytes with an index of its line starts.
type rawText struct {
	b     []byte
	lines []int // offsets of line starts, built on first use
}

// colOf is the 1-based byte column where the value of field j of the
// current record starts: after an opening quote and leading blanks (0 if
// the field is absent).
func (t *rawText) colOf(cr *csv.Reader, j int, rec []string) int {
	if j < 0 || j >= len(rec) {
		return 0
	}
	line, col := cr.FieldPos(j)
	if t.lines == nil {
		t.lines = append(t.lines, 0)
		for i, c := range t.b {
			if c == '\n' {
				t.lines = append(t.lines, i+1)
			}
		}
	}
	if line >= 1 && line <= len(t.lines) {
		if off := t.lines[line-1] + col - 1; off >= 0 && off < len(t.b) && t.b[off] == '"' {
			col++
		}
	}
	return col + len(rec[j]) - len(strings.TrimLeft(rec[j], " \t"))
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fieldErr(fileAt(name, pe.Line), "", "%v", pe.Err)
	}
	var te *csvtext.Error
	if errors.As(err, &te) {
		return fieldErr(fileAt(name, te.Line), "", "%s", te.Msg)
	}
	return fmt.Errorf("%s: %w", name, err)
}

type column struct {
	name     string
	required bool // the column must be in the header
	nonEmpty bool // and the value must not be empty
}

var itemColumns = []column{
	{"item", true, true}, {"description", true, false}, {"description_zh", false, false},
	{"uom", true, true}, {"kind", true, true}, {"lead_time_days", true, true},
	{"unit_cost", true, false}, {"lot_policy", false, false}, {"lot_qty", false, false},
	{"min_qty", false, false}, {"max_qty", false, false}, {"multiple", false, false},
	{"safety_stock", false, false}, {"scrap_pct", false, false}, {"model", false, false},
	{"setup_cost", false, false}, {"holding_cost", false, false},
}

var lineColumns = []column{
	{"parent", true, true}, {"component", true, true}, {"qty_per", true, true},
	{"scrap_pct", false, false}, {"valid_from", false, false}, {"valid_to", false, false},
	{"condition", false, false}, {"position", false, false},
}

var opColumns = []column{
	{"item", true, true}, {"op_seq", true, true}, {"work_center", true, true},
	{"setup_hours", true, false}, {"run_hours_per_unit", true, false},
	{"condition", false, false}, {"description", false, false},
}

var wcColumns = []column{
	{"work_center", true, true}, {"description", false, false},
	{"rate_per_hour", true, true}, {"capacity_hours_per_day", false, false},
	{"units", false, false}, {"efficiency_pct", false, false},
}

type rowParser struct {
	where at
	e     *errs
}

// num parses a non-negative number written as docs/csv-format.md says
// (decimal, no separators: csvtext.Number); "" is 0.
func (p rowParser) num(col, s string) float64 {
	if s == "" {
		return 0
	}
	v, err := csvtext.Number(s)
	if err != nil {
		p.e.addf(p.where, col, "%v", err)
		return 0
	}
	if v < 0 {
		p.e.addf(p.where, col, "must not be negative, got %s", csvtext.Short(s))
		return 0
	}
	return v
}

func (p rowParser) pct(col, s string) float64 {
	v := p.num(col, s)
	if v >= 100 {
		p.e.addf(p.where, col, "percent must be below 100, got %s", csvtext.Short(s))
		return 0
	}
	return v
}

// name checks an id or name (item, model, work center) as the server
// takes one (csvtext.NameProblem: at most 256 bytes of printable text; a
// longer one would not fit a store key), and without U+FFFD, the
// replacement character of a text decoded in the wrong encoding.
func (p rowParser) name(col, s string) string {
	if msg := csvtext.NameProblem(s, csvtext.MaxNameBytes); msg != "" {
		p.e.addf(p.where, col, "%s", msg)
	} else if strings.ContainsRune(s, utf8.RuneError) {
		p.e.addf(p.where, col, "name %q holds U+FFFD, the replacement character (a text decoded in the wrong encoding?)", s)
	}
	return s
}

func (p rowParser) date(col, s string) Date {
	if s == "" {
		return 0
	}
	d, err := ParseDate(s)
	if err != nil {
		p.e.addf(p.where, col, "%v", err)
	}
	return d
}

func (p rowParser) item(v []string, src Pos) *Item {
	it := &Item{
		ID: p.name("item", v[0]), Description: v[1], DescriptionZh: v[2], UOM: v[3],
		Src: src,
	}
	var err error
	if v[4] != "" {
		if it.Kind, err = ParseKind(v[4]); err != nil {
			p.e.addf(p.where, "kind", "%v", err)
		}
	}
	if strings.EqualFold(v[5], "routing") {
		it.LeadTimeFromRouting = true
	} else {
		it.LeadTimeDays = p.num("lead_time_days", v[5])
	}
	it.UnitCost = p.num("unit_cost", v[6])
	if it.LotPolicy, err = ParseLotPolicy(v[7]); err != nil {
		p.e.addf(p.where, "lot_policy", "%v", err)
	}
	it.LotQty = p.num("lot_qty", v[8])
	it.MinQty = p.num("min_qty", v[9])
	it.MaxQty = p.num("max_qty", v[10])
	it.Multiple = p.num("multiple", v[11])
	it.SafetyStock = p.num("safety_stock", v[12])
	it.ScrapPct = p.pct("scrap_pct", v[13])
	it.Model = p.name("model", v[14])
	it.SetupCost = p.num("setup_cost", v[15])
	it.HoldingCost = p.num("holding_cost", v[16])
	if col, msg := WholeLotProblem(it); msg != "" {
		p.e.addf(p.where, col, "%s", msg)
	}
	return it
}

// WholeLotProblem names the column and the problem of an item whose fixed
// lot, number of periods or multiple is not a whole number: MRP plans
// whole units and days, so it could not honor it (and does not round it).
// It returns "", "" for an item without one.
func WholeLotProblem(it *Item) (col, msg string) {
	unit := "whole units of " + cmp.Or(it.UOM, "the item's unit")
	for _, f := range []struct {
		col  string
		v    float64
		what string
	}{
		{"lot_qty", map[LotPolicy]float64{FixedQty: it.LotQty, PeriodQty: it.LotQty}[it.LotPolicy],
			map[LotPolicy]string{FixedQty: "a fixed lot of " + unit, PeriodQty: "a whole number of periods (working days)"}[it.LotPolicy]},
		{"multiple", it.Multiple, "a multiple of " + unit},
	} {
		if f.v > 0 && f.v <= 1e15 && f.v != math.Trunc(f.v) {
			return f.col, fmt.Sprintf("%v is not a whole number: MRP plans whole units and days, give %s", f.v, f.what)
		}
	}
	return "", ""
}

func (p rowParser) line(v []string, src Pos) *Line {
	l := &Line{
		Parent: p.name("parent", v[0]), Component: p.name("component", v[1]),
		ScrapPct:  p.pct("scrap_pct", v[3]),
		ValidFrom: p.date("valid_from", v[4]), ValidTo: p.date("valid_to", v[5]),
		Condition: v[6], Position: v[7], Src: src,
	}
	q, err := csvtext.Number(v[2])
	switch {
	case err == nil:
		if q <= 0 {
			p.e.addf(p.where, "qty_per", "quantity must be positive, got %s (line %s -> %s)", csvtext.Short(v[2]), l.Parent, l.Component)
		}
		l.Qty = q
	case looksNumeric(v[2]):
		p.e.addf(p.where, "qty_per", "%v", err)
	default:
		l.QtyExpr = v[2] // checked against the model on import
	}
	return l
}

// looksNumeric reports whether s is a number gone wrong, not a quantity
// formula: made of digits, decimal separators, blanks and a leading sign
// only ("1,5", "1.5.2"), or a number in a form Go reads and this format
// does not (1_000, 0x10, Inf) or beyond a float64 (1e400).
func looksNumeric(s string) bool {
	if _, err := strconv.ParseFloat(s, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		return true
	}
	if strings.HasPrefix(strings.ToLower(strings.TrimLeft(s, "+-")), "0x") {
		return true // a hexadecimal integer, which ParseFloat takes only with an exponent
	}
	s = strings.TrimLeft(s, "+-")
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == ',' || r == ' ') {
			return false
		}
	}
	return true
}

func (p rowParser) op(v []string, src Pos) *Op {
	o := &Op{
		Item: p.name("item", v[0]), WorkCenter: p.name("work_center", v[2]),
		SetupHours: p.num("setup_hours", v[3]), RunHours: p.num("run_hours_per_unit", v[4]),
		Condition: v[5], Description: v[6], Src: src,
	}
	if v[1] != "" {
		n, err := strconv.Atoi(v[1])
		if err != nil || n <= 0 {
			p.e.addf(p.where, "op_seq", "want a positive integer, got %s", csvtext.Quote(v[1]))
		}
		o.Seq = n
	}
	return o
}

func (p rowParser) workCenter(v []string, src Pos) *WorkCenter {
	w := &WorkCenter{
		ID: p.name("work_center", v[0]), Description: v[1],
		RatePerHour: p.num("rate_per_hour", v[2]),
		HoursPerDay: p.num("capacity_hours_per_day", v[3]),
		Src:         src,
	}
	if v[3] != "" && w.HoursPerDay == 0 {
		p.e.addf(p.where, "capacity_hours_per_day", "must be positive")
	}
	if w.HoursPerDay > 24 {
		p.e.addf(p.where, "capacity_hours_per_day", "a day has 24 hours, got %s", csvtext.Short(v[3]))
	}
	if v[4] != "" {
		n, err := strconv.Atoi(v[4])
		if err != nil || n <= 0 || n > MaxUnits {
			p.e.addf(p.where, "units", "want an integer from 1 to %d, got %s", MaxUnits, csvtext.Quote(v[4]))
		}
		w.Units = n
	}
	if v[5] != "" {
		pct := p.num("efficiency_pct", v[5])
		if pct == 0 || pct > 1000 {
			p.e.addf(p.where, "efficiency_pct", "want a percentage above 0 and at most 1000, got %s", csvtext.Short(v[5]))
		}
		w.Efficiency = pct / 100
	}
	return w
}
