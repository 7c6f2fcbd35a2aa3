// Package mrp is ctoplan's material requirements planning engine: it turns
// demands (sales-order lines, forecasts) into planned production orders and
// purchase requisitions over the items' bills of material, and keeps that
// plan current change by change.
//
// # Basics
//
// Build an [Input] (items with lead time, lot sizing, safety stock, scrap,
// components and routing operations; demands; scheduled receipts; on-hand
// stock; a working-day [Calendar]) and call [New], which validates it and
// runs a regenerative plan. [LoadDir] reads a plant directory (the bom
// master-data CSVs plus stock.csv, demands.csv, receipts.csv and
// calendar.csv, see docs/csv-format.md); [BOMSource] turns a bom store's
// items and resolved configured variants into planning items.
//
// Planning is bucketless: day by day over the horizon (day 0 is the
// planning date). Items are planned in low-level-code order; each item's
// gross requirements (its demands plus the component requirements of its
// parents' planned orders on their release days, scrap applied) are
// accumulated into a day-indexed array and netted against on-hand stock and
// scheduled receipts while keeping safety stock. A shortage first pulls in
// a scheduled receipt due within [Options.RescheduleWindow] days
// (reschedule-in), then becomes a net requirement; lot sizing
// ([LotForLot], [FixedQty], [PeriodQty], [WagnerWhitin], with min, max and
// multiple rounding) groups net requirements into planned orders, whose
// release date is the lead time back on the calendar. Phantom items are
// blown through: their orders are never released but explode into their
// components. Every order explodes the BOM in force on the day it starts
// ([Item.BOMChanges]): a dated part change takes effect exactly on its
// date. Planned orders have stable IDs ([PlannedOrder.ID]); the planner
// firms them ([FirmOrder]) or releases them ([Planner.Release]).
//
// The results: [Planner.Orders] and [Planner.AllOrders] (production
// orders with operations scheduled backwards from the due date, purchase
// requisitions), [Planner.Record] (the time-phased record with the
// projected available balance), [Planner.Exceptions] (reschedule in/out,
// cancel, release past due, below safety stock, late demand),
// [Planner.Pegging] (single-level), [Planner.SupplyTree] (everything a
// sales-order line pulls, all levels down; [Planner.PegTree] gives it in
// flat form, IDs made only when read) and [Planner.PeggedDemands] (the
// demands an order serves, all levels up); [Planner.EachOrder] lists every
// order with its pegging, as a listing prints it, and [Planner.EachOrderOf]
// a range of items (ranges may be listed concurrently).
//
// [Planner.Apply] is net change: it applies [Change] values ([SetDemand],
// [RemoveDemand], [SetReceipt], [RemoveReceipt], [SetStock], [SetItem] to
// add an item (a new variant's) or replace its parameters, BOM and
// operations, [SetFirm] and [RemoveFirm] for firm planned orders;
// [Planner.Firm] and [Planner.Release] build them for a planned order) and
// replans only the items they can affect, in low-level-code order,
// stopping where an item's orders did not change.
// The result is identical to a regenerative run on the same data.
//
// [Planner.Promise] answers available-to-promise and capable-to-promise
// for an item the plan has, from the current plan and without changing it:
// the earliest day the quantity can be had from uncommitted supply plus
// new orders (see its doc for the rule), on the work centers' free
// capacity when given a [Capacity]; [Store.Quote] does so for a
// configuration nobody ordered, resolving its variant in memory.
//
// [Store] keeps a planner in a kv.DB (kv.OpenBadger on disk, kv.NewMemory):
// [CreateStore] writes a snapshot of inputs and plan, [Store.Apply] is a net
// change written as one transaction (one journal entry, the next
// [Store.Revision]), [Store.Update] joins the caller's own writes to it,
// [OpenStore] loads the snapshot and replays the journal,
// [Store.Checkpoint] writes a new snapshot and [Store.Reset] replaces the
// inputs. Several Stores on one database (replicas) follow each other with
// [Store.CatchUp], which applies the journal entries after the Store's
// revision in order; all Stores at one revision hold the same plan
// ([Planner.Digest]). [Store.OrderConfigured] places a configured sales-order line
// ([Demand.Product] and [Demand.Config], kept with the demand): it resolves
// the variant with a [BOMSource], adds the variant's new items ([SetItem])
// and sets the demand, as one change; the variant is stored in the same
// transaction as the journal entry ([Tx.Order], bom.Store.ResolveTx), so
// a failed write stores neither. [Tx.OnCommit] runs code once an Update
// committed.
//
// [BOMPlan] is the plan of a bom.Store's master data and a Store's plant
// data in one database, the lifecycle the server and the CLI share:
// [OpenBOMPlan], [BOMPlan.Rebuild] from plant data, [BOMPlan.Ensure]
// (catch up, rebuild after a master-data change), [BOMPlan.Update] (one
// transaction, retried after [ErrStale]), [BOMPlan.Order] (a configured
// line with its variant) and [BOMPlan.Promise] (a quote on the capacity
// the finite schedule leaves free).
//
// # Caveats
//
//   - Quantities are whole units (int64); quantities per may be fractional
//     and are rounded up per parent order after scrap.
//   - Requirements past the horizon are ignored; requirements before the
//     planning date are due on day 0.
//   - Days are dates; "today" is the plant's date in its time zone
//     ([Today]), not the UTC one. A plan names days up to 9999-12-31 only,
//     so the latest planning date is 730 days (a finite schedule's reach)
//     plus the horizon before it ([ParseStart]; the calendar refuses a
//     later one).
//   - Forecasts are consumed by the sales orders due after the previous
//     forecast day and up to their own day; there is no forward or backward
//     consumption window beyond that.
//   - Pegging (first in, first out by day) costs nothing during planning:
//     it is derived when first asked for and kept for the plan version (the
//     demand shares of every order in flat arrays, the single-level links of
//     the items a question visited); a net change marks what it touched.
//     On plants with wide BOMs the demand shares of all orders are large (a
//     deep component's daily order serves a hundred sales orders), so only
//     listing every order with its pegging computes them all.
//   - Planning does not consider capacity (infinite loading); operations
//     are scheduled backwards within the working hours of each day (from
//     the plant's shift start, in its time zone: [Calendar]), independent
//     of other orders. Capacity is a layer on the plan:
//     [Planner.CapacityLoad] adds the load up against a [Capacity],
//     [Planner.FiniteSchedule] places the production orders on it (day
//     buckets), [Planner.WhatIf] answers a rush order with it, and
//     [Planner.Confirm] feeds shop-floor progress back. A make item's lead time is fixed per item (the bom
//     adapter derives it from the routing when the item says so).
//   - ATP/CTP gives every item of the request one need and one due day
//     (the earliest of its making parents' starts), so a component shared
//     by parents that start on different days is wanted by the first; it
//     ignores capacity.
//   - Every order explodes the BOM in force on the day it starts
//     ([Item.BOMChanges]); a past-due order on the planning date. Lead
//     times and routings are not dated.
//   - Planned-order IDs are derived from the item and the due date
//     ([PlannedOrder.ID]): an order moved to another day is a new order;
//     firm it ([FirmOrder]) to pin it.
//   - A scheduled receipt (a released order) requires no components: they
//     are taken to be issued or reserved for it.
//   - A [Planner] is not safe for concurrent use while [Planner.Apply] or
//     [Planner.Regenerate] runs; read-only queries may run concurrently.
//     Nor is a [Store]: guard it with a sync.RWMutex (the write lock for
//     Apply, Update, Reset, Checkpoint, Quote; the read lock for queries on
//     its Planner), as the server does.
package mrp
