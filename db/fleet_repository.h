// Reading the fleet's telemetry for the forecasting tournament: the stored
// series (decoded from their bytea columns) and the hosts' metadata. Writing
// is the ingest's (db/fleet_ingest_writer.h).
//
// Thread safety: the functions keep no state; calls on different connections
// may run concurrently. Database failures come back as UNAVAILABLE
// (connection lost) or INTERNAL (SQL error), with the reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <absl/status/statusor.h>
#include <pqxx/pqxx>

#include "db/fleet_series.h"

namespace horizonscale::db {

// Which series LoadFleetSeries returns.
struct FleetSeriesFilter {
  // Only these hosts; empty: every host.
  std::vector<std::string> host_ids;
  // Only this resource (kMinResource..kMaxResource); 0: every resource.
  int resource = 0;
  // Keyset paging: only series ordered after (after_host_id, after_resource)
  // — pass the last series of the previous page. Unset: from the start.
  std::optional<std::string> after_host_id;
  int after_resource = 0;
  // At most this many series; 0: no limit. A three-year series is about
  // 13 KB decoded (26 KB while in transit as hex), so the whole 8,000-series
  // fleet in one call holds ~300 MB at its peak: page through big fleets.
  int limit = 0;
};

// The series matching `filter`, ordered by host_id (database collation) then
// resource, each with its days strictly ascending and one value per day.
// DATA_LOSS names the series when a stored one is corrupt.
absl::StatusOr<std::vector<FleetSeries>> LoadFleetSeries(pqxx::connection& connection,
                                                         const FleetSeriesFilter& filter);

// The metadata of `host_ids` (empty: of every host), ordered by host_id.
// Hosts without metadata are absent.
absl::StatusOr<std::vector<FleetHost>> LoadFleetHosts(pqxx::connection& connection,
                                                      const std::vector<std::string>& host_ids);

}  // namespace horizonscale::db
