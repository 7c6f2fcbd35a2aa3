// Package formats reads the public benchmark formats as models of package
// model: [ReadDIMACS] (DIMACS CNF: one Bool characteristic per variable,
// one rule per clause, the clauses kept for a direct encoding),
// [ReadXCSP] (XCSP 2.1 with extensional constraints: the Renault models),
// and [LoadFile], which picks a reader by file extension. Package
// configurator re-exports the three functions.
package formats
