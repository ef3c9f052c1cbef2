// The planner's metrics as /metrics renders them: per-queue series from the
// latest plan, forecast accuracy judged against the rates later observed,
// the queue cap, and a reset queue's series removed.
#include "server/metrics/planner_metrics.h"

#include <gtest/gtest.h>

#include "server/common/proto_time.h"

namespace horizonscale::server {
namespace {

namespace v1 = horizonscale::v1;

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

v1::GeneratePlanRequest Request(const std::string& queue, double rate, absl::Time observed) {
  v1::GeneratePlanRequest request;
  request.set_queue(queue);
  request.mutable_current_metrics()->set_arrival_rate_per_second(rate);
  *request.mutable_current_metrics()->mutable_observe_time() = ToProtoTimestamp(observed);
  return request;
}

// A plan of `workers` whose forecast is `rates`, one per 5 minutes from `from`.
v1::GeneratePlanResponse Plan(int workers, absl::Time from, std::vector<double> rates) {
  v1::GeneratePlanResponse response;
  response.mutable_plan()->set_target_workers(workers);
  response.mutable_plan()->set_confidence(0.75);
  response.mutable_plan()->set_slo_achievable(true);
  for (size_t i = 0; i < rates.size(); ++i) {
    v1::ForecastPoint* point = response.add_arrival_forecast();
    *point->mutable_time() = ToProtoTimestamp(from + absl::Minutes(5 * static_cast<int>(i)));
    point->set_value(rates[i]);
  }
  return response;
}

// The value of the series whose line starts with `series` (and a space).
std::optional<double> Value(const std::string& text, const std::string& series) {
  const size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return std::nullopt;
  return std::stod(text.substr(at + series.size() + 2));
}

TEST(PlannerMetrics, LatestPlanPerQueueAndAccuracyAgainstWhatHappened) {
  MetricsRegistry registry;
  PlannerMetrics metrics(registry, 10);
  v1::GeneratePlanResponse first = Plan(12, kStart, {100, 120, 140});
  metrics.PlanGenerated(Request("checkout", 100, kStart), &first, grpc::StatusCode::OK, 0.002,
                        kStart);
  std::string text = registry.Render();
  EXPECT_EQ(Value(text, R"(capacity_planner_plan_target_workers{queue="checkout"})"), 12);
  EXPECT_EQ(Value(text, R"(capacity_planner_plan_confidence{queue="checkout"})"), 0.75);
  EXPECT_EQ(Value(text, R"(capacity_planner_plan_slo_achievable{queue="checkout"})"), 1);
  EXPECT_EQ(Value(text, R"(capacity_planner_queue_anomalous{queue="checkout"})"), 0);
  // Nothing judged yet: no accuracy series.
  EXPECT_EQ(text.find("capacity_planner_forecast_accuracy{"), std::string::npos);

  // 7 minutes later 96 jobs/s arrive where 120 were forecast (the interval
  // from 5 to 10 minutes): 25 % error.
  v1::GeneratePlanResponse second = Plan(11, kStart + absl::Minutes(7), {96, 96});
  metrics.PlanGenerated(Request("checkout", 96, kStart + absl::Minutes(7)), &second,
                        grpc::StatusCode::OK, 0.001, kStart + absl::Minutes(7));
  text = registry.Render();
  EXPECT_DOUBLE_EQ(*Value(text, R"(capacity_planner_forecast_accuracy{queue="checkout"})"), 0.75);
  EXPECT_EQ(Value(text, R"(capacity_planner_plan_target_workers{queue="checkout"})"), 11);
  // Then exactly as forecast: the mean error halves.
  v1::GeneratePlanResponse third = Plan(11, kStart + absl::Minutes(9), {96});
  metrics.PlanGenerated(Request("checkout", 96, kStart + absl::Minutes(9)), &third,
                        grpc::StatusCode::OK, 0.001, kStart + absl::Minutes(9));
  EXPECT_DOUBLE_EQ(
      *Value(registry.Render(), R"(capacity_planner_forecast_accuracy{queue="checkout"})"), 0.875);
  // An observation outside the forecast's intervals is not judged.
  v1::GeneratePlanResponse later = Plan(11, kStart + absl::Hours(3), {96, 96});
  metrics.PlanGenerated(Request("checkout", 1000, kStart + absl::Hours(3)), &later,
                        grpc::StatusCode::OK, 0.001, kStart + absl::Hours(3));
  EXPECT_DOUBLE_EQ(
      *Value(registry.Render(), R"(capacity_planner_forecast_accuracy{queue="checkout"})"), 0.875);

  // Failed calls count in the histogram by code, and touch no queue.
  metrics.PlanGenerated(Request("checkout", -1, kStart), nullptr,
                        grpc::StatusCode::INVALID_ARGUMENT, 0.0001, kStart);
  text = registry.Render();
  EXPECT_EQ(Value(text, R"(capacity_planner_generation_duration_seconds_count{outcome="OK"})"), 4);
  EXPECT_EQ(
      Value(text,
            R"(capacity_planner_generation_duration_seconds_count{outcome="InvalidArgument"})"),
      1);
}

TEST(PlannerMetrics, QueuesPastTheCapAreCountedNotExported) {
  MetricsRegistry registry;
  PlannerMetrics metrics(registry, 2);
  for (const char* queue : {"a", "b", "c", "c", "d"}) {
    v1::GeneratePlanResponse plan = Plan(3, kStart, {});
    metrics.PlanGenerated(Request(queue, 1, kStart), &plan, grpc::StatusCode::OK, 0.001, kStart);
  }
  std::string text = registry.Render();
  EXPECT_TRUE(Value(text, R"(capacity_planner_plan_target_workers{queue="a"})").has_value());
  EXPECT_TRUE(Value(text, R"(capacity_planner_plan_target_workers{queue="b"})").has_value());
  EXPECT_FALSE(Value(text, R"(capacity_planner_plan_target_workers{queue="c"})").has_value());
  EXPECT_EQ(Value(text, "capacity_planner_queue_series_dropped_total"), 3);
  // A reset frees the queue's place.
  metrics.QueueReset("a");
  v1::GeneratePlanResponse plan = Plan(4, kStart, {});
  metrics.PlanGenerated(Request("c", 1, kStart), &plan, grpc::StatusCode::OK, 0.001, kStart);
  text = registry.Render();
  EXPECT_FALSE(Value(text, R"(capacity_planner_plan_target_workers{queue="a"})").has_value());
  EXPECT_EQ(Value(text, R"(capacity_planner_plan_target_workers{queue="c"})"), 4);
}

TEST(PlannerMetrics, CacheHitRatioAndSimulations) {
  MetricsRegistry registry;
  PlannerMetrics metrics(registry, 2);
  metrics.SetForecastCache(3, 1);
  metrics.SimulationRan(0.2, /*validation=*/false);
  metrics.SimulationRan(1.5, /*validation=*/true);
  const std::string text = registry.Render();
  EXPECT_EQ(Value(text, "capacity_planner_cache_hit_ratio"), 0.75);
  EXPECT_EQ(Value(text, R"(capacity_planner_simulation_duration_seconds_count{kind="simulate"})"),
            1);
  EXPECT_EQ(
      Value(text, R"(capacity_planner_simulation_duration_seconds_sum{kind="plan_validation"})"),
      1.5);
}

}  // namespace
}  // namespace horizonscale::server
