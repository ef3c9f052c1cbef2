#include "server/metrics/process_metrics.h"

namespace horizonscale::server {

ProcessMetrics::ProcessMetrics(MetricsRegistry& registry)
    : health_(prometheus::BuildGauge()
                  .Name("horizonscale_health_serving")
                  .Help("1 when the health service reports the name SERVING, 0 otherwise (\"\" "
                        "is the server as a whole).")
                  .Register(registry.registry())),
      pool_connections_(prometheus::BuildGauge()
                            .Name("horizonscale_db_pool_connections")
                            .Help("PostgreSQL connections of the pool: in_use, idle, and the "
                                  "capacity (--db_pool_size).")
                            .Register(registry.registry())),
      pool_in_use_(pool_connections_.Add({{"state", "in_use"}})),
      pool_idle_(pool_connections_.Add({{"state", "idle"}})),
      pool_capacity_(pool_connections_.Add({{"state", "capacity"}})),
      pool_waiting_(prometheus::BuildGauge()
                        .Name("horizonscale_db_pool_waiting")
                        .Help("Callers waiting for a PostgreSQL connection of the pool.")
                        .Register(registry.registry())
                        .Add({})),
      batch_size_(
          prometheus::BuildHistogram()
              .Name("horizonscale_plan_writer_batch_size")
              .Help("Plans per group commit of the plan writer.")
              .Register(registry.registry())
              .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256})),
      commit_seconds_(
          prometheus::BuildHistogram()
              .Name("horizonscale_plan_writer_commit_seconds")
              .Help("Time of one group commit of the plan writer.")
              .Register(registry.registry())
              .Add({},
                   prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                           0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5})),
      scaler_targets_(prometheus::BuildGauge()
                          .Name("horizonscale_keda_scaler_targets")
                          .Help("KEDA ScaledObjects known to the scaler, by what their answer "
                                "rests on: a plan from fresh metrics (plan), the last good plan "
                                "(last_good_plan) or the pool's last known size (hold_current).")
                          .Register(registry.registry())),
      scaler_plan_(scaler_targets_.Add({{"basis", "plan"}})),
      scaler_last_good_plan_(scaler_targets_.Add({{"basis", "last_good_plan"}})),
      scaler_hold_current_(scaler_targets_.Add({{"basis", "hold_current"}})) {}

void ProcessMetrics::SetHealth(const std::string& service, bool serving) {
  std::lock_guard lock(mutex_);
  prometheus::Gauge*& gauge = health_by_service_[service];
  if (gauge == nullptr) gauge = &health_.Add({{"service", service}});
  gauge->Set(serving ? 1 : 0);
}

void ProcessMetrics::SetDatabasePool(int capacity, int in_use, int idle, int waiting) {
  pool_capacity_.Set(capacity);
  pool_in_use_.Set(in_use);
  pool_idle_.Set(idle);
  pool_waiting_.Set(waiting);
}

void ProcessMetrics::PlanBatchCommitted(int plans, double seconds) {
  batch_size_.Observe(plans);
  commit_seconds_.Observe(seconds);
}

void ProcessMetrics::SetScalerTargets(int64_t plan, int64_t last_good_plan, int64_t hold_current) {
  scaler_plan_.Set(static_cast<double>(plan));
  scaler_last_good_plan_.Set(static_cast<double>(last_good_plan));
  scaler_hold_current_.Set(static_cast<double>(hold_current));
}

}  // namespace horizonscale::server
