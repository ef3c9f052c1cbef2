// Bad inputs are rejected with INVALID_ARGUMENT naming the field; EstimateEvents
// is twice the analytic integral of the rate.
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/simulator/fixtures.h"

namespace horizonscale::simulator {
namespace {

using testing::Config;
using testing::ConstantScenario;
using testing::FixedPlan;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct BadInput {
  std::string field;  // expected at the start of the message
  std::function<void(Scenario&, SimulationConfig&, PoolPlan&)> spoil;
};

std::vector<BadInput> BadInputs() {
  return {
      {"traffic.base_rate", [](Scenario& s, auto&, auto&) { s.traffic.base_rate = -1; }},
      {"traffic.base_rate", [](Scenario& s, auto&, auto&) { s.traffic.base_rate = kNaN; }},
      {"traffic.base_rate", [](Scenario& s, auto&, auto&) { s.traffic.base_rate = kInf; }},
      {"traffic.amplitude", [](Scenario& s, auto&, auto&) { s.traffic.amplitude = 1.5; }},
      {"traffic.amplitude", [](Scenario& s, auto&, auto&) { s.traffic.amplitude = kNaN; }},
      {"traffic.noise", [](Scenario& s, auto&, auto&) { s.traffic.noise = -0.1; }},
      {"traffic.trend_per_hour",
       [](Scenario& s, auto&, auto&) { s.traffic.trend_per_hour = kNaN; }},
      {"traffic.kind",
       [](Scenario& s, auto&, auto&) { s.traffic.kind = static_cast<PatternKind>(17); }},
      {"traffic.period",
       [](Scenario& s, auto&, auto&) {
         s.traffic.kind = PatternKind::kSinusoidal;
         s.traffic.period = absl::ZeroDuration();
       }},
      {"duration", [](Scenario& s, auto&, auto&) { s.duration = absl::ZeroDuration(); }},
      {"duration", [](Scenario& s, auto&, auto&) { s.duration = -absl::Hours(1); }},
      {"granularity", [](Scenario& s, auto&, auto&) { s.granularity = absl::Hours(2); }},
      {"granularity", [](Scenario& s, auto&, auto&) { s.granularity = absl::ZeroDuration(); }},
      {"granularity", [](Scenario& s, auto&, auto&) { s.granularity = absl::Milliseconds(1); }},
      {"start", [](Scenario& s, auto&, auto&) { s.start = absl::InfiniteFuture(); }},
      {"traffic.spikes[1].start",
       [](Scenario& s, auto&, auto&) {
         s.traffic.spikes.push_back({absl::Minutes(5), absl::Minutes(1), 2, SpikeShape::kBell});
         s.traffic.spikes.push_back({absl::Hours(2), absl::Minutes(1), 2, SpikeShape::kBell});
       }},
      {"traffic.spikes[0].start",
       [](Scenario& s, auto&, auto&) {
         s.traffic.spikes.push_back({-absl::Minutes(5), absl::Minutes(1), 2, SpikeShape::kBell});
       }},
      {"traffic.spikes[0].duration",
       [](Scenario& s, auto&, auto&) {
         s.traffic.spikes.push_back({absl::Minutes(5), absl::ZeroDuration(), 2, SpikeShape::kExp});
       }},
      {"traffic.spikes[0].magnitude",
       [](Scenario& s, auto&, auto&) {
         s.traffic.spikes.push_back({absl::Minutes(5), absl::Minutes(1), 0.5, SpikeShape::kExp});
       }},
      {"traffic.spikes[0].magnitude",
       [](Scenario& s, auto&, auto&) {
         s.traffic.spikes.push_back({absl::Minutes(5), absl::Minutes(1), kNaN, SpikeShape::kExp});
       }},
      {"traffic.spikes[0].shape",
       [](Scenario& s, auto&, auto&) {
         s.traffic.spikes.push_back(
             {absl::Minutes(5), absl::Minutes(1), 2, static_cast<SpikeShape>(9)});
       }},
      {"service.mean", [](auto&, SimulationConfig& c, auto&) { c.service.mean = 0; }},
      {"service.mean", [](auto&, SimulationConfig& c, auto&) { c.service.mean = kNaN; }},
      {"service.coefficient_of_variation",
       [](auto&, SimulationConfig& c, auto&) {
         c.service.distribution = ServiceDistribution::kGamma;
         c.service.coefficient_of_variation = 0;
       }},
      {"service.coefficient_of_variation",
       [](auto&, SimulationConfig& c, auto&) { c.service.coefficient_of_variation = -1; }},
      {"service.distribution",
       [](auto&, SimulationConfig& c, auto&) {
         c.service.distribution = static_cast<ServiceDistribution>(8);
       }},
      {"slo.p95_latency", [](auto&, SimulationConfig& c, auto&) { c.slo.p95_latency = -1; }},
      {"slo.p95_latency", [](auto&, SimulationConfig& c, auto&) { c.slo.p95_latency = kNaN; }},
      {"slo.max_backlog", [](auto&, SimulationConfig& c, auto&) { c.slo.max_backlog = -3; }},
      {"provisioning_delay",
       [](auto&, SimulationConfig& c, auto&) { c.provisioning_delay = -absl::Seconds(1); }},
      {"worker_cost_per_hour",
       [](auto&, SimulationConfig& c, auto&) { c.worker_cost_per_hour = -0.5; }},
      {"violation_cost_per_hour",
       [](auto&, SimulationConfig& c, auto&) { c.violation_cost_per_hour = kInf; }},
      {"plan.initial_workers", [](auto&, auto&, PoolPlan& p) { p.initial_workers = -1; }},
      {"plan.steps[1].workers",
       [](Scenario& s, auto&, PoolPlan& p) {
         p.steps.push_back({s.start + absl::Minutes(1), 3});
         p.steps.push_back({s.start + absl::Minutes(2), -3});
       }},
  };
}

TEST(ValidationTest, BadInputsNameTheField) {
  for (const BadInput& bad : BadInputs()) {
    Scenario scenario = ConstantScenario(1, absl::Hours(1));
    SimulationConfig config = Config(ServiceDistribution::kExponential, 1, 1, 1);
    PoolPlan plan = FixedPlan(2);
    bad.spoil(scenario, config, plan);
    const absl::StatusOr<RunResult> result = Simulate(scenario, plan, config);
    ASSERT_FALSE(result.ok()) << bad.field;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << bad.field;
    EXPECT_EQ(std::string(result.status().message()).rfind(bad.field + ":", 0), 0U)
        << "expected field " << bad.field << ", got: " << result.status().message();
    if (bad.field.rfind("plan.", 0) != 0) {
      EXPECT_EQ(ValidateScenario(scenario, config).code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(ValidationTest, GoodInputsPass) {
  Scenario scenario = ConstantScenario(1, absl::Hours(1));
  scenario.traffic.spikes.push_back({absl::Minutes(50), absl::Hours(1), 2, SpikeShape::kLinear});
  SimulationConfig config = Config(ServiceDistribution::kLognormal, 1, 0.5, 1);
  config.slo.p95_latency = 2;
  config.slo.max_backlog = 0;
  EXPECT_TRUE(ValidateScenario(scenario, config).ok());
  // A spike may run past the end (the rest is ignored).
  EXPECT_TRUE(Simulate(scenario, FixedPlan(2), config).ok());
}

// EstimateEvents ≈ 2 ∫ rate: the integral computed by hand.
TEST(EstimateEventsTest, ConstantRate) {
  EXPECT_NEAR(EstimateEvents(ConstantScenario(3, absl::Hours(2))), 2 * 3 * 7200.0, 1);
}

TEST(EstimateEventsTest, SinusoidalRate) {
  // 1.5 periods: ∫ = b (T + A P / (2π) (1 − cos(2π T / P))).
  constexpr double kBase = 10;
  constexpr double kAmplitude = 0.5;
  constexpr double kPeriod = 3600;
  constexpr double kDuration = 5400;
  Scenario scenario = ConstantScenario(kBase, absl::Seconds(kDuration));
  scenario.traffic.kind = PatternKind::kSinusoidal;
  scenario.traffic.amplitude = kAmplitude;
  scenario.traffic.period = absl::Seconds(kPeriod);
  const double integral =
      kBase * (kDuration + kAmplitude * kPeriod / (2 * std::numbers::pi) *
                               (1 - std::cos(2 * std::numbers::pi * kDuration / kPeriod)));
  EXPECT_NEAR(EstimateEvents(scenario), 2 * integral, 1);
}

TEST(EstimateEventsTest, SpikesIncluded) {
  // ×3 instant for 600 s, and a ×5 bell over 1200 s: ∫ bell = σ√(2π)·erf(3/√2).
  Scenario scenario = ConstantScenario(10, absl::Hours(2));
  scenario.traffic.spikes.push_back(
      {absl::Minutes(10), absl::Minutes(10), 3, SpikeShape::kInstant});
  scenario.traffic.spikes.push_back({absl::Minutes(60), absl::Minutes(20), 5, SpikeShape::kBell});
  const double sigma = 1200.0 / 6;
  const double bell = sigma * std::sqrt(2 * std::numbers::pi) * std::erf(3 / std::numbers::sqrt2);
  const double integral = 10 * 7200.0 + 10 * 2 * 600.0 + 10 * 4 * bell;
  EXPECT_NEAR(EstimateEvents(scenario), 2 * integral, 2);
}

TEST(EstimateEventsTest, WholeDayOfTheDailyProfile) {
  // Over a whole day the mean of the piecewise-linear profile is the mean of
  // its hourly knots, 0 (documented): base_rate is the daily mean. Started
  // mid-afternoon so that the day wraps around midnight.
  Scenario scenario = ConstantScenario(4, absl::Hours(24));
  scenario.traffic.kind = PatternKind::kDaily;
  scenario.traffic.amplitude = 0.5;
  scenario.start += absl::Minutes(15 * 60 + 20);
  const double integral = 4 * 86400.0;
  EXPECT_NEAR(EstimateEvents(scenario), 2 * integral, 2);
}

TEST(EstimateEventsTest, InvalidScenarioIsZero) {
  EXPECT_EQ(EstimateEvents(ConstantScenario(-1, absl::Hours(1))), 0);
}

}  // namespace
}  // namespace horizonscale::simulator
