#include "server/metrics/planner_metrics.h"

#include <algorithm>
#include <cmath>

#include "server/common/proto_time.h"
#include "server/metrics/rpc_metrics.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

// Forecast points kept per queue to judge the next observation by (two
// hours of 5-minute intervals).
constexpr size_t kForecastPointsKept = 24;
// Judged forecasts the accuracy is the mean of.
constexpr size_t kErrorsKept = 20;

const prometheus::Histogram::BucketBoundaries& GenerationBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  return buckets;
}

const prometheus::Histogram::BucketBoundaries& SimulationBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
  return buckets;
}

bool Anomalous(const v1::GeneratePlanResponse& response) { return response.anomaly().detected(); }

}  // namespace

PlannerMetrics::PlannerMetrics(MetricsRegistry& registry, size_t max_queues)
    : max_queues_(max_queues),
      generation_(prometheus::BuildHistogram()
                      .Name("capacity_planner_generation_duration_seconds")
                      .Help("Time to answer GeneratePlan (validation, forecast, sizing, "
                            "commit), by outcome (a gRPC code name).")
                      .Register(registry.registry())),
      simulation_(prometheus::BuildHistogram()
                      .Name("capacity_planner_simulation_duration_seconds")
                      .Help("Time of simulations: Simulate calls (kind=\"simulate\") and "
                            "GeneratePlan's validations (kind=\"plan_validation\").")
                      .Register(registry.registry())),
      simulate_seconds_(simulation_.Add({{"kind", "simulate"}}, SimulationBuckets())),
      validation_seconds_(simulation_.Add({{"kind", "plan_validation"}}, SimulationBuckets())),
      cache_hit_ratio_(prometheus::BuildGauge()
                           .Name("capacity_planner_cache_hit_ratio")
                           .Help("Share of GetForecasts lookups answered by the forecast cache "
                                 "since start.")
                           .Register(registry.registry())
                           .Add({})),
      accuracy_(prometheus::BuildGauge()
                    .Name("capacity_planner_forecast_accuracy")
                    .Help("1 - mean absolute percentage error of the queue's last 20 arrival-rate "
                          "forecasts judged against the rates later observed.")
                    .Register(registry.registry())),
      target_workers_(prometheus::BuildGauge()
                          .Name("capacity_planner_plan_target_workers")
                          .Help("Workers the queue's latest plan ends with.")
                          .Register(registry.registry())),
      confidence_(prometheus::BuildGauge()
                      .Name("capacity_planner_plan_confidence")
                      .Help("Confidence of the queue's latest plan, in [0, 1].")
                      .Register(registry.registry())),
      slo_achievable_(prometheus::BuildGauge()
                          .Name("capacity_planner_plan_slo_achievable")
                          .Help("1 when the queue's latest plan meets its SLO within max_workers, "
                                "0 when it cannot.")
                          .Register(registry.registry())),
      anomalous_(prometheus::BuildGauge()
                     .Name("capacity_planner_queue_anomalous")
                     .Help("1 when the queue's latest metrics looked anomalous against its "
                           "forecast.")
                     .Register(registry.registry())),
      dropped_(prometheus::BuildCounter()
                   .Name("capacity_planner_queue_series_dropped_total")
                   .Help("Plans of queues beyond --metrics_max_queues, whose per-queue series "
                         "are not exported.")
                   .Register(registry.registry())
                   .Add({})) {}

PlannerMetrics::QueueSeries* PlannerMetrics::SeriesFor(const std::string& queue) {
  if (auto found = queues_.find(queue); found != queues_.end()) return &found->second;
  if (queues_.size() >= max_queues_) return nullptr;
  const prometheus::Labels labels = {{"queue", queue}};
  QueueSeries& series = queues_[queue];
  series.target_workers = &target_workers_.Add(labels);
  series.confidence = &confidence_.Add(labels);
  series.slo_achievable = &slo_achievable_.Add(labels);
  series.anomalous = &anomalous_.Add(labels);
  return &series;
}

void PlannerMetrics::Judge(QueueSeries& series, const prometheus::Labels& labels, absl::Time at,
                           double observed) {
  if (series.forecast.empty() || !(observed > 0) || !std::isfinite(observed)) return;
  // The last point starting at or before `at`, if `at` is within its interval.
  auto after = std::upper_bound(
      series.forecast.begin(), series.forecast.end(), at,
      [](absl::Time t, const std::pair<absl::Time, double>& point) { return t < point.first; });
  if (after == series.forecast.begin()) return;
  const auto& [start, forecast] = *std::prev(after);
  if (at - start >= series.interval) return;
  series.errors.push_back(std::abs(observed - forecast) / observed);
  if (series.errors.size() > kErrorsKept) series.errors.pop_front();
  double sum = 0;
  for (double error : series.errors) sum += error;
  if (series.accuracy == nullptr) series.accuracy = &accuracy_.Add(labels);
  series.accuracy->Set(std::clamp(1.0 - sum / static_cast<double>(series.errors.size()), 0.0, 1.0));
}

void PlannerMetrics::PlanGenerated(const v1::GeneratePlanRequest& request,
                                   const v1::GeneratePlanResponse* response, grpc::StatusCode code,
                                   double seconds, absl::Time received) {
  std::lock_guard lock(mutex_);
  prometheus::Histogram*& histogram = generation_by_code_[static_cast<int>(code)];
  if (histogram == nullptr) {
    histogram = &generation_.Add({{"outcome", std::string(GoCodeName(code))}}, GenerationBuckets());
  }
  histogram->Observe(seconds);
  if (response == nullptr) return;

  QueueSeries* series = SeriesFor(request.queue());
  if (series == nullptr) {
    dropped_.Increment();
    return;
  }
  const v1::CapacityPlan& plan = response->plan();
  series->target_workers->Set(plan.target_workers());
  series->confidence->Set(plan.confidence());
  series->slo_achievable->Set(plan.slo_achievable() ? 1 : 0);
  series->anomalous->Set(Anomalous(*response) ? 1 : 0);

  const absl::Time observed_at = request.current_metrics().has_observe_time()
                                     ? ToAbslTime(request.current_metrics().observe_time())
                                     : received;
  Judge(*series, {{"queue", request.queue()}}, observed_at,
        request.current_metrics().arrival_rate_per_second());

  const auto& points = response->arrival_forecast();
  if (points.size() >= 2) {
    series->forecast.clear();
    for (int i = 0; i < points.size() && series->forecast.size() < kForecastPointsKept; ++i) {
      series->forecast.emplace_back(ToAbslTime(points[i].time()), points[i].value());
    }
    series->interval = ToAbslTime(points[1].time()) - ToAbslTime(points[0].time());
  }
}

void PlannerMetrics::SimulationRan(double seconds, bool validation) {
  (validation ? validation_seconds_ : simulate_seconds_).Observe(seconds);
}

void PlannerMetrics::SetForecastCache(int64_t hits, int64_t misses) {
  const int64_t lookups = hits + misses;
  cache_hit_ratio_.Set(lookups == 0 ? 0.0 : static_cast<double>(hits) / lookups);
}

void PlannerMetrics::QueueReset(const std::string& queue) {
  std::lock_guard lock(mutex_);
  auto found = queues_.find(queue);
  if (found == queues_.end()) return;
  QueueSeries& series = found->second;
  if (series.accuracy != nullptr) accuracy_.Remove(series.accuracy);
  target_workers_.Remove(series.target_workers);
  confidence_.Remove(series.confidence);
  slo_achievable_.Remove(series.slo_achievable);
  anomalous_.Remove(series.anomalous);
  queues_.erase(found);
}

}  // namespace horizonscale::server
