// Package demo tells ctoplan's story on the forklift maker's data, end to
// end, through the RPC API (the demo shows what a client of the server
// sees): load the data, configure a truck, quote it, confirm the order,
// show its pegging, rush it, try a key customer's rush order on finite
// capacity, confirm shop-floor operations, look up the order's status.
//
// # Basics
//
// [Run] walks the steps in order, one small function each ([story]'s
// methods), printing the story; `ctoplan demo` runs it on an in-process
// server over a Badger store, the tests on a memory store.
//
// # Caveats
//
// The story needs its sales order ([Order]) in the data's demands.csv and
// the forklift model's characteristics; other data fails with an error
// naming what is missing.
package demo

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"

	"github.com/ctoplan/ctoplan/cmd/ctoplan/internal/wire"
	"github.com/ctoplan/ctoplan/internal/convert"
)

// Clients are the RPC clients the story calls.
type Clients struct {
	Conf configuratorv1connect.ConfiguratorServiceClient
	BOM  bomv1connect.BOMServiceClient
	MRP  mrpv1connect.MRPServiceClient
}

// Data is the demo data as the story loads it into the server.
type Data interface {
	// LoadMaster imports the product models (*.ctm) and the master-data
	// CSV files in one import (nil, nil: none).
	LoadMaster(ctx context.Context) (*bomv1.ImportResponse, error)
	// LoadPlant imports the plant CSV files without the demand rows
	// whose id is in skip, and plans on date (nil, nil: none).
	LoadPlant(ctx context.Context, date string, skip ...string) (*mrpv1.ImportPlantResponse, error)
	// Read returns a file's text and whether it exists; Name its name
	// for messages.
	Read(file string) (string, bool, error)
	Name(file string) string
}

// The story: a German importer orders 100 identical trucks. Its
// configuration is the one of this sales order in demands.csv; the demo
// takes the order live instead of loading it.
const (
	Order = "SO-26-1187"
	Item  = "FL-TRUCK"
	// Date is the demo data's planning date (testdata/forklift/README.md).
	Date     = "2026-12-01"
	rushDays = 7
	// the key customer's rush order (step 7): 20 trucks of the same
	// configuration, due before the story's order, served first
	KeyRushOrder    = "SO-26-1201"
	keyRushQty      = 20
	KeyRushDue      = "2027-03-19"
	keyRushPriority = 2
	// the released production order whose first two operations the shop
	// floor confirms (step 8)
	confirmOrder = "MO-26-0912"
)

// headline are the characteristics the salesperson picks one by one, in
// this order; the other wishes of the customer follow in one go.
var headline = []string{"capacity", "battery", "mast", "lift_height", "cold_store", "region", "delivery"}

// Facts are the story's key facts, for the test.
type Facts struct {
	Variant           string // the order's BOM variant
	Root              string // its top node's content hash
	VariantsBefore    int    // variants stored before confirming the order
	VariantsAfter     int    // ... and after
	PlanningItem      string // the planning item of the 100 trucks
	BuildVariant      string // the BOM variant they are built as (in force when their assembly starts)
	TruckOrders       int    // production orders of the truck variant
	TruckQty          int64
	PeggedOrders      int // planned orders in the order's supply tree
	Production        int
	Purchase          int
	NotPegged         int // of those, orders not pegged to the order
	ItemsInPlan       int
	ConfirmTouched    int
	RushTouched       int
	RushChanged       int
	NewExceptions     int
	CompletedMatches  bool // completion gave the importer's configuration
	PromisedBy, Limit string
	// steps 7 and 8: the rush order's promised date, how many sales
	// orders it delays; operations confirmed; the story order's status
	RushPromised   string
	RushDelayed    int
	RushAccepted   bool
	Confirmed      int
	StatusOpsTotal int
	StatusExpected string
	StatusLateDays int
}

// Run walks the story on cl with the data ds, planning on date, and prints
// it to w; it returns the story's key facts.
func Run(ctx context.Context, w io.Writer, cl Clients, ds Data, date string) (*Facts, error) {
	s := &story{ctx: ctx, w: w, cl: cl, ds: ds, date: date, f: &Facts{}}
	s.p = func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	t0 := time.Now()
	for _, step := range []func() error{s.data, s.configure, s.quote, s.confirm, s.pegging, s.rush, s.rushOrder, s.shopFloor} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	s.p("\ndone in %.1f s.\n", time.Since(t0).Seconds())
	return s.f, nil
}

// whyPick is the last headline pick that ruled values out: the values,
// the pick and the picks up to it.
type whyPick struct {
	removed []string
	pick    *configuratorv1.Pick
	picks   []*configuratorv1.Pick
}

// story is the demo's state from one step to the next.
type story struct {
	ctx  context.Context
	w    io.Writer
	p    func(format string, args ...any)
	cl   Clients
	ds   Data
	date string
	f    *Facts

	order *storyOrderRow                       // the sales order of demands.csv (step 1)
	model string                               // the truck's product model (step 2)
	picks []*configuratorv1.Pick               // the salesperson's picks (step 2)
	chars []*configuratorv1.Characteristic     // the model's characteristics (step 2)
	state map[string]configuratorv1.ValueState // the status of each char=value under picks (step 2)
	why   whyPick                              // the pick step 2 explains
	cfg   []*configuratorv1.Assignment         // the completed configuration (step 3)
	v     *bomv1.Variant                       // its BOM variant on the delivery date (step 3)
}

// data is step 1: load the models, the super BOM and the plant, and plan.
func (s *story) data() error {
	ctx, cl, p := s.ctx, s.cl, s.p
	p("ctoplan demo: quote -> order -> plan, for a maker of electric forklifts\n\n")
	p("1. The data\n")
	imp, err := s.ds.LoadMaster(ctx)
	if err != nil {
		return err
	}
	if imp.GetItems() == 0 {
		return errors.New("the demo data has no master data (items.csv, bom.csv, ...)")
	}
	models, err := cl.Conf.ListModels(ctx, connect.NewRequest(&configuratorv1.ListModelsRequest{}))
	if err != nil {
		return err
	}
	for _, m := range models.Msg.GetModels() {
		p("   product model %s %s (%s): %d characteristics, %d rules, %d compatibility tables\n",
			m.GetName(), m.GetVersion(), m.GetLabels()["en"], m.GetCharacteristics(), m.GetRules(), m.GetTables())
	}
	p("   super BOM: %d items, %d BOM lines, %d routing operations, %d work centers\n",
		imp.GetItems(), imp.GetLines(), imp.GetOperations(), imp.GetWorkCenters())
	order, err := storyDemand(s.ds)
	if err != nil {
		return err
	}
	s.order = order
	pl, err := s.ds.LoadPlant(ctx, s.date, Order)
	if err != nil {
		return err
	}
	run := pl.GetRun()
	p("   plant: %d open sales orders, %d open purchase/production orders, stock of %d items\n",
		pl.GetDemands(), pl.GetReceipts(), pl.GetStock())
	p("   plan on %s: %d items, %d planned orders (%.1f ms)\n\n", run.GetDate(), run.GetItems(), run.GetPlannedOrders(), run.GetElapsedMs())
	return nil
}

// configure is step 2: a salesperson picks the headline characteristics one
// by one, then the rest of the spec sheet, and asks why a value went.
func (s *story) configure() error {
	ctx, cl, p := s.ctx, s.cl, s.p
	model := "forklift"
	if it, err := cl.BOM.GetItem(ctx, connect.NewRequest(&bomv1.GetItemRequest{Id: Item})); err == nil {
		model = it.Msg.GetItem().GetModel()
	} else {
		return err
	}
	gm, err := cl.Conf.GetModel(ctx, connect.NewRequest(&configuratorv1.GetModelRequest{Name: model}))
	if err != nil {
		return err
	}
	chars := gm.Msg.GetCharacteristics()
	p("2. A salesperson configures the importer's truck (%d characteristics)\n", len(chars))
	s.model, s.chars = model, chars
	if s.state, err = s.propagate(nil); err != nil {
		return err
	}
	for _, step := range []func() error{s.pickHeadline, s.pickRest, s.explainWhy} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// propagate is the status of every char=value under picks.
func (s *story) propagate(picks []*configuratorv1.Pick) (map[string]configuratorv1.ValueState, error) {
	ctx, cl, model := s.ctx, s.cl, s.model
	res, err := cl.Conf.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: model, Picks: picks}))
	if err != nil {
		return nil, err
	}
	out := map[string]configuratorv1.ValueState{}
	for _, cd := range res.Msg.GetChars() {
		for _, l := range []struct {
			vals  []string
			state configuratorv1.ValueState
		}{
			{cd.GetSelected(), configuratorv1.ValueState_VALUE_STATE_SELECTED},
			{cd.GetForced(), configuratorv1.ValueState_VALUE_STATE_FORCED},
			{cd.GetPossible(), configuratorv1.ValueState_VALUE_STATE_POSSIBLE},
			{cd.GetExcluded(), configuratorv1.ValueState_VALUE_STATE_EXCLUDED},
		} {
			for _, v := range l.vals {
				out[cd.GetChar()+"="+v] = l.state
			}
		}
	}
	return out, nil

}

// pickHeadline picks the headline characteristics of the order one by one
// and prints what each rules out and fixes.
func (s *story) pickHeadline() error {
	p, order, chars := s.p, s.order, s.chars
	for _, name := range headline {
		vals, ok := order.cfg[name]
		if !ok || len(vals) != 1 {
			continue
		}
		pk := &configuratorv1.Pick{Char: name, Value: vals[0]}
		s.picks = append(s.picks, pk)
		next, err := s.propagate(s.picks)
		if err != nil {
			return err
		}
		var removed, forced []string
		for k, st := range next {
			if st == configuratorv1.ValueState_VALUE_STATE_EXCLUDED && s.state[k] != configuratorv1.ValueState_VALUE_STATE_EXCLUDED && !strings.HasPrefix(k, name+"=") {
				removed = append(removed, k)
			}
			if st == configuratorv1.ValueState_VALUE_STATE_FORCED && s.state[k] != configuratorv1.ValueState_VALUE_STATE_FORCED {
				forced = append(forced, k)
			}
		}
		sortByModel(removed, chars)
		sortByModel(forced, chars)
		p("   picks %-22s rules out %3d values%s\n", convert.PickText(pk), len(removed), sample(removed, 5))
		if len(forced) > 0 {
			p("   %-28s and fixes %s\n", "", strings.Join(forced, ", "))
		}
		if len(removed) > 0 {
			s.why = whyPick{removed, pk, slices.Clone(s.picks)}
		}
		s.state = next
	}
	return nil
}

// pickRest picks the rest of the spec sheet in one go.
func (s *story) pickRest() error {
	p, order, chars := s.p, s.order, s.chars
	var rest []*configuratorv1.Pick
	for _, c := range chars {
		if slices.Contains(headline, c.GetName()) {
			continue
		}
		vals := order.cfg[c.GetName()]
		if slices.Equal(sorted(vals), sorted(c.GetDefault())) {
			continue
		}
		for _, v := range vals {
			rest = append(rest, &configuratorv1.Pick{Char: c.GetName(), Value: v})
		}
		if len(vals) == 0 && c.GetOptional() {
			rest = append(rest, &configuratorv1.Pick{Char: c.GetName(), Value: ""})
		}
	}
	if len(rest) > 0 {
		s.picks = append(s.picks, rest...)
		next, err := s.propagate(s.picks)
		if err != nil {
			return err
		}
		n := 0
		for k, st := range next {
			if st == configuratorv1.ValueState_VALUE_STATE_EXCLUDED && s.state[k] != configuratorv1.ValueState_VALUE_STATE_EXCLUDED {
				n++
			}
		}
		shown := make([]string, len(rest))
		for i, r := range rest {
			shown[i] = convert.PickText(r)
		}
		p("   then %d more wishes from the spec sheet (%s) rule out %d more values\n", len(rest), sample(shown, 4)[2:], n)
		s.state = next
	}
	return nil
}

// explainWhy asks why the last headline pick that ruled something out ruled
// out its first value.
func (s *story) explainWhy() error {
	ctx, cl, p, model := s.ctx, s.cl, s.p, s.model
	if s.why.pick != nil {
		char, value, _ := strings.Cut(s.why.removed[0], "=")
		ex, err := cl.Conf.Explain(ctx, connect.NewRequest(&configuratorv1.ExplainRequest{Model: model, Picks: s.why.picks, Char: char, Value: value}))
		if err != nil {
			return err
		}
		r := ex.Msg.GetReason()
		var because []string
		for _, pk := range r.GetPicks() {
			because = append(because, convert.PickText(pk))
		}
		p("   why did %s rule out %s? because of %s and\n", convert.PickText(s.why.pick), s.why.removed[0], strings.Join(because, ", "))
		for _, c := range r.GetConstraints() {
			p("     %s %s: \"%s\"\n", wire.ConstraintKind(c.GetKind()), c.GetName(), c.GetMessage()["en"])
		}
	}
	return nil
}

// quote is step 3: complete the picks, resolve the BOM variant, cost it and
// promise a date.
func (s *story) quote() error {
	ctx, cl, f, p := s.ctx, s.cl, s.f, s.p
	order, model, picks := s.order, s.model, s.picks
	comp, err := cl.Conf.Complete(ctx, connect.NewRequest(&configuratorv1.CompleteRequest{Model: model, Picks: picks}))
	if err != nil {
		return err
	}
	cfg := comp.Msg.GetConfiguration()
	f.CompletedMatches = sameConfig(cfg, order.cfg)
	p("\n3. The truck is completed with the model's defaults (%d characteristics, key %s...)\n", len(cfg), comp.Msg.GetKey()[:12])
	if f.CompletedMatches {
		p("   it is exactly the configuration on the importer's order\n")
	}
	pr, err := cl.MRP.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: Item, Configuration: cfg, Qty: float64(order.qty), Date: order.due}))
	if err != nil {
		return err
	}
	// the cost is the variant's an order delivered on the promised date
	// is built as: the BOM in force on the day it starts
	res, err := cl.BOM.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: Item, Configuration: cfg, Date: pr.Msg.GetStartDate()}))
	if err != nil {
		return err
	}
	v := res.Msg.GetVariant()
	f.Variant, f.Root = v.GetId(), v.GetRoot()
	cost, err := cl.BOM.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: &bomv1.Target{Variant: v.GetId()}, LotSize: proto.Float64(float64(order.qty))}))
	if err != nil {
		return err
	}
	lt, err := cl.BOM.LeadTime(ctx, connect.NewRequest(&bomv1.LeadTimeRequest{Target: &bomv1.Target{Variant: v.GetId()}}))
	if err != nil {
		return err
	}
	f.PromisedBy, f.Limit = pr.Msg.GetDate(), pr.Msg.GetLimit()
	c := cost.Msg
	p("   quote for %d trucks:\n", order.qty)
	p("     options list price      %12s %s per truck\n", wire.Amount(comp.Msg.GetPrice()), comp.Msg.GetPrice().GetCurrencyCode())
	p("     standard cost           %12s per truck (material %s, setup %s over a lot of %d, run %s)\n",
		wire.Amount(c.GetTotal()), wire.Amount(c.GetMaterial()), wire.Amount(c.GetSetup()), order.qty, wire.Amount(c.GetRun()))
	p("     BOM variant             %s...: %d assemblies, cumulative lead time %s working days\n", v.GetId()[:12], v.GetNodes(), wire.Num(lt.Msg.GetDays()))
	how := "from planned supply (ATP)"
	if !pr.Msg.GetAtp() {
		how = "by making them (CTP)"
	}
	p("     delivery                requested %s, promised %s %s", order.due, pr.Msg.GetDate(), how)
	if pr.Msg.GetLate() {
		p(", limited by %s", pr.Msg.GetLimit())
		if wc := pr.Msg.GetWorkCenter(); wc != "" {
			p(" (capacity of %s)", wc)
		}
	}
	p("\n\n")
	s.cfg, s.v = cfg, v
	return nil
}

// confirm is step 4: the order is entered; one variant per BOM period.
func (s *story) confirm() error {
	ctx, cl, f, p := s.ctx, s.cl, s.f, s.p
	order, cfg, v := s.order, s.cfg, s.v
	before, err := cl.BOM.GetStats(ctx, connect.NewRequest(&bomv1.GetStatsRequest{}))
	if err != nil {
		return err
	}
	f.VariantsBefore = int(before.Msg.GetVariants())
	up, err := cl.MRP.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{
		Id: Order, Item: Item, Configuration: cfg, Qty: float64(order.qty), DueDate: order.due, Priority: 1}}, CountsOnly: true}))
	if err != nil {
		return err
	}
	after, err := cl.BOM.GetStats(ctx, connect.NewRequest(&bomv1.GetStatsRequest{}))
	if err != nil {
		return err
	}
	f.VariantsAfter = int(after.Msg.GetVariants())
	ch := up.Msg.GetChange()
	f.ItemsInPlan, f.ConfirmTouched = int(ch.GetItems()), int(ch.GetTouchedCount())
	if it := up.Msg.GetItems(); len(it) == 1 {
		f.PlanningItem, f.BuildVariant = it[0].GetItem(), it[0].GetVariant()
	}
	p("4. The importer confirms: %s, %d trucks due %s\n", Order, order.qty, order.due)
	p("   one configuration, one BOM per effectivity period: confirming stored %d variants for all %d trucks (%d before, %d after),\n",
		f.VariantsAfter-f.VariantsBefore, order.qty, f.VariantsBefore, f.VariantsAfter)
	p("   at most one for each period between dated part changes in the planning window (the quote's, for the promised date, is %s...)\n", v.GetId()[:12])
	p("   all %d trucks are planned as one item, %s\n", order.qty, f.PlanningItem)
	if len(f.BuildVariant) >= 12 {
		p("   built as BOM variant %s..., the one in force when their assembly starts (dated part changes applied)\n", f.BuildVariant[:12])
	}
	p("   net change: replanned %d of %d items in %.1f ms\n\n", f.ConfirmTouched, f.ItemsInPlan, ch.GetElapsedMs())
	return nil
}

// pegging is step 5: the planned orders pegged to the order.
func (s *story) pegging() error {
	ctx, cl, f, p := s.ctx, s.cl, s.f, s.p
	os, err := wire.ListOrders(ctx, cl.MRP, &mrpv1.ListPlannedOrdersRequest{Demand: Order, WithPegging: true})
	if err != nil {
		return err
	}
	f.PeggedOrders = len(os)
	var prod, buy []*mrpv1.PlannedOrder
	for _, o := range os {
		if !slices.ContainsFunc(o.GetPeggedTo(), func(d *mrpv1.DemandShare) bool { return d.GetDemand() == Order }) {
			f.NotPegged++
		}
		switch o.GetKind() {
		case mrpv1.OrderKind_ORDER_KIND_PRODUCTION:
			prod = append(prod, o)
			if o.GetItem() == f.PlanningItem {
				f.TruckOrders++
				f.TruckQty += int64(o.GetQty())
			}
		case mrpv1.OrderKind_ORDER_KIND_PURCHASE:
			buy = append(buy, o)
		}
	}
	f.Production, f.Purchase = len(prod), len(buy)
	p("5. MRP: %d planned orders serve %s: %d production orders, %d purchase requisitions\n", len(os), Order, len(prod), len(buy))
	byRelease := func(os []*mrpv1.PlannedOrder) {
		sort.SliceStable(os, func(i, j int) bool { return os[i].GetReleaseDate() < os[j].GetReleaseDate() })
	}
	byRelease(prod)
	byRelease(buy)
	tw := newOrderTable(s.w)
	for _, o := range prod {
		if o.GetItem() == f.PlanningItem {
			tw.row(o, Order)
		}
	}
	for _, o := range prod[:min(len(prod), 4)] {
		if o.GetItem() != f.PlanningItem {
			tw.row(o, Order)
		}
	}
	p("   ... first purchase requisitions to release:\n")
	for _, o := range buy[:min(len(buy), 5)] {
		tw.row(o, Order)
	}
	p("\n")
	return nil
}

// rush is step 6: the order is due a week earlier; net change and the new
// exception messages.
func (s *story) rush() error {
	ctx, cl, f, p := s.ctx, s.cl, s.f, s.p
	order, cfg := s.order, s.cfg
	exBefore, err := wire.ListExceptions(ctx, cl.MRP, "")
	if err != nil {
		return err
	}
	due, err := time.Parse(time.DateOnly, order.due)
	if err != nil {
		return err
	}
	rushed := due.AddDate(0, 0, -rushDays).Format(time.DateOnly)
	up, err := cl.MRP.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{
		Id: Order, Item: Item, Configuration: cfg, Qty: float64(order.qty), DueDate: rushed, Priority: 1}}, CountsOnly: true}))
	if err != nil {
		return err
	}
	ch := up.Msg.GetChange()
	f.RushTouched, f.RushChanged = int(ch.GetTouchedCount()), int(ch.GetChangedCount())
	exAfter, err := wire.ListExceptions(ctx, cl.MRP, "")
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, x := range exBefore {
		seen[x.GetMessage()] = true
	}
	var fresh []*mrpv1.Exception
	for _, x := range exAfter {
		if !seen[x.GetMessage()] {
			fresh = append(fresh, x)
		}
	}
	f.NewExceptions = len(fresh)
	p("6. The importer asks for the trucks a week earlier: due %s\n", rushed)
	p("   net change replanned %d of %d items (a full run plans all %d) in %.1f ms; %d items' orders changed\n",
		f.RushTouched, f.ItemsInPlan, f.ItemsInPlan, ch.GetElapsedMs(), f.RushChanged)
	if len(fresh) == 0 {
		p("   no new or changed exception messages: the plant can still make it\n")
	} else {
		p("   %d exception messages are new or changed for the planner:\n", len(fresh))
		for _, x := range fresh[:min(len(fresh), 8)] {
			p("     %s\n", x.GetMessage())
		}
		if len(fresh) > 8 {
			p("     ... and %d more (ctoplan mrp exceptions)\n", len(fresh)-8)
		}
	}
	return nil
}

// orderTable prints planned orders as aligned lines.
type orderTable struct{ w io.Writer }

func newOrderTable(w io.Writer) *orderTable { return &orderTable{w: w} }

func (t *orderTable) row(o *mrpv1.PlannedOrder, demand string) {
	share := ""
	for _, d := range o.GetPeggedTo() {
		if d.GetDemand() == demand && d.GetQty() != float64(o.GetQty()) {
			share = fmt.Sprintf(" (%s of it for %s)", wire.Num(d.GetQty()), demand)
		}
	}
	fmt.Fprintf(t.w, "   %-10s %-34s %7s  release %s  due %s%s\n", wire.OrderKind(o.GetKind()), o.GetItem(),
		wire.Num(float64(o.GetQty())), o.GetReleaseDate(), o.GetDueDate(), share)
}

// storyOrderRow is the story's sales order as demands.csv has it.
type storyOrderRow struct {
	qty int64
	due string
	cfg map[string][]string
}

func storyDemand(ds Data) (*storyOrderRow, error) {
	text, ok, err := ds.Read("demands.csv")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%s: no demands.csv", ds.Name(""))
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	var header []string
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ",")
		if header == nil {
			header = fields
			continue
		}
		if len(fields) != len(header) || fields[0] != Order {
			continue
		}
		row := &storyOrderRow{cfg: map[string][]string{}}
		for i, h := range header {
			switch h {
			case "qty":
				if _, err := fmt.Sscan(fields[i], &row.qty); err != nil {
					return nil, fmt.Errorf("%s: %s: qty %q", ds.Name("demands.csv"), Order, fields[i])
				}
			case "due_date":
				row.due = fields[i]
			case "config":
				for part := range strings.SplitSeq(fields[i], ";") {
					if k, v, ok := strings.Cut(part, "="); ok {
						row.cfg[k] = append(row.cfg[k], v)
					}
				}
			}
		}
		return row, nil
	}
	return nil, fmt.Errorf("%s: the story's order %s is missing", ds.Name("demands.csv"), Order)
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

func sameConfig(a []*configuratorv1.Assignment, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Equal(sorted(x.GetValues()), sorted(b[x.GetChar()])) {
			return false
		}
	}
	return true
}

// sortByModel orders char=value strings by the model's characteristic
// and value order.
func sortByModel(kv []string, chars []*configuratorv1.Characteristic) {
	rank := map[string]int{}
	n := 0
	for _, c := range chars {
		rank[c.GetName()] = n
		n++
	}
	sort.SliceStable(kv, func(i, j int) bool {
		ci, vi, _ := strings.Cut(kv[i], "=")
		cj, vj, _ := strings.Cut(kv[j], "=")
		if rank[ci] != rank[cj] {
			return rank[ci] < rank[cj]
		}
		return vi < vj
	})
}

// sample prints ": a, b, c ..." of at most n items.
func sample(xs []string, n int) string {
	if len(xs) == 0 {
		return ""
	}
	s := ": " + strings.Join(xs[:min(n, len(xs))], ", ")
	if len(xs) > n {
		s += ", ..."
	}
	return s
}

// rushOrder is step 7: a key customer's rush order is tried as a what-if
// on finite capacity and material (the plan does not change), then
// accepted in one transaction.
func (s *story) rushOrder() error {
	ctx, cl, f, p := s.ctx, s.cl, s.f, s.p
	rush := &mrpv1.Demand{Id: KeyRushOrder, Item: Item, Configuration: s.cfg, Qty: keyRushQty, DueDate: KeyRushDue, Priority: keyRushPriority}
	wi, err := cl.MRP.WhatIfRush(ctx, connect.NewRequest(&mrpv1.WhatIfRushRequest{Rush: rush}))
	if err != nil {
		return err
	}
	a := wi.Msg
	f.RushPromised, f.RushDelayed = a.GetPromisedDate(), len(a.GetDelayed())
	p("7. A key customer wants %d trucks of the same configuration by %s, served first: what if?\n", keyRushQty, KeyRushDue)
	if a.GetLateDays() > 0 {
		p("   with capacity and material they can be delivered on %s, %d days late (%s)\n", a.GetPromisedDate(), a.GetLateDays(), a.GetReason())
	} else {
		p("   with capacity and material they can be delivered on %s, in time\n", a.GetPromisedDate())
	}
	if len(a.GetDelayed()) == 0 {
		p("   no other sales order would be delivered later\n")
	} else {
		if len(a.GetDelayed()) == 1 {
			p("   1 sales order would be delivered later:\n")
		} else {
			p("   %d sales orders would be delivered later:\n", len(a.GetDelayed()))
		}
		for _, d := range a.GetDelayed()[:min(len(a.GetDelayed()), 5)] {
			p("     %-11s %s -> %s (+%d days; %d days late)\n", d.GetDemand(), d.GetBeforeDate(), d.GetAfterDate(), d.GetDays(), d.GetLateDays())
		}
	}
	ac, err := cl.MRP.AcceptRush(ctx, connect.NewRequest(&mrpv1.AcceptRushRequest{Rush: rush, CountsOnly: true}))
	if err != nil {
		return err
	}
	f.RushAccepted = ac.Msg.GetAnswer().GetPromisedDate() == a.GetPromisedDate()
	p("   accepted in one transaction: net change replanned %d items in %.1f ms\n\n",
		ac.Msg.GetChange().GetTouchedCount(), ac.Msg.GetChange().GetElapsedMs())
	return nil
}

// shopFloor is step 8: the shop floor confirms two operations of a
// released production order, and the salesperson looks up where the
// story's order stands.
func (s *story) shopFloor() error {
	ctx, cl, f, p := s.ctx, s.cl, s.f, s.p
	conf, err := cl.MRP.ConfirmOperations(ctx, connect.NewRequest(&mrpv1.ConfirmOperationsRequest{Csv: []*mrpv1.CSVFile{{
		Name: "confirmations.csv",
		Text: "id,order,op_seq,good_qty,scrap_qty,hours,done\n" +
			"CF-1," + confirmOrder + ",10,19,1,44.5,1\n" +
			"CF-2," + confirmOrder + ",20,12,0,2.5,0\n"}}, CountsOnly: true}))
	if err != nil {
		return err
	}
	f.Confirmed = int(conf.Msg.GetConfirmations())
	p("8. The shop floor confirms production order %s: operation 10 done (19 good, 1 scrapped), operation 20 started (12 good)\n", confirmOrder)
	p("   the scrap reduces the order to 19: net change replanned %d items\n", conf.Msg.GetChange().GetTouchedCount())
	st, err := cl.MRP.SalesOrderStatus(ctx, connect.NewRequest(&mrpv1.SalesOrderStatusRequest{Demands: []string{Order, KeyRushOrder}}))
	if err != nil {
		return err
	}
	for k, x := range st.Msg.GetStatuses() {
		if k == 0 {
			f.StatusOpsTotal, f.StatusExpected, f.StatusLateDays = int(x.GetOpsTotal()), x.GetExpectedDate(), int(x.GetLateDays())
		}
		risk := "on time"
		if x.GetAtRisk() {
			risk = fmt.Sprintf("at risk, %d days late: %s", x.GetLateDays(), x.GetReason())
		}
		p("   %s: %d of %d operations done; last open order %s finishes %s; promised %s, expected %s (%s)\n",
			x.GetDemand(), x.GetOpsDone(), x.GetOpsTotal(), x.GetLatestOrder(), x.GetLatestFinishDate(), x.GetPromisedDate(), x.GetExpectedDate(), risk)
	}
	return nil
}
