package mrp

import (
	"fmt"
	"math"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/csvtext"
)

// Kind says how an item is replenished: [bom.Kind], one type for both
// packages.
type Kind = bom.Kind

const (
	// Make items are produced: their planned orders are production orders
	// and explode into the item's components.
	Make = bom.Make
	// Buy items are purchased: their planned orders are purchase requisitions.
	Buy = bom.Buy
	// Phantom items are never stocked as orders of their own: their net
	// requirements are blown through to their components on the same day
	// (after their lead time, normally zero).
	Phantom = bom.Phantom
)

// ParseKind is [bom.ParseKind] with errors that match [ErrInvalid].
func ParseKind(s string) (Kind, error) {
	k, err := bom.ParseKind(s)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return k, nil
}

// LotPolicy selects how net requirements are grouped into planned orders:
// [bom.LotPolicy], one type for both packages.
type LotPolicy = bom.LotPolicy

const (
	// LotForLot orders exactly each day's net requirement.
	LotForLot = bom.LotForLot
	// FixedQty orders [LotSizing.Qty], or the smallest multiple of it that
	// covers the net requirement.
	FixedQty = bom.FixedQty
	// PeriodQty orders the net requirements of [LotSizing.Periods] working
	// days at once.
	PeriodQty = bom.PeriodQty
	// WagnerWhitin groups net requirements optimally for the given setup
	// and holding costs (uncapacitated single-item lot sizing).
	WagnerWhitin = bom.WagnerWhitin
)

// ParseLotPolicy is [bom.ParseLotPolicy] with errors that match
// [ErrInvalid].
func ParseLotPolicy(s string) (LotPolicy, error) {
	p, err := bom.ParseLotPolicy(s)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return p, nil
}

// LotSizing holds an item's lot-size policy and its numbers.
type LotSizing struct {
	Policy LotPolicy
	// Qty is the fixed order quantity (FixedQty).
	Qty int64
	// Periods is the number of working days one order covers (PeriodQty).
	Periods int
	// Min, Max and Multiple round every order quantity: at least Min, a
	// multiple of Multiple, at most Max (larger needs are split into
	// several orders on the same day). Zero means no bound.
	Min, Max, Multiple int64
	// SetupCost (per order) and HoldingCost (per unit and calendar day)
	// drive WagnerWhitin.
	SetupCost, HoldingCost float64
}

// Component is one line of an item's (resolved) bill of material.
type Component struct {
	Item     string
	QtyPer   float64 // quantity per unit of the parent, > 0
	ScrapPct float64 // component scrap in percent, >= 0
}

// Operation is one routing step of a make item.
type Operation struct {
	Seq        int
	WorkCenter string
	SetupHours float64
	RunHours   float64 // per unit
	// HoursPerDay is the working time per day of the work center (one
	// machine or person: what bom's lead times count), for scheduling
	// the operation backwards; 0 means [Options.HoursPerDay].
	HoursPerDay float64 `json:",omitempty"`
}

// hoursPerDay is the operation's working time per day (def when unset).
func (op *Operation) hoursPerDay(def float64) float64 {
	if op.HoursPerDay > 0 {
		return op.HoursPerDay
	}
	return def
}

// Item is a planned item: a standard part or one resolved configured
// variant node (then ID is its content hash).
type Item struct {
	ID       string
	Kind     Kind
	LeadTime int // working days
	Lot      LotSizing
	// SafetyStock is kept on hand at all times; netting treats falling
	// below it as a net requirement.
	SafetyStock int64
	// ScrapPct is assembly scrap: the components of every order of this
	// item are required in quantity inflated by ScrapPct percent.
	ScrapPct float64
	// Components is the item's bill of material: what an order of it
	// consumes, required on the day the order starts (its release day).
	Components []Component
	// BOMChanges date the bill of material: an order that starts on or
	// after a change's From (and before the next change's) explodes that
	// change's Components instead of Components. They are sorted by From,
	// each From later than the one before. An order released before the
	// planning date (past due) explodes on the planning date, the day its
	// components are required. Nil means the BOM never changes.
	BOMChanges []BOMChange
	Operations []Operation
}

// BOMChange is a dated change of an item's bill of material: the
// components of the orders starting on or after From (a date; the time of
// day is ignored).
type BOMChange struct {
	From       time.Time
	Components []Component
}

// Demand is an independent requirement: a sales-order line or a forecast.
type Demand struct {
	ID       string
	Item     string
	Qty      int64
	Due      time.Time
	Priority int // higher is served first within a day when pegging
	Forecast bool
	// Product and Config keep a configured sales-order line's order as
	// placed: the configurable item and its configuration (Item is then the
	// planning item of its variant, see [BOMSource.Variant]). They travel
	// with the demand (journal, snapshot, [Planner.Input]) so that the plan
	// can be rebuilt from the master data ([FromBOM]); the planner itself
	// reads neither.
	Product string                     `json:",omitempty"`
	Config  configurator.Configuration `json:",omitempty"`
}

// ReceiptKind says what a scheduled receipt is.
type ReceiptKind uint8

const (
	// PurchaseOrder is an open purchase order.
	PurchaseOrder ReceiptKind = iota
	// ProductionOrder is an open production order.
	ProductionOrder
)

func (k ReceiptKind) String() string {
	if k == ProductionOrder {
		return "production"
	}
	return "purchase"
}

// ParseReceiptKind parses "purchase" (or "po") and "production" (or "mo").
func ParseReceiptKind(s string) (ReceiptKind, error) {
	switch s {
	case "", "purchase", "po", "PO":
		return PurchaseOrder, nil
	case "production", "mo", "MO", "prod":
		return ProductionOrder, nil
	}
	return 0, fmt.Errorf("%w: receipt kind %s (want purchase or production)", ErrInvalid, csvtext.Quote(s))
}

// Receipt is a scheduled receipt: an open purchase or production order.
type Receipt struct {
	ID   string
	Item string
	Qty  int64
	Due  time.Time
	Kind ReceiptKind
}

// FirmOrder is a firm planned order: the planner fixed its quantity and
// due date. MRP counts it on its due date and explodes its BOM like any
// planned order, but never changes, moves or drops it: a firm order not
// needed on its date gets a reschedule-out or cancel message, and a
// shortage before it gets a planned order of its own. Its ID is usually
// the planned order's ID it was firmed from ([Planner.Firm]).
type FirmOrder struct {
	ID   string
	Item string
	Qty  int64
	Due  time.Time
}

// Calendar is the working-day calendar and the planning window.
type Calendar struct {
	// Start is the planning date (day 0); only its date counts.
	Start time.Time
	// Horizon is the number of calendar days planned (default 365).
	Horizon int
	// Weekend lists the non-working weekdays (nil means Saturday and Sunday).
	Weekend []time.Weekday
	// Days overrides single dates: true = working, false = holiday.
	// Keys are dates (time of day ignored).
	Days map[time.Time]bool
	// TimeZone is the plant's IANA time zone ("Europe/Berlin"; "" is UTC):
	// operation times are wall-clock times of the plant, shown with its
	// offset. Days (the planning date, due and release dates) are dates.
	TimeZone string `json:",omitempty"`
	// ShiftStart is the plant's wall-clock time the working day starts,
	// "HH:MM" ("" is 08:00); a day has [Options.HoursPerDay] working hours
	// from then on.
	ShiftStart string `json:",omitempty"`
	// CapacityExceptions are the work centers' capacity exceptions per
	// date (capacity_exceptions.csv), kept with the plan's calendar so
	// that a [Store] holds them; planning ignores them, [NewCapacity]
	// takes them with the work centers (which must know every one).
	CapacityExceptions []CapacityException `json:",omitempty"`
}

// Input is everything a plan is computed from.
type Input struct {
	Items    []Item
	Demands  []Demand
	Receipts []Receipt
	// Firm holds the firm planned orders.
	Firm     []FirmOrder
	Stock    map[string]int64
	Calendar Calendar
}

// Options tune the planner. The zero value is not valid: start from
// [DefaultOptions].
type Options struct {
	// RescheduleWindow is how many calendar days earlier than its due date
	// a scheduled receipt may be pulled in (with a reschedule-in message)
	// before a new planned order is created instead.
	RescheduleWindow int
	// HoursPerDay is the working time per day for scheduling operations
	// whose work center gives none ([Operation.HoursPerDay] 0; 0 here:
	// the default, 8).
	HoursPerDay float64
	// Workers bounds the parallelism of a regenerative run and of the
	// wide levels of a supply tree ([Planner.PegTree]) (0: GOMAXPROCS).
	Workers int
	// PegLimit is the most top-level demands an order's pegging lists
	// ([Planner.PeggedDemands], [Planner.EachOrder]): those due first
	// (then by ID), the part of the order serving the others summed as
	// its rest. On a deep plant a common part's order serves hundreds of
	// sales orders, and listing them all makes the listing grow with
	// depth times demands. 0 means [DefaultPegLimit]; a negative value
	// lists every demand.
	PegLimit int
	// MaxSplitOrders bounds the orders that maximum lot sizes
	// ([LotSizing.Max]) may split off a plan's lots, summed over its
	// items, as a bound figured from the input before planning: [New]
	// and [Planner.Apply] refuse a plant or change that could pass it
	// (ErrInvalid, naming the item that adds most). 0 means
	// [DefaultMaxSplitOrders]; a negative value, no bound (a maximum of
	// 30 on an item needing a billion units is then 33 million orders,
	// gigabytes).
	MaxSplitOrders int
}

// maxSplits is the bound of split orders in force.
func (o Options) maxSplits() float64 {
	switch {
	case o.MaxSplitOrders == 0:
		return DefaultMaxSplitOrders
	case o.MaxSplitOrders < 0:
		return math.Inf(1)
	}
	return float64(o.MaxSplitOrders)
}

// DefaultPegLimit is the most demands an order's pegging lists when
// [Options.PegLimit] is 0.
const DefaultPegLimit = 10

// pegLimit is the peg limit in force, 0 for none.
func (o Options) pegLimit() int {
	switch {
	case o.PegLimit == 0:
		return DefaultPegLimit
	case o.PegLimit < 0:
		return 0
	}
	return o.PegLimit
}

// DefaultOptions returns the default planner options.
func DefaultOptions() Options {
	return Options{RescheduleWindow: 10, HoursPerDay: 8}
}

// withDefaults fills the fields whose zero value means the default.
func (o Options) withDefaults() Options {
	if o.HoursPerDay == 0 {
		o.HoursPerDay = DefaultOptions().HoursPerDay
	}
	return o
}

// Validate reports whether o is usable. The zero Options are: HoursPerDay
// 0 means the default, and RescheduleWindow 0 means no receipt is pulled
// in (DefaultOptions allows 10 days).
func (o Options) Validate() error {
	o = o.withDefaults()
	if o.RescheduleWindow < 0 {
		return fmt.Errorf("%w: options: RescheduleWindow %d < 0", ErrInvalid, o.RescheduleWindow)
	}
	if !(o.HoursPerDay > 0 && o.HoursPerDay <= 24) {
		return fmt.Errorf("%w: options: HoursPerDay %v not in (0, 24]", ErrInvalid, o.HoursPerDay)
	}
	if o.Workers < 0 {
		return fmt.Errorf("%w: options: Workers %d < 0", ErrInvalid, o.Workers)
	}
	return nil
}

// Bounds that keep every quantity of a plan well inside int64.
const (
	// MaxQty bounds demand, receipt, stock, safety-stock and lot quantities.
	MaxQty = 1_000_000_000_000
	// MaxQtyPer bounds a component's quantity per.
	MaxQtyPer = 1_000_000
	// MaxLeadTime bounds an item's lead time and a period lot's number
	// of periods, in working days (ten years).
	MaxLeadTime = 3650
	// MaxOpHours bounds an operation's setup hours and run hours per unit
	// (below it, as bom's routings): an order's operation takes at most
	// about 1e21 hours, finite.
	MaxOpHours = 1e9
)

// FeasibleLot reports whether some order quantity satisfies the lot
// rounding bounds: a positive multiple of mult (when mult > 1) that is at
// least lo and, when hi > 0, at most hi (zero means no bound, as in
// [LotSizing]). Without such a quantity lot sizing could only break a
// bound, so [New] and [SetItem] refuse the item.
func FeasibleLot(lo, hi, mult int64) bool {
	if lo < 0 || hi < 0 || mult < 0 {
		return false
	}
	if hi == 0 {
		return true
	}
	least := max(lo, 1)
	if mult <= 1 {
		return least <= hi
	}
	// Some k*mult lies in [least, hi] iff ceil(least/mult) <= floor(hi/mult)
	// (written so that nothing overflows).
	return (least-1)/mult+1 <= hi/mult
}

func validateItem(it *Item) error {
	bad := func(format string, a ...any) error {
		return &ItemError{Item: it.ID, Err: fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, a...)...)}
	}
	if it.ID == "" {
		return fmt.Errorf("%w: item with empty id", ErrInvalid)
	}
	if it.Kind < Make || it.Kind > Phantom {
		return bad("kind %d", it.Kind)
	}
	if it.LeadTime < 0 || it.LeadTime > MaxLeadTime {
		return bad("lead time %d working days not in [0, %d]", it.LeadTime, MaxLeadTime)
	}
	if it.SafetyStock < 0 || it.SafetyStock > MaxQty {
		return bad("safety stock %d not in [0, %d]", it.SafetyStock, int64(MaxQty))
	}
	if !(it.ScrapPct >= 0 && it.ScrapPct < 1000) {
		return bad("scrap %v%% not in [0, 1000)", it.ScrapPct)
	}
	l := it.Lot
	if l.Policy < LotForLot || l.Policy > WagnerWhitin {
		return bad("lot policy %d", l.Policy)
	}
	if l.Policy == FixedQty && l.Qty <= 0 {
		return bad("fixed order quantity %d must be > 0", l.Qty)
	}
	if l.Policy == PeriodQty && l.Periods <= 0 {
		return bad("period order quantity needs periods > 0 (got %d)", l.Periods)
	}
	if l.Qty > MaxQty || l.Min > MaxQty || l.Max > MaxQty || l.Multiple > MaxQty || l.Periods > MaxLeadTime {
		return bad("lot size numbers too large")
	}
	if l.Min < 0 || l.Max < 0 || l.Multiple < 0 || (l.Max > 0 && l.Max < l.Min) {
		return bad("lot rounding min %d max %d multiple %d", l.Min, l.Max, l.Multiple)
	}
	if l.Max > 0 && l.Multiple > l.Max {
		return bad("lot multiple %d exceeds max %d", l.Multiple, l.Max)
	}
	if !FeasibleLot(l.Min, l.Max, l.Multiple) {
		return bad("no multiple of %d lies between min %d and max %d", l.Multiple, l.Min, l.Max)
	}
	if !(l.SetupCost >= 0) || !(l.HoldingCost >= 0) || math.IsInf(l.SetupCost, 0) || math.IsInf(l.HoldingCost, 0) {
		return bad("setup cost %v / holding cost %v", l.SetupCost, l.HoldingCost)
	}
	if l.Policy == WagnerWhitin && l.HoldingCost == 0 && l.SetupCost == 0 {
		return bad("Wagner-Whitin needs a setup or holding cost")
	}
	checkComps := func(cs []Component, where string) error {
		for _, c := range cs {
			if c.Item == "" {
				return bad("%scomponent with empty id", where)
			}
			if !(c.QtyPer > 0 && c.QtyPer <= MaxQtyPer) {
				return bad("%scomponent %s: quantity per %v not in (0, %g]", where, c.Item, c.QtyPer, float64(MaxQtyPer))
			}
			if !(c.ScrapPct >= 0 && c.ScrapPct < 1000) {
				return bad("%scomponent %s: scrap %v%% not in [0, 1000)", where, c.Item, c.ScrapPct)
			}
		}
		return nil
	}
	if err := checkComps(it.Components, ""); err != nil {
		return err
	}
	for k, ch := range it.BOMChanges {
		where := fmt.Sprintf("BOM change %d (from %s): ", k+1, ch.From.Format(time.DateOnly))
		if ch.From.IsZero() {
			return bad("BOM change %d: no date (From)", k+1)
		}
		if k > 0 && !dateOf(ch.From).After(dateOf(it.BOMChanges[k-1].From)) {
			return bad("%snot after the change before it (%s): changes must be in date order, one per date",
				where, it.BOMChanges[k-1].From.Format(time.DateOnly))
		}
		if err := checkComps(ch.Components, where); err != nil {
			return err
		}
	}
	for _, op := range it.Operations {
		if !(op.SetupHours >= 0 && op.SetupHours < MaxOpHours) || !(op.RunHours >= 0 && op.RunHours < MaxOpHours) {
			return bad("operation %d: hours setup %v run %v not in [0, %g) (as bom's routings)", op.Seq, op.SetupHours, op.RunHours, float64(MaxOpHours))
		}
		if !(op.HoursPerDay >= 0 && op.HoursPerDay <= 24) {
			return bad("operation %d: work center %s: hours per day %v not in [0, 24]", op.Seq, op.WorkCenter, op.HoursPerDay)
		}
	}
	return nil
}
