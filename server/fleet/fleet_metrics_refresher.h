// Reads the fleet's figures for /metrics from the database in the
// background (server/metrics/fleet_metrics.h): the running runs' progress,
// the latest succeeded run's per-model wins and median MAPE, its High-Trust
// risks per department and per series. Every `interval` (and once at
// Start()), on a thread of its own, so that a scrape never waits on the
// database; a failed read is logged and the previous figures stay.
//
// Thread safety: Start and Stop from one thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include "db/connection_pool.h"
#include "server/metrics/fleet_metrics.h"

namespace horizonscale::server {

class FleetMetricsRefresher {
 public:
  // The database pool once it is usable; null while it is not.
  using PoolProvider = std::function<std::shared_ptr<db::ConnectionPool>()>;

  // Reads through `pool` into `metrics` (which must outlive this) every
  // `interval`; at most `max_series` series at risk are exported (the
  // earliest breaches).
  FleetMetricsRefresher(PoolProvider pool, FleetMetrics& metrics, absl::Duration interval,
                        int max_series);
  FleetMetricsRefresher(const FleetMetricsRefresher&) = delete;
  FleetMetricsRefresher& operator=(const FleetMetricsRefresher&) = delete;
  // Stop()s.
  ~FleetMetricsRefresher();

  void Start();
  // Ends the thread (a read in progress finishes first). Idempotent.
  void Stop();

 private:
  void Run();

  const PoolProvider pool_;
  FleetMetrics& metrics_;
  const absl::Duration interval_;
  const int max_series_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

// The fleet's figures at `now` from the database (FleetMetricsRefresher's
// read). Errors: the database's.
absl::StatusOr<FleetSnapshot> ReadFleetSnapshot(pqxx::connection& connection, absl::Time now,
                                                int max_series);

}  // namespace horizonscale::server
