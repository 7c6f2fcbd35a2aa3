package kv

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// The backup format is the same for every DB: the magic line, then for each
// key in order uvarint(len(key)) key uvarint(len(value)) value, then a zero
// byte (an empty key ends the stream), uvarint(number of pairs) and the
// CRC-32C (Castagnoli) of everything before it, big-endian. It is simple
// enough to read with a few lines of any language, and the checksum and
// count catch truncation.
const backupMagic = "ctoplan-kv-backup 1\n"

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Backup writes a consistent snapshot of db (one View transaction) to w.
// A Badger store's tables are verified first: a damaged one fails the
// backup with [ErrCorrupt] before anything is written.
func Backup(ctx context.Context, db DB, w io.Writer) error {
	if v, ok := db.(interface{ verifyTables() error }); ok {
		if err := v.verifyTables(); err != nil {
			return fmt.Errorf("kv: backup: %w", err)
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	h := crc32.New(castagnoli)
	out := io.MultiWriter(bw, h)
	var n uint64
	var hdr [binary.MaxVarintLen64]byte
	put := func(b []byte) error {
		m := binary.PutUvarint(hdr[:], uint64(len(b)))
		if _, err := out.Write(hdr[:m]); err != nil {
			return err
		}
		_, err := out.Write(b)
		return err
	}
	if _, err := io.WriteString(out, backupMagic); err != nil {
		return err
	}
	err := db.View(ctx, func(txn Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			n++
			if err := put(k); err != nil {
				return err
			}
			return put(v)
		})
	})
	if err != nil {
		return fmt.Errorf("kv: backup: %w", err)
	}
	m := binary.PutUvarint(hdr[:], 0)
	m += binary.PutUvarint(hdr[m:], n)
	if _, err := out.Write(hdr[:m]); err != nil {
		return fmt.Errorf("kv: backup: %w", err)
	}
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], h.Sum32())
	if _, err := bw.Write(sum[:]); err != nil {
		return fmt.Errorf("kv: backup: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("kv: backup: %w", err)
	}
	return nil
}

// Restore reads a stream written by [Backup] into db, in transactions of at
// most batch pairs (<= 0 means 10,000). The stream is verified completely
// before anything is written, so a damaged stream ([ErrBadBackup]) leaves db
// unchanged; restore into an empty store (existing keys are overwritten, not
// removed). Restore holds the pairs in memory while verifying.
func Restore(ctx context.Context, db DB, r io.Reader, batch int) error {
	if batch <= 0 {
		batch = 10000
	}
	pairs, err := readBackup(r)
	if err != nil {
		return err
	}
	for len(pairs) > 0 {
		n := min(batch, len(pairs))
		chunk := pairs[:n]
		pairs = pairs[n:]
		err := db.Update(ctx, func(txn Txn) error {
			for _, p := range chunk {
				if err := txn.Set(p.k, p.v); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("kv: restore: %w", err)
		}
	}
	return nil
}

func readBackup(r io.Reader) ([]entry, error) {
	h := crc32.New(castagnoli)
	br := bufio.NewReaderSize(r, 64<<10)
	in := &hashReader{r: br, h: h}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadBackup, fmt.Sprintf(format, args...))
	}
	magic := make([]byte, len(backupMagic))
	if _, err := io.ReadFull(in, magic); err != nil || string(magic) != backupMagic {
		return nil, bad("not a ctoplan kv backup (bad header)")
	}
	readBytes := func() ([]byte, error) {
		l, err := binary.ReadUvarint(in)
		if err != nil {
			return nil, err
		}
		if l > 1<<28 {
			return nil, errors.New("length too large")
		}
		b := make([]byte, l)
		if _, err := io.ReadFull(in, b); err != nil {
			return nil, err
		}
		return b, nil
	}
	var pairs []entry
	for {
		k, err := readBytes()
		if err != nil {
			return nil, bad("pair %d: key: %v", len(pairs)+1, err)
		}
		if len(k) == 0 {
			break
		}
		v, err := readBytes()
		if err != nil {
			return nil, bad("pair %d: value: %v", len(pairs)+1, err)
		}
		pairs = append(pairs, entry{k, v})
	}
	n, err := binary.ReadUvarint(in)
	if err != nil {
		return nil, bad("trailer: %v", err)
	}
	if n != uint64(len(pairs)) {
		return nil, bad("trailer says %d pairs, stream has %d", n, len(pairs))
	}
	want := h.Sum32()
	var sum [4]byte
	if _, err := io.ReadFull(br, sum[:]); err != nil {
		return nil, bad("checksum: %v", err)
	}
	if got := binary.BigEndian.Uint32(sum[:]); got != want {
		return nil, bad("checksum mismatch (%08x, want %08x)", got, want)
	}
	return pairs, nil
}

// hashReader hashes what it reads; it implements io.ByteReader for
// binary.ReadUvarint.
type hashReader struct {
	r *bufio.Reader
	h io.Writer
}

func (hr *hashReader) Read(p []byte) (int, error) {
	n, err := hr.r.Read(p)
	hr.h.Write(p[:n])
	return n, err
}

func (hr *hashReader) ReadByte() (byte, error) {
	c, err := hr.r.ReadByte()
	if err == nil {
		hr.h.Write([]byte{c})
	}
	return c, err
}
