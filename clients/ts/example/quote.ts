// A quote as a CRM front end makes it: what is still possible after the
// customer's picks (Propagate), then when the configured truck can be
// delivered (Promise). Run against the demo server:
//
//   ctoplan serve --store /tmp/ctoplan-db        # with the demo data loaded (README)
//   npm --prefix clients/ts run example         # CTOPLAN_URL to change the server
//
// In a browser the same code runs unchanged (connect-web uses fetch); start
// the server with --cors-origin for the page's origin.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { create } from "@bufbuild/protobuf";

import { ConfiguratorService, PickSchema } from "../src/gen/ctoplan/configurator/v1/configurator_pb.js";
import { MRPService } from "../src/gen/ctoplan/mrp/v1/mrp_pb.js";

const transport = createConnectTransport({
  baseUrl: process.env.CTOPLAN_URL ?? "http://127.0.0.1:8080",
  // Read-only calls (Propagate, Promise, every list and get) go as HTTP
  // GET: cacheable, and a repeated read can send If-None-Match.
  useHttpGet: true,
  interceptors: [
    (next) => async (req) => {
      const token = process.env.CTOPLAN_TOKEN;
      if (token) req.header.set("Authorization", `Bearer ${token}`);
      req.header.set("Accept-Language", "en");
      return next(req);
    },
  ],
});

const configurator = createClient(ConfiguratorService, transport);
const mrp = createClient(MRPService, transport);

async function main(): Promise<void> {
  const picks = [create(PickSchema, { char: "capacity", value: "t25" })];

  const domains = await configurator.propagate({ model: "forklift", picks });
  for (const d of domains.chars.slice(0, 5)) {
    console.log(`${d.char}: selected [${d.selected.join(" ")}] forced [${d.forced.join(" ")}] possible [${d.possible.join(" ")}]`);
  }

  const promise = await mrp.promise({ item: "FL-TRUCK", picks, qty: 2, date: "2027-03-01" });
  console.log(`2 x FL-TRUCK (${promise.item}) asked for 2027-03-01: ${promise.date} (${promise.atp ? "available" : "to be made"}${promise.late ? ", late: " + promise.limit : ""}), plan revision ${promise.planRevision}`);
}

main().catch((err: unknown) => {
  // Every error carries a code, a message in the Accept-Language, and a
  // google.rpc.ErrorInfo with a stable reason among its details.
  const ce = ConnectError.from(err);
  console.error(`${Code[ce.code]}: ${ce.rawMessage}`);
  process.exitCode = 1;
});
