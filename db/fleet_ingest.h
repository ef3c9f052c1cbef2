// What one telemetry ingest stream brought, accumulated in memory until the
// stream ends and is written in one transaction (db/fleet_ingest_writer.h).
//
// Memory is about 13.5 bytes per observation (a day number and a double, in
// per-series buffers that grow by a quarter at a time: 118 MB for the 8.76 M
// samples of the default fleet) plus under 1 KB per host; the caller bounds
// it by bounding what it adds.
//
// Thread safety: none; one stream, one thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/node_hash_map.h>

#include "db/fleet_series.h"
#include "db/observation_merge.h"

namespace horizonscale::db {

class FleetIngest {
 public:
  FleetIngest() = default;
  FleetIngest(const FleetIngest&) = delete;
  FleetIngest& operator=(const FleetIngest&) = delete;

  // Appends a validated observation of `host_id`'s `resource` (kMinResource
  // to kMaxResource; others are a caller bug and are ignored). Observations
  // of the same day are all kept here, in arrival order; the last one wins
  // when the series is merged.
  void AddObservation(const std::string& host_id, int resource, int32_t day, double value);

  // Adds `host`'s metadata; a later entry for the same host_id replaces an
  // earlier one.
  void AddHost(FleetHost host);

  // Observations added so far (all of them, including repeated days).
  int64_t observations() const { return observations_; }

  // Distinct hosts given metadata.
  size_t hosts() const { return hosts_.size(); }

  // Distinct hosts with observations.
  size_t sample_hosts() const { return series_.size(); }

  // Bytes held by the observation buffers (for logs and limits).
  size_t buffer_bytes() const;

  // One series with observations, for the writer.
  struct Series {
    const std::string* host_id;
    int resource;
    ObservationLog* log;
  };

  // The series with observations, ordered by host_id then resource. The
  // pointers stay valid while this object lives and nothing is added.
  std::vector<Series> SortedSeries();

  // The hosts' metadata, ordered by host_id.
  std::vector<const FleetHost*> SortedHosts() const;

 private:
  using HostLogs = std::array<ObservationLog, kMaxResource>;  // [resource - 1]

  absl::node_hash_map<std::string, HostLogs> series_;  // pointer-stable values
  const std::string* last_host_ = nullptr;             // one-entry lookup cache
  HostLogs* last_logs_ = nullptr;
  absl::flat_hash_map<std::string, FleetHost> hosts_;
  int64_t observations_ = 0;
};

}  // namespace horizonscale::db
