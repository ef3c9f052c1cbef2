// The fleet's telemetry as plain C++ values: a host resource's daily
// observations and a host's descriptive data, as stored in fleet_series and
// fleet_hosts (db/migrations/0005_fleet_telemetry.sql).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace horizonscale::db {

// Resource numbers as stored: the numbers of the proto enum
// horizonscale.v1.Resource (1 CPU, 2 memory, 3 disk, 4 network).
inline constexpr int kMinResource = 1;
inline constexpr int kMaxResource = 4;

// All stored observations of one host resource.
struct FleetSeries {
  std::string host_id;
  int resource = 0;  // kMinResource..kMaxResource
  // Days since 1970-01-01 (UTC), strictly ascending; gaps are missing days.
  std::vector<int32_t> days;
  // utilization[i] is the utilization of days[i], in percent, as measured
  // (in [0, 200]: not clamped).
  std::vector<double> utilization;
};

// Descriptive data of a host; empty strings when not given.
struct FleetHost {
  std::string host_id;
  std::string department;
  std::string app_code;
  std::string scenario;
};

}  // namespace horizonscale::db
