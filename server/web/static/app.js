// app.js: the quoting page. A salesperson picks a model, picks values
// (every pick is propagated: each value shows as selected, forced, possible
// or excluded), asks why a value is excluded or forced, completes with the
// model's defaults, quotes (list price, cost, lead time, promised date) and
// confirms a sales order, then sees the supply pegged to it and the BOM.
// All server calls go through rpc.js. Nothing waits for a call: every
// action runs in the background, and an answer that a newer action made
// stale is dropped.
import * as rpc from "./rpc.js";

const $ = (id) => document.getElementById(id);

const TEXT = {
  en: {
    title: "ctoplan quoting", model: "Model", chooseModel: "choose a model", language: "Language", token: "Token",
    skip: "Skip to the configuration", configuration: "Configuration", undo: "Undo", reset: "Start over",
    complete: "Complete with defaults", copyLink: "Copy link", st_selected: "selected", st_forced: "forced",
    st_possible: "possible", st_excluded: "excluded", quote: "Quote", item: "Configurable item", qty: "Quantity",
    date: "Requested date", quoteIt: "Quote", order: "Sales order", orderId: "Order number",
    confirm: "Confirm as a sales order", plan: "Supply pegged to the order", bom: "Bill of materials of the variant",
    tokenTitle: "Access token", save: "Save", cancel: "Cancel", none: "none",
    picks: (n) => n === 0 ? "No picks yet: click a value." : `${n} pick${n > 1 ? "s" : ""}:`,
    loading: "Loading…", updating: "Updating…", ready: "Ready.", noModels: "No model is stored yet: load one (ctoplan demo --store DIR, then ctoplan serve --store DIR).",
    whyExcluded: (v) => `Why is ${v} excluded?`, whyForced: (v) => `Why is ${v} forced?`,
    becausePicks: "Because of your picks", becauseRules: "and the model's rules", noPicks: "(no pick: the model alone)",
    pickInstead: "Pick it instead (drops those picks)", close: "Close", conflict: "These picks cannot stand together",
    completed: (n) => `Completed with defaults: ${n} characteristics.`, linkCopied: "Link copied.",
    needItem: "Enter the configurable item (the item whose model this is, e.g. FL-TRUCK).",
    listPrice: "List price", perUnit: "per unit", total: "total", cost: "Standard cost per unit", material: "material",
    setup: "setup", run: "run", leadTime: "Cumulative lead time", workingDays: "working days", criticalPath: "critical path",
    promised: "Promised date", atp: "from planned supply (ATP)", ctp: "by making it (CTP)", limitedBy: "limited by",
    late: "late", variant: "BOM variant", quoted: "Quoted.", quoteFirst: "Quote first.",
    confirmed: (id, n) => `Order ${id} confirmed: ${n} planned orders pegged to it.`,
    level: (l) => `BOM level ${l}`, release: "release", due: "due", legendLate: "red: late (released before today, or due after its parent needs it)",
    planDate: "planning date", orderDue: "Due date", askToken: "This needs a token: ",
    undone: "Undone.", nothingToUndo: "Nothing to undo.",
  },
  zh: {
    title: "ctoplan 报价", model: "产品模型", chooseModel: "选择模型", language: "语言", token: "令牌",
    skip: "跳到配置", configuration: "配置", undo: "撤销", reset: "重新开始",
    complete: "按默认值补全", copyLink: "复制链接", st_selected: "已选", st_forced: "必选",
    st_possible: "可选", st_excluded: "已排除", quote: "报价", item: "可配置物料", qty: "数量",
    date: "要求交期", quoteIt: "报价", order: "销售订单", orderId: "订单号",
    confirm: "确认为销售订单", plan: "订单的供应追溯", bom: "该变型的物料清单",
    tokenTitle: "访问令牌", save: "保存", cancel: "取消", none: "无",
    picks: (n) => n === 0 ? "尚未选择：请点击一个选项。" : `已选 ${n} 项：`,
    loading: "加载中…", updating: "更新中…", ready: "就绪。", noModels: "尚无模型：请先加载（ctoplan demo --store DIR，再 ctoplan serve --store DIR）。",
    whyExcluded: (v) => `为什么 ${v} 被排除？`, whyForced: (v) => `为什么 ${v} 是必选？`,
    becausePicks: "因为您的选择", becauseRules: "以及模型规则", noPicks: "（无选择：模型本身）",
    pickInstead: "改选此项（撤销上述选择）", close: "关闭", conflict: "这些选择互相冲突",
    completed: (n) => `已按默认值补全：${n} 个特性。`, linkCopied: "链接已复制。",
    needItem: "请输入可配置物料（使用此模型的物料，例如 FL-TRUCK）。",
    listPrice: "目录价", perUnit: "每台", total: "合计", cost: "单台标准成本", material: "材料",
    setup: "准备", run: "加工", leadTime: "累计提前期", workingDays: "个工作日", criticalPath: "关键路径",
    promised: "承诺交期", atp: "来自计划供应（ATP）", ctp: "需要生产（CTP）", limitedBy: "受限于",
    late: "延迟", variant: "BOM 变型", quoted: "报价完成。", quoteFirst: "请先报价。",
    confirmed: (id, n) => `订单 ${id} 已确认：追溯到 ${n} 个计划订单。`,
    level: (l) => `BOM 第 ${l} 层`, release: "下达", due: "到期", legendLate: "红色：延迟（下达日期早于今天，或晚于上层需要的日期）",
    planDate: "计划日期", orderDue: "交货日期", askToken: "此操作需要令牌：",
    undone: "已撤销。", nothingToUndo: "没有可撤销的操作。",
  },
};

const st = {
  lang: "en",
  model: "",
  info: null,      // ModelInfo
  chars: [],       // Characteristic messages of the model
  picks: [],       // [{char, value}]
  history: [],     // earlier pick lists, for undo
  status: new Map(), // "char\u0000value" -> selected|forced|possible|excluded
  seq: 0,          // number of the latest propagation asked
  reason: null,    // {char, value, res} shown in the reason panel
  completed: null, // CompleteResponse for the current picks
  quote: null,     // the last quote
  quoted: null,    // the quote whose date the order form shows
  plan: null,      // the confirmed order's supply and BOM
  busy: 0,
  propagations: 0,
};

const t = (key, ...args) => {
  const v = TEXT[st.lang][key] ?? TEXT.en[key];
  return typeof v === "function" ? v(...args) : v;
};
const label = (labels, fallback) => (labels && (labels[st.lang] || labels.en)) || fallback;
const key = (c, v) => c + "\u0000" + v;

function charOf(name) { return st.chars.find((c) => c.name === name); }
function valueLabel(c, v) {
  if (v === "" || v === undefined) return t("none"); // JSON leaves an empty value out
  const val = (c?.values || []).find((x) => x.name === v);
  return val ? label(val.labels, v) : v;
}
function pickText(p) {
  const c = charOf(p.char);
  return `${c ? label(c.labels, p.char) : p.char}: ${(p.exclude ? "≠ " : "") + valueLabel(c, p.value)}`;
}

// ---- status line and busy state (nothing is ever disabled) ----

function say(text, error) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("error", !!error);
}
async function busy(fn) {
  st.busy++;
  document.body.dataset.busy = String(st.busy);
  try { return await fn(); } finally {
    st.busy--;
    document.body.dataset.busy = String(st.busy);
  }
}

// withToken runs fn, and when the server wants a token (or one with more
// scopes) asks for it and runs fn again.
async function withToken(fn) {
  for (let i = 0; ; i++) {
    try { return await fn(); } catch (e) {
      if (!(e instanceof rpc.RpcError) || !e.needsToken || i >= 3) throw e;
      if (!(await askToken(e.message))) throw e;
    }
  }
}
function askToken(why) {
  const d = $("token-dialog");
  $("token-why").textContent = why ? t("askToken") + why : "";
  $("token-input").value = "";
  return new Promise((resolve) => {
    d.addEventListener("close", () => {
      const ok = d.returnValue === "ok" && $("token-input").value.trim() !== "";
      if (ok) rpc.setToken($("token-input").value.trim());
      resolve(ok);
    }, { once: true });
    d.showModal();
    $("token-input").focus();
  });
}
function fail(e) {
  say(e.message || String(e), true);
}

// ---- the model and its values ----

async function loadModels() {
  const res = await busy(() => withToken(() => rpc.listModels()));
  const sel = $("model");
  for (const o of [...sel.options].slice(1)) o.remove();
  for (const m of res.models || []) {
    const o = document.createElement("option");
    o.value = m.name;
    o.textContent = `${label(m.labels, m.name)} (${m.name} ${m.version || ""})`;
    o.dataset.labels = JSON.stringify(m.labels || {});
    sel.append(o);
  }
  if (!(res.models || []).length) say(t("noModels"));
  return res.models || [];
}

async function openModel(name, picks) {
  st.model = name;
  st.picks = picks || [];
  st.history = [];
  st.status.clear();
  st.completed = st.quote = st.plan = st.reason = null;
  $("model").value = name;
  $("chars").replaceChildren();
  $("quote-result").replaceChildren();
  $("order-result").replaceChildren();
  $("plan").hidden = true;
  showReason();
  if (!name) { updateURL(); return; }
  say(t("loading"));
  const res = await busy(() => withToken(() => rpc.getModel(name)));
  if (st.model !== name) return;
  st.info = res.model;
  st.chars = res.characteristics || [];
  $("model-label").textContent = `${t("configuration")}: ${label(st.info.labels, st.info.name)}`;
  const remembered = localStorage.getItem("ctoplan.item." + name);
  if (!$("item").value && remembered) $("item").value = remembered;
  renderChars();
  await refresh();
}

// domainValues lists a characteristic's values in the model's order.
function domainValues(c) {
  switch (c.kind) {
    case "KIND_BOOL": return ["false", "true"];
    case "KIND_INT": {
      const out = [];
      const lo = Number(c.min || 0), hi = Number(c.max || 0), step = Number(c.step || 0) || 1;
      // every value the engine may give an int (Options.MaxDomain, 65,536)
      for (let v = lo; v <= hi && out.length < 65536; v += step) out.push(String(v));
      return out;
    }
    default: {
      const out = (c.values || []).map((v) => v.name);
      if (c.optional) out.push("");
      return out;
    }
  }
}

function renderChars() {
  const box = $("chars");
  const frag = document.createDocumentFragment();
  for (const c of st.chars) {
    const fs = document.createElement("fieldset");
    fs.className = "char";
    fs.dataset.char = c.name;
    const lg = document.createElement("legend");
    lg.textContent = label(c.labels, c.name);
    const vals = document.createElement("div");
    vals.className = "values";
    const known = new Set(domainValues(c));
    const extra = [];
    for (const [k] of st.status) {
      const [ch, v] = k.split("\u0000");
      if (ch === c.name && !known.has(v)) extra.push(v);
    }
    const all = [...known, ...extra];
    if (c.kind === "KIND_INT" && extra.length) all.sort((a, b) => Number(a) - Number(b));
    for (const v of all) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "value";
      b.dataset.char = c.name;
      b.dataset.value = v;
      const val = (c.values || []).find((x) => x.name === v);
      b.append(valueLabel(c, v));
      if (val && amount(val.price)) {
        const s = document.createElement("small");
        s.textContent = (amount(val.price) > 0 ? "+" : "") + money(amount(val.price), val.price.currencyCode);
        b.append(s);
      }
      const sr = document.createElement("span");
      sr.className = "sr";
      b.append(sr);
      vals.append(b);
    }
    fs.append(lg, vals);
    frag.append(fs);
  }
  box.replaceChildren(frag);
  paintStatus();
}

// paintStatus writes every value's status into the DOM.
function paintStatus() {
  const done = new Set();
  if (st.completed) for (const a of st.completed.configuration || []) for (const v of a.values || []) done.add(key(a.char, v));
  for (const b of $("chars").querySelectorAll("button.value")) {
    const s = st.status.get(key(b.dataset.char, b.dataset.value));
    if (s && b.dataset.status !== s) { // no status before the first answer
      b.dataset.status = s;
      b.setAttribute("aria-pressed", String(s === "selected"));
      b.lastChild.textContent = " (" + t("st_" + s) + ")";
    }
    const c = done.has(key(b.dataset.char, b.dataset.value));
    if (c) b.dataset.completed = "true"; else delete b.dataset.completed;
  }
  const pl = $("picks-line");
  pl.textContent = t("picks", st.picks.length) + " " + st.picks.map(pickText).join("; ");
}

// refresh propagates the current picks; a newer refresh drops this one's answer.
async function refresh() {
  const seq = ++st.seq;
  const picks = st.picks.slice();
  const model = st.model;
  $("chars").setAttribute("aria-busy", "true");
  say(t("updating"));
  try {
    const t0 = performance.now();
    const res = await busy(() => withToken(() => rpc.propagate(model, picks)));
    const rpcMs = performance.now() - t0;
    if (seq !== st.seq || model !== st.model) return;
    st.status.clear();
    for (const d of res.chars || []) {
      for (const s of ["selected", "forced", "possible", "excluded"]) {
        for (const v of d[s] || []) st.status.set(key(d.char, v), s);
      }
    }
    paintStatus();
    st.propagations++;
    document.body.dataset.propagations = String(st.propagations);
    say(t("ready"));
    updateURL();
    document.dispatchEvent(new CustomEvent("ctoplan:propagated", { detail: { model, picks, rpcMs } }));
  } catch (e) {
    if (seq !== st.seq) return;
    if ((e.code === "failed_precondition" || e.code === "invalid_argument") && st.picks.length) {
      // The picks conflict or name what the model lacks (a link, or
      // "pick it instead"): go back, or with nothing to go back to (a
      // link just opened), start with no picks.
      st.picks = st.history.length ? st.history.pop() : [];
      say(t("conflict") + ": " + e.message, true);
      refresh().then(() => say(t("conflict") + ": " + e.message, true));
      return;
    }
    fail(e);
  } finally {
    if (seq === st.seq) $("chars").setAttribute("aria-busy", "false");
  }
}

function setPicks(picks) {
  st.history.push(st.picks);
  st.picks = picks;
  st.completed = null;
  dropQuote();
  showReason();
  refresh();
}

// dropQuote forgets the quote of other picks than the current ones: a
// confirmed order must be the truck quoted, never an older one.
function dropQuote() {
  if (!st.quote) return;
  st.quote = null;
  renderQuote();
}

function onValue(b) {
  const c = b.dataset.char, v = b.dataset.value, s = b.dataset.status;
  if (s === "selected") {
    setPicks(st.picks.filter((p) => !(p.char === c && p.value === v)));
  } else if (s === "possible") {
    const ch = charOf(c);
    const keep = ch && ch.kind === "KIND_MULTI" ? st.picks : st.picks.filter((p) => p.char !== c);
    setPicks([...keep, { char: c, value: v }]);
  } else {
    explain(c, v);
  }
}

async function explain(c, v) {
  const model = st.model, current = st.picks, picks = current.slice();
  try {
    const res = await busy(() => withToken(() => rpc.explain(model, picks, c, v)));
    if (model !== st.model || current !== st.picks) return; // the picks changed meanwhile
    st.reason = { char: c, value: v, res, picks };
    showReason();
  } catch (e) { fail(e); }
}

function showReason() {
  const box = $("reason");
  const r = st.reason;
  if (!r) { box.hidden = true; box.replaceChildren(); return; }
  const c = charOf(r.char);
  const what = `${c ? label(c.labels, r.char) : r.char} = ${valueLabel(c, r.value)}`;
  const h = document.createElement("h2");
  const forced = r.res.state === "VALUE_STATE_FORCED";
  h.textContent = forced ? t("whyForced", what) : t("whyExcluded", what);
  box.dataset.reasonFor = r.char + "=" + r.value;
  box.dataset.state = forced ? "forced" : "excluded";
  const reason = r.res.reason || {};
  const p1 = document.createElement("p");
  p1.textContent = t("becausePicks") + ":";
  const ul = document.createElement("ul");
  ul.className = "reason-picks";
  for (const p of reason.picks || []) {
    const li = document.createElement("li");
    li.textContent = pickText(p);
    ul.append(li);
  }
  if (!(reason.picks || []).length) {
    const li = document.createElement("li");
    li.textContent = t("noPicks");
    ul.append(li);
  }
  const p2 = document.createElement("p");
  p2.textContent = t("becauseRules") + ":";
  const ul2 = document.createElement("ul");
  ul2.className = "reason-rules";
  for (const k of reason.constraints || []) {
    const li = document.createElement("li");
    const kind = String(k.kind || "").replace(/^CONSTRAINT_KIND_/, "").toLowerCase();
    li.textContent = label(k.message, "") || `${kind} ${k.name}`;
    li.title = `${kind} ${k.name} ${k.position || ""}`;
    ul2.append(li);
  }
  const bar = document.createElement("div");
  bar.className = "toolbar";
  if (!forced) {
    const instead = document.createElement("button");
    instead.type = "button";
    instead.id = "pick-instead";
    instead.textContent = t("pickInstead");
    instead.addEventListener("click", () => {
      const drop = new Set((reason.picks || []).map((p) => key(p.char, p.value || "")));
      const ch = charOf(r.char);
      const keep = st.picks.filter((p) => !drop.has(key(p.char, p.value)) && (ch?.kind === "KIND_MULTI" || p.char !== r.char));
      setPicks([...keep, { char: r.char, value: r.value }]);
    });
    bar.append(instead);
  }
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = t("close");
  close.addEventListener("click", () => { st.reason = null; showReason(); });
  bar.append(close);
  box.replaceChildren(h, p1, ul, p2, ul2, bar);
  box.hidden = false;
}

function undo() {
  if (!st.history.length) { say(t("nothingToUndo")); return; }
  st.picks = st.history.pop();
  st.completed = null;
  st.reason = null;
  dropQuote();
  showReason();
  say(t("undone"));
  refresh();
}

async function completeIt() {
  const model = st.model, current = st.picks, picks = current.slice();
  if (!model) return null;
  const res = await busy(() => withToken(() => rpc.complete(model, picks)));
  if (model !== st.model || current !== st.picks) return null; // the picks changed meanwhile
  st.completed = res;
  paintStatus();
  say(t("completed", (res.configuration || []).length));
  return res;
}

// ---- the quote ----

// amount is the number of a ctoplan.rpc.v1.Money ({currencyCode, amount:
// a decimal string}; unset is 0).
const amount = (m) => Number(m?.amount || 0);

function money(x, currency) {
  const cur = currency || st.info?.currency || "";
  const loc = st.lang === "zh" ? "zh-CN" : "en";
  try {
    if (cur) return new Intl.NumberFormat(loc, { style: "currency", currency: cur }).format(x);
  } catch { /* an unknown currency code */ }
  return new Intl.NumberFormat(loc, { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(x) + (cur ? " " + cur : "");
}
const num = (x, d = 1) => new Intl.NumberFormat(st.lang === "zh" ? "zh-CN" : "en", { maximumFractionDigits: d }).format(x);

async function quote() {
  const item = $("item").value.trim();
  const qty = Math.max(1, Math.round(Number($("qty").value) || 1));
  const date = $("date").value;
  if (!item) { say(t("needItem"), true); $("item").focus(); return; }
  localStorage.setItem("ctoplan.item." + st.model, item);
  updateURL();
  const comp = st.completed || await completeIt();
  if (!comp) return;
  const cfg = comp.configuration || [];
  say(t("loading"));
  const q = await busy(() => withToken(async () => {
    const pr = await rpc.promise(item, cfg, qty, date);
    // The variant, its cost and lead time are those an order delivered on
    // the promised date is built as: the BOM in force on the day it starts
    // (as MRP explodes it), not on the requested date; a dated part change
    // between the two changes the cost.
    const res = await rpc.resolve(item, cfg, pr.startDate || date);
    const v = res.variant;
    const [cost, lt] = await Promise.all([rpc.costRollup(v.id, qty), rpc.leadTime(v.id)]);
    return { item, qty, date, cfg, comp, variant: v, cost, lt, pr };
  }));
  st.quote = q;
  renderQuote();
  say(t("quoted"));
}

function renderQuote() {
  const q = st.quote;
  const box = $("quote-result");
  if (!q) { box.replaceChildren(); return; }
  const dl = document.createElement("dl");
  dl.className = "figures";
  dl.id = "quote-figures";
  const row = (name, value, cls, id) => {
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = value;
    if (cls) dd.className = cls;
    if (id) dd.id = id;
    dl.append(dt, dd);
  };
  // The list price is in the model's currency, costs in the master data's.
  const price = amount(q.comp.price), cur = q.comp.price?.currencyCode;
  row(t("listPrice"), `${money(price, cur)} ${t("perUnit")}, ${money(price * q.qty, cur)} ${t("total")} (${q.qty})`, "", "q-price");
  const c = q.cost, m = (x) => money(amount(x), x?.currencyCode || cur);
  row(t("cost"), `${m(c.total)} (${t("material")} ${m(c.material)}, ${t("setup")} ${m(c.setup)}, ${t("run")} ${m(c.run)})`, "", "q-cost");
  row(t("leadTime"), `${num(q.lt.days || 0)} ${t("workingDays")}; ${t("criticalPath")}: ${(q.lt.criticalPath || []).join(" → ")}`, "", "q-lead");
  const pr = q.pr;
  let prom = `${pr.date} ${pr.atp ? t("atp") : t("ctp")}`;
  if (pr.late) prom += ` · ${t("late")}, ${t("limitedBy")} ${pr.limit}`;
  row(t("promised"), prom, pr.late ? "late" : "", "q-promised");
  row(t("variant"), `${q.variant.id.slice(0, 12)}… (${q.variant.nodes})`, "", "q-variant");
  box.replaceChildren(dl);
  if (!$("order-id").value) $("order-id").value = "WEB-" + new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  if (q !== st.quoted) $("order-due").value = q.pr.date; // a new quote proposes its date
  st.quoted = q;
}

// ---- the order, its pegged supply and its BOM ----

async function confirmOrder() {
  const q = st.quote;
  if (!q) { say(t("quoteFirst"), true); return; }
  const id = $("order-id").value.trim();
  if (!id) { $("order-id").focus(); return; }
  // Due on the promised date unless the salesperson says otherwise (an
  // earlier date shows in the plan as late orders).
  const due = $("order-due").value || q.pr.date;
  say(t("loading"));
  const plan = await busy(() => withToken(async () => {
    const up = await rpc.upsertDemand({ id, item: q.item, configuration: q.cfg, qty: q.qty, dueDate: due, priority: 1 });
    const built = (up.items || [])[0]?.variant || q.variant.id;
    const [orders, pegs, stats, lines] = await Promise.all([
      rpc.plannedOrders(id), rpc.pegDemand(id), rpc.planStats(),
      rpc.explode(built, q.qty).catch(() => rpc.explode(q.variant.id, q.qty)),
    ]);
    return { id, due, up, orders, pegs, stats, lines, variant: built };
  }));
  st.plan = plan;
  showPlan();
  say(t("confirmed", id, plan.orders.length));
}

function renderPlan() {
  const p = st.plan;
  if (!p) return;
  const r = document.createElement("p");
  r.id = "order-summary";
  r.textContent = t("confirmed", p.id, p.orders.length);
  $("order-result").replaceChildren(r);
  $("timeline-box").replaceChildren(timeline(p));
  $("bom-tree").replaceChildren(bomTree(p.lines));
  $("plan").hidden = false;
}

// showPlan shows the plan section and moves the focus there (a screen
// reader reads its heading; the view scrolls to it).
function showPlan() {
  renderPlan();
  $("plan-h").focus();
}

const day = (s) => { const [y, m, d] = s.split("-").map(Number); return Date.UTC(y, m - 1, d) / 864e5; };
const SVG = "http://www.w3.org/2000/svg";
function el(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// timeline draws one bar per planned order from release to due, grouped by
// the BOM level it is pegged at; an order is late when it should have been
// released before the planning date or is due after the date its parent
// (or, at level 0, the sales order) needs it.
function timeline(p) {
  const byID = new Map(p.orders.map((o) => [o.id, o]));
  const level = new Map(), parent = new Map();
  for (const g of p.pegs) {
    if (!g.supply || !byID.has(g.supply)) continue;
    const l = g.level || 0;
    if (!level.has(g.supply) || l < level.get(g.supply)) { level.set(g.supply, l); parent.set(g.supply, g.parent || ""); }
  }
  const rows = p.orders.map((o) => {
    const par = byID.get(parent.get(o.id));
    const needBy = par ? par.releaseDate : p.due;
    return { o, level: level.has(o.id) ? level.get(o.id) : 99, late: !!o.pastDue || o.dueDate > needBy };
  }).sort((a, b) => a.level - b.level || a.o.releaseDate.localeCompare(b.o.releaseDate) || a.o.item.localeCompare(b.o.item));
  const today = p.stats.date || "";
  const dates = [p.due, ...(today ? [today] : []), ...p.orders.flatMap((o) => [o.releaseDate, o.dueDate])].map(day);
  const d0 = Math.min(...dates) - 1, d1 = Math.max(...dates) + 1;
  const left = 230, width = 640, rowH = 16, top = 24;
  const x = (s) => left + ((day(s) - d0) / (d1 - d0)) * width;
  const levels = [...new Set(rows.map((r) => r.level))];
  const height = top + (rows.length + levels.length) * rowH + 10;
  const svg = el("svg", { class: "timeline", id: "timeline", width: left + width + 20, height, role: "img",
    "aria-label": `${t("plan")}: ${rows.length}, ${rows.filter((r) => r.late).length} ${t("late")}` });
  svg.append(el("title", {}, t("legendLate")));
  // month grid
  for (let d = d0; d <= d1; d++) {
    const dt = new Date(d * 864e5);
    if (dt.getUTCDate() !== 1) continue;
    const s = dt.toISOString().slice(0, 10);
    svg.append(el("line", { class: "grid", x1: x(s), x2: x(s), y1: top - 8, y2: height }), el("text", { x: x(s) + 2, y: 12 }, s.slice(0, 7)));
  }
  svg.append(el("line", { class: "due", x1: x(p.due), x2: x(p.due), y1: top - 8, y2: height }),
    el("text", { x: x(p.due) - 3, y: top - 2, class: "late", "text-anchor": "end" }, `${t("orderDue")} ${p.due}`));
  if (today) svg.append(el("line", { class: "today", x1: x(today), x2: x(today), y1: top - 8, y2: height }));
  let y = top;
  for (const l of levels) {
    const g = el("g", { class: "level", "data-level": l });
    g.append(el("text", { class: "head", x: 4, y: y + 12 }, t("level", l === 99 ? "?" : l)));
    y += rowH;
    for (const r of rows.filter((r) => r.level === l)) {
      const o = r.o;
      const kind = o.kind === "ORDER_KIND_PURCHASE" ? "purchase" : "production";
      const b = el("g", { class: "bar " + kind, "data-order": o.id, "data-item": o.item, "data-level": l, "data-late": String(r.late) });
      const x0 = x(o.releaseDate), x1 = Math.max(x(o.dueDate), x0 + 2);
      b.append(el("title", {}, `${o.item} × ${o.qty}: ${t("release")} ${o.releaseDate}, ${t("due")} ${o.dueDate}${r.late ? " · " + t("late") : ""}`),
        el("text", { x: 14, y: y + 12 }, (r.late ? "⚠ " : "") + (o.item.length > 32 ? o.item.slice(0, 31) + "…" : o.item)),
        el("rect", { x: x0, y: y + 3, width: x1 - x0, height: rowH - 5, rx: 2 }));
      g.append(b);
      y += rowH;
    }
    svg.append(g);
  }
  return svg;
}

// bomTree nests the indented explosion as <details> (collapsible, keyboard
// operable by the browser).
function bomTree(lines) {
  const root = document.createElement("div");
  const stack = [{ level: -1, box: root }];
  lines.forEach((l, i) => {
    const lev = l.level || 0;
    while (stack.length > 1 && stack[stack.length - 1].level >= lev) stack.pop();
    const parent = stack[stack.length - 1].box;
    const text = `${l.position ? l.position + " " : ""}${l.item} ${l.description || ""}`;
    const qty = ` × ${num(l.qtyPer || 0, 3)} → ${num(l.qty || 0, 3)} ${l.uom || ""}`;
    const next = lines[i + 1];
    const q = document.createElement("span");
    q.className = "qty";
    q.textContent = qty;
    if (next && (next.level || 0) > lev) {
      const d = document.createElement("details");
      d.dataset.item = l.item;
      if (lev < 1) d.open = true;
      const s = document.createElement("summary");
      s.append(text, q);
      d.append(s);
      parent.append(d);
      stack.push({ level: lev, box: d });
    } else {
      const div = document.createElement("div");
      div.className = "leaf";
      div.dataset.item = l.item;
      div.append(text, q);
      parent.append(div);
    }
  });
  return root;
}

// ---- language, links, start ----

function applyLanguage() {
  rpc.setLanguage(st.lang);
  document.documentElement.lang = st.lang === "zh" ? "zh-CN" : "en";
  for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
  document.title = t("title");
  for (const o of [...$("model").options].slice(1)) {
    const m = JSON.parse(o.dataset.labels || "{}");
    o.textContent = `${label(m, o.value)} (${o.value})`;
  }
  if (st.info) $("model-label").textContent = `${t("configuration")}: ${label(st.info.labels, st.info.name)}`;
  if (st.chars.length) renderChars();
  showReason();
  renderQuote();
  renderPlan();
}

function updateURL() {
  const q = new URLSearchParams();
  if (st.model) q.set("model", st.model);
  for (const p of st.picks) q.append("pick", `${p.char}=${p.value}`);
  const item = $("item").value.trim();
  if (item) q.set("item", item);
  const qty = $("qty").value.trim(), date = $("date").value;
  if (qty && qty !== "1") q.set("qty", qty);
  if (date) q.set("date", date);
  if (st.lang !== "en") q.set("lang", st.lang);
  history.replaceState(null, "", "/?" + q.toString().replaceAll("%3D", "="));
}

function fromURL() {
  const q = new URLSearchParams(location.search);
  const picks = q.getAll("pick").map((s) => {
    const i = s.indexOf("=");
    return i < 0 ? { char: s, value: "" } : { char: s.slice(0, i), value: s.slice(i + 1) };
  });
  return { model: q.get("model") || "", picks, item: q.get("item") || "", qty: q.get("qty"), date: q.get("date"), lang: q.get("lang") };
}

function wire() {
  $("chars").addEventListener("click", (e) => {
    const b = e.target.closest("button.value");
    if (b) onValue(b);
  });
  $("model").addEventListener("change", (e) => openModel(e.target.value).catch(fail));
  $("lang").addEventListener("change", (e) => { st.lang = e.target.value; applyLanguage(); updateURL(); });
  $("undo").addEventListener("click", undo);
  $("reset").addEventListener("click", () => setPicks([]));
  $("complete").addEventListener("click", () => completeIt().catch(fail));
  $("copy-link").addEventListener("click", () => {
    updateURL();
    navigator.clipboard?.writeText(location.href).then(() => say(t("linkCopied")), () => say(location.href));
  });
  $("token-button").addEventListener("click", () => askToken(""));
  $("quote-form").addEventListener("submit", (e) => { e.preventDefault(); quote().catch(fail); });
  $("order-form").addEventListener("submit", (e) => { e.preventDefault(); confirmOrder().catch(fail); });
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "z" && !e.target.closest("input")) { e.preventDefault(); undo(); }
  });
}

async function start() {
  wire();
  const link = fromURL();
  if (link.lang === "zh" || link.lang === "en") { st.lang = link.lang; $("lang").value = link.lang; }
  if (link.item) $("item").value = link.item;
  if (link.qty) $("qty").value = link.qty;
  if (link.date) $("date").value = link.date;
  applyLanguage();
  const models = await loadModels();
  const name = link.model || (models.length === 1 ? models[0].name : "");
  if (name) await openModel(name, link.picks);
  applyLanguage();
}

start().catch(fail);
