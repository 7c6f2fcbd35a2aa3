// Package examples holds small programs that embed ctoplan's packages as a
// Go program of another module would (this directory is its own module,
// with a replace directive pointing at the repository root):
//
//   - configure: a configurator session on the forklift model (pick,
//     propagate, explain, complete).
//   - bomstore: a BOM store on Badger: import the demo master data,
//     resolve a configured truck, explode its BOM.
//   - mrporder: an MRP plan in an mrp.Store: a configured truck ordered
//     as a sales-order line, then a what-if quote of another configuration.
//   - embedserver: the RPC server mounted in an own http.ServeMux behind
//     an own authentication, with a handler option (an interceptor).
//
// Each runs on testdata/forklift ("go run ./configure" from this
// directory, or -data DIR); CI builds and runs them all.
package examples
