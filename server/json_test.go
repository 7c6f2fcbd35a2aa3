package server_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
)

// TestJSONEveryUnaryRPC calls each unary BOM and MRP procedure as curl
// would: POST, Content-Type application/json (the configurator's are in
// TestConfiguratorJSON).
func TestJSONEveryUnaryRPC(t *testing.T) {
	e := start(t)
	importTinyPlant(t, e, protocols[0])
	for _, tc := range []struct {
		proc, body string
		auth       bool
		want       string // a key of the response
	}{
		{bomv1connect.BOMServiceImportProcedure, `{"items":[{"id":"BOLT","uom":"pc","kind":"ITEM_KIND_BUY","unitCost":{"currencyCode":"EUR","amount":"0.1"},"lotPolicy":"LOT_POLICY_FIXED_QTY","lotQty":50}]}`, true, "revision"},
		{bomv1connect.BOMServiceResolveProcedure, `{"item":"TRUCK","picks":[{"char":"mast","value":"triplex"}],"date":"2026-12-01"}`, true, "variant"},
		{bomv1connect.BOMServiceGetItemProcedure, `{"id":"CHAIN"}`, false, "item"},
		{bomv1connect.BOMServiceWhereUsedProcedure, `{"item":"CHAIN"}`, false, "lines"},
		{bomv1connect.BOMServiceCostRollupProcedure, `{"target":{"item":"FRAME"},"lotSize":1}`, false, "total"},
		{bomv1connect.BOMServiceLeadTimeProcedure, `{"target":{"item":"FRAME"}}`, false, "days"},
		{bomv1connect.BOMServiceGetStatsProcedure, `{}`, false, "items"},
		{mrpv1connect.MRPServiceUpsertDemandsProcedure, `{"demands":[{"id":"SP-9","item":"CHAIN","qty":3,"dueDate":"2027-01-10"}]}`, true, "change"},
		{mrpv1connect.MRPServiceDeleteDemandsProcedure, `{"ids":["SP-9"]}`, true, "change"},
		{mrpv1connect.MRPServiceUpsertReceiptsProcedure, `{"receipts":[{"id":"PO-9","item":"STEEL","qty":50,"dueDate":"2026-12-15","kind":"RECEIPT_KIND_PURCHASE"}]}`, true, "change"},
		{mrpv1connect.MRPServiceDeleteReceiptsProcedure, `{"ids":["PO-9"]}`, true, "change"},
		{mrpv1connect.MRPServiceSetStockProcedure, `{"stock":[{"item":"CHAIN","qty":4}]}`, true, "change"},
		{mrpv1connect.MRPServiceRunProcedure, `{}`, true, "plannedOrders"},
		{mrpv1connect.MRPServiceGetRecordProcedure, `{"item":"STEEL"}`, false, "days"},
		{mrpv1connect.MRPServicePegOrderProcedure, `{"order":"STEEL#2027-01-08"}`, false, "demands"},
		{mrpv1connect.MRPServicePromiseProcedure, `{"item":"CHAIN","qty":2,"date":"2026-12-02"}`, false, "date"},
		{mrpv1connect.MRPServiceGetPlanStatsProcedure, `{}`, false, "plannedOrders"},
		{mrpv1connect.MRPServiceImportPlantProcedure, `{"csv":[{"name":"stock.csv","text":"item,qty\nSTEEL,100\n"}],"date":"2026-12-01"}`, true, "run"},
	} {
		code, body := e.postJSON(tc.proc, tc.body, tc.auth)
		if code != http.StatusOK || body[tc.want] == nil {
			t.Errorf("%s: %d %v", tc.proc, code, body)
		}
	}
	// A write without the token is refused with 401.
	if code, body := e.postJSON(mrpv1connect.MRPServiceRunProcedure, `{}`, false); code != http.StatusUnauthorized {
		t.Errorf("Run without token: %d %v", code, body)
	}
}

// TestJSONStreams calls the server-streaming procedures with the Connect
// streaming protocol in JSON (application/connect+json: 5-byte envelopes).
func TestJSONStreams(t *testing.T) {
	e := start(t)
	importTinyPlant(t, e, protocols[0])
	for _, tc := range []struct {
		proc, body, want string
	}{
		{bomv1connect.BOMServiceExplodeProcedure, `{"target":{"item":"FRAME"},"quantity":2}`, `"item":"STEEL"`},
		{mrpv1connect.MRPServiceListPlannedOrdersProcedure, `{"demand":"SO-1"}`, `"kind":"ORDER_KIND_PURCHASE"`},
		{mrpv1connect.MRPServicePegDemandProcedure, `{"demand":"SO-1"}`, `"supplyKind":"SUPPLY_KIND_STOCK"`},
		{mrpv1connect.MRPServiceListExceptionsProcedure, `{}`, ``},
		{mrpv1connect.MRPServiceBackupProcedure, `{}`, `"chunk"`},
	} {
		var req bytes.Buffer
		req.WriteByte(0)
		binary.Write(&req, binary.BigEndian, uint32(len(tc.body)))
		req.WriteString(tc.body)
		hr, err := http.NewRequest(http.MethodPost, e.url+tc.proc, &req)
		if err != nil {
			t.Fatal(err)
		}
		hr.Header.Set("Content-Type", "application/connect+json")
		hr.Header.Set("Authorization", "Bearer "+e.token) // Backup needs the admin scope
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var msgs []string
		for len(b) >= 5 {
			flags, n := b[0], binary.BigEndian.Uint32(b[1:5])
			msg := string(b[5 : 5+n])
			b = b[5+n:]
			if flags&2 != 0 { // end of stream
				var end map[string]any
				if err := json.Unmarshal([]byte(msg), &end); err != nil || end["error"] != nil {
					t.Errorf("%s: end of stream %s", tc.proc, msg)
				}
				continue
			}
			msgs = append(msgs, msg)
		}
		if resp.StatusCode != http.StatusOK || !strings.Contains(strings.Join(msgs, "\n"), tc.want) {
			t.Errorf("%s: %d %v", tc.proc, resp.StatusCode, msgs)
		}
	}
}
