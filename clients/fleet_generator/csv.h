// CSV rendering of generated hosts: the samples file, the hosts file and the
// ground-truth breaches file. Fields are quoted (RFC 4180) only when they
// hold a comma, a quote or a line break.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "clients/fleet_generator/fleet_generator.h"

namespace horizonscale::fleetgen {

inline constexpr std::string_view kSamplesCsvHeader =
    "host_id,resource,date,p95_utilization_percent\n";
inline constexpr std::string_view kHostsCsvHeader = "host_id,department,app_code,scenario\n";
inline constexpr std::string_view kBreachesCsvHeader = "host_id,resource,true_breach_date\n";

// "YYYY-MM-DD" of `day` (days since 1970-01-01; years 1000 to 9999).
std::string FormatDate(int64_t day);

// Appends `value` (finite) with exactly three decimals, e.g. "12.345". The
// generator's values have that resolution, so parsing the text gives back
// the same double.
void AppendPercent(double value, std::string& out);

// Appends the sample rows of `host`: series in Resource order, days
// ascending, missing days left out, a duplicated day's row twice in a row.
void AppendSampleRows(const GeneratedHost& host, std::string& out);

// Appends the hosts-file row of `spec`.
void AppendHostRow(const HostSpec& spec, std::string& out);

// Appends one breaches-file row per series of `host` with a true breach day.
void AppendBreachRows(const GeneratedHost& host, std::string& out);

}  // namespace horizonscale::fleetgen
