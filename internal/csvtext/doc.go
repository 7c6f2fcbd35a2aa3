// Package csvtext holds what the CSV readers of bom and mrp (master data
// and plant data, read from files by the CLI or from texts by the server)
// agree on about the text they read, so that a file is read the same
// wherever it comes in: the bound on the cells of a row and the UTF-16
// byte-order mark ([Reader]), the limit on ids and names ([NameProblem],
// which the server applies to the strings of its requests too), the
// syntax of a number ([Number]: decimal, not Go's 1_000 or 0x10) and how a
// value is shown in a message ([Quote], [Short], [ShortenQuoted]).
//
// # Basics
//
// A reader passes its source through a [Reader] before encoding/csv:
//
//	cr := csv.NewReader(csvtext.NewReader(r, ',', trim)) // trim: cr.TrimLeadingSpace
//
// and reports an [*Error] from cr.Read at its line, like a
// csv.ParseError. A message quotes a value with [Quote], which shows a
// long one by its first 40 bytes and its length, so that a 100 MB cell
// makes a message of one short line; the CSV errors of bom and mrp pass
// what they wrap through [ShortenQuoted] for the messages made elsewhere
// (the model language's, the configurator's).
//
// # Caveats
//
// [Reader] reads quotes as encoding/csv does without LazyQuotes, after a
// quote it refuses too (going on at the next line); a csv.Reader with
// LazyQuotes could read more cells than it counts. It stops a text at the
// first row beyond its bound: the rows after it are not read.
// [ShortenQuoted] shortens what a message quotes: a value written into it
// unquoted stays whole (the readers quote or [Short] every value they
// show).
package csvtext
