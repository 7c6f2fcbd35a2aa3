// Package mrprun is `ctoplan mrp run --data DIR` in one process: load a
// data directory as the MRP service does, plan it, and write the planned
// orders with their pegging as the service's listing prints them, straight
// from the plan (no protobuf messages, no per-order allocation beyond the
// order ID).
//
// # Caveats
//
// Only csv and table output; json goes through the service.
package mrprun

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/mrp"
)

// Header is the listing's header row.
var Header = []string{"id", "item", "kind", "qty", "release_date", "due_date", "firm", "pegged_to", "pegged_rest"}

// Phase is the time one phase of the command took: wall-clock time and
// the CPU time of the whole process meanwhile (user + system, on all
// cores; 0 where the system does not say).
type Phase struct{ Wall, CPU time.Duration }

// Phases is where the time of [PlanDir] and [WriteOrders] went, phase by
// phase.
type Phases struct {
	// Load is reading and checking the plant CSV files and, at the same
	// time, importing the master data into the bom store; ReadWall is the
	// wall time of the plant files alone.
	Load     Phase
	ReadWall time.Duration
	Input    Phase // building the planning input (resolving the BOMs)
	Plan     Phase // planning
	Peg      Phase // pegging the whole plan ([WriteOrders] with pegging)
	Write    Phase // rendering and writing the rows ([WriteOrders])
}

// clock starts timing a phase; stop ends it.
type clock struct {
	wall time.Time
	cpu  time.Duration
}

func startClock() clock { return clock{time.Now(), cpuTime()} }

// Timed runs fn and stores its wall and process CPU time in ph.
func Timed(ph *Phase, fn func() error) error {
	c := startClock()
	err := fn()
	c.stop(ph)
	return err
}

func (c clock) stop(ph *Phase) clock {
	n := startClock()
	ph.Wall, ph.CPU = n.wall.Sub(c.wall), n.cpu-c.cpu
	return n
}

// String is the phases as the command's log line gives them: wall/CPU
// milliseconds each.
func (ph *Phases) String() string {
	f := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 0, 64) }
	g := func(name string, p Phase) string { return name + " " + f(p.Wall) + "/" + f(p.CPU) }
	return "wall/CPU ms: " + g("read+import", ph.Load) + " (read alone " + f(ph.ReadWall) + " wall), " +
		g("input", ph.Input) + ", " + g("plan", ph.Plan) + ", " + g("pegging", ph.Peg) + ", " + g("write", ph.Write)
}

// PlanDir loads a data directory as the service does (master data and
// models into a bom store, then the plant files) and plans it on o.Start,
// in o's time zone and shift, with the planner options po. If ph is not
// nil, the time of each phase is stored there.
func PlanDir(ctx context.Context, dir string, o mrp.LoadOptions, po mrp.Options, ph *Phases) (*mrp.Planner, *mrp.Input, error) {
	if ph == nil {
		ph = new(Phases)
	}
	c := startClock()
	db := bom.NewMemoryDB()
	defer db.Close()
	s, err := bom.Open(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	// the plant files are read while the master data is imported (errors
	// in the master data are still reported first)
	var pl *mrp.Plant
	var plErr error
	read := make(chan struct{})
	go func() {
		defer close(read)
		pl, plErr = mrp.ReadPlantAs(dir, dir)
		ph.ReadWall = time.Since(c.wall)
	}()
	err = s.ImportDir(ctx, dir, "")
	<-read
	c = c.stop(&ph.Load)
	if err != nil {
		return nil, nil, err
	}
	if plErr != nil {
		return nil, nil, plErr
	}
	in, _, err := mrp.FromBOM(ctx, s, pl, o)
	if err != nil {
		return nil, nil, err
	}
	c = c.stop(&ph.Input)
	p, err := mrp.NewContext(ctx, in, po)
	if err == nil && len(pl.Confirmations) > 0 {
		// the shop floor's confirmations.csv, as every command that plans
		// a directory applies it (scrap shrinks released orders)
		if _, err = p.Confirm(pl.Confirmations...); err != nil {
			err = fmt.Errorf("%s: %w", filepath.Join(dir, mrp.ConfirmationsFile), err)
		}
	}
	c.stop(&ph.Plan)
	return p, in, err
}

// WriteOrders writes the plan's orders (not phantoms) as mrp run lists
// them, in csv or table format. The rows of successive runs of items are
// rendered on all cores and written in order. If ph is not nil, the time
// of pegging the plan and of writing the rows are stored there.
func WriteOrders(w io.Writer, p *mrp.Planner, format string, peg bool, ph *Phases) error {
	if ph == nil {
		ph = new(Phases)
	}
	c := startClock()
	if peg {
		// the whole plan's pegging, computed once on all cores (EachOrderOf
		// of no item computes it and lists nothing)
		if err := p.EachOrderOf(0, 0, false, true, func(*mrp.OrderLine) error { return nil }); err != nil {
			return err
		}
	}
	c = c.stop(&ph.Peg)
	defer c.stop(&ph.Write)
	var out io.Writer = w
	var tw *tabwriter.Writer
	var bw *bufio.Writer
	sep, quote := byte(','), true
	if format == "table" {
		rows := func() *orderRows { return &orderRows{p: p, sep: '\t'} }
		widths, plain, err := tableWidths(p, rows, peg)
		if err != nil {
			return err
		}
		if plain {
			return writeTable(w, p, rows, peg, &widths)
		}
		// a tabwriter writes every cell on its own when flushed:
		// buffered, not one system call per cell
		bw = bufio.NewWriterSize(w, 64<<10)
		tw = tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		out, sep, quote = tw, '\t', false
	}
	head := []byte(strings.Join(Header, string(sep)) + "\n")
	if _, err := out.Write(head); err != nil {
		return err
	}
	err := render(out, p, func() *orderRows { return &orderRows{p: p, sep: sep, quote: quote} }, peg)
	if err != nil {
		return err
	}
	if tw != nil {
		if err := tw.Flush(); err != nil {
			return err
		}
		return bw.Flush()
	}
	return nil
}

// PieceItems is how many items' orders a piece of a listing of p holds:
// about rows orders on average, at least one item and at most 256. The
// pieces waiting for the writer are held in memory: sized by items
// alone, those of a plant with thousands of orders an item held tens of
// MB each (11 MB a piece, 290 MB of the peak on the 50k default plant).
func PieceItems(p *mrp.Planner, rows int) int {
	items, orders := p.Size()
	if orders <= 0 {
		return 256
	}
	return int(min(256, max(1, int64(rows)*int64(items)/int64(orders))))
}

// pieceRows is about how many orders a piece of a CSV or table listing
// holds: 4,096 rows of 60-200 bytes.
const pieceRows = 4096

// render writes the rows of every item's orders to out, pieces of
// PieceItems items rendered by GOMAXPROCS workers (at most a few pieces
// ahead of the writer) and written in item order.
func render(out io.Writer, p *mrp.Planner, rows func() *orderRows, peg bool) error {
	return WritePieces(out, p.Stats().Items, PieceItems(p, pieceRows), func() func(from, to int, buf []byte) ([]byte, error) {
		r := rows()
		return func(from, to int, buf []byte) ([]byte, error) {
			return r.render(from, to, peg, buf)
		}
	})
}

// render appends the rows of the orders of items from to to-1 to buf.
func (r *orderRows) render(from, to int, peg bool, buf []byte) ([]byte, error) {
	r.buf = buf
	err := r.p.EachOrderOf(from, to, false, peg, func(o *mrp.OrderLine) error {
		r.add(o)
		return nil
	})
	return r.buf, err
}

// WritePieces writes n things (items of a plan) to out in order, in
// pieces of chunk: each piece's bytes are appended to a buffer by a
// filler, GOMAXPROCS of them (newFiller makes one per worker, called on
// its goroutine) at most a few pieces ahead of the writer. It stops at
// the first error, a filler's or out's, and returns it.
func WritePieces(out io.Writer, n, chunk int, newFiller func() func(from, to int, buf []byte) ([]byte, error)) error {
	type piece struct {
		from int
		done chan []byte
		err  error
	}
	nw := runtime.GOMAXPROCS(0)
	jobs := make(chan *piece)
	order := make(chan *piece, 2*nw)
	free := make(chan []byte, 3*nw)
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range nw {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fill := newFiller()
			for pc := range jobs {
				var buf []byte
				select {
				case buf = <-free:
					buf = buf[:0]
				default:
				}
				if !stop.Load() {
					buf, pc.err = fill(pc.from, min(pc.from+chunk, n), buf)
				}
				pc.done <- buf
			}
		}()
	}
	go func() {
		defer close(order)
		defer close(jobs)
		for from := 0; from < n; from += chunk {
			pc := &piece{from: from, done: make(chan []byte, 1)}
			order <- pc // blocks while the writer is 2*nw pieces behind
			jobs <- pc
		}
	}()
	var err error
	for pc := range order {
		b := <-pc.done
		if err == nil {
			err = pc.err
		}
		if err == nil {
			_, err = out.Write(b)
		}
		if err != nil {
			stop.Store(true)
		}
		select {
		case free <- b:
		default:
		}
	}
	wg.Wait()
	return err
}

// orderRows renders order lines: the cells of the service listing, as encoding/csv
// (quote set) or the table listing would print them.
type orderRows struct {
	p     *mrp.Planner
	sep   byte
	quote bool
	buf   []byte
	dates dates
	// the last item's ID, whether it is quoted, and whether the IDs of
	// its orders that are not firm are
	item               string
	itemQuote, idQuote bool
}

func (r *orderRows) add(o *mrp.OrderLine) {
	if o.Item != r.item || r.item == "" {
		r.item, r.itemQuote = o.Item, r.quote && needsQuotes(o.Item)
		r.idQuote = r.quote && (hasQuoteByte(o.Item) || leadsWithSpace(o.Item))
	}
	n := len(r.buf)
	r.buf = o.AppendID(r.buf)
	if o.Firm {
		r.endCell(n) // the ID it was firmed with
	} else if r.idQuote {
		// ITEM#YYYY-MM-DD[.n] (mrp.PlannedOrder.ID): quoted as the item's
		// bytes and first rune say (it is never `\.`)
		r.quoteFrom(n)
	}
	r.buf = append(r.buf, r.sep)
	n = len(r.buf)
	r.buf = append(r.buf, o.Item...)
	if r.itemQuote {
		r.quoteFrom(n)
	}
	r.buf = append(r.buf, r.sep)
	r.buf = append(r.buf, o.Kind.String()...)
	r.buf = append(r.buf, r.sep)
	r.buf = strconv.AppendInt(r.buf, o.Qty, 10)
	r.buf = append(r.buf, r.sep)
	r.buf = append(r.buf, r.dates.of(r.p, o.ReleaseDay)...)
	r.buf = append(r.buf, r.sep)
	r.buf = append(r.buf, r.dates.of(r.p, o.DueDay)...)
	r.buf = append(r.buf, r.sep)
	r.buf = strconv.AppendBool(r.buf, o.Firm)
	r.buf = append(r.buf, r.sep)
	n = len(r.buf)
	// The cell is D1:q1;D2:q2...: only the demand IDs can hold a byte
	// that makes encoding/csv quote it (the numbers and separators are
	// digits, '.', '-', ':' and ';'), and its first rune is D1's; it is
	// never `\.`. So the IDs are checked, not the whole cell.
	quote := false
	for k, s := range o.Pegged {
		if k > 0 {
			r.buf = append(r.buf, ';')
		}
		if r.quote && !quote {
			quote = hasQuoteByte(s.Demand) || k == 0 && leadsWithSpace(s.Demand)
		}
		r.buf = append(r.buf, s.Demand...)
		r.buf = append(r.buf, ':')
		r.buf = appendNum(r.buf, s.Qty)
	}
	if quote {
		r.quoteFrom(n)
	}
	r.buf = append(r.buf, r.sep)
	if o.PeggedRest != 0 {
		r.buf = appendNum(r.buf, o.PeggedRest)
	}
	r.buf = append(r.buf, '\n')
}

// dates formats the days of a plan (each once: a plan has a few hundred).
type dates struct {
	pos, neg []string // day d >= 0; day -1-d
}

func (s *dates) of(p *mrp.Planner, day int) string {
	t, k := &s.pos, day
	if day < 0 {
		t, k = &s.neg, -1-day
	}
	if k >= len(*t) {
		*t = append(*t, make([]string, k+1-len(*t))...)
	}
	if (*t)[k] == "" {
		(*t)[k] = p.Date(day).Format(time.DateOnly)
	}
	return (*t)[k]
}

// endCell quotes the cell r.buf[n:] if encoding/csv would.
func (r *orderRows) endCell(n int) {
	if r.quote && needsQuotesBytes(r.buf[n:]) {
		r.quoteFrom(n)
	}
}

// quoteFrom quotes the cell r.buf[n:] as encoding/csv does: in double
// quotes, each double quote doubled.
func (r *orderRows) quoteFrom(n int) {
	q := 2
	for _, c := range r.buf[n:] {
		if c == '"' {
			q++
		}
	}
	end := len(r.buf)
	r.buf = append(r.buf, make([]byte, q)...)
	// move the cell right, from its end, doubling quotes
	w := len(r.buf) - 1
	r.buf[w] = '"'
	w--
	for k := end - 1; k >= n; k-- {
		c := r.buf[k]
		r.buf[w] = c
		w--
		if c == '"' {
			r.buf[w] = '"'
			w--
		}
	}
	r.buf[w] = '"'
}

// special marks the bytes that make encoding/csv quote a field anywhere in it.
var special = [256]bool{'"': true, '\r': true, '\n': true, ',': true}

// needsQuotesBytes is [needsQuotes] of a byte slice, without converting it.
func needsQuotesBytes(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if special[c] {
			return true
		}
	}
	if len(b) == 2 && b[0] == '\\' && b[1] == '.' {
		return true
	}
	if b[0] < utf8.RuneSelf {
		return b[0] == ' ' || b[0] == '\t' || b[0] == '\v' || b[0] == '\f'
	}
	c, _ := utf8.DecodeRune(b)
	return unicode.IsSpace(c)
}

// needsQuotes is encoding/csv's rule for a comma-separated field.
func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	return hasQuoteByte(s) || leadsWithSpace(s)
}

// hasQuoteByte says whether s holds a byte that makes encoding/csv quote
// a field wherever it stands.
func hasQuoteByte(s string) bool {
	for k := 0; k < len(s); k++ {
		if special[s[k]] {
			return true
		}
	}
	return false
}

// leadsWithSpace says whether s starts with a space (Unicode's), which
// makes encoding/csv quote a field.
func leadsWithSpace(s string) bool {
	if s == "" {
		return false
	}
	if s[0] < utf8.RuneSelf {
		return s[0] == ' ' || s[0] == '\t' || s[0] == '\v' || s[0] == '\f'
	}
	c, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(c)
}

// AppendNum appends a quantity as the listing prints it (see appendNum).
func AppendNum(b []byte, f float64) []byte { return appendNum(b, f) }

// AppendField appends field as one field of a comma-separated row,
// quoted as encoding/csv quotes it (in double quotes, each double quote
// doubled, when needsQuotes says so).
func AppendField(b, field []byte) []byte {
	if !needsQuotesBytes(field) {
		return append(b, field...)
	}
	b = append(b, '"')
	for _, c := range field {
		if c == '"' {
			b = append(b, '"')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

// AppendFieldString is AppendField of a string.
func AppendFieldString(b []byte, field string) []byte {
	if !needsQuotes(field) {
		return append(b, field...)
	}
	b = append(b, '"')
	for k := 0; k < len(field); k++ {
		if field[k] == '"' {
			b = append(b, '"')
		}
		b = append(b, field[k])
	}
	return append(b, '"')
}

// appendNum appends a quantity without float noise (at most 6 decimals),
// as the listing prints it: strconv.FormatFloat(math.Round(f*1e6)/1e6,
// 'f', -1, 64), with whole numbers (nearly every quantity) printed as
// integers, which is the same text at a fraction of the cost.
func appendNum(b []byte, f float64) []byte {
	if f == math.Trunc(f) && math.Abs(f) < 1e9 && (f != 0 || !math.Signbit(f)) {
		// f*1e6 is exact below 2^53, so the rounding keeps f
		return strconv.AppendInt(b, int64(f), 10)
	}
	n := math.Round(f * 1e6)
	r := n / 1e6
	if r == math.Trunc(r) && math.Abs(r) < 1<<53 && (r != 0 || !math.Signbit(r)) {
		return strconv.AppendInt(b, int64(r), 10)
	}
	if math.Abs(f) < 1e9 && n != 0 {
		// r is n/10^6 correctly rounded, with n = ±I*10^6+F an integer
		// below 2^53 and F != 0 (r is not whole; n == 0 is -0 here). Printed as I.F with F's
		// trailing zeros cut, it is the shortest decimal that reads back
		// as r, which is what AppendFloat(r, 'f', -1) prints: a shorter
		// one would be >= 10^-6 away from n/10^6, while doubles below
		// 10^9 are at most 2^-23 apart. Fractions of a share are common
		// in the pegging of deep plants, and this is ~10x cheaper.
		return appendMicros(b, int64(n))
	}
	return strconv.AppendFloat(b, r, 'f', -1, 64)
}

// appendMicros appends n/10^6 for n not a multiple of 10^6: the whole
// part, a point and the six decimals without their trailing zeros.
func appendMicros(b []byte, n int64) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/1e6, 10)
	frac := n % 1e6
	digits := 6
	for frac != 0 && frac%10 == 0 {
		frac /= 10
		digits--
	}
	b = append(b, '.', '0', '0', '0', '0', '0', '0')
	for k := len(b) - 6 + digits - 1; frac > 0; k-- {
		b[k] = byte('0' + frac%10)
		frac /= 10
	}
	return b[:len(b)-6+digits]
}
