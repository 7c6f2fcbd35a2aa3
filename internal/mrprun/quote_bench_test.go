package mrprun

import "testing"

// BenchmarkNeedsQuotes checks cells of the listing for CSV quoting: order
// IDs and pegged_to cells of one to five demands, none needing quotes.
func BenchmarkNeedsQuotes(b *testing.B) {
	cells := [][]byte{[]byte("P0000115#2026-02-23"), []byte("SO0000123:4"), []byte("SO0000123:4;SO0004567:12;SO0009999:1"),
		[]byte("SO0000123:4;SO0004567:12;SO0009999:1;SO0012345:7;SO0099999:20"), []byte("P0001234#2026-03-02.2")}
	var n int64
	for _, c := range cells {
		n += int64(len(c))
	}
	b.SetBytes(n)
	for b.Loop() {
		for _, c := range cells {
			if needsQuotesBytes(c) {
				b.Fatal(string(c))
			}
		}
	}
}
