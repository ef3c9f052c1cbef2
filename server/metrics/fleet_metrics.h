// The fleet tournament's metrics, for dashboards and the alerting rules in
// deploy/prometheus/ (High-Trust breaches, planned actions due):
//
//   horizonscale_fleet_run_series{run_id,state}          running runs: series "done"
//                                                         and "total"
//   horizonscale_fleet_run_duration_seconds{run_id}      running runs so far, and the
//                                                         latest succeeded run (creation
//                                                         to finish)
//   horizonscale_fleet_model_wins{model}                 the latest succeeded run:
//                                                         series each model was champion of
//   horizonscale_fleet_model_median_mape_percent{model}  ... and its median backtest MAPE
//   horizonscale_fleet_department_at_risk{department,unit}  High-Trust risks per
//                                                         department: unit "series" or "hosts"
//   horizonscale_fleet_series_days_to_breach{host,resource,department}
//   horizonscale_fleet_series_days_to_planned_action{host,resource,department}
//                                                         per series at risk (earliest
//                                                         breaches first, at most
//                                                         max_series of them); negative
//                                                         when the date has passed
//   horizonscale_fleet_metrics_refresh_timestamp_seconds when they were last read
//
// The figures are read from the database in the background
// (server/fleet/fleet_metrics_refresher.h) and replaced as a whole: a run
// that ended or a series no longer at risk loses its series.
//
// Thread safety: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <absl/time/time.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>

#include "server/metrics/metrics_registry.h"

namespace horizonscale::server {

// What the database says about the fleet, at one moment.
struct FleetSnapshot {
  struct RunningRun {
    std::string run_id;
    int64_t series_done = 0;
    int64_t series_total = 0;
    double elapsed_seconds = 0;
  };
  struct ModelScore {
    std::string model;
    int64_t wins = 0;
    double median_mape_percent = 0;
  };
  struct DepartmentRisk {
    std::string department;
    int64_t series_at_risk = 0;
    int64_t hosts_at_risk = 0;
  };
  struct SeriesRisk {
    std::string host;
    std::string resource;  // "cpu", "memory", ...
    std::string department;
    double days_to_breach = 0;
    double days_to_planned_action = 0;
  };
  std::vector<RunningRun> running;
  std::string latest_run_id;  // empty: no succeeded run
  double latest_run_seconds = 0;
  std::vector<ModelScore> models;
  std::vector<DepartmentRisk> departments;
  std::vector<SeriesRisk> series;
};

class FleetMetrics {
 public:
  // Registers the families in `registry`, which must outlive this.
  explicit FleetMetrics(MetricsRegistry& registry);
  FleetMetrics(const FleetMetrics&) = delete;
  FleetMetrics& operator=(const FleetMetrics&) = delete;

  // Replaces every fleet series with `snapshot`'s, read at `read_at`.
  void Set(const FleetSnapshot& snapshot, absl::Time read_at);

 private:
  // The gauges of one family that the last snapshot set, by their labels.
  struct Gauges {
    prometheus::Family<prometheus::Gauge>* family;
    std::map<prometheus::Labels, prometheus::Gauge*> set;
  };
  // Sets `labels` to `value` in `gauges`, remembering it in `seen`.
  static void Put(Gauges& gauges, const prometheus::Labels& labels, double value,
                  std::map<prometheus::Labels, prometheus::Gauge*>& seen);
  // Removes from `gauges` what `seen` does not hold, then keeps `seen`.
  static void Keep(Gauges& gauges, std::map<prometheus::Labels, prometheus::Gauge*>& seen);

  std::mutex mutex_;
  Gauges run_series_;          // guarded by mutex_
  Gauges run_duration_;        // guarded by mutex_
  Gauges model_wins_;          // guarded by mutex_
  Gauges model_mape_;          // guarded by mutex_
  Gauges department_at_risk_;  // guarded by mutex_
  Gauges days_to_breach_;      // guarded by mutex_
  Gauges days_to_action_;      // guarded by mutex_
  prometheus::Gauge& refreshed_;
};

}  // namespace horizonscale::server
