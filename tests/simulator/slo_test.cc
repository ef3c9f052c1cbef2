// SLO verdicts per window, merged violation periods, costs and efficiency,
// checked against the timeline and the documented formulas.
#include <cmath>

#include <gtest/gtest.h>

#include "tests/simulator/fixtures.h"

namespace horizonscale::simulator {
namespace {

using testing::Config;
using testing::ConstantScenario;
using testing::FixedPlan;
using testing::MustSimulate;

// λ = 10/s, mean service 1 s. 14 workers (ρ ≈ 0.71) except 8 workers over
// [600, 1200) s: the backlog builds up, then 30 workers drain it.
RunResult OverloadRun(const SimulationConfig& config, internal::Diagnostics* diagnostics) {
  const Scenario scenario = ConstantScenario(10, absl::Seconds(2400));
  PoolPlan plan = FixedPlan(14);
  plan.steps = {{scenario.start + absl::Seconds(600), 8},
                {scenario.start + absl::Seconds(1200), 30},
                {scenario.start + absl::Seconds(1800), 14}};
  return MustSimulate(scenario, plan, config, diagnostics);
}

TEST(SloTest, ViolationsAreMergedRunsOfViolatingWindows) {
  SimulationConfig config = Config(ServiceDistribution::kExponential, 1, 1, 21);
  config.slo.p95_latency = 5;
  config.slo.max_backlog = 100;
  config.worker_cost_per_hour = 0.5;
  config.violation_cost_per_hour = 100;
  internal::Diagnostics diagnostics;
  const RunResult result = OverloadRun(config, &diagnostics);
  const absl::Time start = testing::MondayMidnight();

  // Each violation is a maximal run of windows violating that way.
  ASSERT_FALSE(result.violations.empty());
  bool saw_latency = false;
  bool saw_backlog = false;
  for (const Violation& v : result.violations) {
    saw_latency |= v.type == ViolationType::kLatency;
    saw_backlog |= v.type == ViolationType::kBacklog;
    EXPECT_LT(v.start, v.end);
    const int64_t first = (v.start - start) / absl::Minutes(1);
    const int64_t last = (v.end - start) / absl::Minutes(1);  // exclusive
    EXPECT_EQ(start + absl::Minutes(first), v.start);         // on window boundaries
    for (int64_t k = first; k < last; ++k) EXPECT_FALSE(result.timeline[k].slo_met);
    // The violations lie within the overload and its drain.
    EXPECT_GE(v.start, start + absl::Seconds(600));
    EXPECT_LE(v.end, start + absl::Seconds(1800));
  }
  EXPECT_TRUE(saw_latency);
  EXPECT_TRUE(saw_backlog);
  // A merged period: at most one per type here (one overload episode).
  EXPECT_LE(result.violations.size(), 2U);

  // Windows violating the latency SLO are exactly those with P95 > 5 s (or,
  // without completions, a job waiting > 5 s), those violating the backlog
  // SLO include every window ending with more than 100 waiting.
  int met = 0;
  for (const Window& w : result.timeline) {
    if (w.completions > 0 && w.p95_latency > 5) {
      EXPECT_FALSE(w.slo_met);
    }
    if (w.backlog > 100) {
      EXPECT_FALSE(w.slo_met);
    }
    met += w.slo_met;
  }
  const Summary& s = result.summary;
  const auto windows = static_cast<double>(result.timeline.size());
  EXPECT_DOUBLE_EQ(s.slo_achievement, met / windows);
  EXPECT_NEAR(s.violation_cost, (windows - met) * 60 / 3600 * 100, 1e-9);
  // Paid: 14·600 + 8·600 + 30·600 + 14·600 worker-seconds, plus the last
  // jobs of the busy workers leaving at 600 s and 1800 s (a few seconds).
  const double planned_cost = (14 + 8 + 30 + 14) * 600.0 / 3600 * 0.5;
  EXPECT_GE(s.worker_cost, planned_cost);
  EXPECT_LE(s.worker_cost, planned_cost + 60.0 / 3600 * 0.5);
  EXPECT_NEAR(s.total_cost, s.worker_cost + s.violation_cost, 1e-9);
  EXPECT_NEAR(s.efficiency_score,
              s.slo_achievement * diagnostics.busy_seconds / diagnostics.paid_seconds, 1e-12);
  EXPECT_GT(s.max_backlog, 100);
  EXPECT_LT(s.slo_achievement, 1);
  EXPECT_GT(s.slo_achievement, 0.5);
}

TEST(SloTest, BacklogSloUsesThePeakWithinTheWindow) {
  // The backlog SLO of 0 is broken by any wait at all, even one that is
  // over before the window ends.
  SimulationConfig config = Config(ServiceDistribution::kExponential, 1, 1, 5);
  config.slo.max_backlog = 0;
  const RunResult result =
      MustSimulate(ConstantScenario(4, absl::Seconds(600)), FixedPlan(5), config);
  int violating_with_empty_end = 0;
  for (const Window& w : result.timeline) violating_with_empty_end += !w.slo_met && w.backlog == 0;
  EXPECT_GT(violating_with_empty_end, 0);
}

TEST(SloTest, NoSloMeansEveryWindowMeetsIt) {
  const RunResult result =
      OverloadRun(Config(ServiceDistribution::kExponential, 1, 1, 21), nullptr);
  EXPECT_EQ(result.summary.slo_achievement, 1);
  EXPECT_TRUE(result.violations.empty());
  EXPECT_EQ(result.summary.violation_cost, 0);
}

TEST(SloTest, PoolServingNothingViolatesTheLatencySlo) {
  // No workers: no completion, so no P95; the waiting jobs make the windows
  // late once the oldest has waited more than the target.
  SimulationConfig config = Config(ServiceDistribution::kExponential, 1, 1, 5);
  config.slo.p95_latency = 90;
  const RunResult result =
      MustSimulate(ConstantScenario(1, absl::Seconds(600)), FixedPlan(0), config);
  EXPECT_TRUE(result.timeline[0].slo_met);   // oldest waited < 60 s
  EXPECT_FALSE(result.timeline[2].slo_met);  // oldest waited ~180 s
  ASSERT_EQ(result.violations.size(), 1U);
  EXPECT_EQ(result.violations[0].type, ViolationType::kLatency);
  EXPECT_EQ(result.violations[0].end, testing::MondayMidnight() + absl::Seconds(600));
}

TEST(SloTest, ShortLastWindow) {
  // 150 s in 60-s windows: 3 windows, the last one 30 s.
  SimulationConfig config = Config(ServiceDistribution::kExponential, 1, 1, 5);
  config.slo.max_backlog = 0;
  config.violation_cost_per_hour = 3600;  // 1 per violating second
  const RunResult result =
      MustSimulate(ConstantScenario(3, absl::Seconds(150)), FixedPlan(0), config);
  ASSERT_EQ(result.timeline.size(), 3U);
  EXPECT_EQ(result.timeline[2].start, testing::MondayMidnight() + absl::Seconds(120));
  EXPECT_NEAR(result.summary.violation_cost, 150, 1e-9);
  ASSERT_EQ(result.violations.size(), 1U);
  EXPECT_EQ(result.violations[0].end, testing::MondayMidnight() + absl::Seconds(150));
}

}  // namespace
}  // namespace horizonscale::simulator
