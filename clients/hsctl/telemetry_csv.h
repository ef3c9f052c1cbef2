// The fleet generator's CSV files as IngestTelemetry messages: samples
// (host_id,resource,date,p95_utilization_percent) and hosts
// (host_id,department,app_code,scenario), one record a line, fields quoted
// as RFC 4180 says when they hold a comma or a quote.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "horizonscale/v1/fleet_service.pb.h"

namespace horizonscale::hsctl {

inline constexpr std::string_view kSamplesHeader = "host_id,resource,date,p95_utilization_percent";
inline constexpr std::string_view kHostsHeader = "host_id,department,app_code,scenario";

// The fields of one CSV line (without its line break; a trailing '\r' is
// dropped). A field is bare, or quoted with '"' and '""' standing for a
// quote. Returns false, with `error` saying what is wrong, for a quote
// inside a bare field, an unterminated quoted field, or text after a
// closing quote.
bool SplitCsvLine(std::string_view line, std::vector<std::string>& fields, std::string& error);

// The resource named `name` ("cpu", "memory", "disk", "network"), or
// nothing for any other name.
std::optional<horizonscale::v1::Resource> ResourceFromName(std::string_view name);

// Fills `sample` from the fields of a samples row. Returns false, with
// `error` set, when the row does not have 4 fields, the resource is not
// one of ResourceFromName's names, or the utilization is not a number.
// Values the server checks (the host id, the date, the range of the
// utilization) are passed on as they are, for the server to reject.
bool ParseSampleRow(const std::vector<std::string>& fields,
                    horizonscale::v1::UtilizationSample& sample, std::string& error);

// Fills `host` from the fields of a hosts row. Returns false, with `error`
// set, when the row does not have 4 fields.
bool ParseHostRow(const std::vector<std::string>& fields, horizonscale::v1::HostMetadata& host,
                  std::string& error);

}  // namespace horizonscale::hsctl
