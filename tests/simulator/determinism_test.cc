// Same inputs, same result bit for bit; another seed, another result.
#include <bit>
#include <cstdint>

#include <gtest/gtest.h>

#include "tests/simulator/fixtures.h"

namespace horizonscale::simulator {
namespace {

using testing::Config;
using testing::MustSimulate;

// A scenario exercising every part: daily pattern, noise, all spike shapes,
// lognormal service, plan steps with a delay, both SLOs.
RunResult RunBusyScenario(uint64_t seed) {
  Scenario scenario;
  scenario.traffic.kind = PatternKind::kDaily;
  scenario.traffic.base_rate = 4;
  scenario.traffic.amplitude = 0.6;
  scenario.traffic.noise = 0.2;
  scenario.traffic.spikes = {{absl::Minutes(20), absl::Minutes(10), 3, SpikeShape::kInstant},
                             {absl::Minutes(50), absl::Minutes(10), 2, SpikeShape::kLinear},
                             {absl::Minutes(80), absl::Minutes(10), 4, SpikeShape::kExp},
                             {absl::Minutes(100), absl::Minutes(20), 5, SpikeShape::kBell}};
  scenario.duration = absl::Hours(2);
  scenario.granularity = absl::Minutes(1);
  scenario.start = testing::MondayMidnight() + absl::Hours(13);
  PoolPlan plan;
  plan.initial_workers = 4;
  plan.steps = {{scenario.start + absl::Minutes(25), 9},
                {scenario.start + absl::Minutes(60), 3},
                {scenario.start + absl::Minutes(95), 12}};
  SimulationConfig config = Config(ServiceDistribution::kLognormal, 0.8, 1.2, seed);
  config.slo.p95_latency = 3;
  config.slo.max_backlog = 20;
  config.provisioning_delay = absl::Seconds(90);
  return MustSimulate(scenario, plan, config);
}

// Bitwise equality of doubles (== would also accept -0 == 0).
bool Same(double a, double b) { return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b); }

void ExpectIdentical(const RunResult& a, const RunResult& b) {
  const Summary& x = a.summary;
  const Summary& y = b.summary;
  EXPECT_TRUE(Same(x.slo_achievement, y.slo_achievement));
  EXPECT_TRUE(Same(x.average_latency, y.average_latency));
  EXPECT_TRUE(Same(x.p50_latency, y.p50_latency));
  EXPECT_TRUE(Same(x.p95_latency, y.p95_latency));
  EXPECT_TRUE(Same(x.p99_latency, y.p99_latency));
  EXPECT_EQ(x.max_backlog, y.max_backlog);
  EXPECT_EQ(x.jobs_completed, y.jobs_completed);
  EXPECT_EQ(x.jobs_arrived, y.jobs_arrived);
  EXPECT_TRUE(Same(x.worker_cost, y.worker_cost));
  EXPECT_TRUE(Same(x.violation_cost, y.violation_cost));
  EXPECT_TRUE(Same(x.total_cost, y.total_cost));
  EXPECT_TRUE(Same(x.efficiency_score, y.efficiency_score));
  EXPECT_EQ(x.events, y.events);
  ASSERT_EQ(a.timeline.size(), b.timeline.size());
  for (size_t k = 0; k < a.timeline.size(); ++k) {
    const Window& v = a.timeline[k];
    const Window& w = b.timeline[k];
    EXPECT_EQ(v.start, w.start);
    EXPECT_EQ(v.arrivals, w.arrivals);
    EXPECT_EQ(v.completions, w.completions);
    EXPECT_EQ(v.workers, w.workers);
    EXPECT_TRUE(Same(v.utilization, w.utilization));
    EXPECT_EQ(v.backlog, w.backlog);
    EXPECT_TRUE(Same(v.p95_latency, w.p95_latency));
    EXPECT_EQ(v.slo_met, w.slo_met);
  }
  ASSERT_EQ(a.violations.size(), b.violations.size());
  for (size_t i = 0; i < a.violations.size(); ++i) {
    EXPECT_EQ(a.violations[i].start, b.violations[i].start);
    EXPECT_EQ(a.violations[i].end, b.violations[i].end);
    EXPECT_EQ(a.violations[i].type, b.violations[i].type);
  }
}

TEST(DeterminismTest, SameSeedSameResult) {
  const RunResult a = RunBusyScenario(2024);
  const RunResult b = RunBusyScenario(2024);
  ASSERT_GT(a.summary.jobs_arrived, 10'000);
  ASSERT_FALSE(a.violations.empty());  // the comparison covers violations too
  ExpectIdentical(a, b);
}

TEST(DeterminismTest, DifferentSeedDifferentResult) {
  const RunResult a = RunBusyScenario(2024);
  const RunResult b = RunBusyScenario(2025);
  EXPECT_NE(a.summary.jobs_arrived, b.summary.jobs_arrived);
  EXPECT_FALSE(Same(a.summary.average_latency, b.summary.average_latency));
  int differing_windows = 0;
  for (size_t k = 0; k < a.timeline.size(); ++k) {
    differing_windows += a.timeline[k].arrivals != b.timeline[k].arrivals;
  }
  EXPECT_GT(differing_windows, 100);
}

}  // namespace
}  // namespace horizonscale::simulator
