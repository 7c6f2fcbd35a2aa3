package bom

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
)

// Hash identifies a resolved node: the SHA-256 of its canonical encoding.
type Hash [32]byte

func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// IsZero reports whether h is the zero Hash (no node).
func (h Hash) IsZero() bool { return h == Hash{} }

// ParseHash reads a Hash from 64 hex digits.
func ParseHash(s string) (Hash, error) {
	var h Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("bom: bad node hash %q (want 64 hex digits)", s)
	}
	copy(h[:], b)
	return h, nil
}

// Node is one resolved assembly: the item, its selected component lines
// (phantoms blown through, quantities evaluated) and its selected
// operations. Nodes are immutable and shared: every variant that contains
// the same resolved assembly points at the same Node.
type Node struct {
	Hash  Hash
	Item  string
	Lines []NodeLine
	Ops   []Operation
	size  int // length of the canonical encoding
}

// NodeLine is one component line of a resolved node.
type NodeLine struct {
	// Position is the line's position; a line taken over from a phantom has
	// the phantom line's position, "/", and its own.
	Position string
	Item     string
	// Child is the component's own resolved node, or zero when the component
	// has no BOM and no routing (a purchased part or a plain leaf).
	Child Hash
	// Qty per unit of the parent, before scrap.
	Qty float64
	// ScrapPct is the component scrap of the line (for lines taken over
	// from phantoms, the combined scrap of the path).
	ScrapPct float64
}

// Operation is one selected operation of a resolved routing.
type Operation struct {
	Seq         int
	WorkCenter  string
	SetupHours  float64
	RunHours    float64 // per unit
	Description string
}

// Size is the length in bytes of the node's canonical encoding, i.e. what it
// costs in the store.
func (n *Node) Size() int { return n.size }

// The canonical node encoding is a small binary format, not JSON, because
// the encoding *is* the identity: the node's key is the SHA-256 of these
// exact bytes, so they must be canonical (one encoding per content), and
// they are hashed and stored for every new node, so compactness and speed
// count. Layout: version byte 1; string item; uvarint #lines, each: string
// position, string item, byte 0 or 1 + 32-byte child hash, float64 qty,
// float64 scrap; uvarint #ops, each: uvarint seq, string work center,
// float64 setup, float64 run, string description. Strings are uvarint
// length + UTF-8 bytes; float64 is IEEE-754 big-endian with -0 written as 0.
const nodeVersion = 1

func (n *Node) encode(buf []byte) []byte {
	buf = append(buf, nodeVersion)
	buf = appendString(buf, n.Item)
	buf = binary.AppendUvarint(buf, uint64(len(n.Lines)))
	for i := range n.Lines {
		l := &n.Lines[i]
		buf = appendString(buf, l.Position)
		buf = appendString(buf, l.Item)
		if l.Child.IsZero() {
			buf = append(buf, 0)
		} else {
			buf = append(buf, 1)
			buf = append(buf, l.Child[:]...)
		}
		buf = appendFloat(buf, l.Qty)
		buf = appendFloat(buf, l.ScrapPct)
	}
	buf = binary.AppendUvarint(buf, uint64(len(n.Ops)))
	for i := range n.Ops {
		o := &n.Ops[i]
		buf = binary.AppendUvarint(buf, uint64(o.Seq))
		buf = appendString(buf, o.WorkCenter)
		buf = appendFloat(buf, o.SetupHours)
		buf = appendFloat(buf, o.RunHours)
		buf = appendString(buf, o.Description)
	}
	return buf
}

// seal encodes n into buf (reused) and sets its hash and size.
func (n *Node) seal(buf []byte) []byte {
	buf = n.encode(buf[:0])
	n.Hash = sha256.Sum256(buf)
	n.size = len(buf)
	return buf
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

func appendFloat(buf []byte, f float64) []byte {
	if f == 0 {
		f = 0 // -0 -> 0
	}
	return binary.BigEndian.AppendUint64(buf, math.Float64bits(f))
}

var errBadNode = errors.New("bom: corrupt node encoding")

// decodeNode reads a node and checks that its content matches want.
func decodeNode(b []byte, want Hash) (*Node, error) {
	if sha256.Sum256(b) != want {
		return nil, fmt.Errorf("%w: node %s does not match its hash", errBadNode, want)
	}
	d := decoder{b: b}
	if d.byte() != nodeVersion {
		return nil, fmt.Errorf("%w: node %s: unknown version", errBadNode, want)
	}
	n := &Node{Hash: want, size: len(b)}
	n.Item = d.string()
	nl := d.count()
	if nl > 0 {
		n.Lines = make([]NodeLine, nl)
	}
	for i := range n.Lines {
		l := &n.Lines[i]
		l.Position = d.string()
		l.Item = d.string()
		if d.byte() == 1 {
			copy(l.Child[:], d.bytes(32))
		}
		l.Qty = d.float()
		l.ScrapPct = d.float()
	}
	no := d.count()
	if no > 0 {
		n.Ops = make([]Operation, no)
	}
	for i := range n.Ops {
		o := &n.Ops[i]
		o.Seq = int(d.uvarint())
		o.WorkCenter = d.string()
		o.SetupHours = d.float()
		o.RunHours = d.float()
		o.Description = d.string()
	}
	if d.bad || len(d.b) != 0 {
		return nil, fmt.Errorf("%w: node %s", errBadNode, want)
	}
	return n, nil
}

type decoder struct {
	b   []byte
	bad bool
}

func (d *decoder) byte() byte {
	if len(d.b) < 1 {
		d.bad = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) bytes(n int) []byte {
	if n < 0 || len(d.b) < n {
		d.bad = true
		d.b = nil
		return make([]byte, max(n, 0))
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad = true
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a uvarint length and bounds it by the bytes left, so that a
// corrupt count cannot allocate a huge slice.
func (d *decoder) count() int {
	v := d.uvarint()
	if v > uint64(len(d.b)) {
		d.bad = true
		d.b = nil
		return 0
	}
	return int(v)
}

func (d *decoder) string() string { return string(d.bytes(d.count())) }

func (d *decoder) float() float64 {
	b := d.bytes(8)
	if d.bad {
		return 0
	}
	return math.Float64frombits(binary.BigEndian.Uint64(b))
}
