package server

import (
	"encoding/base64"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"
	"weak"

	"github.com/ctoplan/ctoplan/mrp"
)

// Paging of the list RPCs (Google AIP-158): a request gives page_size (0:
// the whole list, unpaged) and the page_token of the previous answer; the
// answer's last message carries next_page_token while more follow. A token
// names the plan revision it was issued at, the position of the next item
// and the filters of the request: a token is only good for the same
// filters (else InvalidArgument on page_token) and the same plan revision.
// After a change of the plan the token is refused with Aborted and reason
// PLAN_CHANGED (list again from the first page): positions in a list of a
// different plan would skip or repeat entries silently.
//
// ListPlannedOrders and ListExceptions page by position (keyset paging):
// the token holds the plan's position of the next entry ([mrp.Pos]: item
// index, entry of the item), so a page is found without listing the
// entries before it and costs its own size, not the plan's. The supply
// tree of one demand (ListPlannedOrders with demand) is built whole for
// every page anyway; there the position is an offset in the list.

// maxPageSize caps page_size.
const maxPageSize = 1000

// errPlanChanged refuses a page token of an earlier plan revision.
var errPlanChanged = errors.New("the plan changed since the page token was issued: list again from the first page")

// listPage is a page of a list.
type listPage struct {
	rev    uint64 // plan revision
	filter string // the request's filters, as filterKey
	start  int    // first position (offset paging)
	pos    mrp.Pos
	size   int // 0: all
}

// filterKey hashes a request's filters into a token.
func filterKey(parts ...string) string {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

// readPage checks page_size and page_token against the plan revision rev
// and the filters.
func readPage(size int32, token string, rev uint64, filter string) (listPage, error) {
	return readPageMax(size, token, rev, filter, maxPageSize)
}

// readPageMax is readPage with page_size capped at max.
func readPageMax(size int32, token string, rev uint64, filter string, max int32) (listPage, error) {
	pg := listPage{rev: rev, filter: filter}
	if size < 0 {
		return pg, badField("page_size", "must not be negative")
	}
	pg.size = int(min(size, max))
	if token == "" {
		return pg, nil
	}
	bad := badField("page_token", "not a page token of this list (give the next_page_token of the previous page)")
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return pg, bad
	}
	f := strings.Split(string(b), ".")
	if len(f) != 5 || f[0] != "p2" {
		return pg, bad
	}
	trev, err1 := strconv.ParseUint(f[1], 10, 64)
	start, err2 := strconv.Atoi(f[2])
	k, err3 := strconv.Atoi(f[3])
	if err1 != nil || err2 != nil || err3 != nil || start < 0 || k < 0 {
		return pg, bad
	}
	if f[4] != filter {
		return pg, badField("page_token", "issued for other filters: give the same filters on every page")
	}
	if trev != rev {
		return pg, fmt.Errorf("%w (token of revision %d, plan at %d)", errPlanChanged, trev, rev)
	}
	pg.start, pg.pos = start, mrp.Pos{Item: start, K: k}
	return pg, nil
}

// token is the page token of the page that starts at position pos.
func (pg listPage) token(pos mrp.Pos) string {
	return base64.RawURLEncoding.EncodeToString([]byte("p2." + strconv.FormatUint(pg.rev, 10) + "." +
		strconv.Itoa(pos.Item) + "." + strconv.Itoa(pos.K) + "." + pg.filter))
}

// cut returns the page's part of n entries and the next page token ("" on
// the last page).
func (pg listPage) cut(n int) (lo, hi int, next string) {
	lo = min(pg.start, n)
	if pg.size == 0 {
		return lo, n, ""
	}
	hi = min(lo+pg.size, n)
	if hi < n {
		next = pg.token(mrp.Pos{Item: hi})
	}
	return lo, hi, next
}

// lateCache keeps the late demands of one plan version (planner and
// revision) for ListExceptions: they come last in the list and are found
// on the whole plan, so that each page reaching them does not find them
// again. The planner is held weakly: a replaced plan is not kept alive.
type lateCache struct {
	mu   sync.Mutex
	plan weak.Pointer[mrp.Planner]
	rev  uint64
	late []mrp.Exception
	ok   bool
}

// get returns p's late demands at revision rev; the caller holds the
// plan's read lock.
func (c *lateCache) get(p *mrp.Planner, rev uint64) []mrp.Exception {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.ok || c.plan.Value() != p || c.rev != rev {
		c.plan, c.rev, c.late, c.ok = weak.Make(p), rev, p.LateDemands(), true
	}
	return c.late
}

// ListModels pages by name instead (keyset paging): its token is the name
// of the last model of the previous page, and the next page starts after
// it in name order. Storing or replacing a model never shifts the others,
// so there is no revision to check; a model stored meanwhile behind the
// cursor is simply not in the rest of the listing.

// readNamePage checks page_size and page_token of a list paged by name; it
// returns the page size (0: all) and the name the page starts after (""
// for the first page).
func readNamePage(size int32, token string) (n int, after string, err error) {
	if size < 0 {
		return 0, "", badField("page_size", "must not be negative")
	}
	n = int(min(size, maxPageSize))
	if token == "" {
		return n, "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	name, ok := strings.CutPrefix(string(b), "n1.")
	if err != nil || !ok || name == "" {
		return 0, "", badField("page_token", "not a page token of this list (give the next_page_token of the previous page)")
	}
	return n, name, nil
}

// nameToken is the page token of a page that ended with name.
func nameToken(name string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("n1." + name))
}

// pageOfNames returns the names of a page of sorted: at most n (0: all)
// after the name after, and the next page token ("" on the last page).
func pageOfNames(sorted []string, n int, after string) (page []string, next string) {
	lo := 0
	if after != "" {
		lo, _ = slices.BinarySearch(sorted, after)
		if lo < len(sorted) && sorted[lo] == after {
			lo++
		}
	}
	page = sorted[lo:]
	if n > 0 && len(page) > n {
		page = page[:n]
		next = nameToken(page[n-1])
	}
	return page, next
}
