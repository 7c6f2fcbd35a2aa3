// Package csvtext holds what the CSV readers of bom and mrp (master data
// and plant data, read from files by the CLI or from texts by the server)
// agree on about the text they read, so that a file is read the same
// wherever it comes in: the bound on the cells of a row and the UTF-16
// byte-order mark ([Reader]).
//
// # Basics
//
// A reader passes its source through a [Reader] before encoding/csv:
//
//	cr := csv.NewReader(csvtext.NewReader(r, ',', trim)) // trim: cr.TrimLeadingSpace
//
// and reports an [*Error] from cr.Read at its line, like a
// csv.ParseError.
//
// # Caveats
//
// [Reader] reads quotes as encoding/csv does without LazyQuotes, after a
// quote it refuses too (going on at the next line); a csv.Reader with
// LazyQuotes could read more cells than it counts. It stops a text at the
// first row beyond its bound: the rows after it are not read.
package csvtext
