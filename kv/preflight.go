package kv

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/ristretto/v2/z"
)

// Badger opens a store with a missing MANIFEST as a new, empty store and
// deletes the tables it does not know; it panics (in a goroutine no caller
// can recover) on a truncated table, and at table open it skips a table
// whose checksum fails. preflight checks the directory before Badger sees
// it, so that each of these becomes an [ErrCorrupt] error and nothing is
// touched.

// storeFile reports whether name is one of the files Badger keeps in a
// store directory.
func storeFile(name string) bool {
	switch name {
	case badger.ManifestFilename, "KEYREGISTRY", "DISCARD":
		return true
	}
	switch filepath.Ext(name) {
	case ".sst", ".vlog", ".mem":
		return true
	}
	return false
}

// problem is one thing wrong with a store directory.
type problem struct {
	file string // base name, "" for the directory
	what string
}

func (p problem) String() string {
	if p.file == "" {
		return p.what
	}
	return p.file + ": " + p.what
}

// preflightResult is what preflight found.
type preflightResult struct {
	exists   bool // the directory holds a store (a MANIFEST)
	tables   int  // tables listed in the MANIFEST and checked
	bytes    int64
	problems []problem
}

// preflight checks the store in dir: the MANIFEST replays, every table it
// lists exists, opens and (with verify) matches its checksums. It stops
// after the first problem unless all is set (the verify command).
func preflight(dir string, bo badger.Options, verify, all bool) (preflightResult, error) {
	var res preflightResult
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return res, nil
	}
	if err != nil {
		return res, fmt.Errorf("kv: open %s: %w", dir, err)
	}
	var files []string
	hasManifest := false
	for _, e := range ents {
		if e.Name() == badger.ManifestFilename {
			hasManifest = true
		}
		if storeFile(e.Name()) {
			files = append(files, e.Name())
		}
	}
	if !hasManifest {
		if len(files) > 0 {
			res.problems = append(res.problems, problem{badger.ManifestFilename, fmt.Sprintf(
				"missing, but the directory holds store files (%s): opening would discard them", strings.Join(files, ", "))})
		}
		return res, nil
	}
	res.exists = true
	release, err := lockDir(dir, bo.ReadOnly)
	if err != nil {
		return res, err
	}
	defer release()
	mf, err := readManifest(filepath.Join(dir, badger.ManifestFilename), bo)
	if err != nil {
		res.problems = append(res.problems, problem{badger.ManifestFilename, err.Error()})
		return res, nil
	}
	ids := make([]uint64, 0, len(mf.Tables))
	for id := range mf.Tables {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	// Tables are checked in parallel, one per CPU; the results are reported
	// in file order.
	type result struct {
		size int64
		err  error
	}
	results := make([]result, len(ids))
	var (
		wg   sync.WaitGroup
		next atomic.Int64
		bad  atomic.Bool
	)
	for range min(runtime.GOMAXPROCS(0), len(ids)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ids) || (bad.Load() && !all) {
					return
				}
				id := ids[i]
				size, err := checkTable(filepath.Join(dir, table.IDToFilename(id)), mf.Tables[id].Compression, bo, verify)
				results[i] = result{size, err}
				if err != nil {
					bad.Store(true)
				}
			}
		})
	}
	wg.Wait()
	for i, r := range results {
		res.tables++
		res.bytes += r.size
		if r.err != nil {
			res.problems = append(res.problems, problem{table.IDToFilename(ids[i]), r.err.Error()})
			if !all {
				break
			}
		}
	}
	return res, nil
}

func readManifest(path string, bo badger.Options) (m badger.Manifest, err error) {
	f, err := os.Open(path)
	if err != nil {
		return m, err
	}
	defer f.Close()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unreadable: %v", r)
		}
	}()
	m, _, err = badger.ReplayManifestFile(f, bo.ExternalMagicVersion, bo)
	return m, err
}

// checkTable opens the table file at path as Badger would and, with verify,
// checks the checksum of every block. Badger reports a damaged table by
// panicking; that becomes an error here. It returns the file's size.
func checkTable(path string, c options.CompressionType, bo badger.Options, verify bool) (size int64, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, errors.New("listed in the MANIFEST but missing")
		}
		return 0, err
	}
	size = fi.Size()
	mf, err := z.OpenMmapFile(path, os.O_RDONLY, 0)
	if err != nil && !errors.Is(err, z.NewFile) {
		return size, err
	}
	var t *table.Table
	stage := "damaged"
	defer func() {
		if r := recover(); r != nil {
			msg := firstLine(fmt.Sprint(r))
			if strings.Contains(msg, "initIndex") {
				msg = "its index cannot be read (truncated?)"
			}
			err = fmt.Errorf("%s (%d bytes): %s", stage, size, msg)
			if t == nil {
				mf.Close(-1)
			}
		}
		if t != nil {
			// Not DecrRef: dropping the last reference deletes the file.
			t.MmapFile.Close(-1)
		}
	}()
	t, err = table.OpenTable(mf, table.Options{
		ReadOnly:    true,
		BlockSize:   bo.BlockSize,
		ChkMode:     options.NoVerification,
		Compression: c,
		TableSize:   uint64(bo.BaseTableSize),
	})
	if err != nil {
		return size, fmt.Errorf("damaged (%d bytes): %s", size, firstLine(err.Error()))
	}
	if verify {
		// Badger's VerifyChecksum panics on some bad blocks instead of
		// returning their error.
		stage = "a block fails its checksum or cannot be read"
		if err := t.VerifyChecksum(); err != nil {
			return size, fmt.Errorf("%s: %s", stage, firstLine(err.Error()))
		}
	}
	return size, nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
