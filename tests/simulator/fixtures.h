// Builders and statistics shared by the simulator tests.
#pragma once

#include <cmath>
#include <functional>
#include <vector>

#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <gtest/gtest.h>

#include "forecast/numerics/student_t.h"
#include "simulator/internal/engine.h"
#include "simulator/simulator.h"

namespace horizonscale::simulator::testing {

// Monday 2024-03-04 00:00 UTC.
inline absl::Time MondayMidnight() {
  return absl::FromCivil(absl::CivilSecond(2024, 3, 4, 0, 0, 0), absl::UTCTimeZone());
}

// A constant-rate scenario starting on MondayMidnight().
inline Scenario ConstantScenario(double rate, absl::Duration duration,
                                 absl::Duration granularity = absl::Minutes(1)) {
  Scenario scenario;
  scenario.name = "constant";
  scenario.traffic.kind = PatternKind::kConstant;
  scenario.traffic.base_rate = rate;
  scenario.duration = duration;
  scenario.granularity = granularity;
  scenario.start = MondayMidnight();
  return scenario;
}

inline PoolPlan FixedPlan(int workers) {
  PoolPlan plan;
  plan.initial_workers = workers;
  return plan;
}

inline SimulationConfig Config(ServiceDistribution distribution, double mean, double cv,
                               uint64_t seed) {
  SimulationConfig config;
  config.service = {distribution, mean, cv};
  config.seed = seed;
  return config;
}

// Simulate, failing the test on error.
inline RunResult MustSimulate(const Scenario& scenario, const PoolPlan& plan,
                              const SimulationConfig& config,
                              internal::Diagnostics* diagnostics = nullptr) {
  absl::StatusOr<RunResult> result =
      internal::SimulateWithDiagnostics(scenario, plan, config, nullptr, diagnostics);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : RunResult{};
}

// A Student-t confidence interval on the mean of `samples` (n >= 2).
struct Interval {
  double mean = 0;
  double half_width = 0;
  bool Contains(double value) const { return std::fabs(value - mean) <= half_width; }
};

inline Interval MeanInterval(const std::vector<double>& samples, double level) {
  const double n = static_cast<double>(samples.size());
  double sum = 0;
  for (double x : samples) sum += x;
  const double mean = sum / n;
  double squares = 0;
  for (double x : samples) squares += (x - mean) * (x - mean);
  const double t = numerics::StudentTQuantile((1 + level) / 2, n - 1);
  return {mean, t * std::sqrt(squares / (n - 1) / n)};
}

}  // namespace horizonscale::simulator::testing
