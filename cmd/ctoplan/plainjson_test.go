package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
)

// TestPlainJSON: the JSON a shell user gets, written out by hand from the
// promise in plainJSON's comment (snake_case names in .proto order, int64
// as numbers, enums as lower-case words, zero values present, unset
// message null, maps sorted).
func TestPlainJSON(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  []byte
		want string
	}{
		{name: "planned order", got: plainJSON(&mrpv1.PlannedOrder{
			Id: "STEEL#2027-01-08", Item: "STEEL", Kind: mrpv1.OrderKind_ORDER_KIND_PRODUCTION, Qty: 1160,
			ReleaseDate: "2027-01-04", DueDate: "2027-01-08",
			Operations: []*mrpv1.ScheduledOperation{{Seq: 10, WorkCenter: "WELD", Hours: 2.5, Start: "2027-01-04T07:30:00+08:00", End: "2027-01-04T10:00:00+08:00"}},
			PeggedTo:   []*mrpv1.DemandShare{{Demand: "SO-1", Qty: 1160}},
		}), want: `{"id":"STEEL#2027-01-08","item":"STEEL","kind":"production","qty":1160,"release_date":"2027-01-04","due_date":"2027-01-08","past_due":false,` +
			`"operations":[{"seq":10,"work_center":"WELD","hours":2.5,"start":"2027-01-04T07:30:00+08:00","end":"2027-01-04T10:00:00+08:00"}],` +
			`"pegged_to":[{"demand":"SO-1","qty":1160}],"firm":false,"pegged_rest":0}`},
		{name: "zero values", got: plainJSON(&mrpv1.PlannedOrder{}),
			want: `{"id":"","item":"","kind":"unspecified","qty":0,"release_date":"","due_date":"","past_due":false,"operations":[],"pegged_to":[],"firm":false,"pegged_rest":0}`},
		{name: "peg", got: plainJSON(&mrpv1.Peg{Level: 1, Item: "CHAIN", SupplyKind: mrpv1.SupplyKind_SUPPLY_KIND_STOCK, Qty: -3}),
			want: `"supply_kind":"stock"`},
		{name: "map and unset message", got: plainJSON(&configuratorv1.CheckResponse{Valid: true}), want: `{"valid":true,"conflict":null}`},
		{name: "map", got: plainJSON(&configuratorv1.Constraint{Kind: configuratorv1.ConstraintKind_CONSTRAINT_KIND_RULE, Name: "r<1>", Message: map[string]string{"zh": "三", "en": "a \"b\""}}),
			want: `{"kind":"rule","name":"r<1>","message":{"en":"a \"b\"","zh":"三"},"position":""}`},
		// Money: the exact decimal as a JSON number (no float64 between:
		// 0.1 stays 0.1), "" as 0, an unset amount null.
		{name: "money", got: plainJSON(&bomv1.CostRollupResponse{
			Material: &rpcv1.Money{CurrencyCode: "EUR", Amount: "23256.318856"},
			Setup:    &rpcv1.Money{CurrencyCode: "EUR", Amount: "0.1"},
			Run:      &rpcv1.Money{CurrencyCode: "EUR"},
		}), want: `{"material":{"currency_code":"EUR","amount":23256.318856},"setup":{"currency_code":"EUR","amount":0.1},` +
			`"run":{"currency_code":"EUR","amount":0},"total":null}`},
		{name: "bad amount", got: plainJSON(&rpcv1.Money{CurrencyCode: "EUR", Amount: "1e3"}), want: `{"currency_code":"EUR","amount":"1e3"}`},
	} {
		got := string(tc.got)
		if tc.name == "peg" {
			if !json.Valid(tc.got) || !strings.Contains(got, tc.want) {
				t.Errorf("%s: %s, want %s in it", tc.name, got, tc.want)
			}
			continue
		}
		if got != tc.want || !json.Valid(tc.got) {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

// TestAppendString: a string is written as encoding/json writes it with
// HTML escaping off, on the fast path for plain ASCII and off it: quotes,
// backslashes, control characters, DEL, HTML's <>&, U+2028, non-ASCII and
// invalid UTF-8; then random byte strings.
func TestAppendString(t *testing.T) {
	want := func(s string) string {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		return strings.TrimSuffix(b.String(), "\n")
	}
	cases := []string{"", "P0000001#2026-01-06", "SO 1", `a"b`, `a\b`, "tab\there", "nl\n", "\x00", "\x1f", "\x7f",
		"<b>&amp;</b>", "line\u2028sep", "Größe", "\xff\xfe", "~ !"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, r.IntN(12))
		for k := range b {
			if r.IntN(4) == 0 {
				b[k] = byte(r.IntN(256))
			} else {
				b[k] = byte(0x20 + r.IntN(0x5f))
			}
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		var b bytes.Buffer
		appendString(&b, s)
		if got, w := b.String(), want(s); got != w {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, w)
		}
	}
}
