// GeneratePlan with the whole SLO: backlog and drain time (against a
// closed-form fluid calculation and against the simulator), error budget
// (against the textbook M/M/c response law), availability (against a
// binomial tail computed here), violation cost, saturation, warnings and the
// at-a-glance summary.
#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/status_reason.h"
#include "planner/planner.h"
#include "simulator/simulator.h"

namespace horizonscale::planner {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

// One sample a minute over `minutes` before now, at `rate` jobs/s taking
// `service` s each.
std::vector<QueueSample> FlatHistory(int minutes, double rate, double service) {
  std::vector<QueueSample> samples;
  for (int m = minutes; m >= 1; --m) {
    QueueSample sample;
    sample.time = kNow - absl::Minutes(m);
    sample.arrival_rate = rate;
    sample.mean_service_time = service;
    samples.push_back(sample);
  }
  return samples;
}

PlanRequest Request(double rate, double service, int workers, int minutes_of_history = 120) {
  PlanRequest request;
  request.current.time = kNow;
  request.current.arrival_rate = rate;
  request.current.mean_service_time = service;
  request.current.workers = workers;
  request.history = FlatHistory(minutes_of_history, rate, service);
  return request;
}

PlanResult MustPlan(const PlanRequest& request) {
  absl::StatusOr<PlanResult> result = GeneratePlan(request);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : PlanResult{};
}

bool HasWarning(const Plan& plan, std::string_view reason) {
  return std::any_of(plan.warnings.begin(), plan.warnings.end(),
                     [&](const PlanWarning& warning) { return warning.reason == reason; });
}

// The case: 14 workers, 10 jobs/s at 1 s, 100,000 jobs waiting,
// max_backlog 500 to be reached within 300 s.
PlanRequest BacklogRequest() {
  PlanRequest request = Request(10, 1.0, 14);
  request.current.backlog = 100'000;
  request.slo.max_backlog = 500;
  request.slo.drain_time = absl::Seconds(300);
  return request;
}

TEST(SloSizingTest, BacklogIsDrainedByTheDeadlineAsTheFluidModelSays) {
  PlanRequest request = BacklogRequest();
  request.config.max_workers = 1000;
  request.config.max_step_size = 1000;
  const PlanResult result = MustPlan(request);

  // Fluid by hand: the 14 workers alone for the 60-s lead time leave
  // 100,000 + (10 − 14)·60 = 99,760 jobs; draining 99,260 of them in the
  // remaining 240 s needs 413.58 jobs/s on top of the demand (forecast
  // upper bound + 15 %), every worker busy (1 s per job).
  const double extra = (99'760.0 - 500) / 240;
  const double demand = result.forecast[0].upper * 1.15;
  const int workers = static_cast<int>(std::ceil(demand + extra - 1e-9));
  ASSERT_FALSE(result.plan.steps.empty());
  EXPECT_EQ(result.plan.steps[0].schedule_time, kNow);
  EXPECT_EQ(result.plan.steps[0].to_workers, workers);
  ASSERT_TRUE(result.plan.drain.has_value());
  EXPECT_NEAR(result.plan.drain->extra_rate, extra, 1e-9);
  // Projected at the point forecast (10 jobs/s): the backlog falls at
  // workers − 10 jobs/s from 60 s on.
  const double point_rate = result.forecast[0].rate;
  const double drained_at = 60 + 99'260.0 / (workers - point_rate);
  ASSERT_TRUE(result.plan.drain->drain_time.has_value());
  EXPECT_NEAR(absl::ToDoubleSeconds(*result.plan.drain->drain_time), drained_at, 1e-6);
  EXPECT_LE(drained_at, 300);
  EXPECT_TRUE(result.plan.slo_achievable) << result.slo_unachievable_reason;
  EXPECT_EQ(result.intervals[0].backlog_end, 0);       // after 300 s
  EXPECT_EQ(result.plan.urgency, Urgency::kCritical);  // the SLO is missed now
  // Then back to steady-state sizing: the last step scales down to a pool
  // sized for 10 jobs/s.
  const ScalingStep& last = result.plan.steps.back();
  EXPECT_EQ(last.action, ScalingAction::kScaleDown);
  EXPECT_LT(last.to_workers, 30);

  // The same plan simulated: the backlog at 300 s is within max_backlog.
  simulator::Scenario scenario;
  scenario.traffic.kind = simulator::PatternKind::kConstant;
  scenario.traffic.base_rate = 10;
  scenario.duration = absl::Minutes(30);
  scenario.granularity = absl::Seconds(300);
  scenario.start = kNow;
  scenario.initial_backlog = 100'000;
  simulator::PoolPlan pool;
  pool.initial_workers = 14;
  for (const ScalingStep& step : result.plan.steps) {
    pool.steps.push_back({step.schedule_time, step.to_workers});
  }
  simulator::SimulationConfig config;
  config.service = {simulator::ServiceDistribution::kExponential, 1.0, 1.0};
  config.provisioning_delay = request.config.provisioning_lead_time;
  config.seed = 11;
  absl::StatusOr<simulator::RunResult> run = simulator::Simulate(scenario, pool, config);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_LE(run->timeline[0].backlog, 500);
  EXPECT_EQ(run->timeline.back().backlog, 0);
}

TEST(SloSizingTest, BacklogBeyondMaxWorkersMakesTheSloUnachievable) {
  const PlanResult result = MustPlan(BacklogRequest());  // max_workers 100
  EXPECT_FALSE(result.plan.slo_achievable);
  EXPECT_NE(result.slo_unachievable_reason.find("more than max_workers 100"), std::string::npos)
      << result.slo_unachievable_reason;
  EXPECT_TRUE(HasWarning(result.plan, reason::kCapacityLimitExceeded));
  EXPECT_EQ(result.plan.urgency, Urgency::kCritical);
  ASSERT_TRUE(result.plan.drain.has_value());
  // At most 100 workers, reached 15 per 5-min step: not drained within the
  // hour, or drained long after 300 s.
  const std::optional<absl::Duration> drained = result.plan.drain->drain_time;
  EXPECT_TRUE(!drained.has_value() || *drained > absl::Minutes(15));
}

TEST(SloSizingTest, RampLimitedByStepSizeIsReported) {
  PlanRequest request = BacklogRequest();
  request.config.max_workers = 1000;  // max_step_size stays 15
  const PlanResult result = MustPlan(request);
  EXPECT_FALSE(result.plan.slo_achievable);
  EXPECT_NE(result.slo_unachievable_reason.find("limited to 15 workers per step"),
            std::string::npos)
      << result.slo_unachievable_reason;
}

TEST(SloSizingTest, DrainDeadlineInsideTheLeadTimeIsInfeasible) {
  PlanRequest request = BacklogRequest();
  request.config.max_workers = 1000;
  request.config.max_step_size = 1000;
  request.slo.drain_time = absl::Seconds(30);
  const PlanResult result = MustPlan(request);
  EXPECT_FALSE(result.plan.slo_achievable);
  EXPECT_NE(result.slo_unachievable_reason.find("provisioning lead time"), std::string::npos)
      << result.slo_unachievable_reason;
}

TEST(SloSizingTest, SmallBacklogTheCurrentPoolDrainsNeedsNothingExtra) {
  PlanRequest request = Request(10, 1.0, 14);
  request.current.backlog = 200;  // 4 jobs/s spare drain it in 50 s
  request.slo.max_backlog = 0;
  request.slo.drain_time = absl::Minutes(5);
  const PlanResult result = MustPlan(request);
  ASSERT_TRUE(result.plan.drain.has_value());
  EXPECT_EQ(result.plan.drain->extra_rate, 0);
  ASSERT_TRUE(result.plan.drain->drain_time.has_value());
  EXPECT_LE(*result.plan.drain->drain_time, absl::Minutes(5));
  EXPECT_TRUE(result.plan.slo_achievable);
}

// P(T > t) for M/M/c from the textbook formula (Erlang C by its sum).
double ResponseSurvival(double lambda, double mu, int c, double t) {
  long double term = 1, sum = 0;
  const double a = lambda / mu;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const long double last = term * c / (c - a);
  const double erlang_c = static_cast<double>(last / (sum + last));
  const double theta = c * mu - lambda;
  return (1 - erlang_c) * std::exp(-mu * t) +
         erlang_c * (theta * std::exp(-mu * t) - mu * std::exp(-theta * t)) / (theta - mu);
}

TEST(SloSizingTest, ErrorBudgetSizesForTheMatchingResponsePercentile) {
  // 100 jobs/s at 0.1 s, latency target 0.8 s (the service time alone
  // exceeds it with probability e^-8 = 0.00034): the latency target binds,
  // not the utilization threshold.
  PlanRequest request = Request(100, 0.1, 10);
  request.config.scale_up_threshold = 0.99;
  request.config.scale_down_threshold = 0.5;
  request.slo.p95_latency = 0.8;
  for (double budget : {0.05, 0.001}) {
    request.slo.error_budget = budget;
    const PlanResult result = MustPlan(request);
    const double demand = result.forecast[0].upper * 1.15;
    int expected = 0;
    for (int c = static_cast<int>(demand * 0.1) + 1; expected == 0 && c < 1000; ++c) {
      if (c * 10 - demand != 10 && ResponseSurvival(demand, 10, c, 0.8) <= budget) expected = c;
    }
    ASSERT_GT(expected, 0);
    EXPECT_EQ(result.plan.target_workers, expected) << "budget " << budget;
  }
}

// P(at least `required` of n up), each up with probability a: binomial.
double AtLeastUp(int n, int required, double a) {
  double p = 0;
  for (int up = required; up <= n; ++up) {
    p += std::exp(std::lgamma(n + 1.0) - std::lgamma(up + 1.0) - std::lgamma(n - up + 1.0) +
                  up * std::log(a) + (n - up) * std::log1p(-a));
  }
  return p;
}

TEST(SloSizingTest, AvailabilityAddsTheBinomialSpares) {
  PlanRequest request = Request(100, 0.1, 10);
  const int base = MustPlan(request).plan.target_workers;
  request.slo.availability = 0.999;
  request.config.worker_availability = 0.98;
  const PlanResult result = MustPlan(request);
  int spares = 0;
  while (AtLeastUp(base + spares, base, 0.98) < 0.999) ++spares;
  ASSERT_GT(spares, 0);
  EXPECT_EQ(result.plan.target_workers, base + spares);
  EXPECT_EQ(result.plan.spare_workers, spares);
  EXPECT_NE(result.plan.rationale.find("spares"), std::string::npos);
}

TEST(SloSizingTest, SparesBeyondMaxWorkersMakeTheSloUnachievable) {
  PlanRequest request = Request(100, 0.1, 10);
  const int base = MustPlan(request).plan.target_workers;
  request.slo.availability = 0.999;
  request.config.worker_availability = 0.98;
  request.config.max_workers = base;  // the load fits; its spares do not
  const PlanResult result = MustPlan(request);
  EXPECT_FALSE(result.plan.slo_achievable);
  EXPECT_NE(result.slo_unachievable_reason.find("spare workers"), std::string::npos)
      << result.slo_unachievable_reason;
  EXPECT_EQ(result.plan.target_workers, base);
  bool warned = false;
  for (const PlanWarning& warning : result.plan.warnings) {
    warned |= warning.reason == "CAPACITY_LIMIT_EXCEEDED";
  }
  EXPECT_TRUE(warned);
}

TEST(SloSizingTest, CostOptimalFollowsTheViolationCost) {
  PlanRequest request = Request(100, 0.1, 15);
  request.slo.p95_latency = 0.3;
  auto alternative = [](const PlanResult& result, Strategy strategy) {
    for (const Alternative& a : result.alternatives) {
      if (a.strategy == strategy) return a;
    }
    ADD_FAILURE() << "no alternative " << static_cast<int>(strategy);
    return Alternative{};
  };
  request.config.violation_cost_per_hour = 0.001;
  const PlanResult cheap = MustPlan(request);
  const Alternative cheap_optimal = alternative(cheap, Strategy::kCostOptimal);
  EXPECT_LT(cheap_optimal.target_workers, alternative(cheap, Strategy::kBalanced).target_workers);
  EXPECT_LE(cheap_optimal.expected_cost_per_hour,
            alternative(cheap, Strategy::kBalanced).expected_cost_per_hour);
  EXPECT_EQ(cheap_optimal.interval_workers.size(), cheap.forecast.size());

  request.config.violation_cost_per_hour = 1e9;
  const PlanResult dear = MustPlan(request);
  const Alternative dear_optimal = alternative(dear, Strategy::kCostOptimal);
  EXPECT_GE(dear_optimal.target_workers, alternative(dear, Strategy::kConservative).target_workers);
  for (const Alternative& a : dear.alternatives) {
    EXPECT_LE(dear_optimal.expected_cost_per_hour, a.expected_cost_per_hour + 1e-6);
  }
}

TEST(SloSizingTest, SaturatedPoolTrustsTheReportedServiceTime) {
  // 10 jobs/s on 8 workers at 1 s: saturated. Fed λ as throughput, the
  // utilization and Little estimators would say 1.25 jobs/s per worker
  // against the reported 1.
  PlanRequest saturated = Request(10, 1.0, 8);
  saturated.current.utilization = 1.0;
  saturated.current.active_jobs = 8;
  PlanRequest direct_only = Request(10, 1.0, 8);
  const PlanResult a = MustPlan(saturated);
  const PlanResult b = MustPlan(direct_only);
  EXPECT_DOUBLE_EQ(a.plan.confidence, b.plan.confidence);
  EXPECT_EQ(a.plan.target_workers, b.plan.target_workers);
  // A healthy pool reporting the same figures consistently is trusted more.
  PlanRequest healthy = Request(10, 1.0, 16);
  healthy.current.utilization = 10.0 / 16;
  healthy.current.active_jobs = 10;
  EXPECT_GT(MustPlan(healthy).plan.confidence, b.plan.confidence);
}

TEST(SloSizingTest, EveryWarningReasonIsProduced) {
  PlanRequest request = Request(100, 0.1, 10);
  request.last_action = LastAction{ScalingAction::kScaleDown, kNow - absl::Minutes(2), 10};
  const PlanResult cooldown = MustPlan(request);
  EXPECT_TRUE(HasWarning(cooldown.plan, reason::kCooldownActive));

  PlanRequest capped = Request(1000, 0.1, 40);
  capped.config.max_workers = 50;
  EXPECT_TRUE(HasWarning(MustPlan(capped).plan, reason::kCapacityLimitExceeded));

  PlanRequest spike = Request(100, 0.1, 16);
  for (size_t i = 0; i < spike.history.size(); ++i) {
    spike.history[i].arrival_rate = 100 + (i % 2 == 0 ? 2.0 : -2.0);
  }
  spike.current.arrival_rate = 400;
  EXPECT_TRUE(HasWarning(MustPlan(spike).plan, reason::kAnomalyDetected));

  const PlanResult calm = MustPlan(Request(100, 0.1, 16));
  EXPECT_TRUE(calm.plan.warnings.empty());
}

TEST(SloSizingTest, SummaryAtAGlance) {
  // Steady pool that needs no change: low urgency, 0 % change.
  const PlanResult steady = MustPlan(Request(100, 0.1, 16));
  EXPECT_EQ(steady.plan.urgency, Urgency::kLow);
  EXPECT_EQ(steady.plan.capacity_change_percent, 0);
  EXPECT_NEAR(steady.plan.arrival_rate.mean, 100, 1e-6);
  EXPECT_NEAR(steady.plan.planned_utilization.max, 100 * 0.1 / 16, 1e-6);
  EXPECT_EQ(steady.plan.peak_intervals.size(), 3u);
  EXPECT_TRUE(steady.plan.hourly_pattern.empty());  // two hours of history only
  EXPECT_FALSE(steady.plan.drain.has_value());

  // 12 → 15 workers at once (stable now, but above the scale-up
  // threshold): high urgency, +25 %. With 10 workers (offered load 10) the
  // pool is unstable now: critical.
  const PlanResult up = MustPlan(Request(100, 0.1, 12));
  EXPECT_EQ(up.plan.urgency, Urgency::kHigh);
  EXPECT_DOUBLE_EQ(up.plan.capacity_change_percent, 25);
  EXPECT_EQ(MustPlan(Request(100, 0.1, 10)).plan.urgency, Urgency::kCritical);

  // Two days of history whose rate is 10 × the hour of day: the pattern.
  PlanRequest daily = Request(100, 0.1, 16);
  daily.config.history_window = absl::Hours(48);
  daily.history.clear();
  for (int m = 48 * 60; m >= 1; --m) {
    QueueSample sample;
    sample.time = kNow - absl::Minutes(m);
    sample.arrival_rate = 10.0 * absl::ToCivilHour(sample.time, absl::UTCTimeZone()).hour();
    sample.mean_service_time = 0.1;
    daily.history.push_back(sample);
  }
  daily.config.forecast_model = forecast::ModelKind::kEwma;
  const PlanResult pattern = MustPlan(daily);
  ASSERT_EQ(pattern.plan.hourly_pattern.size(), 24u);
  for (const HourlyRate& hour : pattern.plan.hourly_pattern) {
    if (hour.hour == absl::ToCivilHour(kNow, absl::UTCTimeZone()).hour()) continue;  // + current
    EXPECT_NEAR(hour.mean_rate, 10.0 * hour.hour, 1e-9) << "hour " << hour.hour;
    EXPECT_EQ(hour.samples, 120);
  }
}

}  // namespace
}  // namespace horizonscale::planner
