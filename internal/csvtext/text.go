package csvtext

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxNameBytes bounds an id or name: item, demand, receipt, order,
// variant, model and work-center ids, characteristic names and values
// (a store key holds one; Badger's keys are at most 65,000 bytes).
const MaxNameBytes = 256

// NameProblem says what is wrong with an id or name of at most max bytes
// ("" when nothing is): too long, not UTF-8, or holding a control
// character (newline, tab, NUL, DEL, ...).
func NameProblem(s string, max int) string {
	if len(s) > max {
		return fmt.Sprintf("%d bytes is too long (at most %d)", len(s), max)
	}
	if !utf8.ValidString(s) {
		return "not UTF-8"
	}
	for i, r := range s {
		if unicode.IsControl(r) {
			return fmt.Sprintf("control character %U at byte %d (ids and names are one line of printable text)", r, i)
		}
	}
	return ""
}
