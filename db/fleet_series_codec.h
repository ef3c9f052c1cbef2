// The bytea encoding of a series in fleet_series: `days` holds int32
// little-endian day numbers, `utilization` float64 little-endian values, one
// per day. Little-endian whatever the host's byte order, so that the stored
// bytes mean the same to every reader.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/status.h>

namespace horizonscale::db {

// The bytes of `days`: 4 per day, little-endian two's complement.
std::string EncodeDays(std::span<const int32_t> days);

// The bytes of `values`: 8 per value, little-endian IEEE 754 binary64
// (bit-exact: decoding gives back the same doubles).
std::string EncodeUtilization(std::span<const double> values);

// Decodes a stored pair into `days` and `values` (replacing their contents).
// Returns DATA_LOSS, naming what is wrong, when the lengths are not whole
// entries, the two counts differ, or the days are not strictly ascending;
// the outputs are unspecified then.
absl::Status DecodeSeries(std::string_view days_bytes, std::string_view utilization_bytes,
                          std::vector<int32_t>& days, std::vector<double>& values);

}  // namespace horizonscale::db
