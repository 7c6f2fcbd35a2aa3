// rpc.js: every call the page makes to ctoplan's services, in one place.
// The page speaks the Connect protocol's JSON form to the server that
// served it: a unary call is POST /PACKAGE.SERVICE/METHOD with a JSON body,
// a server stream is the same path with enveloped JSON messages
// (application/connect+json). When the API changes, this file changes.

const CONF = "ctoplan.configurator.v1.ConfiguratorService";
const BOM = "ctoplan.bom.v1.BOMService";
const MRP = "ctoplan.mrp.v1.MRPService";

const TOKEN_KEY = "ctoplan.token";

// RpcError is a failed call: code is the Connect code ("unauthenticated",
// "permission_denied", "failed_precondition", ... or "unavailable" when the
// server could not be reached).
export class RpcError extends Error {
  constructor(code, message, details) {
    super(message || code);
    this.code = code;
    this.details = details || [];
  }
  // needsToken: a token (or a token with more scopes) would help.
  get needsToken() {
    return this.code === "unauthenticated" || this.code === "permission_denied";
  }
}

export function token() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch { return ""; }
}

export function setToken(t) {
  try {
    if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY);
  } catch { /* storage off: the token lives as long as the page */ }
  memToken = t;
}

let memToken = "";

// lang is the page's language, sent as Accept-Language so that the
// server's messages (a conflict, a bad pick) come in it too.
let lang = "";
export function setLanguage(l) { lang = l; }

function headers(contentType) {
  const h = { "Content-Type": contentType, "Connect-Protocol-Version": "1" };
  if (lang) h["Accept-Language"] = lang === "zh" ? "zh-CN, zh" : lang;
  const t = token() || memToken;
  if (t) h["Authorization"] = "Bearer " + t;
  return h;
}

async function unary(service, method, req) {
  let res;
  try {
    res = await fetch("/" + service + "/" + method, {
      method: "POST", headers: headers("application/json"), body: JSON.stringify(req || {}),
    });
  } catch (e) {
    throw new RpcError("unavailable", "the server cannot be reached: " + e.message);
  }
  const text = await res.text();
  let body = {};
  try { body = text ? JSON.parse(text) : {}; } catch { /* not JSON: an error page */ }
  if (!res.ok) {
    throw new RpcError(body.code || httpCode(res.status), body.message || text || res.statusText, body.details);
  }
  return body;
}

// stream calls a server-streaming method and returns all its messages.
async function stream(service, method, req) {
  const json = new TextEncoder().encode(JSON.stringify(req || {}));
  const env = new Uint8Array(5 + json.length);
  new DataView(env.buffer).setUint32(1, json.length);
  env.set(json, 5);
  let res;
  try {
    res = await fetch("/" + service + "/" + method, {
      method: "POST", headers: headers("application/connect+json"), body: env,
    });
  } catch (e) {
    throw new RpcError("unavailable", "the server cannot be reached: " + e.message);
  }
  const buf = new Uint8Array(await res.arrayBuffer());
  const dec = new TextDecoder();
  if (!res.ok) {
    let body = {};
    try { body = JSON.parse(dec.decode(buf)); } catch { /* not JSON */ }
    throw new RpcError(body.code || httpCode(res.status), body.message || res.statusText);
  }
  const out = [];
  for (let i = 0; i + 5 <= buf.length;) {
    const flags = buf[i];
    const n = new DataView(buf.buffer, buf.byteOffset + i + 1, 4).getUint32(0);
    const msg = JSON.parse(dec.decode(buf.subarray(i + 5, i + 5 + n)));
    i += 5 + n;
    if (flags & 2) { // end of stream
      if (msg.error) throw new RpcError(msg.error.code, msg.error.message, msg.error.details);
      return out;
    }
    out.push(msg);
  }
  throw new RpcError("internal", method + ": the stream ended without its end message");
}

function httpCode(status) {
  return { 401: "unauthenticated", 403: "permission_denied", 404: "unimplemented", 429: "unavailable", 503: "unavailable" }[status] || "unknown";
}

// The configurator.
export const listModels = () => unary(CONF, "ListModels", {});
export const getModel = (name) => unary(CONF, "GetModel", { name });
export const propagate = (model, picks) => unary(CONF, "Propagate", { model, picks });
export const explain = (model, picks, char, value) => unary(CONF, "Explain", { model, picks, char, value });
export const complete = (model, picks) => unary(CONF, "Complete", { model, picks });

// The BOM.
export const getItem = (id) => unary(BOM, "GetItem", { id });
export const listItems = (model) => unary(BOM, "ListItems", { model });
export const resolve = (item, configuration, date) => unary(BOM, "Resolve", { item, configuration, date });
export const costRollup = (variant, lotSize) => unary(BOM, "CostRollup", { target: { variant }, lotSize });
export const leadTime = (variant) => unary(BOM, "LeadTime", { target: { variant } });
export async function explode(variant, quantity) {
  const msgs = await stream(BOM, "Explode", { target: { variant }, quantity });
  return msgs.flatMap((m) => m.lines || []);
}

// MRP.
export const promise = (item, configuration, qty, date) => unary(MRP, "Promise", { item, configuration, qty, date });
// the page reads the planning date: not the digest, which pegs the whole
// plan once per revision (seconds on a large plant, after every order)
export const planStats = () => unary(MRP, "GetPlanStats", { skipDigest: true });
// the page shows no list of the items the net change touched: counts only
// (on a large plant thousands of IDs, more time than the net change)
export const upsertDemand = (demand) => unary(MRP, "UpsertDemands", { demands: [demand], countsOnly: true });
export async function plannedOrders(demand) {
  const msgs = await stream(MRP, "ListPlannedOrders", { demand });
  return msgs.flatMap((m) => m.orders || []);
}
// pegDemand is a demand's supply tree: whole, or its first levels levels
// when given. A deep bill of material with shared parts can unfold into
// more nodes than the server gives at once (resource_exhausted): then the
// first three levels, which place the orders the page draws first.
export async function pegDemand(demand, levels) {
  try {
    const msgs = await stream(MRP, "PegDemand", levels ? { demand, levels } : { demand });
    return msgs.flatMap((m) => m.pegs || []);
  } catch (e) {
    if (levels || !(e instanceof RpcError) || e.code !== "resource_exhausted") throw e;
    return pegDemand(demand, 3);
  }
}
