// Package convert is the one conversion between the domain types and their
// wire form, shared by the server and the CLI: the configurator's
// (package configuratorv1), the BOM service's records (package bomv1) and
// the MRP's planned orders, exceptions and capacity, scheduling, rush and
// progress answers (package mrpv1), and amounts and their wire form (rpcv1.Money: [Money],
// [MoneyCents], [ParseAmount]).
//
// # Basics
//
// The server answers with the ToProto functions ([CharToProto],
// [DomainsToProto], [ConfigToProto], [ConflictToProto],
// [ExplanationToProto], [LoadBucketToProto], [FiniteOrderToProto],
// [DeliveryToProto], [RushAnswerToProto], [OrderStatusToProto],
// [OrderToProto], [ExceptionToProto], and for the BOM service
// [VariantToProto] and [LineToProto], which the CLI's offline bom commands
// print as they are); the CLI
// reads the answers back with the FromProto ones ([ModelFromProto],
// [DomainsFromProto], [ConfigFromProto], [ConflictFromProto],
// [StatusFromProto], [ExplanationFromProto], [LoadBucketFromProto],
// [FiniteOrderFromProto], [DeliveryFromProto], [RushAnswerFromProto],
// [OrderStatusFromProto]) and prints the library's types, so neither
// rebuilds domain logic of its own: the order of a characteristic's values
// is [configurator.Characteristic.Domain], whichever side asks. [PickText]
// and [Date] are the text of a pick and of a day on both sides.
//
// # Caveats
//
// The wire form carries no source positions and no rules: [ModelFromProto]
// gives a model to look characteristics and domains up in, not one to
// compile. [PicksFromProto] does not check names and values; the server
// checks picks against its compiled model itself. The MRP answers come
// back without what the wire does not carry (a finite order's operations
// and day numbers, a rush answer's changes: it is accepted on the server
// with AcceptRush); a day the CLI cannot read is an error naming the field.
package convert
