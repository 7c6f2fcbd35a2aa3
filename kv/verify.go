package kv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// VerifyReport is what [Verify] found in a store directory.
type VerifyReport struct {
	Dir      string
	Tables   int   // tables checked (every block's checksum)
	Bytes    int64 // size of the tables
	Keys     int   // keys read, each with its value
	Problems []string
	// Notes are findings that are not damage: a store that was not closed
	// cleanly (its write-ahead log is replayed at the next open).
	Notes []string
}

// OK reports whether no problem was found.
func (r *VerifyReport) OK() bool { return len(r.Problems) == 0 }

// Verify checks the Badger store in dir without changing it: the MANIFEST
// replays, every table it lists is present and every block matches its
// checksum (all problems are listed, not only the first), and then every
// key and value reads back through Badger, values checked against their
// checksums. The store must not be open elsewhere (the read-only open
// shares the directory with other readers only). The error is for a store
// that cannot be examined at all (missing directory: [ErrNoStore]); damage
// is reported in the report.
func Verify(ctx context.Context, dir string) (*VerifyReport, error) {
	r := &VerifyReport{Dir: dir}
	bo := badgerOptions(dir, Options{ReadOnly: true})
	pre, err := preflight(dir, bo, true, true)
	if err != nil {
		return nil, err
	}
	r.Tables, r.Bytes = pre.tables, pre.bytes
	for _, p := range pre.problems {
		r.Problems = append(r.Problems, p.String())
	}
	if !pre.exists && len(r.Problems) == 0 {
		if _, err := os.Stat(filepath.Join(dir)); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrNoStore, dir, err)
		}
		return nil, fmt.Errorf("%w: %s (no MANIFEST)", ErrNoStore, dir)
	}
	if len(r.Problems) > 0 {
		return r, nil // Badger would refuse it, or worse
	}
	// A read-only open cannot remove the empty log files a kill can leave
	// (Badger would try to grow them, and fail); the next read-write open
	// removes them.
	empty, err := emptyLogs(dir)
	if err != nil {
		return nil, fmt.Errorf("kv: verify %s: %w", dir, err)
	}
	if len(empty) > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("not closed cleanly (a kill while it created a log file): %s empty, holding no write; "+
			"the next open removes it; the tables are verified, their keys not read here", strings.Join(empty, ", ")))
		return r, nil
	}
	db, err := OpenBadger(dir, Options{ReadOnly: true, Logf: func(format string, args ...any) {
		r.Problems = append(r.Problems, "badger: "+strings.TrimSpace(fmt.Sprintf(format, args...)))
	}})
	// Badger's wrapping drops the chain: match the sentinel's text.
	if err != nil && (errors.Is(err, badger.ErrTruncateNeeded) || strings.Contains(err.Error(), badger.ErrTruncateNeeded.Error())) {
		// A read-only open cannot replay a write-ahead log that needs
		// its unused tail cut, i.e. any store not closed cleanly.
		r.Notes = append(r.Notes, "not closed cleanly (a crash, or kill -9): its write-ahead log holds commits not yet in tables; "+
			"the next open replays them, checking each against its checksum; the tables are verified, their keys not read here")
		return r, nil
	}
	if err != nil {
		r.Problems = append(r.Problems, err.Error())
		return r, nil
	}
	defer db.Close()
	if err := db.verifyTables(); err != nil {
		r.Problems = append(r.Problems, err.Error())
	}
	var last []byte
	err = db.View(ctx, func(txn Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			r.Keys++
			last = append(last[:0], k...)
			return nil
		})
	})
	if err != nil {
		where := "at the first key"
		if last != nil {
			where = fmt.Sprintf("after key %q (%d keys read)", last, r.Keys)
		}
		r.Problems = append(r.Problems, fmt.Sprintf("reading %s: %v", where, err))
	}
	return r, nil
}
