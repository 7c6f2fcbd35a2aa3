package server

import (
	"net/http"
	"testing"
)

func TestLanguage(t *testing.T) {
	for _, tc := range []struct{ header, want string }{
		{"", "en"},
		{"zh-CN,zh;q=0.9,en;q=0.5", "zh"},
		{"en-US,en;q=0.9,zh;q=0.8", "en"},
		{"fr-FR, zh-TW;q=0.7, en;q=0.3", "zh"},
		{"zh;q=0", "en"},
		{"de, *;q=0.1", "en"},
		{"ZH-hans", "zh"},
	} {
		h := http.Header{}
		h.Set("Accept-Language", tc.header)
		if got := language(h); got != tc.want {
			t.Errorf("Accept-Language %q: %s, want %s", tc.header, got, tc.want)
		}
	}
}

func TestCleanMessage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`mrp: not found: demand SO-9`, `not found: demand SO-9`},
		{`bom: FL-TRUCK: configurator: bad pick: unknown value "x" for mast`, `FL-TRUCK: bad pick: unknown value "x" for mast`},
		{`item X: mrp: unknown item (in stock)`, `item X: unknown item (in stock)`},
		{`rule mrp: is a name; kv: closed`, `rule mrp: is a name; closed`}, // only after ": ", "; " or at the start
		{`no prefix here`, `no prefix here`},
	} {
		if got := cleanMessage(tc.in); got != tc.want {
			t.Errorf("cleanMessage(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
