// Metrics of the server process's parts (beyond RPCs and the planner):
//
//   horizonscale_health_serving{service}              1 SERVING, 0 otherwise, per health name
//   horizonscale_db_pool_connections{state}           in_use, idle; and the pool's capacity
//   horizonscale_db_pool_waiting                      callers waiting for a connection
//   horizonscale_plan_writer_batch_size               histogram: plans per group commit
//   horizonscale_plan_writer_commit_seconds           histogram: one group commit
//   horizonscale_keda_scaler_targets{basis}           ScaledObjects by what their answer
//                                                     rests on: plan, last_good_plan,
//                                                     hold_current (the fail-safe)
//
// Thread safety: every method may be called concurrently.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include "server/metrics/metrics_registry.h"

namespace horizonscale::server {

class ProcessMetrics {
 public:
  // Registers the families in `registry`, which must outlive this.
  explicit ProcessMetrics(MetricsRegistry& registry);
  ProcessMetrics(const ProcessMetrics&) = delete;
  ProcessMetrics& operator=(const ProcessMetrics&) = delete;

  // The health status of `service` ("" is the server as a whole).
  void SetHealth(const std::string& service, bool serving);

  // The database pool's connections (all zero while there is no pool).
  void SetDatabasePool(int capacity, int in_use, int idle, int waiting);

  // The plan writer committed `plans` plans in `seconds`.
  void PlanBatchCommitted(int plans, double seconds);

  // The KEDA scaler's targets by basis.
  void SetScalerTargets(int64_t plan, int64_t last_good_plan, int64_t hold_current);

 private:
  prometheus::Family<prometheus::Gauge>& health_;
  prometheus::Family<prometheus::Gauge>& pool_connections_;
  prometheus::Gauge& pool_in_use_;
  prometheus::Gauge& pool_idle_;
  prometheus::Gauge& pool_capacity_;
  prometheus::Gauge& pool_waiting_;
  prometheus::Histogram& batch_size_;
  prometheus::Histogram& commit_seconds_;
  prometheus::Family<prometheus::Gauge>& scaler_targets_;
  prometheus::Gauge& scaler_plan_;
  prometheus::Gauge& scaler_last_good_plan_;
  prometheus::Gauge& scaler_hold_current_;
  std::mutex mutex_;
  std::unordered_map<std::string, prometheus::Gauge*> health_by_service_;  // guarded by mutex_
};

}  // namespace horizonscale::server
