package bom

import (
	"crypto/sha256"
	"testing"
)

func TestNodeEncodingRoundTrip(t *testing.T) {
	n := &Node{Item: "MAST-ASSY", Lines: []NodeLine{
		{Position: "0010", Item: "CHANNEL", Child: Hash{1, 2, 3}, Qty: 2, ScrapPct: 1.5},
		{Position: "0020/0010", Item: "BOLT-M8", Qty: 12},
	}, Ops: []Operation{{Seq: 10, WorkCenter: "WELD", SetupHours: 1.25, RunHours: 0.5, Description: "weld 焊接"}}}
	enc := n.seal(nil)
	got, err := decodeNode(enc, n.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if again := got.seal(nil); string(again) != string(enc) || got.Hash != n.Hash {
		t.Fatal("decode then encode is not the identity")
	}
	// -0 and 0 encode alike: one content, one hash.
	m := *n
	m.Lines = append([]NodeLine(nil), n.Lines...)
	negZero := 0.0
	negZero = -negZero
	m.Lines[1].ScrapPct = negZero
	if m.seal(nil); m.Hash != n.Hash {
		t.Error("-0 changed the hash")
	}
	enc[len(enc)-1] ^= 1
	if _, err := decodeNode(enc, n.Hash); err == nil {
		t.Error("a damaged node decoded")
	}
}

func FuzzDecodeNode(f *testing.F) {
	n := &Node{Item: "A", Lines: []NodeLine{{Position: "1", Item: "B", Child: Hash{9}, Qty: 1}}, Ops: []Operation{{Seq: 10, WorkCenter: "W"}}}
	f.Add(n.seal(nil))
	f.Add([]byte{1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		h := sha256.Sum256(b)
		got, err := decodeNode(b, h)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes canonically (the input may use -0 or
		// overlong varints), and the canonical form is a fixed point.
		again := got.seal(nil)
		back, err := decodeNode(again, got.Hash)
		if err != nil {
			t.Fatalf("canonical re-encoding does not decode: %v", err)
		}
		if third := back.seal(nil); string(third) != string(again) {
			t.Fatal("canonical encoding is not a fixed point")
		}
	})
}
