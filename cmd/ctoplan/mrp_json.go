package main

import (
	"bufio"
	"bytes"
	"io"
	"time"

	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/internal/mrprun"
	"github.com/ctoplan/ctoplan/mrp"
)

// jsonPieceRows is about how many orders one piece of a JSON listing
// holds (see mrprun.PieceItems): 1,024 objects of 200-600 bytes.
const jsonPieceRows = 1024

// writeOrdersJSON writes every planned order of p (not phantom orders),
// with its pegging when peg is set, as `mrp run --format json` lists the
// service's records, byte for byte: pieces of the listing made on all
// cores and written in order as they are made, so that a plan of millions
// of orders is not held as messages, rows and one output buffer first (a
// 10,000-item plant's 2.4 M orders: 64 s and 11 GB that way).
func writeOrdersJSON(w io.Writer, p *mrp.Planner, peg bool) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("[")
	// every order is written ",\n  {...}": the first one's comma is
	// dropped on the way out
	fw := &firstComma{w: bw}
	keep := func(k mrp.OrderKind, _ time.Time) bool { return k != mrp.PhantomOrder }
	err := mrprun.WritePieces(fw, p.Stats().Items, mrprun.PieceItems(p, jsonPieceRows), func() func(from, to int, buf []byte) ([]byte, error) {
		return func(from, to int, buf []byte) ([]byte, error) {
			b := bytes.NewBuffer(buf)
			var err error
			serr := p.ScanOrders(mrp.Pos{Item: from}, "", keep, func(at mrp.Pos, o mrp.PlannedOrder) bool {
				if at.Item >= to {
					return false
				}
				po := convert.OrderToProto(o)
				if peg {
					sh, rest, e := p.PeggedDemandsAt(at)
					if e != nil {
						err = e
						return false
					}
					po.PeggedTo, po.PeggedRest = convert.DemandSharesToProto(sh), rest
				}
				b.WriteString(",\n  ")
				appendMessage(b, po.ProtoReflect())
				return true
			})
			if serr != nil {
				err = serr
			}
			return b.Bytes(), err
		}
	})
	if err != nil {
		return err
	}
	if fw.any {
		bw.WriteByte('\n')
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// firstComma writes to w what it is given, less the first byte of all
// (a comma).
type firstComma struct {
	w   io.Writer
	any bool
}

func (f *firstComma) Write(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n := len(b)
	if !f.any {
		f.any, b = true, b[1:]
	}
	if _, err := f.w.Write(b); err != nil {
		return 0, err
	}
	return n, nil
}
