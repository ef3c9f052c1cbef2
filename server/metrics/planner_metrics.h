// The capacity planner's metrics, under the names of the system HorizonScale
// grew from, plus what an alert on a pool needs:
//
//   capacity_planner_generation_duration_seconds{outcome}   histogram of GeneratePlan
//   capacity_planner_simulation_duration_seconds{kind}      histogram: Simulate calls
//                                                           (kind="simulate") and
//                                                           validations of plans
//                                                           (kind="plan_validation")
//   capacity_planner_cache_hit_ratio                        GetForecasts' forecast cache,
//                                                           hits / lookups since start
//   capacity_planner_forecast_accuracy{queue}               1 - the mean absolute
//                                                           percentage error of the queue's
//                                                           last 20 judged forecasts (below)
//   capacity_planner_plan_target_workers{queue}             the latest plan's target
//   capacity_planner_plan_confidence{queue}                 its confidence, in [0, 1]
//   capacity_planner_plan_slo_achievable{queue}             1, or 0 when it cannot meet
//                                                           the SLO
//   capacity_planner_queue_anomalous{queue}                 1 when the latest metrics
//                                                           looked anomalous
//   capacity_planner_queue_series_dropped_total             plans of queues not exported
//                                                           (past the cap)
//
// Forecast accuracy is judged on what happened: when a plan brings a queue's
// new arrival rate, it is compared with what the queue's previous plan
// forecast for that instant (the forecast point whose interval holds it;
// observations of zero jobs/s are skipped). It needs two plans of a queue
// at least one planning interval apart.
//
// Cardinality: the per-queue series exist for the first `max_queues`
// queues planned (in order of first plan); a queue beyond the cap is not
// exported (each of its plans counts in
// capacity_planner_queue_series_dropped_total) but is still counted in the
// unlabelled histograms. ResetQueue frees its queue's
// place. Histograms carry no queue label (17 series each per queue).
//
// Thread safety: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <absl/time/time.h>
#include <grpcpp/support/status.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include "horizonscale/v1/planner_service.pb.h"
#include "server/metrics/metrics_registry.h"

namespace horizonscale::server {

class PlannerMetrics {
 public:
  // Registers the families in `registry`, which must outlive this.
  PlannerMetrics(MetricsRegistry& registry, size_t max_queues);
  PlannerMetrics(const PlannerMetrics&) = delete;
  PlannerMetrics& operator=(const PlannerMetrics&) = delete;

  // A GeneratePlan call ended with `code` after `seconds`; `response` is its
  // plan when the code is OK (null otherwise). `received` is when the server
  // received it (the default observe time of its metrics).
  void PlanGenerated(const horizonscale::v1::GeneratePlanRequest& request,
                     const horizonscale::v1::GeneratePlanResponse* response, grpc::StatusCode code,
                     double seconds, absl::Time received);

  // A simulation ran for `seconds`: a Simulate call (`validation` false) or
  // a plan's validation by simulation.
  void SimulationRan(double seconds, bool validation);

  // The forecast cache's counts since start.
  void SetForecastCache(int64_t hits, int64_t misses);

  // `queue` was reset: its series are removed.
  void QueueReset(const std::string& queue);

 private:
  struct QueueSeries {
    prometheus::Gauge* accuracy = nullptr;  // set once a forecast was judged
    prometheus::Gauge* target_workers;
    prometheus::Gauge* confidence;
    prometheus::Gauge* slo_achievable;
    prometheus::Gauge* anomalous;
    // The previous plan's forecast of the near future: (start, rate) per
    // interval, and the interval length.
    std::vector<std::pair<absl::Time, double>> forecast;
    absl::Duration interval;
    std::deque<double> errors;  // absolute percentage errors, newest last
  };

  // The queue's series, made on first use; null past the cap. Requires mutex_.
  QueueSeries* SeriesFor(const std::string& queue);
  // Judges `observed` at `at` against the queue's previous forecast.
  void Judge(QueueSeries& series, const prometheus::Labels& labels, absl::Time at,
             double observed);  // requires mutex_

  const size_t max_queues_;
  prometheus::Family<prometheus::Histogram>& generation_;
  prometheus::Family<prometheus::Histogram>& simulation_;
  prometheus::Histogram& simulate_seconds_;
  prometheus::Histogram& validation_seconds_;
  prometheus::Gauge& cache_hit_ratio_;
  prometheus::Family<prometheus::Gauge>& accuracy_;
  prometheus::Family<prometheus::Gauge>& target_workers_;
  prometheus::Family<prometheus::Gauge>& confidence_;
  prometheus::Family<prometheus::Gauge>& slo_achievable_;
  prometheus::Family<prometheus::Gauge>& anomalous_;
  prometheus::Counter& dropped_;
  std::mutex mutex_;
  std::unordered_map<std::string, QueueSeries> queues_;                 // guarded by mutex_
  std::unordered_map<int, prometheus::Histogram*> generation_by_code_;  // guarded by mutex_
};

}  // namespace horizonscale::server
