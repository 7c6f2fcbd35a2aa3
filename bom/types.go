package bom

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ctoplan/ctoplan/internal/csvtext"
)

// Kind says how an item is obtained (mrp.Kind is the same type).
type Kind int

const (
	// Make: manufactured in house from its components and routing.
	Make Kind = iota
	// Buy: purchased.
	Buy
	// Phantom: a kit that is never stocked; its components go straight into
	// its parent when a BOM is resolved ("blown through").
	Phantom
)

var kindNames = [...]string{Make: "make", Buy: "buy", Phantom: "phantom"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind reads "make", "buy" or "phantom" in any letter case, or their
// first letters "m", "b", "p". It is the one parser of kinds: bom and mrp
// CSV files both go through it.
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(s) {
	case "make", "m":
		return Make, nil
	case "buy", "b":
		return Buy, nil
	case "phantom", "p":
		return Phantom, nil
	}
	return 0, fmt.Errorf("unknown kind %s (want make, buy or phantom)", csvtext.Quote(s))
}

// LotPolicy is an item's lot-sizing rule (used by MRP, which names the same
// type mrp.LotPolicy).
type LotPolicy int

const (
	// LotForLot orders exactly the net requirement.
	LotForLot LotPolicy = iota
	// FixedQty orders Item.LotQty (or a multiple of it).
	FixedQty
	// PeriodQty covers the net requirements of Item.LotQty periods.
	PeriodQty
	// WagnerWhitin orders the cost-optimal (Wagner-Whitin) lots.
	WagnerWhitin
)

var lotNames = [...]string{LotForLot: "lfl", FixedQty: "foq", PeriodQty: "poq", WagnerWhitin: "ww"}

func (p LotPolicy) String() string {
	if p >= 0 && int(p) < len(lotNames) {
		return lotNames[p]
	}
	return "lot(" + strconv.Itoa(int(p)) + ")"
}

// ParseLotPolicy reads "lfl", "foq", "poq" or "ww" in any letter case, or
// the long names "fixed", "period" and "wagner-whitin"; "" is lot-for-lot.
// It is the one parser of lot policies for bom and mrp.
func ParseLotPolicy(s string) (LotPolicy, error) {
	switch strings.ToLower(s) {
	case "", "lfl":
		return LotForLot, nil
	case "foq", "fixed":
		return FixedQty, nil
	case "poq", "period":
		return PeriodQty, nil
	case "ww", "wagner-whitin":
		return WagnerWhitin, nil
	}
	return 0, fmt.Errorf("unknown lot policy %s (want lfl, foq, poq or ww)", csvtext.Quote(s))
}

// Pos is a position in a source file: the file, the 1-based line (for a
// CSV record its row; the header is row 1) and, when known, the 1-based
// byte column. It is the one source-position type of bom's and mrp's
// errors. The zero Pos means "built in Go code".
type Pos struct {
	File string `json:"f,omitempty"`
	Line int    `json:"r,omitempty"`
	Col  int    `json:"c,omitempty"`
}

// IsValid reports whether p is a position (not the zero Pos).
func (p Pos) IsValid() bool { return p != Pos{} }

// String is "file:line", "file:line:col", or "" for the zero Pos.
func (p Pos) String() string {
	if !p.IsValid() {
		return ""
	}
	s := p.File + ":" + strconv.Itoa(p.Line)
	if p.Col > 0 {
		s += ":" + strconv.Itoa(p.Col)
	}
	return s
}

// at is where a record is, for error messages: its source position, or,
// for a record built in Go code, a description of it ("item X").
type at struct {
	pos Pos
	rec string
}

func (a at) String() string {
	if a.pos.IsValid() {
		return a.pos.String()
	}
	return a.rec
}

func fileAt(file string, line int) at { return at{pos: Pos{File: file, Line: line}} }

// describe is the position src or, when it is zero, the description
// format(args).
func describe(src Pos, format string, args ...any) at {
	if src.IsValid() {
		return at{pos: src}
	}
	return at{rec: fmt.Sprintf(format, args...)}
}

// Item is a part, an assembly or a configurable product.
type Item struct {
	ID            string  `json:"id"`
	Description   string  `json:"desc,omitempty"`
	DescriptionZh string  `json:"desc_zh,omitempty"`
	UOM           string  `json:"uom"`
	Kind          Kind    `json:"kind"`
	LeadTimeDays  float64 `json:"lt,omitempty"`
	// LeadTimeFromRouting derives the lead time from the resolved routing
	// (see docs/csv-format.md); LeadTimeDays is then ignored.
	LeadTimeFromRouting bool      `json:"lt_routing,omitempty"`
	UnitCost            float64   `json:"cost,omitempty"`
	LotPolicy           LotPolicy `json:"lot,omitempty"`
	LotQty              float64   `json:"lot_qty,omitempty"`
	MinQty              float64   `json:"min,omitempty"`
	MaxQty              float64   `json:"max,omitempty"`
	Multiple            float64   `json:"mult,omitempty"`
	// SetupCost (per order) and HoldingCost (per unit and calendar day)
	// drive the ww lot policy; 0 means derived from UnitCost (see
	// docs/csv-format.md).
	SetupCost   float64 `json:"setup,omitempty"`
	HoldingCost float64 `json:"hold,omitempty"`
	SafetyStock float64 `json:"ss,omitempty"`
	// ScrapPct is assembly scrap: making N good units needs the components
	// of N*(1+ScrapPct/100).
	ScrapPct float64 `json:"scrap,omitempty"`
	// Model names the product model that configures this item ("" for a
	// standard item).
	Model string `json:"model,omitempty"`
	Src   Pos    `json:"src"`
}

// Line is one line of a super BOM.
type Line struct {
	Parent    string `json:"p"`
	Component string `json:"c"`
	// Qty is the quantity per parent unit when QtyExpr is empty.
	Qty float64 `json:"q,omitempty"`
	// QtyExpr is an integer expression of the model language (e.g.
	// "battery_ah / 100"), evaluated against the configuration in force.
	QtyExpr  string  `json:"qe,omitempty"`
	ScrapPct float64 `json:"scrap,omitempty"`
	Position string  `json:"pos,omitempty"`
	// ValidFrom and ValidTo bound the effectivity, both inclusive; the zero
	// Date is open.
	ValidFrom Date `json:"from,omitempty"`
	ValidTo   Date `json:"to,omitempty"`
	// Condition is a selection condition of the model language; "" always
	// selects the line.
	Condition string `json:"cond,omitempty"`
	Src       Pos    `json:"src"`
	// condCol and qtyCol are the 1-based columns where the condition and
	// qty_per fields start in the CSV source (0 when unknown).
	condCol, qtyCol int
}

// Op is one operation of a routing.
type Op struct {
	Item        string  `json:"item"`
	Seq         int     `json:"seq"`
	WorkCenter  string  `json:"wc"`
	SetupHours  float64 `json:"setup,omitempty"`
	RunHours    float64 `json:"run,omitempty"`
	Condition   string  `json:"cond,omitempty"`
	Description string  `json:"desc,omitempty"`
	Src         Pos     `json:"src"`
	condCol     int
}

// WorkCenter is a machine group or work station with an hourly rate.
type WorkCenter struct {
	ID          string  `json:"id"`
	Description string  `json:"desc,omitempty"`
	RatePerHour float64 `json:"rate"`
	HoursPerDay float64 `json:"hours,omitempty"` // capacity; 0 means 8
	// Units is the number of machines or people, each offering
	// HoursPerDay (0 means 1); Efficiency scales the hours (1 is 100%; 0
	// means 1). They count for finite capacity (package mrp), not for
	// lead times.
	Units      int     `json:"units,omitempty"`
	Efficiency float64 `json:"eff,omitempty"`
	Src        Pos     `json:"src"`
}

// MaxUnits is the most units a work center may have (bom and mrp).
const MaxUnits = 100_000

// Capacity is the available hours per working day (8 when unset).
func (w *WorkCenter) Capacity() float64 {
	if w.HoursPerDay > 0 {
		return w.HoursPerDay
	}
	return 8
}

// Data is a set of master data to import: items, super BOM lines, routing
// operations and work centers.
type Data struct {
	Items       []*Item
	Lines       []*Line
	Ops         []*Op
	WorkCenters []*WorkCenter
}

// Date is a calendar day, counted in days since 1970-01-01. The zero Date
// stands for "open" in effectivity bounds; use [DateOf] for real days.
type Date int32

// DateOf returns the calendar day of t in t's location. Days up to
// 1970-01-01 are not usable as effectivity bounds (the zero Date is "open").
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date(u.Unix() / 86400)
}

// DateHint is ": without the time of day" for a date written with one
// ("2027-01-10 00:00:00", "2027-01-10T08:00:00Z", as database and ERP
// exports write them), to follow "want YYYY-MM-DD"; else "". The time is
// not dropped silently: with a zone or past midnight it may fall on
// another day of the plant's calendar.
func DateHint(s string) string {
	if len(s) > 10 && (s[10] == ' ' || s[10] == 'T') {
		if _, err := time.Parse(time.DateOnly, s[:10]); err == nil {
			return ": without the time of day"
		}
	}
	return ""
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("bad date %s (want YYYY-MM-DD%s)", csvtext.Quote(s), DateHint(s))
	}
	d := DateOf(t)
	if d <= 0 {
		return 0, fmt.Errorf("date %s before 1970-01-02 is not supported", csvtext.Quote(s))
	}
	return d, nil
}

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func (d Date) String() string {
	if d == 0 {
		return "open"
	}
	return d.Time().Format(time.DateOnly)
}

// MarshalText writes YYYY-MM-DD ("" for the zero Date).
func (d Date) MarshalText() ([]byte, error) {
	if d == 0 {
		return nil, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText reads YYYY-MM-DD ("" for the zero Date).
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = 0
		return nil
	}
	v, err := ParseDate(string(b))
	*d = v
	return err
}

// effective reports whether the line is effective on day.
func (l *Line) effective(day Date) bool {
	return (l.ValidFrom == 0 || day >= l.ValidFrom) && (l.ValidTo == 0 || day <= l.ValidTo)
}

// where names the line for error messages: its source row, or
// "line PARENT -> COMPONENT".
func (l *Line) where() at { return describe(l.Src, "line %s -> %s", l.Parent, l.Component) }

func (o *Op) where() at { return describe(o.Src, "operation %s/%d", o.Item, o.Seq) }

func (it *Item) where() at { return describe(it.Src, "item %s", it.ID) }

func (w *WorkCenter) where() at { return describe(w.Src, "work center %s", w.ID) }

// normCond collapses blanks so that "a=b" and "a = b" compare equal in the
// overlap check only when written alike apart from spacing.
func normCond(s string) string { return strings.Join(strings.Fields(s), " ") }
