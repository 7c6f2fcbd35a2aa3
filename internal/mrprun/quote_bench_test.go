package mrprun

import (
	"math"
	"strconv"
	"testing"
)

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

// BenchmarkAppendNum prints the quantities of pegged_to cells on a deep
// plant: shares of an order split between demands, mostly fractions.
// appendNum against strconv's shortest form of the same rounded value
// (what appendNum printed fractions with before its fixed-point path).
func BenchmarkAppendNum(b *testing.B) {
	nums := make([]float64, 1024)
	for k := range nums {
		nums[k] = float64(1+k%97) * float64(1+k%13) / float64(1+k%7)
	}
	buf := make([]byte, 0, 64)
	b.Run("appendNum", func(b *testing.B) {
		for b.Loop() {
			for _, f := range nums {
				buf = appendNum(buf[:0], f)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(nums)), "ns/num")
	})
	b.Run("strconv", func(b *testing.B) {
		for b.Loop() {
			for _, f := range nums {
				buf = strconv.AppendFloat(buf[:0], math.Round(f*1e6)/1e6, 'f', -1, 64)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(nums)), "ns/num")
	})
}
