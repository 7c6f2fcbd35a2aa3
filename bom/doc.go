// Package bom is ctoplan's BOM and routing engine: master data (items,
// super BOMs with selection conditions, routings, work centers), the
// resolution of a configuration into the exact multi-level BOM and routing
// of one variant, and the classic BOM operations on it.
//
// # Basics
//
// Master data comes from CSV files ([ReadDir], format in
// docs/csv-format.md) or from Go ([Data]) and goes into a [Store] with
// [Store.Import] or [Store.ImportDir]: validated as a whole (cycles named
// by their path, unknown items by their row, overlapping effectivity by
// both rows, conditions parsed against the product model with file:line:col
// positions) and written in one transaction, or not at all.
//
// [Store.Resolve] takes an item, a configuration of its product model
// (package configurator) and a date. It checks the configuration with the
// configurator (an invalid one is refused with its minimal conflict),
// selects the super BOM lines and routing operations whose condition holds
// and whose effectivity covers the date, evaluates quantity formulas, blows
// phantoms through, passes the configuration down to configurable
// sub-assemblies, and returns a [Variant]: a DAG of [Node] values.
//
// Every node is content-addressed: its [Hash] is the SHA-256 of its
// canonical encoding (item, lines with quantities and their children's
// hashes, operations). Identical sub-assemblies are therefore one node,
// shared by all variants that contain them, and the same configuration
// gives the same variant ID. A configuration seen before costs one cache
// lookup.
//
// On a variant: [Variant.Explode] (indented), [Variant.Summarize]
// (summarised, scrap applied), [Variant.Cost] (material, setup and run at
// work-center rates, setup spread over a lot), [Variant.CumulativeLeadTime]
// (critical path). On the master data: [Store.LowLevelCodes],
// [Store.WhereUsed] (one level), [Store.WhereUsedTop], and for standard
// items the whole-structure roll-ups [Store.Explode] (several end items at
// once) and [Store.Costs], linear in items and lines.
//
// The store lives in a [DB]: [OpenDB] (Badger, on disk) or [NewMemoryDB].
// Its key layout is described in store.go and docs/bom.md.
//
// # Product models
//
// The Store is also the registry of product models, their one owner in a
// DB (the RPC server answers configurator calls from it too): each model
// is stored once, as its source text with its file name, by
// [Store.PutModel] or with an import, and compiled once per text
// ([Store.StoredModel], [Model]; [Options.ModelCache] keeps compiled texts
// that are no longer current). A new text of a model that items use is
// checked against the master data and starts a new revision when its
// canonical text changes; other models change no revision, and the text
// stored already is not written again. [Store.ImportTexts] stores models
// given as texts with master data, checked together.
//
// The revision counts changes of what variants are resolved from: an
// import of the data stored already keeps it, and the variant IDs handed
// out. [Store.Variant] of an ID of an older revision fails with an
// [*OldVariantError]: resolve the configuration again.
//
// # Transactions
//
// [Store.ImportTx], [Store.ImportTextsTx], [Store.PutModelTx] and
// [Store.ResolveTx] write into a caller's transaction, so that a change of
// the BOM store and of other keys (the caller's own, another ImportTx, the
// plan's journal entry of an order for the variant) commits or fails as
// one; they return a [Pending] to [Pending.Apply] after the commit.
// [Store.Import], [Store.ImportTexts] and [Store.PutModel] are each one
// transaction of their own.
//
// Several Stores may share one DB: every write reads the stored revision
// and generation in its transaction and, when another Store wrote since,
// applies on top of the stored state (reloaded from that transaction), so
// no revision is handed out twice and nothing validates against an old
// catalogue. Reads answer from the state the Store last loaded or wrote.
//
// # Caveats
//
//   - An import replaces the super BOM of every parent it has lines for and
//     the routing of every item it has operations for; items and work
//     centers are upserted. Nothing is ever deleted except by replacement.
//   - A variant depends on the date only through effectivity: days between
//     two effectivity changes give the same variant.
//   - Quantities and costs are float64; costs are standard costs in the
//     currency of the data.
//   - A phantom's own scrap, lead time and cost are ignored when it is blown
//     through; phantoms cannot have routings or models.
//   - Conditions and quantity formulas are parsed against the model of the
//     nearest configurable ancestor; an item below several configurable
//     items with different models must read in each of them.
//   - All nodes of a store are kept in memory (a few hundred bytes each);
//     variant records are loaded on demand. The caches of seen
//     configurations and of resolved sub-assemblies (keyed by the values of
//     the characteristics their subtree reads) are not bounded; an import
//     clears them.
//   - The stored where-used index (bom/used/...) is kept for readers of the
//     store that do not load the catalog; the Store itself answers from
//     memory.
package bom
