// Package convert is the one conversion between the configurator's domain
// types and their wire form (package configuratorv1), and between amounts
// and their wire form (rpcv1.Money: [Money], [MoneyCents], [ParseAmount]),
// shared by the server and the CLI.
//
// # Basics
//
// The server answers with the ToProto functions ([CharToProto],
// [DomainsToProto], [ConfigToProto], [ConflictToProto],
// [ExplanationToProto]); the CLI reads the answers back with the FromProto
// ones ([ModelFromProto], [DomainsFromProto], [ConfigFromProto],
// [ConflictFromProto], [StatusFromProto]), so neither rebuilds domain logic
// of its own: the order of a characteristic's values is
// [configurator.Characteristic.Domain], whichever side asks.
//
// # Caveats
//
// The wire form carries no source positions and no rules: [ModelFromProto]
// gives a model to look characteristics and domains up in, not one to
// compile. [PicksFromProto] does not check names and values; the server
// checks picks against its compiled model itself.
package convert
