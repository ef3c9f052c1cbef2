// A protobuf message in the canonical proto3 JSON mapping, printed by
// reflection. Protobuf 3.21's MessageToJsonString walks the message's
// serialized bytes through a type resolver and formats every double with
// snprintf: about 93 us for a 6 KB GeneratePlanResponse, as long as the call
// itself. This printer writes the same bytes in about 27 us (bench/http;
// tests/server/http/json_printer_test.cc compares the two on every message
// type of both services).
#pragma once

#include <string>

#include <google/protobuf/message.h>

namespace horizonscale::server {

// Appends `message` to `out` as MessageToJsonString prints it with its
// default options: no whitespace, lowerCamelCase (json_name) field names,
// fields at their default omitted unless they have explicit presence, enums
// by name (by number when the value has none), 64-bit integers and bytes
// (base64) as strings, map entries in the order of their keys (protobuf's
// order is its hash table's: the only bytes that may differ), non-finite doubles as "NaN" /
// "Infinity" /
// "-Infinity", Timestamp as RFC 3339, Duration as "1.5s" and FieldMask as
// "a,b.cD". Returns false
// when the message holds what this printer leaves to protobuf's converter
// (google.protobuf.Any, Struct, Value, ListValue, the wrappers, FieldMask
// paths not in snake_case) or
// a value with no JSON form (a Timestamp or Duration out of its range); `out`
// then holds a partial answer the caller discards.
bool AppendCanonicalJson(const google::protobuf::Message& message, std::string& out);

}  // namespace horizonscale::server
