// Package configurator answers a salesperson's questions about a product
// model: which values are still possible, why one is excluded, whether a
// configuration is valid, and a full configuration that extends the picks.
//
// # Basics
//
// Load a [Model] with [ParseFile] (the .ctm language), [LoadFile] (by
// extension, also DIMACS and XCSP), or build one with [NewModel] and the
// expression constructors of package [model]; [Compile] it; then ask the
// [Compiled] model, given [Pick] values: Propagate ([Domains]), Check, Explain,
// Complete, ValidateConfiguration, Key. A [Session] follows one user's
// picks; a stateless service uses PropagateFrom with [Witnesses].
//
// # Caveats
//
// Errors match the sentinels below with errors.Is: a bad model is an
// [ErrorList] of "file:line:col: message"; a configuration without a valid
// completion is a [*ConflictError]. Every query stops with its context's
// error. A Model is plain data: validate it, then do not change it while
// others read it. The engine's types are aliases of internal packages:
// go doc ./configurator/internal/engine shows their methods; the model
// language's rules are in package model and docs/model-language.md, the
// engine in docs/configurator-engine.md.
package configurator
